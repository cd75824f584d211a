import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { evaluateModel } from './evaluate.ts';
import { renderEvaluationMarkdown } from './report.ts';

const F = join(REPO_ROOT, 'test', 'fixtures');

describe('renderEvaluationMarkdown', () => {
  it('says once which metrics a ZipMap model could not give, and why', async () => {
    const r = await evaluateModel({ model: join(F, 'models', 'iris_rf_zipmap.onnx'), data: join(F, 'datasets', 'iris', 'test.csv'), bootstrap: 0 });
    const md = renderEvaluationMarkdown(r);
    expect(md).toMatch(/^### Model evaluation: `.*iris_rf_zipmap\.onnx` — ✅ passed/);
    expect(md).toContain('| roc_auc_ovr_macro | not computed |');
    const line = md.split('\n').filter((l) => l.includes('not computed:'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/^- `roc_auc_ovr_macro`, `roc_auc_ovr_weighted`, `log_loss` not computed: .*ZipMap/);
    expect(md).toContain('_No gate configured');
  });

  it('shows the baseline, the change with its direction, the gate table and the failures', async () => {
    const r = await evaluateModel({
      model: join(F, 'models', 'diabetes_gbr.onnx'), data: join(F, 'datasets', 'diabetes', 'test.csv'),
      baseline: join(F, 'models', 'diabetes_linreg.onnx'), threshold: 'rmse<=50', bootstrap: 200,
    });
    const md = renderEvaluationMarkdown(r, { title: 'evaluate-model' });
    expect(md).toMatch(/— ❌ failed/);
    expect(md).toContain('| Metric | Value | Baseline | Change |');
    expect(md).toMatch(/\| mae ↓ \| 44\.1175 \| 42\.7941 \| \+1\.32339 🔴 \|/); // lower is better and it rose: red
    expect(md).toMatch(/\| \*\*rmse\*\* ↓ \| 53\.4083 \| 53\.8534 \| −0\.445103 🟢 \|/);
    expect(md).toContain('- ❌ rmse = 53.4083 fails rmse <= 50');
    expect(md).toMatch(/paired with the baseline on the same resampled rows/);
    expect(md).not.toContain('Confusion matrix'); // regression
  });
});
