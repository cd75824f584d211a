import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './run-action.ts';

/** The CLI bundle, as `npm run build` makes it and users run it. */
export const CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'mlship.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mlship ARGS…` (the CLI bundle on this Node, 24) in `cwd`; resolves with exit code and output. */
export function runCli(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
