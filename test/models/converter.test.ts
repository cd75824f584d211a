import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxRuntime, readCsv } from '@mlship/sdk';
import { pythonBin } from '../harness/python.ts';
import { REPO_ROOT } from '../harness/run-action.ts';
import { loadZoo, zooModel, type Zoo, type ZooModel } from '../harness/zoo.ts';

// python/mlship_convert.py through its CLI on the zoo's native models (real scikit-learn, XGBoost, LightGBM and
// torch files). Expected values come from Python and onnxruntime-node, never from this file: the report's
// classes must equal the native classes_ make_zoo.py recorded, its native labels must equal make_zoo.py's
// native predict() on the same rows, and every reported output must equal what onnxruntime-node computes with
// the converted ONNX model on the sample, fed input by input as the report's `inputs` say.

const SCRIPT = join(REPO_ROOT, 'python', 'mlship_convert.py');
const ROWS = 20;
type Cell = number | string | null;
interface Report {
  ok: boolean; error?: string; message?: string; hint?: string; task?: string; classes?: Array<number | string> | null;
  staticBatch?: number | null; estimator?: string; warnings?: string[];
  inputs?: Array<{ name: string; type: string; shape: number[]; columns: string[] }>;
  outputs?: Record<string, { role: string; values: unknown[] }>;
}

let zoo: Zoo;
let work: string;
beforeAll(async () => {
  zoo = await loadZoo();
  work = mkdtempSync(join(tmpdir(), 'mlship-convert-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first ROWS test rows in schema order: a column is a string column when it feeds a string input. */
async function schemaAndSample(m: ZooModel): Promise<{ columns: Array<{ name: string; kind: 'number' | 'string' }>; rows: Cell[][] }> {
  const kinds = m.features.map((c) => ({ name: c, kind: m.inputs.some((i) => i.name === c && i.type === 'string') ? 'string' as const : 'number' as const }));
  const rows: Cell[][] = [];
  let header: string[] = [];
  const dec = new TextDecoder();
  await readCsv(join(zoo.dir, m.test), {
    header: (cols) => { header = cols; },
    field: (col, bytes, start, end, row) => {
      if (row >= ROWS) return;
      const j = m.features.indexOf(header[col]!);
      if (j < 0) return;
      (rows[row] ??= new Array<Cell>(m.features.length).fill(null));
      const text = dec.decode(bytes.subarray(start, end));
      rows[row]![j] = kinds[j]!.kind === 'string' ? text : text === '' ? null : Number(text);
    },
  });
  return { columns: kinds, rows };
}

function convert(name: string, args: string[]): Report {
  const report = join(work, `${name}.report.json`);
  try {
    execFileSync(pythonBin(), [SCRIPT, ...args, '--out-model', join(work, `${name}.onnx`), '--report', report], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const r = JSON.parse(readFileSync(report, 'utf8')) as Report;
    if (r.ok !== false) throw err;
    return { ...r, ...{ exit: (err as { status: number }).status } };
  }
  return JSON.parse(readFileSync(report, 'utf8')) as Report;
}

async function convertZooModel(m: ZooModel, native: { file: string; kind: string }): Promise<{ report: Report; rows: Cell[][] }> {
  const { columns, rows } = await schemaAndSample(m);
  const base = join(work, `${m.name}.${native.kind}`);
  writeFileSync(`${base}.schema.json`, JSON.stringify({ columns }));
  writeFileSync(`${base}.sample.json`, JSON.stringify({ rows }));
  const args = ['--input', join(zoo.dir, native.file), '--kind', native.kind, '--schema', `${base}.schema.json`, '--sample', `${base}.sample.json`];
  if (m.input_map) {
    writeFileSync(`${base}.map.json`, JSON.stringify(m.input_map));
    args.push('--input-map', `${base}.map.json`);
  }
  return { report: convert(`${m.name}.${native.kind}`, args), rows };
}

/** onnxruntime-node on the converted model, each input fed from the sample columns the report names. */
async function runConverted(name: string, report: Report, features: string[], rows: Cell[][]): Promise<Record<string, unknown[]>> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(join(work, `${name}.onnx`));
  try {
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const input of report.inputs!) {
      const idx = input.columns.map((c) => features.indexOf(c));
      const cells = rows.flatMap((r) => idx.map((j) => r[j]!));
      const dims = [rows.length, idx.length];
      if (input.type === 'string') feeds[input.name] = new ort.Tensor('string', cells.map(String), dims);
      else if (input.type === 'float32') feeds[input.name] = new ort.Tensor('float32', Float32Array.from(cells.map((v) => (v === null ? NaN : Number(v)))), dims);
      else throw new Error(`unexpected input type ${input.type}`);
    }
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v))]));
  } finally {
    await session.release();
  }
}

/** Report outputs vs onnxruntime-node: labels exactly, numbers within float32 rounding of the native float64. */
function expectOutputsMatch(name: string, report: Report, ort: Record<string, unknown[]>): void {
  expect(Object.keys(report.outputs!).length, name).toBeGreaterThan(0);
  for (const [out, o] of Object.entries(report.outputs!)) {
    const actual = ort[out]!;
    const expected = (o.values as unknown[]).flat(2);
    expect(actual.length, `${name}.${out}`).toBe(expected.length);
    if (o.role === 'label') {
      expect(actual, `${name}.${out}`).toEqual(expected);
    } else {
      const worst = Math.max(...expected.map((e, i) => Math.abs((e as number) - (actual[i] as number)) - 1e-5 * Math.abs(e as number)));
      expect(worst, `${name}.${out}: max |native - onnx| beyond 1e-5 relative`).toBeLessThan(1e-4);
    }
  }
}

function nativeLabels(report: Report): unknown[] {
  const label = Object.values(report.outputs!).find((o) => o.role === 'label');
  if (label) return label.values;
  const proba = Object.values(report.outputs!).find((o) => o.role === 'probabilities')!.values as number[][];
  return proba.map((p) => report.classes![p.indexOf(Math.max(...p))]);
}

const MODELS = ['ct_logreg_mixed', 'lgbm_pipeline_mixed', 'logreg_labels_137', 'sgd_labels_pm1', 'linsvc_strings', 'svc_labels_pm1',
  'svc_strings_proba', 'xgb_classifier_nan', 'xgb_regressor_pipeline', 'lgbm_regressor', 'ridge_float64', 'rf_multioutput',
  'ridge_weird_columns', 'torch_fixed_batch', 'torch_two_inputs', 'torch_softmax'];

describe('mlship_convert.py on the zoo natives', () => {
  for (const name of MODELS) {
    it(name, async () => {
      const m = zooModel(zoo, name);
      const { report, rows } = await convertZooModel(m, { file: m.native!, kind: m.native_format! });
      expect(report, report.message).toMatchObject({ ok: true });
      const perColumn = m.inputs.length > 1 && m.inputs.every((i) => m.features.includes(i.name));
      if (perColumn) {
        // The skl2onnx ColumnTransformer way: one [-1, 1] input per column, typed like the column.
        expect(report.inputs).toEqual(m.inputs.map((i) => ({ name: i.name, type: i.type, shape: [-1, 1], columns: [i.name] })));
      } else if (m.input_map) {
        expect(report.inputs).toEqual(Object.entries(m.input_map).map(([n, cols]) => ({ name: n, type: 'float32', shape: [-1, cols.length], columns: cols })));
      } else {
        expect(report.inputs).toEqual([{ name: m.native_format === 'sklearn' ? 'float_input' : 'input', type: 'float32', shape: [-1, m.features.length], columns: m.features }]);
      }
      expect(report.staticBatch).toBeNull(); // the converter always exports a dynamic batch
      expect(report.task).toBe(m.task.endsWith('regression') ? 'regression' : 'classification');
      expect(report.classes).toEqual(m.classes ?? (m.task === 'multiclass' ? [0, 1, 2] : null));
      if (m.reference.native_labels) expect(nativeLabels(report)).toEqual(m.reference.native_labels.slice(0, ROWS));
      if (name === 'torch_softmax') expect(report.outputs!.output!.role).toBe('probabilities');
      expectOutputsMatch(name, report, await runConverted(`${name}.${m.native_format}`, report, m.features, rows));
    });
  }

  for (const name of ['xgb_classifier_nan', 'lgbm_regressor']) {
    it(`${name}: the library's own Booster file (kind ${name.startsWith('xgb') ? 'xgboost' : 'lightgbm'})`, async () => {
      const m = zooModel(zoo, name);
      const kind = m.native_booster!.format;
      const { report, rows } = await convertZooModel(m, { file: m.native_booster!.file, kind });
      expect(report, report.message).toMatchObject({ ok: true, task: m.task === 'regression' ? 'regression' : 'classification', classes: m.classes });
      expect(report.inputs).toEqual([{ name: 'float_input', type: 'float32', shape: [-1, m.features.length], columns: m.features }]);
      if (m.reference.native_labels) expect(nativeLabels(report)).toEqual(m.reference.native_labels.slice(0, ROWS));
      expectOutputsMatch(name, report, await runConverted(`${name}.${kind}`, report, m.features, rows));
    });
  }

  it('a ColumnTransformer on columns named with a comma, quotes, unicode and a space: skl2onnx sanitises the input names, the report maps them to the columns', async () => {
    // Trained here with the real scikit-learn; the schema and sample are the DataFrame's own columns and first rows.
    const make = `
import json, sys, joblib, numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
rng = np.random.default_rng(0)
df = pd.DataFrame({"a,b": np.round(rng.normal(size=120), 3), 'say "hi"': rng.choice(["x", "y"], 120),
                   "température (°C)": np.round(rng.normal(size=120), 3), "with space": rng.choice(["p", "q", "r"], 120)})
y = (df["a,b"] + (df['say "hi"'] == "x") > 0.3).astype(int)
pipe = Pipeline([("ct", ColumnTransformer([("n", StandardScaler(), ["a,b", "température (°C)"]),
                                           ("c", OneHotEncoder(handle_unknown="ignore"), ['say "hi"', "with space"])])),
                 ("m", LogisticRegression())]).fit(df, y)
out = sys.argv[1]
joblib.dump(pipe, out + "/weird.joblib")
json.dump({"columns": [{"name": c, "kind": "number" if df[c].dtype.kind == "f" else "string"} for c in df.columns]}, open(out + "/weird.schema.json", "w"))
json.dump({"rows": df.head(${ROWS}).astype(object).values.tolist()}, open(out + "/weird.sample.json", "w"))
json.dump({"labels": pipe.predict(df.head(${ROWS})).tolist()}, open(out + "/weird.expected.json", "w"))
`;
    execFileSync(pythonBin(), ['-c', make, work]);
    const report = convert('weird', ['--input', join(work, 'weird.joblib'), '--kind', 'sklearn', '--schema', join(work, 'weird.schema.json'), '--sample', join(work, 'weird.sample.json')]);
    expect(report, report.message).toMatchObject({ ok: true });
    const columns = ['a,b', 'say "hi"', 'température (°C)', 'with space'];
    expect(report.inputs!.map((i) => [i.columns, i.type, i.shape])).toEqual(columns.map((c, k) => [[c], k % 2 ? 'string' : 'float32', [-1, 1]]));
    for (const i of report.inputs!) expect(i.name).toMatch(/^[\p{L}\w]+$/u); // skl2onnx's sanitised names (a_b, say__hi_, …)
    expect(report.outputs!.label!.values).toEqual((JSON.parse(readFileSync(join(work, 'weird.expected.json'), 'utf8')) as { labels: number[] }).labels);
    const { rows } = { rows: (JSON.parse(readFileSync(join(work, 'weird.sample.json'), 'utf8')) as { rows: Cell[][] }).rows };
    expectOutputsMatch('weird', report, await runConverted('weird', report, columns, rows));
  });

  it('a torch softmax classifier takes its class labels from --classes (typed as given), and refuses a list of the wrong length', async () => {
    const m = zooModel(zoo, 'torch_softmax');
    const { columns, rows } = await schemaAndSample(m);
    writeFileSync(join(work, 'soft.schema.json'), JSON.stringify({ columns }));
    writeFileSync(join(work, 'soft.sample.json'), JSON.stringify({ rows }));
    const base = ['--input', join(zoo.dir, m.native!), '--kind', 'torchscript', '--schema', join(work, 'soft.schema.json'), '--sample', join(work, 'soft.sample.json')];
    writeFileSync(join(work, 'soft.classes.json'), JSON.stringify(['bird', 'cat', 'dog']));
    const named = convert('soft', [...base, '--classes', join(work, 'soft.classes.json')]);
    expect(named).toMatchObject({ ok: true, task: 'classification', classes: ['bird', 'cat', 'dog'], outputs: { output: { role: 'probabilities' } } });
    expect(nativeLabels(named)).toEqual(m.reference.native_labels!.slice(0, ROWS).map((k) => ['bird', 'cat', 'dog'][k as number]));
    writeFileSync(join(work, 'soft2.classes.json'), JSON.stringify([1, 3]));
    const wrong = convert('soft2', [...base, '--classes', join(work, 'soft2.classes.json')]);
    expect(wrong).toMatchObject({ ok: false, error: 'bad-input', message: '\u2983class-labels\u2984 gives 2 labels but the probabilities have 3 columns' }); // the option reference serialize renders (--class-labels / input "class-labels")
  });

  it('still accepts the older --features N (number columns by position)', async () => {
    const m = zooModel(zoo, 'logreg_labels_137');
    const { rows } = await schemaAndSample(m);
    writeFileSync(join(work, 'legacy.sample.json'), JSON.stringify({ rows }));
    const report = convert('legacy', ['--input', join(zoo.dir, m.native!), '--kind', 'sklearn', '--features', '6', '--sample', join(work, 'legacy.sample.json')]);
    expect(report).toMatchObject({ ok: true, classes: [1, 3, 7], inputs: [{ name: 'float_input', type: 'float32', shape: [-1, 6], columns: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] }] });
    expect(report.outputs!.label!.values).toEqual(m.reference.native_labels!.slice(0, ROWS));
  });

  it('refuses a schema without a column the pipeline was fitted on, naming it (exit 3, ok false)', async () => {
    const m = zooModel(zoo, 'ct_logreg_mixed');
    const { columns, rows } = await schemaAndSample(m);
    const drop = columns.findIndex((c) => c.name === 'plan');
    writeFileSync(join(work, 'bad.schema.json'), JSON.stringify({ columns: columns.filter((_, i) => i !== drop) }));
    writeFileSync(join(work, 'bad.sample.json'), JSON.stringify({ rows: rows.map((r) => r.filter((_, i) => i !== drop)) }));
    const report = convert('bad', ['--input', join(zoo.dir, m.native!), '--kind', 'sklearn', '--schema', join(work, 'bad.schema.json'), '--sample', join(work, 'bad.sample.json')]);
    expect(report).toMatchObject({ ok: false, error: 'bad-input', exit: 3 });
    expect(report.message).toContain("'plan'");
  });

  it('refuses a string column for a model with one float input, and a non-number in a number column, naming row and column', async () => {
    const m = zooModel(zoo, 'logreg_labels_137');
    const { columns, rows } = await schemaAndSample(m);
    const strCols = columns.map((c, i) => (i === 2 ? { ...c, kind: 'string' } : c));
    writeFileSync(join(work, 's.schema.json'), JSON.stringify({ columns: strCols }));
    writeFileSync(join(work, 's.sample.json'), JSON.stringify({ rows: rows.map((r) => r.map((v, i) => (i === 2 ? String(v) : v))) }));
    const r1 = convert('s', ['--input', join(zoo.dir, m.native!), '--kind', 'sklearn', '--schema', join(work, 's.schema.json'), '--sample', join(work, 's.sample.json')]);
    expect(r1).toMatchObject({ ok: false, error: 'bad-input' });
    expect(r1.message).toContain("'f2'");
    writeFileSync(join(work, 'n.schema.json'), JSON.stringify({ columns }));
    writeFileSync(join(work, 'n.sample.json'), JSON.stringify({ rows: rows.map((r, i) => (i === 3 ? r.map((v, j) => (j === 1 ? 'abc' : v)) : r)) }));
    const r2 = convert('n', ['--input', join(zoo.dir, m.native!), '--kind', 'sklearn', '--schema', join(work, 'n.schema.json'), '--sample', join(work, 'n.sample.json')]);
    expect(r2).toMatchObject({ ok: false, error: 'bad-input', message: "sample row 4, column 'f1': 'abc' is not a number" });
  });
});
