import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GateFailedError, InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { reconcileClassLabels } from '../model/class-labels.ts';
import { inputWidth } from '../model/feeds.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { readOnnxModelInfo } from '../model/onnx-proto.ts';
import { describeTensor, type TensorSpec } from '../model/signature.ts';
import { sha256File } from '../util/hash.ts';
import { extractPackageArchive, listPackageFiles } from './archive.ts';
import { checkGolden, type GoldenCheckResult } from './golden.ts';
import { MANIFEST_FILE, parseManifest, type LoadedPackage, type PackageManifest } from './manifest.ts';

export interface LoadPackageOptions {
  logger?: Logger;
  /** Where to extract an archive (must not exist or be empty); default a new folder in the OS temp dir. */
  extractTo?: string;
  /** Also run the golden rows through onnxruntime and compare (default true). */
  checkGolden?: boolean;
  /** onnxruntime session options for the verification session, so a server can keep using `model`. */
  sessionOptions?: InferenceSession.SessionOptions;
}

export interface VerifiedPackage extends LoadedPackage {
  /** The model, loaded once for verification; servers may reuse it or open their own session. */
  model: OnnxModel;
  /** Golden rows check; absent when `checkGolden: false`. */
  golden?: GoldenCheckResult;
  /** Removes the extraction folder when loadPackage made one in the temp dir (archive without extractTo); else nothing. */
  cleanup(): Promise<void>;
}

/**
 * Opens a model package — a directory or a .tar.gz archive of one — and verifies it before anyone
 * uses it: the manifest parses and has a supported schemaVersion; the directory holds exactly the
 * files the manifest lists (no missing, no extra, no links); every file's size and SHA-256 match;
 * onnxruntime-node loads the model and its inputs/outputs equal `signature`; the ONNX file's IR version
 * and opsets equal the manifest's; and (by default) the golden rows give the stored outputs. Any
 * mismatch is an InputError that names the file and the field; a package that fails is never returned.
 */
export async function loadPackage(pathOrArchive: string, options: LoadPackageOptions = {}): Promise<VerifiedPackage> {
  const logger = options.logger ?? silentLogger;
  let st;
  try {
    st = await stat(pathOrArchive);
  } catch {
    throw new InputError(`Model package ${pathOrArchive} does not exist; pass a package directory or a .tar.gz archive written by mlship serialize.`);
  }
  let dir = resolve(pathOrArchive);
  let archivePath: string | undefined;
  let tempRoot: string | undefined;
  if (st.isFile()) {
    archivePath = resolve(pathOrArchive);
    if (!options.extractTo) tempRoot = await mkdtemp(join(tmpdir(), 'mlship-package-'));
    dir = options.extractTo ? resolve(options.extractTo) : join(tempRoot!, 'package');
    logger.info(`Extracting ${archivePath} to ${dir}`);
    try {
      await extractPackageArchive(archivePath, dir);
    } catch (err) {
      if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
      throw err;
    }
  } else if (!st.isDirectory()) {
    throw new InputError(`${pathOrArchive} is neither a directory nor an archive file.`);
  }
  try {
    return await verifyLoaded(dir, archivePath, tempRoot, options, logger);
  } catch (err) {
    // What we extracted and could not verify is removed: no tampered files left behind.
    if (archivePath) await rm(tempRoot ?? dir, { recursive: true, force: true });
    throw err;
  }
}

async function verifyLoaded(dir: string, archivePath: string | undefined, tempRoot: string | undefined, options: LoadPackageOptions, logger: Logger): Promise<VerifiedPackage> {
  const manifest = await verifyPackageFiles(dir);
  const modelPath = join(dir, ...manifest.model.split('/'));
  const model = await OnnxModel.load(modelPath, { logger, ...(options.sessionOptions ? { sessionOptions: options.sessionOptions } : {}) });
  try {
    return await verifyModel(dir, manifest, model, modelPath, archivePath, tempRoot, options, logger);
  } catch (err) {
    await model.session.release().catch(() => {});
    throw err;
  }
}

async function verifyModel(dir: string, manifest: PackageManifest, model: OnnxModel, modelPath: string, archivePath: string | undefined, tempRoot: string | undefined, options: LoadPackageOptions, logger: Logger): Promise<VerifiedPackage> {
  checkSignature(manifest, model.signature.inputs, model.signature.outputs, join(dir, MANIFEST_FILE), modelPath);
  const info = await readOnnxModelInfo(modelPath);
  const manifestPath = join(dir, MANIFEST_FILE);
  checkShapes(manifest, model, manifestPath, modelPath);
  // Labels are the model's own: a package written before classlabels_ints was read says [0, 1, 2] for {1, 3, 7}.
  reconcileClassLabels(info.classLabels, manifest.classLabels, { declaredBy: `${manifestPath} classLabels`, modelPath, mayNameIndices: true, hint: 'The package is inconsistent: write it again with mlship serialize, which records the model\'s own labels.' });
  if (info.irVersion !== manifest.irVersion) {
    throw new InputError(`${manifestPath}: irVersion ${manifest.irVersion} does not match ${modelPath} (IR version ${info.irVersion}); the package is inconsistent.`);
  }
  if (JSON.stringify(sorted(info.opsets)) !== JSON.stringify(sorted(manifest.opsets))) {
    throw new InputError(`${manifestPath}: opsets ${JSON.stringify(manifest.opsets)} do not match ${modelPath} (${JSON.stringify(info.opsets)}); the package is inconsistent.`);
  }
  if (JSON.stringify(info.operators) !== JSON.stringify([...manifest.operators].sort())) {
    throw new InputError(`${manifestPath}: operators ${manifest.operators.join(', ')} do not match ${modelPath} (${info.operators.join(', ')}); the package is inconsistent.`);
  }
  let golden: GoldenCheckResult | undefined;
  if (options.checkGolden !== false && manifest.golden.inputs.length > 0) {
    golden = await checkGolden(model, manifest);
    if (!golden.passed) {
      throw new GateFailedError(`${manifestPath}: the golden examples do not reproduce with ${modelPath}: ${golden.message}. The model file or its runtime changed since the package was written.`);
    }
  }
  logger.info(`Verified package ${manifest.name} ${manifest.version} (${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}, model sha256 ${manifest.files.find((f) => f.path === manifest.model)!.sha256.slice(0, 12)}…)`);
  const cleanup = async () => { if (tempRoot) await rm(tempRoot, { recursive: true, force: true }); };
  return { dir, manifest, modelPath, ...(archivePath ? { archivePath } : {}), model, ...(golden ? { golden } : {}), cleanup };
}

/**
 * Reads `dir/mlship.json` and checks the directory against it: same file set, sizes and SHA-256.
 * Returns the manifest. Does not load the model (loadPackage does).
 */
export async function verifyPackageFiles(dir: string): Promise<PackageManifest> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw new InputError(`${dir} has no ${MANIFEST_FILE}: it is not a model package (write one with mlship serialize).`);
  }
  const manifest = parseManifest(text, manifestPath);
  const present = (await listPackageFiles(dir)).filter((p) => p !== MANIFEST_FILE);
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = present.filter((p) => !listed.has(p));
  if (extra.length) {
    throw new InputError(`${join(dir, extra[0]!)} is not listed in ${manifestPath}${extra.length > 1 ? ` (and ${extra.length - 1} more unlisted files)` : ''}; a package holds only the files its manifest lists — refusing it.`);
  }
  const have = new Set(present);
  for (const f of manifest.files) {
    const path = join(dir, ...f.path.split('/'));
    if (!have.has(f.path)) throw new InputError(`${path} is listed in ${manifestPath} but missing; the package is incomplete.`);
    const size = (await stat(path)).size;
    if (size !== f.size) throw new InputError(`${path} has ${size} bytes but ${manifestPath} says ${f.size}; the file was changed or truncated — refusing the package.`);
    const digest = await sha256File(path);
    if (digest !== f.sha256) throw new InputError(`${path} has SHA-256 ${digest} but ${manifestPath} says ${f.sha256}; the file was changed — refusing the package.`);
  }
  return manifest;
}

/** Compares the manifest's signature with what onnxruntime reports for the model file. */
export function checkSignature(manifest: PackageManifest, inputs: TensorSpec[], outputs: TensorSpec[], manifestPath: string, modelPath: string): void {
  for (const [kind, declared, actual] of [['inputs', manifest.signature.inputs, inputs], ['outputs', manifest.signature.outputs, outputs]] as const) {
    const a = actual.map(describeTensor);
    const d = declared.map(describeTensor);
    if (JSON.stringify(a) !== JSON.stringify(d)) {
      throw new InputError(`${manifestPath}: signature ${kind} [${d.join('; ')}] do not match ${modelPath}, which has [${a.join('; ')}]; the package is inconsistent — write it again with mlship serialize.`);
    }
  }
}

/** Each input's columns must fit its width, classLabels the probabilities/scores width. */
function checkShapes(manifest: PackageManifest, model: OnnxModel, manifestPath: string, modelPath: string): void {
  for (const input of manifest.inputs) {
    const spec = model.signature.inputs.find((i) => i.name === input.name);
    const width = spec ? inputWidth(spec) : null;
    if (width !== null && input.columns.length !== width) {
      throw new InputError(manifest.inputs.length === 1
        ? `${manifestPath}: featureNames has ${manifest.featureNames.length} names but ${modelPath} takes ${width} features; the package is inconsistent.`
        : `${manifestPath}: inputs lists ${input.columns.length} column(s) for input "${input.name}" but ${modelPath} takes ${width}; the package is inconsistent.`);
    }
  }
  const matrix = manifest.outputRoles.probabilities ?? manifest.outputRoles.scores;
  const declared = model.signature.outputs.find((o) => o.name === matrix)?.shape[1];
  // A single probability column is p(class 1) of the classes [0, 1] (model/output-roles.ts).
  const k = declared === 1 && manifest.outputRoles.probabilities ? 2 : declared;
  const singleScore = declared === 1 && !manifest.outputRoles.probabilities;
  if (manifest.classLabels && typeof k === 'number' && k >= 0 && !singleScore && manifest.classLabels.length !== k) {
    throw new InputError(`${manifestPath}: classLabels has ${manifest.classLabels.length} labels but output ${matrix} of ${modelPath} has ${k} columns; the package is inconsistent.`);
  }
  if (manifest.task === 'regression' && manifest.classLabels) {
    throw new InputError(`${manifestPath}: a regression package has classLabels; the package is inconsistent.`);
  }
}

function sorted(o: Record<string, number>): Array<[string, number]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}
