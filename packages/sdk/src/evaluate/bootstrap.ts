import { perClassFromCounts } from '../metrics/classification.ts';
import type { Task } from '../metrics/registry.ts';
import type { Logger } from '../log.ts';
import type { MetricsResult } from './compute.ts';
import type { Predictions } from './interpret.ts';

/**
 * Percentile bootstrap confidence intervals.
 *
 * Method (Efron's percentile bootstrap): draw B resamples of the n evaluation rows with replacement
 * (uniformly, seeded), compute the statistic on each, and report the (1−level)/2 and (1+level)/2
 * quantiles of the B values (numpy.percentile's default "linear" interpolation). Defaults: B = 1000
 * (fewer above 100k rows, see defaultResamples), seed = 42, level = 95%. A resample on which the statistic is undefined (e.g. ROC AUC with one class)
 * is skipped and the count of usable resamples is reported.
 *
 * Champion/challenger uses the *paired* bootstrap: both models are scored on the same resampled rows,
 * and the interval of the difference (challenger − champion) comes from the per-resample differences.
 * If that interval excludes 0 the difference is called real (significant at the stated level).
 *
 * A resample is represented by how many times each row was drawn (a weight vector), and every
 * statistic below computes the metric of the resampled data from those weights in O(n) — the same
 * value as materialising the resample and calling scikit-learn on it.
 *
 * Random numbers: sfc32 seeded through splitmix32 (the generator of scripts/gen-tabular.mjs), so a
 * seed gives the same intervals on every machine; the stream is not numpy's.
 */

/** Metric value of the resample described by `weights` (row i drawn weights[i] times, 16-bit counts); NaN if undefined. */
export type WeightedStatistic = (weights: Uint16Array) => number;

/**
 * The main metric summarises a model in one number, the one the bootstrap and the action output use:
 * binary → roc_auc (threshold-free) when the model gives probabilities, else f1 (pos_label = the positive class: the model's classes_[1] or --pos-label);
 * multiclass → f1_macro (every class counts equally); regression → rmse (in the target's units).
 */
export function mainMetricFor(task: Task, metrics: MetricsResult): string {
  if (task === 'regression') return 'rmse';
  if (task === 'multiclass') return 'f1_macro';
  if (metrics.values.roc_auc !== undefined) return 'roc_auc';
  return metrics.values.f1 !== undefined ? 'f1' : 'accuracy';
}

/** The weighted form of `metric` (one of the possible main metrics) for these predictions. */
export function weightedStatistic(metric: string, yTrue: Float64Array, pred: Predictions, metrics: MetricsResult): WeightedStatistic {
  const n = yTrue.length;
  if (metric === 'rmse') {
    if (pred.kind !== 'regressor') throw new Error('rmse needs a regressor');
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) sq[i] = (yTrue[i]! - pred.values[i]!) ** 2;
    return (w) => {
      let s = 0;
      let t = 0;
      for (let i = 0; i < n; i++) { s += w[i]! * sq[i]!; t += w[i]!; }
      return Math.sqrt(s / t);
    };
  }
  if (pred.kind !== 'classifier') throw new Error(`${metric} needs a classifier`);
  if (metric === 'accuracy') {
    return (w) => {
      let c = 0;
      let t = 0;
      for (let i = 0; i < n; i++) { if (yTrue[i] === pred.labels[i]) c += w[i]!; t += w[i]!; }
      return c / t;
    };
  }
  if (metric === 'f1') {
    const pos = metrics.positive ?? 1;
    return (w) => {
      let tp = 0;
      let predicted = 0;
      let actual = 0;
      for (let i = 0; i < n; i++) {
        const t = yTrue[i] === pos;
        const p = pred.labels[i] === pos;
        if (t) actual += w[i]!;
        if (p) predicted += w[i]!;
        if (t && p) tp += w[i]!;
      }
      return predicted + actual > 0 ? (2 * tp) / (predicted + actual) : 0;
    };
  }
  if (metric === 'f1_macro') {
    const labels = metrics.confusion!.labels;
    const k = labels.length;
    const index = new Map(labels.map((l, j) => [l, j]));
    const ti = Int32Array.from(yTrue, (v) => index.get(v)!);
    const pi = Int32Array.from(pred.labels, (v) => index.get(v)!);
    return (w) => {
      const counts = new Float64Array(k * k);
      for (let i = 0; i < n; i++) counts[ti[i]! * k + pi[i]!] += w[i]!;
      // sklearn's macro average runs over the labels present in the resample (y_true ∪ y_pred).
      const s = perClassFromCounts(counts, labels);
      let sum = 0;
      let present = 0;
      for (let c = 0; c < k; c++) {
        let predicted = 0;
        for (let r = 0; r < k; r++) predicted += counts[r * k + c]!;
        if (s.support[c]! > 0 || predicted > 0) { sum += s.f1[c]!; present++; }
      }
      return sum / present;
    };
  }
  if (metric === 'roc_auc') {
    if (!pred.prob || !metrics.trueColumn) throw new Error('roc_auc needs probabilities');
    const pc = metrics.positiveColumn ?? 1;
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = pred.prob[2 * i + pc]!;
    return weightedRocAuc(metrics.trueColumn, score, pc);
  }
  throw new Error(`no bootstrap statistic for ${metric}`);
}

/**
 * ROC AUC of a weighted resample: the rows are put in ascending score order once; each resample then
 * walks that order, summing the weights of positives and negatives per group of tied scores, and
 * applies the Mann–Whitney formula of metrics/ranking.ts with ties counted one half. One sequential
 * pass per resample, no per-group arrays to clear.
 */
function weightedRocAuc(trueColumn: Int32Array, score: Float64Array, positiveColumn = 1): WeightedStatistic {
  const n = score.length;
  // Distinct scores (native numeric sort), each row's group by binary search, then a counting sort
  // of the rows by group — O(n log n) without a comparator sort of a million indices.
  const distinct = Float64Array.from(score).sort();
  let last = 0;
  for (let i = 1; i < n; i++) if (distinct[i] !== distinct[last]) distinct[++last] = distinct[i]!;
  const groups = last + 1;
  const groupStart = new Int32Array(groups + 1);
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = groups - 1;
    const v = score[i]!;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (distinct[mid]! < v) lo = mid + 1; else hi = mid; }
    groupOf[i] = lo;
    groupStart[lo + 1]!++;
  }
  for (let g = 0; g < groups; g++) groupStart[g + 1]! += groupStart[g]!;
  const fill = groupStart.slice(0, groups);
  const order = new Int32Array(n);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = fill[groupOf[i]!]!++;
    order[j] = i;
    positive[j] = trueColumn[i] === positiveColumn ? 1 : 0;
  }
  return (w) => {
    let below = 0;
    let twice = 0;
    let p = 0;
    for (let g = 0; g < groups; g++) {
      let gp = 0;
      let gn = 0;
      const end = groupStart[g + 1]!;
      for (let j = groupStart[g]!; j < end; j++) {
        const wi = w[order[j]!]!;
        if (positive[j]) gp += wi;
        else gn += wi;
      }
      twice += gp * (2 * below + gn);
      below += gn;
      p += gp;
    }
    return p === 0 || below === 0 ? NaN : twice / 2 / (p * below);
  };
}

/**
 * A small, fast, seedable generator: sfc32 seeded by splitmix32. Returns uniform floats in [0, 1).
 * The state lives in an Int32Array so that updates stay unboxed 32-bit integers (a closure over
 * plain `let` numbers boxes every value ≥ 2^31 and runs ~10× slower).
 */
export function seededRandom(seed: number): () => number {
  const st = new Int32Array(5);
  st[4] = seed | 0;
  const split = (): number => {
    st[4] = (st[4]! + 0x9e3779b9) | 0;
    let z = st[4]!;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  };
  st[0] = split();
  st[1] = split();
  st[2] = split();
  st[3] = split();
  const next = (): number => {
    const a = st[0]!;
    const b = st[1]!;
    const c = st[2]!;
    const d = st[3]!;
    const t = (((a + b) | 0) + d) | 0;
    st[3] = (d + 1) | 0;
    st[0] = b ^ (b >>> 9);
    st[1] = (c + (c << 3)) | 0;
    st[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return () => (next() >>> 0) / 4294967296;
}

/**
 * Default number of resamples: 1000, lowered for large test sets so that n·B stays near 10^8 row
 * draws (a few seconds), but never below 200: 1M rows → 200 resamples. At that size the interval is
 * narrow and its ends move by well under its width between B = 200 and 1000.
 */
export function defaultResamples(n: number): number {
  return Math.max(200, Math.min(1000, Math.floor(1e8 / Math.max(1, n))));
}

export interface BootstrapOptions {
  /** Number of resamples B (default: defaultResamples(n), 1000 up to 100k rows). */
  resamples?: number;
  /** Seed of the resampling (default 42). */
  seed?: number;
  logger?: Logger;
}

/**
 * Draws B resamples of n rows and evaluates every statistic on each (the same resamples for all, so
 * statistics of two models are paired). Returns one Float64Array of B values per statistic.
 */
export function bootstrapSamples(n: number, statistics: WeightedStatistic[], options: BootstrapOptions = {}): Float64Array[] {
  const b = options.resamples ?? defaultResamples(n);
  const rand = seededRandom(options.seed ?? 42);
  const weights = new Uint16Array(n);
  const out = statistics.map(() => new Float64Array(b));
  for (let r = 0; r < b; r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) {
      const row = Math.floor(rand() * n);
      // 16-bit counts keep the weight vector small enough for the cache; a row drawn 65536 times
      // (impossible below 65536 rows, probability < 1e-300000 above) would wrap, so it is checked.
      if (++weights[row]! === 0) throw new Error('bootstrap: a row was drawn 65536 times in one resample');
    }
    for (let s = 0; s < statistics.length; s++) out[s]![r] = statistics[s]!(weights);
    // Progress only for long runs (a million draws per resample or more in total ≥ 1e7).
    if (n * b >= 1e7 && ((r + 1) % 50 === 0 || r + 1 === b)) options.logger?.progress?.('bootstrap', r + 1, b);
  }
  return out;
}

/** A confidence interval from bootstrap values. */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  /** Resamples on which the statistic was defined. */
  resamples: number;
}

/** Percentile interval of `values` (NaN skipped), numpy.percentile's linear interpolation. */
export function percentileInterval(values: Float64Array, level = 0.95): ConfidenceInterval {
  const v = values.filter((x) => !Number.isNaN(x)).sort();
  if (v.length === 0) return { low: NaN, high: NaN, level, resamples: 0 };
  // numpy: virtual index h = (q / 100)·(m − 1) with q the percentile as given (2.5, 97.5), then
  // numpy's _lerp, which interpolates from the upper neighbour when the fraction is ≥ 0.5.
  const q = (percent: number) => {
    const h = (percent / 100) * (v.length - 1);
    const lo = Math.floor(h);
    if (lo + 1 >= v.length) return v[v.length - 1]!;
    const t = h - lo;
    const a = v[lo]!;
    const b = v[lo + 1]!;
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  };
  const tail = Number((50 * (1 - level)).toFixed(10)); // 2.5 for 95%, exactly as a user would type it
  return { low: q(tail), high: q(100 - tail), level, resamples: v.length };
}
