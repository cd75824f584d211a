import { InputError, opt } from '../errors.ts';
import {
  OUT_OF_RANGE_METRIC, PREDICTION_VALUE_METRIC, PREDICTIONS_METRIC, REFERENCE_CLASS_RATIO_METRIC, REFERENCE_VALUE_QUANTILE_METRIC,
} from '../server/prediction-metric-names.ts';

/**
 * Prometheus alert rules for one model server, over the metrics it exports (server/server.ts,
 * server/prediction-metrics.ts). Each rule is a record — the PromQL of the watched *value*, the
 * comparison and the threshold — so a test can query the value on a real Prometheus and promtool can
 * test the alert; `expr` is `(value) > threshold`.
 */
export interface MonitoringOptions {
  /** The deployment name; used in object names and the default selector. */
  name: string;
  namespace?: string;
  /**
   * PromQL label matchers selecting this model's series, e.g. `job="iris"` (the default: `job="NAME"`,
   * what a ServiceMonitor or a static scrape job named after the Service gives).
   */
  selector?: string;
  thresholds?: Partial<AlertThresholds>;
}

/** When each alert fires; defaults in DEFAULT_THRESHOLDS. */
export interface AlertThresholds {
  /** Share of inference requests answered 5xx over 5 minutes. */
  errorRatio: number;
  /** p99 inference latency over 5 minutes, seconds. */
  p99Seconds: number;
  /** Total variation distance between the live and the reference class shares (classifiers), or the live median's
   *  distance from the reference median in units of the reference 10–90% range (regressors), over 30 minutes. */
  predictionShift: number;
  /** Share of rows with a feature outside the training data (below min, above max, unseen category), per feature, over 15 minutes. */
  outOfRangeRatio: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { errorRatio: 0.01, p99Seconds: 0.5, predictionShift: 0.2, outOfRangeRatio: 0.05 };

export interface AlertRule {
  alert: string;
  /** PromQL of the watched value (returns series whenever the server is scraped). */
  value: string;
  threshold: number;
  /** How long the condition must hold before the alert fires (Prometheus `for`). */
  for: string;
  severity: 'warning' | 'critical';
  summary: string;
  description: string;
}

/** Inference routes (OIP infer and /predict) as the server labels them. */
const INFER_ROUTES = 'route=~"/predict|/v2/models/.+/infer"';

/** `job="NAME"` unless a selector is given; checked to be PromQL label matchers without braces. */
export function metricSelector(o: Pick<MonitoringOptions, 'name' | 'selector'>): string {
  const s = (o.selector ?? `job="${o.name}"`).trim();
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*")*$/.test(s)) {
    throw new InputError(`${opt('monitoring-selector')} "${s}" is not a list of PromQL label matchers; write e.g. job="iris" or namespace="prod",service="iris" (no braces).`);
  }
  return s;
}

function thresholdsOf(o: MonitoringOptions): AlertThresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...o.thresholds };
  for (const [k, v] of Object.entries(t)) {
    if (!(Number.isFinite(v) && v > 0)) throw new InputError(`monitoring threshold ${k} must be a number > 0, got ${v}.`);
  }
  return t;
}

/** The alert rules for one model deployment (definitions in each rule's description). */
export function alertRules(o: MonitoringOptions): AlertRule[] {
  const sel = metricSelector(o);
  const t = thresholdsOf(o);
  const by = 'namespace, job';
  const byModel = 'namespace, job, model, version';
  const title = `model server ${o.name}`;
  return [
    {
      alert: 'MlshipHighErrorRate',
      // `or 0 * …`: a server that never answered 5xx has no 5xx series, and the share is then 0, not absent.
      value: `(sum by (${by}) (rate(mlship_http_requests_total{${sel},${INFER_ROUTES},code=~"5.."}[5m]))\n  or 0 * sum by (${by}) (rate(mlship_http_requests_total{${sel},${INFER_ROUTES}}[5m])))\n/ sum by (${by}) (rate(mlship_http_requests_total{${sel},${INFER_ROUTES}}[5m]))`,
      threshold: t.errorRatio, for: '5m', severity: 'critical',
      summary: `${title}: more than ${pct(t.errorRatio)} of inference requests fail`,
      description: 'Share of /predict and OIP infer requests answered with a 5xx status over the last 5 minutes: {{ $value | humanizePercentage }}.',
    },
    {
      alert: 'MlshipHighLatencyP99',
      value: `histogram_quantile(0.99, sum by (${by}, le) (rate(mlship_http_request_duration_seconds_bucket{${sel},${INFER_ROUTES}}[5m])))`,
      threshold: t.p99Seconds, for: '10m', severity: 'warning',
      summary: `${title}: p99 inference latency above ${t.p99Seconds}s`,
      description: '99th percentile of the inference request duration over the last 5 minutes (from the server histogram): {{ $value | humanizeDuration }}.',
    },
    {
      alert: 'MlshipPodsNotReady',
      // A pod that answers /metrics but is loading or draining reports mlship_model_ready 0; one that does not
      // answer at all is `up == 0`. The value counts both.
      value: `count by (${by}) ((mlship_model_ready{${sel}} == 0) or (up{${sel}} == 0)) or (0 * count by (${by}) (up{${sel}}))`,
      threshold: 0, for: '5m', severity: 'critical',
      summary: `${title}: pods not ready`,
      description: '{{ $value }} scraped pod(s) are not serving: the model is not loaded (mlship_model_ready 0) or /metrics does not answer (up 0).',
    },
    {
      alert: 'MlshipPredictionShift',
      // Classifiers: total variation distance ½·Σ|live share − reference share| over the class labels.
      // Regressors: |live median − reference median| / (reference q0.9 − reference q0.1).
      value: `(0.5 * sum by (${byModel}) (abs(\n  sum by (${byModel}, class) (rate(${PREDICTIONS_METRIC}{${sel}}[30m]))\n  / on (${byModel}) group_left sum by (${byModel}) (rate(${PREDICTIONS_METRIC}{${sel}}[30m]))\n  - on (${byModel}, class) max by (${byModel}, class) (${REFERENCE_CLASS_RATIO_METRIC}{${sel}})\n)))\nor\n(abs(\n  histogram_quantile(0.5, sum by (${byModel}, le) (rate(${PREDICTION_VALUE_METRIC}_bucket{${sel}}[30m])))\n  - on (${byModel}) max by (${byModel}) (${REFERENCE_VALUE_QUANTILE_METRIC}{${sel},quantile="0.5"})\n)\n/ on (${byModel}) (max by (${byModel}) (${REFERENCE_VALUE_QUANTILE_METRIC}{${sel},quantile="0.9"}) - on (${byModel}) max by (${byModel}) (${REFERENCE_VALUE_QUANTILE_METRIC}{${sel},quantile="0.1"})))`,
      threshold: t.predictionShift, for: '15m', severity: 'warning',
      summary: `${title}: predictions drift from the reference`,
      description: 'Over the last 30 minutes the predictions moved from the package\'s reference predictions by {{ printf "%.3f" $value }} (classifiers: total variation distance of class shares; regressors: median shift in units of the reference 10–90% range).',
    },
    {
      alert: 'MlshipInputsOutOfRange',
      value: `sum by (${byModel}, feature) (rate(${OUT_OF_RANGE_METRIC}{${sel}}[15m]))\n/ on (${byModel}) group_left sum by (${byModel}) (rate(mlship_inference_rows_total{${sel}}[15m]))`,
      threshold: t.outOfRangeRatio, for: '15m', severity: 'warning',
      summary: `${title}: inputs outside the training data`,
      description: 'Feature {{ $labels.feature }} is outside the training data recorded in the package (below its min, above its max, or a category not seen in training) in {{ $value | humanizePercentage }} of the rows over the last 15 minutes.',
    },
  ];
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(6))}%`;
}

/** A rule in Prometheus' rule-file form. */
function ruleOf(r: AlertRule, o: MonitoringOptions): Record<string, unknown> {
  return {
    alert: r.alert,
    expr: `(${r.value})\n> ${r.threshold}`,
    for: r.for,
    labels: { severity: r.severity, mlship_model: o.name },
    annotations: { summary: r.summary, description: r.description },
  };
}

/** The rule groups (one group, `mlship-NAME`), as a Prometheus rules file and a PrometheusRule hold them. */
export function ruleGroups(o: MonitoringOptions): Array<Record<string, unknown>> {
  return [{ name: `mlship-${o.name}`, rules: alertRules(o).map((r) => ruleOf(r, o)) }];
}

/** A plain Prometheus rules file (`rule_files:` in prometheus.yml). */
export function rulesFile(o: MonitoringOptions): Record<string, unknown> {
  return { groups: ruleGroups(o) };
}

/** The same rules as a prometheus-operator PrometheusRule object (kube-prometheus picks up `release`-less rules by namespace). */
export function prometheusRule(o: MonitoringOptions): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `${o.name}-mlship`,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      labels: { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/managed-by': 'mlship' },
    },
    spec: { groups: ruleGroups(o) },
  };
}
