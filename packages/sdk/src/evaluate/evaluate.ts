import { DEFAULTS } from '../defaults.ts';
import { readFile } from 'node:fs/promises';
import { checkNumberOption, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER } from '../util/number-option.ts';
import { Worker } from 'node:worker_threads';
import { InputError, GateFailedError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { readCsvHeader } from '../data/csv.ts';
import { checkTargetColumns, type ModelTable } from '../data/model-table.ts';
import { readModelTableParallel } from '../data/parallel-table.ts';
import { bindColumns, isDenseBinding, readInputMapFile, stringColumnsOf, tableBatch, type InputBinding, type InputMap } from '../model/input-map.ts';
import { OnnxModel, type OutputTensor } from '../model/onnx-model.ts';
import { ONNXRUNTIME_NODE_VERSION } from '../model/onnxruntime.ts';
import type { TensorSpec } from '../model/signature.ts';
import { metricInfo, type Task } from '../metrics/registry.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { refuseOutputOverInput } from '../util/same-file.ts';
import { sha256File } from '../util/hash.ts';
import { bootstrapSamples, defaultResamples, mainMetricFor, percentileInterval, weightedStatistic, type ConfidenceInterval } from './bootstrap.ts';
import { computeMetrics, type MetricsResult } from './compute.ts';
import { checkRulesFitTask, evaluateGate, parseMinImprovement, parseThresholds, type GateResult, type ImprovementRule } from './gate.ts';
import { argmaxRows, detectTask, planOutputs, possibleTasks, probabilityMatrix, readPredictions, type Predictions } from './interpret.ts';
import { codeClasses, positiveClass, type ClassCoding } from './class-coding.ts';
import { modelClassLabels } from './model-classes.ts';
import type { ClassLabel } from '../model/class-labels.ts';

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
  /** Rows per onnxruntime run (default 65536; never more than a static batch the model fixes). */
  batchSize?: number;
  /** How columns feed the model's inputs where the default rule cannot tell: an input-map JSON file, or the map itself (model/input-map.ts). */
  inputMap?: string | InputMap;
  /** Missing numeric cells become NaN (for models that handle it: XGBoost, LightGBM), counted and reported; else they are an error. */
  allowMissing?: boolean;
  /** Bootstrap resamples for the main metric's confidence interval (default 1000, fewer above 100k rows — see defaultResamples; 0 = none). */
  bootstrap?: number;
  /** Bootstrap seed (default 42). */
  seed?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
  /**
   * Binary: the positive class of precision/recall/f1 and roc_auc (matched against the model's classes
   * as text). Default: the model's second class in its own order (scikit-learn's classes_[1]).
   */
  posLabel?: string;
  /** Worker threads parsing the CSV (data/parallel-table.ts; default: the machine's cores, 1 = this thread). */
  workers?: number;
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
  /** `missing`: missing feature cells per column, fed to the model as NaN (only when missing values are allowed). */
  data: { path: string; sha256: string; rows: number; target: string; features: number; missing?: Record<string, number> };
  /** Scalar metrics, `per_class` and `confusion_matrix` (labels in np.unique(y_true ∪ y_pred) order). */
  metrics: Record<string, unknown>;
  /** Binary: the positive class of precision/recall/f1 and roc_auc (the model's classes_[1], or --pos-label). */
  pos_label?: string | number;
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
  /** y_true as this model's metrics count it (a classifier's codes: ClassCoding). */
  yTrue: Float64Array;
  /** A classifier's class of each code (ClassCoding.names). */
  classes?: ClassLabel[];
  /** Binary: the positive class. */
  positive?: ClassLabel;
}

const DEFAULT_BATCH = DEFAULTS.evaluate['batch-size'];

/**
 * The evaluation data: the CSV read for the models' inputs (data/model-table.ts) and the target: as
 * numbers for a regressor (`target`); a classifier's labels are coded per model (class-coding.ts) from
 * `labels` — the cells as read, or their text when a model's classes are strings.
 */
interface EvalData {
  path: string;
  featureNames: string[];
  /** The target column(s) joined with `,` (for the report). */
  targetName: string;
  targetNames: string[];
  rows: number;
  /** y_true of a regression: one value per row, or row-major [rows, k] for k target columns (empty for a text target). */
  target: Float64Array;
  /** The single target's cells: numbers, or text when they are not all numbers. */
  labels: ArrayLike<number> | string[];
  /** The single target's cell text, read when a model has string classes. */
  labelText?: string[];
  table: ModelTable;
  /** A model's outputs when it ran on the rows during the parse (readEvalData, a parallel read); else scoreModel runs it. */
  scored?: { model: BoundModel; outputs: Record<string, OutputTensor> };
}

/** A model with the columns that feed each of its inputs (model/input-map.ts). */
interface BoundModel {
  path: string;
  model: OnnxModel;
  bindings: InputBinding[];
  /** The classifier's classes in probability-column order, when the model (or its package) says: model-classes.ts. */
  classes?: ClassLabel[];
}

async function bindModel(path: string, featureNames: string[], options: EvaluateOptions, inputMap: InputMap | undefined, logger: Logger): Promise<BoundModel> {
  const model = await OnnxModel.load(path, { logger });
  const bindings = bindColumns(model.signature.inputs, featureNames, { inputMap, modelPath: path, dataPath: options.data });
  const classes = await modelClassLabels(path);
  return { path, model, bindings, ...(classes ? { classes } : {}) };
}

async function readEvalData(options: EvaluateOptions, header: string[], models: BoundModel[], requested: Task | 'auto', logger: Logger): Promise<EvalData> {
  const stringColumns = new Set<string>();
  for (const m of models) for (const c of stringColumnsOf(m.bindings)) stringColumns.add(c);
  for (const m of models) {
    for (const b of m.bindings) {
      const c = b.type !== 'string' ? b.columns.find((col) => stringColumns.has(col)) : undefined;
      if (c !== undefined) throw new InputError(`Column "${c}" feeds a string input of one model and ${b.type} input "${b.name}" of ${m.path}; compare models that read the column the same way.`);
    }
  }
  const targetNames = targetColumns(options.target, header);
  const targetName = targetNames.join(',');
  // The classic single float32 input of every column in file order: read straight into the tensor.
  const features = header.filter((c) => !targetNames.includes(c));
  const dense = models.every((m) => isDenseBinding(m.bindings, features));
  // A model with string classes compares the target as text ('1', '10', '2' stay strings).
  const keepText = targetNames.length === 1 && models.some((m) => m.classes?.some((c) => typeof c === 'string')) ? { keepText: targetNames } : {};
  // One model: it scores each run of rows as soon as the run is parsed, on this thread (idle while the
  // workers parse), in the batches it would run on the whole table (OnnxModel.inPieces), and the runs'
  // features are never joined. (A champion is scored with the challenger's task, known only after, so
  // two models take the joined table.)
  const streamed = models.length === 1 ? { model: models[0]!, runs: 0, pieces: models[0]!.model.inPieces({ batchSize: options.batchSize ?? DEFAULT_BATCH, outputs: outputPlan(models[0]!.path, models[0]!.model, requested, targetNames.length).fetch }) } : undefined;
  const onRun = streamed ? async (run: ModelTable) => { streamed.runs++; await streamed.pieces.add(tableBatch(run, streamed.model.bindings)); } : undefined;
  const table = await readModelTableParallel(options.data, { targets: targetNames, stringColumns, allowMissing: options.allowMissing, dense, logger, ...keepText, ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(onRun ? { onRun } : {}) });
  for (const [col, m] of Object.entries(table.missing)) logger.warn(`${options.data}: column "${col}" has ${m.count} missing value(s) (first on line ${m.firstLine}), fed to the model as NaN (${opt('allow-missing')}).`);
  const t = table.targets[0]!;
  const data: EvalData = { path: options.data, featureNames: table.featureNames, targetName, targetNames, rows: table.rows, target: new Float64Array(0), labels: t.values, ...(keepText.keepText ? { labelText: table.text[targetName] } : {}), table };
  if (streamed && streamed.runs > 0) data.scored = { model: streamed.model, outputs: await streamed.pieces.finish() };
  if (table.targets.length > 1) {
    // Several target columns: a multi-output regression; y_true row-major [rows, k].
    const k = table.targets.length;
    data.target = new Float64Array(table.rows * k);
    table.targets.forEach((c, j) => {
      if (c.kind !== 'number') throw new InputError(`${options.data}: target column "${c.name}" holds text, but several target columns mean a multi-output regression, which needs numbers.`);
      for (let i = 0; i < table.rows; i++) data.target[i * k + j] = c.values[i]!;
    });
  } else if (t.kind === 'number') data.target = t.values;
  return data;
}

/**
 * The target column(s): `target` (default `target`) names one column, or several separated by commas
 * (a multi-output regression: `y0,y1`) — a name that is itself a column (commas included) is one column.
 */
export function targetColumns(target: string | undefined, header: readonly string[]): string[] {
  const t = target ?? 'target';
  if (header.includes(t) || !t.includes(',')) return [t];
  return t.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Which outputs hold what: several target columns or --task regression read the model as a regressor; --task binary accepts one number in [0, 1]. */
function outputPlan(path: string, model: OnnxModel, requested: Task | 'auto', targets: number) {
  return planOutputs(path, model.signature, { regression: requested === 'regression' || targets > 1, binary: requested === 'binary' });
}

async function scoreModel(bound: BoundModel, data: EvalData, requested: Task | 'auto', options: EvaluateOptions, logger: Logger): Promise<Scored> {
  const { model, path } = bound;
  const plan = outputPlan(path, model, requested, data.targetNames.length);
  const outputs = data.scored?.model === bound ? data.scored.outputs : await model.run(tableBatch(data.table, bound.bindings), { batchSize: options.batchSize ?? DEFAULT_BATCH, outputs: plan.fetch, logger });
  let coding: ClassCoding | undefined;
  const matrix = plan.kind === 'classifier' ? probabilityMatrix(plan, outputs, data.rows) : undefined;
  if (matrix) {
    const { prob, k } = matrix;
    // An argmax-only model (a torch softmax) has the classes 0…K−1 of its columns unless its package names them.
    const classes = bound.classes ?? (!plan.labelOutput && k !== undefined ? Array.from({ length: k }, (_, j) => j) : undefined);
    const label = plan.labelOutput ? outputs[plan.labelOutput]!.data : undefined;
    if (label && label.length !== data.rows) throw new InputError(`model output \`${plan.labelOutput}\` has ${label.length} values, expected ${data.rows}.`);
    const stringClasses = classes?.some((c) => typeof c === 'string');
    coding = codeClasses({
      target: stringClasses && data.labelText ? data.labelText : data.labels,
      predicted: (label as ArrayLike<number | bigint | string> | undefined) ?? argmaxRows(prob!, data.rows, k!), argmax: !label,
      ...(classes ? { modelClasses: classes } : {}), modelPath: path, dataPath: data.path, targetName: data.targetName,
    });
    if (coding.unknown.length) {
      const note = `${data.path}: target label(s) ${coding.unknown.map((l) => JSON.stringify(l)).join(', ')} (column "${data.targetName}") are not among the model's classes [${coding.modelClasses!.map((l) => JSON.stringify(l)).join(', ')}]: their rows count as wrong predictions, scored over the union of labels as scikit-learn does.`;
      logger.warn(note);
    }
  } else if (data.targetNames.length === 1 && typeof data.labels[0] === 'string') {
    throw new InputError(`${data.path}: the target column "${data.targetName}" holds text, but ${path} is a regressor (one number per row, output \`${plan.valueOutput}\`), which needs numbers. Is ${opt('target')} the right column, or is this a classifier's test set?`);
  }
  const pred = readPredictions(plan, outputs, data.rows, coding ? { labels: coding.yPred, ...(coding.columns ? { columns: coding.columns } : {}) } : undefined, matrix);
  const yTrue = coding ? coding.yTrue : data.target;
  if (requested === 'binary' && pred.kind === 'classifier' && pred.prob === undefined && plan.probabilityOutput && !plan.labelOutput && model.signature.outputs.find((o) => o.name === plan.probabilityOutput)?.shape[1] !== 2) {
    throw new InputError(`${opt('task')} binary: ${path}'s output \`${plan.probabilityOutput}\` has values outside [0, 1], so it is no probability of class 1.`);
  }
  const task = detectTask(requested, plan, pred, coding?.observed ?? 0, path);
  if (pred.kind === 'regressor' && (pred.outputs ?? 1) !== data.targetNames.length) {
    throw new InputError(`${path} predicts ${pred.outputs ?? 1} value(s) per row (output \`${plan.valueOutput}\`) but ${data.path} has ${data.targetNames.length} target column(s) (${data.targetNames.join(', ')}); name one target column per model output with ${opt('target')} (e.g. y0,y1).`);
  }
  const positive = coding && task === 'binary' ? positiveClass(coding, options.posLabel, path) : undefined;
  const metrics = computeMetrics(task, yTrue, pred, data.targetNames, { ...(positive ? { positive: positive.code } : {}), ...(coding ? { encoded: coding.encoded } : {}) });
  const notes = [...plan.notes];
  if (coding?.unknown.length) notes.push(`Target label(s) ${coding.unknown.map((l) => JSON.stringify(l)).join(', ')} are not among the model's classes: their rows count as wrong.`);
  if (pred.kind === 'classifier' && !plan.labelOutput) notes.push(`\`${path}\` has no label output: the predicted class is the argmax of \`${plan.probabilityOutput}\`.`);
  if (pred.kind === 'classifier' && pred.prob === undefined && pred.noProbabilityReason && !plan.notes.length && plan.probabilityOutput) notes.push(pred.noProbabilityReason);
  return { model, pred, task, metrics, notes, yTrue, ...(coding ? { classes: coding.names } : {}), ...(positive ? { positive: positive.label } : {}) };
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
  refuseOutputOverInput([['model', options.model], ['data', options.data], ['baseline', options.baseline]], [['out', options.out]]);
  checkNumberOption('batch-size', options.batchSize, POSITIVE_INTEGER);
  checkNumberOption('bootstrap', options.bootstrap, NON_NEGATIVE_INTEGER);
  checkNumberOption('seed', options.seed, { integer: true });
  const level = options.confidence ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(`confidence level must be between 0 and 1, got ${level}.`);
  const thresholds = parseThresholds(options.threshold);
  const improvements = parseMinImprovement(options.minImprovement);
  if (requested !== 'auto') checkRulesFitTask(requested as Task, thresholds, improvements);
  if (improvements.length && !options.baseline) throw new InputError(`${opt('min-improvement')} compares with a champion: also pass ${opt('baseline')} (an ONNX model or a metrics JSON).`);
  if (options.requireSignificant && !options.baseline) throw new InputError(`${opt('require-significant')} compares with a champion: also pass ${opt('baseline')}.`);

  // The data file's hash, on another thread once the parse is done: the parse keeps every core busy,
  // the scoring and metrics after it only one (a 200 MB CSV takes ~0.2 s to hash).
  const dataSha = sha256FileOffThread(options.data);
  try {
    return await evaluateWith(options, dataSha, { requested, level, thresholds, improvements, logger });
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

async function evaluateWith(options: EvaluateOptions, hash: DataHash, prepared: Prepared): Promise<EvaluationReport> {
  const { requested, level, thresholds, logger } = prepared;
  let improvements = prepared.improvements;
  const header = await readCsvHeader(options.data);
  const targetNames = targetColumns(options.target, header);
  checkTargetColumns(options.data, header, targetNames);
  const featureNames = header.filter((c) => !targetNames.includes(c));
  const inputMap = options.inputMap === undefined ? undefined : typeof options.inputMap === 'string' ? await readInputMapFile(options.inputMap) : options.inputMap;
  const challengerModel = await bindModel(options.model, featureNames, options, inputMap, logger);
  // Rules on another task's metrics are refused before the data is read and the model runs (once the task is known, exactly: below).
  checkRulesFitTask(possibleTasks(requested, outputPlan(options.model, challengerModel.model, requested, targetNames.length)), thresholds, improvements);
  let championModel: BoundModel | undefined;
  if (options.baseline && !/\.json$/i.test(options.baseline)) {
    try {
      championModel = await bindModel(options.baseline, featureNames, options, inputMap, logger);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`Baseline model: ${err.template}`, { cause: err });
      throw err;
    }
  }
  const table = await readEvalData(options, header, championModel ? [challengerModel, championModel] : [challengerModel], requested, logger);
  const dataSha = hash.start();
  const challenger = await scoreModel(challengerModel, table, requested, options, logger);
  const task = challenger.task;
  checkRulesFitTask(task, thresholds, improvements);
  const notes = [...challenger.notes];
  const metrics = challenger.metrics;
  const main = mainMetricFor(task, metrics);
  const mainInfo = metricInfo(main)!;
  logger.info(`${options.model}: ${task}, ${table.rows} rows, ${main} = ${metrics.values[main]}${challenger.positive !== undefined ? ` (positive class ${JSON.stringify(challenger.positive)})` : ''}`);

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
        champion = await scoreModel(championModel!, table, task, options, logger);
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
  // The bootstrap resamples rows of one target; a multi-output report has none (stated in the notes).
  const multiOutput = table.targetNames.length > 1;
  if (multiOutput && (options.bootstrap ?? 0) > 0) notes.push('No bootstrap interval: the main metric of a multi-output regression is an average over the outputs, which the bootstrap does not resample.');
  const resamples = multiOutput ? 0 : options.bootstrap ?? defaultResamples(table.rows);
  const seed = options.seed ?? DEFAULTS.evaluate.seed;
  const mainMetric: MainMetric = { name: main, value: metrics.values[main] ?? null, higher_is_better: mainInfo.higherIsBetter };
  let diffCi: ConfidenceInterval | undefined;
  if (resamples > 0 && mainMetric.value !== null) {
    const stats = [weightedStatistic(main, challenger.yTrue, challenger.pred, metrics)];
    const paired = champion && champion.metrics.values[main] !== undefined;
    if (paired) stats.push(weightedStatistic(main, champion!.yTrue, champion!.pred, champion!.metrics));
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

  const missing = Object.entries(table.table.missing);
  if (missing.length) notes.push(`Missing values fed to the model as NaN: ${missing.map(([c, m]) => `"${c}" ${m.count} (first on line ${m.firstLine})`).join(', ')}.`);
  const report: EvaluationReport = {
    task,
    n: table.rows,
    model: {
      path: options.model, sha256: challenger.model.sha256,
      inputs: tensors(challenger.model.signature.inputs), outputs: tensors(challenger.model.signature.outputs),
    },
    data: { path: options.data, sha256: await dataSha, rows: table.rows, target: table.targetName, features: table.featureNames.length, ...(missing.length ? { missing: Object.fromEntries(missing.map(([c, m]) => [c, m.count])) } : {}) },
    metrics: {
      ...metrics.values,
      ...(metrics.perClass ? { per_class: { ...metrics.perClass, labels: metrics.perClass.labels.map((c) => challenger.classes![c]!) } } : {}),
      ...(metrics.confusion ? { confusion_matrix: { ...metrics.confusion, labels: metrics.confusion.labels.map((c) => challenger.classes![c]!) } } : {}),
    },
    ...(challenger.positive !== undefined ? { pos_label: challenger.positive } : {}),
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

/** The data file's sha256, computed on a worker thread from `start()` on; `cancel` stops the worker. */
interface DataHash { start(): Promise<string>; cancel(): void }

/**
 * sha256File on a worker thread (an eval'd script, so it works from the esbuild bundles too), begun by
 * `start()`. `cancel` stops the worker (after an error, so the process need not wait for the hash).
 */
function sha256FileOffThread(path: string): DataHash {
  let worker: Worker | undefined;
  let promise: Promise<string> | undefined;
  return {
    start() {
      if (promise) return promise;
      const w = new Worker(HASH_WORKER, { eval: true, workerData: path });
      worker = w;
      promise = new Promise<string>((resolve, reject) => {
        w.once('message', (m: { sha256?: string; error?: string }) => {
          if (m.sha256) resolve(m.sha256);
          else reject(new InputError(`Cannot hash ${path}: ${m.error}`));
        });
        w.once('error', (e) => reject(e));
        w.once('exit', () => reject(new Error('hash worker stopped')));
      });
      promise.catch(() => {}); // awaited where it is used; never an unhandled rejection
      return promise;
    },
    cancel: () => { void worker?.terminate(); },
  };
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
