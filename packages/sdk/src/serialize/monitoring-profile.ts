import { basename } from 'node:path';
import { readCsvHeader } from '../data/csv.ts';
import { readModelTable } from '../data/model-table.ts';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { isDenseBinding, stringColumnsOf, tableBatch, type InputBinding } from '../model/input-map.ts';
import type { OnnxModel } from '../model/onnx-model.ts';
import type { ModelTask, OutputRoles } from '../package/manifest.ts';
import {
  categoryProfile, classShares, featureRanges, MONITORING_PROFILE_VERSION, numericRange, predictedClasses, valueQuantiles,
  type FeatureProfile, type MonitoringProfile,
} from '../package/monitoring-profile.ts';

/** Rows of the training CSV the profile reads at most (ranges, categories and reference predictions). */
export const PROFILE_MAX_ROWS = 100_000;

export interface ProfileOptions {
  model: OnnxModel;
  /** The training CSV (serialize's featuresFrom). */
  path: string;
  featureNames: string[];
  /** How the feature columns feed the model's inputs (model/input-map.ts). */
  bindings: InputBinding[];
  /** Missing numeric cells are allowed (NaN; left out of the ranges). */
  allowMissing: boolean;
  task: ModelTask;
  roles: OutputRoles;
  classLabels?: Array<string | number>;
  logger?: Logger;
}

/**
 * The monitoring profile of a package (package/monitoring-profile.ts) from the first PROFILE_MAX_ROWS
 * rows of its training CSV, read the way the model takes them (data/model-table.ts, the bindings):
 * for each feature column, the min and max of a numeric column as its input sees the values (float32
 * rounding for a float32 input, 0/1 for bool), or the categories of a string column; and the model's
 * own predictions on those rows — class shares for a classifier, deciles for a single-output
 * regressor. Returns undefined (with the reason) when the CSV cannot be read for the model (a missing
 * cell without allowMissing, text in a numeric column); the package is then written without a profile.
 */
export async function monitoringProfile(o: ProfileOptions): Promise<{ profile?: MonitoringProfile; warning?: string }> {
  const fileOrder = (await readCsvHeader(o.path)).filter((c) => o.featureNames.includes(c));
  const dense = isDenseBinding(o.bindings, fileOrder);
  let table;
  let batch;
  try {
    table = await readModelTable(o.path, {
      targets: [], features: o.featureNames, stringColumns: stringColumnsOf(o.bindings), allowMissing: o.allowMissing, dense, maxRows: PROFILE_MAX_ROWS, logger: o.logger,
    });
    batch = tableBatch(table, o.bindings);
  } catch (err) {
    if (err instanceof InputError) return { warning: `No monitoring profile (input ranges, reference predictions): ${err.message}` };
    throw err;
  }
  const n = table.rows;
  if (n === 0) return { warning: `No monitoring profile (input ranges, reference predictions): ${o.path} has no data rows.` };
  const byName = new Map<string, FeatureProfile>();
  if (table.dense) for (const r of featureRanges(table.featureNames, table.dense, n)) byName.set(r.name, r);
  else {
    const typeOf = new Map(o.bindings.flatMap((b) => b.columns.map((c) => [c, b.type] as const)));
    for (const name of o.featureNames) {
      const col = table.columns[name]!;
      if (col.kind === 'string') { byName.set(name, categoryProfile(name, col.values)); continue; }
      const v = col.values;
      const type = typeOf.get(name);
      const seen = type === 'float32' ? (i: number) => Math.fround(v[i]!) : type === 'bool' ? (i: number) => (Number.isNaN(v[i]!) ? NaN : v[i] !== 0 ? 1 : 0) : (i: number) => v[i]!;
      const r = numericRange(name, { length: n, at: seen });
      if (r) byName.set(name, r);
    }
  }
  const out = await o.model.run(batch, { logger: o.logger });
  const profile: MonitoringProfile = {
    version: MONITORING_PROFILE_VERSION, rows: n, source: basename(o.path),
    features: o.featureNames.flatMap((name) => byName.get(name) ?? []),
  };
  if (o.task === 'classification') profile.classShares = classShares(predictedClasses(out, o.roles, n, o.classLabels), o.classLabels);
  else {
    const value = out[o.roles.value ?? Object.keys(out)[0]!]!;
    const inner = value.dims.slice(1).reduce((a, b) => a * b, 1);
    if (inner === 1) profile.valueQuantiles = valueQuantiles(Array.from({ length: n }, (_, r) => Number(value.data[r])));
  }
  return { profile };
}
