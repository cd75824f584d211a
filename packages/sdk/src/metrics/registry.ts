/**
 * Every scalar metric mlship reports, as a table (name, task, direction, what it needs), so the gate,
 * the report and the help text read the same facts. Names are scikit-learn's; definitions live in the
 * doc comments of classification.ts, ranking.ts, log-loss.ts and regression.ts.
 */
export type Task = 'binary' | 'multiclass' | 'regression';

export interface MetricInfo {
  name: string;
  /** Tasks whose evaluation reports this metric. */
  tasks: readonly Task[];
  /** True when a larger value is better (accuracy), false when smaller is (rmse, log_loss). */
  higherIsBetter: boolean;
  /** Needs class probabilities (not computable from labels alone, e.g. from a ZipMap model). */
  needsProbabilities: boolean;
  /** The scikit-learn call that defines it. */
  sklearn: string;
}

// A plain literal (no calls at module level), so bundles of other actions that import the SDK
// leave it out.
export const METRICS: readonly MetricInfo[] = [
  { name: 'accuracy', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "accuracy_score" },
  { name: 'balanced_accuracy', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "balanced_accuracy_score" },
  { name: 'precision', tasks: ['binary'], higherIsBetter: true, needsProbabilities: false, sklearn: "precision_score(pos_label=1)" },
  { name: 'recall', tasks: ['binary'], higherIsBetter: true, needsProbabilities: false, sklearn: "recall_score(pos_label=1)" },
  { name: 'f1', tasks: ['binary'], higherIsBetter: true, needsProbabilities: false, sklearn: "f1_score(pos_label=1)" },
  { name: 'precision_macro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "precision_score(average='macro')" },
  { name: 'recall_macro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "recall_score(average='macro')" },
  { name: 'f1_macro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "f1_score(average='macro')" },
  { name: 'precision_micro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "precision_score(average='micro')" },
  { name: 'recall_micro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "recall_score(average='micro')" },
  { name: 'f1_micro', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "f1_score(average='micro')" },
  { name: 'precision_weighted', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "precision_score(average='weighted')" },
  { name: 'recall_weighted', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "recall_score(average='weighted')" },
  { name: 'f1_weighted', tasks: ['binary', 'multiclass'], higherIsBetter: true, needsProbabilities: false, sklearn: "f1_score(average='weighted')" },
  { name: 'roc_auc', tasks: ['binary'], higherIsBetter: true, needsProbabilities: true, sklearn: "roc_auc_score" },
  { name: 'roc_auc_ovr_macro', tasks: ['multiclass'], higherIsBetter: true, needsProbabilities: true, sklearn: "roc_auc_score(multi_class='ovr', average='macro')" },
  { name: 'roc_auc_ovr_weighted', tasks: ['multiclass'], higherIsBetter: true, needsProbabilities: true, sklearn: "roc_auc_score(multi_class='ovr', average='weighted')" },
  { name: 'log_loss', tasks: ['binary', 'multiclass'], higherIsBetter: false, needsProbabilities: true, sklearn: "log_loss" },
  { name: 'mse', tasks: ['regression'], higherIsBetter: false, needsProbabilities: false, sklearn: "mean_squared_error" },
  { name: 'rmse', tasks: ['regression'], higherIsBetter: false, needsProbabilities: false, sklearn: "root_mean_squared_error" },
  { name: 'mae', tasks: ['regression'], higherIsBetter: false, needsProbabilities: false, sklearn: "mean_absolute_error" },
  { name: 'r2', tasks: ['regression'], higherIsBetter: true, needsProbabilities: false, sklearn: "r2_score" },
  { name: 'explained_variance', tasks: ['regression'], higherIsBetter: true, needsProbabilities: false, sklearn: "explained_variance_score" },
  { name: 'max_error', tasks: ['regression'], higherIsBetter: false, needsProbabilities: false, sklearn: "max_error" },
  { name: 'mape', tasks: ['regression'], higherIsBetter: false, needsProbabilities: false, sklearn: "mean_absolute_percentage_error" },
];

/**
 * The values each metric can take (bounds inclusive; a missing bound is unbounded): scores and shares
 * from 0 to 1, errors and log_loss ≥ 0, r2 and explained_variance ≤ 1 (negative when worse than
 * predicting the mean). A gate bound outside is a typo (a percentage, a sign), refused before the run.
 */
export const METRIC_RANGES: Readonly<Record<string, { min?: number; max?: number }>> = {
  accuracy: { min: 0, max: 1 }, balanced_accuracy: { min: 0, max: 1 },
  precision: { min: 0, max: 1 }, recall: { min: 0, max: 1 }, f1: { min: 0, max: 1 },
  precision_macro: { min: 0, max: 1 }, recall_macro: { min: 0, max: 1 }, f1_macro: { min: 0, max: 1 },
  precision_micro: { min: 0, max: 1 }, recall_micro: { min: 0, max: 1 }, f1_micro: { min: 0, max: 1 },
  precision_weighted: { min: 0, max: 1 }, recall_weighted: { min: 0, max: 1 }, f1_weighted: { min: 0, max: 1 },
  roc_auc: { min: 0, max: 1 }, roc_auc_ovr_macro: { min: 0, max: 1 }, roc_auc_ovr_weighted: { min: 0, max: 1 },
  log_loss: { min: 0 }, mse: { min: 0 }, rmse: { min: 0 }, mae: { min: 0 }, max_error: { min: 0 }, mape: { min: 0 },
  r2: { max: 1 }, explained_variance: { max: 1 },
};

let byName: Map<string, MetricInfo> | undefined;

/** The record of a metric, or undefined for an unknown name. */
export function metricInfo(name: string): MetricInfo | undefined {
  byName ??= new Map(METRICS.map((x) => [x.name, x]));
  return byName.get(name);
}

/** Metric names reported for a task, in report order. */
export function metricsForTask(task: Task): string[] {
  return METRICS.filter((x) => x.tasks.includes(task)).map((x) => x.name);
}

/** Closest known metric name (edit distance ≤ 3), for "did you mean" hints. */
export function suggestMetric(name: string): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const x of METRICS) {
    const d = editDistance(name.toLowerCase(), x.name);
    if (d < bestD) { bestD = d; best = x.name; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
