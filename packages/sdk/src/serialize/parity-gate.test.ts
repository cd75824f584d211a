import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { DEFAULT_PARITY_TOLERANCE, tensorRows } from '../compare/outputs.ts';
import { readFeatureRows, toFloat32 } from './features.ts';
import { checkParity } from './serialize.ts';
import type { ConverterReport } from './converter.ts';

// The gate's explanations, on the real iris forest: the "native" side is the model's own ONNX outputs
// with chosen rows altered, so every difference is known.
const FIX = join(REPO_ROOT, 'test', 'fixtures');

async function setup() {
  const model = await OnnxModel.load(join(FIX, 'models', 'iris_rf.onnx'));
  const names = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
  const { rows } = await readFeatureRows(join(FIX, 'datasets', 'iris', 'test.csv'), names, 30);
  const out = await model.predict(toFloat32(rows), rows.length);
  return { model, rows, labels: tensorRows(out.label!) as number[], probs: tensorRows(out.probabilities!) as number[][] };
}

describe('checkParity explanations', () => {
  it('one flipped label on a near-tie in a tree model: names the row, explains ties and float64 thresholds', async () => {
    const { model, rows, labels, probs } = await setup();
    const native = structuredClone(probs);
    native[4] = [0.5, 0.49999, 0.00001];
    const flipped = labels.map((l, i) => (i === 4 ? (l + 1) % 3 : l));
    const report: ConverterReport = { ok: true, hasTrees: true, outputs: { label: { role: 'label', values: flipped }, probabilities: { role: 'probabilities', values: native } } };
    const p = await checkParity(model, rows, report, DEFAULT_PARITY_TOLERANCE);
    expect(p.passed).toBe(false);
    expect(p.message).toBe(`output "label": labels agree on 96.67% of 30 rows; first difference at row 4: native ${flipped[4]}, ONNX ${labels[4]}`);
    expect(p.explanations.join('\n')).toMatch(/The one row whose label differs is a near-tie: .* at most 1\.00e-5, .*--min-label-agreement 0\.966/);
    expect(p.explanations.join('\n')).toMatch(/float64 thresholds in tree models/);
    const relaxed = await checkParity(model, rows, { ...report, outputs: { label: report.outputs!.label! } }, { ...DEFAULT_PARITY_TOLERANCE, minLabelAgreement: 0.96 });
    expect(relaxed.passed).toBe(true);
  });

  it('most rows different: says it is not rounding', async () => {
    const { model, rows, labels } = await setup();
    const report: ConverterReport = { ok: true, hasTrees: true, outputs: { label: { role: 'label', values: labels.map((l) => (l + 1) % 3) } } };
    const p = await checkParity(model, rows, report, DEFAULT_PARITY_TOLERANCE);
    expect(p.passed).toBe(false);
    expect(p.explanations).toHaveLength(1);
    expect(p.explanations[0]).toMatch(/^100% of the rows differ: that is not float32 rounding/);
  });
});
