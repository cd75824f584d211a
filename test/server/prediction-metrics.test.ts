// Prediction and input-range metrics end to end: serialize records the monitoring profile from the training
// CSV (checked against pandas min/max and Python onnxruntime's predictions, python/ref_monitoring_profile.py),
// and a server on that package counts what /predict answered, per class and per out-of-range feature.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialize, servedModelFrom, type FeatureRange, type MonitoringProfile, type ModelServer } from '@mlship/sdk';
import { runPythonJson } from '../harness/python.ts';
import { datasetRows, FIXTURES, get, post, startServer } from './helpers.ts';

let work: string;
const servers: ModelServer[] = [];

/** Samples of the text exposition: `name{a="b",…} value` → [{name, labels, value}]. */
function parseExposition(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function metrics(url: string) {
  return parseExposition((await get(url, '/metrics')).text);
}

async function pkg(model: string, data: string) {
  const r = await serialize({
    model: join(FIXTURES, 'models', `${model}.onnx`), format: 'onnx', out: join(work, model), name: model.replace(/_/g, '-'), version: '1.0.0',
    featuresFrom: join(FIXTURES, 'datasets', data, 'train.csv'), goldenRows: 2,
  });
  return r;
}

beforeAll(async () => { work = await mkdtemp(join(tmpdir(), 'mlship-predmetrics-')); });
afterAll(async () => {
  for (const s of servers) await s.close();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Ref { features: Array<{ name: string; min: number; max: number }>; labels?: Record<string, number>; quantiles?: number[] }

describe('prediction metrics', () => {
  it('classifier: the profile matches pandas and onnxruntime; the server counts classes and out-of-range inputs', async () => {
    const written = await pkg('iris_rf', 'iris');
    const profile = written.manifest.monitoring as MonitoringProfile;
    const ref = runPythonJson<Ref>('ref_monitoring_profile.py', [join(FIXTURES, 'models/iris_rf.onnx'), join(FIXTURES, 'datasets/iris/train.csv'), 'label']);
    expect(profile.features).toEqual(ref.features);
    expect(profile.rows).toBe(120);
    const labels = written.manifest.classLabels!;
    expect(profile.classShares).toEqual(labels.map((l, i) => ({ label: l, share: (ref.labels![String(i)] ?? 0) / 120 })));

    const { server, url } = await startServer(await servedModelFrom(written.dir));
    servers.push(server);
    const { rows } = await datasetRows('iris');
    // Two rows outside the training range: petal length 9 > max 6.9 (above), sepal width 1 < min 2 (below).
    const odd = [[5.1, 3.5, 9, 0.2], [5.1, 1, 1.4, 0.2]];
    const res = await post(url, '/predict', { instances: [...rows, ...odd] });
    expect(res.status).toBe(200);
    const predicted = new Map<string, number>();
    for (const p of res.json.predictions as Array<{ label: string | number }>) predicted.set(String(p.label), (predicted.get(String(p.label)) ?? 0) + 1);
    const samples = await metrics(url);
    const byClass = samples.filter((s) => s.name === 'mlship_predictions_total');
    expect(byClass.map((s) => s.labels.class).sort()).toEqual(labels.map(String).sort()); // one series per class, none other
    for (const s of byClass) {
      expect(s.labels).toMatchObject({ model: 'iris-rf', version: '1.0.0' });
      expect(s.value).toBe(predicted.get(s.labels.class!) ?? 0);
    }
    const ratio = samples.filter((s) => s.name === 'mlship_reference_prediction_ratio');
    expect(ratio.map((s) => [s.labels.class, s.value])).toEqual(profile.classShares!.map((c) => [String(c.label), c.share]));
    const oor = samples.filter((s) => s.name === 'mlship_input_out_of_range_total');
    expect(oor).toHaveLength(8); // 4 features × below/above, all present from the start
    // The fixture's test rows themselves: counted against the same ranges here, independently of the server.
    const expected = (feature: number, dir: 'below' | 'above') => [...rows, ...odd].filter((r) => {
      const v = Math.fround(r[feature]!);
      const range = profile.features[feature] as FeatureRange;
      return dir === 'below' ? v < range.min : v > range.max;
    }).length;
    for (const s of oor) {
      const f = profile.features.findIndex((x) => x.name === s.labels.feature);
      expect(s.value, `${s.labels.feature} ${s.labels.direction}`).toBe(expected(f, s.labels.direction as 'below' | 'above'));
    }
    expect(oor.find((s) => s.labels.feature === 'petal length (cm)' && s.labels.direction === 'above')!.value).toBeGreaterThanOrEqual(1);
    expect(oor.find((s) => s.labels.feature === 'sepal width (cm)' && s.labels.direction === 'below')!.value).toBeGreaterThanOrEqual(1);
  });

  it('regressor: deciles of the reference predictions as histogram buckets and reference quantiles', async () => {
    const written = await pkg('diabetes_gbr', 'diabetes');
    const profile = written.manifest.monitoring as MonitoringProfile;
    const ref = runPythonJson<Ref>('ref_monitoring_profile.py', [join(FIXTURES, 'models/diabetes_gbr.onnx'), join(FIXTURES, 'datasets/diabetes/train.csv'), 'variable']);
    expect(profile.features).toEqual(ref.features);
    profile.valueQuantiles!.forEach((q, i) => expect(q).toBeCloseTo(ref.quantiles![i]!, 9));

    const { server, url } = await startServer(await servedModelFrom(written.dir));
    servers.push(server);
    const { rows } = await datasetRows('diabetes');
    const res = await post(url, '/predict', { instances: rows });
    expect(res.status).toBe(200);
    const values = res.json.predictions as number[];
    const samples = await metrics(url);
    const buckets = samples.filter((s) => s.name === 'mlship_prediction_value_bucket');
    expect(buckets.map((s) => s.labels.le)).toEqual([...profile.valueQuantiles!.map(String), '+Inf']);
    for (const b of buckets) expect(b.value).toBe(values.filter((v) => v <= (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le))).length);
    expect(samples.find((s) => s.name === 'mlship_prediction_value_count')!.value).toBe(rows.length);
    const q = samples.filter((s) => s.name === 'mlship_reference_prediction_quantile');
    expect(q.map((s) => [s.labels.quantile, s.value])).toEqual([['0.1', profile.valueQuantiles![0]], ['0.5', profile.valueQuantiles![4]], ['0.9', profile.valueQuantiles![8]]]);
  });

  it('a bare .onnx without a profile still counts classes (the model\'s own labels), and exports no range metrics', async () => {
    const { server, url } = await startServer(await servedModelFrom(join(FIXTURES, 'models/iris_rf.onnx')));
    servers.push(server);
    expect((await post(url, '/predict', { instances: [[5.1, 3.5, 1.4, 0.2]] })).status).toBe(200);
    const samples = await metrics(url);
    expect(samples.filter((s) => s.name === 'mlship_predictions_total').map((s) => [s.labels.class, s.value])).toEqual([['0', 1], ['1', 0], ['2', 0]]);
    expect(samples.some((s) => s.name === 'mlship_input_out_of_range_total' || s.name === 'mlship_reference_prediction_ratio')).toBe(false);
  });
});
