import { DEFAULTS } from '../defaults.ts';
import { readFile } from 'node:fs/promises';
import { checkNumberOption, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER } from '../util/number-option.ts';
import { Worker } from 'node:worker_threads';
import { InputError, GateFailedError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { readLabelledTable, type LabelledTable } from '../data/labelled-table.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { ONNXRUNTIME_NODE_VERSION } from '../model/onnxruntime.ts';
import type { TensorSpec } from '../model/signature.ts';
import { metricInfo, type Task } from '../metrics/registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { sha256File } from '../util/hash.ts';
import { bootstrapSamples, defaultResamples, mainMetricFor, percentileInterval, weightedStatistic, type ConfidenceInterval } from './bootstrap.ts';
import { computeMetrics, type MetricsResult } from './compute.ts';
import { checkRulesFitTask, evaluateGate, parseMinImprovement, parseThresholds, type GateResult, type ImprovementRule } from './gate.ts';
import { detectTask, planOutputs, readPredictions, type Predictions } from './interpret.ts';

export const TASKS = ['auto', 'binary', 'multiclass', 'regression'] as const;

export interface EvaluateOptions {
  /** ONNX model to evaluate (the challenger). */
  model: string;
  /** Labelled CSV: features = every column but the target, in file order. */
  data: string;
  /** Target column (default `target`). */
  target?: string;
  /** Task, or `auto` (default) to detect it from the model outputs and the target. */
  task?: Task | 'auto';
  /** Write the metrics JSON here (atomically; nothing is written when evaluation fails). */
  out?: string;
  /** Threshold rules, e.g. `accuracy>=0.95, rmse<=60` (see gate.ts). */
  threshold?: string;
  /** Champion: an ONNX model (evaluated on the same data) or a metrics JSON written by mlship evaluate. */
  baseline?: string;
  /** Champion/challenger rules, e.g. `accuracy:+0.01, rmse:-2%` (see gate.ts). */
  minImprovement?: string;
  /** Also fail unless the main metric's paired-bootstrap difference interval lies on the better side of 0. */
  requireSignificant?: boolean;
  /** Rows per onnxruntime run (default 65536). */
  batchSize?: number;
  /** Bootstrap resamples for the main metric's confidence interval (default 1000, fewer above 100k rows — see defaultResamples; 0 = none). */
  bootstrap?: number;
  /** Bootstrap seed (default 42). */
  seed?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
  logger?: Logger;
}

export interface TensorSummary {
  name: string;
  type: string;
  shape: Array<number | string>;
}

export interface MainMetric {
  name: string;
  value: number | null;
  higher_is_better: boolean;
  ci?: ConfidenceInterval;
}

export interface BaselineComparison {
  source: 'model' | 'metrics-json';
  path: string;
  sha256: string;
  metrics: Record<string, number>;
  main_metric_value: number | null;
  /** challenger − champion on the main metric, with its paired-bootstrap interval when available. */
  difference?: {
    estimate: number;
    ci?: ConfidenceInterval;
    /** better / worse / no real difference, judged from the interval. */
    verdict: 'better' | 'worse' | 'inconclusive' | 'not-tested';
  };
}

/** The metrics JSON (`--out`). */
export interface EvaluationReport {
  task: Task;
  n: number;
  model: { path: string; sha256: string; inputs: TensorSummary[]; outputs: TensorSummary[] };
  data: { path: string; sha256: string; rows: number; target: string; features: number };
  metrics: Record<string, unknown>;
  not_computed: Record<string, string>;
  main_metric: MainMetric;
  bootstrap: { method: 'percentile'; resamples: number; seed: number; level: number } | null;
  baseline: BaselineComparison | null;
  gate: GateResult;
  notes: string[];
  tool: { name: 'mlship'; onnxruntime_node: string };
}

interface Scored {
  model: OnnxModel;
  pred: Predictions;
  task: Task;
  metrics: MetricsResult;
  notes: string[];
}

const DEFAULT_BATCH = DEFAULTS.evaluate['batch-size'];

async function scoreModel(path: string, table: LabelledTable, requested: Task | 'auto', options: EvaluateOptions, logger: Logger): Promise<Scored> {
  const model = await OnnxModel.load(path, { logger });
  model.checkFeatureCount(table.featureNames.length, table.path, table.featureNames);
  const plan = planOutputs(path, model.signature);
  const outputs = await model.predict(table.features, table.rows, { batchSize: options.batchSize ?? DEFAULT_BATCH, outputs: plan.fetch, logger });
  const pred = readPredictions(plan, outputs, table.rows);
  const task = detectTask(requested, plan, pred, table.target, path, table.path);
  const metrics = computeMetrics(task, table.target, pred);
  const notes = [...plan.notes];
  if (pred.kind === 'classifier' && !plan.labelOutput) notes.push(`\`${path}\` has no label output: the predicted class is the argmax of \`${plan.probabilityOutput}\`.`);
  if (pred.kind === 'classifier' && pred.prob === undefined && pred.noProbabilityReason && !plan.notes.length && plan.probabilityOutput) notes.push(pred.noProbabilityReason);
  return { model, pred, task, metrics, notes };
}

function tensors(specs: TensorSpec[]): TensorSummary[] {
  return specs.map((s) => ({ name: s.name, type: s.isTensor ? s.type : 'map/sequence', shape: s.shape }));
}


/**
 * Evaluates an ONNX model on a labelled CSV: runs it in batches with onnxruntime-node, computes the
 * scikit-learn metrics of its task, bootstraps the main metric, compares with a baseline and applies
 * the gate. Returns the report (and writes it to `out`); a failed gate is `report.gate.passed ===
 * false`, not an exception — call `gateFailure(report)` to turn it into one. Bad input throws
 * InputError before anything is written.
 */
export async function evaluateModel(options: EvaluateOptions): Promise<EvaluationReport> {
  const logger = options.logger ?? silentLogger;
  const requested = options.task ?? 'auto';
  if (!(TASKS as readonly string[]).includes(requested)) throw new InputError(`${opt('task')} must be one of ${TASKS.join(', ')}, got "${requested}".`);
  checkNumberOption('batch-size', options.batchSize, POSITIVE_INTEGER);
  checkNumberOption('bootstrap', options.bootstrap, NON_NEGATIVE_INTEGER);
  checkNumberOption('seed', options.seed, { integer: true });
  const level = options.confidence ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level must be between 0 and 1, got ${level}.`);
  const thresholds = parseThresholds(options.threshold);
  const improvements = parseMinImprovement(options.minImprovement);
  if (improvements.length && !options.baseline) throw new InputError(`${opt('min-improvement')} compares with a champion: also pass ${opt('baseline')} (an ONNX model or a metrics JSON).`);
  if (options.requireSignificant && !options.baseline) throw new InputError(`${opt('require-significant')} compares with a champion: also pass ${opt('baseline')}.`);

  // Hash the data file on another thread while this one parses it (a 200 MB CSV takes ~0.5 s to hash).
  const dataSha = sha256FileOffThread(options.data);
  try {
    return await evaluateWith(options, dataSha.promise, { requested, level, thresholds, improvements, logger });
  } finally {
    dataSha.cancel();
  }
}

interface Prepared {
  requested: Task | 'auto';
  level: number;
  thresholds: ReturnType<typeof parseThresholds>;
  improvements: ImprovementRule[];
  logger: Logger;
}

async function evaluateWith(options: EvaluateOptions, dataSha: Promise<string>, prepared: Prepared): Promise<EvaluationReport> {
  const { requested, level, thresholds, logger } = prepared;
  let improvements = prepared.improvements;
  const table = await readLabelledTable(options.data, { target: options.target, logger });
  const challenger = await scoreModel(options.model, table, requested, options, logger);
  const task = challenger.task;
  checkRulesFitTask(task, thresholds, improvements);
  const notes = [...challenger.notes];
  const metrics = challenger.metrics;
  const main = mainMetricFor(task, metrics);
  const mainInfo = metricInfo(main)!;
  logger.info(`${options.model}: ${task}, ${table.rows} rows, ${main} = ${metrics.values[main]}`);

  // Champion.
  let baseline: BaselineComparison | null = null;
  let champion: Scored | undefined;
  if (options.baseline) {
    if (/\.json$/i.test(options.baseline)) {
      const read = await readBaselineJson(options.baseline, task, main);
      baseline = read.comparison;
      const dataSha256 = read.dataSha256;
      if (dataSha256 && dataSha256 !== (await dataSha)) notes.push(`The baseline metrics in \`${options.baseline}\` were measured on different data (sha256 ${dataSha256.slice(0, 12)}…), so the comparison mixes data sets.`);
    } else {
      try {
        champion = await scoreModel(options.baseline, table, task, options, logger);
      } catch (err) {
        if (err instanceof InputError) throw new InputError(`Baseline model: ${err.message}`, { cause: err });
        throw err;
      }
      if (champion.task !== task) throw new InputError(`The baseline ${options.baseline} is a ${champion.task} model but ${options.model} is ${task}; compare models of the same task.`);
      for (const n of champion.notes) notes.push(`Baseline: ${n}`);
      baseline = {
        source: 'model', path: options.baseline, sha256: champion.model.sha256, metrics: champion.metrics.values,
        main_metric_value: champion.metrics.values[main] ?? null,
      };
    }
    if (!improvements.length) improvements = [{ metric: main, change: 0, relative: false, text: `${main}:0` } satisfies ImprovementRule];
  }

  // Bootstrap.
  const resamples = options.bootstrap ?? defaultResamples(table.rows);
  const seed = options.seed ?? DEFAULTS.evaluate.seed;
  const mainMetric: MainMetric = { name: main, value: metrics.values[main] ?? null, higher_is_better: mainInfo.higherIsBetter };
  let diffCi: ConfidenceInterval | undefined;
  if (resamples > 0 && mainMetric.value !== null) {
    const stats = [weightedStatistic(main, table.target, challenger.pred, metrics)];
    const paired = champion && champion.metrics.values[main] !== undefined;
    if (paired) stats.push(weightedStatistic(main, table.target, champion!.pred, champion!.metrics));
    const samples = bootstrapSamples(table.rows, stats, { resamples, seed, logger });
    mainMetric.ci = percentileInterval(samples[0]!, level);
    if (paired) {
      const d = samples[0]!.map((v, i) => v - samples[1]![i]!);
      diffCi = percentileInterval(d, level);
    } else if (baseline && baseline.main_metric_value !== null) {
      const d = samples[0]!.map((v) => v - baseline!.main_metric_value!);
      diffCi = percentileInterval(d, level);
      notes.push(`The baseline is a metrics file, so its ${main} is taken as exact: the difference interval reflects only this model's sampling uncertainty. Pass the baseline ONNX model for a paired bootstrap.`);
    }
  }
  if (baseline && baseline.main_metric_value !== null && mainMetric.value !== null) {
    const estimate = mainMetric.value - baseline.main_metric_value;
    let verdict: 'better' | 'worse' | 'inconclusive' | 'not-tested' = 'not-tested';
    if (diffCi && diffCi.resamples > 0) {
      const better = mainInfo.higherIsBetter ? diffCi.low > 0 : diffCi.high < 0;
      const worse = mainInfo.higherIsBetter ? diffCi.high < 0 : diffCi.low > 0;
      verdict = better ? 'better' : worse ? 'worse' : 'inconclusive';
    }
    baseline.difference = { estimate, ci: diffCi, verdict };
  }

  const gate = evaluateGate({
    values: metrics.values, notComputed: metrics.notComputed, thresholds, improvements,
    baseline: baseline?.metrics,
    significance: options.requireSignificant
      ? { metric: main, low: diffCi?.low ?? NaN, high: diffCi?.high ?? NaN, level, required: true }
      : undefined,
  });

  const report: EvaluationReport = {
    task,
    n: table.rows,
    model: {
      path: options.model, sha256: challenger.model.sha256,
      inputs: tensors(challenger.model.signature.inputs), outputs: tensors(challenger.model.signature.outputs),
    },
    data: { path: options.data, sha256: await dataSha, rows: table.rows, target: table.targetName, features: table.featureNames.length },
    metrics: {
      ...metrics.values,
      ...(metrics.perClass ? { per_class: metrics.perClass } : {}),
      ...(metrics.confusion ? { confusion_matrix: metrics.confusion } : {}),
    },
    not_computed: metrics.notComputed,
    main_metric: mainMetric,
    bootstrap: resamples > 0 ? { method: 'percentile', resamples, seed, level } : null,
    baseline,
    gate,
    notes,
    tool: { name: 'mlship', onnxruntime_node: ONNXRUNTIME_NODE_VERSION },
  };
  if (options.out) await writeFileAtomic(options.out, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

const HASH_WORKER = `
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const hash = createHash('sha256');
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (c) => hash.update(c))
  .on('error', (e) => parentPort.postMessage({ error: e.message }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex') }));
`;

/**
 * sha256File on a worker thread (an eval'd script, so it works from the esbuild bundles too). `cancel`
 * stops the worker (after an error, so the process need not wait for the hash).
 */
function sha256FileOffThread(path: string): { promise: Promise<string>; cancel: () => void } {
  const worker = new Worker(HASH_WORKER, { eval: true, workerData: path });
  const promise = new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { sha256?: string; error?: string }) => {
      if (m.sha256) resolve(m.sha256);
      else reject(new InputError(`Cannot hash ${path}: ${m.error}`));
    });
    worker.once('error', (e) => reject(e));
    worker.once('exit', () => reject(new Error('hash worker stopped')));
  });
  promise.catch(() => {}); // a missing file is reported by the CSV reader; never an unhandled rejection
  return { promise, cancel: () => { void worker.terminate(); } };
}

/** Reads a champion's metrics: a JSON written by `mlship evaluate --out`, or a flat `{metric: value}` object. */
export async function readBaselineJson(path: string, task: Task, main: string): Promise<{ comparison: BaselineComparison; dataSha256?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`Baseline file ${path} cannot be read; pass an ONNX model or a metrics JSON written by \`mlship evaluate --out\`.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`Baseline ${path} is not valid JSON (${(err as Error).message}); pass a metrics JSON written by \`mlship evaluate --out\`.`);
  }
  if (typeof doc !== 'object' || doc === null) throw new InputError(`Baseline ${path} must hold a JSON object.`);
  const obj = doc as Record<string, unknown>;
  if (typeof obj.task === 'string' && obj.task !== task) {
    throw new InputError(`Baseline ${path} holds ${obj.task} metrics but this evaluation is ${task}; compare models of the same task.`);
  }
  const source = (typeof obj.metrics === 'object' && obj.metrics !== null ? obj.metrics : obj) as Record<string, unknown>;
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(source)) if (typeof v === 'number' && metricInfo(k)) metrics[k] = v;
  if (Object.keys(metrics).length === 0) throw new InputError(`Baseline ${path} has no metric values (expected {"metrics": {"accuracy": 0.95, …}}).`);
  const data = obj.data as { sha256?: unknown } | undefined;
  const model = obj.model as { sha256?: unknown } | undefined;
  return {
    comparison: {
      source: 'metrics-json', path, sha256: typeof model?.sha256 === 'string' ? model.sha256 : await sha256File(path),
      metrics, main_metric_value: metrics[main] ?? null,
    },
    dataSha256: typeof data?.sha256 === 'string' ? data.sha256 : undefined,
  };
}

/** The GateFailedError for a failed report (exit code 1), naming each failed metric, value and bound. */
export function gateFailure(report: EvaluationReport): GateFailedError | undefined {
  if (report.gate.passed) return undefined;
  return new GateFailedError(`Evaluation gate failed for ${report.model.path}: ${report.gate.failures.join('; ')}.`);
}
