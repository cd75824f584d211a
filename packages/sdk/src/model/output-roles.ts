import { InputError, opt } from '../errors.ts';
import type { OutputTensor } from './onnx-model.ts';
import { describeTensor, type TensorSpec } from './signature.ts';

export type ModelTask = 'classification' | 'regression';

/**
 * Which output carries what, so servers and smoke tests need not guess from names. Each is an output
 * name from `signature.outputs`, or absent.
 */
export interface OutputRoles {
  /** Predicted class per row (int64 or string tensor, shape [N] or [N, 1]). */
  label?: string;
  /**
   * Class probabilities [N, K]; column j is `classLabels[j]`. A single column [N, 1] (or [N]) is a
   * binary classifier's p(class 1): the classes are [0, 1] and the label is 1 when p > 0.5.
   */
  probabilities?: string;
  /** Raw class scores (logits) [N, K] when there are no probabilities; the class is the argmax. */
  scores?: string;
  /** Regression values [N] or [N, T]. */
  value?: string;
}

export interface OutputRolesResult {
  task: ModelTask;
  roles: OutputRoles;
  /** The number of classes the probabilities/scores output has, when fixed (2 for a single p(class 1) column). */
  classCount?: number;
  warnings: string[];
}

export interface InferOutputRolesOptions {
  /** The task when the caller knows it (--task, a converter's report); else inferred. */
  task?: ModelTask;
  /** For messages. */
  modelPath?: string;
  /** Roles a converter reported (it called predict / predict_proba / decision_function). */
  known?: Record<string, keyof OutputRoles>;
  /**
   * Outputs of the model on some rows (serialize's sample, the server's warm-up row, evaluate's data):
   * a scores matrix whose every row lies in [0, 1] and sums to 1 is probabilities (a torch softmax
   * exported as `output`); a single p(class 1) column with a value outside [0, 1] is no probability.
   */
  sample?: Record<string, OutputTensor>;
  /** `--task binary` on a model with one number per row: that number is p(class 1) (it must lie in [0, 1]). */
  binaryValue?: boolean;
}

const LABEL_TYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64', 'string', 'bool']);
const isFloat = (o: TensorSpec) => o.isTensor && (o.type.startsWith('float') || o.type === 'double');
const isScalarPerRow = (o: TensorSpec) => o.shape.length === 1 || (o.shape.length === 2 && o.shape[1] === 1);
/** A float [N, K] matrix with K ≥ 2 (or K dynamic). */
const isMatrix = (o: TensorSpec) => isFloat(o) && o.shape.length === 2 && !(typeof o.shape[1] === 'number' && o.shape[1] < 2);

/**
 * The one output-role rule of serialize, evaluate and the server: which output is what, from the
 * signature as the exporters name outputs (skl2onnx, onnxmltools, torch.onnx), refined by values when
 * the caller has some:
 *  - label: an integer, string or bool tensor of one value per row (`label`, `output_label`; a name
 *    containing "label" first);
 *  - probabilities: a float [N, K] output whose name contains "prob" (`probabilities`), else with a
 *    label the first float [N, K]; a float [N, 1] / [N] named like "prob" (`probability`) is a binary
 *    classifier's p(class 1) (a torch sigmoid head);
 *  - scores: a float [N, K] named like "logit"/"score", or the only float [N, K] of a model without a
 *    label or probabilities (a torch head exported as `output` or `logits`): a classifier whose class
 *    is the argmax. Logits are scores, not probabilities (no softmax is applied: probability metrics
 *    are not computed from them); with `sample`, a scores matrix whose rows are distributions (values
 *    in [0, 1], rows summing to 1 within float32 rounding) is probabilities;
 *  - value: otherwise the first float output (preferring `variable`/`pred`/`output`/`value`) — a
 *    regressor.
 * The task is classification when a label, probabilities or scores output exists, else regression;
 * `task` overrides it. Non-tensor outputs (skl2onnx's ZipMap) get no role and a warning.
 */
export function inferOutputRoles(outputs: readonly TensorSpec[], options: InferOutputRolesOptions = {}): OutputRolesResult {
  const modelPath = options.modelPath ?? 'model';
  if (options.known && Object.keys(options.known).length) return fromKnownRoles(outputs, options.known, options.task);
  const warnings: string[] = [];
  for (const o of outputs) {
    if (!o.isTensor) {
      warnings.push(`${modelPath}: output "${o.name}" is a sequence of maps (skl2onnx's ZipMap), which onnxruntime-node cannot return, so only the tensor outputs are read. Export with options={'zipmap': False} (mlship serialize --format sklearn does) to get a probabilities tensor.`);
    }
  }
  const tensors = outputs.filter((o) => o.isTensor);
  const labels = tensors.filter((o) => LABEL_TYPES.has(o.type) && isScalarPerRow(o));
  const label = labels.find((o) => /label/i.test(o.name)) ?? labels[0];
  const matrices = tensors.filter(isMatrix);
  let probabilities = matrices.find((o) => /prob/i.test(o.name));
  let scores = matrices.find((o) => o !== probabilities && /logit|score/i.test(o.name));
  if (!probabilities && label) probabilities = matrices.find((o) => o !== scores);
  if (!label && !probabilities && !scores && matrices.length === 1) scores = matrices[0];
  // A single p(class 1) column (a sigmoid head named `probability`), or any one number when --task binary says so.
  const single = tensors.filter((o) => isFloat(o) && isScalarPerRow(o));
  let binary = !label && !probabilities && !scores ? single.find((o) => /prob/i.test(o.name)) ?? (options.binaryValue ? single[0] : undefined) : undefined;
  if (binary && options.sample?.[binary.name] && !allInUnitInterval(options.sample[binary.name]!)) {
    if (options.binaryValue) throw new InputError(`${opt('task')} binary: ${modelPath}'s output ${describeTensor(binary)} has values outside [0, 1], so it is no probability of class 1.`);
    warnings.push(`${modelPath}: output "${binary.name}" is named like a probability but has values outside [0, 1]: read as a regression value.`);
    binary = undefined;
  }
  if (binary) probabilities = binary;
  if (scores && !probabilities && options.sample?.[scores.name] && isDistribution(options.sample[scores.name]!)) {
    probabilities = scores;
    scores = undefined;
  }
  const inferred: ModelTask = label || probabilities || scores ? 'classification' : 'regression';
  const task = options.task ?? inferred;
  const roles: OutputRoles = {};
  if (task === 'classification') {
    if (label) roles.label = label.name;
    if (probabilities) roles.probabilities = probabilities.name;
    if (scores) roles.scores = scores.name;
    if (!label && !probabilities && !scores) {
      const m = tensors.find((o) => isFloat(o) && o.shape.length === 2);
      if (!m) throw new InputError(`${modelPath}: ${opt('task')} classification, but no output is a label or a float [N, classes] matrix (${outputs.map(describeTensor).join('; ')}).`);
      roles.scores = m.name;
    }
    if (roles.scores && !roles.probabilities && !roles.label) {
      warnings.push(`${modelPath}: treating output "${roles.scores}" as class scores (the class is its argmax, no probabilities); name it "probabilities" when it holds probabilities.`);
    }
  } else {
    const floats = tensors.filter((o) => isFloat(o) && o.shape.length <= 2); // values [N] or [N, T]
    const value = floats.find((o) => /variable|pred|output|value/i.test(o.name)) ?? floats[0];
    if (!value) throw new InputError(`${modelPath}: no float output to serve as the regression value (${outputs.map(describeTensor).join('; ')}); pass ${opt('task')} classification if this is a classifier.`);
    roles.value = value.name;
  }
  return { task, roles, ...classCountOf(tensors, roles), warnings };
}

/**
 * Roles a converter reported (it knows which output came from predict, predict_proba or
 * decision_function, or saw a torch module's values), e.g. skl2onnx's "probabilities" output that holds
 * decision scores for LinearSVC.
 */
function fromKnownRoles(outputs: readonly TensorSpec[], known: Record<string, keyof OutputRoles>, task?: ModelTask): OutputRolesResult {
  const roles: OutputRoles = {};
  for (const [name, role] of Object.entries(known)) {
    const spec = outputs.find((o) => o.name === name);
    // A single decision-score column (binary LinearSVC) is no per-class matrix: consumers use the label.
    if (spec && !(role === 'scores' && spec.shape[1] === 1)) roles[role] = name;
  }
  const finalTask: ModelTask = task ?? (roles.value && !roles.label ? 'regression' : 'classification');
  return { task: finalTask, roles, ...classCountOf(outputs.filter((o) => o.isTensor), roles), warnings: [] };
}

/** Classes = the width of the probabilities (or scores) matrix; a single p(class 1) column means 2; a single score column says nothing. */
function classCountOf(tensors: readonly TensorSpec[], roles: OutputRoles): { classCount?: number } {
  const p = tensors.find((o) => o.name === roles.probabilities);
  if (p && isScalarPerRow(p)) return { classCount: 2 };
  const k = p?.shape[1] ?? tensors.find((o) => o.name === roles.scores)?.shape[1];
  return typeof k === 'number' && k > 1 ? { classCount: k } : {};
}

/** True when every value lies in [0, 1] (up to float32 rounding, 1e-6). */
function allInUnitInterval(t: OutputTensor): boolean {
  for (let i = 0; i < t.data.length; i++) {
    const v = Number(t.data[i]);
    if (!(v >= -1e-6 && v <= 1 + 1e-6)) return false;
  }
  return true;
}

/** True when every row of a [N, K] tensor lies in [0, 1] and sums to 1 (within 1e-3: float32 softmax rounding). */
export function isDistribution(t: OutputTensor): boolean {
  const k = t.dims[1] ?? 1;
  if (k < 2 || t.data.length === 0 || !allInUnitInterval(t)) return false;
  for (let r = 0; r < t.data.length / k; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += Number(t.data[r * k + j]);
    if (Math.abs(s - 1) > 1e-3) return false;
  }
  return true;
}

/**
 * A single p(class 1) column as the [N, 2] matrix [1 − p, p] (the classes [0, 1], as scikit-learn's
 * predict_proba of a binary model); a wider matrix is returned as it is.
 */
export function asProbabilityMatrix(t: OutputTensor, rows: number): { data: Float64Array; k: number } {
  const k = t.dims.length >= 2 ? t.dims[1]! : 1;
  if (k === 1) {
    const data = new Float64Array(2 * rows);
    for (let r = 0; r < rows; r++) { const p = Number(t.data[r]); data[2 * r] = 1 - p; data[2 * r + 1] = p; }
    return { data, k: 2 };
  }
  return { data: Float64Array.from(t.data as ArrayLike<number>, Number), k };
}
