
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { defaultResamples } from '../packages/sdk/src/evaluate/bootstrap.ts';
import { join } from 'node:path';
import { generateTabular, GNU_TIME, median, runUnderTime } from './timed-run.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const CACHE = join(ROOT, '.cache', 'bench', 'evaluate');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'mlship.js');
const ROWS = Number(process.env.BENCH_EVALUATE_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_EVALUATE_REPEATS ?? 5);
const TEST = join(CACHE, `test-${ROWS}.csv`);
const TRAIN = join(CACHE, 'train-200000.csv');
const MODEL = join(CACHE, 'logreg-20.onnx');


/** Runs a process; `cpu` = user + system CPU seconds of it and its threads, from GNU time (apt: time). */
async function run(cmd: string, args: string[], stdoutFile?: string): Promise<{ seconds: number; cpu: number; stdout: string; stderr: string; code: number }> {
  const { seconds, stdout, stderr } = await runUnderTime(['-f', 'MLSHIP_CPU %U %S'], cmd, args, ROOT, stdoutFile);
  const m = stderr.match(/MLSHIP_CPU ([\d.]+) ([\d.]+)/);
  return { seconds, cpu: m ? Number(m[1]) + Number(m[2]) : NaN, stdout, stderr, code: 0 };
}

const generate = (file: string, rows: number, seed: number) => generateTabular(ROOT, file, rows, seed);

await mkdir(CACHE, { recursive: true });
await mkdir(OUT, { recursive: true });
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: run npm run setup (Debian package \`time\`).`);
await generate(TEST, ROWS, 7);
await generate(TRAIN, 200_000, 8);
if (!existsSync(MODEL)) {
  console.log('training LogisticRegression → skl2onnx…');
  await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'train', TRAIN, MODEL]);
}

const metricsOut = join(CACHE, 'mlship-metrics.json');
const times = { mlship: [] as number[], raw: [] as number[], python: [] as number[] };
const cpu = { mlship: [] as number[], raw: [] as number[], python: [] as number[] };
const rawDetails: Array<{ seconds: Record<string, number> }> = [];
const pyDetails: Array<{ seconds: Record<string, number>; metrics: Record<string, number> }> = [];
for (let r = 0; r < REPEATS; r++) {
  const a = await run(process.execPath, [CLI, 'evaluate', '--model', MODEL, '--data', TEST, '--out', metricsOut, '--bootstrap', '0', '--quiet']);
  times.mlship.push(a.seconds);
  cpu.mlship.push(a.cpu);
  const b = await run(process.execPath, [join(ROOT, 'bench', 'evaluate-raw.ts'), MODEL, TEST]);
  times.raw.push(b.seconds);
  cpu.raw.push(b.cpu);
  rawDetails.push(JSON.parse(b.stdout));
  const c = await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'peer', MODEL, TEST]);
  times.python.push(c.seconds);
  cpu.python.push(c.cpu);
  pyDetails.push(JSON.parse(c.stdout));
  console.log(`run ${r + 1}/${REPEATS}: mlship ${a.seconds.toFixed(2)} s, raw ${b.seconds.toFixed(2)} s, python ${c.seconds.toFixed(2)} s`);
}
// Per-phase figures: medians over the runs.
const phase = (details: Array<{ seconds: Record<string, number> }>, key: string) => median(details.map((d) => d.seconds[key]!));
const rawDetail = { seconds: { read_csv: phase(rawDetails, 'read_csv'), inference: phase(rawDetails, 'inference') } };
const pyDetail = { seconds: Object.fromEntries(['imports', 'read_csv', 'inference', 'metrics'].map((k) => [k, phase(pyDetails, k)])), metrics: pyDetails.at(-1)!.metrics };
const boot = await run(process.execPath, [CLI, 'evaluate', '--model', MODEL, '--data', TEST, '--out', join(CACHE, 'boot.json'), '--quiet']);

// Same numbers as the peer? (a check that the comparison is like for like)
const ours = JSON.parse(await readFile(metricsOut, 'utf8')) as { metrics: Record<string, number> };
const agree = ['accuracy', 'f1_macro', 'roc_auc', 'log_loss'].map((k) => ({ k, ours: ours.metrics[k]!, peer: pyDetail!.metrics[k]! }));
const maxDiff = Math.max(...agree.map((x) => Math.abs(x.ours - x.peer)));

const m = median(times.mlship);
const raw = median(times.raw);
const py = median(times.python);
const best = { mlship: Math.min(...times.mlship), raw: Math.min(...times.raw), python: Math.min(...times.python) };
const m0 = best.mlship;
const ratioRaw = best.mlship / best.raw;
const speedup = best.python / best.mlship;
const cm = { mlship: median(cpu.mlship), raw: median(cpu.raw), python: median(cpu.python) };
const row = (label: string, t: number, b: number, c: number, note: string) => `| ${label} | ${b.toFixed(2)} | ${t.toFixed(2)} | ${(b / m0).toFixed(2)}× | ${c.toFixed(2)} | ${note} |`;
const md = [
  `### evaluate: ${ROWS.toLocaleString('en-US')} rows × 20 features, LogisticRegression (skl2onnx), binary`,
  '',
  `Wall time of ${REPEATS} interleaved runs per tool, each a fresh process (start-up and model load included); ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), load average at the end ${loadavg()[0]!.toFixed(1)}.`,
  '',
  '| Tool | Best wall (s) | Median wall (s) | vs mlship (best) | CPU (s, median) | What it does (median per phase) |',
  '|---|---:|---:|---:|---:|---|',
  row('**mlship evaluate** (CLI bundle)', m, best.mlship, cm.mlship, 'CSV parse + batched inference + all binary metrics + JSON + report'),
  row('CSV parse + raw onnxruntime-node', raw, best.raw, cm.raw, `same parser, one session.run over the whole tensor (parse ${rawDetail.seconds.read_csv!.toFixed(2)} s, inference ${rawDetail.seconds.inference!.toFixed(2)} s)`),
  row('Python peer', py, best.python, cm.python, `pandas.read_csv ${pyDetail.seconds.read_csv!.toFixed(2)} s + onnxruntime ${pyDetail.seconds.inference!.toFixed(2)} s + sklearn.metrics ${pyDetail.seconds.metrics!.toFixed(2)} s (imports ${pyDetail.seconds.imports!.toFixed(2)} s)`),
  '',
  `- mlship / (parse + raw inference) = **${ratioRaw.toFixed(2)}×** best run, ${(m / raw).toFixed(2)}× median (goal ≤ 1.2×) — ${ratioRaw <= 1.2 ? 'met' : 'missed'}`,
  `- Python peer / mlship = **${speedup.toFixed(2)}×** faster, best run, ${(py / m).toFixed(2)}× median (goal ≥ 3×) — ${speedup >= 3 ? 'met' : 'missed'}`,
  `- CPU seconds (user + system, all threads; less sensitive to a busy machine): Python / mlship = ${(cm.python / cm.mlship).toFixed(2)}×, mlship / raw = ${(cm.mlship / cm.raw).toFixed(2)}×`,
  `- Same metrics as the peer: max |difference| over accuracy, f1_macro, roc_auc, log_loss = ${maxDiff.toExponential(1)}`,
  `- With the default bootstrap of roc_auc (${defaultResamples(ROWS)} resamples at this size): ${boot.seconds.toFixed(2)} s in all`,
  '',
].join('\n');
await writeFile(join(OUT, 'evaluate.md'), md);
await writeFile(join(OUT, 'evaluate.json'), JSON.stringify({
  rows: ROWS, repeats: REPEATS, seconds: times, cpu_seconds: cpu, median: { mlship: m, raw, python: py }, best, ratio_vs_raw: ratioRaw,
  speedup_vs_python: speedup, raw_detail: rawDetail, python_detail: pyDetail?.seconds, bootstrap_seconds: boot.seconds, metric_agreement: agree,
}, null, 2));
console.log(md);
await rm(join(CACHE, 'boot.json'), { force: true });

// Mixed types (issue 9): a 1M-row table of numbers and string categoricals through
// Pipeline(ColumnTransformer(StandardScaler, OneHotEncoder), LogisticRegression) exported with one input
// per column (skl2onnx's documented way), mlship evaluate against pandas + onnxruntime + sklearn.metrics.
// Data: python/bench_evaluate.py mixed-data (seeded), cached beside the numeric set.
const MIXED_TEST = join(CACHE, `mixed-test-${ROWS}.csv`);
const MIXED_TRAIN = join(CACHE, 'mixed-train-200000.csv');
const MIXED_MODEL = join(CACHE, 'mixed-ct-logreg.onnx');
if (!existsSync(MIXED_TEST)) await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'mixed-data', String(ROWS), '7', MIXED_TEST]);
if (!existsSync(MIXED_TRAIN)) await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'mixed-data', '200000', '8', MIXED_TRAIN]);
if (!existsSync(MIXED_MODEL)) await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'mixed-train', MIXED_TRAIN, MIXED_MODEL]);
const mixed = { mlship: [] as number[], python: [] as number[] };
const mixedCpu = { mlship: [] as number[], python: [] as number[] };
const mixedPy: Array<{ seconds: Record<string, number>; metrics: Record<string, number> }> = [];
const mixedOut = join(CACHE, 'mlship-mixed-metrics.json');
for (let r = 0; r < REPEATS; r++) {
  const a = await run(process.execPath, [CLI, 'evaluate', '--model', MIXED_MODEL, '--data', MIXED_TEST, '--out', mixedOut, '--bootstrap', '0', '--quiet']);
  mixed.mlship.push(a.seconds);
  mixedCpu.mlship.push(a.cpu);
  const c = await run(PYTHON, [join(ROOT, 'python', 'bench_evaluate.py'), 'mixed-peer', MIXED_MODEL, MIXED_TEST]);
  mixed.python.push(c.seconds);
  mixedCpu.python.push(c.cpu);
  mixedPy.push(JSON.parse(c.stdout));
  console.log(`mixed run ${r + 1}/${REPEATS}: mlship ${a.seconds.toFixed(2)} s, python ${c.seconds.toFixed(2)} s`);
}
const mixedOurs = JSON.parse(await readFile(mixedOut, 'utf8')) as { metrics: Record<string, number> };
const mixedDiff = Math.max(...['accuracy', 'f1_macro', 'roc_auc', 'log_loss'].map((k) => Math.abs(mixedOurs.metrics[k]! - mixedPy.at(-1)!.metrics[k]!)));
const mixedBest = { mlship: Math.min(...mixed.mlship), python: Math.min(...mixed.python) };
const mixedSpeedup = mixedBest.python / mixedBest.mlship;
const mixedPhase = (k: string) => median(mixedPy.map((d) => d.seconds[k]!));
const mixedMd = [
  `### evaluate, mixed types: ${ROWS.toLocaleString('en-US')} rows (age, income; city, plan, zip as strings), ColumnTransformer + LogisticRegression (skl2onnx, one input per column)`,
  '',
  '| Tool | Best wall (s) | Median wall (s) | CPU (s, median) | What it does |',
  '|---|---:|---:|---:|---|',
  `| **mlship evaluate** (CLI bundle) | ${mixedBest.mlship.toFixed(2)} | ${median(mixed.mlship).toFixed(2)} | ${median(mixedCpu.mlship).toFixed(2)} | CSV parse (strings kept for the string inputs) + 5 inputs + all binary metrics + JSON + report |`,
  `| Python peer | ${mixedBest.python.toFixed(2)} | ${median(mixed.python).toFixed(2)} | ${median(mixedCpu.python).toFixed(2)} | pandas.read_csv ${mixedPhase('read_csv').toFixed(2)} s + onnxruntime ${mixedPhase('inference').toFixed(2)} s + sklearn.metrics ${mixedPhase('metrics').toFixed(2)} s (imports ${mixedPhase('imports').toFixed(2)} s) |`,
  '',
  `- Python peer / mlship = **${mixedSpeedup.toFixed(2)}×** faster, best run (goal ≥ 3×) — ${mixedSpeedup >= 3 ? 'met' : 'missed'}`,
  `- Same metrics as the peer: max |difference| over accuracy, f1_macro, roc_auc, log_loss = ${mixedDiff.toExponential(1)}`,
  '',
].join('\n');
await writeFile(join(OUT, 'evaluate.md'), `${md}\n${mixedMd}`);
await writeFile(join(OUT, 'evaluate-mixed.json'), JSON.stringify({ rows: ROWS, repeats: REPEATS, seconds: mixed, cpu_seconds: mixedCpu, best: mixedBest, speedup_vs_python: mixedSpeedup, metric_max_difference: mixedDiff }, null, 2));
console.log(mixedMd);
