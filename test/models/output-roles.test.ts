import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, InputError, serialize, servedModelFrom } from '@mlship/sdk';
import { runCli } from '../harness/cli.ts';
import { pythonBin, runPythonCodeJson } from '../harness/python.ts';
import { loadLabelModels } from '../harness/zoo.ts';
import { post, startServer } from '../server/helpers.ts';

// TRYOUT-REPORT A5 and A7: one output-role rule (model/output-roles.ts) for evaluate, serialize and the
// server, proved on real torch.onnx exports and a TorchScript file (python/make_label_models.py).
// Expected values: onnxruntime-python's outputs on the test rows, sklearn.metrics on them.
const REFERENCE = String.raw`
import json, sys, numpy as np, pandas as pd, onnxruntime as ort
from sklearn import metrics as M
model, csv, target = sys.argv[1], sys.argv[2], sys.argv[3]
df = pd.read_csv(csv)
y = df[target].to_numpy()
sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
(out,) = sess.run(None, {"input": df.drop(columns=[target]).to_numpy(np.float32)})
out = out.astype(np.float64)
res = {"first": out[:3].tolist()}
if out.shape[1] == 1 and target == "label":
    p = out[:, 0]
    lab = (p > 0.5).astype(int)
    res.update(accuracy=M.accuracy_score(y, lab), f1=M.f1_score(y, lab), roc_auc=M.roc_auc_score(y, p),
               log_loss=M.log_loss(y, np.stack([1 - p, p], axis=1), labels=[0, 1]))
elif out.shape[1] == 1:
    res.update(rmse=M.root_mean_squared_error(y, out[:, 0]), r2=M.r2_score(y, out[:, 0]))
else:
    lab = out.argmax(axis=1)
    res.update(accuracy=M.accuracy_score(y, lab), f1=M.f1_score(y, lab), labels=lab[:3].tolist())
    if np.allclose(out.sum(axis=1), 1, atol=1e-3) and (out >= 0).all():
        res.update(roc_auc=M.roc_auc_score(y, out[:, 1]), log_loss=M.log_loss(y, out, labels=[0, 1]))
print(json.dumps(res))
`;
type Ref = Record<string, number> & { first: number[][]; labels?: number[] };

let dir: string;
let work: string;
let models: Record<string, string>;
beforeAll(async () => {
  const lm = await loadLabelModels();
  dir = lm.dir;
  models = lm.models.torch as Record<string, string>;
  work = await mkdtemp(join(tmpdir(), 'mlship-roles-'));
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const ref = (model: string, csv: string, target: string) => runPythonCodeJson<Ref>(REFERENCE, [join(dir, model), join(dir, csv), target]);

function expectClose(actual: Record<string, unknown>, expected: Ref, names: string[]): void {
  for (const n of names) expect(Math.abs((actual[n] as number) - expected[n]!), `${n}: ${String(actual[n])} vs sklearn ${expected[n]}`).toBeLessThanOrEqual(1e-6);
}

/** The three paths on one model: evaluate's task, serialize's roles, the bare .onnx server's first /predict rows. */
async function paths(file: string, csv: string, target: string, extra: { format?: 'onnx' | 'torchscript'; model?: string } = {}) {
  const report = await evaluateModel({ model: join(dir, file), data: join(dir, csv), target, bootstrap: 0 });
  const out = join(work, `${file}-${extra.format ?? 'onnx'}`);
  const pkg = await serialize({
    model: join(dir, extra.model ?? file), format: extra.format ?? 'onnx', out, name: 'm', version: '1',
    featuresFrom: join(dir, csv), target, python: pythonBin(),
  });
  return { report, pkg, out };
}

async function predictFirst(source: string, csv: string, target: string): Promise<{ status: number; json: any; task: string }> {
  const { readFile } = await import('node:fs/promises');
  const lines = (await readFile(join(dir, csv), 'utf8')).trim().split('\n');
  const header = lines[0]!.split(',');
  const t = header.indexOf(target);
  const instances = lines.slice(1, 4).map((l) => l.split(',').filter((_, j) => j !== t).map(Number));
  const opts = await servedModelFrom(source);
  const { server, url } = await startServer(opts);
  try {
    const r = await post(url, '/predict', { instances });
    return { status: r.status, json: r.json, task: (server as unknown as { model?: { task?: string } }).model?.task ?? '' };
  } finally {
    await server.close();
  }
}

describe('one output-role rule for evaluate, serialize and the server', () => {
  it('logits [N, 2] named `logits`: a classifier scored by argmax, no probabilities', async () => {
    const r = ref(models.logits!, 'torch_bin.test.csv', 'label');
    const { report, pkg, out } = await paths(models.logits!, 'torch_bin.test.csv', 'label');
    expect(report.task).toBe('binary');
    expectClose(report.metrics, r, ['accuracy', 'f1']);
    expect(report.not_computed.roc_auc).toMatch(/not a probability distribution/);
    expect(pkg.manifest.task).toBe('classification');
    expect(pkg.manifest.outputRoles).toEqual({ scores: 'logits' });
    for (const source of [join(dir, models.logits!), out]) {
      const p = await predictFirst(source, 'torch_bin.test.csv', 'label');
      expect(p.status, source).toBe(200);
      expect(p.json.predictions.map((x: { label: number }) => x.label), source).toEqual(r.labels);
      expect(p.json.predictions[0].probabilities, source).toBeUndefined();
    }
  });

  it('a softmax [N, 2] named `output` (ONNX and TorchScript): probabilities in all three paths', async () => {
    const r = ref(models.softmax_output!, 'torch_bin.test.csv', 'label');
    const { report, pkg, out } = await paths(models.softmax_output!, 'torch_bin.test.csv', 'label');
    expectClose(report.metrics, r, ['accuracy', 'f1', 'roc_auc', 'log_loss']);
    expect(pkg.manifest.outputRoles).toEqual({ probabilities: 'output' });
    const ts = await paths(models.softmax_output!, 'torch_bin.test.csv', 'label', { format: 'torchscript', model: models.softmax_torchscript! });
    expect(ts.pkg.manifest.outputRoles).toEqual({ probabilities: 'output' });
    expect(ts.pkg.warnings.join('\n')).not.toMatch(/class scores/);
    for (const source of [join(dir, models.softmax_output!), out, ts.out]) {
      const p = await predictFirst(source, 'torch_bin.test.csv', 'label');
      expect(p.status, source).toBe(200);
      const first = p.json.predictions[0] as { label: number; classes: number[]; probabilities: number[] };
      expect(first.classes, source).toEqual([0, 1]);
      first.probabilities.forEach((v, j) => expect(Math.abs(v - r.first[0]![j]!), source).toBeLessThan(1e-6));
    }
  });

  for (const key of ['sigmoid', 'sigmoid_probabilities'] as const) {
    it(`a sigmoid [N, 1] named like a probability (${key}): a binary classifier, p(class 1)`, async () => {
      const r = ref(models[key]!, 'torch_bin.test.csv', 'label');
      const { report, pkg, out } = await paths(models[key]!, 'torch_bin.test.csv', 'label');
      expect(report.task).toBe('binary');
      expectClose(report.metrics, r, ['accuracy', 'f1', 'roc_auc', 'log_loss']);
      expect(pkg.manifest.task).toBe('classification');
      expect(pkg.manifest.classLabels).toEqual([0, 1]);
      for (const source of [join(dir, models[key]!), out]) {
        const p = await predictFirst(source, 'torch_bin.test.csv', 'label');
        expect(p.status, `${source}: ${JSON.stringify(p.json)}`).toBe(200);
        const first = p.json.predictions[0] as { label: number; probabilities: number[] };
        const p1 = r.first[0]![0]!;
        expect(first.label).toBe(p1 > 0.5 ? 1 : 0);
        expect(Math.abs(first.probabilities[1]! - p1)).toBeLessThan(1e-6);
        expect(Math.abs(first.probabilities[0]! - (1 - p1))).toBeLessThan(1e-6);
      }
      // mlship predict (batch scoring, the CLI bundle) on the package: label, proba_0, proba_1.
      const csv = join(work, `${key}.pred.csv`);
      const run = await runCli(['predict', '--package', out, '--data', join(dir, 'torch_bin.test.csv'), '--out', csv, '--workers', '1', '--quiet'], work);
      expect(run.code, run.stderr).toBe(0);
      const { readFile } = await import('node:fs/promises');
      const lines = (await readFile(csv, 'utf8')).trim().split('\n');
      expect(lines[0]).toBe('label,proba_0,proba_1');
      const [label, q0, q1] = lines[1]!.split(',').map(Number);
      expect(label).toBe(r.first[0]![0]! > 0.5 ? 1 : 0);
      expect(Math.abs(q1! - r.first[0]![0]!)).toBeLessThan(1e-6);
      expect(Math.abs(q0! + q1! - 1)).toBeLessThan(1e-6);
    });
  }

  it('--task binary for one number in [0, 1] named `output`; refused for a regressor\'s values', async () => {
    const r = ref(models.sigmoid!, 'torch_bin.test.csv', 'label');
    const auto = await evaluateModel({ model: join(dir, models.sigmoid_output!), data: join(dir, 'torch_bin.test.csv'), target: 'label', bootstrap: 0 });
    expect(auto.task).toBe('regression');
    const bin = await evaluateModel({ model: join(dir, models.sigmoid_output!), data: join(dir, 'torch_bin.test.csv'), target: 'label', bootstrap: 0, task: 'binary' });
    expect(bin.task).toBe('binary');
    expectClose(bin.metrics, r, ['accuracy', 'f1', 'roc_auc', 'log_loss']);
    // The regressor's values (outside [0, 1]) on the same rows are no probability.
    const reg = join(work, 'reg.onnx');
    await copyFile(join(dir, models.regression!), reg);
    const err = await evaluateModel({ model: reg, data: join(dir, 'torch_reg.test.csv'), target: 'y', bootstrap: 0, task: 'binary' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
  });

  it('a plain [N, 1] regression output named `output` stays regression in all three paths', async () => {
    const r = ref(models.regression!, 'torch_reg.test.csv', 'y');
    const { report, pkg, out } = await paths(models.regression!, 'torch_reg.test.csv', 'y');
    expect(report.task).toBe('regression');
    expectClose(report.metrics, r, ['rmse', 'r2']);
    expect(pkg.manifest.task).toBe('regression');
    expect(pkg.manifest.outputRoles).toEqual({ value: 'output' });
    for (const source of [join(dir, models.regression!), out]) {
      const p = await predictFirst(source, 'torch_reg.test.csv', 'y');
      expect(p.status).toBe(200);
      expect(Math.abs((p.json.predictions[0] as number) - r.first[0]![0]!)).toBeLessThan(1e-5);
    }
  });
});
