import { InputError } from '../errors.ts';
import { classOfColumn, classOfLabelValue } from '../model/class-labels.ts';
import type { OutputTensor } from '../model/onnx-model.ts';
import { quantileLinear } from '../metrics/quantile.ts';
import type { OutputRoles, PackageManifest } from './manifest.ts';

/**
 * The package's monitoring profile (manifest field `monitoring`, optional, versioned on its own): what
 * the training data and the model's predictions on it looked like, so the server can count inputs
 * outside the training data and compare live predictions with the reference ones.
 *
 *   "monitoring": {
 *     "version": 2, "rows": 120, "source": "train.csv",
 *     "features": [{ "name": "sepal_length", "min": 4.3, "max": 7.9 },          (numeric columns)
 *                  { "name": "city", "categories": ["lille", "lyon", …] },       (string columns)
 *                  { "name": "comment", "freeText": true }, …],                  (string columns over the cap)
 *     "classShares": [{ "label": "setosa", "share": 0.333 }, …]          (classifiers)
 *     "valueQuantiles": [q0.1, q0.2, …, q0.9]                           (single-output regressors)
 *   }
 *
 * One entry per feature column, whatever input it feeds (model/input-map.ts). Version 1 (numeric
 * ranges only) reads as a version 2 profile without categories.
 */
export const MONITORING_PROFILE_VERSION = 2;

/**
 * A string column keeps at most this many distinct training values, and at most
 * MAX_PROFILE_CATEGORY_CHARS characters of them in all; a column beyond either is recorded as free
 * text (`freeText: true`) and its unseen values are not counted (an identifier or a comment, not a
 * category: every value would be "unseen").
 */
export const MAX_PROFILE_CATEGORIES = 1000;
export const MAX_PROFILE_CATEGORY_CHARS = 65_536;

/** The training range of one numeric feature (NaN / missing cells ignored), as the model sees the values (float32 for a float32 input). */
export interface FeatureRange {
  name: string;
  min: number;
  max: number;
}

/** The values one string (categorical) feature took in training, sorted by code unit. */
export interface FeatureCategories {
  name: string;
  categories: string[];
}

/** A string feature with more distinct values than the cap: not checked. */
export interface FeatureFreeText {
  name: string;
  freeText: true;
}

export type FeatureProfile = FeatureRange | FeatureCategories | FeatureFreeText;

export function isFeatureRange(f: FeatureProfile): f is FeatureRange {
  return 'min' in f;
}

export function isFeatureCategories(f: FeatureProfile): f is FeatureCategories {
  return 'categories' in f;
}

export interface MonitoringProfile {
  version: number;
  /** Rows the profile was computed from. */
  rows: number;
  /** File name (no directory) of the data it was computed from. */
  source?: string;
  /** One entry per feature column that had values (a numeric column of only missing cells is left out). */
  features: FeatureProfile[];
  /** Classifiers: each class label's share of the model's predictions on the reference rows, in classLabels order. */
  classShares?: Array<{ label: string | number; share: number }>;
  /** Regressors with one value per row: deciles 0.1 … 0.9 of the predictions on the reference rows (numpy.quantile's default, metrics/quantile.ts). */
  valueQuantiles?: number[];
}

/** The probabilities at which valueQuantiles are taken. */
export const PROFILE_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];


/** Min and max of each feature over row-major `features` ([rows, names.length]), NaN skipped; a feature with no value is left out. */
export function featureRanges(names: readonly string[], features: ArrayLike<number>, rows: number): FeatureRange[] {
  const F = names.length;
  const out: FeatureRange[] = [];
  for (let c = 0; c < F; c++) {
    const r = numericRange(names[c]!, { length: rows, at: (i) => features[i * F + c]! });
    if (r) out.push(r);
  }
  return out;
}

/** Min and max of `values` (NaN skipped), undefined when there is none. */
export function numericRange(name: string, values: { length: number; at(i: number): number }): FeatureRange | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values.at(i);
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { name, min, max } : undefined;
}

/** The distinct `values` of a string column, sorted by code unit; free text beyond MAX_PROFILE_CATEGORIES values or MAX_PROFILE_CATEGORY_CHARS characters. */
export function categoryProfile(name: string, values: readonly string[]): FeatureCategories | FeatureFreeText {
  const seen = new Set<string>();
  let chars = 0;
  for (const v of values) {
    if (seen.has(v)) continue;
    seen.add(v);
    chars += v.length;
    if (seen.size > MAX_PROFILE_CATEGORIES || chars > MAX_PROFILE_CATEGORY_CHARS) return { name, freeText: true };
  }
  return { name, categories: [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** Each label's share of `predicted`, in `classLabels` order (labels predicted but not listed follow, in first-seen order). */
export function classShares(predicted: ReadonlyArray<string | number>, classLabels: ReadonlyArray<string | number> = []): Array<{ label: string | number; share: number }> {
  const counts = new Map<string, { label: string | number; n: number }>();
  for (const l of classLabels) counts.set(String(l), { label: l, n: 0 });
  for (const l of predicted) {
    const e = counts.get(String(l));
    if (e) e.n++;
    else counts.set(String(l), { label: l, n: 1 });
  }
  return [...counts.values()].map(({ label, n }) => ({ label, share: predicted.length ? n / predicted.length : 0 }));
}

/** Deciles (PROFILE_QUANTILES) of `values` (NaN dropped). */
export function valueQuantiles(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  return PROFILE_QUANTILES.map((p) => quantileLinear(sorted, p));
}

/** The class of each row: the label output mapped to class labels, else the argmax of probabilities (or scores). */
export function predictedClasses(out: Record<string, OutputTensor>, roles: OutputRoles, rows: number, classLabels?: ReadonlyArray<string | number>): Array<string | number> {
  const labels = roles.label ? out[roles.label] : undefined;
  if (labels) return Array.from({ length: rows }, (_, r) => classOfLabelValue(labels.data[r] as number | bigint | string, classLabels));
  const scores = out[roles.probabilities ?? roles.scores ?? ''];
  if (!scores) throw new InputError('the classifier has neither a label output nor probabilities/scores to take the class from.');
  const k = scores.dims[1] ?? 1;
  // A single probability column is p(class 1): class 1 when p > 0.5 (model/output-roles.ts).
  if (k === 1 && roles.probabilities) return Array.from({ length: rows }, (_, r) => classOfColumn(Number(scores.data[r]) > 0.5 ? 1 : 0, classLabels));
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (Number(scores.data[r * k + j]) > Number(scores.data[r * k + best])) best = j;
    return classOfColumn(best, classLabels);
  });
}

/** The manifest with `profile` recorded (the only writer of the field). */
export function withMonitoringProfile(manifest: PackageManifest, profile: MonitoringProfile): PackageManifest {
  return { ...manifest, monitoring: profile };
}

/** Validates a manifest's `monitoring` field; `source` names the manifest in errors. */
export function parseMonitoringProfile(raw: unknown, source: string): MonitoringProfile {
  const bad = (field: string, what: string): never => {
    throw new InputError(`${source}: field "monitoring.${field}" ${what}. The package is damaged or was edited by hand — write it again with mlship serialize.`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(root)', 'must be an object');
  const m = raw as Record<string, unknown>;
  if (typeof m.version !== 'number' || !Number.isInteger(m.version) || m.version < 1) bad('version', 'must be a positive integer');
  if ((m.version as number) > MONITORING_PROFILE_VERSION) {
    throw new InputError(`${source}: monitoring.version ${m.version} is newer than this mlship understands (${MONITORING_PROFILE_VERSION}); upgrade mlship.`);
  }
  if (typeof m.rows !== 'number' || !Number.isInteger(m.rows) || m.rows < 0) bad('rows', 'must be a whole number');
  if (m.source !== undefined && typeof m.source !== 'string') bad('source', 'must be a string');
  if (!Array.isArray(m.features)) bad('features', 'must be an array');
  (m.features as unknown[]).forEach((f, i) => {
    const e = f as Record<string, unknown>;
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string') bad(`features[${i}].name`, 'must be a feature name');
    if ('categories' in e) {
      if (!Array.isArray(e.categories) || !e.categories.every((c) => typeof c === 'string') || e.categories.length > MAX_PROFILE_CATEGORIES) bad(`features[${i}].categories`, `must be at most ${MAX_PROFILE_CATEGORIES} strings`);
    } else if ('freeText' in e) {
      if (e.freeText !== true) bad(`features[${i}].freeText`, 'must be true');
    } else if (typeof e.min !== 'number' || typeof e.max !== 'number' || !(e.min <= e.max)) bad(`features[${i}]`, 'must have numbers min ≤ max, categories, or freeText');
  });
  if (m.classShares !== undefined) {
    if (!Array.isArray(m.classShares)) bad('classShares', 'must be an array');
    (m.classShares as unknown[]).forEach((c, i) => {
      const e = c as Record<string, unknown>;
      if (typeof e !== 'object' || e === null || !(typeof e.label === 'string' || typeof e.label === 'number') || typeof e.share !== 'number' || !(e.share >= 0 && e.share <= 1)) {
        bad(`classShares[${i}]`, 'must be {label, share} with 0 ≤ share ≤ 1');
      }
    });
  }
  if (m.valueQuantiles !== undefined) {
    const q = m.valueQuantiles;
    if (!Array.isArray(q) || q.length !== PROFILE_QUANTILES.length || !q.every((v, i) => typeof v === 'number' && Number.isFinite(v) && (i === 0 || v >= (q[i - 1] as number)))) {
      bad('valueQuantiles', `must be ${PROFILE_QUANTILES.length} finite numbers in ascending order (deciles 0.1 … 0.9)`);
    }
  }
  return m as unknown as MonitoringProfile;
}
