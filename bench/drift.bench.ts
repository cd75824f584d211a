
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GNU_TIME as TIME, runUnderTime } from './timed-run.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const CACHE = join(ROOT, '.cache', 'bench', 'drift');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'mlship.js');
const ROWS = Number(process.env.BENCH_DRIFT_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_DRIFT_REPEATS ?? 3);
const REF = join(CACHE, `reference-${ROWS}.csv`);
const CUR = join(CACHE, `current-${ROWS}.csv`);

interface Timed { seconds: number; cpuSeconds: number; rssMiB: number; stdout: string; stderr: string }

/** Runs a command under /usr/bin/time -v: wall seconds and peak RSS ("Maximum resident set size"). */
async function timed(cmd: string, args: string[], stdoutFile?: string): Promise<Timed> {
  const { seconds, stdout, stderr } = await runUnderTime(['-v'], cmd, args, ROOT, stdoutFile);
  const rss = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = stderr.match(/User time \(seconds\): ([\d.]+)/);
  const sys = stderr.match(/System time \(seconds\): ([\d.]+)/);
  return { seconds, cpuSeconds: Number(user?.[1] ?? NaN) + Number(sys?.[1] ?? NaN), rssMiB: rss ? Number(rss[1]) / 1024 : NaN, stdout, stderr };
}

async function generate(file: string, args: string[]): Promise<void> {
  if (existsSync(file)) return;
  console.log(`generating ${file}…`);
  await timed(process.execPath, [join(ROOT, 'scripts', 'gen-tabular.mjs'), '--rows', String(ROWS), '--features', '20', '--categorical', ...args], `${file}.tmp`);
  await new Promise((r) => setTimeout(r, 200));
  await rename(`${file}.tmp`, file);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
if (!existsSync(TIME)) throw new Error(`${TIME} is missing (Debian package "time").`);
await mkdir(CACHE, { recursive: true });
await mkdir(OUT, { recursive: true });
await generate(REF, ['--seed', '11']);
await generate(CUR, ['--seed', '12', '--shift', '0.1', '--shift-features', 'f0,f3,f7', '--cat-probs', '0.4,0.3,0.3']);

const jsonOut = join(CACHE, 'mlship-drift.json');
const loads: number[] = [];
const ours: Timed[] = [];
for (let r = 0; r < REPEATS; r++) {
  const a = await timed(process.execPath, [CLI, 'drift', '--quiet', '--verbose', '--reference', REF, '--current', CUR, '--out', jsonOut, '--html', join(CACHE, 'mlship-drift.html')]);
  ours.push(a);
  loads.push(loadavg()[0]!);
  console.log(`mlship run ${r + 1}/${REPEATS}: ${a.seconds.toFixed(2)} s (CPU ${a.cpuSeconds.toFixed(2)} s), peak RSS ${a.rssMiB.toFixed(0)} MiB`);
}
console.log('Evidently DataDriftPreset (takes minutes)…');
const peer = await timed(PYTHON, [join(ROOT, 'python', 'bench_drift.py'), REF, CUR]);
loads.push(loadavg()[0]!);
const loadDuring = loads.map((l) => l.toFixed(1)).join(', ');
const peerDetail = JSON.parse(peer.stdout) as { seconds: Record<string, number>; share_drifted: number; drifted_columns: string[]; scores: Record<string, number> };
console.log(`Evidently: ${peer.seconds.toFixed(1)} s (CPU ${peer.cpuSeconds.toFixed(1)} s), peak RSS ${peer.rssMiB.toFixed(0)} MiB`);

const report = JSON.parse(await readFile(jsonOut, 'utf8')) as { columns: Record<string, { score: number }>; summary: { drifted_columns: string[]; share_drifted: number } };
const sameDecisions = JSON.stringify(report.summary.drifted_columns) === JSON.stringify(peerDetail.drifted_columns);
const maxScoreDiff = Math.max(...Object.entries(peerDetail.scores).map(([c, v]) => Math.abs(report.columns[c]!.score - v)));
const mid = ours.map((o) => o.seconds);
const m = median(mid);
const best = ours.find((o) => o.seconds === m)!;
const timing = best.stderr.match(/reading CSV \(and sorting, when in worker threads\) ([\d.]+) s, statistics ([\d.]+) s, (\d+) pass/);
const rss = Math.max(...ours.map((o) => o.rssMiB));
const speedup = peer.seconds / m;
const cpu = median(ours.map((o) => o.cpuSeconds));
const cpuSpeedup = peer.cpuSeconds / cpu;
const md = [
  `### drift: ${ROWS.toLocaleString('en-US')} rows × 20 numerical features + 1 categorical, reference vs current`,
  '',
  `Wall time and peak RSS of each process (/usr/bin/time -v), start-up and CSV reading included; mlship median of ${REPEATS} runs, Evidently one run; ${cpus().length} CPUs (${cpus()[0]?.model.trim()}).`,
  '',
  '| Tool | Wall time (s) | vs mlship | CPU time (s) | vs mlship | Peak RSS (MiB) | What it does |',
  '|---|---:|---:|---:|---:|---:|---|',
  `| **mlship drift** (CLI bundle) | ${m.toFixed(2)} | 1× | ${cpu.toFixed(2)} | 1× | ${rss.toFixed(0)} | CSV read + column sort in 2 worker threads ${timing?.[1] ?? '?'} s, all statistics ${timing?.[2] ?? '?'} s (${timing?.[3] ?? '?'} passes over the files), JSON + HTML report |`,
  `| Evidently 0.7 DataDriftPreset | ${peer.seconds.toFixed(1)} | ${speedup.toFixed(1)}× | ${peer.cpuSeconds.toFixed(1)} | ${cpuSpeedup.toFixed(1)}× | ${peer.rssMiB.toFixed(0)} | imports ${peerDetail.seconds.imports!.toFixed(1)} s, pandas.read_csv ${peerDetail.seconds.read_csv!.toFixed(1)} s, Report.run ${peerDetail.seconds.report!.toFixed(1)} s |`,
  '',
  `- Evidently / mlship = **${speedup.toFixed(1)}×** wall time (goal ≥ 10×) — ${speedup >= 10 ? 'met' : 'missed'}; **${cpuSpeedup.toFixed(1)}×** in CPU time, which other processes on a shared machine disturb less (load average during the run: ${loadDuring})`,
  `- mlship peak RSS **${rss.toFixed(0)} MiB** (goal ≤ 400 MB) — ${rss * 1.048576 <= 400 ? 'met' : 'missed'}`,
  `- Same decisions: ${sameDecisions ? 'yes' : 'NO'} (drifted: ${report.summary.drifted_columns.join(', ') || 'none'}); max |score difference| over the 21 columns ${maxScoreDiff.toExponential(1)} (pandas' default float parser may be 1 ulp off)`,
  '',
].join('\n');
await writeFile(join(OUT, 'drift.md'), md);
await writeFile(join(OUT, 'drift.json'), JSON.stringify({
  rows: ROWS, repeats: REPEATS, load_average: loads, mlship: { seconds: mid, median: m, cpu_seconds: ours.map((o) => o.cpuSeconds), peak_rss_mib: rss, read_seconds: Number(timing?.[1]), stats_seconds: Number(timing?.[2]), passes: Number(timing?.[3]) },
  evidently: { seconds: peer.seconds, cpu_seconds: peer.cpuSeconds, peak_rss_mib: peer.rssMiB, phases: peerDetail.seconds }, speedup, cpu_speedup: cpuSpeedup, same_decisions: sameDecisions, max_score_difference: maxScoreDiff,
}, null, 2));
console.log(md);
