// Accuracy with late labels: a real server writes the inference log (predictions with row ids), the log is
// replayed over three days (its time column rewritten: day d for the d-th third of the rows), labels arrive
// for most rows (some wrong on day 3, as when the world moves), and `mlship evaluate --predictions … --labels
// … --window 1d` must give, per window and overall, the numbers sklearn.metrics gives on the same joined rows
// (python/ref_late_labels.py, pandas merge + sklearn).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLateLabels, servedModelFrom } from '@mlship/sdk';
import { runCli } from '../harness/cli.ts';
import { runAction } from '../harness/run-action.ts';
import { runPythonJson } from '../harness/python.ts';
import { datasetRows, IRIS_CLASSES, post, startServer, writeIrisPackage } from '../server/helpers.ts';

let work: string;
let log: string;
let labels: string;

interface Ref { windows: Array<{ start: string; n: number; metrics: Record<string, number> }>; overall: { n: number; metrics: Record<string, number> } }

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-late-'));
  await writeIrisPackage(join(work, 'pkg'));
  const raw = join(work, 'raw.csv');
  const served = await startServer(await servedModelFrom(join(work, 'pkg')), { inferenceLog: raw, inferenceLogSample: 1, inferenceLogPredictions: true });
  const { rows, table } = await datasetRows('iris');
  // One request per 10 rows, ids r0 … r29 sent by the client.
  for (let i = 0; i < rows.length; i += 10) {
    const res = await post(served.url, '/predict', { instances: rows.slice(i, i + 10), ids: rows.slice(i, i + 10).map((_, j) => `r${i + j}`) });
    expect(res.status).toBe(200);
  }
  await served.server.close();
  // Replay over three days: the d-th third of the rows at 2026-03-0(1+d) 12:00 UTC.
  const lines = (await readFile(raw, 'utf8')).trim().split('\n');
  const header = lines[0]!.split(',');
  const t = header.indexOf('time');
  log = join(work, 'log.csv');
  await writeFile(log, `${[lines[0], ...lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    cells[t] = `2026-03-0${1 + Math.floor((i * 3) / (lines.length - 1))}T12:00:00.000Z`;
    return cells.join(',');
  })].join('\n')}\n`);
  // Labels for all but r5 and r17 (not arrived yet), plus one for a request never logged; on day 3 (rows
  // 20-29) every other label is the next class (the model's accuracy drops).
  const target = Array.from(table.target);
  const labelRows = target.map((y, i) => [`r${i}`, IRIS_CLASSES[i >= 20 && i % 2 === 0 ? (y + 1) % 3 : y]!]).filter(([id]) => id !== 'r5' && id !== 'r17');
  labels = join(work, 'labels.csv');
  await writeFile(labels, `id,target\n${[...labelRows, ['never-logged', 'setosa']].map((r) => r.join(',')).join('\n')}\n`);
});

afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

describe('evaluate --predictions LOG --labels LABELS.csv', () => {
  it('per window and overall, the same numbers as sklearn.metrics on the joined rows', async () => {
    const report = await evaluateLateLabels({ predictions: log, labels, joinOn: 'id', window: '1d' });
    const ref = runPythonJson<Ref>('ref_late_labels.py', [log, labels, String(86400), 'multiclass']);
    expect(report.task).toBe('multiclass');
    expect(report.join).toEqual({ on: 'id', predictions: 30, labels: 29, joined: 28, predictions_without_label: 2, labels_without_prediction: 1 });
    expect(report.windows.map((w) => [w.start, w.n])).toEqual(ref.windows.map((w) => [w.start, w.n]));
    expect(report.windows.map((w) => w.start)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    const compare = (ours: Record<string, number>, theirs: Record<string, number>) => {
      for (const [k, v] of Object.entries(theirs)) expect(ours[k], k).toBeCloseTo(v, 12);
    };
    report.windows.forEach((w, i) => compare(w.metrics, ref.windows[i]!.metrics));
    compare(report.overall.metrics, ref.overall.metrics);
    expect(report.overall.n).toBe(ref.overall.n);
    // The drop is there: day 3 is worse than day 1.
    expect(report.windows[2]!.metrics.accuracy!).toBeLessThan(report.windows[0]!.metrics.accuracy!);
  });

  it('the CLI gates every window: exit 1 naming the window that fails, the JSON written', async () => {
    const out = join(work, 'late.json');
    const r = await runCli(['evaluate', '--predictions', log, '--labels', labels, '--window', '1d', '--threshold', 'accuracy>=0.8', '--out', out], work);
    expect(r.stdout).toContain('accuracy with late labels');
    expect(r.stderr).toMatch(/window 2026-03-03T00:00:00.000Z: accuracy = 0\.\d+ fails accuracy >= 0\.8/);
    expect(r.stderr).not.toMatch(/window 2026-03-01/);
    expect(r.code).toBe(1);
    expect(JSON.parse(await readFile(out, 'utf8')).windows).toHaveLength(3);
    const ok = await runCli(['evaluate', '--predictions', log, '--labels', labels, '--window', '1d', '--threshold', 'accuracy>=0.3'], work);
    expect(ok.code).toBe(0);
  });

  it('the evaluate-model action takes the same inputs: outputs, summary table per window, failed step', async () => {
    const run = await runAction({ action: 'evaluate-model', inputs: { predictions: log, labels, window: '1d', threshold: 'accuracy>=0.8', out: join(work, 'action.json') } });
    expect(run.outputs).toMatchObject({ passed: 'false', windows: '3', task: 'multiclass' });
    expect(JSON.parse(run.outputs.metrics!).accuracy).toBeCloseTo(JSON.parse(await readFile(join(work, 'action.json'), 'utf8')).overall.metrics.accuracy, 15);
    expect(run.summary).toMatch(/\| 2026-03-03T00:00:00.000Z \| 10 \|.*❌/);
    expect(run.errors.join('\n')).toMatch(/window 2026-03-03T00:00:00.000Z: accuracy = /);
    expect(run.code).toBe(1);
  });

  it.each([
    [['--window', 'daily'], /--window: "daily" is not a duration/],
    [['--join-on', 'request'], /has no column "request" to join on; pass the id column's name with --join-on/],
    [['--min-improvement', 'accuracy:-0.05'], /--min-improvement with --predictions compares with the metrics recorded in the model package: pass it with --package/],
  ])('bad input %o: exit 2 with the reason', async (extra, message) => {
    const r = await runCli(['evaluate', '--predictions', log, '--labels', labels, ...extra], work);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});

describe('late labels, binary with text classes: the positive class as evaluate picks it', () => {
  // A log of a no/yes classifier: on the second day only "yes" is predicted and labelled, so the labels
  // alone no longer say which class is positive — the package's classes_ (or --pos-label) do.
  let dir: string;
  let binLog: string;
  let binLabels: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlship-late-bin-'));
    const rows: Array<[string, string, string, string]> = []; // id, day, prediction, label
    for (let i = 0; i < 40; i++) {
      const day2 = i >= 24;
      const pred = day2 ? 'yes' : i % 3 === 0 ? 'no' : 'yes';
      const label = day2 ? 'yes' : i % 4 === 0 ? 'no' : 'yes';
      rows.push([`r${i}`, day2 ? '02' : '01', pred, label]);
    }
    binLog = join(dir, 'log.csv');
    binLabels = join(dir, 'labels.csv');
    await writeFile(binLog, `f0,prediction,id,time\n${rows.map(([id, d, p]) => `0.5,${p},${id},2026-03-${d}T08:00:00.000Z`).join('\n')}\n`);
    await writeFile(binLabels, `id,target\n${rows.map(([id, , , y]) => `${id},${y}`).join('\n')}\n`);
  });
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('two classes seen: the greater is positive (classes_[1] of a model trained on them), as sklearn with pos_label="yes"', async () => {
    const report = await evaluateLateLabels({ predictions: binLog, labels: binLabels, window: '1d' });
    const ref = runPythonJson<Ref>('ref_late_labels.py', [binLog, binLabels, String(86400), 'binary', 'yes']);
    expect(report.task).toBe('binary');
    expect(report.pos_label).toBe('yes');
    for (const [i, w] of report.windows.entries()) {
      for (const k of ['precision', 'recall', 'f1', 'accuracy'] as const) expect(w.metrics[k], `window ${i} ${k}`).toBeCloseTo(ref.windows[i]!.metrics[k]!, 12);
    }
    // Day 2 holds "yes" only: precision/recall/f1 of "yes" are 1 (not 0, as a code-1-of-this-window rule gave).
    expect(report.windows[1]!.metrics.f1).toBe(1);
  });

  it('--pos-label chooses the other class, as sklearn with pos_label="no"', async () => {
    const report = await evaluateLateLabels({ predictions: binLog, labels: binLabels, posLabel: 'no' });
    const ref = runPythonJson<Ref>('ref_late_labels.py', [binLog, binLabels, String(86400 * 365), 'binary', 'no']);
    expect(report.pos_label).toBe('no');
    for (const k of ['precision', 'recall', 'f1'] as const) expect(report.overall.metrics[k], k).toBeCloseTo(ref.overall.metrics[k]!, 12);
  });

  it('one text class alone names no positive class: exit 2 asking for --pos-label; an unknown --pos-label is refused', async () => {
    const only = join(dir, 'only-yes.csv');
    await writeFile(only, `${(await readFile(binLog, 'utf8')).split('\n').filter((l, i) => i === 0 || l.includes('2026-03-02')).join('\n')}\n`);
    const cli = await runCli(['evaluate', '--predictions', only, '--labels', binLabels, '--task', 'binary'], dir);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--pos-label');
    await expect(evaluateLateLabels({ predictions: binLog, labels: binLabels, posLabel: 'Yes' })).rejects.toThrow(/"Yes" is neither a label nor a prediction/);
  });
});
