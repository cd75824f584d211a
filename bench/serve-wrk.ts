// wrk (Debian's wrk 4) as the load generator for the serving benchmark and the server's load test:
// argument list and Lua script built by pure functions, the run in one place (runProcess, no shell),
// the result parsed from the JSON line our Lua `done` hook prints.
import { writeFile } from 'node:fs/promises';
import { runProcess } from '../packages/sdk/src/util/process.ts';

export interface WrkOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** wrk threads (default 1: on 2 cores, the second core is the server's). */
  threads?: number;
  /** Path of the Lua script (wrkScript's text). */
  script: string;
  /** Pin wrk to these CPUs with taskset (e.g. "1"). */
  cpus?: string;
  timeoutSeconds?: number;
}

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds (wrk's corrected histogram). */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors (connect/read/write/timeout) and non-2xx/3xx responses. */
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
}

/** A wrk Lua script that POSTs `body` as JSON and prints the summary as one `MLSHIP_WRK {json}` line. */
export function wrkScript(body: string): string {
  if (body.includes(']==]')) throw new Error('body contains the Lua long-bracket terminator');
  return `wrk.method = "POST"
wrk.body = [==[${body}]==]
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('MLSHIP_WRK {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;
}

export async function writeWrkScript(path: string, body: string): Promise<string> {
  await writeFile(path, wrkScript(body));
  return path;
}

/** The command line: [program, ...args] (taskset-wrapped when pinned). */
export function wrkCommand(o: WrkOptions): [string, string[]] {
  const args = [`-t${o.threads ?? 1}`, `-c${o.connections}`, `-d${o.durationSeconds}s`, `--timeout`, `${o.timeoutSeconds ?? 10}s`, '-s', o.script, o.url];
  return o.cpus ? ['taskset', ['-c', o.cpus, 'wrk', ...args]] : ['wrk', args];
}

/** Parses the MLSHIP_WRK line of wrk's stdout. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('MLSHIP_WRK '));
  if (!line) throw new Error(`wrk printed no MLSHIP_WRK summary line:\n${stdout.slice(-2000)}`);
  const j = JSON.parse(line.slice('MLSHIP_WRK '.length)) as Record<string, number>;
  const seconds = j.duration_us! / 1e6;
  return {
    requests: j.requests!, durationSeconds: seconds, requestsPerSecond: j.requests! / seconds,
    p50Ms: j.p50_us! / 1000, p90Ms: j.p90_us! / 1000, p99Ms: j.p99_us! / 1000, maxMs: j.max_us! / 1000,
    errors: { connect: j.connect!, read: j.read!, write: j.write!, timeout: j.timeout!, status: j.status! },
  };
}

export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const [cmd, args] = wrkCommand(o);
  const res = await runProcess(cmd, args, { timeoutMs: (o.durationSeconds + 30) * 1000 });
  if (res.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.code}: ${res.stderr || res.stdout}`);
  return parseWrkOutput(res.stdout);
}
