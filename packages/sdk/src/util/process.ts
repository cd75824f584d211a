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

/** A long-running child (e.g. `kubectl proxy`) started by startProcess. */
export interface BackgroundProcess {
  readonly pid: number | undefined;
  /**
   * Resolves with the first match of `pattern` in the child's stdout so far; rejects with its stderr
   * when it exits first or `timeoutMs` passes.
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 2 s); resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command args…` (no shell) and leaves it running; stop it with `stop()`. */
export function startProcess(command: string, args: readonly string[], options: Pick<RunOptions, 'env' | 'logger' | 'cwd'> = {}): BackgroundProcess {
  options.logger?.debug(`start: ${command} ${args.join(' ')}`);
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let startError: Error | undefined;
  const changed = new Set<() => void>();
  const notify = () => { for (const f of changed) f(); };
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); notify(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); notify(); });
  child.on('error', (e) => { startError = new Error(`Cannot run ${command}: ${e.message}`); notify(); });
  const gone = new Promise<void>((resolve) => child.on('close', (code, signal) => { exited = { code, signal }; notify(); resolve(); }));
  return {
    pid: child.pid,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${command} printed nothing matching ${pattern} within ${timeoutMs} ms${stderr.trim() ? `: ${stderr.trim()}` : ''}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(stdout);
          if (m) return done(undefined, m);
          if (startError) return done(startError);
          if (exited) done(new Error(`${command} exited (${exited.signal ?? `code ${exited.code}`}): ${stderr.trim() || stdout.trim()}`));
        };
        function done(err?: Error, m?: RegExpExecArray) {
          clearTimeout(timer);
          changed.delete(check);
          if (err) reject(err); else resolve(m!);
        }
        changed.add(check);
        check();
      });
    },
    async stop(graceMs = 2000) {
      if (exited || startError || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
