import { spawn } from 'node:child_process';
import type { Logger } from '../log.ts';

/** Every external program the SDK runs (npm, python, kubectl, skopeo, …) goes through here: no shell. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then closed. */
  input?: string | Uint8Array;
  logger?: Logger;
  /** Stream the child's stderr lines to logger.info as they come (long installs, conversions). */
  streamStderr?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args…` and resolves with its exit code and output; rejects only if it cannot start. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    options.logger?.debug(`run: ${command} ${args.join(' ')}`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      if (options.streamStderr && options.logger) {
        for (const line of b.toString('utf8').split('\n')) if (line.trim()) options.logger.info(line);
      }
    });
    child.on('error', (e) => reject(new Error(`Cannot run ${command}: ${e.message}`)));
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // A child that exits without reading its stdin (git, kubectl…) makes this write fail with EPIPE;
    // that is not an error of the run, its exit code says how it went.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') options.logger?.debug(`stdin of ${command}: ${e.message}`); });
    child.stdin.end(options.input ?? '');
  });
}
