import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { bootstrapSamples, mainMetricFor, percentileInterval, seededRandom, weightedStatistic } from './bootstrap.ts';
import { computeMetrics } from './compute.ts';
import type { Predictions } from './interpret.ts';
import type { Task } from '../metrics/registry.ts';

// The weighted statistics must equal the metric computed on the materialised resample (the rows
// repeated as often as they were drawn), which computeMetrics — checked against scikit-learn in
// test/evaluate-model — computes independently.

function dataset(task: Task, n: number, seed: number): { y: Float64Array; pred: Predictions } {
  const r = seededRandom(seed);
  const y = new Float64Array(n);
  if (task === 'regression') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) { y[i] = r() * 100; values[i] = y[i]! + (r() - 0.5) * 30; }
    return { y, pred: { kind: 'regressor', values } };
  }
  const k = task === 'binary' ? 2 : 4;
  const labels = new Float64Array(n);
  const prob = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(r() * k);
    const row = Array.from({ length: k }, (_, j) => Math.round((r() + (j === y[i] ? 0.5 : 0)) * 4) / 4 + 0.01);
    const s = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => { prob[i * k + j] = v / s; });
    labels[i] = row.indexOf(Math.max(...row));
  }
  return { y, pred: { kind: 'classifier', labels, prob, k } };
}

function materialise(y: Float64Array, pred: Predictions, w: Uint16Array): { y: Float64Array; pred: Predictions } {
  const idx: number[] = [];
  w.forEach((c, i) => { for (let j = 0; j < c; j++) idx.push(i); });
  const yy = Float64Array.from(idx, (i) => y[i]!);
  if (pred.kind === 'regressor') return { y: yy, pred: { kind: 'regressor', values: Float64Array.from(idx, (i) => pred.values[i]!) } };
  const k = pred.k!;
  const prob = new Float64Array(idx.length * k);
  idx.forEach((i, r) => prob.set(pred.prob!.subarray(i * k, (i + 1) * k), r * k));
  return { y: yy, pred: { kind: 'classifier', labels: Float64Array.from(idx, (i) => pred.labels[i]!), prob, k } };
}

describe('weighted bootstrap statistics', () => {
  it.each([
    ['binary', 'roc_auc'], ['binary', 'f1'], ['binary', 'accuracy'], ['multiclass', 'f1_macro'], ['regression', 'rmse'],
  ] as Array<[Task, string]>)('%s %s equals the metric on the materialised resample', (task, metric) => {
    const { y, pred } = dataset(task, 300, 3);
    const full = computeMetrics(task, y, pred);
    const stat = weightedStatistic(metric, y, pred, full);
    expect(stat(new Uint16Array(300).fill(1))).toBeCloseTo(full.values[metric]!, 12);
    const r = seededRandom(8);
    for (let rep = 0; rep < 5; rep++) {
      const w = new Uint16Array(300);
      for (let i = 0; i < 300; i++) w[Math.floor(r() * 300)]++;
      const m = materialise(y, pred, w);
      const expected = computeMetrics(task, m.y, m.pred).values[metric]!;
      expect(stat(w)).toBeCloseTo(expected, 12);
    }
  });

  it('picks the documented main metric per task', () => {
    const b = dataset('binary', 50, 1);
    expect(mainMetricFor('binary', computeMetrics('binary', b.y, b.pred))).toBe('roc_auc');
    const noProb: Predictions = { kind: 'classifier', labels: (b.pred as { labels: Float64Array }).labels };
    expect(mainMetricFor('binary', computeMetrics('binary', b.y, noProb))).toBe('f1');
    expect(mainMetricFor('multiclass', computeMetrics('multiclass', b.y, noProb))).toBe('f1_macro');
    const g = dataset('regression', 50, 1);
    expect(mainMetricFor('regression', computeMetrics('regression', g.y, g.pred))).toBe('rmse');
  });
});

describe('bootstrapSamples and percentileInterval', () => {
  it('is reproducible for a seed and pairs statistics on the same resamples', () => {
    const { y, pred } = dataset('regression', 200, 4);
    const full = computeMetrics('regression', y, pred);
    const stat = weightedStatistic('rmse', y, pred, full);
    const [a, b] = bootstrapSamples(200, [stat, stat], { resamples: 50, seed: 9 });
    expect(Array.from(a!)).toEqual(Array.from(b!)); // same resamples → identical values: a paired difference of 0
    expect(Array.from(bootstrapSamples(200, [stat], { resamples: 50, seed: 9 })[0]!)).toEqual(Array.from(a!));
    expect(Array.from(bootstrapSamples(200, [stat], { resamples: 50, seed: 10 })[0]!)).not.toEqual(Array.from(a!));
    const ci = percentileInterval(a!);
    expect(ci.low).toBeLessThan(full.values.rmse!);
    expect(ci.high).toBeGreaterThan(full.values.rmse!);
  });

  it('takes quantiles as numpy.percentile (linear) does, skipping undefined resamples', () => {
    const r = seededRandom(2);
    const values = Array.from({ length: 997 }, () => r() * 10);
    const ref = runPythonJson<{ values: number[][] }>('ref_metrics.py', ['arrays'], JSON.stringify([
      { metric: 'np_percentile', values, q: [2.5, 97.5] }, { metric: 'np_percentile', values: values.slice(0, 10), q: [5, 95] },
    ]));
    const ci = percentileInterval(Float64Array.from([...values, NaN, NaN]));
    expect([ci.low, ci.high]).toEqual(ref.values[0]);
    expect(ci.resamples).toBe(997);
    const ci90 = percentileInterval(Float64Array.from(values.slice(0, 10)), 0.9);
    expect(ci90.low).toBeCloseTo(ref.values[1]![0]!, 14);
    expect(ci90.high).toBeCloseTo(ref.values[1]![1]!, 14);
  });
});

describe('paired bootstrap of a difference', () => {
  it('excludes 0 for a clearly better model and includes it for a model that differs on a few rows', () => {
    const { y, pred } = dataset('multiclass', 400, 12);
    const labels = (pred as { labels: Float64Array }).labels;
    const perfect: Predictions = { kind: 'classifier', labels: Float64Array.from(y) };
    const nearly: Predictions = { kind: 'classifier', labels: Float64Array.from(labels, (v, i) => (i < 3 ? y[i]! : v)) };
    const base = weightedStatistic('f1_macro', y, { kind: 'classifier', labels }, computeMetrics('multiclass', y, { kind: 'classifier', labels }));
    const better = weightedStatistic('f1_macro', y, perfect, computeMetrics('multiclass', y, perfect));
    const same = weightedStatistic('f1_macro', y, nearly, computeMetrics('multiclass', y, nearly));
    const [b, p, n] = bootstrapSamples(400, [base, better, same], { resamples: 300, seed: 1 });
    const dBetter = percentileInterval(p!.map((v, i) => v - b![i]!));
    const dSame = percentileInterval(n!.map((v, i) => v - b![i]!));
    expect(dBetter.low).toBeGreaterThan(0);
    expect(dSame.low).toBeLessThanOrEqual(0);
    expect(dSame.high).toBeGreaterThanOrEqual(0);
  });
});
