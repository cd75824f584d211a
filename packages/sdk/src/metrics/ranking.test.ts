import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { seededRandom } from '../evaluate/bootstrap.ts';
import { UndefinedMetricError } from './errors.ts';
import { rocAuc, rocAucOvr } from './ranking.ts';

// Expected values come from scikit-learn 1.9 itself (python/ref_metrics.py arrays), run on the same
// seeded random arrays; the one literal (0.75) is the example in roc_auc_score's docstring.

function binaryCase(seed: number, n: number, levels: number, prevalence: number) {
  const r = seededRandom(seed);
  const yTrue: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = r() < prevalence ? 1 : 0;
    yTrue.push(y);
    // Few distinct score levels → many ties, between and within classes.
    score.push(Math.min(levels - 1, Math.floor((r() * 0.7 + y * 0.3) * levels)) / levels);
  }
  return { yTrue, score };
}

function multiclassCase(seed: number, n: number, k: number, levels: number) {
  const r = seededRandom(seed);
  const yTrue: number[] = [];
  const prob: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i < k ? i : Math.floor(r() * k);
    yTrue.push(y);
    const raw = Array.from({ length: k }, (_, j) => Math.round((r() + (j === y ? 0.6 : 0)) * levels) / levels + 1e-3);
    const s = raw.reduce((a, b) => a + b, 0);
    prob.push(...raw.map((v) => v / s));
  }
  return { yTrue, prob, k };
}

describe('rocAuc (binary) vs sklearn.metrics.roc_auc_score', () => {
  it('matches the docstring example', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('matches scikit-learn on random data with many tied scores (within 1e-12)', () => {
    const cases = [
      binaryCase(1, 50, 3, 0.5), binaryCase(2, 500, 5, 0.2), binaryCase(3, 5000, 10, 0.5),
      binaryCase(4, 2000, 2, 0.05), binaryCase(5, 1000, 1000, 0.5), binaryCase(6, 300, 1, 0.4),
    ];
    const ref = runPythonJson<{ values: number[] }>('ref_metrics.py', ['arrays'],
      JSON.stringify(cases.map((c) => ({ metric: 'roc_auc', y_true: c.yTrue, y_score: c.score }))));
    cases.forEach((c, i) => {
      expect(rocAuc(c.yTrue, c.score)).toBeCloseTo(ref.values[i]!, 12);
    });
    // All scores tied: the ROC curve is the diagonal.
    expect(rocAuc(cases[5]!.yTrue, cases[5]!.score)).toBe(0.5);
  });

  it('is undefined with one class in y_true, and rejects non-finite scores', () => {
    expect(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toThrow(UndefinedMetricError);
    expect(() => rocAuc([0, 1], [NaN, 0.2])).toThrow(/finite/);
  });
});

describe('rocAucOvr vs roc_auc_score(multi_class="ovr")', () => {
  it('matches macro and weighted averages on tied random probabilities (within 1e-12)', () => {
    const cases = [multiclassCase(11, 200, 3, 4), multiclassCase(12, 3000, 5, 10), multiclassCase(13, 100, 10, 3)];
    const specs = cases.flatMap((c) => ['roc_auc_ovr_macro', 'roc_auc_ovr_weighted'].map((metric) => {
      const rows = c.yTrue.map((_, i) => c.prob.slice(i * c.k, (i + 1) * c.k));
      return { metric, y_true: c.yTrue, y_prob: rows };
    }));
    const ref = runPythonJson<{ values: number[] }>('ref_metrics.py', ['arrays'], JSON.stringify(specs));
    cases.forEach((c, i) => {
      const r = rocAucOvr(c.yTrue, Float64Array.from(c.prob), c.k);
      expect(r.macro).toBeCloseTo(ref.values[2 * i]!, 12);
      expect(r.weighted).toBeCloseTo(ref.values[2 * i + 1]!, 12);
    });
  });

  it('leaves macro undefined when a class never occurs in y_true; rejects rows that are not probabilities', () => {
    const prob = Float64Array.from([0.5, 0.3, 0.1, 0.1, 0.2, 0.5, 0.2, 0.1, 0.1, 0.2, 0.6, 0.1, 0.6, 0.2, 0.1, 0.1]);
    const r = rocAucOvr([0, 1, 2, 0], prob, 4);
    expect(r.macro).toBeUndefined();
    expect(r.macroUndefinedReason).toMatch(/class 3/);
    expect(Number.isFinite(r.weighted)).toBe(true);
    expect(() => rocAucOvr([0, 1, 2], Float64Array.from([0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.1, 0.1, 0.8]), 3)).toThrow(/sums to/);
  });
});
