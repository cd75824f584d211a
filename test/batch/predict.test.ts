import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, mergePredictions, predictBatch, readCsv } from '@mlship/sdk';
import { writeIrisPackage, writeZooPackage } from '../harness/model-package.ts';
import { runPythonCodeJson } from '../harness/python.ts';
import { REPO_ROOT } from '../harness/run-action.ts';
import { loadZoo, zooReferenceOutputs, type Zoo, type ZooModel } from '../harness/zoo.ts';

let dir: string;
let irisPkg: string;
let irisData: string;
const irisCsv = join(REPO_ROOT, 'test/fixtures/datasets/iris/test.csv');

/** Every cell of a CSV as text, rows of the header's columns (data/csv.ts reads it back). */
async function readTable(path: string): Promise<{ columns: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  let columns: string[] = [];
  const dec = new TextDecoder();
  await readCsv(path, { header(c) { columns = c; }, field(col, b, s, e, row) { (rows[row] ??= [])[col] = dec.decode(b.subarray(s, e)); } });
  return { columns, rows };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlship-batch-'));
  irisPkg = (await writeIrisPackage(join(dir, 'iris-pkg'))).dir;
  // iris test rows with an id column in front (an id with a comma and one with a quoted line break).
  const lines = readFileSync(irisCsv, 'utf8').trim().split('\n');
  const out = [`id,${lines[0]}`, ...lines.slice(1).map((l, i) => `${i === 3 ? '"a,b"' : i === 7 ? '"line\nbreak"' : `r${i}`},${l}`)];
  irisData = join(dir, 'iris.csv');
  writeFileSync(irisData, `${out.join('\n')}\n`);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('predictBatch on the iris package', () => {
  it('gives onnxruntime-python\'s labels and probabilities, kept ids first, in input order', async () => {
    const out = join(dir, 'iris-out.csv');
    const res = await predictBatch({ package: irisPkg, data: irisData, out, keep: ['id'], workers: 2, chunkBytes: 200 });
    expect(res.chunks).toBeGreaterThan(3);
    // Reference: onnxruntime-python on the same float32 features (pandas reads the CSV).
    const ref = runPythonCodeJson<{ label: number[]; proba: number[][] }>(`
import sys, json, numpy as np, pandas as pd, onnxruntime as ort
df = pd.read_csv(sys.argv[1]); X = df.drop(columns=['target']).to_numpy(np.float32)
s = ort.InferenceSession(sys.argv[2]); label, proba = s.run(['label', 'probabilities'], {s.get_inputs()[0].name: X})
print(json.dumps({'label': label.tolist(), 'proba': [[float(v) for v in r] for r in proba]}))`, [irisCsv, join(REPO_ROOT, 'test/fixtures/models/iris_rf.onnx')]);
    const t = await readTable(out);
    expect(t.columns).toEqual(['id', 'label', 'proba_0', 'proba_1', 'proba_2']);
    expect(t.rows.length).toBe(ref.label.length);
    t.rows.forEach((r, i) => {
      expect(r[0]).toBe(i === 3 ? 'a,b' : i === 7 ? 'line\nbreak' : `r${i}`);
      expect(Number(r[1])).toBe(ref.label[i]);
      // The text is the float64 of onnxruntime's float32: rounding it back gives the same float32.
      expect(r.slice(2).map((v) => Math.fround(Number(v)))).toEqual(ref.proba[i]);
    });
    expect(res.rows).toBe(ref.label.length);
    expect(existsSync(join(dir, '.iris-out.csv.mlship-predict'))).toBe(false);
  });

  it('JSON Lines: the same keys and values', async () => {
    const csvOut = join(dir, 'iris-a.csv');
    const out = join(dir, 'iris-a.jsonl');
    await predictBatch({ package: irisPkg, data: irisData, out: csvOut, keep: ['id'], workers: 1 });
    await predictBatch({ package: irisPkg, data: irisData, out, keep: ['id'], workers: 2, chunkBytes: 300 });
    const csv = await readTable(csvOut);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBe(csv.rows.length);
    rows.forEach((r, i) => {
      expect(Object.keys(r)).toEqual(csv.columns);
      expect(r.id).toBe(csv.rows[i]![0]);
      expect(r.label).toBe(Number(csv.rows[i]![1]));
      expect([r.proba_0, r.proba_1, r.proba_2]).toEqual(csv.rows[i]!.slice(2).map(Number));
    });
  });

  it('a bad row in the middle stops the run: the error names file, line and column, and no output is written', async () => {
    const lines = readFileSync(irisData, 'utf8').split('\n');
    lines[20] = lines[20]!.replace(/,([0-9.]+),/, ',oops,');
    const bad = join(dir, 'iris-bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const out = join(dir, 'bad-out.csv');
    const err = await predictBatch({ package: irisPkg, data: bad, out, keep: ['id'], workers: 2, chunkBytes: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    // lines[20] is line 21 (row 18: row 7 spans two lines).
    expect((err as Error).message).toMatch(/iris-bad\.csv: line 21, column "sepal length \(cm\)": "oops"/);
    expect((await readdir(dir)).filter((f) => f.includes('bad-out'))).toEqual([]);
  });

  it('--keep naming a column twice, or a column named like a prediction column, is refused before any output', async () => {
    const out = join(dir, 'keep-out.csv');
    const twice = await predictBatch({ package: irisPkg, data: irisData, out, keep: ['id', 'id'] }).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(InputError);
    expect((twice as Error).message).toBe('--keep names column "id" twice; name each column to keep once.');
    const labelled = join(dir, 'iris-label.csv');
    writeFileSync(labelled, readFileSync(irisData, 'utf8').replace(/^id,/, 'label,'));
    const clash = await predictBatch({ package: irisPkg, data: labelled, out, keep: ['label'] }).catch((e: unknown) => e);
    expect((clash as Error).message).toBe('--keep column "label" has the name of a prediction column; rename it in the data.');
    expect((await readdir(dir)).filter((f) => f.includes('keep-out'))).toEqual([]);
  });

  it('an output that is the input or another output (by path, link or other spelling) is refused before anything is written; --rejects needs --on-error skip', async () => {
    const copy = join(dir, 'clash-in.csv');
    writeFileSync(copy, readFileSync(irisData));
    const before = readFileSync(copy);
    symlinkSync(copy, join(dir, 'clash-link.csv'));
    const run = (o: Partial<Parameters<typeof predictBatch>[0]>) => predictBatch({ package: irisPkg, data: copy, out: join(dir, 'clash-out.csv'), workers: 1, ...o });
    await expect(run({ onError: 'skip', rejects: copy })).rejects.toThrow(/--data and --rejects are the same file; writing --rejects would destroy the input/);
    await expect(run({ out: join(dir, 'clash-link.csv') })).rejects.toThrow(/--data and --out are the same file/);
    await expect(run({ onError: 'skip', rejects: join(dir, 'x', '..', 'clash-out.csv') })).rejects.toThrow(/--out and --rejects are the same file; each output needs its own path/);
    await expect(run({ rejects: join(dir, 'r.csv') })).rejects.toThrow(/--rejects is only written with --on-error skip/);
    expect(readFileSync(copy)).toEqual(before);
    expect(existsSync(join(dir, 'clash-out.csv'))).toBe(false);
  });

  it('messages name what is wrong: a resume with other options names them, an empty JSON Lines file has no records, a header off by case or not comma-separated says so', async () => {
    const out = join(dir, 'msg-out.csv');
    const runDir = join(dir, '.msg-out.csv.mlship-predict');
    // A run folder left for --resume (by a drift check failing after the scoring: a reference column of text).
    const features = readFileSync(irisCsv, 'utf8').split('\n', 1)[0]!.split(',').slice(0, -1);
    const textRef = join(dir, 'msg-ref.csv');
    writeFileSync(textRef, `${features.join(',')}\n1,2,3,x\n1,2,3,4\n`);
    await expect(predictBatch({ package: irisPkg, data: irisData, out, keep: ['id'], workers: 1, chunkBytes: 200, drift: { reference: textRef } })).rejects.toThrow(/one type/);
    expect(existsSync(join(runDir, 'run.json'))).toBe(true);
    await expect(predictBatch({ package: irisPkg, data: irisData, out, keep: ['id'], workers: 1, chunkBytes: 300, resume: true })).rejects.toThrow(/holds a run with another --chunk-bytes than this one/);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(predictBatch({ package: irisPkg, data: empty, out: join(dir, 'e.csv'), workers: 1 })).rejects.toThrow(/empty\.jsonl holds no records: JSON Lines needs one JSON object per line/);
    const header = readFileSync(irisCsv, 'utf8').split('\n');
    const upper = join(dir, 'upper.csv');
    writeFileSync(upper, [header[0]!.replace('sepal length (cm)', 'Sepal Length (cm)'), ...header.slice(1)].join('\n'));
    await expect(predictBatch({ package: irisPkg, data: upper, out: join(dir, 'u.csv'), workers: 1 })).rejects.toThrow(/"Sepal Length \(cm\)" differs from "sepal length \(cm\)" only in case or spaces/);
    const semi = join(dir, 'semi.csv');
    writeFileSync(semi, header.map((l) => l.replaceAll(',', ';')).join('\n'));
    await expect(predictBatch({ package: irisPkg, data: semi, out: join(dir, 's.csv'), workers: 1 })).rejects.toThrow(/holds semicolons: the file is not comma-separated/);
  });

  it('on-error skip: the bad rows go to the rejects file as they were, with line and reason; the others are scored', async () => {
    const lines = readFileSync(irisData, 'utf8').split('\n');
    lines[20] = lines[20]!.replace(/,([0-9.]+),/, ',oops,');
    lines[30] = lines[30]!.replace(/,([0-9.]+),/, ',,');
    const bad = join(dir, 'iris-bad2.csv');
    writeFileSync(bad, lines.join('\n'));
    const out = join(dir, 'skip-out.csv');
    const rejects = join(dir, 'rejects.csv');
    const res = await predictBatch({ package: irisPkg, data: bad, out, keep: ['id'], workers: 2, chunkBytes: 200, onError: 'skip', rejects });
    expect(res.rejected).toBe(2);
    const all = await readTable(join(dir, 'iris-a.csv'));
    const got = await readTable(out);
    expect(got.rows).toEqual(all.rows.filter((_, i) => i !== 18 && i !== 28)); // rows 18 and 28: row 7 spans two lines
    const rej = await readTable(rejects);
    expect(rej.columns).toEqual(['id', ...readFileSync(irisCsv, 'utf8').split('\n')[0]!.split(','), 'mlship_line', 'mlship_error']);
    expect(rej.rows.map((r) => r.slice(0, -2).join(','))).toEqual([lines[20], lines[30]]);
    expect(rej.rows.map((r) => r.at(-2))).toEqual(["21", "31"]);
    expect(rej.rows[1]!.at(-1)).toMatch(/line 31, column .*a missing value \(empty cell\)\. The package does not allow missing values: .*package it again with mlship serialize --allow-missing/);
    // No unrendered option reference (errors.ts opt()) reaches the file.
    expect(readFileSync(rejects, 'utf8')).not.toMatch(/[\u2983\u2984]/);
  });

  it('shards 0..n-1 merged equal the unsharded run byte for byte (quoted line breaks and commas in ids)', async () => {
    const whole = join(dir, 'iris-a.csv');
    for (const n of [2, 3, 7]) {
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = join(dir, `shard-${n}-${i}.csv`);
        await predictBatch({ package: irisPkg, data: irisData, out: p, keep: ['id'], workers: 1, shard: { index: i, count: n }, chunkBytes: 250 });
        parts.push(p);
      }
      const merged = join(dir, `merged-${n}.csv`);
      await mergePredictions({ parts, out: merged });
      expect(readFileSync(merged)).toEqual(readFileSync(whole));
    }
  });

  it('JSON Lines input: the same output as the CSV, shards merged = whole, a bad line named', async () => {
    const t = await readTable(irisData);
    const jsonl = join(dir, 'iris.jsonl');
    writeFileSync(jsonl, t.rows.map((r) => JSON.stringify(Object.fromEntries(t.columns.map((c, j) => [c, j === 0 ? r[j] : Number(r[j])])))).join('\n') + '\n');
    const out = join(dir, 'from-jsonl.csv');
    await predictBatch({ package: irisPkg, data: jsonl, out, keep: ['id'], workers: 2, chunkBytes: 300 });
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, 'iris-a.csv')));
    const parts: string[] = [];
    for (let i = 0; i < 4; i++) {
      parts.push(join(dir, `jl-${i}.csv`));
      await predictBatch({ package: irisPkg, data: jsonl, out: parts[i]!, keep: ['id'], workers: 1, shard: { index: i, count: 4 } });
    }
    await mergePredictions({ parts, out: join(dir, 'jl-merged.csv') });
    expect(readFileSync(join(dir, 'jl-merged.csv'))).toEqual(readFileSync(out));
    const lines = readFileSync(jsonl, 'utf8').split('\n');
    lines[12] = lines[12]!.replace(/"petal width \(cm\)":[0-9.]+/, '"petal width (cm)":"wide"');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.join('\n'));
    await expect(predictBatch({ package: irisPkg, data: bad, out: join(dir, 'bad-jl.csv'), workers: 2, chunkBytes: 300 })).rejects.toThrow(/bad\.jsonl: line 13, column "petal width \(cm\)": "wide", which is not a number/);
    expect(existsSync(join(dir, 'bad-jl.csv'))).toBe(false);
    // Numbers CSV refuses are refused here too: 1e400 (JSON.parse gives Infinity), 1e39 (infinite in float32).
    for (const [big, why] of [['1e400', /line 13, column "petal width \(cm\)": Infinity, which is not finite/], ['1e39', /line 13, column "petal width \(cm\)": 1e\+39, which is infinite in float32/]] as const) {
      const text = readFileSync(jsonl, 'utf8').split('\n');
      text[12] = text[12]!.replace(/"petal width \(cm\)":[0-9.]+/, `"petal width (cm)":${big}`);
      writeFileSync(bad, text.join('\n'));
      await expect(predictBatch({ package: irisPkg, data: bad, out: join(dir, 'bad-jl.csv'), workers: 1 })).rejects.toThrow(why);
    }
  });

  it('resume without an interrupted run scores everything', async () => {
    const out = join(dir, 'resume-other.csv');
    await predictBatch({ package: irisPkg, data: irisData, out, keep: ['id'], workers: 1, resume: true });
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, 'iris-a.csv')));
  });
});

describe('predictBatch on the model zoo', () => {
  let zoo: Zoo;
  beforeAll(async () => { zoo = await loadZoo(); }, 300_000);

  const zooPackage = (m: ZooModel) => writeZooPackage(zoo, m, join(dir, `zoo-${m.name}`));

  for (const name of ['ct_logreg_mixed', 'lgbm_pipeline_mixed', 'logreg_labels_137', 'svc_strings_proba', 'xgb_classifier_nan', 'xgb_regressor_pipeline', 'ridge_float64', 'rf_multioutput', 'torch_fixed_batch', 'torch_two_inputs', 'torch_softmax', 'ridge_weird_columns']) {
    it(`${name}: every test row as onnxruntime-python scored it`, async () => {
      const m = zoo.models.find((x) => x.name === name)!;
      const pkg = await zooPackage(m);
      const out = join(dir, `zoo-${name}.csv`);
      await predictBatch({ package: pkg, data: join(zoo.dir, m.test), out, workers: 2, chunkBytes: 1000 });
      const t = await readTable(out);
      const ref = zooReferenceOutputs(zoo, m);
      const role = (r: string) => m.outputs.find((o) => o.role === r)?.name;
      const f64 = m.outputs.some((o) => o.type === 'tensor(double)');
      // Exact (the float32 bit for bit), except tree ensembles: onnxruntime's TreeEnsemble sums trees in an
      // order that depends on the thread count and the batch (the reference ran all 80 rows on all cores),
      // so LightGBM / XGBoost / random-forest values may differ in the last float32 bits; labels are still exact.
      const trees = /^(lgbm|xgb|rf)_/.test(name); // rf: skl2onnx's TreeEnsembleRegressor
      const same = (text: string, v: unknown) => {
        const got = f64 ? Number(text) : Math.fround(Number(text));
        if (trees) expect(Math.abs(got - (v as number))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v as number)));
        else expect(got).toBe(v);
      };
      expect(t.rows.length).toBe(80);
      if (m.task === 'binary' || m.task === 'multiclass') {
        const labelOut = role('label');
        const proba = role('probabilities');
        t.rows.forEach((r, i) => {
          const p = proba ? (ref[proba]![i] as number[]) : undefined;
          const expected = labelOut ? (ref[labelOut]![i] as number | string | Array<number | string>) : p!.indexOf(Math.max(...p!));
          const label = Array.isArray(expected) ? expected[0] : expected;
          expect(r[0]).toBe(String(label));
          if (p) r.slice(1).forEach((v, j) => same(v, p[j]));
          else expect(r.length).toBe(1);
        });
        if (proba) expect(t.columns.slice(1)).toEqual((m.classes ?? (ref[proba]![0] as number[]).map((_, j) => j)).map((c) => `proba_${c}`));
      } else {
        const value = role('value') ?? m.outputs[0]!.name;
        t.rows.forEach((r, i) => {
          const v = ref[value]![i] as number | number[];
          const vs = Array.isArray(v) ? v : [v];
          expect(r.length).toBe(vs.length);
          r.forEach((x, j) => same(x, vs[j]));
        });
      }
    }, 120_000);
  }
  // The chunks of a shard start where the shard does, not where the whole run's chunks do, so each model
  // sees other batches; onnxruntime's per-worker sessions (one intra-op thread) give every row the same
  // float32 in any batch, which is what makes the merged shards equal the whole run byte for byte.
  for (const name of ['lgbm_pipeline_mixed', 'xgb_classifier_nan', 'xgb_regressor_pipeline', 'rf_multioutput', 'torch_softmax', 'lgbm_regressor']) {
    it(`${name}: shards 0..2 merged equal the whole run byte for byte, on 2 MB of rows cut in other chunks`, async () => {
      const m = zoo.models.find((x) => x.name === name)!;
      const pkg = await zooPackage(m);
      const text = readFileSync(join(zoo.dir, m.test), 'utf8');
      const body = text.slice(text.indexOf('\n') + 1);
      const data = join(dir, `tiled-${name}.csv`);
      writeFileSync(data, text.slice(0, text.length - body.length) + body.repeat(Math.ceil(2_000_000 / body.length)));
      const whole = join(dir, `tiled-${name}-whole.csv`);
      await predictBatch({ package: pkg, data, out: whole, workers: 2, chunkBytes: 300_000 });
      const parts = [0, 1, 2].map((i) => join(dir, `tiled-${name}-${i}.csv`));
      for (const [i, p] of parts.entries()) await predictBatch({ package: pkg, data, out: p, workers: 1, shard: { index: i, count: 3 } });
      await mergePredictions({ parts, out: join(dir, `tiled-${name}-merged.csv`) });
      expect(readFileSync(join(dir, `tiled-${name}-merged.csv`)).equals(readFileSync(whole))).toBe(true);
    }, 120_000);
  }
  // onnxruntime's LinearClassifier gives other float32 bits for a run of one row than for a batch: a row
  // alone (here: 10 shards of one row each) must still get the whole run's value (onnx-model.ts pads it).
  for (const name of ['logreg_labels_137', 'linsvc_strings']) {
    it(`${name}: 10 rows in 10 one-row shards, merged, equal the whole run byte for byte`, async () => {
      const m = zoo.models.find((x) => x.name === name)!;
      const pkg = await zooPackage(m);
      const text = readFileSync(join(zoo.dir, m.test), 'utf8').split('\n');
      const data = join(dir, `ten-${name}.csv`);
      writeFileSync(data, `${text.slice(0, 11).join('\n')}\n`);
      const whole = join(dir, `ten-${name}-whole.csv`);
      await predictBatch({ package: pkg, data, out: whole, workers: 1 });
      const parts = Array.from({ length: 10 }, (_, i) => join(dir, `ten-${name}-${i}.csv`));
      for (const [i, p] of parts.entries()) await predictBatch({ package: pkg, data, out: p, workers: 1, shard: { index: i, count: 10 } });
      await mergePredictions({ parts, out: join(dir, `ten-${name}-merged.csv`) });
      expect(readFileSync(join(dir, `ten-${name}-merged.csv`), 'utf8')).toBe(readFileSync(whole, 'utf8'));
    }, 120_000);
  }
});
