// `mlship serve` as the image runs it: the esbuild CLI bundle in a child process, configured by
// MLSHIP_* environment variables, JSON logs on stdout; SIGTERM drains in-flight requests and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error: a plain .mjs module without declarations
import { bundleOptions } from '../../scripts/esbuild-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';
import { FIXTURES, get, writeIrisPackage } from './helpers.ts';

// Built beside the real bundle (packages/cli/dist) so it resolves onnxruntime-node the same way; same
// esbuild options as scripts/build.mjs.
const bundle = join(REPO_ROOT, 'packages/cli/dist', `.test-mlship-${process.pid}.js`);
let tmp: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-serve-cli-'));
  await build({ ...bundleOptions, entryPoints: [join(REPO_ROOT, 'packages/cli/src/main.ts')], outfile: bundle });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(bundle, { force: true });
  await rm(tmp, { recursive: true, force: true });
});

interface Served { child: ChildProcess; logs: Array<Record<string, any>>; stderr: () => string; waitFor: (msg: string) => Promise<Record<string, any>>; exit: Promise<number | null> }

function serve(args: string[], env: Record<string, string>): Served {
  const child = spawn(process.execPath, [bundle, 'serve', ...args], { env: { ...process.env, MLSHIP_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const logs: Array<Record<string, any>> = [];
  const waiters: Array<{ msg: string; resolve: (l: Record<string, any>) => void }> = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const obj = JSON.parse(line); // every stdout line must be a JSON object
      logs.push(obj);
      for (const w of waiters.filter((w) => w.msg === obj.msg)) w.resolve(obj);
    }
  });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, logs, stderr: () => err, exit,
    waitFor: (msg) => {
      const seen = logs.find((l) => l.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ msg, resolve });
        exit.then((code) => reject(new Error(`server exited (${code}) before logging "${msg}": ${err}\n${JSON.stringify(logs)}`)));
      });
    },
  };
}

/** Polls `check` every 20 ms until it holds (the test's own timeout bounds the wait). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

function rawSocket(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => { text += d.toString(); });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

describe('mlship serve (CLI bundle, child process)', () => {
  it('serves a package with env config, drains an in-flight request on SIGTERM, refuses new connections and exits 0', async () => {
    await writeIrisPackage(join(tmp, 'pkg'));
    const s = serve([join(tmp, 'pkg')], { MLSHIP_MAX_BATCH: '8', MLSHIP_HOST: '127.0.0.1', MLSHIP_LOG_LEVEL: 'info', MLSHIP_SHUTDOWN_DELAY: '0', MLSHIP_WORKERS: '1' }); // one process (the exact single-process drain; test/server/workers.test.ts drains several); no delay: the listener closes at once
    const listening = await s.waitFor('listening');
    const ready = await s.waitFor('ready');
    expect(ready).toMatchObject({ level: 'info', model: 'iris-rf', version: '1.2.0', golden_rows: 3, max_batch: 8 });
    const url = `http://127.0.0.1:${listening.port}`;
    expect((await get(url, '/v2/health/ready')).status).toBe(200);

    // A request whose body is only half sent: in flight when SIGTERM arrives.
    const body = JSON.stringify({ inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.1, 3.0, 4.9, 1.8] }] });
    const slow = await rawSocket(listening.port);
    slow.socket.write(`POST /v2/models/iris-rf/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`);
    // An idle keep-alive connection: closed by the drain.
    const idle = await rawSocket(listening.port);
    idle.socket.write('GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => /^HTTP\/1\.1 200/.test(idle.received()));
    // The server is handling the half-sent request (in flight: it + this scrape).
    await until(async () => /mlship_http_requests_in_flight 2/.test((await get(url, '/metrics')).text));

    s.child.kill('SIGTERM');
    const draining = await s.waitFor('draining');
    expect(draining).toMatchObject({ reason: 'SIGTERM', in_flight: 1 });
    await idle.closed; // the idle keep-alive was closed
    // The listener is closed: refused, or reset when the connection raced the close (no shutdown delay here).
    await expect(get(url, '/v2/health/live')).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);

    slow.socket.write(body.slice(20));
    await slow.closed;
    const reply = slow.received();
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply).toMatch(/Connection: close/i);
    expect(reply).toMatch(/"outputs":\[\{"name":"label","shape":\[1\],"datatype":"INT64","data":\[2\]\}/); // row 2 of iris/test.csv, target 2

    expect(await s.exit).toBe(0);
    expect(s.logs.at(-1)).toMatchObject({ msg: 'stopped', drained: true });
  });

  it('serves a bare .onnx and answers readiness only once ready', async () => {
    const s = serve([join(FIXTURES, 'models/diabetes_gbr.onnx'), '--model-name', 'diabetes'], {});
    const ready = await s.waitFor('ready');
    expect(ready).toMatchObject({ model: 'diabetes', version: '1', task: 'regression', golden_rows: 0 });
    const listening = s.logs.find((l) => l.msg === 'listening')!;
    expect(listening.host).toBe('127.0.0.1'); // loopback unless MLSHIP_HOST / --host says otherwise
    const meta = await get(`http://127.0.0.1:${listening.port}`, '/v2/models/diabetes');
    expect(meta.json.outputs).toEqual([{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }]);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });

  it('exits 2 with the reason when the model cannot be served', async () => {
    const missing = serve([join(tmp, 'nope.onnx')], {});
    expect(await missing.exit).toBe(2);
    expect(missing.stderr()).toMatch(/nope\.onnx does not exist; pass a model package/);
    const badEnv = serve([join(FIXTURES, 'models/iris_rf.onnx')], { MLSHIP_MAX_BATCH: 'lots' });
    expect(await badEnv.exit).toBe(2);
    expect(badEnv.stderr()).toMatch(/MLSHIP_MAX_BATCH="lots" is not a whole number/);
    const zipmapOnly = serve([join(FIXTURES, 'models/iris_rf_zipmap.onnx')], {});
    await zipmapOnly.waitFor('ready'); // the label output is servable; the ZipMap output is skipped with a warning
    expect(zipmapOnly.logs.some((l) => l.level === 'warn' && /ZipMap/.test(l.msg))).toBe(true);
    zipmapOnly.child.kill('SIGTERM');
    expect(await zipmapOnly.exit).toBe(0);
  });
});
