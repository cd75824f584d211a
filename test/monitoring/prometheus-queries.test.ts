// Every dashboard panel query and every alert rule, run by a real Prometheus scraping three running model
// servers (a classifier, a regressor, and the zoo's ColumnTransformer model with string categoricals, all
// packages with a monitoring profile) while a bounded request
// loop sends traffic: each query must return series, the rules must load and evaluate without error, and
// every metric name the artefacts use must be one the servers export.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRules, dashboardPanels, RATE_INTERVAL, renderMonitoring, serialize, servedModelFrom, type ModelServer } from '@mlship/sdk';
import { startPrometheus, type RunningPrometheus } from '../harness/prometheus.ts';
import { loadZoo, zooModel } from '../harness/zoo.ts';
import { datasetRows, FIXTURES, get, post, startServer } from '../server/helpers.ts';

let work: string;
let prom: RunningPrometheus;
const servers: Array<{ server: ModelServer; url: string }> = [];
const options = { name: 'models', selector: 'job="mlship"' };

async function pkg(model: string, data: string) {
  return (await serialize({
    model: join(FIXTURES, 'models', `${model}.onnx`), format: 'onnx', out: join(work, model), name: model.replace(/_/g, '-'), version: '1.0.0',
    featuresFrom: join(FIXTURES, 'datasets', data, 'train.csv'), goldenRows: 2,
  })).dir;
}

/** A row of ct_logreg_mixed (make_zoo.py customers()) with the given city. */
const customer = (città: string) => ({ age: 40, income: 3000, città, plan: 'pro', zip: '69001' });

/** A few requests to each server: good rows, one out-of-range row, an unseen category, one rejected request (4xx). */
async function traffic() {
  expect((await post(servers[2]!.url, '/predict', { instances: [customer('lyon'), customer('grenoble')] })).status).toBe(200);
  const iris = (await datasetRows('iris')).rows.slice(0, 10);
  const diabetes = (await datasetRows('diabetes')).rows.slice(0, 10);
  expect((await post(servers[0]!.url, '/predict', { instances: [...iris, [5.1, 3.5, 9, 0.2]] })).status).toBe(200);
  expect((await post(servers[1]!.url, '/predict', { instances: diabetes })).status).toBe(200);
  expect((await post(servers[0]!.url, '/predict', { instances: [[1, 2]] })).status).toBe(400);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-promq-'));
  servers.push(await startServer(await servedModelFrom(await pkg('iris_rf', 'iris'))));
  servers.push(await startServer(await servedModelFrom(await pkg('diabetes_gbr', 'diabetes'))));
  const zoo = await loadZoo();
  const ct = zooModel(zoo, 'ct_logreg_mixed');
  const mixed = await serialize({ model: join(zoo.dir, ct.onnx), format: 'onnx', out: join(work, 'ct'), name: 'ct-logreg-mixed', version: '1.0.0', featuresFrom: join(zoo.dir, ct.train), goldenRows: 2 });
  servers.push(await startServer(await servedModelFrom(mixed.dir)));
  const rules = await renderMonitoring({ ...options, parts: ['rules'], outDir: work });
  const targets = servers.map((s) => `'127.0.0.1:${s.server.port}'`).join(', ');
  prom = await startPrometheus(work, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ['${rules.rulesFile}']\nscrape_configs:\n  - job_name: mlship\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: [${targets}]\n`);
});

afterAll(async () => {
  await prom?.stop();
  for (const s of servers) await s.server.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('monitoring queries on a real Prometheus', () => {
  const panels = dashboardPanels(options);
  const rules = alertRules(options);
  const queries = [
    ...panels.flatMap((p) => p.queries.map((q) => ({ what: `panel "${p.title}" (${q.legend})`, expr: q.expr.replaceAll(RATE_INTERVAL, '1m') }))),
    ...rules.map((r) => ({ what: `rule ${r.alert}`, expr: r.value })),
  ];

  it('every panel and rule query returns series', async () => {
    await prom.until('both targets up', async () => ((await prom.query('up{job="mlship"} == 1')).length === servers.length ? true : undefined));
    // Traffic in a bounded loop (at most 40 rounds) until every query has data: rates need two scrapes.
    const empty = async () => {
      const missing: string[] = [];
      for (const q of queries) if ((await prom.query(q.expr)).length === 0) missing.push(q.what);
      return missing;
    };
    let missing: string[] = [];
    // Until every query has data and every target has been scraped 3 times since traffic began (so a
    // rate over each server's counters exists, not just over the first one scraped).
    const scraped = async () => (await prom.query('count_over_time(mlship_inference_rows_total{job="mlship"}[1m]) >= 3')).length === servers.length;
    for (let round = 0; round < 40; round++) {
      await traffic();
      await new Promise((r) => setTimeout(r, 500));
      missing = await empty();
      if (missing.length === 0 && await scraped()) break;
    }
    expect(missing).toEqual([]);
    // The values the traffic must have produced (what Prometheus computed, not just that series exist).
    const share = await prom.query(panels.find((p) => p.title === 'Predictions by class')!.queries[0]!.expr.replaceAll(RATE_INTERVAL, '1m'));
    expect(share.reduce((s, r) => s + Number(r.value[1]), 0)).toBeCloseTo(1, 9); // class shares sum to 1
    const oor = await prom.query(rules.find((r) => r.alert === 'MlshipInputsOutOfRange')!.value);
    expect(oor.find((r) => r.metric.feature === 'petal length (cm)' && r.metric.model === 'iris-rf')).toBeDefined();
    expect(oor.some((r) => Number(r.value[1]) > 0)).toBe(true);
    // The unseen category: half the ColumnTransformer model's rows carry a city it never saw in training.
    expect(Number(oor.find((r) => r.metric.feature === 'città' && r.metric.model === 'ct-logreg-mixed')?.value[1])).toBeGreaterThan(0);
    const panel = await prom.query(panels.find((p) => p.title === 'Inputs out of range')!.queries[0]!.expr.replaceAll(RATE_INTERVAL, '1m'));
    expect(panel.filter((r) => r.metric.direction === 'unseen').map((r) => r.metric.feature).sort()).toEqual(['città', 'plan', 'zip']);
    const notReady = await prom.query(rules.find((r) => r.alert === 'MlshipPodsNotReady')!.value);
    expect(notReady.map((r) => Number(r.value[1]))).toEqual([0]);
    const shift = await prom.query(rules.find((r) => r.alert === 'MlshipPredictionShift')!.value);
    expect(shift.map((r) => r.metric.model).sort()).toEqual(['ct-logreg-mixed', 'diabetes-gbr', 'iris-rf']);
  });

  it('the rules load into Prometheus and evaluate without errors', async () => {
    const groups = await prom.until('rules evaluated', async () => {
      const body = await (await fetch(`${prom.url}/api/v1/rules`)).json() as { data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> } };
      const list = body.data.groups.flatMap((g) => g.rules);
      return list.length === rules.length && list.every((r) => r.health !== 'unknown') ? list : undefined;
    });
    expect(groups.map((r) => [r.name, r.health, r.lastError ?? ''])).toEqual(rules.map((r) => [r.alert, 'ok', '']));
  });

  it('uses only metric names the servers export', async () => {
    const exported = new Set<string>(['up']);
    for (const s of servers) {
      for (const line of (await get(s.url, '/metrics')).text.split('\n')) {
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
        if (m) exported.add(m[1]!);
      }
    }
    const used = new Set(queries.flatMap((q) => [...q.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!)));
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});
