import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, OnnxModel, servedModelFrom } from '@mlship/sdk';
import { runPythonCodeJson } from '../harness/python.ts';
import { http, post, startServer } from '../server/helpers.ts';

// Issue 9, case 2 (fixed batch dimension): torch.onnx.export(model, torch.randn(1, F), …) without
// dynamic_axes — the common case — gives an input of shape [1, F]. Made here with the real torch; the
// expected outputs are torch's own on the same rows.
const EXPORT = String.raw`
import json, sys, torch
torch.manual_seed(0)
out = sys.argv[1]
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3), torch.nn.Softmax(dim=1))
torch.onnx.export(net, torch.randn(1, 4), f"{out}/fixed1.onnx", input_names=["input"], output_names=["probabilities"], opset_version=13)
X = torch.randn(37, 4)
with torch.no_grad(): P = net(X)
y = P.argmax(1)
with open(f"{out}/data.csv", "w") as f:
    f.write("a,b,c,d,target\n")
    for row, t in zip(X.tolist(), y.tolist()): f.write(",".join(repr(v) for v in row) + f",{t}\n")
json.dump({"rows": X.tolist(), "proba": P.tolist()}, sys.stdout)
`;

let work: string;
let ref: { rows: number[][]; proba: number[][] };
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-fixed-batch-'));
  ref = runPythonCodeJson(EXPORT, [work]);
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe('a model with a static batch of 1 (torch export without dynamic_axes)', () => {
  it('is detected at load, and predict runs any number of rows one at a time', async () => {
    const model = await OnnxModel.load(join(work, 'fixed1.onnx'));
    expect(model.signature.inputs[0]!.shape).toEqual([1, 4]);
    expect(model.staticBatch).toBe(1);
    const out = await model.predict(Float32Array.from(ref.rows.flat()), ref.rows.length);
    expect(out.probabilities!.dims).toEqual([37, 3]);
    Array.from(out.probabilities!.data as Float32Array).forEach((p, i) => expect(p).toBeCloseTo(ref.proba.flat()[i]!, 5));
  });

  it('evaluate batches to fit: accuracy 1 against torch\'s own argmax', async () => {
    const report = await evaluateModel({ model: join(work, 'fixed1.onnx'), data: join(work, 'data.csv'), task: 'multiclass', bootstrap: 0 });
    expect(report.metrics.accuracy).toBe(1);
  });

  it('the server never merges beyond 1 row per run: a 37-row request and 500 concurrent single-row requests all get 200', async () => {
    const { server, url } = await startServer(await servedModelFrom(join(work, 'fixed1.onnx')), { maxBatchSize: 64 });
    try {
      const many = await post(url, '/predict', { instances: ref.rows });
      expect(many.status).toBe(200);
      many.json.predictions.forEach((p: { probabilities: number[] }, i: number) => p.probabilities.forEach((q, j) => expect(q).toBeCloseTo(ref.proba[i]![j]!, 5)));
      const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => post(url, '/v2/models/fixed1/infer', {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: ref.rows[i % ref.rows.length] }],
      })));
      expect(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
      replies.forEach((r, i) => r.json.outputs[0].data.forEach((q: number, j: number) => expect(q).toBeCloseTo(ref.proba[i % ref.rows.length]![j]!, 5)));
      expect((await http(url, 'GET', '/v2/health/ready')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
