import { rowsBatch, type ColumnRow, type InputBinding } from '../model/input-map.ts';
import type { OnnxModel } from '../model/onnx-model.ts';
import { compareOutputSets, DEFAULT_PARITY_TOLERANCE, describeMismatch, tensorRows, type OutputComparison, type ParityTolerance } from '../compare/outputs.ts';
import type { GoldenExamples, PackageManifest } from './manifest.ts';

/** Row-major float32 matrix of numeric golden input rows (a single float input). */
export function goldenFeatures(inputs: number[][]): Float32Array {
  const nf = inputs[0]?.length ?? 0;
  const out = new Float32Array(inputs.length * nf);
  inputs.forEach((row, i) => out.set(row, i * nf));
  return out;
}

/** The manifest's inputs as bindings (model/input-map.ts). */
export function manifestBindings(manifest: Pick<PackageManifest, 'inputs'>): InputBinding[] {
  return manifest.inputs.map((i) => ({ name: i.name, type: i.type as InputBinding['type'], columns: i.columns }));
}

/** Runs golden rows (values in `columns` order) through the model, fed per `bindings`, and records every tensor output per row. */
export async function computeGolden(model: OnnxModel, inputs: ColumnRow[], columns: readonly string[], bindings: readonly InputBinding[]): Promise<GoldenExamples> {
  if (inputs.length === 0) return { inputs: [], outputs: {} };
  const result = await model.run(rowsBatch(inputs, columns, bindings));
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
 * numbers within `tolerance` (default the parity gate's float32 defaults), see compare/outputs.ts.
 */
export async function checkGolden(model: OnnxModel, manifest: PackageManifest, tolerance: ParityTolerance = DEFAULT_PARITY_TOLERANCE): Promise<GoldenCheckResult> {
  const { inputs, outputs } = manifest.golden;
  const actual = await computeGolden(model, inputs, manifest.featureNames, manifestBindings(manifest));
  const { comparisons, failed } = compareOutputSets(outputs, actual.outputs, { labelOutput: manifest.outputRoles.label, tolerance });
  return { passed: !failed, rows: inputs.length, comparisons, message: failed ? describeMismatch(failed) : `${inputs.length} golden rows reproduce` };
}
