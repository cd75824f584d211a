import { DEFAULTS } from '../defaults.ts';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateFailedError, InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { reconcileClassLabels } from '../model/class-labels.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { readOnnxModelInfo } from '../model/onnx-proto.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { checkNumberOption, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER } from '../util/number-option.ts';
import { readCsvHeader } from '../data/csv.ts';
import { loadPackage } from '../package/loader.ts';
import { checkPackageName, checkPackageVersion, type ModelTask, type PackageManifest } from '../package/manifest.ts';
import { writePackage } from '../package/writer.ts';
import { pushPackage, type PushPackageResult } from '../package/oci-artifact.ts';
import type { RegistryClientOptions } from '../oci/client.ts';
import { runConverter, NATIVE_FORMATS, type ConverterReport, type NativeFormat } from './converter.ts';
import { detectStringColumns, featureNamesFromCsv, readSampleCells, toFloat32, typeSampleRows, type SampleCells } from './features.ts';
import { bindColumns, inputMapOf, readInputMapFile, rowsBatch, stringColumnsOf, type ColumnRow, type InputBinding, type InputMap } from '../model/input-map.ts';
import { describeTensor } from '../model/signature.ts';
import { monitoringProfile } from './monitoring-profile.ts';
import {
  compareLabels, compareNumeric, DEFAULT_PARITY_TOLERANCE, describeMismatch, formatParityNumber, nearTies, type OutputComparison, type ParityTolerance,
  tensorRows,
} from '../compare/outputs.ts';
import { inferOutputRoles } from '../model/output-roles.ts';

export type ModelFormat = 'onnx' | NativeFormat;
export const MODEL_FORMATS: readonly ModelFormat[] = ['onnx', ...NATIVE_FORMATS];

export interface SerializeOptions {
  /** The model file: .onnx, a joblib/pickle of a scikit-learn estimator, torch.save() or TorchScript. */
  model: string;
  format: ModelFormat;
  /** Package directory to write. */
  out: string;
  /** Also write this .tar.gz. */
  archive?: string;
  name: string;
  version: string;
  /** Training CSV whose header gives the feature names (target dropped). */
  featuresFrom?: string;
  /** Target column of featuresFrom / sample (default "target"). */
  target?: string;
  /** Explicit feature names (instead of featuresFrom). */
  featureNames?: string[];
  /** CSV of rows for golden examples and the parity check (default: featuresFrom). */
  sample?: string;
  /** Golden example rows stored in the package (default 5). */
  goldenRows?: number;
  /** Rows compared by the parity gate (default 200). */
  parityRows?: number;
  tolerance?: Partial<ParityTolerance>;
  task?: ModelTask;
  classLabels?: Array<string | number>;
  /** How feature columns feed the model's inputs where the default rule cannot tell: an input-map JSON file or the map (model/input-map.ts). */
  inputMap?: string | InputMap;
  /** The model takes missing numeric values (NaN): sample rows may have them, and the package records it. */
  allowMissing?: boolean;
  metricsFile?: string;
  /** Python for native conversion (default python3). */
  python?: string;
  converterScript?: string;
  targetOpset?: number;
  zipmap?: boolean;
  outputNames?: string[];
  imports?: string[];
  pythonPath?: string[];
  createdAt?: string;
  /** Push the package to this OCI reference after writing it (see package/oci-artifact.ts). */
  pushTo?: string;
  registry?: RegistryClientOptions;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface ParityReport {
  passed: boolean;
  rows: number;
  tolerance: ParityTolerance;
  comparisons: OutputComparison[];
  /** First failing comparison in one sentence (row and output named). */
  message: string;
  /** Converter pitfalls that explain a failure (tree thresholds, ZipMap). */
  explanations: string[];
}

export interface SerializeResult {
  dir: string;
  archivePath?: string;
  manifest: PackageManifest;
  modelSha256: string;
  parity?: ParityReport;
  converter?: Pick<ConverterReport, 'estimator' | 'tools' | 'warnings'>;
  pushed?: PushPackageResult;
  warnings: string[];
}

/** Thrown when the parity gate fails; carries the report so callers can still print its table. */
export class ParityFailedError extends GateFailedError {
  readonly report: ParityReport;
  constructor(message: string, report: ParityReport) {
    super(message);
    this.report = report;
  }
}

/**
 * serialize: a model → a verified model package.
 *  - onnx: onnxruntime-node loads the model; the signature comes from it, opsets and operators from
 *    the file; the golden rows are run and stored.
 *  - sklearn / torch / torchscript: the user's Python runs mlship_convert.py (skl2onnx /
 *    torch.onnx.export) and reports the native model's predictions on the sample rows; the ONNX model
 *    runs the same rows in onnxruntime-node and the parity gate compares them (compare/outputs.ts).
 *    A failed gate throws ParityFailedError (exit 1) and writes no package.
 * The written package is loaded back with loadPackage (hashes, signature, golden rows) before return.
 */
/**
 * True for an .onnx file name or a file whose first byte is 0x08 — the tag of ModelProto's field 1
 * (ir_version, a varint) that every ONNX exporter writes first; pickles start 0x80, torch zips "PK",
 * XGBoost JSON "{", LightGBM text "tree".
 */
async function looksLikeOnnx(path: string): Promise<boolean> {
  if (/\.onnx$/i.test(path)) return true;
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(1), 0, 1, 0);
    return bytesRead === 1 && buffer[0] === 0x08;
  } finally {
    await fh.close();
  }
}

export async function serialize(options: SerializeOptions): Promise<SerializeResult> {
  const logger = options.logger ?? silentLogger;
  if (!MODEL_FORMATS.includes(options.format)) {
    throw new InputError(`${opt('format')} must be one of ${MODEL_FORMATS.join(', ')}, got "${options.format}".`);
  }
  if (options.task !== undefined && options.task !== 'classification' && options.task !== 'regression') {
    throw new InputError(`${opt('task')} must be classification or regression, got "${String(options.task)}".`);
  }
  // Cheap checks first: a bad name or a missing file should not wait for a conversion.
  checkPackageName(options.name);
  checkPackageVersion(options.version);
  if (!existsSync(options.model)) throw new InputError(`Model file ${options.model} does not exist; pass the path of the ${options.format === 'onnx' ? '.onnx model' : `${options.format} model file`}.`);
  if (options.format !== 'onnx' && await looksLikeOnnx(options.model)) {
    throw new InputError(`${options.model} is an ONNX model, not a ${options.format} model file: pass ${opt('format')} onnx (no conversion needed).`);
  }
  const target = options.target ?? 'target';
  // A tolerance given as undefined keeps its default.
  const tolerance: ParityTolerance = { ...DEFAULT_PARITY_TOLERANCE, ...Object.fromEntries(Object.entries(options.tolerance ?? {}).filter(([, v]) => v !== undefined)) };
  checkTolerance(tolerance);
  const goldenRows = checkNumberOption('golden-rows', options.goldenRows, NON_NEGATIVE_INTEGER) ?? DEFAULTS.serialize['golden-rows'];
  const parityRows = checkNumberOption('parity-rows', options.parityRows, POSITIVE_INTEGER) ?? DEFAULTS.serialize['parity-rows'];

  let featureNames = options.featureNames;
  if (!featureNames && options.featuresFrom) featureNames = await featureNamesFromCsv(options.featuresFrom, target);
  const samplePath = options.sample ?? options.featuresFrom;
  if (!featureNames && samplePath) featureNames = (await readCsvHeader(samplePath)).filter((c) => c !== target);
  const inputMap = options.inputMap === undefined ? undefined : typeof options.inputMap === 'string' ? await readInputMapFile(options.inputMap) : options.inputMap;
  const allowMissing = options.allowMissing ?? false;
  const warnings: string[] = [];
  const work = await mkdtemp(join(tmpdir(), 'mlship-serialize-'));
  try {
    let modelPath = options.model;
    let report: ConverterReport | undefined;
    let cells: SampleCells | undefined;
    if (options.format !== 'onnx') {
      if (!featureNames) throw new InputError(`${opt('features-from')} (or feature names) is required for format ${options.format}: the converter needs the columns and mlship records their names.`);
      if (!samplePath) throw new InputError(`format ${options.format} needs sample rows for the parity check: pass ${opt('sample')} or ${opt('features-from')}.`);
      cells = await readSampleCells(samplePath, featureNames, Math.max(parityRows, goldenRows), logger);
      // The converter's schema: a column is a string column when its cells say so (serialize/features.ts).
      const detected = detectStringColumns(cells, featureNames);
      const names = featureNames;
      const sampleRows = typeSampleRows(cells, names, detected, true);
      const file = async (name: string, value: unknown) => { const path = join(work, name); await writeFileAtomic(path, JSON.stringify(value)); return path; };
      const schemaJson = await file('schema.json', { columns: names.map((n) => ({ name: n, kind: detected.has(n) ? 'string' : 'number' })) });
      const sampleJson = await file('sample.json', { rows: sampleRows.slice(0, parityRows) });
      const inputMapJson = inputMap ? await file('input-map.json', inputMap) : undefined;
      const classesJson = options.classLabels && (options.format === 'torch' || options.format === 'torchscript' || options.format === 'xgboost' || options.format === 'lightgbm') ? await file('classes.json', options.classLabels) : undefined;
      modelPath = join(work, 'model.onnx');
      logger.info(`Converting ${options.model} (${options.format}) to ONNX with ${options.python ?? 'python3'}…`);
      report = await runConverter({
        python: options.python ?? 'python3', script: options.converterScript, input: options.model, format: options.format,
        schemaJson, sampleJson, inputMapJson, classesJson, outModel: modelPath, outReport: join(work, 'report.json'),
        targetOpset: options.targetOpset, zipmap: options.zipmap, outputNames: options.outputNames, imports: options.imports,
        pythonPath: options.pythonPath, logger,
      });
      for (const w of report.warnings ?? []) warnings.push(w);
    } else if (samplePath && featureNames) {
      cells = await readSampleCells(samplePath, featureNames, goldenRows, logger);
    }
    const model = await OnnxModel.load(modelPath, { logger });
    if (!featureNames) {
      const nf = model.signature.inputs.length === 1 ? model.featureCount : null;
      if (nf === null) throw new InputError(`${options.model} has ${model.signature.inputs.length > 1 ? 'several inputs' : 'a dynamic feature dimension'}; pass ${opt('features-from')} train.csv so mlship knows the feature columns.`);
      featureNames = Array.from({ length: nf }, (_, i) => `feature_${i}`);
      warnings.push(`No ${opt('features-from')} given: features are named feature_0…feature_${nf - 1}. Pass the training CSV to record the real names.`);
    }
    // Which columns feed which input: the converter says for a conversion; else the input map and the default rule.
    const convertedMap = report?.inputs ? Object.fromEntries(report.inputs.map((i) => [i.name, i.columns])) : undefined;
    const bindings = bindColumns(model.signature.inputs, featureNames, { inputMap: convertedMap ?? inputMap, modelPath: options.model, dataPath: options.featuresFrom ?? samplePath ?? opt('feature-names') });
    const stringColumns = stringColumnsOf(bindings);
    const sample = cells ? typeSampleRows(cells, featureNames, stringColumns, allowMissing) : [];
    const staticBatch = model.staticBatch;
    if (staticBatch !== null) {
      warnings.push(`${options.model} takes a fixed batch of ${staticBatch} row${staticBatch === 1 ? '' : 's'} (inputs ${model.signature.inputs.map(describeTensor).join('; ')}): the package records it, and evaluate and the server run ${staticBatch === 1 ? 'one row' : `${staticBatch} rows`} at a time, which is slower. Export with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={"input": {0: "batch"}})) for batched inference.`);
    }

    // The model's outputs on the sample rows refine the signature rule (a softmax matrix named `output` is probabilities).
    const known = nativeRoles(report);
    const tensorOutputs = model.signature.outputs.filter((o) => o.isTensor).map((o) => o.name);
    const sampleOutputs = !known && sample.length && tensorOutputs.length
      ? await model.run(rowsBatch(sample.slice(0, parityRows), featureNames, bindings), { outputs: tensorOutputs, logger }).catch(() => undefined)
      : undefined;
    const { task, roles, classCount, warnings: roleWarnings } = inferOutputRoles(model.signature.outputs, {
      task: options.task ?? report?.task, modelPath: options.model, ...(known ? { known } : {}), ...(sampleOutputs ? { sample: sampleOutputs } : {}),
    });
    warnings.push(...roleWarnings);
    const classLabels = task === 'classification' ? await resolveClassLabels(options, report, modelPath, classCount) : undefined;

    let parity: ParityReport | undefined;
    if (report) {
      parity = await checkParity(model, sample.slice(0, parityRows), report, tolerance, logger, { columns: featureNames, bindings });
      if (!parity.passed) {
        throw new ParityFailedError(`Parity check failed for ${options.model} → ONNX on ${parity.rows} rows of ${samplePath}: ${parity.message}.${parity.explanations.length ? `\n${parity.explanations.join('\n')}` : ''}`, parity);
      }
      logger.info(`Parity: ${parity.message}`);
    }

    // Golden rows as the model sees them: float32 inputs' values rounded to float32.
    const float32Columns = new Set(bindings.filter((b) => b.type === 'float32').flatMap((b) => b.columns));
    const golden = sample.slice(0, goldenRows).map((r) => r.map((v, k) => (typeof v === 'number' && float32Columns.has(featureNames![k]!) ? Math.fround(v) : v)));
    if (golden.length === 0) {
      // Still prove the model runs: one row of zeros ('' for strings) through onnxruntime (not stored).
      const zeros = [featureNames.map((f) => (stringColumns.has(f) ? '' : 0))];
      try {
        await model.run(rowsBatch(zeros, featureNames, bindings));
      } catch (err) {
        throw new InputError(`${options.model} loads but fails to run on one row of zeros (inputs ${model.signature.inputs.map(describeTensor).join('; ')}): ${(err as Error).message.split('\n')[0]}`);
      }
      warnings.push(`No golden examples: pass ${opt('sample')} (or ${opt('features-from')}) so the package carries input rows with their expected outputs for smoke tests.`);
    }
    const { profile: monitoring, warning: profileWarning } = options.featuresFrom
      ? await monitoringProfile({ model, path: options.featuresFrom, featureNames, bindings, allowMissing, task, roles, classLabels, logger })
      : {};
    if (profileWarning) warnings.push(profileWarning);
    for (const w of warnings) logger.warn(w);
    const written = await writePackage({
      ...(monitoring ? { monitoring } : {}),
      model, outDir: options.out, name: options.name, version: options.version, featureNames, task, outputRoles: roles,
      ...(classLabels ? { classLabels } : {}), metricsFile: options.metricsFile, goldenInputs: golden,
      inputMap: inputMapOf(bindings), allowMissing,
      source: options.format, tools: report?.tools ? prefixTools(report.tools) : {}, archivePath: options.archive,
      createdAt: options.createdAt, env: options.env, logger,
    });
    await loadPackage(written.dir, { logger: silentLogger });
    const pushed = options.pushTo ? await pushPackage(written.archivePath ?? written.dir, options.pushTo, { logger, clientOptions: { env: options.env, ...options.registry } }) : undefined;
    return {
      ...(pushed ? { pushed } : {}),
      dir: written.dir, ...(written.archivePath ? { archivePath: written.archivePath } : {}), manifest: written.manifest,
      modelSha256: written.modelSha256, ...(parity ? { parity } : {}),
      ...(report ? { converter: { estimator: report.estimator, tools: report.tools, warnings: report.warnings } } : {}), warnings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Runs the ONNX model over the sample rows and compares each output the converter reported:
 * labels by agreement, everything else with atol/rtol (compare/outputs.ts).
 */
export async function checkParity(model: OnnxModel, rows: ColumnRow[], report: ConverterReport, tolerance: ParityTolerance, logger: Logger = silentLogger, feed?: { columns: string[]; bindings: InputBinding[] }): Promise<ParityReport> {
  const native = report.outputs ?? {};
  const names = Object.keys(native).filter((n) => model.signature.outputs.some((o) => o.name === n && o.isTensor));
  const missing = Object.keys(native).filter((n) => !model.signature.outputs.some((o) => o.name === n));
  if (missing.length) throw new InputError(`The converter reported outputs ${missing.join(', ')} that the ONNX model does not have (${model.signature.outputs.map((o) => o.name).join(', ')}).`);
  const result = feed
    ? await model.run(rowsBatch(rows, feed.columns, feed.bindings), { outputs: names, logger })
    : await model.predict(toFloat32(rows as number[][]), rows.length, { outputs: names, logger });
  const comparisons = names.map((name) => {
    const expected = native[name]!.values;
    const actual = tensorRows(result[name]!);
    const c = native[name]!.role === 'label' ? compareLabels(name, expected, actual, tolerance) : compareNumeric(name, expected, actual, tolerance);
    return { ...c, reference: native[name]!.role };
  });
  const failed = comparisons.find((c) => !c.passed);
  const explanations: string[] = [];
  const labels = comparisons.find((c) => c.kind === 'label' && !c.passed);
  const probs = Object.values(native).find((o) => o.role === 'probabilities');
  if (labels?.mismatchRows && probs) {
    const { ties, maxGap } = nearTies(probs.values, labels.mismatchRows);
    if (ties > 0 && ties === labels.mismatchRows.length) {
      explanations.push(`${ties === 1 ? 'The one row whose label differs is a near-tie' : `All ${ties} rows whose labels differ are near-ties`}: the native model's two largest class probabilities differ by at most ${formatParityNumber(maxGap)}, so float32 rounding decides the class. This is expected of a float32 conversion; accept it with --min-label-agreement ${(Math.floor(1000 * (labels.labelAgreement ?? 0)) / 1000).toString()}.`);
    }
  }
  const badShare = failed ? Math.max(...comparisons.map((c) => (c.rows ? c.mismatchedRows / c.rows : 0))) : 0;
  if (failed && badShare > 0.1) {
    explanations.push(`${(100 * badShare).toFixed(0)}% of the rows differ: that is not float32 rounding — the ONNX file does not compute what the native model computes (a different model file, a preprocessing step outside the saved estimator, or a converter bug). Check that --model is the estimator you trained and that the whole Pipeline was saved.`);
  } else if (failed && report.hasTrees) {
    explanations.push('Known pitfall (float64 thresholds in tree models): scikit-learn compares features with float64 thresholds while the ONNX tree ensemble uses float32, so rows whose values sit between the two roundings take another branch. skl2onnx\'s documentation ("Issues when switching to float") suggests fitting on float32 data (X.astype(numpy.float32)), or casting in the pipeline; you can also accept a small disagreement with --min-label-agreement (e.g. 0.99).');
  }
  if (failed && comparisons.length === 0) explanations.push('No output could be compared: the ONNX model\'s outputs are not tensors (ZipMap). Convert with zipmap disabled (the default).');
  return {
    passed: !failed && comparisons.length > 0, rows: rows.length, tolerance, comparisons,
    message: failed ? describeMismatch(failed, { expected: 'native', actual: 'ONNX' }) : comparisons.length === 0 ? 'no output could be compared' : `${comparisons.length} outputs agree on ${rows.length} rows`,
    explanations,
  };
}

/**
 * The package's class labels: the ONNX model's own (its classifier node's classlabels_*), which the
 * native model's classes_ (from the converter) must equal and --class-labels may only name when the
 * ONNX labels are indices 0…K−1; else 0…K−1 from the probabilities width.
 */
async function resolveClassLabels(options: SerializeOptions, report: ConverterReport | undefined, modelPath: string, classCount?: number): Promise<Array<string | number> | undefined> {
  const onnxLabels = (await readOnnxModelInfo(modelPath)).classLabels;
  const onnxName = report ? `the ONNX conversion of ${options.model}` : options.model;
  let labels = reconcileClassLabels(onnxLabels, report?.classes ?? undefined, { declaredBy: `the native model's classes_ (${options.model})`, modelPath: onnxName, mayNameIndices: false });
  labels = reconcileClassLabels(labels ?? null, options.classLabels, { declaredBy: opt('class-labels'), modelPath: onnxName, mayNameIndices: true });
  if (!labels && classCount) labels = Array.from({ length: classCount }, (_, i) => i);
  if (labels && classCount && labels.length !== classCount) {
    throw new InputError(`${labels.length} class labels given (${labels.slice(0, 5).join(', ')}${labels.length > 5 ? ', …' : ''}) but the model's probabilities have ${classCount} columns; check ${opt('class-labels')}.`);
  }
  return labels;
}

/**
 * What the converter knows each output to be: it called predict / predict_proba / decision_function
 * (scikit-learn, Boosters), or saw a torch module's values (a softmax output is probabilities whatever
 * its name). The parity table reports the same roles.
 */
function nativeRoles(report: ConverterReport | undefined): Record<string, 'label' | 'probabilities' | 'scores' | 'value'> | undefined {
  if (!report?.outputs || Object.keys(report.outputs).length === 0) return undefined;
  return Object.fromEntries(Object.entries(report.outputs).map(([name, o]) => [name, o.role]));
}

function prefixTools(tools: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tools).map(([k, v]) => [k === 'python' ? 'python' : `python:${k}`, v]));
}

function checkTolerance(t: ParityTolerance): void {
  if (!(t.atol >= 0) || !(t.rtol >= 0)) throw new InputError(`Parity tolerances must be ≥ 0 (atol ${t.atol}, rtol ${t.rtol}).`);
  if (!(t.minLabelAgreement >= 0 && t.minLabelAgreement <= 1)) throw new InputError(`min-label-agreement must be between 0 and 1, got ${t.minLabelAgreement}.`);
}
