import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bindColumns, compareOutputSets, describeMismatch, readCsvHeader, readModelTable, servedModelFrom, stringColumnsOf, tableBatch,
  OIP_DATATYPES, OnnxModel, type InputBatch, type RowValue,
} from '@mlship/sdk';
import { loadZoo, zooReferenceOutputs, type Zoo, type ZooModel } from '../harness/zoo.ts';
import { pythonBin } from '../harness/python.ts';
import { REPO_ROOT } from '../harness/run-action.ts';
import { post, startServer } from '../server/helpers.ts';

// Issue 9: every zoo model served (as a bare .onnx: its own labels, its inputs) answers with
// onnxruntime-python's outputs (zoo reference.outputs) over OIP JSON, the binary tensor data extension
// and the real clients from PyPI (python/oip_clients.py: tritonclient[http] binary and JSON, KServe's
// REST client), and /predict gives the native model's labels (reference.native_labels).
const run = promisify(execFile);
const CLIENTS = join(REPO_ROOT, 'python', 'oip_clients.py');
let zoo: Zoo;
let tmp: string;
beforeAll(async () => { zoo = await loadZoo(); tmp = await mkdtemp(join(tmpdir(), 'mlship-zoo-serve-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

/** The test rows as the model's inputs (the SDK's column → input rule, with the zoo's input_map). */
async function testBatch(m: ZooModel): Promise<InputBatch> {
  const model = await OnnxModel.load(join(zoo.dir, m.onnx));
  const targets = Array.isArray(m.target) ? m.target : [m.target];
  const features = (await readCsvHeader(join(zoo.dir, m.test))).filter((c) => !targets.includes(c));
  const bindings = bindColumns(model.signature.inputs, features, { inputMap: m.input_map ?? undefined, modelPath: m.onnx, dataPath: m.test });
  const table = await readModelTable(join(zoo.dir, m.test), { targets, stringColumns: stringColumnsOf(bindings), allowMissing: m.allow_missing });
  await model.session.release();
  return tableBatch(table, bindings);
}

function oipRequest(m: ZooModel, batch: InputBatch) {
  return {
    inputs: m.inputs.map((i) => {
      const data = batch.data[i.name]!;
      const width = data.length / batch.rows;
      return { name: i.name, datatype: OIP_DATATYPES[i.type], shape: [batch.rows, width], data: Array.from(data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v)) };
    }),
  };
}

/** OIP outputs (flat data + shape) as rows, for compare/outputs.ts. */
function rowsOf(outputs: Array<{ name: string; shape: number[]; data: unknown[] }>): Record<string, RowValue[]> {
  return Object.fromEntries(outputs.map((o) => {
    const rows = o.shape[0]!;
    const inner = rows ? o.data.length / rows : 0;
    const scalar = o.shape.length === 1 || inner === 1;
    return [o.name, Array.from({ length: rows }, (_, r) => (scalar ? o.data[r] : o.data.slice(r * inner, (r + 1) * inner)) as RowValue)];
  }));
}

function expectReference(m: ZooModel, actual: Record<string, RowValue[]>, via: string) {
  const expected = zooReferenceOutputs(zoo, m) as Record<string, RowValue[]>;
  const label = m.outputs.find((o) => o.role === 'label')?.name;
  const { failed } = compareOutputSets(expected, actual, { labelOutput: label });
  expect(failed && describeMismatch(failed, { expected: 'onnxruntime-python', actual: via }), `${m.name} via ${via}`).toBeUndefined();
}

async function client(kind: string, url: string, m: ZooModel, request: unknown) {
  const file = join(tmp, `${m.name}-${kind}.json`);
  await writeFile(file, JSON.stringify({ ...(request as object), outputs: null }));
  try {
    const { stdout } = await run(pythonBin(), [CLIENTS, '--url', url, '--model', m.name.replace(/_/g, '_'), '--request', file, '--client', kind, '--timeout', '60'], { maxBuffer: 1 << 26 });
    return JSON.parse(stdout) as { outputs: Array<{ name: string; shape: number[]; data: unknown[] }> };
  } catch (err) {
    throw new Error(`${kind} on ${m.name}: ${(err as { stderr?: string }).stderr ?? err}`);
  }
}

// The real clients on the models whose inputs exercise them: strings + several inputs, FP64, two numeric
// inputs, a fixed batch of 1, string labels. (KServe's client takes ~5 s to import, so not on every model.)
const CLIENT_MODELS = new Set(['ct_logreg_mixed', 'ridge_float64', 'torch_two_inputs', 'torch_fixed_batch', 'linsvc_strings']);

describe('serve: every zoo model answers with onnxruntime-python\'s outputs and the native labels', async () => {
  const { models } = await loadZoo();
  for (const m of models) {
    it(`${m.name} (${m.inputs.map((i) => `${i.name}:${i.type}`).join(', ')})`, async () => {
      const batch = await testBatch(m);
      const served = await servedModelFrom(join(zoo.dir, m.onnx), { name: m.name });
      const { server, url } = await startServer({ ...served, ...(m.allow_missing ? { allowMissing: true } : {}) }, { maxBatchSize: 64 });
      try {
        const request = oipRequest(m, batch);
        const json = await post(url, `/v2/models/${m.name}/infer`, request);
        expect(json.status, json.text).toBe(200);
        expectReference(m, rowsOf(json.json.outputs), 'OIP JSON');

        if (m.reference.native_labels) {
          const instances = Array.from({ length: batch.rows }, (_, r) => m.inputs.flatMap((i) => {
            const d = batch.data[i.name]! as ArrayLike<number | string>;
            const w = d.length / batch.rows;
            return Array.from({ length: w }, (_, j) => (typeof d[r * w + j] === 'number' && Number.isNaN(d[r * w + j]) ? null : d[r * w + j]));
          }));
          // /predict rows are in the served model's column order: for a bare .onnx, its inputs' order.
          const p = await post(url, '/predict', { instances });
          expect(p.status, p.text).toBe(200);
          expect(p.json.predictions.map((x: { label: unknown }) => x.label), `${m.name} /predict labels vs native predict()`).toEqual(m.reference.native_labels);
          if (m.classes) for (const x of p.json.predictions) if (x.classes) expect(x.classes).toEqual(m.classes);
        }

        if (CLIENT_MODELS.has(m.name)) {
          for (const kind of ['triton-binary', 'triton-json', 'kserve']) expectReference(m, rowsOf((await client(kind, url, m, request)).outputs), kind);
        }

        // 500 concurrent single-row requests (bounded: one burst), none may get a 5xx.
        const one = (r: number) => ({ inputs: request.inputs.map((i) => ({ ...i, shape: [1, i.shape[1]], data: i.data.slice(r * i.shape[1]!, (r + 1) * i.shape[1]!) })) });
        const replies = await Promise.all(Array.from({ length: 500 }, (_, k) => post(url, `/v2/models/${m.name}/infer`, one(k % batch.rows))));
        expect(replies.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text}`)).toEqual([]);
        expect(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`).slice(0, 3)).toEqual([]);
      } finally {
        await server.close();
      }
    });
  }
});
