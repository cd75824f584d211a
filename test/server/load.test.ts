// Load test with wrk (Debian's wrk, installed by scripts/setup.sh): 16 concurrent connections for two
// seconds against the batching server. No speed assertions (speed lives in `npm run bench -- serve`):
// every response must be a 200, no socket errors, and dynamic batching must have merged requests.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedModelFrom, type ModelServer } from '@mlship/sdk';
import { parseWrkOutput, runWrk, wrkCommand, wrkScript, writeWrkScript } from '../../bench/serve-wrk.ts';
import { datasetRows, FIXTURES, get, inferBody } from './helpers.ts';
import { startServer } from './helpers.ts';

let tmp: string;
let served: { server: ModelServer; url: string };

beforeAll(async () => {
  if (!existsSync('/usr/bin/wrk')) throw new Error('/usr/bin/wrk is missing: run `npm run setup` (Debian package wrk).');
  tmp = await mkdtemp(join(tmpdir(), 'mlship-load-'));
  served = await startServer(await servedModelFrom(join(FIXTURES, 'models/digits_mlp.onnx')), { maxBatchSize: 64 });
});

afterAll(async () => {
  await served?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('wrk helpers', () => {
  it('builds the command line, pinned or not', () => {
    expect(wrkCommand({ url: 'http://127.0.0.1:1/x', connections: 16, durationSeconds: 3, script: 's.lua' }))
      .toEqual(['wrk', ['-t1', '-c16', '-d3s', '--timeout', '10s', '-s', 's.lua', 'http://127.0.0.1:1/x']]);
    expect(wrkCommand({ url: 'u', connections: 1, durationSeconds: 1, script: 's', cpus: '1', threads: 2 })[1].slice(0, 4)).toEqual(['-c', '1', 'wrk', '-t2']);
  });

  it("parses the summary line our Lua hook prints (the format of wrkScript's done hook)", () => {
    const captured = 'Running 2s test @ http://127.0.0.1:40000/v2/models/m/infer\n  1 threads and 16 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     1.23ms  300.00us   9.87ms   80.00%\nMLSHIP_WRK {"requests":24000,"duration_us":2000000,"connect":0,"read":0,"write":0,"status":3,"timeout":0,"p50_us":1100,"p90_us":1500,"p99_us":2500,"max_us":9870}\n';
    expect(parseWrkOutput(captured)).toEqual({
      requests: 24000, durationSeconds: 2, requestsPerSecond: 12000, p50Ms: 1.1, p90Ms: 1.5, p99Ms: 2.5, maxMs: 9.87,
      errors: { connect: 0, read: 0, write: 0, timeout: 0, status: 3 },
    });
    expect(() => parseWrkOutput('Running 2s test')).toThrow(/no MLSHIP_WRK summary/);
    expect(wrkScript('{"a":1}')).toContain('wrk.body = [==[{"a":1}]==]');
  });
});

describe('load test', () => {
  it('16 connections for 2 s: all 200, no socket errors, requests merged into batches', async () => {
    const { rows } = await datasetRows('digits');
    const script = await writeWrkScript(join(tmp, 'infer.lua'), JSON.stringify(inferBody('input', [rows[0]!])));
    const r = await runWrk({ url: `${served.url}/v2/models/digits_mlp/infer`, connections: 16, durationSeconds: 2, script });
    expect(r.requests).toBeGreaterThan(0);
    expect(r.errors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0, status: 0 });
    const m = served.server.metrics;
    const batches = m.batchRequests.snapshot();
    expect(m.requests.get({ route: '/v2/models/{name}/infer', method: 'POST', code: '200' })).toBeGreaterThanOrEqual(r.requests);
    expect(batches.sum).toBeGreaterThan(batches.count); // on average more than one request per onnxruntime run
    expect((await get(served.url, '/v2/health/ready')).status).toBe(200);
  });
});
