import type { OutputTensor } from '../model/onnx-model.ts';
import { excerptValue } from '../util/excerpt.ts';
import { checkJsonDepth } from './json-limits.ts';
import { OIP_DATATYPES, type ServedModel } from './served-model.ts';

/** An error with an HTTP status; the server answers `{"error": message}` (the OIP error object). */
export class HttpError extends Error {
  readonly status: number;
  readonly headers?: Record<string, string>;
  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const bad = (message: string) => new HttpError(400, message);

/** Parses a request body as JSON; 400 with the parser's reason (position) otherwise. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw bad('the request body is empty; send a JSON object');
  checkJsonDepth(body);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw bad(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : typeof v === 'object' ? 'an object' : typeof v;
}

/** Writes one JSON value into the float32 buffer; rejects non-numbers and values not finite in float32. */
function putNumber(out: Float32Array, at: number, v: unknown, where: () => string): void {
  if (typeof v !== 'number') throw bad(`${where()} is ${typeName(v)}; expected a finite number`);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw bad(`${where()} = ${v} is not finite in float32 (|x| > 3.4e38); values must be finite numbers`);
  out[at] = f;
}

export interface ParsedRows {
  features: Float32Array;
  rows: number;
}

export interface ParsedInferRequest extends ParsedRows {
  id?: string;
  /** Requested outputs (default: all). */
  outputs: string[];
}

/**
 * Validates an OIP V2 inference request against the model's signature and returns its rows:
 * `{id?, parameters?, inputs: [{name, shape, datatype, data, parameters?}], outputs?: [{name}]}` with one
 * input named as the model's, datatype FP32, shape [rows, features], and `data` row-major, flat or
 * nested to the shape. Any mismatch is a 400 naming the field.
 */
export function parseInferRequest(body: unknown, model: ServedModel): ParsedInferRequest {
  if (!isObject(body)) throw bad(`the inference request must be a JSON object with "inputs", got ${typeName(body)}`);
  let id: string | undefined;
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') throw bad(`"id" must be a string, got ${typeName(body.id)}`);
    id = body.id;
  }
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) throw bad(`"inputs" must be a non-empty array of tensors; model ${model.name} takes one input "${model.inputName}" (FP32, shape [-1, ${model.featureCount}])`);
  if (inputs.length !== 1) throw bad(`"inputs" has ${inputs.length} tensors; model ${model.name} takes exactly one, "${model.inputName}"`);
  const t = inputs[0];
  if (!isObject(t)) throw bad(`inputs[0] must be an object {name, shape, datatype, data}, got ${typeName(t)}`);
  if (t.name !== model.inputName) throw bad(`inputs[0].name is ${excerptValue(t.name)}; model ${model.name} has one input, "${model.inputName}"`);
  if (t.datatype !== 'FP32') throw bad(`inputs[0].datatype is ${excerptValue(t.datatype)}; input "${model.inputName}" is FP32`);
  const shape = t.shape;
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw bad(`inputs[0].shape must be an array of non-negative integers, got ${excerptValue(shape)}`);
  }
  const F = model.featureCount;
  let rows: number;
  if (shape.length === 2 && shape[1] === F) rows = shape[0] as number;
  else if (shape.length === 1 && shape[0] === F) rows = 1; // a single row without the batch dimension
  else throw bad(`inputs[0].shape ${excerptValue(shape)} does not fit input "${model.inputName}" [-1, ${F}]: send [rows, ${F}]`);
  if (rows === 0) throw bad(`inputs[0].shape ${excerptValue(shape)} has no rows`);
  const data = t.data;
  if (!Array.isArray(data)) throw bad(`inputs[0].data must be an array (row-major, flat or nested), got ${typeName(data)}`);
  // The shape is checked against the data before anything is allocated: a claimed [1e9, F] with a few
  // values must not make the server reserve gigabytes.
  const nested = data.length > 0 && Array.isArray(data[0]);
  if (nested && data.length !== rows) throw bad(`inputs[0].data has ${data.length} rows but shape ${excerptValue(shape)} says ${rows}`);
  if (!nested && data.length !== rows * F) throw bad(`inputs[0].data has ${data.length} values but shape ${excerptValue(shape)} needs ${rows * F}`);
  const features = new Float32Array(rows * F);
  if (nested) {
    // Nested to the shape: [[f0, f1, …], …] for [rows, F] (or [f0, …] for [F]).
    if (shape.length === 1) throw bad(`inputs[0].data is nested but shape ${excerptValue(shape)} has one dimension`);
    for (let r = 0; r < rows; r++) {
      const row = data[r];
      if (!Array.isArray(row)) throw bad(`inputs[0].data[${r}] is ${typeName(row)}; expected a row of ${F} numbers`);
      if (row.length !== F) throw bad(`inputs[0].data[${r}] has ${row.length} values; input "${model.inputName}" takes ${F}`);
      for (let c = 0; c < F; c++) putNumber(features, r * F + c, row[c], () => `inputs[0].data[${r}][${c}]`);
    }
  } else {
    for (let i = 0; i < data.length; i++) putNumber(features, i, data[i], () => `inputs[0].data[${i}]`);
  }
  let outputs = model.outputs.map((o) => o.name);
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw bad(`"outputs" must be an array of {name}, got ${typeName(body.outputs)}`);
    outputs = body.outputs.map((o, i) => {
      const name = isObject(o) ? o.name : undefined;
      if (typeof name !== 'string') throw bad(`outputs[${i}] must be an object with a "name" string`);
      if (!model.outputs.some((m) => m.name === name)) throw bad(`outputs[${i}].name ${excerptValue(name)} is not an output of model ${model.name}; outputs: ${model.outputs.map((m) => m.name).join(', ')}`);
      return name;
    });
  }
  return { id, features, rows, outputs };
}

/**
 * Validates a /predict body: `{"instances": [...]}` or a bare array of instances, each either an
 * array of the F feature values in order or an object keyed by feature name (all names, no others).
 */
export function parsePredictRequest(body: unknown, model: ServedModel): ParsedRows {
  const instances = Array.isArray(body) ? body : isObject(body) ? body.instances : undefined;
  if (!Array.isArray(instances)) throw bad(`the body must be {"instances": [...]} or an array of rows, got ${typeName(isObject(body) ? body.instances : body)}${isObject(body) ? ' for "instances"' : ''}`);
  if (instances.length === 0) throw bad('"instances" is empty; send at least one row');
  const F = model.featureCount;
  const rows = instances.length;
  const features = new Float32Array(rows * F);
  const names = model.featureNames;
  let index: Map<string, number> | undefined;
  for (let r = 0; r < rows; r++) {
    const row = instances[r];
    if (Array.isArray(row)) {
      if (row.length !== F) throw bad(`instances[${r}] has ${row.length} values; model ${model.name} takes ${F} features${names ? ` (${names.slice(0, 4).join(', ')}${F > 4 ? ', …' : ''})` : ''}`);
      for (let c = 0; c < F; c++) putNumber(features, r * F + c, row[c], () => `instances[${r}][${c}]`);
    } else if (isObject(row)) {
      if (!names) throw bad(`instances[${r}] is an object, but model ${model.name} was served without feature names; send rows as arrays of ${F} numbers`);
      index ??= new Map(names.map((n, i) => [n, i]));
      // `id` is the row id (server/request-ids.ts) unless the model has a feature of that name.
      const keys = Object.keys(row).filter((k) => k !== 'id' || index!.has(k));
      for (const k of keys) if (!index.has(k)) throw bad(`instances[${r}] has unknown feature ${excerptValue(k)}; the model's features are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
      if (keys.length !== F) {
        const missing = names.filter((n) => !(n in row));
        throw bad(`instances[${r}] is missing feature(s) ${missing.map((n) => JSON.stringify(n)).join(', ')}`);
      }
      for (let c = 0; c < F; c++) putNumber(features, r * F + c, row[names[c]!], () => `instances[${r}][${JSON.stringify(names[c])}]`);
    } else {
      throw bad(`instances[${r}] is ${typeName(row)}; expected an array of ${F} numbers or an object keyed by feature name`);
    }
  }
  return { features, rows };
}

/** Tensor data as JSON values: numbers (int64 via Number: labels and counts fit in 2^53), strings kept (BYTES). */
function toJsonNumbers(data: OutputTensor['data']): Array<number | string> {
  const out = new Array<number | string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = (data as ArrayLike<number | bigint | string>)[i]!;
    out[i] = typeof v === 'string' ? v : Number(v);
  }
  return out;
}

/**
 * The OIP V2 inference response for one request's slice of the outputs, written directly as JSON text
 * (4× faster than building objects for JSON.stringify, measured on digits_mlp's outputs; this is on
 * the hot path of every request).
 */
export function inferResponse(model: ServedModel, id: string | undefined, wanted: string[], outputs: Record<string, OutputTensor>): string {
  let s = `{"model_name":${JSON.stringify(model.name)},"model_version":${JSON.stringify(model.version)}`;
  if (id !== undefined) s += `,"id":${JSON.stringify(id)}`;
  s += ',"outputs":[';
  for (let i = 0; i < wanted.length; i++) {
    const name = wanted[i]!;
    const t = outputs[name]!;
    s += `${i ? ',' : ''}{"name":${JSON.stringify(name)},"shape":[${t.dims.join(',')}],"datatype":${JSON.stringify(OIP_DATATYPES[t.type] ?? t.type.toUpperCase())},"data":${tensorDataJson(t.data)}}`;
  }
  return `${s}]}`;
}

/**
 * A tensor's flat data as a JSON array: numbers as JavaScript prints them (int64 exactly, float32 as
 * the exact double of the float32), strings quoted; NaN and ±Infinity, which JSON cannot hold, as null.
 */
export function tensorDataJson(data: OutputTensor['data']): string {
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) return JSON.stringify(Array.from(data, (x) => (Number.isFinite(x) ? x : null)));
    }
    return `[${data.join(',')}]`;
  }
  if (ArrayBuffer.isView(data)) return `[${(data as unknown as { join(sep: string): string }).join(',')}]`;
  return JSON.stringify(toJsonNumbers(data));
}

/**
 * One /predict row. A classifier: `{label, classes?, probabilities?}` where `probabilities[j]` is the
 * probability of `classes[j]` (the model's own class order, as scikit-learn's `classes_`). Two arrays,
 * not an object keyed by class: JSON objects put integer-like keys first, so `{"1": …, "-1": …}` cannot
 * keep the model's order (and a label `1` vs `"1"` would be lost). A regressor: the value, or the values
 * of a multi-output row.
 */
export type Prediction = number | Array<number | string> | ClassPrediction;
export interface ClassPrediction { label: string | number; classes?: Array<string | number>; probabilities?: number[] }

/** Turns one request's outputs into /predict rows (labels mapped to class labels, argmax when the model has no label output). */
export function predictions(model: ServedModel, outputs: Record<string, OutputTensor>, rows: number): Prediction[] {
  const out: Prediction[] = new Array(rows);
  if (model.task === 'classification') {
    const labels = model.labelOutput ? outputs[model.labelOutput]! : undefined;
    const proba = model.probabilityOutput ? outputs[model.probabilityOutput]! : undefined;
    const k = proba ? proba.dims[1]! : 0;
    const classes = proba && model.hasProbabilities ? Array.from({ length: k }, (_, j) => model.labelOf(j)) : undefined;
    for (let r = 0; r < rows; r++) {
      let label: string | number;
      if (labels) label = model.labelOfOutput(labels.data[r] as number | bigint | string);
      else {
        let best = 0;
        for (let j = 1; j < k; j++) if ((proba!.data[r * k + j] as number) > (proba!.data[r * k + best] as number)) best = j;
        label = model.labelOf(best);
      }
      const p: ClassPrediction = { label };
      if (classes) {
        p.classes = classes;
        const row = new Array<number>(k);
        for (let j = 0; j < k; j++) row[j] = Number(proba!.data[r * k + j]);
        p.probabilities = row;
      }
      out[r] = p;
    }
  } else {
    const first = outputs[model.valueOutput]!;
    const inner = first.dims.slice(1).reduce((a, b) => a * b, 1);
    for (let r = 0; r < rows; r++) {
      if (inner === 1) out[r] = Number(first.data[r]);
      else {
        const v = new Array<number | string>(inner);
        for (let j = 0; j < inner; j++) v[j] = Number(first.data[r * inner + j]);
        out[r] = v;
      }
    }
  }
  return out;
}
