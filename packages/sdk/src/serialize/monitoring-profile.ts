import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { OnnxModel } from '../model/onnx-model.ts';
import type { ModelTask, OutputRoles } from '../package/manifest.ts';
import { classShares, featureRanges, MONITORING_PROFILE_VERSION, predictedClasses, valueQuantiles, type MonitoringProfile } from '../package/monitoring-profile.ts';
import { readFeatureRows, toFloat32 } from './features.ts';

/** Rows of the training CSV the profile reads at most (ranges and reference predictions). */
export const PROFILE_MAX_ROWS = 100_000;

export interface ProfileOptions {
  model: OnnxModel;
  /** The training CSV (serialize's featuresFrom). */
  path: string;
  featureNames: string[];
  task: ModelTask;
  roles: OutputRoles;
  classLabels?: Array<string | number>;
  logger?: Logger;
}

/**
 * The monitoring profile of a package (package/monitoring-profile.ts) from its training CSV: each
 * feature's float32 min and max, and the model's own predictions on those rows — class shares for a
 * classifier, deciles for a single-output regressor. Returns undefined (with the reason) when the CSV
 * cannot be read as complete numeric rows, or the model does not take the classic single float32
 * [N, F] input (the server's range counters read that input only); the package is then written
 * without a profile.
 */
export async function monitoringProfile(o: ProfileOptions): Promise<{ profile?: MonitoringProfile; warning?: string }> {
  const inputs = o.model.signature.inputs;
  if (inputs.length !== 1 || inputs[0]!.type !== 'float32') {
    return { warning: `No monitoring profile (input ranges, reference predictions): it is recorded for models with one float32 input, and this one takes ${inputs.map((i) => `${i.name} (${i.type})`).join(', ')}.` };
  }
  let rows: number[][];
  try {
    rows = (await readFeatureRows(o.path, o.featureNames, PROFILE_MAX_ROWS, o.logger)).rows;
  } catch (err) {
    if (err instanceof InputError) return { warning: `No monitoring profile (input ranges, reference predictions): ${err.message}` };
    throw err;
  }
  const features = toFloat32(rows);
  const n = rows.length;
  const out = await o.model.predict(features, n);
  const profile: MonitoringProfile = {
    version: MONITORING_PROFILE_VERSION, rows: n, source: basename(o.path), features: featureRanges(o.featureNames, features, n),
  };
  if (o.task === 'classification') profile.classShares = classShares(predictedClasses(out, o.roles, n, o.classLabels), o.classLabels);
  else {
    const value = out[o.roles.value ?? Object.keys(out)[0]!]!;
    const inner = value.dims.slice(1).reduce((a, b) => a * b, 1);
    if (inner === 1) profile.valueQuantiles = valueQuantiles(Array.from({ length: n }, (_, r) => Number(value.data[r])));
  }
  return { profile };
}
