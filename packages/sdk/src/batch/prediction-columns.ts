import { asProbabilityMatrix } from '../model/output-roles.ts';
import { InputError, opt } from '../errors.ts';
import { classOfColumn, classOfLabelValue } from '../model/class-labels.ts';
import type { OutputTensor } from '../model/onnx-model.ts';
import type { PackageManifest } from '../package/manifest.ts';
import { writeAscii, writeFloat32Text } from './float-text.ts';
import { int64ToNumbers } from '../model/int64.ts';

export type OutputFormat = 'csv' | 'jsonl';

/**
 * What a batch output row holds after the kept columns, decided once from the package:
 *  - classification: `label` (the label output mapped to the package's class labels, or the argmax
 *    of the probabilities / scores when there is no label output), then `proba_<class>` for every class
 *    in the package's class order (scikit-learn's `classes_`) when the package has a probabilities output;
 *  - regression: `prediction` for one value per row, `prediction_0`, `prediction_1`, … for several.
 */
export interface PredictionLayout {
  task: 'classification' | 'regression';
  /** Output names to fetch. */
  fetch: string[];
  labelOutput?: string;
  probabilityOutput?: string;
  /** Probabilities are written (false: scores only used for the argmax). */
  writeProbabilities: boolean;
  classLabels?: Array<string | number>;
  valueOutput?: string;
  /** Values per row of the regression output. */
  valueWidth: number;
  /** Column names after the kept ones. */
  columns: string[];
}

/**
 * `valueWidth`: the regression output's values per row as a run showed them (skl2onnx declares a
 * multi-output regressor's output [N, 1] but returns [N, T]); default the declared shape.
 */
/** The regression output of a package (its `value` role, else the first tensor output). */
export function valueOutputOf(manifest: PackageManifest): string {
  return manifest.outputRoles.value && manifest.signature.outputs.some((o) => o.name === manifest.outputRoles.value) ? manifest.outputRoles.value : manifest.signature.outputs.filter((o) => o.isTensor)[0]!.name;
}

export function predictionLayout(manifest: PackageManifest, keep: readonly string[], valueWidth?: number): PredictionLayout {
  const outputs = manifest.signature.outputs.filter((o) => o.isTensor);
  const has = (name: string | undefined) => (name && outputs.some((o) => o.name === name) ? name : undefined);
  const roles = manifest.outputRoles;
  let layout: PredictionLayout;
  if (manifest.task === 'classification') {
    const labelOutput = has(roles.label);
    const probabilityOutput = has(roles.probabilities) ?? has(roles.scores);
    const writeProbabilities = has(roles.probabilities) !== undefined;
    if (!labelOutput && !probabilityOutput) throw new InputError(`${manifest.name}: a classification package without a label or probabilities output; write it again with mlship serialize.`);
    const declared = probabilityOutput ? Number(outputs.find((o) => o.name === probabilityOutput)!.shape[1] ?? 1) : 0;
    // A single probability column is p(class 1) of the classes [0, 1] (model/output-roles.ts).
    const k = declared === 1 && writeProbabilities ? 2 : declared;
    const classLabels = manifest.classLabels ?? (k > 0 ? Array.from({ length: k }, (_, j) => j) : undefined);
    if (writeProbabilities && !(k > 0) && !manifest.classLabels) throw new InputError(`${manifest.name}: the probabilities output has no fixed class count and the package has no classLabels.`);
    const columns = ['label', ...(writeProbabilities ? classLabels!.map((c) => `proba_${c}`) : [])];
    layout = { task: 'classification', fetch: [labelOutput, probabilityOutput].filter((x): x is string => !!x), ...(labelOutput ? { labelOutput } : {}), ...(probabilityOutput ? { probabilityOutput } : {}), writeProbabilities, ...(classLabels ? { classLabels } : {}), valueWidth: 0, columns };
  } else {
    const valueOutput = valueOutputOf(manifest);
    const spec = outputs.find((o) => o.name === valueOutput)!;
    const inner = spec.shape.slice(1);
    const width = valueWidth ?? (inner.length === 0 ? 1 : inner.reduce<number>((a, d) => a * (typeof d === 'number' && d > 0 ? d : NaN), 1));
    if (!Number.isInteger(width)) throw new InputError(`${manifest.name}: regression output ${valueOutput} has no fixed width (shape [${spec.shape.join(', ')}]); batch scoring needs one.`);
    layout = { task: 'regression', fetch: [valueOutput], writeProbabilities: false, valueOutput, valueWidth: width, columns: width === 1 ? ['prediction'] : Array.from({ length: width }, (_, j) => `prediction_${j}`) };
  }
  const twice = keep.find((k, i) => keep.indexOf(k) !== i);
  if (twice !== undefined) throw new InputError(`${opt('keep')} names column "${twice}" twice; name each column to keep once.`);
  const clash = keep.find((k) => layout.columns.includes(k));
  if (clash) throw new InputError(`${opt('keep')} column "${clash}" has the name of a prediction column; rename it in the data.`);
  return layout;
}

/** A CSV field: quoted (RFC 4180, quotes doubled) when it holds a separator, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line of the output (CSV) — nothing for JSON Lines. */
export function outputHeader(layout: PredictionLayout, keep: readonly string[], format: OutputFormat): string {
  return format === 'csv' ? `${[...keep, ...layout.columns].map(csvField).join(',')}\n` : '';
}

/**
 * Output rows as text. A float32 output is written with 9 significant digits (`toPrecision(9)`, by
 * float-text.ts without a string per value): reading the text back and rounding to float32 gives
 * onnxruntime's float32 bit for bit. A float64 output is written in JavaScript's shortest round-trip
 * form (the float64 exactly). NaN is `NaN` in CSV (±Infinity as `Infinity`), null in JSON Lines.
 * Returns the rows' UTF-8 bytes.
 */
export function formatRows(layout: PredictionLayout, outputs: Record<string, OutputTensor>, rows: number, keep: readonly string[], kept: Record<string, string[]>, format: OutputFormat): Uint8Array {
  const keptCols = keep.map((k) => kept[k]!);
  const csv = format === 'csv';
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  // What goes before each field: a comma in CSV, `,"name":` in JSON Lines (`{"name":` for the first).
  const keys = [...keep, ...layout.columns].map((k, i) => utf8(csv ? (i === 0 ? '' : ',') : `${i === 0 ? '{' : ','}${JSON.stringify(k)}:`));
  const txt = csv ? csvField : (s: string) => JSON.stringify(s);
  const labels = layout.labelOutput ? outputs[layout.labelOutput]! : undefined;
  const proba = layout.probabilityOutput ? outputs[layout.probabilityOutput]! : undefined;
  const single = proba !== undefined && layout.writeProbabilities && (proba.dims[1] ?? 1) === 1;
  const k = proba ? (single ? 2 : proba.dims[1] ?? 1) : 0;
  const pd = single ? asProbabilityMatrix(proba, rows).data : proba?.data as ArrayLike<number> | undefined;
  const value = layout.valueOutput ? outputs[layout.valueOutput]! : undefined;
  const float32 = (proba ?? value)?.type === 'float32';
  // Each class's label field, encoded once.
  const labelBytes = new Map<string | number, Uint8Array>();
  const labelOf = (l: string | number) => {
    let b = labelBytes.get(l);
    if (b === undefined) labelBytes.set(l, b = utf8(csv ? (typeof l === 'string' ? csvField(l) : String(l)) : JSON.stringify(l)));
    return b;
  };
  const width = layout.task === 'classification' ? (layout.writeProbabilities ? k : 0) : layout.valueWidth;
  const nk = keptCols.length;
  // Bytes a row needs beyond its kept text: the keys, a label, and at most 24 per number.
  const fixed = keys.reduce((n, b) => n + b.length, 0) + width * 24 + 2;
  let bytes = Buffer.allocUnsafe(Math.max(1024, rows * 32));
  let at = 0;
  const room = (n: number) => {
    if (bytes.length - at >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + n));
    bytes.copy(bigger, 0, 0, at);
    bytes = bigger;
  };
  const put = (b: Uint8Array) => { bytes.set(b, at); at += b.length; };
  const number = (x: number) => {
    if (float32 && Number.isFinite(x)) at = writeFloat32Text(bytes, at, x);
    else at = writeAscii(bytes, at, Number.isFinite(x) || csv ? String(x) : 'null');
  };
  // int64 labels as numbers, read without a BigInt per row (classOfLabelValue takes Number(v) anyway).
  const labelData = labels && (labels.data instanceof BigInt64Array ? int64ToNumbers(labels.data) : labels.data);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < nk; c++) {
      const t = txt(keptCols[c]![r]!);
      room(keys[c]!.length + t.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
      put(keys[c]!);
      at += bytes.write(t, at);
    }
    if (layout.task === 'classification') {
      let label: string | number;
      if (labelData) label = classOfLabelValue(labelData[r] as number | bigint | string, layout.classLabels);
      else {
        let best = 0;
        for (let j = 1; j < k; j++) if (pd![r * k + j]! > pd![r * k + best]!) best = j;
        label = classOfColumn(best, layout.classLabels);
      }
      const lb = labelOf(label);
      room(fixed + lb.length);
      put(keys[nk]!);
      put(lb);
      if (layout.writeProbabilities) for (let j = 0; j < k; j++) { put(keys[nk + 1 + j]!); number(Number(pd![r * k + j])); }
    } else {
      room(fixed);
      const vd = value!.data as ArrayLike<number>;
      for (let j = 0; j < width; j++) { put(keys[nk + j]!); number(Number(vd[r * width + j])); }
    }
    if (!csv) bytes[at++] = 125; // }
    bytes[at++] = 10; // \n
  }
  return bytes.subarray(0, at);
}
