import { checkSameLength } from './errors.ts';

/**
 * Class labels as scikit-learn's `unique_labels(y_true, y_pred)` finds them: the sorted union of the
 * values in both arrays. Each row is then replaced by the index of its label in that list, so the
 * counting metrics work on small integers.
 */
export interface EncodedLabels {
  /** Sorted union of the labels in y_true and y_pred. */
  labels: number[];
  trueIndex: Int32Array;
  predIndex: Int32Array;
}

/** Encodes y_true and y_pred against their sorted label union. Throws on NaN or infinite labels. */
export function encodeLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): EncodedLabels {
  checkSameLength('labels', yTrue, yPred);
  const n = yTrue.length;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (const y of [yTrue, yPred]) {
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (!Number.isFinite(v)) throw new RangeError(`class labels must be finite numbers, got ${v} at row ${i}.`);
      if (v < min) min = v;
      if (v > max) max = v;
      if (integers && !Number.isInteger(v)) integers = false;
    }
  }
  const trueIndex = new Int32Array(n);
  const predIndex = new Int32Array(n);
  if (integers && max - min <= 1 << 20) {
    // Small integer labels (the usual case): a direct table instead of a hash map.
    const seen = new Uint8Array(max - min + 1);
    for (let i = 0; i < n; i++) { seen[yTrue[i]! - min] = 1; seen[yPred[i]! - min] = 1; }
    const slot = new Int32Array(seen.length).fill(-1);
    const labels: number[] = [];
    for (let v = 0; v < seen.length; v++) if (seen[v]) { slot[v] = labels.length; labels.push(v + min); }
    for (let i = 0; i < n; i++) { trueIndex[i] = slot[yTrue[i]! - min]!; predIndex[i] = slot[yPred[i]! - min]!; }
    return { labels, trueIndex, predIndex };
  }
  const set = new Set<number>();
  for (let i = 0; i < n; i++) { set.add(yTrue[i]!); set.add(yPred[i]!); }
  const labels = [...set].sort((a, b) => a - b);
  const index = new Map(labels.map((l, k) => [l, k]));
  for (let i = 0; i < n; i++) { trueIndex[i] = index.get(yTrue[i]!)!; predIndex[i] = index.get(yPred[i]!)!; }
  return { labels, trueIndex, predIndex };
}
