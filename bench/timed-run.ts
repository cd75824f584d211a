import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

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
