import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, MlshipError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { runProcess } from '../util/process.ts';
import type { RowValue } from '../compare/outputs.ts';

/** Native model formats the converter script understands. */
export type NativeFormat = 'sklearn' | 'torch' | 'torchscript' | 'xgboost' | 'lightgbm';
/** sklearn: a joblib/pickle estimator (XGBoost / LightGBM estimators inside too); torch: torch.save; torchscript; xgboost / lightgbm: a Booster file (JSON / text). */
export const NATIVE_FORMATS: readonly NativeFormat[] = ['sklearn', 'torch', 'torchscript', 'xgboost', 'lightgbm'];

/** Python packages a workflow must pip install for each native format (README, action.yml, errors). */
export const CONVERTER_REQUIREMENTS: Record<NativeFormat, string[]> = {
  sklearn: ['scikit-learn', 'skl2onnx', 'onnx', 'joblib', 'numpy'],
  torch: ['torch', 'onnx', 'numpy'],
  torchscript: ['torch', 'onnx', 'numpy'],
  xgboost: ['xgboost', 'onnxmltools', 'onnx', 'numpy'],
  lightgbm: ['lightgbm', 'onnxmltools', 'onnx', 'numpy'],
};

export interface ConvertOptions {
  python: string;
  /** python/mlship_convert.py (default: found beside the bundle or in the repo). */
  script?: string;
  input: string;
  format: NativeFormat;
  /** JSON file {columns: [{name, kind: number|string}]}: the feature columns in CSV order. */
  schemaJson: string;
  /** JSON file {rows: [[35, "lyon", …], …]}: the parity sample, values in schema order, null = missing. */
  sampleJson: string;
  /** JSON file {"<input>": ["col", …]} forcing how columns group into inputs (torch multi-input models). */
  inputMapJson?: string;
  /** JSON file [labels…] for models that do not carry their classes (torch softmax, Boosters). */
  classesJson?: string;
  outModel: string;
  outReport: string;
  targetOpset?: number;
  /** skl2onnx ZipMap on classifiers (default false: a plain probabilities tensor). */
  zipmap?: boolean;
  /** Output names for torch exports (default: `output`, or output_0… for tuples). */
  outputNames?: string[];
  /** Python modules to import before unpickling (torch.save of a whole module needs its class). */
  imports?: string[];
  /** Extra sys.path entries for those modules (default: the working directory). */
  pythonPath?: string[];
  cwd?: string;
  logger?: Logger;
}

/** What mlship_convert.py writes to --report. */
export interface ConverterReport {
  ok: boolean;
  /** Error class when not ok: missing-package, load-failed, unsupported-model, convert-failed, predict-failed, bad-input. */
  error?: string;
  message?: string;
  hint?: string;
  /** Estimator / module description, e.g. "Pipeline(StandardScaler, RandomForestClassifier)". */
  estimator?: string;
  /** True when the model (or a pipeline step) is a tree ensemble: float64 thresholds pitfall. */
  hasTrees?: boolean;
  classes?: Array<number | string> | null;
  /** classification | regression, as the converter knows the native model. */
  task?: 'classification' | 'regression';
  /** The ONNX inputs it declared, with the feature columns each takes. */
  inputs?: Array<{ name: string; type: string; shape: number[]; columns: string[] }>;
  /** The batch size the ONNX inputs fix, or null. */
  staticBatch?: number | null;
  /** Native predictions on the sample keyed by ONNX output name. */
  outputs?: Record<string, { role: 'label' | 'probabilities' | 'value' | 'scores'; values: RowValue[] }>;
  tools?: Record<string, string>;
  warnings?: string[];
}

/** The argument list for mlship_convert.py (pure, tested). */
export function converterArgs(o: ConvertOptions, script: string): string[] {
  const args = [script, '--input', o.input, '--kind', o.format, '--schema', o.schemaJson, '--sample', o.sampleJson,
    '--out-model', o.outModel, '--report', o.outReport];
  if (o.inputMapJson) args.push('--input-map', o.inputMapJson);
  if (o.classesJson) args.push('--classes', o.classesJson);
  if (o.targetOpset !== undefined) args.push('--target-opset', String(o.targetOpset));
  if (o.zipmap) args.push('--zipmap');
  if (o.outputNames?.length) args.push('--output-names', o.outputNames.join(','));
  for (const m of o.imports ?? []) args.push('--import', m);
  for (const p of o.pythonPath ?? []) args.push('--python-path', p);
  return args;
}

/**
 * Finds mlship_convert.py: MLSHIP_CONVERTER when set; beside the action bundle (dist/python/, copied
 * by assets.json); or in the repository's python/ folder (from the CLI bundle packages/cli/dist, or
 * from source packages/sdk/src/serialize).
 */
export function converterScriptPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLSHIP_CONVERTER) {
    if (!existsSync(env.MLSHIP_CONVERTER)) throw new InputError(`MLSHIP_CONVERTER=${env.MLSHIP_CONVERTER} does not exist.`);
    return env.MLSHIP_CONVERTER;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'python', 'mlship_convert.py'), join(here, '..', 'python', 'mlship_convert.py'),
    join(here, '..', '..', '..', 'python', 'mlship_convert.py'), join(here, '..', '..', '..', '..', 'python', 'mlship_convert.py')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new MlshipError(`mlship_convert.py not found (looked in ${candidates.join(', ')}); the mlship installation is incomplete.`);
  return found;
}

/**
 * Runs the converter with the user's Python (no shell) and returns its report. A failure the
 * script understood becomes an InputError with its explanation and hint; a crash shows the tail of
 * stderr.
 */
export async function runConverter(o: ConvertOptions): Promise<ConverterReport> {
  const script = o.script ?? converterScriptPath();
  let res;
  try {
    res = await runProcess(o.python, converterArgs(o, script), { cwd: o.cwd, logger: o.logger, streamStderr: true });
  } catch (err) {
    throw new InputError(`Cannot run Python "${o.python}" (${(err as Error).message}). Install Python 3 with ${CONVERTER_REQUIREMENTS[o.format].join(', ')} in the workflow (actions/setup-python + pip install), or point the python input at it.`);
  }
  let report: ConverterReport | undefined;
  try {
    report = JSON.parse(await readFile(o.outReport, 'utf8')) as ConverterReport;
  } catch {
    report = undefined;
  }
  if (!report) {
    throw new InputError(`The converter (${o.python} ${script}) exited with code ${res.code} without a report. Last output:\n${res.stderr.split('\n').slice(-15).join('\n')}`);
  }
  if (!report.ok) throw new InputError(explainConverterFailure(report, o));
  return report;
}

/** The message for a converter failure: what happened, then what to do. */
export function explainConverterFailure(r: ConverterReport, o: Pick<ConvertOptions, 'input' | 'format' | 'python'>): string {
  const lines = [`Converting ${o.input} (${o.format}) to ONNX failed: ${r.message ?? r.error ?? 'unknown error'}`];
  if (r.hint) lines.push(r.hint);
  if (r.error === 'missing-package') {
    lines.push(`The workflow's Python (${o.python}) needs: pip install ${CONVERTER_REQUIREMENTS[o.format].join(' ')}`);
  }
  return lines.join('\n');
}
