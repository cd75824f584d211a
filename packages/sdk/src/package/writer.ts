import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { MLSHIP_VERSION } from '../version.ts';
import { readSourceDateEpoch } from '../util/source-date-epoch.ts';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { bindColumns, type ColumnRow, type InputMap } from '../model/input-map.ts';
import type { OnnxModel } from '../model/onnx-model.ts';
import { readOnnxModelInfo } from '../model/onnx-proto.ts';
import { ONNXRUNTIME_NODE_VERSION } from '../model/onnxruntime.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { sha256File } from '../util/hash.ts';
import { runProcess } from '../util/process.ts';
import { writePackageArchive } from './archive.ts';
import { computeGolden } from './golden.ts';
import { withMonitoringProfile, type MonitoringProfile } from './monitoring-profile.ts';
import {
  checkPackageName, checkPackageVersion, MANIFEST_FILE, MODEL_FILE, PACKAGE_KIND, PACKAGE_SCHEMA_VERSION, serializeManifest,
  type ModelTask, type OutputRoles, type PackageFile, type PackageManifest, type Provenance,
} from './manifest.ts';

/** mlship's own version, recorded in provenance.tools. */
export const METRICS_FILE = 'metrics.json';

export interface WritePackageOptions {
  /** The loaded ONNX model (its file is copied to model.onnx). */
  model: OnnxModel;
  /** Package directory to create (must not exist, be empty, or be an earlier package, which is replaced). */
  outDir: string;
  name: string;
  version: string;
  featureNames: string[];
  task: ModelTask;
  outputRoles: OutputRoles;
  classLabels?: Array<string | number>;
  /** evaluate-model's metrics JSON file: copied as metrics.json, its `metrics` object (or the whole JSON) into the manifest. */
  metricsFile?: string;
  /** Rows for the golden examples (values in featureNames order: numbers, strings for string inputs, null = missing). */
  goldenInputs: ColumnRow[];
  /** Which feature columns feed which input where the default rule cannot tell (model/input-map.ts). */
  inputMap?: InputMap;
  /** The model takes missing numeric values (NaN); recorded so servers accept them. */
  allowMissing?: boolean;
  /** 'onnx', 'sklearn', 'torch', 'torchscript'. */
  source: string;
  /** Extra tool versions (the converter's python packages). */
  tools?: Record<string, string>;
  /** Also write a .tar.gz here. */
  archivePath?: string;
  /** Fixed creation time (ISO); default SOURCE_DATE_EPOCH, else now (whole seconds). */
  createdAt?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Training ranges and reference predictions (serialize/monitoring-profile.ts). */
  monitoring?: MonitoringProfile;
}

export interface WritePackageResult {
  dir: string;
  manifest: PackageManifest;
  modelSha256: string;
  archivePath?: string;
  archiveBytes?: number;
}

/**
 * Writes a model package directory (and optionally its archive): copies the model, computes the
 * golden outputs with onnxruntime-node, reads opsets and operators from the ONNX file, hashes every
 * file and writes mlship.json last. Everything is built in a temporary sibling folder and renamed into
 * place, so a failure leaves no half-written package.
 */
export async function writePackage(options: WritePackageOptions): Promise<WritePackageResult> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  checkPackageName(options.name);
  checkPackageVersion(options.version);
  const outDir = resolve(options.outDir);
  if (options.archivePath && resolve(options.archivePath).startsWith(outDir + sep)) {
    throw new InputError(`The archive ${options.archivePath} would be inside the package folder ${options.outDir}, where it would be an unlisted file; write it beside the folder (e.g. ${options.outDir.replace(/\/+$/, '')}.tar.gz).`);
  }
  const replacing = await checkReplaceable(outDir);
  const createdAt = options.createdAt ?? createdAtFrom(env);
  const tmp = join(dirname(outDir), `.${basename(outDir)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(tmp, { recursive: true });
    await copyFile(options.model.path, join(tmp, MODEL_FILE));
    let metrics: Record<string, unknown> | undefined;
    if (options.metricsFile) {
      const read = await readMetrics(options.metricsFile);
      metrics = read.metrics;
      const modelSha = await sha256File(options.model.path);
      if (read.modelSha256 && read.modelSha256 !== modelSha) {
        logger.warn(`${options.metricsFile} was computed on a model with sha256 ${read.modelSha256.slice(0, 12)}…, not the packaged model (${modelSha.slice(0, 12)}…): the metrics may describe another model. Evaluate the model you package (for native conversions, evaluate the converted ONNX).`);
      }
      await copyFile(options.metricsFile, join(tmp, METRICS_FILE));
    }
    const files: PackageFile[] = [];
    for (const path of [MODEL_FILE, ...(metrics ? [METRICS_FILE] : [])].sort()) {
      const full = join(tmp, path);
      files.push({ path, sha256: await sha256File(full), size: (await stat(full)).size });
    }
    const info = await readOnnxModelInfo(join(tmp, MODEL_FILE));
    const bindings = bindColumns(options.model.signature.inputs, options.featureNames, { inputMap: options.inputMap, modelPath: options.model.path, dataPath: 'the feature names' });
    const golden = await computeGolden(options.model, options.goldenInputs, options.featureNames, bindings);
    const provenance: Provenance = {
      ...(await gitCommit(env, logger)),
      ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
      ...(workflowRunUrl(env) ? { workflowRun: workflowRunUrl(env) } : {}),
      createdAt,
      tools: { mlship: MLSHIP_VERSION, 'onnxruntime-node': ONNXRUNTIME_NODE_VERSION, ...(options.tools ?? {}) },
      source: options.source,
      ...(info.producerName ? { producer: `${info.producerName} ${info.producerVersion}`.trim() } : {}),
    };
    const base: PackageManifest = {
      schemaVersion: PACKAGE_SCHEMA_VERSION,
      kind: PACKAGE_KIND,
      name: options.name,
      version: options.version,
      task: options.task,
      model: MODEL_FILE,
      files,
      signature: { inputs: options.model.signature.inputs, outputs: options.model.signature.outputs },
      opsets: info.opsets,
      operators: info.operators,
      irVersion: info.irVersion,
      featureNames: options.featureNames,
      inputs: bindings.map((b) => ({ name: b.name, type: b.type, columns: b.columns })),
      allowMissing: options.allowMissing ?? false,
      staticBatch: options.model.staticBatch,
      ...(options.classLabels ? { classLabels: options.classLabels } : {}),
      outputRoles: options.outputRoles,
      ...(metrics ? { metrics } : {}),
      provenance,
      golden,
    };
    const manifest = options.monitoring ? withMonitoringProfile(base, options.monitoring) : base;
    await writeFileAtomic(join(tmp, MANIFEST_FILE), serializeManifest(manifest));
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
    logger.info(`${replacing ? 'Replaced the earlier package in' : 'Wrote model package'} ${outDir} (${manifest.name} ${manifest.version})`);
    const sibling = `${outDir}.tar.gz`;
    if (!options.archivePath && (await lstat(sibling).catch(() => undefined))) {
      logger.warn(`${sibling} was not rewritten (no ${opt('archive')}): it holds an earlier package, not necessarily this one. Pass ${opt('archive')} ${sibling} to rewrite it, or delete it.`);
    }
    const result: WritePackageResult = { dir: outDir, manifest, modelSha256: files.find((f) => f.path === MODEL_FILE)!.sha256 };
    if (options.archivePath) {
      const archivePath = resolve(options.archivePath);
      const { bytes } = await writePackageArchive(outDir, archivePath, Math.floor(Date.parse(createdAt) / 1000), logger);
      logger.info(`Wrote package archive ${archivePath} (${bytes} bytes)`);
      result.archivePath = archivePath;
      result.archiveBytes = bytes;
    }
    return result;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The creation time: SOURCE_DATE_EPOCH (reproducible-builds.org: integer seconds since the epoch)
 * when set, else now; whole seconds, ISO 8601 UTC.
 */
export function createdAtFrom(env: NodeJS.ProcessEnv = process.env): string {
  const sde = readSourceDateEpoch(env);
  if (sde !== undefined) return new Date(sde * 1000).toISOString().replace('.000Z', 'Z');
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The run URL from GitHub Actions' default environment variables, or undefined off Actions. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_RUN_ID || !env.GITHUB_REPOSITORY) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
}

async function gitCommit(env: NodeJS.ProcessEnv, logger: Logger): Promise<{ gitCommit?: string }> {
  if (env.GITHUB_SHA) return { gitCommit: env.GITHUB_SHA };
  try {
    const res = await runProcess('git', ['rev-parse', 'HEAD'], { logger });
    const sha = res.stdout.trim();
    return res.code === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? { gitCommit: sha } : {};
  } catch {
    return {};
  }
}

/**
 * evaluate-model's JSON: its `metrics` object (or the whole JSON when there is none) and, when it
 * says so, the sha256 of the model it evaluated (`model.sha256`).
 */
async function readMetrics(path: string): Promise<{ metrics: Record<string, unknown>; modelSha256?: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`Metrics file ${path} is not readable JSON (${(err as Error).message}); pass the JSON file evaluate-model wrote.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`Metrics file ${path} must hold a JSON object.`);
  const r = raw as Record<string, unknown>;
  const inner = r.metrics;
  const sha = (r.model as { sha256?: unknown } | undefined)?.sha256;
  return {
    metrics: typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner as Record<string, unknown> : r,
    ...(typeof sha === 'string' ? { modelSha256: sha } : {}),
  };
}

/**
 * `--out` may be new, an empty folder, or an earlier model package (a folder with mlship.json), which
 * is replaced as a whole (the new package is renamed into place): re-running serialize into the same
 * dist/ folder is the usual CI flow. Anything else is refused. Returns true when a package is replaced.
 */
async function checkReplaceable(dir: string): Promise<boolean> {
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) throw new InputError(`${dir} exists and is not a directory; choose another ${opt('out')}.`);
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
      throw new InputError(`${dir} is not empty and is not a model package; choose a new or empty ${opt('out')} folder (mlship replaces only an earlier package).`);
    }
    return entries.length > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return false;
  }
}
