// Issue 14: the monitoring profile and the server's input counters for every zoo model, whatever its inputs
// (N named inputs of any type, string categoricals). serialize records one profile entry per feature column:
// the min/max as the model sees the values, or the categories of a string column; the reference predictions on
// the training rows. Every number is checked against python/ref_monitoring_profile_zoo.py (pandas on the
// training CSV, onnxruntime-python's predictions), and each package served with the inference log writes
// its golden rows back, every column as the model saw it. Then the ColumnTransformer model with string categoricals is
// served: an unseen category moves its feature's counter (and only by the rows that carry it), known categories
// do not; its inference log records every input column, and `mlship evaluate --predictions LOG --labels …
// --join-on id` (the SDK call and the CLI) gives sklearn.metrics' numbers on the joined rows (python/ref_late_labels.py).
// The same log is drift-check's current data (mlship drift), its string columns tested as categoricals.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLateLabels, readCsv, serialize, servedModelFrom, type MonitoringProfile, type SerializeOptions } from '@mlship/sdk';
import { loadZoo, zooModel, type Zoo, type ZooModel } from '../harness/zoo.ts';
import { runCli } from '../harness/cli.ts';
import { runPythonJson } from '../harness/python.ts';
import { get, post, startServer } from '../server/helpers.ts';

let zoo: Zoo;
let tmp: string;
beforeAll(async () => { zoo = await loadZoo(); tmp = await mkdtemp(join(tmpdir(), 'mlship-zoo-monitoring-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

interface Ref {
  features: Array<{ name: string; min?: number; max?: number; categories?: string[] }>;
  classes?: Record<string, number>;
  quantiles?: number[];
}

function options(m: ZooModel): SerializeOptions {
  return {
    model: join(zoo.dir, m.onnx), format: 'onnx', out: join(tmp, m.name), name: m.name.replace(/_/g, '-'), version: '1.0.0',
    featuresFrom: join(zoo.dir, m.train), sample: join(zoo.dir, m.test), target: Array.isArray(m.target) ? m.target[0] : m.target,
    ...(Array.isArray(m.target) ? { featureNames: m.features } : {}),
    ...(m.input_map ? { inputMap: m.input_map } : {}), ...(m.allow_missing ? { allowMissing: true } : {}),
    ...(m.task === 'multioutput_regression' ? { task: 'regression' as const } : {}),
  };
}

/** `name{a="b",…} value` lines of the text exposition. */
async function samples(url: string, metric: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const out = [];
  for (const line of (await get(url, '/metrics')).text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const l of m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

describe('monitoring profile of every zoo model (any inputs) matches pandas and onnxruntime-python', async () => {
  const { models } = await loadZoo();
  for (const m of models) {
    it(`${m.name} (${m.inputs.map((i) => `${i.name}:${i.type}`).join(', ')})`, async () => {
      const written = await serialize(options(m));
      expect(written.warnings.filter((w) => /monitoring profile/.test(w))).toEqual([]);
      const profile = written.manifest.monitoring as MonitoringProfile;
      const ref = runPythonJson<Ref>('ref_monitoring_profile_zoo.py', [zoo.dir, m.name]);
      expect(profile.rows).toBe(240); // make_zoo.py N_TRAIN
      expect(profile.features).toEqual(ref.features);
      if (ref.classes) {
        expect(Object.fromEntries(profile.classShares!.filter((c) => c.share > 0).map((c) => [String(c.label), c.share]))).toEqual(
          Object.fromEntries(Object.entries(ref.classes).map(([k, n]) => [k, n / 240])));
      }
      if (ref.quantiles) profile.valueQuantiles!.forEach((q, i) => expect(q).toBeCloseTo(ref.quantiles![i]!, 4));
      else expect(profile.valueQuantiles).toBeUndefined();

      // Served with the inference log: the golden rows sent to /predict come back in the log, every column.
      const log = join(tmp, `${m.name}.log.csv`);
      const { server, url } = await startServer(await servedModelFrom(written.dir), { inferenceLog: log, inferenceLogPredictions: true, inferenceLogSample: 1 });
      const golden = written.manifest.golden.inputs;
      try {
        const r = await post(url, '/predict', { instances: golden });
        expect(r.status, r.text).toBe(200);
      } finally {
        await server.close();
      }
      const cells: string[][] = [];
      let header: string[] = [];
      await readCsv(log, { header(c) { header = c; }, field(c, bytes, start, end, row) { (cells[row] ??= [])[c] = new TextDecoder().decode(bytes.subarray(start, end)); } });
      const columns = written.manifest.featureNames;
      expect(header).toEqual([...columns, 'prediction', 'id', 'time']);
      expect(cells).toHaveLength(golden.length);
      // Golden values are what the model sees (float32-rounded for float32 inputs); the log reads back as them.
      const float32 = new Set(written.manifest.inputs.filter((i) => i.type === 'float32').flatMap((i) => i.columns));
      golden.forEach((row, r) => row.forEach((v, c) => {
        const cell = cells[r]![c]!;
        const back = typeof v === 'string' ? cell : v === null ? (cell === 'NaN' ? null : cell) : float32.has(columns[c]!) ? Math.fround(Number(cell)) : Number(cell);
        expect(back, `${m.name} row ${r} column ${columns[c]}`).toEqual(v);
      }));
    });
  }
});

describe('ct_logreg_mixed (ColumnTransformer, string categoricals): unseen categories counted, inputs logged, late labels', () => {
  let url: string;
  let close: () => Promise<void>;
  let log: string;
  let testRows: Array<Record<string, string | number>>;
  const FEATURE = ['age', 'income', 'città', 'plan', 'zip'];

  beforeAll(async () => {
    const m = zooModel(zoo, 'ct_logreg_mixed');
    const written = await serialize(options(m));
    log = join(tmp, 'ct.log.csv');
    const served = await startServer(await servedModelFrom(written.dir), { inferenceLog: log, inferenceLogSample: 1, inferenceLogPredictions: true });
    url = served.url;
    close = () => served.server.close();
    // The test CSV's rows as /predict objects (strings for the string columns, as pandas reads them).
    testRows = [];
    const header: string[] = [];
    await readCsv(join(zoo.dir, m.test), {
      header(cols) { header.push(...cols); },
      field(column, bytes, start, end, row) {
        const text = new TextDecoder().decode(bytes.subarray(start, end));
        (testRows[row] ??= {})[header[column]!] = ['age', 'income', 'target'].includes(header[column]!) ? Number(text) : text;
      },
    });
  });
  afterAll(async () => { await close?.(); });

  const unseen = async () => Object.fromEntries((await samples(url, 'mlship_input_out_of_range_total')).filter((s) => s.labels.direction === 'unseen').map((s) => [s.labels.feature, s.value]));

  it('every categorical has an unseen series from the start (the label is the feature, never the value); known categories do not move it', async () => {
    expect(await unseen()).toEqual({ città: 0, plan: 0, zip: 0 });
    const rows = testRows.map(({ target: _, ...r }) => r);
    const r = await post(url, '/predict', { instances: rows, ids: rows.map((_, i) => `t${i}`) });
    expect(r.status, r.text).toBe(200);
    // The test rows take only the training categories (make_zoo.py customers()).
    expect(await unseen()).toEqual({ città: 0, plan: 0, zip: 0 });
  });

  it('rows with an unseen city (and one with an unseen zip) move exactly those features\' counters', async () => {
    const base = { age: 40, income: 3000, città: 'lyon', plan: 'pro', zip: '69001' };
    const rows = [{ ...base, città: 'grenoble' }, { ...base, città: 'Lyon' }, { ...base, zip: '38000' }, base];
    const r = await post(url, '/predict', { instances: rows, ids: ['u0', 'u1', 'u2', 'u3'] });
    expect(r.status, r.text).toBe(200);
    expect(await unseen()).toEqual({ città: 2, plan: 0, zip: 1 });
    // Numeric ranges count on the same model: age 40 and income 3000 lie inside the training range.
    const byDir = (await samples(url, 'mlship_input_out_of_range_total')).filter((s) => s.labels.direction !== 'unseen');
    expect(byDir.map((s) => `${s.labels.feature} ${s.labels.direction}`).sort()).toEqual(['age above', 'age below', 'income above', 'income below']);
  });

  it('the inference log holds every input column as sent, then evaluate --predictions joins it with late labels as sklearn does', async () => {
    await close();
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe([...FEATURE, 'prediction', 'id', 'time'].join(','));
    expect(lines).toHaveLength(1 + testRows.length + 4);
    expect(lines[1]).toMatch(new RegExp(`^${[testRows[0]!.age, testRows[0]!.income, testRows[0]!.città, testRows[0]!.plan, testRows[0]!.zip].join(',')},[01],t0,`));
    expect(lines.at(-4)).toMatch(/^40,3000,grenoble,pro,69001,[01],u0,/);
    // Labels arrive for the test rows (their target), except t3; none for the hand-made rows.
    const labels = join(tmp, 'ct.labels.csv');
    await writeFile(labels, `id,target\n${testRows.map((r, i) => `t${i},${r.target}`).filter((l) => !l.startsWith('t3,')).join('\n')}\n`);
    const report = await evaluateLateLabels({ predictions: log, labels, joinOn: 'id' });
    expect(report.join).toMatchObject({ predictions: testRows.length + 4, labels: testRows.length - 1, joined: testRows.length - 1, predictions_without_label: 5 });
    const ref = runPythonJson<{ overall: { n: number; metrics: Record<string, number> } }>('ref_late_labels.py', [log, labels, String(1e9), 'binary']);
    expect(report.overall.n).toBe(ref.overall.n);
    for (const [k, v] of Object.entries(ref.overall.metrics)) expect(report.overall.metrics[k], k).toBeCloseTo(v, 12);
    // The CLI as a user runs it on that log: the same join and numbers in its JSON.
    const out = join(tmp, 'ct.late.json');
    const cli = await runCli(['evaluate', '--predictions', log, '--labels', labels, '--join-on', 'id', '--out', out], tmp);
    expect(cli.code, cli.stderr).toBe(0);
    const written = JSON.parse(await readFile(out, 'utf8')) as typeof report;
    expect(written.join).toEqual(report.join);
    expect(written.overall.metrics).toEqual(report.overall.metrics);
    // And the same log is drift-check's current data against the training CSV, string columns as categoricals.
    const m = zooModel(zoo, 'ct_logreg_mixed');
    const drift = await runCli(['drift', '--reference', join(zoo.dir, m.train), '--current', log, '--exclude', 'prediction,id,time,target', '--out', join(tmp, 'ct.drift.json')], tmp);
    expect(drift.code, drift.stderr).toBe(0);
    const columns = (JSON.parse(await readFile(join(tmp, 'ct.drift.json'), 'utf8')) as { columns: Record<string, { type: string; n_cur: number }> }).columns;
    expect(Object.fromEntries(Object.entries(columns).map(([c, d]) => [c, d.type]))).toMatchObject({ age: 'numerical', income: 'numerical', città: 'categorical', plan: 'categorical' });
    expect(columns.città!.n_cur).toBe(testRows.length + 4);
  });
});
