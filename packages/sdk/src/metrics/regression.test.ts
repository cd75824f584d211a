import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { seededRandom } from '../evaluate/bootstrap.ts';
import { UndefinedMetricError } from './errors.ts';
import {
  explainedVariance, maxError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, r2Score, rootMeanSquaredError,
} from './regression.ts';

// Expected values: scikit-learn 1.9 (python/ref_metrics.py arrays, "regression") on the same seeded
// arrays; the constant-target cases follow r2_score's docstring (force_finite=True).

const all = (y: number[], p: number[]) => ({
  mse: meanSquaredError(y, p), rmse: rootMeanSquaredError(y, p), mae: meanAbsoluteError(y, p), r2: r2Score(y, p),
  explained_variance: explainedVariance(y, p), max_error: maxError(y, p), mape: meanAbsolutePercentageError(y, p),
});

describe('regression metrics vs scikit-learn', () => {
  it('match within 1e-12 relative on random data, including zero targets (mape uses eps)', () => {
    const r = seededRandom(99);
    const cases: Array<{ y: number[]; p: number[] }> = [];
    for (const [n, scale] of [[10, 1], [1000, 100], [20000, 1e-3]] as const) {
      const y = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : (r() - 0.4) * scale));
      const p = y.map((v) => v + (r() - 0.5) * scale * 0.3);
      cases.push({ y, p });
    }
    const ref = runPythonJson<{ values: Array<Record<string, number>> }>('ref_metrics.py', ['arrays'],
      JSON.stringify(cases.map((c) => ({ metric: 'regression', y_true: c.y, y_pred: c.p }))));
    cases.forEach((c, i) => {
      const ours = all(c.y, c.p);
      for (const [name, expected] of Object.entries(ref.values[i]!)) {
        const got = ours[name as keyof typeof ours];
        expect(Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-300), `${name} case ${i}`).toBeLessThan(1e-12);
      }
    });
  });

  it('follows force_finite for a constant target and needs two samples for r2', () => {
    expect(r2Score([-2, -2, -2], [-2, -2, -2])).toBe(1);
    expect(r2Score([-2, -2, -2], [-2, -2, -2 + 1e-8])).toBe(0);
    expect(explainedVariance([3, 3], [3, 3])).toBe(1);
    expect(() => r2Score([1], [1])).toThrow(UndefinedMetricError);
    expect(() => meanSquaredError([1, NaN], [1, 2])).toThrow(/finite/);
  });
});
