import { InputError } from '../errors.ts';
import { staticBatchOf } from '../model/feeds.ts';
import { bindColumns, type ColumnRow } from '../model/input-map.ts';
import type { TensorSpec } from '../model/signature.ts';
import { parseMonitoringProfile, type MonitoringProfile } from './monitoring-profile.ts';

/**
 * The model package: a directory (or a single-file .tar.gz of it) holding an ONNX model and
 * `mlship.json`, this manifest. docs/package-format.md documents every field; keep the two in step.
 *
 *   my-model/
 *     mlship.json        the manifest (not listed in `files`: it carries their hashes)
 *     model.onnx         the model
 *     metrics.json       optional: evaluate-model's metrics file, copied verbatim
 */
export const MANIFEST_FILE = 'mlship.json';
export const MODEL_FILE = 'model.onnx';
/**
 * Bumped on any change a reader of an older version would misread. Readers refuse newer versions and
 * read older ones: version 1 (one float input, numeric golden rows) gets `inputs` from the default
 * column → input rule, `allowMissing` false and `staticBatch` from the signature.
 * 2: `inputs` (which columns feed which model input), `allowMissing`, `staticBatch`; golden rows may
 * hold strings (string inputs) and null (missing values).
 */
export const PACKAGE_SCHEMA_VERSION = 2;
export const PACKAGE_KIND = 'mlship.model-package';

/** One file of the package: path relative to the package root (POSIX, no `..`), SHA-256 hex, bytes. */
export interface PackageFile {
  path: string;
  sha256: string;
  size: number;
}

/** classification: label and/or class probabilities; regression: one or more values per row. */
// The task and output roles are the model layer's (model/output-roles.ts, the one output-role rule).
export type { ModelTask, OutputRoles } from '../model/output-roles.ts';
import type { ModelTask, OutputRoles } from '../model/output-roles.ts';

/** Where and how the package was made. Values the environment does not know are absent, never guessed. */
export interface Provenance {
  /** Commit the model was built from (GITHUB_SHA or `git rev-parse HEAD`). */
  gitCommit?: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository?: string;
  /** URL of the workflow run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID). */
  workflowRun?: string;
  /** ISO 8601 UTC; from SOURCE_DATE_EPOCH when set, so rebuilds are byte-identical. */
  createdAt: string;
  /** Versions of the tools that made the package: mlship, onnxruntime-node, and for a native
   *  conversion python, scikit-learn, skl2onnx, onnx, torch… as the converter reported them. */
  tools: Record<string, string>;
  /** How the ONNX file came to be: 'onnx' (given), 'sklearn', 'torch' or 'torchscript' (converted). */
  source: string;
  /** ONNX producer_name + producer_version from the model file, e.g. "skl2onnx 1.14.0". */
  producer?: string;
}

/**
 * Golden examples: the first rows of a CSV the author chose, run through onnxruntime-node when the
 * package was written. `outputs[name]` holds one entry per row: a number for [N] / [N, 1] outputs
 * (labels, single regression values), an array for [N, K] outputs. float32 values are written as the
 * exact float64 of the float32 (so `Math.fround(v) === v`), int64 as numbers.
 */
export interface GoldenExamples {
  /** Rows in `featureNames` order: numbers, strings for columns that feed string inputs, null = missing. */
  inputs: ColumnRow[];
  outputs: Record<string, Array<number | string | Array<number | string>>>;
}

/** One model input and the feature columns that fill its rows, in order. */
export interface ManifestInput {
  name: string;
  /** Element type as onnxruntime names it (float32, float64, int64, string, …). */
  type: string;
  columns: string[];
}

export interface PackageManifest {
  schemaVersion: number;
  kind: typeof PACKAGE_KIND;
  /** Model name: lower-case letters, digits, `.`, `_`, `-` (it becomes a URL path and an OCI repository part). */
  name: string;
  /** Model version: free text without spaces or `/`, e.g. `1.4.0` or `2026-11-25.3` or a commit. */
  version: string;
  task: ModelTask;
  /** Path of the ONNX model inside the package (always listed in `files`). */
  model: string;
  /** Every file except the manifest, sorted by path. */
  files: PackageFile[];
  /** Inputs and outputs as onnxruntime reports them; the batch dimension is dynamic (string). */
  signature: { inputs: TensorSpec[]; outputs: TensorSpec[] };
  /** Opset per domain as in the model's opset_import ('ai.onnx' for the default domain). */
  opsets: Record<string, number>;
  /** Distinct operators the graph uses, `domain.OpType` (plain `OpType` for ai.onnx), sorted. */
  operators: string[];
  /** ONNX IR version of the model file. */
  irVersion: number;
  /** Feature names in input-column order (from the training CSV header, target column dropped). */
  featureNames: string[];
  /** Which feature columns feed which model input, in order (model/input-map.ts; every input, every column once). */
  inputs: ManifestInput[];
  /** Whether missing numeric values are fed as NaN (the model handles them: XGBoost, LightGBM). */
  allowMissing: boolean;
  /** The batch size the model's inputs fix (1 for torch exported without dynamic_axes), or null when dynamic. */
  staticBatch: number | null;
  /** Class labels in probability-column order (classification), absent for regression. */
  classLabels?: Array<string | number>;
  outputRoles: OutputRoles;
  /** Metrics from evaluate-model when given (the `metrics` object of its JSON, or the whole JSON). */
  metrics?: Record<string, unknown>;
  provenance: Provenance;
  golden: GoldenExamples;
  /** Training ranges and reference predictions for the server's monitoring metrics (package/monitoring-profile.ts). */
  monitoring?: MonitoringProfile;
}

/** A package on disk after verification: every hash checked, the signature matches the ONNX file. */
export interface LoadedPackage {
  /** Package root (the extraction folder for an archive). */
  dir: string;
  manifest: PackageManifest;
  /** Absolute path of the ONNX model. */
  modelPath: string;
  /** The archive it came from, when loaded from one. */
  archivePath?: string;
}

const NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const SHA_RE = /^[0-9a-f]{64}$/;

/** Checks a model name; the error says the rule. */
export function checkPackageName(name: string, where = 'name'): string {
  if (!NAME_RE.test(name) || name.length > 128) {
    throw new InputError(`${where} "${name}" is not a valid model name: use lower-case letters, digits and single '.', '_' or '-' between them (max 128 characters), e.g. "iris-classifier".`);
  }
  return name;
}

export function checkPackageVersion(version: string, where = 'version'): string {
  if (!VERSION_RE.test(version)) {
    throw new InputError(`${where} "${version}" is not a valid version: start with a letter or digit, then letters, digits, '.', '_', '+' or '-' (max 128), e.g. "1.2.0".`);
  }
  return version;
}

/**
 * A relative POSIX path that stays inside its root: no absolute paths, no `..` or `.` segments, no
 * empty segments, no backslashes or NUL. Used for manifest `files` and archive entries alike.
 */
/** The SHA-256 of the package's ONNX model file (its `files` entry; parseManifest checks it is listed). */
export function modelSha256(m: Pick<PackageManifest, 'model' | 'files'>): string {
  const entry = m.files.find((f) => f.path === m.model);
  if (!entry) throw new InputError(`the manifest's model ${m.model} is not listed in its files.`);
  return entry.sha256;
}

export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Parses and validates a manifest's JSON text (field types, schema version, safe paths, hashes,
 * output roles naming real outputs). `source` names the file in errors.
 */
export function parseManifest(text: string, source: string): PackageManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source} is not valid JSON (${(err as Error).message}); the package is damaged — write it again with mlship serialize.`);
  }
  const bad = (field: string, what: string): never => {
    throw new InputError(`${source}: field "${field}" ${what}. The package is damaged or was edited by hand — write it again with mlship serialize.`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(root)', 'must be a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.kind !== PACKAGE_KIND) bad('kind', `must be "${PACKAGE_KIND}"`);
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) bad('schemaVersion', 'must be a positive integer');
  if ((m.schemaVersion as number) > PACKAGE_SCHEMA_VERSION) {
    throw new InputError(`${source}: schemaVersion ${m.schemaVersion} is newer than this mlship understands (${PACKAGE_SCHEMA_VERSION}); upgrade mlship.`);
  }
  for (const f of ['name', 'version', 'task', 'model']) if (typeof m[f] !== 'string') bad(f, 'must be a string');
  checkPackageName(m.name as string, `${source}: name`);
  checkPackageVersion(m.version as string, `${source}: version`);
  if (m.task !== 'classification' && m.task !== 'regression') bad('task', 'must be "classification" or "regression"');
  if (!Array.isArray(m.files)) bad('files', 'must be an array');
  const seen = new Set<string>();
  (m.files as unknown[]).forEach((f, i) => {
    const e = f as Record<string, unknown>;
    if (typeof e !== 'object' || e === null) bad(`files[${i}]`, 'must be an object');
    if (typeof e.path !== 'string' || !isSafeRelativePath(e.path)) bad(`files[${i}].path`, 'must be a relative path inside the package (no "..", no leading "/")');
    if (e.path === MANIFEST_FILE) bad(`files[${i}].path`, `must not be ${MANIFEST_FILE}`);
    if (seen.has(e.path as string)) bad(`files[${i}].path`, `repeats "${e.path}"`);
    seen.add(e.path as string);
    if (typeof e.sha256 !== 'string' || !SHA_RE.test(e.sha256)) bad(`files[${i}].sha256`, 'must be 64 lower-case hex digits');
    if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) bad(`files[${i}].size`, 'must be a non-negative integer');
  });
  if (!seen.has(m.model as string)) bad('model', `names "${m.model}", which is not in files`);
  const sig = m.signature as Record<string, unknown> | undefined;
  if (typeof sig !== 'object' || sig === null || !Array.isArray(sig.inputs) || !Array.isArray(sig.outputs)) bad('signature', 'must be {inputs: [...], outputs: [...]}');
  for (const [k, list] of [['inputs', sig!.inputs], ['outputs', sig!.outputs]] as const) {
    (list as unknown[]).forEach((t, i) => {
      const s = t as Record<string, unknown>;
      if (typeof s?.name !== 'string' || typeof s.isTensor !== 'boolean' || typeof s.type !== 'string' || !Array.isArray(s.shape)
        || !(s.shape as unknown[]).every((d) => typeof d === 'string' || (typeof d === 'number' && Number.isInteger(d)))) {
        bad(`signature.${k}[${i}]`, 'must be {name, isTensor, type, shape}');
      }
    });
  }
  if (typeof m.opsets !== 'object' || m.opsets === null || !Object.values(m.opsets).every((v) => Number.isInteger(v))) bad('opsets', 'must map domains to integer versions');
  if (!Array.isArray(m.operators) || !m.operators.every((o) => typeof o === 'string')) bad('operators', 'must be an array of strings');
  if (typeof m.irVersion !== 'number' || !Number.isInteger(m.irVersion)) bad('irVersion', 'must be an integer');
  if (!Array.isArray(m.featureNames) || !m.featureNames.every((f) => typeof f === 'string')) bad('featureNames', 'must be an array of strings');
  if (m.classLabels !== undefined && (!Array.isArray(m.classLabels) || !m.classLabels.every((c) => typeof c === 'string' || typeof c === 'number'))) bad('classLabels', 'must be an array of strings or numbers');
  const roles = m.outputRoles as Record<string, unknown> | undefined;
  if (typeof roles !== 'object' || roles === null) bad('outputRoles', 'must be an object');
  const outputNames = new Set((sig!.outputs as TensorSpec[]).map((o) => o.name));
  for (const [role, name] of Object.entries(roles!)) {
    if (!['label', 'probabilities', 'scores', 'value'].includes(role)) bad(`outputRoles.${role}`, 'is not a known role (label, probabilities, scores, value)');
    if (typeof name !== 'string' || !outputNames.has(name)) bad(`outputRoles.${role}`, `must name one of the outputs (${[...outputNames].join(', ')})`);
  }
  if (m.metrics !== undefined && (typeof m.metrics !== 'object' || m.metrics === null || Array.isArray(m.metrics))) bad('metrics', 'must be an object');
  const prov = m.provenance as Record<string, unknown> | undefined;
  if (typeof prov !== 'object' || prov === null) bad('provenance', 'must be an object');
  if (typeof prov!.createdAt !== 'string' || Number.isNaN(Date.parse(prov!.createdAt))) bad('provenance.createdAt', 'must be an ISO 8601 time');
  if (typeof prov!.tools !== 'object' || prov!.tools === null) bad('provenance.tools', 'must be an object');
  if (typeof prov!.source !== 'string') bad('provenance.source', 'must be a string');
  const golden = m.golden as Record<string, unknown> | undefined;
  if (typeof golden !== 'object' || golden === null || !Array.isArray(golden.inputs) || typeof golden.outputs !== 'object' || golden.outputs === null) bad('golden', 'must be {inputs: rows[], outputs: {name: values}}');
  const features = m.featureNames as string[];
  const nf = features.length;
  const inputSpecs = sig!.inputs as TensorSpec[];
  if ((m.schemaVersion as number) < 2) {
    // Version 1: one float input fed by every feature in order; no missing values; batch from the signature.
    try {
      m.inputs = bindColumns(inputSpecs, features, { modelPath: source, dataPath: `${source} featureNames` }).map((b) => ({ name: b.name, type: b.type, columns: b.columns }));
    } catch (err) {
      bad('featureNames', `do not fit the model's inputs (${(err as Error).message})`);
    }
    m.allowMissing = false;
    m.staticBatch = staticBatchOf(inputSpecs);
  } else {
    if (!Array.isArray(m.inputs)) bad('inputs', 'must be an array of {name, type, columns}');
    const used = new Set<string>();
    (m.inputs as unknown[]).forEach((x, i) => {
      const e = x as Record<string, unknown>;
      const spec = inputSpecs.find((s) => s.name === e?.name);
      if (!spec) bad(`inputs[${i}].name`, `must name an input of the signature (${inputSpecs.map((s) => s.name).join(', ')})`);
      if (e.type !== spec!.type) bad(`inputs[${i}].type`, `must be the input's type, ${spec!.type}`);
      if (!Array.isArray(e.columns) || e.columns.length === 0) bad(`inputs[${i}].columns`, 'must be a non-empty array of feature names');
      for (const c of e.columns as unknown[]) {
        if (typeof c !== 'string' || !features.includes(c)) bad(`inputs[${i}].columns`, `names ${JSON.stringify(c)}, which is not in featureNames`);
        if (used.has(c as string)) bad(`inputs[${i}].columns`, `repeats column ${JSON.stringify(c)}`);
        used.add(c as string);
      }
    });
    if ((m.inputs as unknown[]).length !== inputSpecs.length) bad('inputs', `must list every model input (${inputSpecs.map((s) => s.name).join(', ')})`);
    if (used.size !== nf) bad('inputs', `must feed every feature column (${features.filter((f) => !used.has(f)).join(', ')} feed no input)`);
    if (typeof m.allowMissing !== 'boolean') bad('allowMissing', 'must be true or false');
    if (m.staticBatch !== null && !(typeof m.staticBatch === 'number' && Number.isInteger(m.staticBatch) && m.staticBatch > 0)) bad('staticBatch', 'must be null or a positive integer');
  }
  const stringColumns = new Set((m.inputs as ManifestInput[]).filter((x) => x.type === 'string').flatMap((x) => x.columns));
  const kinds = features.map((f) => (stringColumns.has(f) ? 'string' : 'number'));
  (golden!.inputs as unknown[]).forEach((row, i) => {
    const ok = Array.isArray(row) && (nf === 0 || row.length === nf)
      && row.every((v, j) => (kinds[j] === 'string' ? typeof v === 'string' : typeof v === 'number' || (v === null && m.allowMissing === true)));
    if (!ok) bad(`golden.inputs[${i}]`, `must be an array of ${nf} values in featureNames order (numbers${stringColumns.size ? ', strings for the columns of string inputs' : ''}${m.allowMissing ? ', null for missing' : ''})`);
  });
  for (const [name, values] of Object.entries(golden!.outputs as Record<string, unknown>)) {
    if (!outputNames.has(name)) bad(`golden.outputs.${name}`, 'is not an output of the model');
    if (!Array.isArray(values) || values.length !== (golden!.inputs as unknown[]).length) bad(`golden.outputs.${name}`, 'must have one entry per golden input row');
  }
  if (m.monitoring !== undefined) parseMonitoringProfile(m.monitoring, source);
  return m as unknown as PackageManifest;
}

/**
 * The manifest as written: keys in a fixed order, two-space indent, trailing newline — the same
 * manifest always gives the same bytes (archives are reproducible).
 */
export function serializeManifest(m: PackageManifest): string {
  const ordered: PackageManifest = {
    schemaVersion: m.schemaVersion, kind: m.kind, name: m.name, version: m.version, task: m.task, model: m.model,
    files: [...m.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
    signature: m.signature, opsets: sortKeys(m.opsets), operators: [...m.operators].sort(), irVersion: m.irVersion,
    featureNames: m.featureNames,
    inputs: m.inputs.map((i) => ({ name: i.name, type: i.type, columns: i.columns })),
    allowMissing: m.allowMissing,
    staticBatch: m.staticBatch,
    ...(m.classLabels ? { classLabels: m.classLabels } : {}),
    outputRoles: m.outputRoles,
    ...(m.metrics ? { metrics: m.metrics } : {}),
    provenance: { ...m.provenance, tools: sortKeys(m.provenance.tools) },
    golden: m.golden,
    ...(m.monitoring ? { monitoring: m.monitoring } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
