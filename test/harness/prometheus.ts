// A real Prometheus (Debian's /usr/bin/prometheus, installed by scripts/setup.sh) on 127.0.0.1 for tests:
// started with a config the test writes, queried over its HTTP API, stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PROMETHEUS = '/usr/bin/prometheus';

export interface QueryResult { metric: Record<string, string>; value: [number, string] }

export interface RunningPrometheus {
  url: string;
  /** Instant query; throws with Prometheus' error for a bad query. */
  query(q: string): Promise<QueryResult[]>;
  /** Resolves when `fn` returns a value (polling every 250 ms), or throws after `timeoutMs` with the log tail. */
  until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Prometheus needs an explicit port: ask the OS for a free one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts Prometheus on `config` (YAML text) with its data in `dir`. */
export async function startPrometheus(dir: string, config: string): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: run \`npm run setup\` (it installs Debian's prometheus package).`);
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => { log += d; });
  child.stderr!.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const query = async (q: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = await res.json() as { status: string; error?: string; data: { result: QueryResult[] } };
    if (body.status !== 'success') throw new Error(`query failed: ${body.error}\n${q}`);
    return body.data.result;
  };
  const until = async <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined) return v;
      } catch (err) { last = err; }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}; prometheus log:\n${log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, query, until, stop };
}
