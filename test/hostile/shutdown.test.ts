// Shutdown as Kubernetes does it (issue 15, finding 6), on a real `mlship serve` process: SIGTERM
// while keep-alive clients keep sending for a while (the Service still routes to the pod until the
// endpoints controller and kube-proxy catch up), then they move away. 0 requests may fail.
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIrisPackage } from '../server/helpers.ts';
import { buildCliBundle, serve, type Served } from './serve-process.ts';

let tmp: string;
let cli: Awaited<ReturnType<typeof buildCliBundle>>;
const running: Served[] = [];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-shutdown-'));
  cli = await buildCliBundle('shutdown');
  await writeIrisPackage(join(tmp, 'pkg'));
});
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await cli?.remove();
  await rm(tmp, { recursive: true, force: true });
});

interface Outcome { status?: number; connection?: string; error?: string }

function predict(agent: Agent, port: number): Promise<Outcome> {
  const body = JSON.stringify({ instances: [[6.1, 3.0, 4.9, 1.8]] });
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: String(res.headers.connection ?? '') }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([1, 2])('graceful shutdown under keep-alive load, %i worker(s)', (workers) => {
  it('SIGTERM: readiness fails first, the listener keeps serving for the delay, 0 failed requests, exit 0', { timeout: 120_000 }, async () => {
    const s = serve(cli.bundle, ['serve', join(tmp, 'pkg')], { MLSHIP_HOST: '127.0.0.1', MLSHIP_SHUTDOWN_DELAY: '3s', MLSHIP_DRAIN_TIMEOUT_MS: '10000', MLSHIP_WORKERS: String(workers) });
    running.push(s);
    const port = (await s.waitFor('listening')).port as number;
    await s.waitFor('ready');

    // 8 keep-alive clients, each one connection, sending back to back; bounded by count and by `stop`.
    const CLIENTS = 8;
    const MAX_PER_CLIENT = 3000;
    let stop = false;
    let sigtermAt = 0;
    // Every server process (the one server, or each worker) logs `draining` when it starts to; the
    // primary's signal reaches a worker over IPC, so requests between the kill and the worker's drain
    // are still keep-alive answers. `afterDrain`: every draining line had been read when it was sent.
    const drainingSeen = () => s.logs.filter((l) => l.msg === 'draining' && (workers === 1 || l.worker !== undefined)).length >= workers;
    const outcomes: Array<Outcome & { client: number; afterSigterm: boolean; afterDrain: boolean }> = [];
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < MAX_PER_CLIENT && !stop; i++) {
        const afterDrain = drainingSeen();
        const o = await predict(agent, port);
        outcomes.push({ ...o, client, afterSigterm: sigtermAt > 0, afterDrain });
      }
      agent.destroy();
    });
    // A kubelet readiness probe every 100 ms.
    const probes: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const o = await new Promise<number>((resolve) => {
          const req = request({ host: '127.0.0.1', port, path: '/v2/health/ready', agent: false }, (res) => { res.resume(); resolve(res.statusCode!); });
          req.on('error', () => resolve(0));
          req.end();
        });
        if (sigtermAt) probes.push(o);
        await sleep(100);
      }
    })();

    await sleep(1000);
    sigtermAt = Date.now();
    s.child.kill('SIGTERM');
    await s.waitFor('draining');
    // The Service keeps routing here for 1.5 s (endpoint removal lag), then the clients go elsewhere.
    await sleep(1500);
    stop = true;
    probing = false;
    await Promise.all([...clients, prober]);

    const failed = outcomes.filter((o) => o.error || o.status !== 200);
    const after = outcomes.filter((o) => o.afterSigterm);
    expect(outcomes.length).toBeGreaterThan(CLIENTS * 5);
    expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
    expect(after.length, 'requests kept being served after SIGTERM').toBeGreaterThan(CLIENTS);
    // A request sent once every process drains is answered with Connection: close (each keep-alive
    // client reconnects); only requests already sent before that may be answered keep-alive.
    expect(outcomes.some((o) => o.afterDrain), 'requests sent after every process had started to drain').toBe(true);
    expect(outcomes.filter((o) => o.afterDrain && o.connection !== 'close')).toEqual([]);
    // And every client was told to close (reconnected) before it stopped.
    for (let c = 0; c < CLIENTS; c++) expect(after.some((o) => o.client === c && o.connection === 'close'), `client ${c} was never told to close`).toBe(true);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((p) => p === 503), `readiness during the delay: ${probes.join(',')}`).toBe(true);

    expect(await s.exit).toEqual({ code: 0, signal: null });
    // With workers: each worker drains and closes its listener (its lines carry `worker`), the primary says stopped last.
    const order = s.logs.filter((l) => l.worker === undefined || l.msg === 'closing listener').map((l) => l.msg).filter((m) => ['draining', 'closing listener', 'stopped'].includes(m));
    expect(order).toEqual(['draining', ...Array<string>(workers).fill('closing listener'), 'stopped']);
    expect(s.logs.filter((l) => l.msg === 'worker stopped').map((l) => [l.drained, l.cut_requests])).toEqual(Array(workers > 1 ? workers : 0).fill([true, 0]));
    expect(s.logs.find((l) => l.msg === 'stopped')).toMatchObject({ drained: true, cut_requests: 0 });
  });
});
