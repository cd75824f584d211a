import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '@mlship/sdk';
import { loadZoo, type Zoo, type ZooModel } from '../harness/zoo.ts';

// Issue 9: evaluate on every zoo model (real scikit-learn / XGBoost / LightGBM / torch exports,
// python/make_zoo.py) equals the zoo's reference metrics: sklearn.metrics in Python on the same test
// rows, from onnxruntime-python's predictions.
let zoo: Zoo;
beforeAll(async () => { zoo = await loadZoo(); });

const TASK = { binary: 'binary', multiclass: 'multiclass', regression: 'regression', multioutput_regression: 'regression' } as const;

async function evaluateZoo(m: ZooModel) {
  return evaluateModel({
    model: join(zoo.dir, m.onnx), data: join(zoo.dir, m.test), target: Array.isArray(m.target) ? m.target.join(',') : m.target, bootstrap: 0,
    ...(m.input_map ? { inputMap: m.input_map } : {}), ...(m.allow_missing ? { allowMissing: true } : {}),
  });
}

describe('evaluate on the zoo equals sklearn.metrics', async () => {
  const { models } = await loadZoo();
  for (const m of models) {
    it(`${m.name} (${m.library}, ${m.task})`, async () => {
      const report = await evaluateZoo(m);
      expect(report.task).toBe(TASK[m.task]);
      for (const [name, expected] of Object.entries(m.reference.metrics)) {
        const actual = (report.metrics as Record<string, number>)[name];
        expect(actual, `${m.name} ${name} (not computed: ${report.not_computed[name] ?? '–'})`).toBeDefined();
        // float32 model outputs in both runtimes; metrics from the same predictions agree to rounding.
        expect(Math.abs(actual! - expected), `${m.name} ${name}: ${actual} vs sklearn ${expected}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      }
    });
  }
});
