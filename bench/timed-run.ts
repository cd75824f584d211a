import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';

/** GNU time, which reports CPU seconds and peak RSS of the command it runs. */
export const GNU_TIME = '/usr/bin/time';

export interface TimedRun { seconds: number; stdout: string; stderr: string }

/**
 * Runs `cmd args` under GNU time with `timeArgs` (e.g. `-v`, or `-f FORMAT`) in `cwd`; wall seconds,
 * stdout (or piped to `stdoutFile`) and stderr, where time writes its report. A non-zero exit rejects
 * with the end of stderr.
 */
export function runUnderTime(timeArgs: string[], cmd: string, args: string[], cwd: string, stdoutFile?: string): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(GNU_TIME, [...timeArgs, cmd, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (stdoutFile) child.stdout.pipe(createWriteStream(stdoutFile));
    else child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`));
      else resolve({ seconds, stdout, stderr });
    });
  });
}

/** The median of `xs` (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Writes `file` once (kept when it exists): `rows` rows × 20 features with a binary target from
 * scripts/gen-tabular.mjs, seeded; written beside and renamed, so a killed run leaves no partial file.
 */
export async function generateTabular(root: string, file: string, rows: number, seed: number): Promise<void> {
  if (existsSync(file)) return;
  console.log(`generating ${file} (${rows} rows)…`);
  await runUnderTime([], process.execPath, [join(root, 'scripts', 'gen-tabular.mjs'), '--rows', String(rows), '--features', '20', '--target', 'binary', '--seed', String(seed)], root, `${file}.tmp`);
  await new Promise((r) => setTimeout(r, 200));
  await rename(`${file}.tmp`, file);
}
