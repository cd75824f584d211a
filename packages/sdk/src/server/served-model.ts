import type { InferenceSession } from 'onnxruntime-node';
import { InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { OnnxModel, type OutputTensor } from '../model/onnx-model.ts';
import { allocInput, inputWidth, OIP_DATATYPES, type InputBatch } from '../model/feeds.ts';
import { bindColumns, type InputBinding, type InputMap } from '../model/input-map.ts';
import { describeTensor, isDynamicDim, type TensorSpec } from '../model/signature.ts';
import { inferOutputRoles } from '../model/output-roles.ts';
import { computeGolden } from '../package/golden.ts';
import type { GoldenExamples, ModelTask, OutputRoles } from '../package/manifest.ts';
import { classOfColumn, classOfLabelValue } from '../model/class-labels.ts';
import type { MonitoringProfile } from '../package/monitoring-profile.ts';
import { compareOutputSets, describeMismatch } from '../compare/outputs.ts';

/** What the server needs to know about the model it serves (a package manifest provides all of it). */
export interface ServedModelOptions {
  modelPath: string;
  /** Name in the URLs (`/v2/models/{name}`). */
  name: string;
  version: string;
  /**
   * SHA-256 (hex) of the ONNX model file as the package manifest records it; reported in the model
   * metadata (`parameters.sha256`) so a smoke test can tell exactly which model a pod serves.
   */
  sha256?: string;
  /** Feature names in input-column order (the training CSV header without the target). */
  featureNames?: string[];
  /** How those columns feed the model's inputs where the default rule cannot tell (model/input-map.ts; a package manifest's inputMap). */
  inputMap?: InputMap;
  /** Whether missing numeric values (JSON null) are accepted as NaN (a package manifest's allowMissing). */
  allowMissing?: boolean;
  /** Class labels in output-column order; label output value i maps to classLabels[i]. */
  classLabels?: Array<string | number>;
  task?: ModelTask;
  /** Which output is the label / probabilities / scores / value (a package manifest's outputRoles). */
  outputRoles?: OutputRoles;
  /** Golden rows and the outputs recorded for them (a package manifest's golden). */
  golden?: GoldenExamples;
  /** onnxruntime intra-op threads (0 = onnxruntime's default). */
  intraOpThreads?: number;
  /**
   * The model already loaded with servingSessionOptions(intraOpThreads) — e.g. the session that
   * verified the package — so the server does not hash and load the same file twice.
   */
  preloaded?: { model: OnnxModel; intraOpThreads: number };
  /** Training ranges and reference predictions for the prediction metrics (a package manifest's monitoring). */
  monitoring?: MonitoringProfile;
}

/** The onnxruntime session options the server runs with: all graph optimisations, sequential, N intra-op threads (0 = onnxruntime's default). */
export function servingSessionOptions(intraOpThreads = 1): InferenceSession.SessionOptions {
  const sessionOptions: InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionMode: 'sequential' };
  if (intraOpThreads > 0) sessionOptions.intraOpNumThreads = intraOpThreads;
  return sessionOptions;
}

/** A tensor as the Open Inference Protocol describes it: datatype FP32/INT64/…, shape with -1 for dynamic. */
export interface OipTensorMetadata { name: string; datatype: string; shape: number[] }

export { OIP_DATATYPES } from '../model/feeds.ts';

export function oipShape(spec: TensorSpec): number[] {
  return spec.shape.map((d) => (isDynamicDim(d) ? -1 : (d as number)));
}

/**
 * A loaded model ready to serve: the onnxruntime session, its tabular input, the tensor outputs it can
 * return, and how /predict turns outputs into labels, probabilities or values.
 */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly sha256?: string;
  readonly onnx: OnnxModel;
  /** The model's inputs (any of model/feeds.ts FEEDABLE_TYPES). */
  readonly inputs: TensorSpec[];
  /** Which request columns feed which input (/predict rows, model/input-map.ts). */
  readonly bindings: InputBinding[];
  /** The /predict columns in order: the feature names, or placeholders when the model has none. */
  readonly columns: string[];
  /** The first input's name (the only one of a classic tabular model). */
  readonly inputName: string;
  /** Values per /predict row (the number of columns). */
  readonly featureCount: number;
  /** Column names clients may key /predict rows by; undefined for a bare single-input .onnx. */
  readonly featureNames?: string[];
  readonly allowMissing: boolean;
  readonly classLabels?: Array<string | number>;
  readonly task: ModelTask;
  /** Outputs onnxruntime-node can return (tensors); ZipMap-style outputs are left out. */
  readonly outputs: TensorSpec[];
  /** int64 or string label output, if the model has one (skl2onnx classifiers). */
  readonly labelOutput?: string;
  /** float [N, K] probability (or, failing that, score) output: its argmax is the class when there is no label output. */
  readonly probabilityOutput?: string;
  /** True when `probabilityOutput` holds probabilities (reported per class by /predict), false for raw scores. */
  readonly hasProbabilities: boolean;
  readonly golden?: GoldenExamples;
  /** The regression output (the manifest's `value` role, else the first output). */
  readonly valueOutput: string;
  readonly loadSeconds: number;
  private readonly fetches: string[];

  private constructor(options: ServedModelOptions, onnx: OnnxModel, loadSeconds: number) {
    this.name = options.name;
    this.version = options.version;
    this.sha256 = options.sha256;
    this.onnx = onnx;
    this.loadSeconds = loadSeconds;
    this.inputs = onnx.signature.inputs;
    this.inputName = this.inputs[0]?.name ?? '';
    this.allowMissing = options.allowMissing ?? false;
    const { columns, named } = servedColumns(this.inputs, options);
    this.columns = columns;
    this.featureNames = named ? columns : undefined;
    this.featureCount = columns.length;
    this.bindings = bindColumns(this.inputs, columns, { inputMap: options.inputMap, modelPath: options.modelPath, dataPath: options.featureNames ? 'the package\'s feature names' : 'the model\'s inputs' });
    this.outputs = onnx.signature.outputs.filter((o) => o.isTensor);
    if (this.outputs.length === 0) throw new InputError(`${options.modelPath} has no tensor outputs onnxruntime-node can return; export it without ZipMap (skl2onnx options={'zipmap': False}).`);
    this.fetches = this.outputs.map((o) => o.name);
    // Output roles: the manifest says; for a bare .onnx, the model layer's one rule (model/output-roles.ts).
    const roles = options.outputRoles ?? inferOutputRoles(onnx.signature.outputs, { ...(options.task ? { task: options.task } : {}), modelPath: options.modelPath }).roles;
    const servable = (name: string | undefined) => (name && this.fetches.includes(name) ? name : undefined);
    this.labelOutput = servable(roles.label);
    this.probabilityOutput = servable(roles.probabilities) ?? servable(roles.scores);
    this.hasProbabilities = servable(roles.probabilities) !== undefined;
    this.valueOutput = servable(roles.value) ?? this.outputs[0]!.name;
    this.task = options.task ?? (this.labelOutput || this.probabilityOutput ? 'classification' : 'regression');
    if (this.task === 'classification' && !this.labelOutput && !this.probabilityOutput) {
      throw new InputError(`${options.modelPath}: the task is classification but the model has neither an int64 label output nor a probability output (${this.outputs.map(describeTensor).join('; ')}).`);
    }
    // Classes of the probability columns: K, or 2 for a single p(class 1) column.
    const spec = this.probabilityOutput ? this.outputs.find((o) => o.name === this.probabilityOutput)! : undefined;
    const k = spec ? (spec.shape.length < 2 || spec.shape[1] === 1 ? (this.hasProbabilities ? 2 : 1) : spec.shape[1]!) : undefined;
    if (options.classLabels && typeof k === 'number' && k >= 0 && options.classLabels.length !== k) {
      throw new InputError(`${options.modelPath}: ${options.classLabels.length} class labels given but output ${this.probabilityOutput} has ${k} columns.`);
    }
    this.classLabels = options.classLabels;
    this.golden = options.golden;
  }

  /** Loads the model into onnxruntime-node (single intra-op thread by default, all graph optimisations). */
  static async load(options: ServedModelOptions, logger: Logger = silentLogger): Promise<ServedModel> {
    const threads = options.intraOpThreads ?? 1;
    const reuse = options.preloaded && options.preloaded.intraOpThreads === threads ? options.preloaded.model : undefined;
    // A preloaded session with other thread settings is left to its owner (it may serve another server).
    const onnx = reuse ?? await OnnxModel.load(options.modelPath, { logger, sessionOptions: servingSessionOptions(threads) });
    // The session's creation time, also when the package loader created it (the constructor is instant).
    let model = new ServedModel(options, onnx, onnx.loadSeconds);
    if (!options.outputRoles && model.task === 'classification' && !model.hasProbabilities && !model.labelOutput) {
      // A bare .onnx whose only matrix is scores: its values on the warm-up row (zeros) say whether they are
      // probabilities (a softmax exported as `output`), as serialize's sample rows do (model/output-roles.ts).
      const sample = await model.run(model.zeroRow());
      const roles = inferOutputRoles(onnx.signature.outputs, { ...(options.task ? { task: options.task } : {}), modelPath: options.modelPath, sample }).roles;
      if (roles.probabilities) model = new ServedModel({ ...options, outputRoles: roles }, onnx, onnx.loadSeconds);
    }
    const skipped = onnx.signature.outputs.filter((o) => !o.isTensor);
    if (skipped.length) logger.warn(`${options.modelPath}: output(s) ${skipped.map((o) => o.name).join(', ')} are maps/sequences (ZipMap) that onnxruntime-node cannot return; they are not served.`);
    return model;
  }

  /** Values per row input `name` takes (its columns). */
  widthOf(name: string): number {
    return this.bindings.find((b) => b.name === name)!.columns.length;
  }

  /** OIP model metadata (GET /v2/models/{name}): every input and tensor output, -1 for dynamic dimensions;
   * `parameters.sha256` is the served model file's hash when known. */
  metadata(): { name: string; versions: string[]; platform: string; inputs: OipTensorMetadata[]; outputs: OipTensorMetadata[]; parameters?: { sha256: string } } {
    return {
      name: this.name,
      versions: [this.version],
      platform: 'onnxruntime',
      inputs: this.inputs.map((input) => {
        const shape = oipShape(input);
        if (shape.length === 2 && shape[1] === -1) shape[1] = this.widthOf(input.name);
        return { name: input.name, datatype: OIP_DATATYPES[input.type] ?? input.type.toUpperCase(), shape };
      }),
      outputs: this.outputs.map((o) => {
        // Outputs have the inputs' batch: a fixed 1 declared for it (onnxmltools' LightGBM label) is -1 when the batch is dynamic.
        const shape = oipShape(o);
        if (shape.length > 0 && this.onnx.staticBatch === null) shape[0] = -1;
        return { name: o.name, datatype: OIP_DATATYPES[o.type] ?? o.type.toUpperCase(), shape };
      }),
      ...(this.sha256 ? { parameters: { sha256: this.sha256 } } : {}),
    };
  }

  /**
   * One onnxruntime run over a batch of rows for every input (several runs of the static batch when
   * the model fixes one: model/onnx-model.ts `run`); returns every tensor output.
   */
  async run(batch: InputBatch): Promise<Record<string, OutputTensor>> {
    return this.onnx.run(batch, { outputs: this.fetches, batchSize: batch.rows });
  }

  /** One row of zeros ('' for strings) for every input: the warm-up run of a model without golden rows. */
  zeroRow(): InputBatch {
    const data: InputBatch['data'] = {};
    for (const b of this.bindings) data[b.name] = allocInput(b.type, b.columns.length);
    return { rows: 1, data };
  }

  /**
   * Runs the golden rows on the serving session and compares with the recorded outputs the way the
   * package loader does (compare/outputs.ts: labels must all agree, numbers within the parity gate's
   * float32 tolerance). Without golden rows (a bare .onnx) it runs one all-zero row, so the session is
   * warm and known to work before the server reports ready. Throws InputError naming the output and row.
   */
  async verifyGolden(): Promise<{ rows: number }> {
    const g = this.golden;
    if (!g || g.inputs.length === 0) {
      await this.run(this.zeroRow());
      return { rows: 0 };
    }
    g.inputs.forEach((row, i) => {
      if (row.length !== this.featureCount) throw new InputError(`golden row ${i}: ${row.length} values but model ${this.name} takes ${this.featureCount} features.`);
    });
    const actual = await computeGolden(this.onnx, g.inputs, this.columns, this.bindings);
    // An output the session cannot return (a ZipMap sequence of maps) is not served, so not checked.
    const servable = new Set(this.outputs.map((o) => o.name));
    const { failed } = compareOutputSets(g.outputs, actual.outputs, { labelOutput: this.labelOutput, skip: (name) => !servable.has(name) });
    if (failed) throw new InputError(`model ${this.name}: the golden rows do not reproduce on the serving session: ${describeMismatch(failed)}. Not serving it.`);
    return { rows: g.inputs.length };
  }

  /** Class label for class index `i` (probability column i): classLabels[i], or i itself without labels. */
  labelOf(i: number): string | number {
    return classOfColumn(i, this.classLabels);
  }

  /** The class a label output value stands for (model/class-labels.ts classOfLabelValue). */
  labelOfOutput(v: number | bigint | string): string | number {
    return classOfLabelValue(v, this.classLabels);
  }
}

/**
 * The columns /predict rows carry: the package's feature names; for a bare .onnx, the input names when
 * every input takes one value per row (skl2onnx's one input per column), else placeholders
 * (`f0`, … for one input, `input[j]` for several) that clients address by position only.
 */
function servedColumns(inputs: readonly TensorSpec[], options: ServedModelOptions): { columns: string[]; named: boolean } {
  if (options.featureNames) return { columns: options.featureNames, named: true };
  const widths = inputs.map(inputWidth);
  if (inputs.length > 1 && widths.every((w) => w === 1)) return { columns: inputs.map((i) => i.name), named: true };
  if (widths.some((w) => w === null)) {
    const dyn = inputs[widths.indexOf(null)]!;
    throw new InputError(`${options.modelPath}: the input's feature dimension is dynamic (${describeTensor(dyn)}); serve it from a package whose manifest lists the feature names.`);
  }
  if (inputs.length === 1) return { columns: Array.from({ length: widths[0]! }, (_, j) => `f${j}`), named: false };
  return { columns: inputs.flatMap((i, n) => Array.from({ length: widths[n]! }, (_, j) => `${i.name}[${j}]`)), named: false };
}
