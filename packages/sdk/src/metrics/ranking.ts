import { sortFloat64 } from '../util/sort-float64.ts';
import { checkSameLength, UndefinedMetricError } from './errors.ts';

/**
 * Area under the ROC curve for a binary problem, `sklearn.metrics.roc_auc_score(y_true, y_score)`:
 * scikit-learn builds the ROC curve with one point per distinct score (tied scores move the true and
 * false positive counts together, a diagonal step) and integrates it with the trapezoidal rule. That
 * area equals the Mann–Whitney statistic with ties counted as one half:
 *
 *   AUC = Σ_{p ∈ positives} ( #{negatives with score < s_p} + ½ · #{negatives with score = s_p} ) / (P · N)
 *
 * which is what we compute, from the two sorted score lists (a radix sort, util/sort-float64.ts), with exact integer counts.
 * `positive[i]` is 1 for the positive class (0 otherwise). Undefined (UndefinedMetricError, sklearn: a warning and
 * nan) when y_true holds only one class. Scores must be finite (sklearn rejects NaN and infinity).
 */
export function rocAuc(positive: ArrayLike<number>, score: ArrayLike<number>, metric = 'roc_auc'): number {
  checkSameLength(metric, positive, score, 'y_score');
  return aucOfStrided(positive, 1, score, 1, 0, metric);
}

/**
 * rocAuc of (trueClass[i] === c) against column c of the row-major [n, k] matrix `prob`, without
 * building the 0/1 and score arrays first: the same positives, negatives and sorts, so the same value.
 */
export function rocAucOfColumn(trueClass: ArrayLike<number>, c: number, prob: Float64Array, k: number, metric = 'roc_auc'): number {
  if (prob.length !== trueClass.length * k) throw new RangeError(`${metric}: y_score has ${prob.length} values, expected ${trueClass.length} rows × ${k} columns.`);
  return aucOfStrided(trueClass, c, prob, k, c, metric);
}

/** The AUC of (label[i] === positive) against scores[i · stride + offset]: rocAuc's definition, one pass to count, one to split. */
function aucOfStrided(label: ArrayLike<number>, positive: number, scores: ArrayLike<number>, stride: number, offset: number, metric: string): number {
  const n = label.length;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[i * stride + offset]!;
    if (!Number.isFinite(v)) throw new RangeError(`${metric}: y_score has ${v} at row ${i}; scores must be finite.`);
    if (label[i] === positive) p++;
  }
  if (p === 0 || p === n) throw new UndefinedMetricError(metric, 'only one class is present in y_true, so ROC AUC is not defined.');
  const pos = new Float64Array(p);
  const neg = new Float64Array(n - p);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (label[i] === positive) pos[a++] = scores[i * stride + offset]!;
    else neg[b++] = scores[i * stride + offset]!;
  }
  sortFloat64(pos);
  sortFloat64(neg);
  return aucOfSorted(pos, neg);
}

/** The Mann–Whitney AUC of ascending positive and negative score lists (ties count one half). */
export function aucOfSorted(pos: Float64Array, neg: Float64Array): number {
  let below = 0; // negatives with a score strictly below the current positive group
  let twiceSum = 0; // Σ over positives of (2·below + equal): an integer, exact up to 2^53
  let i = 0;
  while (i < pos.length) {
    const s = pos[i]!;
    while (below < neg.length && neg[below]! < s) below++;
    let equalEnd = below;
    while (equalEnd < neg.length && neg[equalEnd] === s) equalEnd++;
    let groupEnd = i + 1;
    while (groupEnd < pos.length && pos[groupEnd] === s) groupEnd++;
    twiceSum += (groupEnd - i) * (2 * below + (equalEnd - below));
    i = groupEnd;
  }
  return twiceSum / 2 / (pos.length * neg.length);
}

export interface RocAucOvrResult {
  /** `roc_auc_score(..., multi_class='ovr', average='macro')`; undefined when a class has no positives. */
  macro: number | undefined;
  /** `average='weighted'`: weights = number of true samples of each class. */
  weighted: number;
  /** One-vs-rest AUC of each class (undefined where y_true has no sample of that class). */
  perClass: Array<number | undefined>;
  /** Why macro is undefined, when it is. */
  macroUndefinedReason?: string;
}

/**
 * One-vs-rest multiclass ROC AUC, `sklearn.metrics.roc_auc_score(y_true, y_prob, multi_class='ovr',
 * labels=[0, …, K-1])`: for each class c the binary AUC of (y_true == c) against column c of the
 * probabilities; `macro` is their plain mean, `weighted` their mean weighted by the class prevalence in
 * y_true. As in scikit-learn: every row of y_prob must sum to 1 (np.allclose: |1 − Σ| ≤ 1e-8 + 1e-5·|Σ|),
 * y_true must hold more than two classes (with two, sklearn takes its binary path), a class absent from
 * y_true makes its AUC nan, so `macro` is undefined, and gets weight 0 in `weighted`.
 *
 * `trueClass[i]` is the column index of row i's true class; `prob` is row-major [n, k].
 */
export function rocAucOvr(trueClass: ArrayLike<number>, prob: Float64Array, k: number): RocAucOvrResult {
  const n = trueClass.length;
  if (prob.length !== n * k) throw new RangeError(`roc_auc_ovr: y_prob has ${prob.length} values, expected ${n} rows × ${k} columns.`);
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = trueClass[i]!;
    if (!(c >= 0 && c < k)) throw new UndefinedMetricError('roc_auc_ovr', `y_true has a label outside the ${k} probability columns (row ${i}).`);
    support[c]!++;
    let s = 0;
    for (let j = 0; j < k; j++) s += prob[i * k + j]!;
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
      throw new UndefinedMetricError('roc_auc_ovr', `target scores must be probabilities: row ${i} sums to ${s}, not 1.`);
    }
  }
  const present = support.reduce((a, s) => a + (s > 0 ? 1 : 0), 0);
  if (present <= 2) throw new UndefinedMetricError('roc_auc_ovr', `y_true holds ${present} class${present === 1 ? '' : 'es'}; one-vs-rest multiclass ROC AUC needs at least 3 (scikit-learn treats 2 as binary).`);
  const perClass: Array<number | undefined> = [];
  let weighted = 0;
  for (let c = 0; c < k; c++) {
    if (support[c] === 0) { perClass.push(undefined); continue; }
    const auc = rocAucOfColumn(trueClass, c, prob, k, 'roc_auc_ovr');
    perClass.push(auc);
    weighted += auc * support[c]!;
  }
  weighted /= n;
  const missing = perClass.map((a, c) => (a === undefined ? c : -1)).filter((c) => c >= 0);
  if (missing.length) {
    return { macro: undefined, weighted, perClass, macroUndefinedReason: `class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} never occur${missing.length > 1 ? '' : 's'} in y_true, so ${missing.length > 1 ? 'their' : 'its'} one-vs-rest AUC is undefined (scikit-learn returns nan).` };
  }
  return { macro: perClass.reduce<number>((a, b) => a + b!, 0) / k, weighted, perClass };
}
