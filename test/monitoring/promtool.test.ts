// The rendered alert rules checked by Prometheus' own tool (Debian's promtool, installed by scripts/setup.sh
// with the prometheus package): `promtool check rules` parses them, `promtool test rules` evaluates them on
// series written below and compares the alerts that fire — labels and annotations — with what we expect.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRules, renderMonitoring, type AlertRule } from '@mlship/sdk';

const PROMTOOL = '/usr/bin/promtool';
let dir: string;
let rulesPath: string;
const rules = alertRules({ name: 'iris' });
const rule = (name: string) => rules.find((r) => r.alert === name)!;

function promtool(...args: string[]) {
  const r = spawnSync(PROMTOOL, args, { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** An expected alert: the rule's labels plus `labels`, its annotations with `{{ $value … }}` as promtool renders it. */
function fired(r: AlertRule, labels: Record<string, string>, value: string) {
  return {
    exp_labels: { ...labels, severity: r.severity, mlship_model: 'iris' },
    exp_annotations: { summary: r.summary, description: r.description.replace(/\{\{[^}]*\$value[^}]*\}\}/, value).replace('{{ $labels.feature }}', labels.feature ?? '') },
  };
}

const series = (s: string, values: string) => ({ series: s, values });
const model = 'job="iris",model="iris-rf",version="1"';

beforeAll(async () => {
  if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: run \`npm run setup\` (it installs Debian's prometheus package).`);
  dir = await mkdtemp(join(tmpdir(), 'mlship-promtool-'));
  const written = await renderMonitoring({ name: 'iris', parts: ['rules'], outDir: dir });
  rulesPath = written.rulesFile!;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('alert rules', () => {
  it('pass promtool check rules, as a rules file and as the PrometheusRule spec', async () => {
    const r = promtool('check', 'rules', rulesPath);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
    const pr = yaml.load(await readFile(join(dir, 'iris.prometheusrule.yaml'), 'utf8')) as { kind: string; spec: unknown };
    expect(pr.kind).toBe('PrometheusRule');
    await writeFile(join(dir, 'from-crd.yml'), yaml.dump(pr.spec));
    expect(promtool('check', 'rules', 'from-crd.yml').code).toBe(0);
  });

  it('fire on series that break them and stay quiet on healthy series (promtool test rules)', async () => {
    // Per minute: 570 answers 200 and 30 answer 500 → 5xx share 30/600 = 5%. Every request takes (0.75, 1] s:
    // p99 = 0.75 + 0.25·0.99 = 0.9975 s (histogram_quantile's linear interpolation) → "997.5ms".
    // One pod reports mlship_model_ready 0 while up → 1 pod not ready. Classes: all rows setosa, reference
    // shares 0.5/0.25/0.25 → TV = ½(0.5 + 0.25 + 0.25) = 0.5. petal_length above its range in 6 of 60 rows → 10%;
    // a categorical `city` with a value unseen in training in 9 of 60 rows → 15%.
    const broken = [
      series('mlship_http_requests_total{job="iris",route="/predict",method="POST",code="200"}', '0+570x60'),
      series('mlship_http_requests_total{job="iris",route="/predict",method="POST",code="500"}', '0+30x60'),
      series('mlship_http_request_duration_seconds_bucket{job="iris",route="/predict",le="0.75"}', '0x60'),
      series('mlship_http_request_duration_seconds_bucket{job="iris",route="/predict",le="1"}', '0+600x60'),
      series('mlship_http_request_duration_seconds_bucket{job="iris",route="/predict",le="+Inf"}', '0+600x60'),
      series('mlship_model_ready{job="iris",instance="pod-a",model="iris-rf",version="1"}', '0x60'),
      series('up{job="iris",instance="pod-a"}', '1x60'),
      series(`mlship_predictions_total{${model},class="setosa"}`, '0+60x60'),
      series(`mlship_predictions_total{${model},class="versicolor"}`, '0x60'),
      series(`mlship_predictions_total{${model},class="virginica"}`, '0x60'),
      series(`mlship_reference_prediction_ratio{${model},class="setosa"}`, '0.5x60'),
      series(`mlship_reference_prediction_ratio{${model},class="versicolor"}`, '0.25x60'),
      series(`mlship_reference_prediction_ratio{${model},class="virginica"}`, '0.25x60'),
      series(`mlship_input_out_of_range_total{${model},feature="petal_length",direction="above"}`, '0+6x60'),
      series(`mlship_input_out_of_range_total{${model},feature="petal_length",direction="below"}`, '0x60'),
      series(`mlship_input_out_of_range_total{${model},feature="city",direction="unseen"}`, '0+9x60'),
      series(`mlship_inference_rows_total{${model}}`, '0+60x60'),
    ];
    // Healthy: no 5xx, requests within 10 ms, the pod ready, class shares as the reference, no input out of range.
    const healthy = [
      series('mlship_http_requests_total{job="iris",route="/predict",method="POST",code="200"}', '0+600x60'),
      series('mlship_http_request_duration_seconds_bucket{job="iris",route="/predict",le="0.01"}', '0+600x60'),
      series('mlship_http_request_duration_seconds_bucket{job="iris",route="/predict",le="+Inf"}', '0+600x60'),
      series('mlship_model_ready{job="iris",instance="pod-a",model="iris-rf",version="1"}', '1x60'),
      series('up{job="iris",instance="pod-a"}', '1x60'),
      series(`mlship_predictions_total{${model},class="setosa"}`, '0+30x60'),
      series(`mlship_predictions_total{${model},class="versicolor"}`, '0+15x60'),
      series(`mlship_predictions_total{${model},class="virginica"}`, '0+15x60'),
      series(`mlship_reference_prediction_ratio{${model},class="setosa"}`, '0.5x60'),
      series(`mlship_reference_prediction_ratio{${model},class="versicolor"}`, '0.25x60'),
      series(`mlship_reference_prediction_ratio{${model},class="virginica"}`, '0.25x60'),
      series(`mlship_input_out_of_range_total{${model},feature="petal_length",direction="above"}`, '0x60'),
      series(`mlship_input_out_of_range_total{${model},feature="city",direction="unseen"}`, '0x60'),
      series(`mlship_inference_rows_total{${model}}`, '0+60x60'),
    ];
    // A regressor: reference quantiles q0.1 = 100, q0.5 = 150, q0.9 = 250 (10–90% range 150).
    const reg = 'job="iris",model="diabetes",version="2"';
    const reference = [
      series(`mlship_reference_prediction_quantile{${reg},quantile="0.1"}`, '100x60'),
      series(`mlship_reference_prediction_quantile{${reg},quantile="0.5"}`, '150x60'),
      series(`mlship_reference_prediction_quantile{${reg},quantile="0.9"}`, '250x60'),
    ];
    // Shifted: every prediction in (200, 250] → live median 200 + 50·0.5 = 225 → |225 − 150| / 150 = 0.5.
    const shifted = [...reference, ...['100', '150', '200'].map((le) => series(`mlship_prediction_value_bucket{${reg},le="${le}"}`, '0x60')),
      ...['250', '+Inf'].map((le) => series(`mlship_prediction_value_bucket{${reg},le="${le}"}`, '0+60x60'))];
    // On the reference: cumulative 6, 30, 42, 54, 60 per minute → the median is the top of (100, 150] = 150 → 0.
    const onReference = [...reference, ...[['100', 6], ['150', 30], ['200', 42], ['250', 54], ['+Inf', 60]].map(([le, n]) => series(`mlship_prediction_value_bucket{${reg},le="${le}"}`, `0+${n}x60`))];
    const at = '45m';
    const alerts = (names: string[], exp: (name: string) => unknown[]) => names.map((alertname) => ({ eval_time: at, alertname, exp_alerts: exp(alertname) }));
    const all = rules.map((r) => r.alert);
    const tests = {
      rule_files: [rulesPath],
      evaluation_interval: '1m',
      tests: [
        {
          name: 'broken',
          interval: '1m',
          input_series: broken,
          alert_rule_test: [
            { eval_time: at, alertname: 'MlshipHighErrorRate', exp_alerts: [fired(rule('MlshipHighErrorRate'), { job: 'iris' }, '5%')] },
            { eval_time: at, alertname: 'MlshipHighLatencyP99', exp_alerts: [fired(rule('MlshipHighLatencyP99'), { job: 'iris' }, '997.5ms')] },
            { eval_time: at, alertname: 'MlshipPodsNotReady', exp_alerts: [fired(rule('MlshipPodsNotReady'), { job: 'iris' }, '1')] },
            { eval_time: at, alertname: 'MlshipPredictionShift', exp_alerts: [fired(rule('MlshipPredictionShift'), { job: 'iris', model: 'iris-rf', version: '1' }, '0.500')] },
            { eval_time: at, alertname: 'MlshipInputsOutOfRange', exp_alerts: [
              fired(rule('MlshipInputsOutOfRange'), { job: 'iris', model: 'iris-rf', version: '1', feature: 'petal_length' }, '10%'),
              fired(rule('MlshipInputsOutOfRange'), { job: 'iris', model: 'iris-rf', version: '1', feature: 'city' }, '15%'),
            ] },
            // `for`: not yet firing 4 minutes in (error rate needs 5m pending).
            { eval_time: '4m', alertname: 'MlshipHighErrorRate', exp_alerts: [] },
          ],
        },
        { name: 'healthy', interval: '1m', input_series: healthy, alert_rule_test: alerts(all, () => []) },
        {
          name: 'regression shifted', interval: '1m', input_series: shifted,
          alert_rule_test: [{ eval_time: at, alertname: 'MlshipPredictionShift', exp_alerts: [fired(rule('MlshipPredictionShift'), { job: 'iris', model: 'diabetes', version: '2' }, '0.500')] }],
        },
        { name: 'regression on reference', interval: '1m', input_series: onReference, alert_rule_test: alerts(['MlshipPredictionShift'], () => []) },
      ],
    };
    await writeFile(join(dir, 'tests.yml'), yaml.dump(tests, { lineWidth: -1 }));
    const r = promtool('test', 'rules', 'tests.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
