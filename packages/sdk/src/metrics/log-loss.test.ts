import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { seededRandom } from '../evaluate/bootstrap.ts';
import { FLOAT64_EPS, logLoss } from './log-loss.ts';

// Expected values: scikit-learn 1.9's log_loss (python/ref_metrics.py arrays) after the documented
// clip-and-renormalise step; the literal 0.21616 is log_loss's docstring example.

describe('logLoss vs sklearn.metrics.log_loss', () => {
  it('matches the docstring example', () => {
    const v = logLoss([1, 0, 0, 1], Float64Array.from([0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65]), 2);
    expect(v).toBeCloseTo(0.21616, 5);
  });

  it('matches scikit-learn with near-zero, zero and one probabilities (within 1e-12 relative)', () => {
    const r = seededRandom(7);
    const cases: Array<{ y: number[]; prob: number[][] }> = [];
    for (const [n, k] of [[200, 2], [500, 3], [100, 10]] as const) {
      const y: number[] = [];
      const prob: number[][] = [];
      for (let i = 0; i < n; i++) {
        const t = i < k ? i : Math.floor(r() * k);
        y.push(t);
        const u = r();
        // A third of the rows put (almost) no mass on the true class: 0, 1e-300, 1e-20, eps/3, 1e-12.
        const tiny = [0, 1e-300, 1e-20, FLOAT64_EPS / 3, 1e-12][Math.floor(r() * 5)]!;
        const row = Array.from({ length: k }, () => r());
        if (u < 0.33) row[t] = 0;
        const s = row.reduce((a, b) => a + b, 0);
        const p = row.map((v) => v / s);
        if (u < 0.33) p[t] = tiny;
        if (u > 0.9) { p.fill(0); p[t] = 1; } // certain and right: clipped to 1 − eps
        prob.push(p);
      }
      cases.push({ y, prob });
    }
    const ref = runPythonJson<{ values: number[] }>('ref_metrics.py', ['arrays'],
      JSON.stringify(cases.map((c) => ({ metric: 'log_loss', y_true: c.y, y_prob: c.prob }))));
    cases.forEach((c, i) => {
      const v = logLoss(c.y, Float64Array.from(c.prob.flat()), c.prob[0]!.length);
      expect(Math.abs(v - ref.values[i]!) / ref.values[i]!).toBeLessThan(1e-12);
    });
  });

  it('clips a zero probability of the true class to eps: the loss is −ln(eps) = 36.04', () => {
    expect(logLoss([0], Float64Array.from([0, 1]), 2)).toBeCloseTo(-Math.log(FLOAT64_EPS / (FLOAT64_EPS + 1 - FLOAT64_EPS)), 12);
  });

  it('refuses probabilities outside [0, 1] beyond float32 rounding and labels without a column', () => {
    expect(() => logLoss([0], Float64Array.from([1.5, -0.5]), 2)).toThrow(/\[0, 1\]/);
    expect(() => logLoss([2], Float64Array.from([0.5, 0.5]), 2)).toThrow(/outside the 2 probability columns/);
    expect(logLoss([0], Float64Array.from([1.0000001, 0]), 2)).toBeGreaterThan(0);
  });
});
