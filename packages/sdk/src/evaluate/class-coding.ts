import { InputError, opt } from '../errors.ts';
import { classOfLabelValue, type ClassLabel } from '../model/class-labels.ts';
import { int64ToNumbers } from '../model/int64.ts';
import type { EncodedLabels } from '../metrics/labels.ts';

/**
 * numpy.unique's order of class labels, the order scikit-learn's `unique_labels` gives the confusion
 * matrix and the per-class scores: numbers numerically, strings by code point (compared as UTF-16 code
 * units, which is code-point order for the Basic Multilingual Plane — every practical label).
 */
export function compareClassLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A classifier's labels as the integer codes the metric functions count. Every class that occurs — in
 * the target, among the model's classes, in the predictions — gets the code of its rank in numpy.unique
 * order, so any subset the metrics see (sklearn's `labels = np.unique(y_true ∪ y_pred)`) is in
 * scikit-learn's order, and `names[code]` is the class for the report.
 */
export interface ClassCoding {
  names: ClassLabel[];
  /** y_true and y_pred as codes. */
  yTrue: Float64Array;
  yPred: Float64Array;
  /** The code of each probability column's class (the model's classes in its own order), when known. */
  columns?: number[];
  /**
   * The model's classes in its own order (ONNX classlabels_*, a package's class labels, or 0…K−1 for an
   * argmax-only model); undefined when the model says nothing (then the sorted labels seen stand in).
   */
  modelClasses?: ClassLabel[];
  /** Target labels that are not among the model's classes (in np.unique order). */
  unknown: ClassLabel[];
  /** How many labels y_true ∪ y_pred hold (the model's classes not counted). */
  observed: number;
  /** encodeLabels(yTrue, yPred), made with the codes (computeMetrics takes it instead of encoding again). */
  encoded: EncodedLabels;
}

export interface CodeClassesInput {
  /** The target cells: numbers, or text (read as text when the model's classes are strings). */
  target: ArrayLike<number> | readonly string[];
  /** The label output's values, one per row; or, without a label output, each row's argmax column. */
  predicted: ArrayLike<number | bigint | string>;
  /** Whether `predicted` holds argmax columns (indices into `modelClasses`) rather than label values. */
  argmax: boolean;
  modelClasses?: readonly ClassLabel[];
  /** For messages. */
  modelPath: string;
  dataPath: string;
  targetName: string;
}

function preview(labels: readonly ClassLabel[]): string {
  const shown = labels.slice(0, 8).map((l) => JSON.stringify(l)).join(', ');
  return `{${shown}${labels.length > 8 ? `, … (${labels.length})` : ''}}`;
}

/**
 * Codes the target and the predictions against one label set (see ClassCoding). The target is compared
 * with the model's classes in the model's type: string classes take the target as text ('1', '10', '2'
 * stay strings); integer classes need a numeric target of whole numbers. A target none of whose labels
 * is a model class is an InputError naming both sets; some unknown labels are kept (scikit-learn counts
 * them over the union) and returned in `unknown` for the caller's warning.
 */
/** Labels 0…SMALL−1 that are whole numbers are looked up in a table, not a Map (codeClasses). */
const SMALL = 256;

export function codeClasses(input: CodeClassesInput): ClassCoding {
  const { modelClasses, modelPath, dataPath, targetName } = input;
  const n = input.target.length;
  const stringClasses = modelClasses?.some((c) => typeof c === 'string') ?? false;
  const targetIsText = n > 0 && typeof input.target[0] === 'string';
  // Each row's label as an id into `distinct` (first-seen order), looked up only when the value
  // changes from the row before: a million rows cost a million comparisons, not a million Set and Map
  // operations. The ids become np.unique codes once the distinct labels are sorted.
  const distinct: ClassLabel[] = [];
  const idOf = new Map<ClassLabel, number>();
  const labelId = (l: ClassLabel) => {
    let id = idOf.get(l);
    if (id === undefined) { id = distinct.length; distinct.push(l); idOf.set(l, id); }
    return id;
  };
  const trueIds = new Int32Array(n);
  if (targetIsText && modelClasses && !stringClasses) {
    const sample = [...new Set(input.target as readonly string[])].sort(compareClassLabels);
    throw new InputError(`${dataPath}: the target column "${targetName}" holds text (${preview(sample)}), but ${modelPath}'s classes are the numbers ${preview(modelClasses)}. Is ${opt('target')} the column this model was trained on? A model trained on index-encoded classes names them with ${opt('class-labels')} when it is packaged (mlship serialize): evaluate the package's model.onnx then.`);
  }
  // Small whole-number labels (0…255, the usual class ids) also skip the Map: their ids in a table.
  const smallTarget = new Int32Array(SMALL).fill(-1);
  let last: unknown;
  let lastId = -1;
  const numericTarget = !stringClasses && ArrayBuffer.isView(input.target) ? input.target as Float64Array : undefined;
  for (let i = 0; i < n; i++) {
    if (numericTarget) {
      // The usual case, a class id already in the table: one typed-array read, no comparison with the row before.
      const v = numericTarget[i]!;
      const s = v | 0;
      const id = s === v && s >= 0 && s < SMALL ? smallTarget[s]! : -1;
      if (id >= 0) { trueIds[i] = id; continue; }
    }
    const v = input.target[i]!;
    if (v !== last || i === 0) {
      const small = !stringClasses && typeof v === 'number' && v >= 0 && v < SMALL && (v | 0) === v;
      if (small && smallTarget[v]! >= 0) lastId = smallTarget[v]!;
      else {
        if (!stringClasses && typeof v === 'number' && !Number.isInteger(v)) {
          throw new InputError(`${dataPath}: the target has ${v} in data row ${i + 1}, but ${modelPath} is a classifier, which needs integer class ids. Is this a regression target for another model, or is ${opt('target')} naming the wrong column?`);
        }
        lastId = labelId(stringClasses ? String(v) : v);
        if (small) smallTarget[v as number] = lastId;
      }
      last = v;
    }
    trueIds[i] = lastId;
  }
  const targetIds = distinct.length;
  // Predictions: each distinct raw value (label output value or argmax column) mapped once.
  const predIds = new Int32Array(n);
  // int64 labels as numbers, read without a BigInt per row (the same classes: a label's class depends on Number(v) only).
  const predicted = input.predicted instanceof BigInt64Array ? int64ToNumbers(input.predicted) : input.predicted;
  const rawId = new Map<number | bigint | string, number>();
  // The same table for small whole-number raw values (label ids, argmax columns); others through the Map.
  const smallRaw = new Int32Array(SMALL).fill(-1);
  last = undefined;
  const numericPredicted = ArrayBuffer.isView(predicted) ? predicted as Float64Array : undefined;
  for (let i = 0; i < n; i++) {
    if (numericPredicted) {
      const v = numericPredicted[i]!;
      const s = v | 0;
      const id = s === v && s >= 0 && s < SMALL ? smallRaw[s]! : -1;
      if (id >= 0) { predIds[i] = id; continue; }
    }
    const v = predicted[i]!;
    if (v !== last || i === 0) {
      const slot = typeof v === 'number' && v >= 0 && v < SMALL && (v | 0) === v ? v : -1;
      let id = slot >= 0 ? smallRaw[slot]! : -1;
      if (id < 0) {
        id = rawId.get(v) ?? -1;
        if (id < 0) {
          id = labelId(input.argmax ? (modelClasses?.[Number(v)] ?? Number(v)) : classOfLabelValue(v, modelClasses));
          rawId.set(v, id);
        }
        if (slot >= 0) smallRaw[slot] = id;
      }
      lastId = id;
      last = v;
    }
    predIds[i] = lastId;
  }
  const observed = distinct.length;
  const targetSet = distinct.slice(0, targetIds).sort(compareClassLabels);
  let unknown: ClassLabel[] = [];
  if (modelClasses) {
    const known = new Set<ClassLabel>(modelClasses);
    unknown = targetSet.filter((l) => !known.has(l));
    if (n > 0 && unknown.length === targetSet.length) {
      const hint = stringClasses && targetSet.some((l) => modelClasses.some((c) => String(c).toLowerCase() === String(l).toLowerCase()))
        ? ' They differ in case only: fix the CSV\'s labels (or the training labels).'
        : ' Check the case and the encoding of the labels, and that the CSV is the one this model was trained for.';
      throw new InputError(`${dataPath}: none of the target labels ${preview(targetSet)} (column "${targetName}") is among ${modelPath}'s classes ${preview(modelClasses)}, so every prediction would count as wrong.${hint}`);
    }
    for (const c of modelClasses) labelId(c);
  }
  // np.unique order of y_true ∪ y_pred (∪ the model's classes): each first-seen id's code.
  const names = [...distinct].sort(compareClassLabels);
  const code = new Map(names.map((l, i) => [l, i]));
  const codeOfId = Float64Array.from(distinct, (l) => code.get(l)!);
  // metrics/labels.ts encodeLabels(yTrue, yPred) in the same pass: the sorted codes that occur (ids
  // 0…observed−1 are the labels seen in rows; later ones are model classes only) and each row's index among them.
  const seenCodes = Array.from(codeOfId.subarray(0, observed)).sort((a, b) => a - b);
  const indexOfCode = new Map(seenCodes.map((c, i) => [c, i]));
  const indexOfId = Int32Array.from(codeOfId.subarray(0, observed), (c) => indexOfCode.get(c)!);
  const yTrue = new Float64Array(n);
  const yPred = new Float64Array(n);
  const trueIndex = new Int32Array(n);
  const predIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = trueIds[i]!;
    const p = predIds[i]!;
    yTrue[i] = codeOfId[t]!;
    yPred[i] = codeOfId[p]!;
    trueIndex[i] = indexOfId[t]!;
    predIndex[i] = indexOfId[p]!;
  }
  return {
    names, yTrue, yPred, encoded: { labels: seenCodes, trueIndex, predIndex },
    ...(modelClasses ? { columns: modelClasses.map((c) => code.get(c)!), modelClasses: [...modelClasses] } : {}),
    unknown, observed,
  };
}

/**
 * The binary positive class: `posLabel` (--pos-label, matched against the classes' text) or else the
 * model's second class in its own order (scikit-learn's classes_[1], the column predict_proba[:, 1]
 * and roc_auc use), independent of which classes the test set holds. Without model classes, the
 * second of the labels seen (y_true ∪ y_pred in np.unique order). Returns the class and its code.
 */
export function positiveClass(coding: ClassCoding, posLabel: string | undefined, modelPath: string): { label: ClassLabel; code: number } {
  const classes = coding.modelClasses ?? coding.names;
  if (posLabel !== undefined) {
    const label = classes.find((c) => String(c) === posLabel);
    if (label === undefined) throw new InputError(`${opt('pos-label')} "${posLabel}" is not one of ${modelPath}'s classes [${classes.map((c) => JSON.stringify(c)).join(', ')}].`);
    return { label, code: coding.names.indexOf(label) };
  }
  const label = classes[1] ?? classes[0]!;
  return { label, code: coding.names.indexOf(label) };
}
