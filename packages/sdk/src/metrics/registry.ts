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

const CLS = ['binary', 'multiclass'] as const;
const m = (name: string, tasks: readonly Task[], higherIsBetter: boolean, sklearn: string, needsProbabilities = false): MetricInfo =>
  ({ name, tasks, higherIsBetter, needsProbabilities, sklearn });

export const METRICS: readonly MetricInfo[] = [
  m('accuracy', CLS, true, 'accuracy_score'),
  m('balanced_accuracy', CLS, true, 'balanced_accuracy_score'),
  m('precision', ['binary'], true, "precision_score(pos_label=1)"),
  m('recall', ['binary'], true, "recall_score(pos_label=1)"),
  m('f1', ['binary'], true, "f1_score(pos_label=1)"),
  ...(['macro', 'micro', 'weighted'] as const).flatMap((avg) => [
    m(`precision_${avg}`, CLS, true, `precision_score(average='${avg}')`),
    m(`recall_${avg}`, CLS, true, `recall_score(average='${avg}')`),
    m(`f1_${avg}`, CLS, true, `f1_score(average='${avg}')`),
  ]),
  m('roc_auc', ['binary'], true, 'roc_auc_score', true),
  m('roc_auc_ovr_macro', ['multiclass'], true, "roc_auc_score(multi_class='ovr', average='macro')", true),
  m('roc_auc_ovr_weighted', ['multiclass'], true, "roc_auc_score(multi_class='ovr', average='weighted')", true),
  m('log_loss', CLS, false, 'log_loss', true),
  m('mse', ['regression'], false, 'mean_squared_error'),
  m('rmse', ['regression'], false, 'root_mean_squared_error'),
  m('mae', ['regression'], false, 'mean_absolute_error'),
  m('r2', ['regression'], true, 'r2_score'),
  m('explained_variance', ['regression'], true, 'explained_variance_score'),
  m('max_error', ['regression'], false, 'max_error'),
  m('mape', ['regression'], false, 'mean_absolute_percentage_error'),
];

const BY_NAME = new Map(METRICS.map((x) => [x.name, x]));

/** The record of a metric, or undefined for an unknown name. */
export function metricInfo(name: string): MetricInfo | undefined {
  return BY_NAME.get(name);
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
