// `npm run soak [-- --minutes N --clients C --interval-s S]`: a bounded soak of `mlship serve` (the
// CLI bundle, as the image runs it) under steady keep-alive load with the inference log on. Every
// interval it scrapes /metrics (process_resident_memory_bytes, nodejs_heap_size_used/total_bytes,
// nodejs_eventloop_lag_p99_seconds) and writes bench/out/soak.md (a table and the RSS/heap growth per
// minute over the second half, after warm-up), bench/out/soak.json and bench/out/soak.svg (the chart).
// Defaults: 30 minutes, 4 clients, a sample every 30 s. Traffic only to 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { OnnxModel, readLabelledTable, writePackage } from '../packages/sdk/src/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, clients: { type: 'string', default: '4' }, 'interval-s': { type: 'string' } } });
const minutes = Number(values.minutes);
const clients = Number(values.clients);
if (!(minutes > 0 && minutes <= 24 * 60) || !(Number.isInteger(clients) && clients >= 1 && clients <= 64)) {
  console.error('usage: npm run soak -- [--minutes N (0 < N ≤ 1440, default 30)] [--clients C (1..64, default 4)] [--interval-s S]');
  process.exit(2);
}
const intervalMs = 1000 * Number(values['interval-s'] ?? Math.max(5, Math.min(30, (minutes * 60) / 20)));

const work = mkdtempSync(join(tmpdir(), 'mlship-soak-'));
const bundle = join(ROOT, 'packages/cli/dist', `.soak-${process.pid}.js`);
await build({
  entryPoints: [join(ROOT, 'packages/cli/src/main.ts')], outfile: bundle, bundle: true, platform: 'node', target: 'node24', format: 'esm',
  banner: { js: "import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);" },
  external: ['onnxruntime-node'], logLevel: 'warning',
});
const table = await readLabelledTable(join(ROOT, 'test/fixtures/datasets/iris/test.csv'));
const rows = Array.from({ length: table.rows }, (_, r) => Array.from(table.features.subarray(r * 4, r * 4 + 4)));
await writePackage({
  model: await OnnxModel.load(join(ROOT, 'test/fixtures/models/iris_rf.onnx')), outDir: join(work, 'pkg'), name: 'iris-rf', version: '1',
  featureNames: table.featureNames, task: 'classification', outputRoles: { label: 'label', probabilities: 'probabilities' }, classLabels: [0, 1, 2],
  goldenInputs: rows.slice(0, 3), source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
});

const child = spawn(process.execPath, [bundle, 'serve', join(work, 'pkg')], {
  env: { ...process.env, MLSHIP_PORT: '0', MLSHIP_HOST: '127.0.0.1', MLSHIP_INFERENCE_LOG: join(work, 'inference.csv'), MLSHIP_INFERENCE_LOG_MAX_BYTES: '16mb', MLSHIP_INFERENCE_LOG_KEEP: '2', MLSHIP_SHUTDOWN_DELAY: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let buf = '';
  let listening = 0;
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
      const l = JSON.parse(buf.slice(0, i));
      if (l.msg === 'listening') listening = l.port;
      if (l.msg === 'ready') resolve(listening);
    }
  });
  child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

let stop = false;
let requests = 0;
let failures = 0;
const load = Array.from({ length: clients }, async (_, c) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = c; !stop; i++) {
    const body = JSON.stringify({ instances: [rows[i % rows.length]] });
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode === 200)); });
      req.on('error', () => resolve(false));
      req.end(body);
    });
    requests++;
    if (!ok) failures++;
  }
  agent.destroy();
});

interface Sample { minute: number; requests: number; rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; lagP99Ms: number }
const samples: Sample[] = [];
const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
const scrape = () => new Promise<string>((resolve, reject) => {
  request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => { let t = ''; res.on('data', (d) => { t += d; }); res.on('end', () => resolve(t)); }).on('error', reject).end();
});
const started = Date.now();
for (;;) {
  const text = await scrape();
  const minute = (Date.now() - started) / 60_000;
  samples.push({
    minute, requests, rssMiB: metric(text, 'process_resident_memory_bytes') / 2 ** 20, heapUsedMiB: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    heapTotalMiB: metric(text, 'nodejs_heap_size_total_bytes') / 2 ** 20, lagP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
  });
  const s = samples.at(-1)!;
  console.log(`${s.minute.toFixed(1)} min  ${s.requests} requests  RSS ${s.rssMiB.toFixed(1)} MiB  heap ${s.heapUsedMiB.toFixed(1)}/${s.heapTotalMiB.toFixed(1)} MiB  lag p99 ${s.lagP99Ms.toFixed(1)} ms`);
  if (minute >= minutes) break;
  await new Promise((r) => setTimeout(r, Math.min(intervalMs, (minutes - minute) * 60_000 + 50)));
}
stop = true;
await Promise.all(load);
child.kill('SIGTERM');
const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
rmSync(bundle, { force: true });
rmSync(work, { recursive: true, force: true });

/** Least-squares slope (per minute) of `y` over the second half of the run (after warm-up). */
function slope(key: 'rssMiB' | 'heapUsedMiB'): number {
  const half = samples.filter((s) => s.minute >= minutes / 2);
  const n = half.length;
  if (n < 2) return NaN;
  const mx = half.reduce((a, s) => a + s.minute, 0) / n;
  const my = half.reduce((a, s) => a + s[key], 0) / n;
  const num = half.reduce((a, s) => a + (s.minute - mx) * (s[key] - my), 0);
  const den = half.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  return num / den;
}

function svg(): string {
  const W = 640, H = 260, L = 50, R = 10, T = 20, B = 30;
  const maxY = Math.max(...samples.map((s) => Math.max(s.rssMiB, s.heapTotalMiB))) * 1.1;
  const x = (m: number) => L + (m / minutes) * (W - L - R);
  const y = (v: number) => T + (1 - v / maxY) * (H - T - B);
  const line = (key: keyof Sample, color: string) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${samples.map((s) => `${x(s.minute).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ')}"/>`;
  const ticks = Array.from({ length: 5 }, (_, i) => (maxY * i) / 4);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
${ticks.map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 4}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`).join('\n')}
<text x="${L}" y="12">MiB over minutes (${minutes} min, ${clients} keep-alive clients)</text>
<text x="${W - R}" y="${H - 8}" text-anchor="end">${minutes} min</text><text x="${L}" y="${H - 8}">0</text>
${line('rssMiB', '#cf222e')}${line('heapTotalMiB', '#0969da')}${line('heapUsedMiB', '#1a7f37')}
<text x="${W - R - 200}" y="${T + 12}" fill="#cf222e">RSS</text><text x="${W - R - 150}" y="${T + 12}" fill="#0969da">heap total</text><text x="${W - R - 80}" y="${T + 12}" fill="#1a7f37">heap used</text>
</svg>
`;
}

mkdirSync(OUT, { recursive: true });
const rate = requests / ((samples.at(-1)!.minute || 1) * 60);
const md = [
  `## Soak: mlship serve, ${minutes} min, ${clients} keep-alive clients (iris RandomForest, /predict, inference log on)`, '',
  `${requests} requests (${rate.toFixed(0)}/s), ${failures} failed; server exit ${exitCode}. Growth over the second half (least squares): RSS ${slope('rssMiB').toFixed(2)} MiB/min, heap used ${slope('heapUsedMiB').toFixed(2)} MiB/min.`, '',
  '| minute | requests | RSS MiB | heap used MiB | heap total MiB | event-loop lag p99 ms |', '|---:|---:|---:|---:|---:|---:|',
  ...samples.map((s) => `| ${s.minute.toFixed(1)} | ${s.requests} | ${s.rssMiB.toFixed(1)} | ${s.heapUsedMiB.toFixed(1)} | ${s.heapTotalMiB.toFixed(1)} | ${s.lagP99Ms.toFixed(1)} |`),
  '', '![RSS and heap over time](soak.svg)', '',
].join('\n');
writeFileSync(join(OUT, 'soak.md'), md);
writeFileSync(join(OUT, 'soak.json'), JSON.stringify({ minutes, clients, requests, failures, exitCode, samples }, null, 2));
writeFileSync(join(OUT, 'soak.svg'), svg());
console.log(`\n${md}\nwrote bench/out/soak.md, soak.json, soak.svg`);
process.exit(failures || exitCode !== 0 ? 1 : 0);
