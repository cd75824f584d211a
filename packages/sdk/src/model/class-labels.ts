import { InputError } from '../errors.ts';

export type ClassLabel = string | number;

/**
 * The class a classifier's label output value stands for. skl2onnx writes the class itself
 * (scikit-learn's `classes_`): strings stay as they are, numbers that are among numeric class labels
 * too; otherwise a number is the class index into `classLabels` (string labels over an int-encoded
 * target). The one rule of the server's /predict, batch scoring and the monitoring profile.
 */
export function classOfLabelValue(v: number | bigint | string, classLabels?: readonly ClassLabel[]): ClassLabel {
  if (typeof v === 'string') return v;
  const n = Number(v);
  if (!classLabels || classLabels.includes(n)) return n;
  return classLabels[n] ?? n;
}

/** The class of probability (or score) column `i`: `classLabels[i]`, or `i` itself without labels. */
export function classOfColumn(i: number, classLabels?: readonly ClassLabel[]): ClassLabel {
  return classLabels?.[i] ?? i;
}

/** True when `labels` are exactly 0, 1, …, K−1: an index encoding (a model trained on encoded classes). */
export function isIndexLabels(labels: readonly ClassLabel[]): boolean {
  return labels.every((l, i) => l === i);
}

function same(a: readonly ClassLabel[], b: readonly ClassLabel[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

function preview(labels: readonly ClassLabel[]): string {
  const shown = labels.slice(0, 8).map((l) => JSON.stringify(l)).join(', ');
  return `[${shown}${labels.length > 8 ? ', …' : ''}]`;
}

export interface ReconcileClassLabelsOptions {
  /** Who declares `declared`, for the error: "--class-labels", "the native model's classes_", "manifest.json classLabels". */
  declaredBy: string;
  /** The ONNX file, for the error. */
  modelPath: string;
  /**
   * Whether `declared` may name the classes of a model whose ONNX labels are the indices 0…K−1 (the user's
   * names for an encoded target). The native model's own `classes_` may not: they must equal the ONNX labels.
   */
  mayNameIndices: boolean;
  /** What to do, replacing the default advice. */
  hint?: string;
}

/**
 * The class labels, in probability-column order, that a classifier's outputs mean. The ONNX model's own
 * labels (model/onnx-proto.ts `classLabels`: the classifier node's classlabels_* attribute, i.e.
 * scikit-learn's `classes_`) win; another source may only agree with them, or (when `mayNameIndices`)
 * give names to index labels 0…K−1 of the same count. Anything else is the silent-wrong-label case (a
 * model trained on {1, 3, 7} packaged as [0, 1, 2]) and throws an InputError saying both lists.
 */
export function reconcileClassLabels(onnxLabels: readonly ClassLabel[] | null, declared: readonly ClassLabel[] | undefined, options: ReconcileClassLabelsOptions): ClassLabel[] | undefined {
  if (!onnxLabels) return declared ? [...declared] : undefined;
  if (!declared || same(declared, onnxLabels)) return [...onnxLabels];
  if (options.mayNameIndices && isIndexLabels(onnxLabels) && declared.length === onnxLabels.length) return [...declared];
  const hint = options.hint ?? (options.mayNameIndices
    ? `Drop the class labels (the model's own are used) or give exactly ${preview(onnxLabels)}.`
    : 'The ONNX file was not converted from this native model, or the converter changed the classes; convert again from the same model.');
  throw new InputError(`${options.declaredBy} says the classes are ${preview(declared)}, but ${options.modelPath} labels its probability columns ${preview(onnxLabels)} (its classifier's classlabels attribute). ${hint}`);
}
