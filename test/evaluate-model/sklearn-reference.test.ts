import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, type EvaluationReport } from '../../packages/sdk/src/index.ts';
import { runPythonJson } from '../harness/python.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

// The 7 fixture models on their test.csv, against an independent evaluation in Python
// (python/ref_metrics.py models: pandas.read_csv + onnxruntime + sklearn.metrics 1.9).
// Label metrics must be identical; roc_auc / log_loss within 1e-6; regression within 1e-6 relative.

const F = join(REPO_ROOT, 'test', 'fixtures');
const CASES = [
  { model: 'breast_cancer_logreg', data: 'breast_cancer', task: 'binary' },
  { model: 'iris_rf', data: 'iris', task: 'multiclass' },
  { model: 'iris_rf_zipmap', data: 'iris', task: 'multiclass' },
  { model: 'wine_gb', data: 'wine', task: 'multiclass' },
  { model: 'digits_mlp', data: 'digits', task: 'multiclass' },
  { model: 'diabetes_linreg', data: 'diabetes', task: 'regression' },
  { model: 'diabetes_gbr', data: 'diabetes', task: 'regression' },
] as const;
const PROBABILITY_METRICS = new Set(['roc_auc', 'roc_auc_ovr_macro', 'roc_auc_ovr_weighted', 'log_loss']);

interface RefResult {
  task: string;
  metrics: Record<string, number>;
  confusion_matrix?: { labels: number[]; matrix: number[][] };
  per_class?: { labels: number[]; precision: number[]; recall: number[]; f1: number[]; support: number[] };
}

let ref: RefResult[];
const ours: EvaluationReport[] = [];

beforeAll(async () => {
  const specs = CASES.map((c) => ({ model: join(F, 'models', `${c.model}.onnx`), data: join(F, 'datasets', c.data, 'test.csv') }));
  ref = runPythonJson<{ results: RefResult[] }>('ref_metrics.py', ['models'], JSON.stringify(specs)).results;
  for (const s of specs) ours.push(await evaluateModel({ model: s.model, data: s.data, bootstrap: 0 }));
});

describe.each(CASES.map((c, i) => ({ ...c, i })))('$model on $data/test.csv', ({ i, task, model }) => {
  it(`is detected as ${task}, like the reference`, () => {
    expect(ours[i]!.task).toBe(task);
    expect(ref[i]!.task).toBe(task);
  });

  it('reports the same metrics as scikit-learn', () => {
    const r = ref[i]!;
    const mine = ours[i]!.metrics as Record<string, unknown>;
    const expectedNames = Object.keys(r.metrics);
    for (const name of expectedNames) {
      const want = r.metrics[name]!;
      const got = mine[name] as number;
      expect(got, `${name} present`).toBeTypeOf('number');
      if (task === 'regression') expect(Math.abs(got - want) / Math.abs(want), name).toBeLessThan(1e-6);
      else if (PROBABILITY_METRICS.has(name)) expect(Math.abs(got - want), name).toBeLessThan(1e-6);
      else expect(got, name).toBe(want);
    }
    if (r.confusion_matrix) {
      expect(mine.confusion_matrix).toEqual(r.confusion_matrix);
      expect(mine.per_class).toEqual(r.per_class);
    }
  });

  if (model === 'iris_rf_zipmap') {
    it('computes labels only and says why the probability metrics are missing', () => {
      const rep = ours[i]!;
      for (const name of ['roc_auc_ovr_macro', 'roc_auc_ovr_weighted', 'log_loss']) {
        expect(rep.metrics[name]).toBeUndefined();
        expect(rep.not_computed[name]).toMatch(/ZipMap/);
      }
      expect(rep.notes.join('\n')).toMatch(/output_probability/);
      // The same forest without ZipMap: identical label metrics.
      expect(rep.metrics.accuracy).toBe(ours[1]!.metrics.accuracy);
    });
  } else {
    it('computes every metric of its task', () => {
      expect(ours[i]!.not_computed).toEqual({});
    });
  }
});
