import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../harness/cli.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

// `mlship predict` as users run it: the CLI bundle (npm run build) in child processes.
let dir: string;
let pkg: string;
let data: string;
const IRIS_HEADER = 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlship-predict-cli-'));
  pkg = (await writeIrisPackage(join(dir, 'pkg'))).dir;
  // 300k rows of 4 features + a target column kept as an id (scripts/gen-tabular.mjs, seeded).
  const csv = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-tabular.mjs'), '--rows', '300000', '--features', '4', '--seed', '3', '--target', 'multiclass', '--precision', '3'], { maxBuffer: 1 << 28, encoding: 'utf8' });
  data = join(dir, 'data.csv');
  writeFileSync(data, `${IRIS_HEADER},target${csv.slice(csv.indexOf('\n'))}`);
}, 120_000);
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('mlship predict (CLI bundle)', () => {
  it('kill -9 in the middle of a run, then --resume: byte-identical to an uninterrupted run, no row twice or lost', async () => {
    const whole = join(dir, 'whole.csv');
    const r0 = await runCli(['predict', '--package', pkg, '--data', data, '--out', whole, '--keep', 'target', '--workers', '2', '--chunk-bytes', '65536', '--quiet'], dir);
    expect(r0.stderr).toBe('');
    expect(r0.code).toBe(0);
    expect(JSON.parse(r0.stdout).rows).toBe(300000);

    const out = join(dir, 'killed.csv');
    const args = ['predict', '--package', pkg, '--data', data, '--out', out, '--keep', 'target', '--workers', '2', '--chunk-bytes', '65536', '--quiet'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' });
    const doneLog = join(dir, '.killed.csv.mlship-predict', 'done.log');
    // Kill once a few chunks are on disk (polling the run's own log, not a clock).
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      if (existsSync(doneLog) && readFileSync(doneLog, 'utf8').split('\n').length > 6) break;
      if (child.exitCode !== null) throw new Error('the run ended before it could be killed; give it more rows');
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(existsSync(out)).toBe(false);
    const logged = readFileSync(doneLog, 'utf8').split('\n').filter(Boolean).length;

    const r1 = await runCli([...args, '--resume'], dir);
    expect(r1.code).toBe(0);
    const res = JSON.parse(r1.stdout) as { rows: number; resumedChunks: number; chunks: number };
    expect(res.resumedChunks).toBeGreaterThanOrEqual(Math.min(logged, 6));
    expect(res.resumedChunks).toBeLessThan(res.chunks);
    expect(res.rows).toBe(300000);
    expect(readFileSync(out).equals(readFileSync(whole))).toBe(true);
    expect(existsSync(join(dir, '.killed.csv.mlship-predict'))).toBe(false);
  }, 300_000);

  it('kill -9 in the middle of a run with --drift-reference, then --resume: the chunks scored before the kill keep their spilled columns, the report is mlship drift\'s on the whole file (byte for byte)', async () => {
    const ref = join(REPO_ROOT, 'test/fixtures/datasets/iris/train.csv');
    const out = join(dir, 'killed-drift.csv');
    const report = join(dir, 'killed-drift.json');
    const args = ['predict', '--package', pkg, '--data', data, '--out', out, '--keep', 'target', '--workers', '2', '--chunk-bytes', '65536', '--drift-reference', ref, '--drift-out', report, '--quiet'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' });
    const runDir = join(dir, '.killed-drift.csv.mlship-predict');
    const doneLog = join(runDir, 'done.log');
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      if (existsSync(doneLog) && readFileSync(doneLog, 'utf8').split('\n').length > 6) break;
      if (child.exitCode !== null) throw new Error('the run ended before it could be killed; give it more rows');
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(runDir).filter((f) => f.endsWith('.drift')).length).toBeGreaterThanOrEqual(6);
    const r1 = await runCli([...args, '--resume'], dir);
    expect(r1.code, r1.stderr).toBe(0);
    const res = JSON.parse(r1.stdout) as { rows: number; resumedChunks: number; chunks: number };
    expect(res.resumedChunks).toBeGreaterThanOrEqual(6);
    expect(res.resumedChunks).toBeLessThan(res.chunks);
    expect(res.rows).toBe(300000);
    expect(existsSync(runDir)).toBe(false);
    const d = await runCli(['drift', '--reference', ref, '--current', data, '--columns', IRIS_HEADER, '--out', join(dir, 'killed-drift-check.json'), '--quiet'], dir);
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toBe(readFileSync(join(dir, 'killed-drift-check.json'), 'utf8'));
    expect(JSON.parse(readFileSync(report, 'utf8')).current.rows).toBe(300000);
  }, 300_000);

  it('n processes with --shard i/n, merged: equal to the single run byte for byte', async () => {
    const n = 3;
    const parts = Array.from({ length: n }, (_, i) => join(dir, `part-${i}.csv`));
    const runs = await Promise.all(parts.map((p, i) => runCli(['predict', '--package', pkg, '--data', data, '--out', p, '--keep', 'target', '--workers', '1', '--shard', `${i}/${n}`, '--quiet'], dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rows = runs.map((r) => JSON.parse(r.stdout).rows as number);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(300000);
    expect(Math.min(...rows)).toBeGreaterThan(90000);
    const merged = join(dir, 'merged.csv');
    const m = await runCli(['predict', 'merge', '--out', merged, ...parts, '--quiet'], dir);
    expect(m.code, m.stderr).toBe(0);
    expect(readFileSync(merged).equals(readFileSync(join(dir, 'whole.csv')))).toBe(true);
    // In any order (a shell glob sorts part-10 before part-2) the parts merge in shard order; a missing one is refused.
    const back = await runCli(['predict', 'merge', '--out', join(dir, 'merged-back.csv'), ...[...parts].reverse(), '--quiet'], dir);
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged-back.csv')).equals(readFileSync(merged))).toBe(true);
    const gap = await runCli(['predict', 'merge', '--out', join(dir, 'merged-gap.csv'), parts[0]!, parts[2]!, '--quiet'], dir);
    expect(gap.code).toBe(2);
    expect(gap.stderr).toContain('shard 1/3 is missing');
    expect(existsSync(join(dir, 'merged-gap.csv'))).toBe(false);
  }, 300_000);

  it('--workers far above the chunks of a small file: as many workers as chunks, every run exits 0 (terminating workers still loading onnxruntime aborted the process)', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, readFileSync(data, 'utf8').split('\n').slice(0, 11).join('\n') + '\n');
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['predict', '--package', pkg, '--data', small, '--out', join(dir, `small-${i}.csv`), '--workers', '32', '--quiet'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ rows: 10, workers: 1 });
    }
  }, 300_000);

  it('the bundle copied alone (no worker file beside it) scores in one thread, with a warning, to the same bytes', async () => {
    const solo = join(dir, 'solo');
    mkdirSync(solo);
    copyFileSync(CLI, join(solo, 'mlship.js'));
    const out = join(dir, 'solo.csv');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(solo, 'mlship.js'), 'predict', '--package', pkg, '--data', data, '--out', out, '--keep', 'target', '--quiet'], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b) => { stdout += b; });
      child.stderr.on('data', (b) => { stderr += b; });
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('predict-score.worker.js is not beside the bundle');
    expect(JSON.parse(r.stdout).workers).toBe(1);
    expect(readFileSync(out).equals(readFileSync(join(dir, 'whole.csv')))).toBe(true);
  }, 300_000);

  it('a bad row in the middle: exit 2, the message names file, line and column, no output file', async () => {
    const lines = readFileSync(data, 'utf8').split('\n');
    lines[150001] = lines[150001]!.replace(/^[^,]*/, 'n/a?');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const r = await runCli(['predict', '--package', pkg, '--data', bad, '--out', join(dir, 'bad-out.csv'), '--workers', '2', '--chunk-bytes', '65536', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bad.csv: line 150002, column "sepal length (cm)": "n/a?"`);
    expect(readdirSync(dir).filter((f) => f.includes('bad-out'))).toEqual([]);
  }, 300_000);

  it('a bad --format or --on-error: exit 2 naming the flag and its values, nothing written', async () => {
    for (const [flags, message] of [[['--format', 'parquet'], '--format must be csv or jsonl, got "parquet"'], [['--on-error', 'ignore'], '--on-error must be stop or skip, got "ignore"']] as const) {
      const out = join(dir, 'bad-option.csv');
      const r = await runCli(['predict', '--package', pkg, '--data', data, '--out', out, ...flags, '--quiet'], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a drift setting without --drift-reference: exit 2 naming both flags, nothing scored or written', async () => {
    for (const flags of [['--drift-out', join(dir, 'orphan-drift.json')], ['--fail-on-drift']]) {
      const out = join(dir, 'orphan.csv');
      const r = await runCli(['predict', '--package', pkg, '--data', data, '--out', out, ...flags, '--quiet'], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${flags[0]} goes with --drift-reference`);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'orphan-drift.json'))).toBe(false);
    }
  });

  it('--drift-reference: the same drift report as mlship drift on the same files (JSON equal), the verdict in the summary; --fail-on-drift exits 1 with the output written', async () => {
    const ref = join(REPO_ROOT, 'test/fixtures/datasets/iris/train.csv');
    const out = join(dir, 'drift-scored.csv');
    const p = await runCli(['predict', '--package', pkg, '--data', data, '--out', out, '--keep', 'target', '--workers', '2',
      '--drift-reference', ref, '--drift-out', join(dir, 'p-drift.json'), '--drift-html', join(dir, 'p-drift.html'), '--quiet'], dir);
    expect(p.code, p.stderr).toBe(0);
    // drift-check itself on the scored input, over the package's feature columns.
    const d = await runCli(['drift', '--reference', ref, '--current', data, '--columns', IRIS_HEADER, '--out', join(dir, 'd-drift.json'), '--quiet'], dir);
    expect(d.code, d.stderr).toBe(0);
    const fromPredict = JSON.parse(readFileSync(join(dir, 'p-drift.json'), 'utf8'));
    const fromDrift = JSON.parse(readFileSync(join(dir, 'd-drift.json'), 'utf8'));
    expect(fromPredict).toEqual(fromDrift);
    expect(Object.keys(fromPredict.columns)).toEqual(IRIS_HEADER.split(','));
    expect(readFileSync(join(dir, 'p-drift.html'), 'utf8')).toContain('<html');
    const summary = JSON.parse(p.stdout) as { rows: number; drift: { dataset_drift: boolean; drifted_columns: string[]; verdict: string } };
    expect(summary.rows).toBe(300000);
    expect(summary.drift.dataset_drift).toBe(fromDrift.summary.dataset_drift);
    expect(summary.drift.drifted_columns).toEqual(fromDrift.summary.drifted_columns);
    // The generated rows are uniform noise, not iris: they drift, so --fail-on-drift says no (exit 1), output kept.
    expect(fromDrift.summary.dataset_drift).toBe(true);
    const f = await runCli(['predict', '--package', pkg, '--data', data, '--out', join(dir, 'drift-fail.csv'), '--drift-reference', ref, '--fail-on-drift', '--quiet'], dir);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('the batch drifted');
    expect(existsSync(join(dir, 'drift-fail.csv'))).toBe(true);
  }, 300_000);

  it('drift flags without --drift-reference, or with --shard: exit 2 naming the flags, nothing written', async () => {
    const r = await runCli(['predict', '--package', pkg, '--data', data, '--out', join(dir, 'x.csv'), '--drift-out', join(dir, 'x.json'), '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--drift-out goes with --drift-reference');
    const s = await runCli(['predict', '--package', pkg, '--data', data, '--out', join(dir, 'y.csv'), '--shard', '0/2', '--drift-reference', join(REPO_ROOT, 'test/fixtures/datasets/iris/train.csv'), '--quiet'], dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("one shard's drift is not the batch's");
    expect(readdirSync(dir).filter((f) => /^[xy]\.(csv|json)$/.test(f))).toEqual([]);
  }, 120_000);
});
