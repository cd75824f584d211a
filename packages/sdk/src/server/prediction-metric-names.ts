/**
 * Names of the prediction and input-range metrics the server exports (server/prediction-metrics.ts),
 * kept in one place for the server, the alert rules and the dashboard (monitoring/). docs/monitoring.md
 * documents them.
 */

/** Counter: predicted rows per class label, `{model, version, class}` (classifiers). */
export const PREDICTIONS_METRIC = 'mlship_predictions_total';
/** Histogram: predicted values, buckets at the reference predictions' deciles, `{model, version}` (single-output regressors). */
export const PREDICTION_VALUE_METRIC = 'mlship_prediction_value';
/** Gauge: each class's share of the reference predictions, `{model, version, class}` (from the package's monitoring profile). */
export const REFERENCE_CLASS_RATIO_METRIC = 'mlship_reference_prediction_ratio';
/** Gauge: quantiles 0.1, 0.5, 0.9 of the reference predictions, `{model, version, quantile}` (regressors). */
export const REFERENCE_VALUE_QUANTILE_METRIC = 'mlship_reference_prediction_quantile';
/** Counter: input values outside the reference range, `{model, version, feature, direction="below"|"above"}`. */
export const OUT_OF_RANGE_METRIC = 'mlship_input_out_of_range_total';
/** The quantiles REFERENCE_VALUE_QUANTILE_METRIC carries. */
export const REFERENCE_QUANTILES = [0.1, 0.5, 0.9] as const;
/** At most this many class labels get their own series; further labels are counted as `class="__other__"`. */
export const MAX_CLASS_SERIES = 100;
export const OTHER_CLASS = '__other__';
