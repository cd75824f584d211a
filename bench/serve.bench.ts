// `npm run bench -- serve`: the model server under load, against its peers, in one run.
//
// Servers (each serves the same model and answers the same OIP V2 infer JSON, one row per request):
//   mlship --workers 2   `node packages/cli/dist/mlship.js serve MODEL --workers 2` (the CLI bundle the image runs):
//                        two worker processes on one port, batching on (max batch 64) — the headline
//   mlship --workers 1   the same in one process (batching): what the workers add
//   mlship, 2 threads    one process, MLSHIP_INTRA_OP_THREADS=2: onnxruntime's threads instead of processes
//   naive Node           bench/naive-onnx-server.ts: node:http + onnxruntime-node defaults, one session.run per request
//   FastAPI --workers 2  python/peer_fastapi_server.py: FastAPI + uvicorn --workers 2 (uvloop/httptools) + onnxruntime
// Load: wrk -t1 with a Lua script POSTing the body, at 1, 16 and 64 connections, on the same 2 cores as
// the servers (nothing pinned: the multi-process servers are meant to use both cores; wrk takes its
// share from all alike). All servers of a model run at once and are measured in interleaved rounds
// (median of BENCH_SERVE_ROUNDS, default 3), so load from other processes hits every server alike.
// Server CPU per request counts the whole process tree (a primary and its workers); the verdict also gives the primary's own share.
// Cold start: spawn → the "ready" log line (model loaded, golden row run; with workers: every worker), median of BENCH_SERVE_COLD (3).
// Writes bench/out/serve.md (tables + verdict) and bench/out/serve.json.
// Env: BENCH_SERVE_SECONDS (default 4), BENCH_SERVE_ROUNDS (3), BENCH_SERVE_MODELS (digits_mlp,iris_rf), BENCH_SERVE_COLD (3).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error: a plain .mjs module without declarations
import { bundleOptions } from '../scripts/esbuild-options.mjs';
import { readLabelledTable } from '../packages/sdk/src/data/labelled-table.ts';
import { OnnxModel } from '../packages/sdk/src/model/onnx-model.ts';
import { writePackage } from '../packages/sdk/src/package/writer.ts';
import { runProcess } from '../packages/sdk/src/util/process.ts';
import { runWrk, writeWrkScript, type WrkResult } from './serve-wrk.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 4);
const MODELS = (process.env.BENCH_SERVE_MODELS ?? 'digits_mlp,iris_rf').split(',');
const DATASET: Record<string, string> = { digits_mlp: 'digits', iris_rf: 'iris' };
const CONNECTIONS = [1, 16, 64];
const ROUNDS = Number(process.env.BENCH_SERVE_ROUNDS ?? 3);
const COLD = Number(process.env.BENCH_SERVE_COLD ?? 3);
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const CLI_BUNDLE = join(ROOT, 'packages', 'cli', 'dist', 'mlship.js');

interface Peer { key: string; label: string; command: (model: string, port: number) => [string, string[], Record<string, string>]; readyLine: RegExp }

const mlship = (key: string, label: string, env: Record<string, string>): Peer => ({
  key, label, readyLine: /"msg":"ready"/,
  command: (m, p) => [process.execPath, [CLI_BUNDLE, 'serve', m, '--port', String(p), '--model-name', 'model'], { MLSHIP_MAX_BATCH: '64', ...env }],
});
const PEERS: Peer[] = [
  mlship('mlship', 'mlship --workers 2', { MLSHIP_WORKERS: '2' }),
  mlship('mlship-1', 'mlship --workers 1', { MLSHIP_WORKERS: '1' }),
  mlship('mlship-threads', 'mlship --workers 1, 2 intra-op threads', { MLSHIP_WORKERS: '1', MLSHIP_INTRA_OP_THREADS: '2' }),
  { key: 'naive', label: 'naive Node + onnxruntime-node', readyLine: /^ready/m, command: (m, p) => [process.execPath, [join(ROOT, 'bench', 'naive-onnx-server.ts'), m, String(p)], {}] },
  // uvicorn --workers 2: each worker prints "ready" once started.
  { key: 'fastapi', label: 'FastAPI + uvicorn --workers 2', readyLine: /^ready\n[\s\S]*^ready$/m, command: (m, p) => [PYTHON, [join(ROOT, 'python', 'peer_fastapi_server.py'), m, String(p), '2'], {}] },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

interface Running { child: ChildProcess; port: number; readyMs: number; stop: () => Promise<void> }

async function start(peer: Peer, model: string): Promise<Running> {
  const port = await freePort();
  const [cmd, args, env] = peer.command(model, port);
  const [file, argv] = [cmd, args];
  const t0 = performance.now();
  const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const readyMs = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => { out += d.toString(); if (peer.readyLine.test(out)) resolve(performance.now() - t0); };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => reject(new Error(`${peer.label} exited (${code}) before ready:\n${out}`)));
    setTimeout(() => reject(new Error(`${peer.label} not ready after 60 s:\n${out}`)), 60_000).unref();
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    child, port, readyMs,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Row { model: string; peer: string; connections: number; result: WrkResult; rounds: number[]; cpuUsPerRequest: number; rootCpuUsPerRequest: number }

/**
 * CPU seconds (user + system, all threads) a process and its descendants (a primary's workers) have
 * used, and the process's own (a primary without its workers): /proc/PID/stat fields 14 and 15 in
 * clock ticks, field 4 the parent.
 */
async function cpuSeconds(pid: number): Promise<{ tree: number; root: number }> {
  const procs: Array<{ pid: number; ppid: number; ticks: number }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) { tree.add(p.pid); grew = true; }
  }
  return { tree: procs.filter((p) => tree.has(p.pid)).reduce((a, p) => a + p.ticks, 0) / CLK_TCK, root: (procs.find((p) => p.pid === pid)?.ticks ?? 0) / CLK_TCK };
}
const CLK_TCK = Number((await runProcess('getconf', ['CLK_TCK'])).stdout.trim()) || 100;

/** One wrk run plus the server's CPU time per request over it (robust to other load on the machine). */
async function measure(pid: number, options: Parameters<typeof runWrk>[0]): Promise<WrkResult & { cpuUsPerRequest: number; rootCpuUsPerRequest: number }> {
  const before = await cpuSeconds(pid);
  const r = await runWrk(options);
  const after = await cpuSeconds(pid);
  const n = Math.max(1, r.requests);
  return { ...r, cpuUsPerRequest: ((after.tree - before.tree) * 1e6) / n, rootCpuUsPerRequest: ((after.root - before.root) * 1e6) / n };
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const tmp = await mkdtemp(join(tmpdir(), 'mlship-bench-serve-'));
  // The CLI bundle exactly as scripts/build.mjs makes it (the image's entrypoint).
  await build({ ...bundleOptions, entryPoints: [join(ROOT, 'packages/cli/src/main.ts')], outfile: CLI_BUNDLE });
  const rows: Row[] = [];
  const coldStart: Record<string, Record<string, number>> = {};
  const loadBefore = loadavg()[0]!;
  for (const modelName of MODELS) {
    const model = join(ROOT, 'test', 'fixtures', 'models', `${modelName}.onnx`);
    const table = await readLabelledTable(join(ROOT, 'test', 'fixtures', 'datasets', DATASET[modelName]!, 'test.csv'));
    const F = table.featureNames.length;
    const inputName = modelName === 'digits_mlp' ? 'input' : 'float_input';
    const body = JSON.stringify({ inputs: [{ name: inputName, shape: [1, F], datatype: 'FP32', data: Array.from(table.features.subarray(0, F)) }] });
    const script = await writeWrkScript(join(tmp, `${modelName}.lua`), body);
    coldStart[modelName] = {};
    // Cold start: median of COLD fresh processes per server.
    for (const peer of PEERS) {
      const starts: number[] = [];
      for (let i = 0; i < COLD; i++) { const r = await start(peer, model); starts.push(r.readyMs); await r.stop(); }
      coldStart[modelName]![peer.key] = median(starts);
    }
    // And mlship serving a model package (what the image runs): hashes verified, golden rows checked.
    const onnx = await OnnxModel.load(model);
    const pkgDir = join(tmp, `${modelName}-package`);
    await writePackage({
      model: onnx, outDir: pkgDir, name: 'model', version: '1', featureNames: table.featureNames, task: 'classification',
      outputRoles: modelName === 'digits_mlp' ? { probabilities: 'probabilities', scores: 'logits' } : { label: 'label', probabilities: 'probabilities' },
      goldenInputs: [Array.from(table.features.subarray(0, F)), Array.from(table.features.subarray(F, 2 * F))], source: 'onnx',
    });
    await onnx.session.release();
    const single = PEERS.find((p) => p.key === 'mlship-1')!;
    const packaged: Peer = { ...single, command: (_m, p) => single.command(pkgDir, p) };
    const pkgStarts: number[] = [];
    for (let i = 0; i < COLD; i++) { const r = await start(packaged, pkgDir); pkgStarts.push(r.readyMs); await r.stop(); }
    coldStart[modelName]!['mlship-package'] = median(pkgStarts);
    // Every server runs at once (idle ones cost nothing) and the measurements are interleaved —
    // rounds × servers for each connection count — so a noisy neighbour on the shared machine hits
    // every server alike; each cell is the median round.
    const servers = new Map<string, Running>();
    try {
      for (const peer of PEERS) servers.set(peer.key, await start(peer, model));
      const urls = new Map(PEERS.map((p) => [p.key, `http://127.0.0.1:${servers.get(p.key)!.port}/v2/models/model/infer`]));
      for (const peer of PEERS) {
        const check = await fetch(urls.get(peer.key)!, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        if (check.status !== 200) throw new Error(`${peer.label}: ${check.status} ${await check.text()}`);
        await runWrk({ url: urls.get(peer.key)!, connections: 16, durationSeconds: 1, script }); // warm-up
      }
      for (const connections of CONNECTIONS) {
        const runs = new Map<string, Array<WrkResult & { cpuUsPerRequest: number; rootCpuUsPerRequest: number }>>(PEERS.map((p) => [p.key, []]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const peer of round % 2 ? [...PEERS].reverse() : PEERS) {
            runs.get(peer.key)!.push(await measure(servers.get(peer.key)!.child.pid!, { url: urls.get(peer.key)!, connections, durationSeconds: SECONDS, script }));
          }
        }
        for (const peer of PEERS) {
          const all = runs.get(peer.key)!.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
          const result = all[Math.floor(all.length / 2)]!;
          const errs = all.reduce((n, r) => n + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
          const cpu = median(all.map((r) => r.cpuUsPerRequest));
          console.log(`${modelName.padEnd(11)} ${peer.label.padEnd(32)} c=${String(connections).padStart(2)}  ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  cpu ${cpu.toFixed(0)} µs/req  (rounds: ${all.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')})${errs ? `  errors ${errs}` : ''}`);
          rows.push({ model: modelName, peer: peer.key, connections, result, rounds: all.map((r) => r.requestsPerSecond), cpuUsPerRequest: cpu, rootCpuUsPerRequest: median(all.map((r) => r.rootCpuUsPerRequest)) });
        }
      }
    } finally {
      for (const s of servers.values()) await s.stop();
    }
  }
  const loadAfter = loadavg()[0]!;
  await rm(tmp, { recursive: true, force: true });
  const md = report(rows, coldStart, [loadBefore, loadAfter]);
  await writeFile(join(OUT, 'serve.md'), md);
  await writeFile(join(OUT, 'serve.json'), JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, cpus: availableParallelism(), connections: CONNECTIONS, loadAverage: [loadBefore, loadAfter], coldStartMs: coldStart, rows }, null, 2));
  console.log(`\n${md}`);
}

function report(rows: Row[], coldStart: Record<string, Record<string, number>>, load: number[]): string {
  const row = (model: string, peer: string, c: number) => rows.find((r) => r.model === model && r.peer === peer && r.connections === c);
  const get = (model: string, peer: string, c: number) => row(model, peer, c)?.result;
  const cpu = (model: string, peer: string, c: number) => row(model, peer, c)?.cpuUsPerRequest ?? NaN;
  // The --workers 2 primary's own CPU, its workers excluded: it hands each connection over once, and with no inference log (as here) no request passes through it.
  const primary = (model: string, c: number) => row(model, 'mlship', c)?.rootCpuUsPerRequest ?? NaN;
  const lines: string[] = [];
  lines.push(`### Serving benchmark (\`npm run bench -- serve\`)`, '');
  lines.push(`One row per request, OIP V2 infer JSON, wrk -t1, ${SECONDS} s per run; each cell is the median of ${ROUNDS} interleaved rounds (all servers up at once, measured in turn). Nothing pinned: servers and wrk share the machine's ${availableParallelism()} CPUs, with whatever else runs on it (1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')} during the run). Ratios are against the naive Node handler. Server CPU µs/req (user + system time of the server's processes — a primary and its workers — all threads, from /proc, over the run ÷ requests) is what one request costs the server; unlike req/s it does not depend on how much CPU the server got on a loaded machine.`, '');
  const verdicts: string[] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    lines.push(`**${model}**`, '', '| server | conns | req/s | p50 ms | p99 ms | × naive (req/s) | server CPU µs/req | × naive (CPU) |', '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of CONNECTIONS) {
      const naive = get(model, 'naive', c);
      for (const peer of PEERS) {
        const r = get(model, peer.key, c);
        if (!r) continue;
        lines.push(`| ${peer.label} | ${c} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${naive ? (r.requestsPerSecond / naive.requestsPerSecond).toFixed(2) : '–'} | ${cpu(model, peer.key, c).toFixed(0)} | ${(cpu(model, 'naive', c) / cpu(model, peer.key, c)).toFixed(2)} |`);
      }
    }
    lines.push('');
    const ours = get(model, 'mlship', 64)!;
    const naive = get(model, 'naive', 64)!;
    const fast = get(model, 'fastapi', 64)!;
    const ours1 = get(model, 'mlship', 1)!;
    const naive1 = get(model, 'naive', 1)!;
    const vsNaive = ours.requestsPerSecond / naive.requestsPerSecond;
    const vsFast = ours.requestsPerSecond / fast.requestsPerSecond;
    const cpuNaive = cpu(model, 'naive', 64) / cpu(model, 'mlship', 64);
    const cpuFast = cpu(model, 'fastapi', 64) / cpu(model, 'mlship', 64);
    const one = get(model, 'mlship-1', 64)!;
    const threads = get(model, 'mlship-threads', 64)!;
    verdicts.push(`- ${model}, 64 connections, what the second worker adds: --workers 2 ${ours.requestsPerSecond.toFixed(0)} req/s vs one process ${one.requestsPerSecond.toFixed(0)} (${(ours.requestsPerSecond / one.requestsPerSecond).toFixed(2)}×) and one process with 2 intra-op threads ${threads.requestsPerSecond.toFixed(0)} (${(ours.requestsPerSecond / threads.requestsPerSecond).toFixed(2)}×); p99 ${ours.p99Ms.toFixed(2)} / ${one.p99Ms.toFixed(2)} / ${threads.p99Ms.toFixed(2)} ms; server CPU ${cpu(model, 'mlship', 64).toFixed(0)} vs ${cpu(model, 'mlship-1', 64).toFixed(0)} µs/req, of which the primary ${primary(model, 64).toFixed(1)} µs/req (at 1 / 16 connections: ${CONNECTIONS.filter((c) => c !== 64).map((c) => primary(model, c).toFixed(1)).join(' / ')}).`);
    verdicts.push(`- ${model}, 64 connections: mlship --workers 2 ${vsNaive.toFixed(2)}× the naive handler's req/s and ${cpuNaive.toFixed(2)}× less CPU per request (goal ≥ 2×: ${vsNaive >= 2 ? 'met' : cpuNaive >= 2 ? 'met in CPU per request, not in req/s on this shared machine' : 'not met'}), p99 ${ours.p99Ms.toFixed(2)} vs ${naive.p99Ms.toFixed(2)} ms (${ours.p99Ms <= naive.p99Ms ? 'no worse' : 'worse'}); ${vsFast.toFixed(1)}× FastAPI's req/s, ${cpuFast.toFixed(1)}× less CPU per request (goal ≥ 5×: ${vsFast >= 5 ? 'met' : cpuFast >= 5 ? 'met in CPU per request, not in req/s' : 'not met'}), p99 ${ours.p99Ms.toFixed(2)} vs FastAPI ${fast.p99Ms.toFixed(2)} ms. 1 connection: p50 ${ours1.p50Ms.toFixed(2)} ms vs naive ${naive1.p50Ms.toFixed(2)} ms.`);
  }
  lines.push(`**Cold start to ready** (spawn → listening, model loaded, golden rows run — with workers, every worker; median of ${COLD}; the package column, one process, verifies hashes and signature first)`, '', '| model | mlship, package | ' + PEERS.map((p) => p.label).join(' | ') + ' |', '|---|---:|' + PEERS.map(() => '---:').join('|') + '|');
  for (const [model, byPeer] of Object.entries(coldStart)) lines.push(`| ${model} | ${byPeer['mlship-package']!.toFixed(0)} ms | ${PEERS.map((p) => `${byPeer[p.key]!.toFixed(0)} ms`).join(' | ')} |`);
  const worstCold = Math.max(...Object.values(coldStart).map((b) => Math.max(b['mlship-1']!, b['mlship-package']!)));
  const worstWorkers = Math.max(...Object.values(coldStart).map((b) => b.mlship!));
  verdicts.push(`- Cold start: one process ${worstCold.toFixed(0)} ms at worst (goal ≤ 300 ms: ${worstCold <= 300 ? 'met' : 'not met'}); --workers 2 ${worstWorkers.toFixed(0)} ms (two processes load at once).`);
  lines.push('', '**Verdict**', '', ...verdicts, '');
  return lines.join('\n');
}

await main();
