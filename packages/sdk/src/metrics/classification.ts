import { checkSameLength, UndefinedMetricError } from './errors.ts';
import { encodeLabels } from './labels.ts';
import { numpySum } from './sum.ts';

/**
 * Counting metrics for classification, defined exactly as scikit-learn 1.x (`sklearn.metrics`) with
 * `zero_division=0`. Every function here works from a confusion matrix of counts, so the same code
 * serves plain evaluation and the bootstrap (where the counts are weighted by resampling).
 */

/**
 * Confusion matrix `C` as `sklearn.metrics.confusion_matrix(y_true, y_pred)`: `C[i][j]` is the number
 * of samples whose true label is `labels[i]` and predicted label is `labels[j]` (rows = true, columns
 * = predicted); `labels` is the sorted union of the labels in y_true and y_pred (`unique_labels`).
 */
export interface ConfusionMatrix {
  labels: number[];
  /** K×K counts, row-major: counts[i * K + j]. */
  counts: Float64Array;
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ConfusionMatrix {
  checkSameLength('confusion_matrix', yTrue, yPred);
  const { labels, trueIndex, predIndex } = encodeLabels(yTrue, yPred);
  return { labels, counts: confusionCounts(trueIndex, predIndex, labels.length) };
}

/** Confusion counts from label indices; `weights[i]` (default 1) is how often row i counts. */
export function confusionCounts(trueIndex: Int32Array, predIndex: Int32Array, k: number, weights?: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(k * k);
  const n = trueIndex.length;
  if (weights) for (let i = 0; i < n; i++) counts[trueIndex[i]! * k + predIndex[i]!] += weights[i]!;
  else for (let i = 0; i < n; i++) counts[trueIndex[i]! * k + predIndex[i]!]++;
  return counts;
}

/** The matrix as rows of numbers (for JSON). */
export function confusionRows(cm: ConfusionMatrix): number[][] {
  const k = cm.labels.length;
  return Array.from({ length: k }, (_, i) => Array.from(cm.counts.subarray(i * k, (i + 1) * k)));
}

function total(counts: Float64Array): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i]!;
  return s;
}

/**
 * Accuracy, `sklearn.metrics.accuracy_score`: the fraction of samples whose predicted label equals
 * the true label, trace(C) / n.
 */
export function accuracyFromCounts(counts: Float64Array, k: number): number {
  let diag = 0;
  for (let i = 0; i < k; i++) diag += counts[i * k + i]!;
  return diag / total(counts);
}

/**
 * Balanced accuracy, `sklearn.metrics.balanced_accuracy_score` (adjusted=False): the mean over classes
 * of recall C[i][i] / Σ_j C[i][j], taken over the classes that occur in y_true (sklearn drops the
 * classes present only in y_pred, with a warning).
 */
export function balancedAccuracyFromCounts(counts: Float64Array, k: number): number {
  const recalls: number[] = [];
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += counts[i * k + j]!;
    if (row > 0) recalls.push(counts[i * k + i]! / row);
  }
  return numpySum(recalls) / recalls.length;
}

/** Precision, recall, F1 and support of each class (`precision_recall_fscore_support(average=None)`). */
export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** Number of samples of each class in y_true. */
  support: number[];
}

/**
 * Per-class scores, `sklearn.metrics.precision_recall_fscore_support(average=None, zero_division=0)`:
 * with tp = C[k][k], predicted = Σ_i C[i][k], actual = Σ_j C[k][j]:
 * precision = tp / predicted, recall = tp / actual, f1 = 2·tp / (predicted + actual) (sklearn's
 * F-beta with beta = 1), each 0 when its denominator is 0.
 */
export function perClassFromCounts(counts: Float64Array, labels: number[]): PerClassScores {
  const k = labels.length;
  const out: PerClassScores = { labels: [...labels], precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < k; c++) {
    const tp = counts[c * k + c]!;
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < k; i++) { predicted += counts[i * k + c]!; actual += counts[c * k + i]!; }
    out.precision.push(predicted > 0 ? tp / predicted : 0);
    out.recall.push(actual > 0 ? tp / actual : 0);
    out.f1.push(predicted + actual > 0 ? (2 * tp) / (predicted + actual) : 0);
    out.support.push(actual);
  }
  return out;
}

/** Precision, recall and F1 under one averaging. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * `average='macro'`: the unweighted mean of the per-class scores over all labels (y_true ∪ y_pred),
 * summed the way numpy sums (numpySum) so the value is bit-identical to scikit-learn's.
 * Note that macro F1 is the mean of per-class F1, not the F1 of macro precision and recall.
 */
export function macroAverage(s: PerClassScores): AveragedScores {
  const mean = (xs: number[]) => numpySum(xs) / xs.length;
  return { precision: mean(s.precision), recall: mean(s.recall), f1: mean(s.f1) };
}

/** `average='weighted'`: per-class scores averaged with weights = support (true counts); 0 if no support. */
export function weightedAverage(s: PerClassScores): AveragedScores {
  const w = numpySum(s.support);
  const avg = (xs: number[]) => (w > 0 ? numpySum(xs.map((x, i) => x * s.support[i]!)) / w : 0);
  return { precision: avg(s.precision), recall: avg(s.recall), f1: avg(s.f1) };
}

/**
 * `average='micro'`: scores of the summed counts over all labels — precision = Σtp / Σpredicted,
 * recall = Σtp / Σactual, f1 = 2Σtp / (Σpredicted + Σactual). With every label included this equals
 * accuracy for all three.
 */
export function microAverage(counts: Float64Array, k: number): AveragedScores {
  let tp = 0;
  for (let i = 0; i < k; i++) tp += counts[i * k + i]!;
  const n = total(counts);
  const score = n > 0 ? tp / n : 0;
  return { precision: score, recall: score, f1: score };
}

/**
 * `average='binary'` with `pos_label=1`: the per-class scores of the label 1. As in scikit-learn, when
 * two labels are present and neither is 1 the scores are undefined (sklearn raises); when 1 is absent
 * but fewer than two labels are present, every count is 0 and so is every score (zero_division=0).
 */
export function binaryScores(s: PerClassScores, posLabel = 1): AveragedScores {
  const c = s.labels.indexOf(posLabel);
  if (c === -1) {
    if (s.labels.length >= 2) {
      throw new UndefinedMetricError('precision/recall/f1', `pos_label=${posLabel} is not one of the labels [${s.labels.join(', ')}]; binary scores need the positive class to be labelled 1.`);
    }
    return { precision: 0, recall: 0, f1: 0 };
  }
  return { precision: s.precision[c]!, recall: s.recall[c]!, f1: s.f1[c]! };
}
