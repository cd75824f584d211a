import type { OnnxModel, OutputTensor } from '../model/onnx-model.ts';
import { compareLabels, compareNumeric, DEFAULT_PARITY_TOLERANCE, describeMismatch, type OutputComparison, type ParityTolerance, type RowValue } from '../serialize/parity.ts';
import type { GoldenExamples, PackageManifest } from './manifest.ts';

/**
 * Splits an output tensor into one JSON value per row: a scalar for [N] and [N, 1], an array for
 * [N, K]. int64 becomes a number (labels and counts fit in 2^53), strings stay strings, float32 is
 * the exact float64 of the float32. Higher ranks are flattened per row.
 */
export function tensorRows(t: OutputTensor): RowValue[] {
  const rows = t.dims[0] ?? 0;
  const inner = rows === 0 ? 0 : t.data.length / rows;
  const scalar = t.dims.length === 1 || (t.dims.length === 2 && t.dims[1] === 1);
  const value = (i: number): number | string => {
    const v = (t.data as ArrayLike<number | bigint | string>)[i]!;
    return typeof v === 'bigint' ? Number(v) : v;
  };
  const out: RowValue[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    if (scalar) out[r] = value(r * inner);
    else {
      const row: Array<number | string> = new Array(inner);
      for (let j = 0; j < inner; j++) row[j] = value(r * inner + j);
      out[r] = row;
    }
  }
  return out;
}

/** Row-major float32 matrix of golden input rows. */
export function goldenFeatures(inputs: number[][]): Float32Array {
  const nf = inputs[0]?.length ?? 0;
  const out = new Float32Array(inputs.length * nf);
  inputs.forEach((row, i) => out.set(row, i * nf));
  return out;
}

/** Runs `rows` through the model and records every tensor output per row. */
export async function computeGolden(model: OnnxModel, inputs: number[][]): Promise<GoldenExamples> {
  if (inputs.length === 0) return { inputs: [], outputs: {} };
  const result = await model.predict(goldenFeatures(inputs), inputs.length);
  const outputs: GoldenExamples['outputs'] = {};
  for (const [name, t] of Object.entries(result)) outputs[name] = tensorRows(t);
  return { inputs, outputs };
}

export interface GoldenCheckResult {
  passed: boolean;
  rows: number;
  comparisons: OutputComparison[];
  /** The first failure in one sentence, or "n rows reproduce". */
  message: string;
}

/**
 * Re-runs the golden inputs and compares with the stored outputs: labels must agree on every row,
 * numbers within `tolerance` (default the parity gate's float32 defaults), see serialize/parity.ts.
 */
export async function checkGolden(model: OnnxModel, manifest: PackageManifest, tolerance: ParityTolerance = DEFAULT_PARITY_TOLERANCE): Promise<GoldenCheckResult> {
  const { inputs, outputs } = manifest.golden;
  const actual = await computeGolden(model, inputs);
  const comparisons: OutputComparison[] = [];
  for (const [name, expected] of Object.entries(outputs)) {
    const got = actual.outputs[name] ?? [];
    const isLabel = name === manifest.outputRoles.label || typeof expected.flat()[0] === 'string';
    comparisons.push(isLabel ? compareLabels(name, expected, got, { ...tolerance, minLabelAgreement: 1 }) : compareNumeric(name, expected, got, tolerance));
  }
  const failed = comparisons.find((c) => !c.passed);
  return { passed: !failed, rows: inputs.length, comparisons, message: failed ? describeMismatch(failed) : `${inputs.length} golden rows reproduce` };
}
