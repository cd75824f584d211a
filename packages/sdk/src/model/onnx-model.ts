import { stat } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { InputError, opt } from '../errors.ts';
import { checkBatch, concatBatches, padBatch, sliceBatch, staticBatchOf, type InputBatch } from './feeds.ts';
import { silentLogger, type Logger } from '../log.ts';
import { sha256File } from '../util/hash.ts';
import { loadOnnxRuntime, removeTelemetryDebugLog, type Ort } from './onnxruntime.ts';
import { describeTensor, isDynamicDim, signatureOf, type ModelSignature, type TensorSpec } from './signature.ts';

/** Values of one output over all rows: typed data plus dims ([rows, …]). */
export interface OutputTensor {
  type: string;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | ArrayLike<number | bigint>;
}

export interface PredictOptions {
  /** Rows per onnxruntime run (default 8192). */
  batchSize?: number;
  /** Outputs to fetch (default: every tensor output; non-tensor outputs cannot be fetched). */
  outputs?: string[];
  logger?: Logger;
}

/**
 * onnxruntime's session log level: 3 = errors only. Its warnings are native lines on stderr the user
 * cannot act on — e.g. `VerifyOutputSizes` for every onnxmltools LightGBM model, which declares its
 * label output [1] and returns [N] — so they are dropped; errors still print.
 */
const ERRORS_ONLY = 3;

/**
 * An ONNX model loaded in onnxruntime-node with its signature. The single tabular input is a float32
 * [N, F] tensor (the mlship convention: one row per example, features in training-CSV order).
 */
export class OnnxModel {
  readonly path: string;
  readonly sha256: string;
  readonly session: InferenceSession;
  readonly signature: ModelSignature;
  readonly ort: Ort;
  /** Seconds onnxruntime took to create the session (what `mlship_model_load_seconds` reports). */
  readonly loadSeconds: number;

  private constructor(path: string, sha256: string, session: InferenceSession, signature: ModelSignature, ort: Ort, loadSeconds: number) {
    this.loadSeconds = loadSeconds;
    this.path = path;
    this.sha256 = sha256;
    this.session = session;
    this.signature = signature;
    this.ort = ort;
  }

  static async load(path: string, options: { logger?: Logger; sessionOptions?: InferenceSession.SessionOptions } = {}): Promise<OnnxModel> {
    const logger = options.logger ?? silentLogger;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new Error('not a file');
    } catch {
      throw new InputError(`Model file ${path} does not exist or is not a file; pass the path of an .onnx model.`);
    }
    const ort = await loadOnnxRuntime(logger);
    let session: InferenceSession;
    const started = performance.now();
    try {
      session = await ort.InferenceSession.create(path, { logSeverityLevel: ERRORS_ONLY, ...options.sessionOptions });
    } catch (err) {
      throw new InputError(`${path} is not a model onnxruntime can load: ${(err as Error).message.split('\n')[0]}. Export it again (skl2onnx / torch.onnx.export) and check the file is not truncated.`);
    }
    const loadSeconds = (performance.now() - started) / 1000;
    await removeTelemetryDebugLog();
    const signature = signatureOf(session);
    return new OnnxModel(path, await sha256File(path), session, signature, ort, loadSeconds);
  }

  /** The tabular input: the model's only input, a float32 tensor of rank 2. */
  get input(): TensorSpec {
    const inputs = this.signature.inputs;
    if (inputs.length !== 1) {
      throw new InputError(`${this.path} has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); mlship feeds one float32 [N, features] input. Export the model with a single tabular input.`);
    }
    const input = inputs[0]!;
    if (!input.isTensor || input.type !== 'float32' || input.shape.length !== 2) {
      throw new InputError(`${this.path}: input ${describeTensor(input)} is not a float32 [N, features] tensor; export the model with a float32 input of shape [batch, features] (skl2onnx: initial_types=[('float_input', FloatTensorType([None, F]))]).`);
    }
    return input;
  }

  /** Number of features the input takes, or null when that dimension is dynamic too. */
  get featureCount(): number | null {
    const d = this.input.shape[1]!;
    return isDynamicDim(d) ? null : (d as number);
  }

  /** Checks that `count` features fit the model's input; the error names the data's file. */
  checkFeatureCount(count: number, dataPath: string, featureNames?: string[]): void {
    const expected = this.featureCount;
    if (expected !== null && expected !== count) {
      const names = featureNames ? ` (${featureNames.slice(0, 5).join(', ')}${featureNames.length > 5 ? ', …' : ''})` : '';
      throw new InputError(`${dataPath} has ${count} feature columns${names} but ${this.path} takes ${expected} (input ${describeTensor(this.input)}). Check ${opt('target')} names the label column and that the CSV has the training features in training order.`);
    }
  }

  /** The batch size the model's inputs fix (e.g. 1 for torch.onnx.export without dynamic_axes), or null when dynamic. */
  get staticBatch(): number | null {
    return staticBatchOf(this.signature.inputs);
  }

  /**
   * Runs the model over `rows` rows of row-major float32 `features` (the single tabular input) in
   * batches and concatenates each requested output along the first dimension.
   */
  async predict(features: Float32Array, rows: number, options: PredictOptions = {}): Promise<Record<string, OutputTensor>> {
    const nf = rows === 0 ? 0 : features.length / rows;
    if (!Number.isInteger(nf)) throw new InputError(`features length ${features.length} is not a multiple of ${rows} rows`);
    return this.run({ rows, data: { [this.input.name]: features } }, options);
  }

  /**
   * Runs the model over a batch of rows for every input (model/feeds.ts), in runs of at most
   * `batchSize` rows — and never more than the static batch the inputs declare: a model that takes a
   * fixed batch of B runs B rows at a time, the last run padded by repeating its last row (those
   * outputs are dropped). Outputs are concatenated along the first dimension.
   */
  async run(batch: InputBatch, options: PredictOptions = {}): Promise<Record<string, OutputTensor>> {
    const pieces = this.inPieces(options, batch.rows);
    await pieces.add(batch);
    return pieces.finish();
  }

  /**
   * `run` over rows handed over in pieces (a parallel read's runs, in order): `add` runs every whole
   * batch as soon as its rows are there, `finish` the last rows and returns the outputs. The batches
   * are the ones `run` would make of all the rows at once — rows 0…B−1, B…2B−1, … whatever the pieces
   * — because onnxruntime's results can depend on the batch (tree ensembles and matrix products sum in
   * another order for another batch size): the outputs are run's, value for value.
   */
  inPieces(options: PredictOptions = {}, total?: number): { add(batch: InputBatch): Promise<void>; finish(): Promise<Record<string, OutputTensor>> } {
    const fixed = this.staticBatch;
    const size = Math.max(1, Math.min(options.batchSize ?? 8192, fixed ?? Infinity));
    // A run of one row is padded to two (the padding's outputs dropped): onnxruntime computes a single row
    // on another path than a batch (its LinearClassifier gives other float32 bits for N = 1 than for any
    // N ≥ 2), so a row alone — a one-row chunk, shard or request — gets the value it gets in any batch.
    // Not with batchSize 1, which a graph that takes one row per run needs.
    const pad = fixed ?? (size >= 2 ? 2 : 1);
    const wanted = options.outputs ?? this.signature.outputs.filter((o) => o.isTensor).map((o) => o.name);
    const parts: Record<string, Tensor[]> = Object.fromEntries(wanted.map((n) => [n, []]));
    let done = 0;
    let held: InputBatch[] = []; // rows of the next batch, not yet a whole one
    let heldRows = 0;
    const runBatch = async (chunk: InputBatch) => {
      const n = chunk.rows;
      if (n < pad) chunk = padBatch(chunk, pad);
      const feeds: Record<string, Tensor> = {};
      for (const spec of this.signature.inputs) feeds[spec.name] = this.tensorFor(spec, chunk);
      let result: InferenceSession.OnnxValueMapType;
      try {
        result = await this.session.run(feeds, wanted);
      } catch (err) {
        throw runError(this, err, chunk.rows);
      }
      for (const name of wanted) {
        const t = result[name]!;
        parts[name]!.push(n < chunk.rows ? trimRows(t, n) : t);
      }
      done += n;
      if (total !== undefined) options.logger?.progress?.(`inference ${this.path}`, done, total);
    };
    return {
      add: async (batch) => {
        checkBatch(batch, this.signature.inputs, this.path);
        let at = 0;
        if (heldRows > 0) {
          at = Math.min(size - heldRows, batch.rows);
          held.push(sliceBatch(batch, 0, at));
          heldRows += at;
          if (heldRows < size) return;
          await runBatch(concatBatches(held));
          held = [];
          heldRows = 0;
        }
        for (; batch.rows - at >= size; at += size) await runBatch(at === 0 && batch.rows === size ? batch : sliceBatch(batch, at, size));
        if (at < batch.rows) {
          held = [at === 0 ? batch : sliceBatch(batch, at, batch.rows - at)];
          heldRows = batch.rows - at;
        }
      },
      finish: async () => {
        if (heldRows > 0) await runBatch(concatBatches(held));
        held = [];
        heldRows = 0;
        const out: Record<string, OutputTensor> = {};
        for (const name of wanted) out[name] = concatTensors(parts[name]!, done);
        return out;
      },
    };
  }

  private tensorFor(spec: TensorSpec, batch: InputBatch): Tensor {
    const data = batch.data[spec.name]!;
    const width = batch.rows === 0 ? 0 : data.length / batch.rows;
    const dims = spec.shape.length <= 1 ? [batch.rows] : spec.shape.length === 2 ? [batch.rows, width] : [batch.rows, ...spec.shape.slice(1).map(Number)];
    return new this.ort.Tensor(spec.type as 'float32', data as Float32Array, dims);
  }
}

/** The first `n` rows of an output tensor (a padded static-batch run). */
function trimRows(t: Tensor, n: number): Tensor {
  const inner = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const d = t.data as Float32Array;
  return { type: t.type, dims: [n, ...t.dims.slice(1)], data: Array.isArray(d) ? d.slice(0, n * inner) : d.subarray(0, n * inner) } as unknown as Tensor;
}

/** onnxruntime's run error with what to do: a shape error on a multi-row run is usually a batch fixed inside the graph. */
function runError(model: OnnxModel, err: unknown, rows: number): InputError {
  const msg = (err as Error).message.split('\n')[0]!;
  const shapeError = /dimension|shape|Got invalid dimensions|reshape/i.test(msg);
  const hint = shapeError && rows > 1
    ? ` The model may only take one row per run (a batch size fixed inside the graph, e.g. a Reshape to [1, …]); run it with ${opt('batch-size')} 1, or export it with a dynamic batch dimension (torch.onnx.export(..., dynamic_axes={"input": {0: "batch"}})).`
    : '';
  return new InputError(`onnxruntime failed to run ${model.path} on ${rows} row(s) (inputs ${model.signature.inputs.map(describeTensor).join('; ')}): ${msg}.${hint}`);
}

function concatTensors(tensors: Tensor[], rows: number): OutputTensor {
  if (tensors.length > 1 && Array.isArray(tensors[0]!.data)) {
    const first = tensors[0]!;
    return { type: first.type, dims: [rows, ...first.dims.slice(1)], data: tensors.flatMap((t) => t.data as unknown as string[]) as unknown as OutputTensor['data'] };
  }
  if (tensors.length === 0) return { type: 'float32', dims: [0], data: new Float32Array(0) };
  const first = tensors[0]!;
  if (tensors.length === 1) return { type: first.type, dims: [...first.dims], data: first.data as OutputTensor['data'] };
  const inner = first.dims.slice(1).reduce((a, b) => a * b, 1);
  const Ctor = (first.data as unknown as { constructor: new (n: number) => OutputTensor['data'] }).constructor;
  const data = new Ctor(rows * inner) as Float32Array;
  let offset = 0;
  for (const t of tensors) {
    data.set(t.data as Float32Array, offset);
    offset += (t.data as Float32Array).length;
  }
  return { type: first.type, dims: [rows, ...first.dims.slice(1)], data };
}
