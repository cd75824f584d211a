// A real Prometheus (Debian's /usr/bin/prometheus, installed by scripts/setup.sh) scrapes the model
// server's /metrics; its HTTP API must report the target up and our counter's value.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedModelFrom, type ModelServer } from '@mlship/sdk';
import { FIXTURES, post, startServer } from './helpers.ts';

const PROMETHEUS = '/usr/bin/prometheus';
let tmp: string;
let prom: ChildProcess | undefined;
let promLog = '';
let served: { server: ModelServer; url: string };

/** Prometheus needs an explicit port: ask the OS for a free one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function query(promUrl: string, q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = await res.json() as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  expect(body.status).toBe('success');
  return body.data.result;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; prometheus log:\n${promLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: run \`npm run setup\` (it installs Debian's prometheus package).`);
  tmp = await mkdtemp(join(tmpdir(), 'mlship-prom-'));
  served = await startServer(await servedModelFrom(join(FIXTURES, 'models/iris_rf.onnx')));
  const target = `127.0.0.1:${served.server.port}`;
  await writeFile(join(tmp, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mlship\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: ['${target}']\n`);
});

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    await exited;
  }
  await served?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('Prometheus scrapes /metrics', () => {
  it('reports the target up and the request counter value we served', async () => {
    for (let i = 0; i < 7; i++) expect((await post(served.url, '/predict', { instances: [[5.1, 3.5, 1.4, 0.2]] })).status).toBe(200);
    const port = await freePort();
    prom = spawn(PROMETHEUS, [
      `--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => { promLog += d; });
    prom.stderr!.on('data', (d) => { promLog += d; });
    const promUrl = `http://127.0.0.1:${port}`;
    const up = await until('up{job="mlship"} == 1', async () => {
      const r = await query(promUrl, 'up{job="mlship"}');
      return r[0]?.value[1] === '1' ? r[0] : undefined;
    });
    expect(up.metric.instance).toBe(`127.0.0.1:${served.server.port}`);
    const counter = await until('the /predict counter', async () => {
      const r = await query(promUrl, 'mlship_http_requests_total{route="/predict",code="200",method="POST"}');
      return r[0];
    });
    expect(Number(counter.value[1])).toBe(7);
    const buckets = await query(promUrl, 'mlship_http_request_duration_seconds_bucket{route="/predict",le="+Inf"}');
    expect(Number(buckets[0]!.value[1])).toBe(7);
    const load = await query(promUrl, 'mlship_model_load_seconds');
    expect(load[0]!.metric).toMatchObject({ model: 'iris_rf', version: '1' });
    expect(Number(load[0]!.value[1])).toBeGreaterThan(0);
    // Prometheus parsed every family: the scrape reported no errors and sampled our metrics.
    const samples = await query(promUrl, 'scrape_samples_scraped{job="mlship"}');
    expect(Number(samples[0]!.value[1])).toBeGreaterThan(40);
  });
});
