import { InputError, opt } from '../errors.ts';
import type { OutputTensor } from '../model/onnx-model.ts';
import { describeTensor, type ModelSignature } from '../model/signature.ts';
import { asProbabilityMatrix, inferOutputRoles, type InferOutputRolesOptions, type OutputRoles } from '../model/output-roles.ts';
import type { Task } from '../metrics/registry.ts';
import { int64ToNumbers } from '../model/int64.ts';

/**
 * How mlship reads a model's outputs (the conventions of skl2onnx and torch.onnx exports):
 * - a classifier has an integer label output (int64 `[N]`, skl2onnx's `label` / `output_label`) and/or
 *   a float `[N, K]` probability output (`probabilities`, K ≥ 2, column j = the j-th class in
 *   ascending order, as scikit-learn's `classes_`). Without a label output (a torch MLP) the label is
 *   the argmax of the probabilities (first maximum on ties, as numpy.argmax).
 * - a map or sequence output (skl2onnx's ZipMap `output_probability`) cannot be returned by
 *   onnxruntime-node: only the tensor outputs are fetched, so such a model gives labels only.
 * - a regressor has one float output of shape `[N, 1]` or `[N]` (skl2onnx's `variable`).
 */
export interface OutputPlan {
  kind: 'classifier' | 'regressor';
  /** Tensor outputs to fetch (never a map/sequence output). */
  fetch: string[];
  labelOutput?: string;
  probabilityOutput?: string;
  valueOutput?: string;
  /** Facts worth telling the user (e.g. an output that cannot be read). */
  notes: string[];
}

/**
 * Decides from the signature which outputs hold labels, probabilities (or scores) or regression values:
 * the model layer's one rule (model/output-roles.ts inferOutputRoles), which serialize and the server
 * apply too. `regression` (--task regression, several target columns) reads the first float output as
 * the values; `binary` (--task binary) reads a model's one number per row as p(class 1).
 */
export function planOutputs(modelPath: string, signature: ModelSignature, options: { regression?: boolean; binary?: boolean } = {}): OutputPlan {
  const notes: string[] = [];
  const outputs = signature.outputs;
  for (const o of outputs) {
    if (!o.isTensor) {
      notes.push(`Output \`${o.name}\` is a map/sequence (skl2onnx's ZipMap), which onnxruntime-node cannot return; only the tensor outputs were read. Export with \`options={id(model): {'zipmap': False}}\` to get class probabilities.`);
    }
  }
  const roleOf = (o: InferOutputRolesOptions): OutputRoles => {
    try {
      return inferOutputRoles(outputs, { modelPath, ...o }).roles;
    } catch {
      return {}; // said below in evaluate's words
    }
  };
  const hasLabel = outputs.some((o) => !o.isTensor) || roleOf({}).label !== undefined;
  const roles = roleOf({ ...(options.regression && !hasLabel ? { task: 'regression' } : {}), ...(options.binary ? { binaryValue: true } : {}) });
  if (roles.label || roles.probabilities || roles.scores) {
    const prob = roles.probabilities ?? roles.scores;
    return { kind: 'classifier', fetch: [roles.label, prob].filter((x): x is string => x !== undefined), labelOutput: roles.label, probabilityOutput: prob, notes };
  }
  if (outputs.some((o) => !o.isTensor)) {
    throw new InputError(`${modelPath}: no tensor output holds class labels or probabilities (outputs: ${outputs.map(describeTensor).join('; ')}); export the model with a label output or zipmap=False.`);
  }
  if (!roles.value) {
    throw new InputError(`${modelPath}: cannot tell what the model predicts from its outputs (${outputs.map(describeTensor).join('; ')}). mlship reads an int64 label and/or a float [N, K] probabilities output (classifiers) or one float [N, 1] output (regressors).`);
  }
  return { kind: 'regressor', fetch: [roles.value], valueOutput: roles.value, notes };
}

export interface ClassifierPredictions {
  kind: 'classifier';
  /** Predicted class label of each row (float64 holding integers). */
  labels: Float64Array;
  /** Row-major [n, k] float64 probabilities, when the model gives them. */
  prob?: Float64Array;
  k?: number;
  /** Why probabilities are not available, when they are not. */
  noProbabilityReason?: string;
  /** The class (as coded in `labels`) of each probability column, when the model says (its ONNX class labels). */
  columnLabels?: number[];
}

export interface RegressorPredictions {
  kind: 'regressor';
  /** Row-major [n, outputs] predicted values. */
  values: Float64Array;
  /** Values per row (1, the default, for a single-output regressor; k for a multi-output one). */
  outputs?: number;
}

export type Predictions = ClassifierPredictions | RegressorPredictions;

/**
 * A classifier's labels already coded (evaluate/class-coding.ts): `labels` are the predicted classes'
 * codes, `columns` the codes of the probability columns' classes (the model's own class labels).
 */
export interface CodedLabels {
  labels: Float64Array;
  columns?: number[];
}

/**
 * Turns the fetched output tensors into predictions (float64 copies of the model's float32/int64
 * values). A classifier's labels are `coded` when given; else the label output's numbers, or the
 * argmax column without one. `matrix` is probabilityMatrix's result when the caller has it already.
 */
export function readPredictions(plan: OutputPlan, outputs: Record<string, OutputTensor>, rows: number, coded?: CodedLabels, matrix?: { prob?: Float64Array; k?: number }): Predictions {
  if (plan.kind === 'regressor') {
    const t = outputs[plan.valueOutput!]!;
    // The actual width, not the declared one (skl2onnx declares [N, 1] for a multi-output forest).
    const k = rows === 0 ? 1 : Math.max(1, t.data.length / rows);
    return { kind: 'regressor', values: toFloat64(t.data, rows * k, plan.valueOutput!), outputs: k };
  }
  const { prob, k } = matrix ?? probabilityMatrix(plan, outputs, rows);
  const columns = coded?.columns && k !== undefined && coded.columns.length === k ? coded.columns : undefined;
  let labels: Float64Array;
  if (coded) {
    if (coded.labels.length !== rows) throw new InputError(`model output \`${plan.labelOutput ?? plan.probabilityOutput}\` has ${coded.labels.length} labels, expected ${rows}.`);
    labels = coded.labels;
  } else if (plan.labelOutput) labels = toFloat64(outputs[plan.labelOutput]!.data, rows, plan.labelOutput);
  else labels = argmaxRows(prob!, rows, k!);
  const result: ClassifierPredictions = { kind: 'classifier', labels, ...(columns ? { columnLabels: columns } : {}) };
  if (prob) {
    const bad = firstNonProbabilityRow(prob, rows, k!);
    if (bad === -1) { result.prob = prob; result.k = k; } else {
      result.noProbabilityReason = `output \`${plan.probabilityOutput}\` is not a probability distribution (row ${bad} has values outside [0, 1] or does not sum to 1), so it is read as scores: labels come from its argmax.`;
    }
  } else {
    result.noProbabilityReason = plan.notes.length
      ? 'the model has no class-probability tensor output (its probabilities are in a ZipMap output onnxruntime-node cannot return)'
      : 'the model has no class-probability output';
  }
  return result;
}

/** The probability (or score) output as float64 [rows, k], when the plan has one. */
export function probabilityMatrix(plan: OutputPlan, outputs: Record<string, OutputTensor>, rows: number): { prob?: Float64Array; k?: number } {
  if (!plan.probabilityOutput) return {};
  const t = outputs[plan.probabilityOutput]!;
  const k = t.dims[1] ?? 1;
  // A single p(class 1) column: the classes [0, 1] with columns [1 − p, p] (model/output-roles.ts).
  if (k === 1) return { prob: asProbabilityMatrix(t, rows).data, k: 2 };
  return { prob: toFloat64(t.data, rows * k, plan.probabilityOutput), k };
}

/** numpy.argmax over each row: the first column holding the row's maximum. */
export function argmaxRows(values: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestV = values[i * k]!;
    for (let j = 1; j < k; j++) {
      const v = values[i * k + j]!;
      if (v > bestV || (Number.isNaN(bestV) && !Number.isNaN(v))) { bestV = v; best = j; }
    }
    out[i] = best;
  }
  return out;
}

/** -1 when every value lies in [0, 1] and every row sums to 1, up to float32 rounding (1e-6 and 1e-3); else the first bad row. */
function firstNonProbabilityRow(prob: Float64Array, rows: number, k: number): number {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const p = prob[i * k + j]!;
      if (!(p >= -1e-6 && p <= 1 + 1e-6)) return i;
      s += p;
    }
    if (Math.abs(s - 1) > 1e-3) return i;
  }
  return -1;
}

function toFloat64(data: OutputTensor['data'], expected: number, name: string): Float64Array {
  if (data.length !== expected) throw new InputError(`model output \`${name}\` has ${data.length} values, expected ${expected}.`);
  if (data instanceof BigInt64Array) return int64ToNumbers(data);
  // float32 → float64 is exact: the typed-array constructor converts natively, not a Number() per value.
  if (ArrayBuffer.isView(data)) return new Float64Array(data as Float32Array);
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) out[i] = Number(data[i]!);
  return out;
}

/**
 * The tasks `detectTask` can still return before the model runs: `requested` when given, else
 * `regression` for a regressor plan and `binary` or `multiclass` for a classifier (which of the two
 * depends on the predictions: whether the probability output holds a distribution, and the labels
 * of y_true ∪ y_pred). Lets a gate rule on another task's metric be refused before inference.
 */
export function possibleTasks(requested: Task | 'auto', plan: OutputPlan): Task[] {
  if (requested !== 'auto') return [requested];
  return plan.kind === 'regressor' ? ['regression'] : ['binary', 'multiclass'];
}

/**
 * The task: `regression` for a regressor; for a classifier `binary` when it gives 2 probability
 * columns (or, without probabilities, when y_true ∪ y_pred holds at most 2 labels) and `multiclass`
 * otherwise. `requested` (--task) overrides it when it fits the model and the target. `labels` is
 * |y_true ∪ y_pred| as the class coding counts it (class-coding.ts `observed`: a Set's SameValueZero;
 * the coding has also refused a target that is not integer class ids); unused for a regressor.
 */
export function detectTask(requested: Task | 'auto', plan: OutputPlan, pred: Predictions, labels: number, modelPath: string): Task {
  if (pred.kind === 'regressor') {
    if (requested !== 'auto' && requested !== 'regression') {
      throw new InputError(`${opt('task')} ${requested} does not fit ${modelPath}: it outputs one number per row (\`${plan.valueOutput}\`), a regressor. Use ${opt('task')} regression (or auto).`);
    }
    return 'regression';
  }
  if (requested === 'regression') {
    throw new InputError(`${opt('task')} regression does not fit ${modelPath}: it outputs class ${plan.labelOutput ? `labels (\`${plan.labelOutput}\`)` : `probabilities (\`${plan.probabilityOutput}\`)`}, a classifier. Use ${opt('task')} binary, multiclass or auto.`);
  }
  const many = labels > 2;
  const k = pred.k;
  const auto: Task = k !== undefined ? (k === 2 ? 'binary' : 'multiclass') : many ? 'multiclass' : 'binary';
  if (requested === 'binary' && (many || (k !== undefined && k > 2))) {
    throw new InputError(`${opt('task')} binary does not fit: ${k !== undefined && k > 2 ? `${modelPath} gives ${k} class probabilities` : `the target and predictions hold more than 2 classes`}. Use ${opt('task')} multiclass (or auto).`);
  }
  return requested === 'auto' ? auto : requested;
}
