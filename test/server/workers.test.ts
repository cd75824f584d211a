// `mlship serve --workers 2` as real processes (the CLI bundle: a node:cluster primary and two workers):
// both workers serve, /metrics sums them exactly, one inference log that `mlship evaluate --predictions`
// reads, a killed worker drops readiness until its replacement is ready, and the totals survive it.
// (SIGTERM under keep-alive load with several workers: test/hostile/shutdown.test.ts.)
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, serve, type Served } from '../hostile/serve-process.ts';
import { datasetRows, IRIS_CLASSES, writeIrisPackage } from './helpers.ts';

let tmp: string;
let cli: Awaited<ReturnType<typeof buildCliBundle>>;
const running: Served[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-workers-'));
  cli = await buildCliBundle('workers');
  await writeIrisPackage(join(tmp, 'pkg'));
}, 120_000);

afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await cli?.remove();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function call(agent: Agent | false, port: number, method: string, path: string, body?: string, timeout = 30_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, timeout, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** The value of one sample in an exposition (`name{labels}` exactly as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(check: () => Promise<boolean>, what = '', logs?: unknown[]): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    await new Promise((r) => setTimeout(r, 20));
    if (Date.now() - started > 60_000 && process.env.MLSHIP_TEST_DEBUG) { console.error(what, JSON.stringify(logs)); }
  }
}

describe('mlship serve --workers 2', () => {
  it('serves on both workers, sums their metrics, writes one inference log, replaces a killed worker', { timeout: 180_000 }, async () => {
    const log = join(tmp, 'log.csv');
    const s = serve(cli.bundle, ['serve', join(tmp, 'pkg'), '--workers', '2', '--inference-log', log, '--inference-log-predictions'], { MLSHIP_HOST: '127.0.0.1', MLSHIP_SHUTDOWN_DELAY: '200ms' });
    running.push(s);
    let step = 'start';
    const dump = setTimeout(() => console.error('DEBUG step', step, JSON.stringify(s.logs), s.stderr()), 100_000);
    const ready = await s.waitFor('ready');
    expect(ready).toMatchObject({ workers: 2, model: 'iris-rf', golden_rows: 3 });
    const port = s.logs.find((l) => l.msg === 'listening')!.port as number;
    const workers = s.logs.filter((l) => l.msg === 'worker ready');
    expect(workers.map((w) => w.worker).sort()).toEqual([0, 1]);
    const pids = workers.map((w) => w.pid as number);
    expect(new Set([...pids, s.child.pid]).size).toBe(3); // two worker processes besides the primary
    expect((await call(false, port, 'GET', '/v2/health/ready')).status).toBe(200);

    step = 'requests';
    // 8 keep-alive connections × 25 requests: the primary deals connections to the workers in turn.
    const { rows, table } = await datasetRows('iris');
    const CLIENTS = 8;
    const PER_CLIENT = 25;
    const answered = new Map<string, string>(); // row id → predicted label
    const truth = new Map<string, string>();
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < PER_CLIENT; i++) {
        const r = (c * PER_CLIENT + i) % rows.length;
        const id = `c${c}-${i}`;
        const res = await call(agent, port, 'POST', '/predict', JSON.stringify({ instances: [rows[r]], ids: [id] }));
        expect(res.status, res.text).toBe(200);
        answered.set(id, JSON.parse(res.text).predictions[0].label);
        truth.set(id, IRIS_CLASSES[table.target[r]!]!);
      }
      agent.destroy();
    }));
    const total = CLIENTS * PER_CLIENT;

    step = 'metrics';
    const metrics = (await call(false, port, 'GET', '/metrics')).text;
    execFileSync('promtool', ['check', 'metrics'], { input: metrics }); // valid exposition, Prometheus' own checker
    expect(sample(metrics, 'mlship_http_requests_total{route="/predict",method="POST",code="200"}')).toBe(total);
    expect(sample(metrics, 'mlship_inference_rows_total{model="iris-rf",version="1.2.0"}')).toBe(total);
    expect(sample(metrics, 'mlship_http_request_duration_seconds_count{route="/predict"}')).toBe(total);
    expect(sample(metrics, 'mlship_inference_log_rows_total')).toBe(total);
    expect(sample(metrics, 'mlship_model_ready{model="iris-rf",version="1.2.0"}')).toBe(1);
    expect(sample(metrics, 'mlship_workers_ready')).toBe(2);
    // Both processes served: each worker's own request count (the /metrics scrape is counted where it landed).
    const perWorker = [0, 1].map((w) => sample(metrics, `mlship_worker_requests_total{worker="${w}"}`)!);
    expect(perWorker.every((n) => n > 0), `requests per worker: ${perWorker.join(', ')}`).toBe(true);
    expect(perWorker[0]! + perWorker[1]!).toBe(total + 1); // + the readiness probe above (this scrape is counted once answered)

    // The one inference log: every answered row once, and `mlship evaluate --predictions` reads it.
    const logged = (await readFile(log, 'utf8')).trim().split('\n');
    expect(logged[0]).toBe('sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),prediction,id,time');
    expect(logged.length - 1).toBe(total);
    expect(new Set(logged.slice(1).map((l) => l.split(',')[5])).size).toBe(total);
    const labels = join(tmp, 'labels.csv');
    await writeFile(labels, `id,target\n${[...truth].map(([id, y]) => `${id},${y}`).join('\n')}\n`);
    const out = join(tmp, 'late.json');
    step = 'evaluate';
    const evaluate = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, [cli.bundle, 'evaluate', '--predictions', log, '--labels', labels, '--out', out], { stdio: 'ignore' }).on('exit', resolve);
    });
    expect(evaluate).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.join).toMatchObject({ predictions: total, labels: total, joined: total });
    const correct = [...answered].filter(([id, label]) => truth.get(id) === label).length;
    expect(report.overall.metrics.accuracy).toBeCloseTo(correct / total, 12); // the answers the clients got, scored

    // kill -9 one worker: readiness turns 503 (the other worker answers it) until the replacement is
    // ready. Probes like a kubelet's (a fresh connection, a short timeout: a connection the primary
    // handed to the worker as it died is never answered, a node:cluster limitation), every 10 ms.
    const probes: Array<{ at: number; status: number }> = [];
    let probing = true;
    const probe = () => call(false, port, 'GET', '/v2/health/ready', undefined, 250).then((r) => r.status, () => 0).then((status) => { probes.push({ at: Date.now(), status }); });
    const prober = (async () => {
      const inFlight = new Set<Promise<void>>();
      while (probing) {
        const p = probe().finally(() => inFlight.delete(p));
        inFlight.add(p);
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(inFlight);
    })();
    step = 'kill';
    const victim = pids[0]!;
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    step = 'workers ready';
    await s.waitFor('workers ready');
    step = 'ready 200';
    const readyAgainAt = Date.now();
    await until(async () => probes.some((p) => p.status === 200 && p.at > readyAgainAt));
    probing = false;
    await prober;
    const statuses = probes.filter((p) => p.at > killedAt).map((p) => p.status);
    expect(statuses.indexOf(503), `readiness after the kill: ${statuses.join(',')}`).toBeGreaterThanOrEqual(0);
    expect(statuses.lastIndexOf(200)).toBeGreaterThan(statuses.indexOf(503));
    const replacement = s.logs.filter((l) => l.msg === 'worker ready').at(-1)!;
    expect(replacement.worker).toBe(workers[0]!.worker);
    expect(pids).not.toContain(replacement.pid);
    expect(s.logs.find((l) => l.msg === 'worker exited; replacing it')).toMatchObject({ pid: victim, signal: 'SIGKILL' });
    const after = (await call(false, port, 'GET', '/metrics')).text;
    expect(sample(after, 'mlship_worker_restarts_total')).toBe(1);
    // What the killed worker counted (as of the last scrape) stays in the totals: they never go down.
    expect(sample(after, 'mlship_http_requests_total{route="/predict",method="POST",code="200"}')).toBe(total);

    step = 'sigterm';
    s.child.kill('SIGTERM');
    expect((await s.exit).code).toBe(0);
    clearTimeout(dump);
    expect(s.logs.at(-1)).toMatchObject({ msg: 'stopped', drained: true, workers: 2, restarts: 1, inference_log_rows: total });
  });

  it('a model that cannot load, or an inference log that cannot be written, stops every worker and exits 2', { timeout: 60_000 }, async () => {
    const bad = join(tmp, 'bad.onnx');
    await writeFile(bad, 'not an onnx model');
    const s = serve(cli.bundle, ['serve', bad, '--workers', '2'], {});
    running.push(s);
    expect((await s.exit).code).toBe(2);
    expect(s.logs.find((l) => l.msg === 'cannot serve')).toBeDefined();
    // An inference log the primary cannot append to (another model's header): exit 2 with the reason, never ready.
    const log = join(tmp, 'other.csv');
    await writeFile(log, 'a,b\n1,2\n');
    const t = serve(cli.bundle, ['serve', join(tmp, 'pkg'), '--workers', '2', '--inference-log', log], { MLSHIP_SHUTDOWN_DELAY: '0' });
    running.push(t);
    expect((await t.exit).code).toBe(2);
    expect(t.stderr()).toMatch(/other\.csv exists with a different header than this model's/);
    expect(t.logs.some((l) => l.msg === 'ready')).toBe(false);
  });
});
