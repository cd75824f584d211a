import { InputError, opt } from '../errors.ts';
import { describeTensor, isDynamicDim, type TensorSpec } from './signature.ts';

/**
 * The element types mlship feeds, as onnxruntime names them, with the JavaScript array each is held
 * in: float32 → Float32Array, float64 → Float64Array, int32 → Int32Array, int64 → BigInt64Array,
 * bool → Uint8Array (0/1), string → string[].
 */
export const FEEDABLE_TYPES = ['float32', 'float64', 'int32', 'int64', 'bool', 'string'] as const;
export type FeedType = (typeof FEEDABLE_TYPES)[number];
export type InputData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];

/** Rows for every model input: `data[name]` is row-major, `rows × width(name)` values. */
export interface InputBatch {
  rows: number;
  data: Record<string, InputData>;
}

/** onnxruntime element type → Open Inference Protocol V2 datatype (the KServe "Tensor Data Types" table). */
export const OIP_DATATYPES: Record<string, string> = {
  bool: 'BOOL', uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64', int8: 'INT8', int16: 'INT16',
  int32: 'INT32', int64: 'INT64', float16: 'FP16', float32: 'FP32', float64: 'FP64', string: 'BYTES',
};

export function isFeedType(t: string): t is FeedType {
  return (FEEDABLE_TYPES as readonly string[]).includes(t);
}

/** A new zero-filled (or '' for strings) array of `type` with `n` values. */
export function allocInput(type: FeedType, n: number): InputData {
  switch (type) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'bool': return new Uint8Array(n);
    case 'string': return new Array<string>(n).fill('');
  }
}

/**
 * The values per row an input takes, from its declared shape: 1 for [N] or [N, 1], k for [N, k], the
 * product of the inner dimensions for higher ranks; null when an inner dimension is dynamic (then the
 * columns mapped to it decide).
 */
export function inputWidth(spec: TensorSpec): number | null {
  if (spec.shape.length <= 1) return 1;
  let w = 1;
  for (const d of spec.shape.slice(1)) {
    if (isDynamicDim(d)) return null;
    w *= d as number;
  }
  return w;
}

/**
 * The batch size an input's first dimension fixes (torch.onnx.export without dynamic_axes gives
 * [1, F]), or null when the first dimension is dynamic. A model's static batch is that of its inputs.
 */
export function staticBatchOf(inputs: readonly TensorSpec[]): number | null {
  let batch: number | null = null;
  for (const i of inputs) {
    const d = i.shape[0];
    if (i.isTensor && i.shape.length >= 1 && d !== undefined && !isDynamicDim(d)) batch = batch === null ? (d as number) : Math.min(batch, d as number);
  }
  return batch;
}

/** Rows [start, start + rows) of every input (views for typed arrays, a copy for strings). */
export function sliceBatch(batch: InputBatch, start: number, rows: number): InputBatch {
  const data: Record<string, InputData> = {};
  for (const [name, d] of Object.entries(batch.data)) {
    const w = batch.rows === 0 ? 0 : d.length / batch.rows;
    data[name] = Array.isArray(d) ? d.slice(start * w, (start + rows) * w) : d.subarray(start * w, (start + rows) * w);
  }
  return { rows, data };
}

/** Concatenates batches of the same inputs along the rows. */
export function concatBatches(batches: readonly InputBatch[]): InputBatch {
  if (batches.length === 1) return batches[0]!;
  const rows = batches.reduce((a, b) => a + b.rows, 0);
  const data: Record<string, InputData> = {};
  for (const name of Object.keys(batches[0]!.data)) {
    const first = batches[0]!.data[name]!;
    if (Array.isArray(first)) {
      data[name] = batches.flatMap((b) => b.data[name] as string[]);
      continue;
    }
    const total = batches.reduce((a, b) => a + b.data[name]!.length, 0);
    const out = new (first.constructor as new (n: number) => Exclude<InputData, string[]>)(total);
    let at = 0;
    for (const b of batches) {
      const d = b.data[name] as Exclude<InputData, string[]>;
      (out as Float32Array).set(d as Float32Array, at);
      at += d.length;
    }
    data[name] = out;
  }
  return { rows, data };
}

/**
 * `batch` padded to `rows` rows by repeating its last row (a model with a static batch of B takes
 * exactly B rows; the padded rows' outputs are dropped).
 */
export function padBatch(batch: InputBatch, rows: number): InputBatch {
  if (batch.rows >= rows || batch.rows === 0) return batch;
  const data: Record<string, InputData> = {};
  for (const [name, d] of Object.entries(batch.data)) {
    const w = d.length / batch.rows;
    if (Array.isArray(d)) {
      const out = d.slice();
      const last = d.slice((batch.rows - 1) * w);
      while (out.length < rows * w) out.push(...last);
      data[name] = out;
    } else {
      const out = new (d.constructor as new (n: number) => Exclude<InputData, string[]>)(rows * w);
      (out as Float32Array).set(d as Float32Array);
      const last = d.subarray((batch.rows - 1) * w);
      for (let r = batch.rows; r < rows; r++) (out as Float32Array).set(last as Float32Array, r * w);
      data[name] = out;
    }
  }
  return { rows, data };
}

/** Checks a batch against the inputs before a run: every input present, right type, whole rows. */
export function checkBatch(batch: InputBatch, inputs: readonly TensorSpec[], modelPath: string): void {
  for (const spec of inputs) {
    const d = batch.data[spec.name];
    if (!d) throw new InputError(`${modelPath}: no values for input ${describeTensor(spec)}; map columns to it with ${opt('input-map')}.`);
    const w = batch.rows === 0 ? 0 : d.length / batch.rows;
    if (!Number.isInteger(w)) throw new InputError(`${modelPath}: input "${spec.name}" got ${d.length} values for ${batch.rows} rows (not a whole number per row).`);
    const want = inputWidth(spec);
    if (want !== null && batch.rows > 0 && w !== want) throw new InputError(`${modelPath}: input ${describeTensor(spec)} takes ${want} value(s) per row, got ${w}.`);
  }
}
