import type { InferenceSession } from 'onnxruntime-node';

/** One model input or output as onnxruntime reports it. */
export interface TensorSpec {
  name: string;
  /** False for maps and sequences (e.g. skl2onnx's ZipMap output), which onnxruntime-node cannot return. */
  isTensor: boolean;
  /** Element type: float32, int64, … ('' for non-tensors). */
  type: string;
  /**
   * Dimensions: a number for a fixed size, a string for a symbolic one. skl2onnx leaves the batch
   * dimension anonymous (''), torch names it (e.g. 'batch').
   */
  shape: Array<number | string>;
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export function signatureOf(session: InferenceSession): ModelSignature {
  const spec = (m: InferenceSession.ValueMetadata): TensorSpec => m.isTensor
    ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] }
    : { name: m.name, isTensor: false, type: '', shape: [] };
  return { inputs: session.inputMetadata.map(spec), outputs: session.outputMetadata.map(spec) };
}

/** True when a dimension is dynamic (symbolic or anonymous). */
export function isDynamicDim(d: number | string): boolean {
  return typeof d === 'string' || d < 0;
}

/** `float_input: float32[?, 4]` — for logs, summaries and error messages. */
export function describeTensor(t: TensorSpec): string {
  if (!t.isTensor) return `${t.name}: non-tensor (map/sequence)`;
  const dims = t.shape.map((d) => (typeof d === 'string' ? (d === '' ? '?' : d) : String(d)));
  return `${t.name}: ${t.type}[${dims.join(', ')}]`;
}
