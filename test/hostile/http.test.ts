// Hostile HTTP requests against the real server (issue 15, findings 3 and 7): every case is a 4xx
// with a short reason, never a 5xx; deep nesting is refused before anything walks it; timeouts are 408.
import { connect } from 'node:net';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, servedModelFrom, type ModelServer } from '@mlship/sdk';
import { http, startServer, writeIrisPackage } from '../server/helpers.ts';
import { hostileRequests } from './requests.ts';

let tmp: string;
let server: ModelServer;
let url: string;
let logs: Array<Record<string, unknown>>;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-hostile-http-'));
  const pkg = await writeIrisPackage(join(tmp, 'pkg'));
  const started = await startServer(await servedModelFrom(pkg.dir), { bodyLimitBytes: 4 * 1024 * 1024, requestTimeoutMs: 1000 });
  ({ server, url, logs } = started);
});
afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Sends raw bytes, resolves with everything the server answered before it closed. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString(); });
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.once('connect', () => { s.write(text); });
  });
}

describe('hostile HTTP requests', () => {
  it('every case is a 4xx with a short reason (never a 5xx), on every route', { timeout: 300_000 }, async () => {
    const cases = hostileRequests('iris-rf', 'float_input', 4);
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const reply = await http(url, c.method, c.path, c.body, c.headers);
      expect(reply.status, `${c.name}: ${reply.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, c.name).toBeLessThan(500);
      if (c.status) expect(reply.status, c.name).toBe(c.status);
      if (c.error) expect(reply.json?.error, c.name).toMatch(c.error);
      expect(reply.text.length, `${c.name}: the reason quotes at most a short excerpt`).toBeLessThan(1000);
    }
    expect(logs.filter((l) => l.level === 'error'), 'no internal errors logged').toEqual([]);
  });

  it('refuses JSON nested 10^5 levels in any field with 400 naming the limit', async () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    for (const field of ['shape', 'name', 'datatype', 'data']) {
      const body = `{"inputs":[{"name":"float_input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4],"${field}":${deep}}]}`;
      const reply = await http(url, 'POST', '/v2/models/iris-rf/infer', body);
      expect(reply.status, field).toBe(400);
      expect(reply.json.error, field).toMatch(new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
    }
    const reply = await http(url, 'POST', '/predict', `{"instances":${deep}}`);
    expect(reply.status).toBe(400);
  });

  it('answers 408 when the headers or the body do not arrive in time', async () => {
    const headers = await raw('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: app');
    expect(headers).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(headers).toMatch(/not received within 1000 ms/);
    const body = await raw('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"inst');
    expect(body).toMatch(/^HTTP\/1\.1 408/);
  });
});
