import { MlshipError } from '../errors.ts';

/**
 * A metric that is not defined on the given data (scikit-learn warns `UndefinedMetricWarning` and
 * returns nan, e.g. ROC AUC when y_true holds one class). Metric functions throw it instead of
 * returning NaN; the evaluation records the reason under `not_computed`.
 */
export class UndefinedMetricError extends MlshipError {
  readonly metric: string;
  constructor(metric: string, reason: string) {
    super(`${metric} is not defined here: ${reason}`, 2);
    this.metric = metric;
  }
}

/** Checks two arrays have the same, non-zero length; the message names the metric. */
export function checkSameLength(metric: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>, what = 'y_pred'): void {
  if (a.length !== b.length) throw new RangeError(`${metric}: y_true has ${a.length} values but ${what} has ${b.length}.`);
  if (a.length === 0) throw new RangeError(`${metric}: no samples.`);
}
