// python/oip_clients.py: the real Open Inference Protocol clients from PyPI (tritonclient[http], KServe's SDK
// REST client) against mlship's model server on 127.0.0.1. Expected outputs come from onnxruntime-node's own
// session over the same rows (OnnxModel.predict), so a client must return exactly what the runtime computes.
// test/models/serve.test.ts runs the same clients over every zoo model; this file covers the script itself.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxModel, readCsv, servedModelFrom, type ModelServer } from '@mlship/sdk';
import { pythonBin } from '../harness/python.ts';
import { loadZoo, zooModel, zooReferenceOutputs, type Zoo } from '../harness/zoo.ts';
import { REPO_ROOT } from '../harness/run-action.ts';
import { datasetRows, FIXTURES, startServer } from '../server/helpers.ts';

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'python', 'oip_clients.py');

let tmp: string;
let diabetes: { server: ModelServer; url: string };
let mixed: { server: ModelServer; url: string };
let zoo: Zoo;
let rows: number[][];
let expected: number[];

interface ClientReply { model_name: string; outputs: Array<{ name: string; datatype: string; shape: number[]; data: unknown[] }> }

/** Runs the client without blocking the event loop (the server answers from this process). */
async function client(kind: string, request: unknown, model = 'diabetes_linreg', url = diabetes.url): Promise<{ code: number; reply?: ClientReply; stderr: string }> {
  const file = join(tmp, `req-${kind}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(request));
  try {
    const { stdout, stderr } = await run(pythonBin(), [SCRIPT, '--url', url, '--model', model, '--request', file, '--client', kind, '--timeout', '60']);
    return { code: 0, reply: JSON.parse(stdout) as ClientReply, stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-oip-'));
  diabetes = await startServer(await servedModelFrom(join(FIXTURES, 'models/diabetes_linreg.onnx')));
  rows = (await datasetRows('diabetes')).rows.slice(0, 7);
  const model = await OnnxModel.load(join(FIXTURES, 'models/diabetes_linreg.onnx'));
  const out = await model.predict(new Float32Array(rows.flat()), rows.length);
  expected = Array.from(Object.values(out)[0]!.data as Float32Array);
  zoo = await loadZoo();
  mixed = await startServer(await servedModelFrom(join(zoo.dir, zooModel(zoo, 'ct_logreg_mixed').onnx)));
});

afterAll(async () => {
  await diabetes?.server.close();
  await mixed?.server.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('oip_clients.py against mlship serve (FP32, JSON tensors)', () => {
  const request = () => ({ inputs: [{ name: 'float_input', datatype: 'FP32', shape: [rows.length, rows[0]!.length], data: rows.flat() }], outputs: null });

  for (const kind of ['triton-json', 'kserve', 'triton-binary', 'kserve-binary']) {
    it(`${kind}: the runtime's outputs for 7 diabetes rows`, async () => {
      const r = await client(kind, request());
      expect(r.code, r.stderr).toBe(0);
      expect(r.reply!.model_name).toBe('diabetes_linreg');
      expect(r.reply!.outputs).toHaveLength(1);
      const [o] = r.reply!.outputs;
      expect(o).toMatchObject({ name: 'variable', datatype: 'FP32', shape: [7, 1] });
      // JSON numbers -> float32 in the client: the same float32 values the runtime produced.
      expect(Float32Array.from(o!.data as number[])).toEqual(Float32Array.from(expected));
    });
  }

  it('every client with BYTES and FP32 inputs (the zoo\'s ColumnTransformer model): onnxruntime-python\'s outputs', async () => {
    const m = zooModel(zoo, 'ct_logreg_mixed');
    const ref = zooReferenceOutputs(zoo, m) as { label: number[]; probabilities: number[][] };
    // The first two test rows, as make_zoo.py wrote them (age, income, città, plan, zip).
    const csv: string[][] = [];
    const dec = new TextDecoder();
    await readCsv(join(zoo.dir, m.test), { header: () => {}, field: (col, b, start, end, row) => { if (row < 2) (csv[row] ??= [])[col] = dec.decode(b.subarray(start, end)); } });
    const request = {
      inputs: m.features.map((c, j) => ({
        name: c, datatype: m.inputs[j]!.type === 'string' ? 'BYTES' : 'FP32', shape: [2, 1],
        data: csv.map((r) => (m.inputs[j]!.type === 'string' ? r[j]! : Number(r[j]))),
      })),
      outputs: null,
    };
    for (const kind of ['triton-json', 'kserve', 'triton-binary', 'kserve-binary']) {
      const r = await client(kind, request, m.name, mixed.url);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
      const byName = Object.fromEntries(r.reply!.outputs.map((o) => [o.name, o]));
      expect(byName.label, kind).toMatchObject({ datatype: 'INT64', shape: [2], data: ref.label.slice(0, 2) });
      expect(byName.probabilities, kind).toMatchObject({ datatype: 'FP32', shape: [2, 2] });
      expect(Float32Array.from(byName.probabilities!.data as number[]), kind).toEqual(Float32Array.from(ref.probabilities.slice(0, 2).flat()));
    }
  });

  it('triton-json with a named requested output, and nested data in the request file', async () => {
    const r = await client('triton-json', { inputs: [{ name: 'float_input', datatype: 'FP32', shape: [rows.length, 10], data: rows }], outputs: ['variable'] });
    expect(r.code, r.stderr).toBe(0);
    expect(Float32Array.from(r.reply!.outputs[0]!.data as number[])).toEqual(Float32Array.from(expected));
  });

  it('a server-side refusal reaches stderr with exit 1 (unknown model: the server\'s 404 reason)', async () => {
    for (const kind of ['triton-json', 'kserve']) {
      const r = await client(kind, request(), 'no_such_model');
      expect(r.code, kind).toBe(1);
      expect(r.stderr, kind).toMatch(/no_such_model/);
    }
  });

  it('a malformed request file exits 2 naming what is wrong, without contacting the server', async () => {
    const r = await client('triton-json', { inputs: [{ name: 'float_input', datatype: 'FP32', shape: [2, 10], data: [1, 2, 3] }] });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/float_input.*3 values for shape \[2, 10\]/);
  });
});
