import { InputError, opt } from '../errors.ts';
import { describeTensor, type TensorSpec } from '../model/signature.ts';
import type { ModelTask, OutputRoles } from '../package/manifest.ts';

export interface OutputRolesResult {
  task: ModelTask;
  roles: OutputRoles;
  /** The number of classes the probabilities/scores output has, when fixed. */
  classCount?: number;
  warnings: string[];
}

const INTEGER_TYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64', 'string', 'bool']);

/**
 * Decides which output is what, from the signature alone, as the exporters name them:
 *  - label: the first integer or string tensor of rank 1 (or [N, 1]) — skl2onnx's `label`,
 *    `output_label`;
 *  - probabilities: a float [N, K] output whose name contains "prob" (skl2onnx `probabilities`,
 *    torch exports named so), else for a classifier with a label the first float [N, K] output;
 *  - scores: a float [N, K] output named like "logits"/"scores" when there are no probabilities;
 *  - value: for regression, the first float output.
 * The task is classification when there is a label, probabilities or scores output, else regression;
 * `task` overrides it (e.g. a torch classifier whose only output is unnamed logits).
 * Non-tensor outputs (skl2onnx ZipMap) get no role and a warning: onnxruntime-node cannot return them.
 */
export function inferOutputRoles(outputs: readonly TensorSpec[], task?: ModelTask, modelPath = 'model', known?: Record<string, keyof OutputRoles>): OutputRolesResult {
  if (known && Object.keys(known).length) return fromKnownRoles(outputs, known, task);
  const warnings: string[] = [];
  for (const o of outputs) {
    if (!o.isTensor) {
      warnings.push(`${modelPath}: output "${o.name}" is a sequence of maps (skl2onnx's ZipMap), which onnxruntime-node cannot return, so the package serves labels only from it. Export with options={'zipmap': False} (mlship serialize --format sklearn does) to get a probabilities tensor.`);
    }
  }
  const tensors = outputs.filter((o) => o.isTensor);
  const isScalarPerRow = (o: TensorSpec) => o.shape.length === 1 || (o.shape.length === 2 && o.shape[1] === 1);
  const isFloat = (o: TensorSpec) => o.type.startsWith('float') || o.type === 'double';
  const isMatrix = (o: TensorSpec) => o.shape.length === 2 && isFloat(o);
  const label = tensors.find((o) => INTEGER_TYPES.has(o.type) && isScalarPerRow(o));
  let probabilities = tensors.find((o) => isMatrix(o) && /prob/i.test(o.name));
  let scores = tensors.find((o) => isMatrix(o) && o !== probabilities && /logit|score/i.test(o.name));
  if (!probabilities && label) probabilities = tensors.find((o) => isMatrix(o));
  if (probabilities && scores === probabilities) scores = undefined;
  let inferred: ModelTask = label || probabilities || scores ? 'classification' : 'regression';
  const finalTask = task ?? inferred;
  const roles: OutputRoles = {};
  if (finalTask === 'classification') {
    if (label) roles.label = label.name;
    if (probabilities) roles.probabilities = probabilities.name;
    if (scores) roles.scores = scores.name;
    if (!label && !probabilities && !scores) {
      const m = tensors.find((o) => isMatrix(o));
      if (!m) throw new InputError(`${modelPath}: ${opt('task')} classification, but no output is a label or a float [N, classes] matrix (${outputs.map(describeTensor).join('; ')}).`);
      roles.scores = m.name;
      warnings.push(`${modelPath}: treating output "${m.name}" as class scores (the class is its argmax); name it "probabilities" when it holds probabilities.`);
    }
  } else {
    const value = tensors.find((o) => isFloat(o));
    if (!value) throw new InputError(`${modelPath}: no float output to serve as the regression value (${outputs.map(describeTensor).join('; ')}); pass ${opt('task')} classification if this is a classifier.`);
    roles.value = value.name;
  }
  inferred = finalTask;
  return { task: inferred, roles, ...classCountOf(tensors, roles), warnings };
}

/**
 * Roles a converter reported (it knows which output came from predict, predict_proba or
 * decision_function), e.g. skl2onnx's "probabilities" output that holds decision scores for LinearSVC.
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

/** Classes = the width of the probabilities (or scores) matrix; a single score column (binary decision_function) says nothing. */
function classCountOf(tensors: readonly TensorSpec[], roles: OutputRoles): { classCount?: number } {
  const k = tensors.find((o) => o.name === roles.probabilities)?.shape[1] ?? tensors.find((o) => o.name === roles.scores)?.shape[1];
  return typeof k === 'number' && (k > 1 || (k === 1 && roles.probabilities !== undefined)) ? { classCount: k } : {};
}
