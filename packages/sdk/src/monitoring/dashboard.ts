import {
  OUT_OF_RANGE_METRIC, PREDICTION_VALUE_METRIC, PREDICTIONS_METRIC, REFERENCE_CLASS_RATIO_METRIC, REFERENCE_VALUE_QUANTILE_METRIC,
} from '../server/prediction-metric-names.ts';
import { metricSelector, type MonitoringOptions } from './rules.ts';

/** One dashboard panel: a title, its unit and the PromQL queries it plots (legend per query). */
export interface DashboardPanel {
  title: string;
  unit: string;
  description: string;
  queries: Array<{ expr: string; legend: string }>;
}

/** Grafana's per-panel rate window variable; tests substitute a fixed window. */
export const RATE_INTERVAL = '$__rate_interval';

/** The panels of the model dashboard, in display order (two per row). */
export function dashboardPanels(o: MonitoringOptions): DashboardPanel[] {
  const sel = metricSelector(o);
  const w = RATE_INTERVAL;
  const infer = 'route=~"/predict|/v2/models/.+/infer"';
  const q = (expr: string, legend: string) => ({ expr, legend });
  return [
    {
      title: 'Traffic', unit: 'reqps', description: 'Requests per second by route and status code.',
      queries: [q(`sum by (route, code) (rate(mlship_http_requests_total{${sel}}[${w}]))`, '{{route}} {{code}}')],
    },
    {
      title: 'Inference latency', unit: 's', description: 'Quantiles of the inference request duration (server histogram).',
      queries: [0.5, 0.9, 0.99].map((p) => q(`histogram_quantile(${p}, sum by (le) (rate(mlship_http_request_duration_seconds_bucket{${sel},${infer}}[${w}])))`, `p${p * 100}`)),
    },
    {
      title: 'Errors', unit: 'percentunit', description: 'Share of inference requests answered 5xx (server errors) and 4xx (rejected input).',
      queries: [
        q(`(sum (rate(mlship_http_requests_total{${sel},${infer},code=~"5.."}[${w}])) or 0 * sum (rate(mlship_http_requests_total{${sel},${infer}}[${w}]))) / sum (rate(mlship_http_requests_total{${sel},${infer}}[${w}]))`, '5xx'),
        q(`(sum (rate(mlship_http_requests_total{${sel},${infer},code=~"4.."}[${w}])) or 0 * sum (rate(mlship_http_requests_total{${sel},${infer}}[${w}]))) / sum (rate(mlship_http_requests_total{${sel},${infer}}[${w}]))`, '4xx'),
      ],
    },
    {
      title: 'Batch size', unit: 'short', description: 'Rows per onnxruntime run and requests merged per run (dynamic batching).',
      queries: [
        q(`sum (rate(mlship_inference_batch_size_sum{${sel}}[${w}])) / sum (rate(mlship_inference_batch_size_count{${sel}}[${w}]))`, 'mean rows per run'),
        q(`histogram_quantile(0.99, sum by (le) (rate(mlship_inference_batch_size_bucket{${sel}}[${w}])))`, 'p99 rows per run'),
        q(`sum (rate(mlship_inference_batch_requests_sum{${sel}}[${w}])) / sum (rate(mlship_inference_batch_requests_count{${sel}}[${w}]))`, 'mean requests per run'),
      ],
    },
    {
      title: 'CPU', unit: 'short', description: 'CPU cores used per pod (user + system seconds per second).',
      queries: [q(`rate(process_cpu_seconds_total{${sel}}[${w}])`, '{{instance}}')],
    },
    {
      title: 'Memory', unit: 'bytes', description: 'Resident memory per pod.',
      queries: [q(`process_resident_memory_bytes{${sel}}`, '{{instance}}')],
    },
    {
      title: 'Predictions by class', unit: 'percentunit', description: 'Share of predicted rows per class label (live), with the share in the package\'s reference predictions.',
      queries: [
        q(`sum by (class) (rate(${PREDICTIONS_METRIC}{${sel}}[${w}])) / ignoring (class) group_left sum (rate(${PREDICTIONS_METRIC}{${sel}}[${w}]))`, '{{class}}'),
        q(`max by (class) (${REFERENCE_CLASS_RATIO_METRIC}{${sel}})`, '{{class}} (reference)'),
      ],
    },
    {
      title: 'Predicted values', unit: 'short', description: 'Quantiles of the predicted values (regressors), with the reference quantiles.',
      queries: [
        ...[0.1, 0.5, 0.9].map((p) => q(`histogram_quantile(${p}, sum by (le) (rate(${PREDICTION_VALUE_METRIC}_bucket{${sel}}[${w}])))`, `q${p}`)),
        q(`max by (quantile) (${REFERENCE_VALUE_QUANTILE_METRIC}{${sel}})`, 'q{{quantile}} (reference)'),
      ],
    },
    {
      title: 'Inputs out of range', unit: 'percentunit', description: 'Share of rows whose feature is below the training minimum, above the training maximum, or a category not seen in training (unseen).',
      queries: [q(`sum by (feature, direction) (rate(${OUT_OF_RANGE_METRIC}{${sel}}[${w}])) / ignoring (feature, direction) group_left sum (rate(mlship_inference_rows_total{${sel}}[${w}]))`, '{{feature}} {{direction}}')],
    },
    {
      title: 'Pods ready', unit: 'short', description: 'Pods serving (model loaded and checked) and requests in flight.',
      queries: [
        q(`sum (mlship_model_ready{${sel}})`, 'ready'),
        q(`sum (mlship_http_requests_in_flight{${sel}})`, 'in flight'),
      ],
    },
  ];
}

/**
 * A Grafana dashboard (JSON model, schemaVersion 39) with one time-series panel per DashboardPanel and a
 * `datasource` variable for the Prometheus data source. `uid` is stable per deployment name.
 */
export function grafanaDashboard(o: MonitoringOptions): Record<string, unknown> {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  const panels = dashboardPanels(o).map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    description: p.description,
    datasource: ds,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: p.queries.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource: ds, expr: t.expr, legendFormat: t.legend })),
  }));
  return {
    title: `mlship: ${o.name}`,
    uid: `mlship-${o.name}`.slice(0, 40),
    tags: ['mlship'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels,
  };
}

/** The dashboard as a ConfigMap for Grafana's dashboard sidecar (label `grafana_dashboard: "1"`). */
export function dashboardConfigMap(o: MonitoringOptions): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${o.name}-mlship-dashboard`,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      labels: { grafana_dashboard: '1', 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/managed-by': 'mlship' },
    },
    data: { [`${o.name}.json`]: `${JSON.stringify(grafanaDashboard(o), null, 2)}\n` },
  };
}
