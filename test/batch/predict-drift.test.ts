import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftJson, OnnxModel, predictBatch, runDriftCheck, writePackage, type DriftCheckOptions, type PredictBatchResult, type PredictDriftOptions } from '@mlship/sdk';
import { writeIrisPackage } from '../harness/model-package.ts';
import { REPO_ROOT } from '../harness/run-action.ts';
import { loadZoo, zooModel, type Zoo } from '../harness/zoo.ts';

// predict --drift-reference computes the batch's drift from its scoring pass (the workers' spilled
// feature columns, batch/drift-spill.ts): the report must be drift-check's on the same rows, byte for byte.
let dir: string;
let zoo: Zoo;
const FIX = join(REPO_ROOT, 'test/fixtures');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlship-predict-drift-'));
  zoo = await loadZoo();
}, 300_000);
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function fixturePackage(name: string, onnx: string, train: string, task: 'classification' | 'regression', allowMissing = false): Promise<{ dir: string; features: string[] }> {
  const features = readFileSync(train, 'utf8').split('\n', 1)[0]!.split(',').slice(0, -1);
  const model = await OnnxModel.load(onnx);
  const roles = task === 'classification' ? { label: 'label', probabilities: 'probabilities' } : { value: 'variable' };
  const res = await writePackage({
    model, outDir: join(dir, `pkg-${name}`), name, version: '1', featureNames: features, task, outputRoles: roles, goldenInputs: [], allowMissing,
    source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
  });
  await model.session.release();
  return { dir: res.dir, features };
}

/** predict with drift, and drift-check on `current` (default: the scored data) over the features: the same JSON. */
async function expectSameReport(pkg: string, data: string, features: string[], drift: PredictDriftOptions, extra: { chunkBytes?: number; onError?: 'skip'; current?: string; passes?: number } = {}): Promise<PredictBatchResult> {
  const out = join(dir, `${basename(data)}.out.csv`);
  const info: string[] = [];
  const progress = new Set<string>();
  const res = await predictBatch({
    package: pkg, data, out, workers: 2, chunkBytes: extra.chunkBytes ?? 4096, drift, logger: { debug() {}, warn() {}, info: (m) => { info.push(m); }, progress: (label) => { progress.add(label.replace(/ \(pass .*/, '')); } },
    ...(extra.onError ? { onError: 'skip', rejects: join(dir, `${basename(data)}.rejects.csv`) } : {}),
  });
  expect(existsSync(join(dir, `.${basename(out)}.mlship-predict`))).toBe(false); // spilled columns removed
  const check: DriftCheckOptions = { ...drift, current: extra.current ?? data, columns: features };
  const expected = await runDriftCheck(check);
  if (extra.current) expected.current.path = data;
  expect(driftJson(res.drift!.report)).toBe(driftJson(expected));
  expect(res.drift!.report.current.rows).toBe(res.rows);
  // Where the batch's columns came from: the spilled columns of the scoring pass for a CSV (drift-check's
  // CSV reader never ran on it); JSON Lines is converted and read again.
  const csvRead = [...progress].filter((l) => l === `reading ${basename(data)}` || l === 'reading current.csv');
  if (data.endsWith('.jsonl')) expect(csvRead).toEqual(['reading current.csv']);
  else {
    expect(progress).toContain(`reading the scored columns of ${basename(data)}`);
    expect(csvRead).toEqual([]);
  }
  if (extra.passes) expect(info).toContain(`Reading the columns in ${extra.passes} passes to stay within the memory budget.`);
  if (extra.chunkBytes && extra.chunkBytes < 1 << 18) expect(res.chunks).toBeGreaterThan(1);
  return res;
}

describe('predict --drift-reference: the drift of the scoring pass is drift-check\'s', () => {
  it('every drift scenario of the fixtures (breast cancer, diabetes; missing values): several chunks, one pass and one column per pass', async () => {
    const bc = await fixturePackage('bc', join(FIX, 'models/breast_cancer_logreg.onnx'), join(FIX, 'datasets/breast_cancer/train.csv'), 'classification', true);
    const db = await fixturePackage('db', join(FIX, 'models/diabetes_gbr.onnx'), join(FIX, 'datasets/diabetes/train.csv'), 'regression', true);
    for (const [set, p] of [['breast_cancer', bc], ['diabetes', db]] as const) {
      const reference = join(FIX, 'drift', set, 'reference.csv');
      for (const f of readdirSync(join(FIX, 'drift', set)).filter((x) => x.startsWith('current_'))) {
        const data = join(FIX, 'drift', set, f);
        await expectSameReport(p.dir, data, p.features, { reference });
        // 1 KiB of column data at once: one column per pass.
        await expectSameReport(p.dir, data, p.features, { reference, memoryBudgetMiB: 1 / 1024 }, { chunkBytes: 2000, passes: p.features.length });
      }
    }
    // The missing scenario has missing cells in the batch (counted, dropped, alerted like drift-check does).
    const r = await runDriftCheck({ reference: join(FIX, 'drift/breast_cancer/reference.csv'), current: join(FIX, 'drift/breast_cancer/current_missing.csv'), columns: bc.features });
    expect(Object.values(r.columns).some((c) => c.n_missing_cur > 0)).toBe(true);
  }, 300_000);

  it('string columns as drift-check types them from the data (labels; numeric-looking codes; missing labels), options passed through', async () => {
    const m = zooModel(zoo, 'ct_logreg_mixed');
    const train = join(zoo.dir, m.train!);
    const p = await fixturePackage('mixed', join(zoo.dir, m.onnx), train, 'classification');
    // 40 copies of the test rows, some labels shifted, blanked or spelled NaN (missing for drift-check; the model takes the text).
    const lines = readFileSync(join(zoo.dir, m.test), 'utf8').trim().split('\n');
    const rows: string[] = [];
    for (let k = 0; k < 40; k++) {
      lines.slice(1).forEach((l, i) => {
        const c = l.split(',');
        if ((i + k) % 7 === 0) c[2] = '';
        if ((i + k) % 11 === 0) c[2] = 'NaN';
        if (k > 30 && i % 3 === 0) c[3] = 'pro';
        rows.push(c.join(','));
      });
    }
    const data = join(dir, 'mixed.csv');
    writeFileSync(data, `${lines[0]}\n${rows.join('\n')}\n`);
    await expectSameReport(p.dir, data, p.features, { reference: train });
    await expectSameReport(p.dir, data, p.features, { reference: train, memoryBudgetMiB: 1 / 1024, stattest: 'psi', threshold: 0.05, driftShare: 0.3 }, { chunkBytes: 1500 });
    const r = await runDriftCheck({ reference: train, current: data, columns: p.features });
    expect(r.columns['città']!.type).toBe('categorical');
    expect(r.columns['città']!.n_missing_cur).toBeGreaterThan(0);
    expect(r.columns.zip!.type).toBe('categorical');
    // Forced types come through too: a number column as labels, a string column of codes as numbers.
    await expectSameReport(p.dir, data, p.features, { reference: train, columnTypes: { age: 'categorical', zip: 'numerical' } }, { chunkBytes: 3000 });
    // Bad input is drift-check's error, word for word: a column that is text in the reference but numbers
    // in the batch names the batch's first number (its line and text, from the scoring pass).
    const textRef = join(dir, 'mixed-text-ref.csv');
    const t = readFileSync(train, 'utf8').split('\n');
    t[3] = t[3]!.replace(/^[^,]*/, 'old');
    writeFileSync(textRef, t.join('\n'));
    const message = await runDriftCheck({ reference: textRef, current: data, columns: p.features }).then(() => '', (e: Error) => e.message);
    expect(message).toMatch(/Column "age" is text in .* \(line 4: "old"\) but numeric in .*mixed\.csv \(line 2: 24\.0\)/);
    await expect(predictBatch({ package: p.dir, data, out: join(dir, 'mixed-bad.csv'), workers: 2, chunkBytes: 1500, drift: { reference: textRef } })).rejects.toThrow(message);
  }, 300_000);

  it('numeric missing values in a model that takes NaN (xgboost), and a file of many chunks and several memory passes', async () => {
    const m = zooModel(zoo, 'xgb_classifier_nan');
    const train = join(zoo.dir, m.train!);
    const p = await fixturePackage('xgb', join(zoo.dir, m.onnx), train, 'classification', true);
    const lines = readFileSync(join(zoo.dir, m.test), 'utf8').trim().split('\n');
    const body = lines.slice(1);
    const data = join(dir, 'xgb-big.csv');
    // 2500 copies: 200k rows, ~40 chunks of 256 KiB; a 1 MiB budget holds ~one column at once (5 passes).
    writeFileSync(data, `${lines[0]}\n${Array.from({ length: 2500 }, () => body.join('\n')).join('\n')}\n`);
    const res = await expectSameReport(p.dir, data, p.features, { reference: train, memoryBudgetMiB: 2 }, { chunkBytes: 1 << 18, passes: 5 });
    expect(res.chunks).toBeGreaterThan(20);
    const r = await runDriftCheck({ reference: train, current: data, columns: p.features });
    expect(Object.values(r.columns).some((c) => c.n_missing_cur > 0)).toBe(true);
  }, 300_000);

  it('on-error skip: the rejected rows are not in the batch\'s drift (drift-check on the rows kept), even where a rejected row held the only non-integer', async () => {
    const pkg = (await writeIrisPackage(join(dir, 'iris'))).dir;
    const test = readFileSync(join(FIX, 'datasets/iris/test.csv'), 'utf8').trim().split('\n');
    const header = test[0]!.split(',').slice(0, -1);
    // petal width written as integers 0..2 (so drift-check types it categorical, an int column of 3 values),
    // except in the rejected rows: one with "1.5" there and a bad sepal length.
    const rows: string[] = [];
    const kept: string[] = [];
    for (let k = 0; k < 100; k++) {
      test.slice(1).forEach((l, i) => {
        const c = l.split(',').slice(0, -1);
        c[3] = String(Math.round(Number(c[3])));
        if (i === 5 && k % 10 === 0) { rows.push(`oops,${c[1]},${c[2]},1.5`); return; }
        if (i === 9 && k % 10 === 3) { rows.push(`${c[0]},${c[1]},inf,${c[3]}`); return; }
        rows.push(c.join(','));
        kept.push(c.join(','));
      });
    }
    const data = join(dir, 'iris-skip.csv');
    writeFileSync(data, `${header.join(',')}\n${rows.join('\n')}\n`);
    const keptFile = join(dir, 'iris-kept.csv');
    writeFileSync(keptFile, `${header.join(',')}\n${kept.join('\n')}\n`);
    const reference = join(FIX, 'datasets/iris/train.csv');
    await expectSameReport(pkg, data, header, { reference }, { onError: 'skip', current: keptFile, chunkBytes: 700 });
    const r = await runDriftCheck({ reference, current: keptFile, columns: header });
    expect(r.columns['petal width (cm)']!.type).toBe('categorical');
    expect(r.current.rows).toBe(kept.length);
  }, 300_000);

  it('JSON Lines input: drift-check reads the file itself (the same report as mlship drift on it)', async () => {
    const pkg = (await writeIrisPackage(join(dir, 'iris-jl'))).dir;
    const test = readFileSync(join(FIX, 'datasets/iris/test.csv'), 'utf8').trim().split('\n');
    const header = test[0]!.split(',').slice(0, -1);
    const data = join(dir, 'iris.jsonl');
    writeFileSync(data, `${test.slice(1).map((l) => JSON.stringify(Object.fromEntries(header.map((h, j) => [h, Number(l.split(',')[j])])))).join('\n')}\n`);
    await expectSameReport(pkg, data, header, { reference: join(FIX, 'datasets/iris/train.csv') }, { chunkBytes: 500 });
  }, 120_000);

  it('a run resumed with drift after a run without: the chunks without spilled columns are scored again, the report is the whole batch\'s', async () => {
    const pkg = (await writeIrisPackage(join(dir, 'iris-r'))).dir;
    const data = join(dir, 'gen.csv');
    const csv = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-tabular.mjs'), '--rows', '20000', '--features', '4', '--seed', '5', '--precision', '3'], { maxBuffer: 1 << 26, encoding: 'utf8' });
    const header = readFileSync(join(FIX, 'datasets/iris/test.csv'), 'utf8').split('\n', 1)[0]!.split(',').slice(0, -1);
    writeFileSync(data, `${header.join(',')}${csv.slice(csv.indexOf('\n'))}`);
    const out = join(dir, 'gen.out.csv');
    // A reference that lacks the model's columns is refused before any row is scored (no run folder).
    const noColumns = join(dir, 'no-columns-ref.csv');
    writeFileSync(noColumns, 'a,b\n1,2\n');
    await expect(predictBatch({ package: pkg, data, out, workers: 2, chunkBytes: 16384, drift: { reference: noColumns } })).rejects.toThrow(/--drift-reference .*no-columns-ref\.csv has no columns "sepal length \(cm\)", .*the reference needs them all \(it has "a", "b"\)/);
    await expect(predictBatch({ package: pkg, data, out, workers: 2, chunkBytes: 16384, drift: { reference: join(dir, 'nowhere.csv') } })).rejects.toThrow(/--drift-reference .*nowhere\.csv: .*does not exist/);
    expect(existsSync(join(dir, `.${basename(out)}.mlship-predict`))).toBe(false);
    // A finished run leaves no run folder; a drift check that fails after the scoring (a reference column
    // of text where the batch has numbers) leaves the scored chunks and their spilled columns, and
    // --resume with a fixed reference keeps them all.
    const badRef = join(dir, 'bad-ref.csv');
    writeFileSync(badRef, `${header.join(',')}\n1,2,3,x\n1,2,3,4\n`);
    await expect(predictBatch({ package: pkg, data, out, workers: 2, chunkBytes: 16384, drift: { reference: badRef } })).rejects.toThrow(/one type/);
    const runDir = join(dir, `.${basename(out)}.mlship-predict`);
    const spilled = readdirSync(runDir).filter((f) => f.endsWith('.drift')).length;
    expect(spilled).toBeGreaterThan(5);
    const reference = join(FIX, 'datasets/iris/train.csv');
    const res = await predictBatch({ package: pkg, data, out, workers: 2, chunkBytes: 16384, resume: true, drift: { reference } });
    expect(res.resumedChunks).toBe(spilled);
    expect(driftJson(res.drift!.report)).toBe(driftJson(await runDriftCheck({ reference, current: data, columns: header })));
    // Interrupted without drift (it fails writing its rejects file, over a directory, after every chunk is
    // scored), then resumed with drift: no chunk has its columns spilled, so every chunk is scored again.
    const out2 = join(dir, 'gen2.out.csv');
    const run2 = join(dir, `.${basename(out2)}.mlship-predict`);
    await expect(predictBatch({ package: pkg, data, out: out2, workers: 2, chunkBytes: 16384, onError: 'skip', rejects: dir })).rejects.toThrow();
    expect(readFileSync(join(run2, 'done.log'), 'utf8').trim().split('\n').length).toBe(res.chunks);
    const res2 = await predictBatch({ package: pkg, data, out: out2, workers: 2, chunkBytes: 16384, onError: 'skip', rejects: join(dir, 'gen2.rejects.csv'), resume: true, drift: { reference } });
    expect(res2.resumedChunks).toBe(0);
    expect(driftJson(res2.drift!.report)).toBe(driftJson(res.drift!.report));
  }, 300_000);
});
