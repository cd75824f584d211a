import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './run-action.ts';

/** The project's Python (.venv from scripts/setup.sh). Throws with the fix if setup has not run. */
export function pythonBin(): string {
  const py = join(REPO_ROOT, '.venv', 'bin', 'python');
  if (!existsSync(py)) throw new Error(`${py} is missing: run \`npm run setup\` first (it creates .venv with the reference libraries).`);
  return py;
}

/** Runs a Python script from python/ with arguments and returns its stdout parsed as JSON. */
export function runPythonJson<T = unknown>(script: string, args: string[] = [], input?: string): T {
  const out = execFileSync(pythonBin(), [join(REPO_ROOT, 'python', script), ...args], {
    input, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as T;
}

/** Runs a short Python program (`python -c`) with arguments and returns its stdout parsed as JSON. */
export function runPythonCodeJson<T = unknown>(code: string, args: string[] = []): T {
  const out = execFileSync(pythonBin(), ['-c', code, ...args], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as T;
}
