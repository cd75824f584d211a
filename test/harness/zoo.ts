import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pythonBin } from './python.ts';
import { REPO_ROOT } from './run-action.ts';

/**
 * The real-model zoo made by python/make_zoo.py (scikit-learn + skl2onnx, XGBoost / LightGBM + onnxmltools,
 * PyTorch), as zoo.json describes it. Every reference value in it comes from Python: `reference.outputs` is
 * onnxruntime-python on the test rows, `reference.metrics` is sklearn.metrics on those predictions.
 * docs/models.md ("Model zoo") documents the fields.
 */
export type ZooTask = 'binary' | 'multiclass' | 'regression' | 'multioutput_regression';
export type ZooTensorType = 'float32' | 'float64' | 'int64' | 'int32' | 'string' | 'bool';
export type ZooLabel = number | string;

export interface ZooInput {
  name: string;
  type: ZooTensorType;
  /** -1 for a dynamic dimension. */
  shape: number[];
}

export interface ZooOutput {
  name: string;
  /** onnxruntime's type string, e.g. `tensor(float)`, `tensor(string)`. */
  type: string;
  role: 'label' | 'probabilities' | 'scores' | 'value';
}

export interface ZooModel {
  name: string;
  library: string;
  description: string;
  task: ZooTask;
  /** File names below are relative to the zoo directory. */
  onnx: string;
  native: string | null;
  native_format: 'sklearn' | 'torch' | 'torchscript' | null;
  /** The same model as the library's own file (XGBoost JSON, LightGBM text), where it has one. */
  native_booster: { file: string; format: 'xgboost' | 'lightgbm' } | null;
  /** CSVs with a header: the feature columns (in `features` order), then the target column(s). */
  train: string;
  test: string;
  target: string | string[];
  features: string[];
  /** The native model's classes_, JSON-typed as it has them; null for regressors and torch (argmax = 0..K-1). */
  classes: ZooLabel[] | null;
  /** Only where the default column -> input rule cannot map the CSV columns. */
  input_map: Record<string, string[]> | null;
  allow_missing: boolean;
  static_batch: number | null;
  /** The ONNX signature as onnxruntime-python reports it. */
  inputs: ZooInput[];
  outputs: ZooOutput[];
  reference: {
    /** JSON file: {"<output>": rows as nested lists}, onnxruntime-python on every test row. */
    outputs: string;
    /** The native model's predict() on the test rows (classifiers; torch: argmax). */
    native_labels: ZooLabel[] | null;
    /** sklearn.metrics on the test rows from onnxruntime-python's predictions. */
    metrics: Record<string, number>;
    /** The positive class for binary metrics (f1, precision, recall, roc_auc): classes[1], as scikit-learn. */
    pos_label: ZooLabel | null;
  };
}

export interface Zoo {
  dir: string;
  models: ZooModel[];
  versions: Record<string, string>;
}

const SOURCES = ['python/make_zoo.py', 'python/requirements.txt', 'python/requirements-nodeps.txt'];
/** A generation still holding the lock after this long is taken to have died. */
const STALE_LOCK_MS = 10 * 60_000;

/** ~/.cache/mlship-test/zoo-<sha256 of make_zoo.py and the requirements, first 16 hex>. */
export function zooDir(): string {
  return cacheDir('zoo', SOURCES);
}

function cacheDir(prefix: string, sources: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of sources) {
    const p = join(REPO_ROOT, f);
    h.update(f).update('\0').update(existsSync(p) ? readFileSync(p) : '').update('\0');
  }
  return join(homedir(), '.cache', 'mlship-test', `${prefix}-${h.digest('hex').slice(0, 16)}`);
}

/**
 * The zoo, generated once per version of make_zoo.py: into a temporary folder renamed into place, under a
 * lock directory so that parallel vitest workers wait for one generation instead of each running their own.
 */
export async function loadZoo(): Promise<Zoo> {
  const dir = zooDir();
  if (!existsSync(join(dir, 'zoo.json'))) await generate(dir, 'make_zoo.py', 'zoo.json');
  const zoo = JSON.parse(readFileSync(join(dir, 'zoo.json'), 'utf8')) as { models: ZooModel[]; versions: Record<string, string> };
  return { dir, models: zoo.models, versions: zoo.versions };
}

/** The model named `name` (throws, listing the names, if the zoo has none). */
export function zooModel(zoo: Zoo, name: string): ZooModel {
  const m = zoo.models.find((x) => x.name === name);
  if (!m) throw new Error(`the zoo has no model ${name}: it has ${zoo.models.map((x) => x.name).join(', ')}`);
  return m;
}

/** onnxruntime-python's outputs on the test rows of `model`. */
export function zooReferenceOutputs(zoo: Zoo, model: ZooModel): Record<string, unknown[]> {
  return JSON.parse(readFileSync(join(zoo.dir, model.reference.outputs), 'utf8')) as Record<string, unknown[]>;
}

/** False when the lock's writer (a vitest worker on this machine) has exited without removing it. */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return true; // just created, pid not written yet
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The label / column / output-role test models of python/make_label_models.py (real scikit-learn, LightGBM,
 * XGBoost and torch exports; the tests compute their reference values), cached like the zoo: the
 * directory and its models.json (name -> files).
 */
export async function loadLabelModels(): Promise<{ dir: string; models: Record<string, Record<string, unknown>> }> {
  const dir = cacheDir('label-models', ['python/make_label_models.py', 'python/requirements.txt']);
  if (!existsSync(join(dir, 'models.json'))) await generate(dir, 'make_label_models.py', 'models.json');
  return { dir, models: JSON.parse(readFileSync(join(dir, 'models.json'), 'utf8')) as Record<string, Record<string, unknown>> };
}

async function generate(dir: string, script: string, done: string): Promise<void> {
  mkdirSync(join(dir, '..'), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(join(dir, done))) return;
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && (Date.now() - held.mtimeMs > STALE_LOCK_MS || !holderAlive(lock))) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    if (existsSync(join(dir, done))) return;
    rmSync(tmp, { recursive: true, force: true });
    try {
      execFileSync(pythonBin(), [join(REPO_ROOT, 'python', script), tmp], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      throw new Error(`python/${script} failed: ${e.stderr?.toString().trim() || e.message}`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}
