import { accuracyFromCounts, balancedAccuracyFromCounts, binaryScores, confusionCounts, confusionRows, macroAverage, microAverage, perClassFromCounts, weightedAverage, type PerClassScores } from '../metrics/classification.ts';
import { UndefinedMetricError } from '../metrics/errors.ts';
import { encodeLabels, type EncodedLabels } from '../metrics/labels.ts';
import { logLoss } from '../metrics/log-loss.ts';
import { rocAucOfColumn, rocAucOvr } from '../metrics/ranking.ts';
import { explainedVariance, maxError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, r2Score, rootMeanSquaredError } from '../metrics/regression.ts';
import { metricsForTask, type Task } from '../metrics/registry.ts';
import type { Predictions } from './interpret.ts';

/** All metrics of one model on one labelled table. */
export interface MetricsResult {
  /** Scalar metrics by scikit-learn name. */
  values: Record<string, number>;
  perClass?: PerClassScores;
  confusion?: { labels: number[]; matrix: number[][] };
  /** Metrics of the task that could not be computed, with the reason. */
  notComputed: Record<string, string>;
  /**
   * For probability metrics: the class label of each probability column, and each row's true column
   * (−1 if its label has no column). Kept for the bootstrap.
   */
  columnLabels?: number[];
  trueColumn?: Int32Array;
  /** Binary: the positive class (as coded in y_true) and its probability column, for the bootstrap. */
  positive?: number;
  positiveColumn?: number;
}

export interface ComputeMetricsOptions {
  /**
   * Binary: the positive class as coded in y_true (default 1). evaluate passes the model's classes_[1]
   * (or --pos-label): precision/recall/f1 are scikit-learn's with that pos_label, roc_auc scores
   * (y_true == positive) with the positive class's probability column.
   */
  positive?: number;
  /** encodeLabels(yTrue, pred.labels) when the caller has it (evaluate's class coding makes it with the codes). */
  encoded?: EncodedLabels;
}

/**
 * The column → class mapping of a probability output: column j is class j when every label is an
 * integer in [0, K) (the usual 0..K-1 class ids); otherwise, when y_true ∪ y_pred hold exactly K labels,
 * column j is the j-th smallest (scikit-learn orders `classes_` ascending); otherwise unknown.
 */
export function probabilityColumns(labels: number[], k: number): number[] | undefined {
  if (labels.every((l) => Number.isInteger(l) && l >= 0 && l < k)) return Array.from({ length: k }, (_, j) => j);
  return labels.length === k ? [...labels] : undefined;
}

/** Computes every metric of `task` (see metrics/registry.ts) from y_true and the model's predictions. */
export function computeMetrics(task: Task, yTrue: Float64Array, pred: Predictions, outputNames?: string[], options: ComputeMetricsOptions = {}): MetricsResult {
  const positiveLabel = options.positive ?? 1;
  const values: Record<string, number> = {};
  const notComputed: Record<string, string> = {};
  const attempt = (names: string[], f: () => number[] | number) => {
    try {
      const v = f();
      const arr = Array.isArray(v) ? v : [v];
      names.forEach((n, i) => { values[n] = arr[i]!; });
    } catch (err) {
      if (!(err instanceof UndefinedMetricError)) throw err;
      for (const n of names) notComputed[n] = err.message;
    }
  };

  if (task === 'regression') {
    if (pred.kind !== 'regressor') throw new Error('regression metrics need regressor predictions');
    if ((pred.outputs ?? 1) > 1) return multiOutputRegressionMetrics(yTrue, pred.values, pred.outputs!, outputNames ?? []);
    const p = pred.values;
    attempt(['mse'], () => meanSquaredError(yTrue, p));
    attempt(['rmse'], () => rootMeanSquaredError(yTrue, p));
    attempt(['mae'], () => meanAbsoluteError(yTrue, p));
    attempt(['r2'], () => r2Score(yTrue, p));
    attempt(['explained_variance'], () => explainedVariance(yTrue, p));
    attempt(['max_error'], () => maxError(yTrue, p));
    attempt(['mape'], () => meanAbsolutePercentageError(yTrue, p));
    return { values: order(task, values), notComputed };
  }
  if (pred.kind !== 'classifier') throw new Error('classification metrics need classifier predictions');
  const enc = options.encoded ?? encodeLabels(yTrue, pred.labels);
  const k = enc.labels.length;
  const counts = confusionCounts(enc.trueIndex, enc.predIndex, k);
  const perClass = perClassFromCounts(counts, enc.labels);
  values.accuracy = accuracyFromCounts(counts, k);
  values.balanced_accuracy = balancedAccuracyFromCounts(counts, k);
  if (task === 'binary') {
    attempt(['precision', 'recall', 'f1'], () => { const b = binaryScores(perClass, positiveLabel); return [b.precision, b.recall, b.f1]; });
  }
  for (const [avg, s] of [['macro', macroAverage(perClass)], ['micro', microAverage(counts, k)], ['weighted', weightedAverage(perClass)]] as const) {
    values[`precision_${avg}`] = s.precision;
    values[`recall_${avg}`] = s.recall;
    values[`f1_${avg}`] = s.f1;
  }
  const result: MetricsResult = {
    values, perClass, notComputed,
    confusion: { labels: enc.labels, matrix: confusionRows({ labels: enc.labels, counts }) },
  };

  const probNames = task === 'binary' ? ['roc_auc', 'log_loss'] : ['roc_auc_ovr_macro', 'roc_auc_ovr_weighted', 'log_loss'];
  const columns = pred.prob ? (pred.columnLabels ?? probabilityColumns(enc.labels, pred.k!)) : undefined;
  if (!pred.prob || !columns) {
    const reason = !pred.prob
      ? `not computed: ${pred.noProbabilityReason ?? 'no class probabilities'}; this metric needs class probabilities.`
      : `not computed: the ${pred.k} probability columns cannot be matched to the labels [${enc.labels.join(', ')}].`;
    for (const n of probNames) notComputed[n] = reason;
  } else {
    const kp = pred.k!;
    const colOf = new Map(columns.map((l, j) => [l, j]));
    const trueColumn = new Int32Array(yTrue.length);
    // The labels are small whole numbers (class codes): each one's column from a table, not a Map per row.
    const table = new Int32Array(enc.labels.length).fill(-1);
    enc.labels.forEach((l, c) => { table[c] = colOf.get(l) ?? -1; });
    for (let i = 0; i < yTrue.length; i++) trueColumn[i] = table[enc.trueIndex[i]!]!;
    result.columnLabels = columns;
    result.trueColumn = trueColumn;
    const prob = pred.prob;
    if (task === 'binary') {
      // The positive class's column (column 1, predict_proba[:, 1], for the model's classes_[1]).
      const pc = colOf.get(positiveLabel) ?? 1;
      result.positive = positiveLabel;
      result.positiveColumn = pc;
      attempt(['roc_auc'], () => {
        if (kp !== 2) throw new UndefinedMetricError('roc_auc', `binary ROC AUC needs 2 probability columns, the model gives ${kp}.`);
        return rocAucOfColumn(trueColumn, pc, prob, 2);
      });
    } else {
      try {
        const r = rocAucOvr(trueColumn, prob, kp);
        values.roc_auc_ovr_weighted = r.weighted;
        if (r.macro !== undefined) values.roc_auc_ovr_macro = r.macro;
        else notComputed.roc_auc_ovr_macro = `roc_auc_ovr_macro is not defined here: ${r.macroUndefinedReason}`;
      } catch (err) {
        if (!(err instanceof UndefinedMetricError)) throw err;
        notComputed.roc_auc_ovr_macro = err.message;
        notComputed.roc_auc_ovr_weighted = err.message;
      }
    }
    attempt(['log_loss'], () => logLoss(trueColumn, prob, kp));
  }
  result.values = order(task, values);
  return result;
}

/**
 * Multi-output regression as scikit-learn computes it: each metric per output (`mse[y0]`, …: the
 * single-output function on that column) and over the outputs with `multioutput='uniform_average'`,
 * the plain mean of the per-output values (for rmse: the mean of the per-output RMSEs, as
 * root_mean_squared_error does). max_error has no multi-output form in scikit-learn (it raises).
 * `yTrue` and `values` are row-major [n, k].
 */
export function multiOutputRegressionMetrics(yTrue: Float64Array, values: Float64Array, k: number, names: string[]): MetricsResult {
  const n = yTrue.length / k;
  const values_: Record<string, number> = {};
  const perOutput: Record<string, number> = {};
  const notComputed: Record<string, string> = {};
  const fns: Array<[string, (a: Float64Array, b: Float64Array) => number]> = [
    ['mse', meanSquaredError], ['rmse', rootMeanSquaredError], ['mae', meanAbsoluteError], ['r2', r2Score],
    ['explained_variance', explainedVariance], ['mape', meanAbsolutePercentageError],
  ];
  const columns = Array.from({ length: k }, (_, j) => {
    const t = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) { t[i] = yTrue[i * k + j]!; p[i] = values[i * k + j]!; }
    return { t, p, name: names[j] ?? String(j) };
  });
  for (const [metric, f] of fns) {
    try {
      const each = columns.map((c) => f(c.t, c.p));
      values_[metric] = each.reduce((a, b) => a + b, 0) / k;
      columns.forEach((c, j) => { perOutput[`${metric}[${c.name}]`] = each[j]!; });
    } catch (err) {
      if (!(err instanceof UndefinedMetricError)) throw err;
      notComputed[metric] = err.message;
    }
  }
  notComputed.max_error = 'not computed: max_error is defined for a single output only (scikit-learn raises for multi-output targets).';
  return { values: { ...order('regression', values_), ...perOutput }, notComputed };
}

/** Metrics in registry order, so JSON and tables read the same way every time. */
function order(task: Task, values: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of metricsForTask(task)) if (values[n] !== undefined) out[n] = values[n]!;
  return out;
}
