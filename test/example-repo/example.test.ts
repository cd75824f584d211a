// The example repository's whole flow, as a user runs it from a shell: train with scikit-learn
// (python), evaluate with the quality gate, package, serve, smoke-test the server, send traffic whose
// inputs are logged, and check drift of that log against the training reference — all with the
// `mlship` CLI bundle, on Node 24.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';
import { pythonBin } from '../harness/python.ts';

const CLI = join(REPO_ROOT, 'packages/cli/dist/mlship.js');
const EXAMPLE = join(REPO_ROOT, 'example-repo');
let work: string;
let server: ChildProcess | undefined;
let url = '';

function mlship(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-example-'));
});
afterAll(async () => {
  server?.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
});

describe('example-repo, end to end', () => {
  it('trains the model with scikit-learn and exports ONNX', () => {
    const out = execFileSync(pythonBin(), [join(EXAMPLE, 'train.py'), '--data', join(EXAMPLE, 'data/train.csv'), '--out', join(work, 'model.onnx')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ model: join(work, 'model.onnx'), train_rows: 455, features: 30 });
  });

  it('passes the quality gate of the ml workflow, and a too-strict gate fails with exit 1', async () => {
    const ok = mlship(['evaluate', '--model', 'model.onnx', '--data', join(EXAMPLE, 'data/test.csv'), '--threshold', 'accuracy>=0.95, f1_macro>=0.94, roc_auc>=0.98', '--out', 'metrics.json']);
    expect(ok.code, ok.stderr).toBe(0);
    const metrics = JSON.parse(await readFile(join(work, 'metrics.json'), 'utf8'));
    expect(metrics.task).toBe('binary');
    expect(metrics.n).toBe(114);
    expect(metrics.gate.passed).toBe(true);
    const strict = mlship(['evaluate', '--model', 'model.onnx', '--data', join(EXAMPLE, 'data/test.csv'), '--threshold', 'accuracy>=0.999']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/accuracy/);
  });

  it('packages the model with its metrics and golden rows', () => {
    const r = mlship(['serialize', '--model', 'model.onnx', '--name', 'breast-cancer-classifier', '--version', '1.0.0', '--out', 'pkg',
      '--features-from', join(EXAMPLE, 'data/train.csv'), '--sample', join(EXAMPLE, 'data/test.csv'), '--metrics-file', 'metrics.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const verify = mlship(['package', 'verify', 'pkg']);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('serves the package, and the smoke test reproduces its golden rows over HTTP', async () => {
    server = spawn(process.execPath, [CLI, 'serve', 'pkg', '--port', '0', '--inference-log', 'inference.csv'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: server.stdout! });
    for await (const line of lines) {
      const entry = JSON.parse(line) as { msg: string; port?: number };
      if (entry.msg === 'listening') url = `http://127.0.0.1:${entry.port}`;
      if (entry.msg === 'ready') break;
    }
    expect(url).not.toBe('');
    const smoke = mlship(['smoke', '--url', url, 'pkg']);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(JSON.parse(smoke.stdout).passed).toBe(true);
  });

  it('logs the served rows, and drift-check reads that log: shifted traffic drifts, test traffic does not', async () => {
    const test = (await readFile(join(EXAMPLE, 'data/test.csv'), 'utf8')).trim().split('\n');
    const rows = test.slice(1).map((l) => l.split(',').slice(0, -1).map(Number));
    const send = async (instances: number[][]) => {
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances }) });
      expect(res.status).toBe(200);
    };
    await send(rows);
    // The log's columns are the model's features; the reference also has `segment`. Without saying
    // which columns to compare, that is an error naming the column; excluding it compares the rest.
    const log = join(work, 'inference.csv');
    const mismatch = mlship(['drift', '--reference', join(EXAMPLE, 'data/drift-reference.csv'), '--current', log, '--out', 'x.json']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/only in the reference .*"segment"/);
    const calm = mlship(['drift', '--reference', join(EXAMPLE, 'data/drift-reference.csv'), '--current', log, '--exclude', 'segment', '--out', 'calm.json']);
    expect(calm.code, calm.stderr).toBe(0);
    const calmReport = JSON.parse(await readFile(join(work, 'calm.json'), 'utf8'));
    expect(calmReport.summary.dataset_drift).toBe(false);
    expect(calmReport.summary.n_columns).toBe(30);

    // Traffic from another population: every feature scaled by 1.5.
    server!.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = spawn(process.execPath, [CLI, 'serve', 'pkg', '--port', '0', '--inference-log', 'shifted.csv'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
    for await (const line of createInterface({ input: server.stdout! })) {
      const entry = JSON.parse(line) as { msg: string; port?: number };
      if (entry.msg === 'listening') url = `http://127.0.0.1:${entry.port}`;
      if (entry.msg === 'ready') break;
    }
    await send(rows.map((r) => r.map((v) => v * 1.5)));
    const drifted = mlship(['drift', '--reference', join(EXAMPLE, 'data/drift-reference.csv'), '--current', join(work, 'shifted.csv'), '--exclude', 'segment', '--out', 'drift.json', '--fail-on-drift']);
    expect(drifted.code).toBe(1);
    const report = JSON.parse(await readFile(join(work, 'drift.json'), 'utf8'));
    expect(report.summary.dataset_drift).toBe(true);
    expect(report.current.rows).toBe(rows.length);
  });
});
