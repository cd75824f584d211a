import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.ts';

/**
 * What mlship needs from an ONNX file that onnxruntime does not report: IR version, opsets,
 * producer, the operators the graph uses and the declared input/output types. A small hand-written
 * reader of the protobuf wire format over the fields of onnx.proto (github.com/onnx/onnx,
 * onnx/onnx.proto) listed below; every other field is skipped by its wire type.
 *
 *   ModelProto:  ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5,
 *                graph 7, opset_import 8
 *   OperatorSetIdProto: domain 1, version 2
 *   GraphProto:  node 1, name 2, initializer 5, input 11, output 12
 *   NodeProto:   op_type 4, domain 7, attribute 5 (AttributeProto: name 1, ints 8, strings 9, g 6,
 *                graphs 11 — subgraphs of If/Loop/Scan, whose operators count too)
 *   ValueInfoProto: name 1, type 2 → TypeProto: tensor_type 1 (elem_type 1, shape 2 → dim 1 →
 *                dim_value 1 | dim_param 2), sequence_type 4, map_type 5
 */
export interface OnnxDim {
  /** Fixed size, or null for a dynamic dimension. */
  value: number | null;
  /** Symbolic name (torch's 'batch'); '' when anonymous. */
  param: string;
}

export interface OnnxValueInfo {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  /** ONNX element type name for tensors (float, int64, …), '' otherwise. */
  elemType: string;
  /** Dims for tensors; null when the shape is not declared. */
  shape: OnnxDim[] | null;
}

export interface OnnxModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  /** opset_import: domain ('ai.onnx' for the default '') → version. */
  opsets: Record<string, number>;
  /** Distinct operators, `domain.OpType` ('OpType' for ai.onnx), sorted. */
  operators: string[];
  nodeCount: number;
  initializerCount: number;
  /**
   * Class labels of the first ai.onnx.ml classifier node, in probability-column order: attribute
   * `classlabels_ints` (LinearClassifier, SVMClassifier — skl2onnx's LogisticRegression, SGDClassifier,
   * LinearSVC, SVC), `classlabels_int64s` (TreeEnsembleClassifier) or `classlabels_strings` (any of
   * them on string classes), else the rank-1 int64/string initializer an ArrayFeatureExtractor picks the
   * label from (skl2onnx's binary SGDClassifier / Perceptron). These are the model's own classes (scikit-learn's `classes_`): a model
   * trained on {1, 3, 7} says [1, 3, 7]. Null when the graph has none (torch models, regressors).
   */
  classLabels: Array<number | string> | null;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** TensorProto.DataType names, as onnx.helper.tensor_dtype_to_np_dtype's keys spell them. */
const ELEM_TYPES: Record<number, string> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** The ai.onnx.ml classifier attributes that hold the class labels (ai.onnx.ml operator docs). */
const CLASS_LABEL_ATTRIBUTES = new Set(['classlabels_ints', 'classlabels_int64s', 'classlabels_strings']);

export async function readOnnxModelInfo(path: string): Promise<OnnxModelInfo> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new InputError(`Cannot read ONNX model ${path}: ${(err as Error).message}`);
  }
  return parseOnnxModelInfo(bytes, path);
}

/** Parses ModelProto bytes. Throws InputError naming `source` when the bytes are not protobuf. */
export function parseOnnxModelInfo(bytes: Uint8Array, source = 'model'): OnnxModelInfo {
  const info: OnnxModelInfo = { irVersion: 0, producerName: '', producerVersion: '', opsets: {}, operators: [], nodeCount: 0, initializerCount: 0, classLabels: null, inputs: [], outputs: [] };
  const ops = new Set<string>();
  try {
    for (const f of fields(bytes, 0, bytes.length)) {
      if (f.no === 1 && f.wire === 0) info.irVersion = Number(f.value);
      else if (f.no === 2 && f.wire === 2) info.producerName = text(bytes, f);
      else if (f.no === 3 && f.wire === 2) info.producerVersion = text(bytes, f);
      else if (f.no === 8 && f.wire === 2) {
        let domain = '';
        let version = 0;
        for (const g of fields(bytes, f.start, f.end)) {
          if (g.no === 1 && g.wire === 2) domain = text(bytes, g);
          else if (g.no === 2 && g.wire === 0) version = Number(g.value);
        }
        info.opsets[domain === '' ? 'ai.onnx' : domain] = version;
      } else if (f.no === 7 && f.wire === 2) {
        readGraph(bytes, f.start, f.end, info, ops, true);
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${source} is not an ONNX model (protobuf parse failed: ${(err as Error).message}).`);
  }
  if (info.irVersion === 0 && Object.keys(info.opsets).length === 0) {
    throw new InputError(`${source} is not an ONNX model: no ir_version and no opset_import.`);
  }
  info.operators = [...ops].sort();
  return info;
}

function readGraph(b: Uint8Array, start: number, end: number, info: OnnxModelInfo, ops: Set<string>, top: boolean): void {
  // skl2onnx's binary linear models without a classifier op (SGDClassifier, Perceptron…) pick the label
  // with ArgMax + ArrayFeatureExtractor(classes, index), the classes being a rank-1 initializer.
  const extractorInputs: string[] = [];
  const constants = new Map<string, Array<number | string>>();
  for (const f of fields(b, start, end)) {
    if (f.wire !== 2) continue;
    if (f.no === 1) {
      if (top) info.nodeCount++;
      let opType = '';
      let domain = '';
      let firstInput: string | null = null;
      let classAttr: Array<number | string> | null = null;
      for (const g of fields(b, f.start, f.end)) {
        if (g.wire !== 2) continue;
        if (g.no === 1 && firstInput === null) firstInput = text(b, g);
        else if (g.no === 4) opType = text(b, g);
        else if (g.no === 7) domain = text(b, g);
        else if (g.no === 5) {
          let attrName = '';
          const ints: number[] = [];
          const strings: string[] = [];
          for (const a of fields(b, g.start, g.end)) {
            if (a.wire === 2 && (a.no === 6 || a.no === 11)) readGraph(b, a.start, a.end, info, ops, false);
            else if (a.no === 1 && a.wire === 2) attrName = text(b, a);
            else if (a.no === 8 && a.wire === 0) ints.push(Number(BigInt.asIntN(64, a.value)));
            else if (a.no === 8 && a.wire === 2) for (let p = a.start; p < a.end;) { const [v, q] = varint(b, p, a.end); ints.push(Number(BigInt.asIntN(64, v))); p = q; }
            else if (a.no === 9 && a.wire === 2) strings.push(text(b, a));
          }
          if (CLASS_LABEL_ATTRIBUTES.has(attrName) && (ints.length > 0 || strings.length > 0)) classAttr = strings.length > 0 ? strings : ints;
        }
      }
      if (classAttr && info.classLabels === null && domain === 'ai.onnx.ml' && opType.endsWith('Classifier')) info.classLabels = classAttr;
      classAttr = null;
      if (top && domain === 'ai.onnx.ml' && opType === 'ArrayFeatureExtractor' && firstInput !== null) extractorInputs.push(firstInput);
      ops.add(domain === '' || domain === 'ai.onnx' ? opType : `${domain}.${opType}`);
    } else if (top && f.no === 5) {
      info.initializerCount++;
      const c = readLabelConstant(b, f.start, f.end);
      if (c) constants.set(c.name, c.values);
    }
    else if (top && f.no === 11) info.inputs.push(readValueInfo(b, f.start, f.end));
    else if (top && f.no === 12) info.outputs.push(readValueInfo(b, f.start, f.end));
  }
  if (top && info.classLabels === null) {
    const classes = extractorInputs.map((n) => constants.get(n)).find((c) => c !== undefined);
    if (classes) info.classLabels = classes;
  }
}

/**
 * A rank-1 int32, int64 or string initializer (TensorProto: dims 1, data_type 2, int32_data 5,
 * string_data 6, int64_data 7, name 8, raw_data 9) — a candidate class list; null for anything else.
 */
function readLabelConstant(b: Uint8Array, start: number, end: number): { name: string; values: Array<number | string> } | null {
  let name = '';
  let type = 0;
  let rank = 0;
  const ints: number[] = [];
  const strings: string[] = [];
  let raw: Uint8Array | null = null;
  for (const f of fields(b, start, end)) {
    if (f.no === 1) rank++;
    else if (f.no === 2 && f.wire === 0) type = Number(f.value);
    else if (f.no === 6 && f.wire === 2) strings.push(text(b, f));
    else if (f.no === 5 && f.wire === 0) ints.push(Number(BigInt.asIntN(32, f.value)));
    else if (f.no === 5 && f.wire === 2) for (let p = f.start; p < f.end;) { const [v, q] = varint(b, p, f.end); ints.push(Number(BigInt.asIntN(32, v))); p = q; }
    else if (f.no === 7 && f.wire === 0) ints.push(Number(BigInt.asIntN(64, f.value)));
    else if (f.no === 7 && f.wire === 2) for (let p = f.start; p < f.end;) { const [v, q] = varint(b, p, f.end); ints.push(Number(BigInt.asIntN(64, v))); p = q; }
    else if (f.no === 8 && f.wire === 2) name = text(b, f);
    else if (f.no === 9 && f.wire === 2) raw = b.subarray(f.start, f.end);
  }
  if (rank !== 1) return null;
  if (type === 8 && strings.length) return { name, values: strings };
  if (type !== 7 && type !== 6) return null;
  const size = type === 7 ? 8 : 4;
  if (raw && raw.length % size === 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < raw.length; i += size) ints.push(size === 8 ? Number(view.getBigInt64(i, true)) : view.getInt32(i, true));
  }
  return ints.length ? { name, values: ints } : null;
}

function readValueInfo(b: Uint8Array, start: number, end: number): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', kind: 'other', elemType: '', shape: null };
  for (const f of fields(b, start, end)) {
    if (f.no === 1 && f.wire === 2) v.name = text(b, f);
    else if (f.no === 2 && f.wire === 2) {
      for (const t of fields(b, f.start, f.end)) {
        if (t.wire !== 2) continue;
        if (t.no === 4) v.kind = 'sequence';
        else if (t.no === 5) v.kind = 'map';
        else if (t.no === 1) {
          v.kind = 'tensor';
          for (const g of fields(b, t.start, t.end)) {
            if (g.no === 1 && g.wire === 0) v.elemType = ELEM_TYPES[Number(g.value)] ?? `type${g.value}`;
            else if (g.no === 2 && g.wire === 2) {
              v.shape = [];
              for (const d of fields(b, g.start, g.end)) {
                if (d.no !== 1 || d.wire !== 2) continue;
                const dim: OnnxDim = { value: null, param: '' };
                for (const x of fields(b, d.start, d.end)) {
                  if (x.no === 1 && x.wire === 0) dim.value = Number(BigInt.asIntN(64, x.value));
                  else if (x.no === 2 && x.wire === 2) dim.param = text(b, x);
                }
                v.shape.push(dim);
              }
            }
          }
        }
      }
    }
  }
  return v;
}

interface Field {
  no: number;
  wire: number;
  /** varint / fixed value (wire 0, 1, 5). */
  value: bigint;
  /** Payload range (wire 2). */
  start: number;
  end: number;
}

function* fields(b: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const [key, p1] = varint(b, pos, end);
    pos = p1;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (no === 0) throw new Error(`field number 0 at byte ${pos}`);
    if (wire === 0) {
      const [value, p2] = varint(b, pos, end);
      pos = p2;
      yield { no, wire, value, start: 0, end: 0 };
    } else if (wire === 2) {
      const [len, p2] = varint(b, pos, end);
      const s = p2;
      const e = s + Number(len);
      if (e > end) throw new Error(`length ${len} at byte ${pos} runs past the end`);
      pos = e;
      yield { no, wire, value: 0n, start: s, end: e };
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > end) throw new Error(`fixed field at byte ${pos} runs past the end`);
      let value = 0n;
      for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(b[pos + i]!);
      pos += n;
      yield { no, wire, value, start: 0, end: 0 };
    } else {
      throw new Error(`unsupported wire type ${wire} at byte ${pos}`);
    }
  }
}

function varint(b: Uint8Array, pos: number, end: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new Error('truncated varint');
    const byte = b[pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
  throw new Error('varint longer than 10 bytes');
}

const decoder = new TextDecoder('utf-8');
function text(b: Uint8Array, f: Field): string {
  return decoder.decode(b.subarray(f.start, f.end));
}
