import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../harness/run-action.ts';

const CLI = join(REPO_ROOT, 'packages/cli/dist/mlship.js');

/**
 * A real inference log: serves `packageDir` with `mlship serve --inference-log file` (the CLI bundle),
 * sends `rows` to /predict in one request, stops the server and returns the log's text.
 */
export async function inferenceLog(packageDir: string, file: string, rows: number[][]): Promise<string> {
  const server = spawn(process.execPath, [CLI, 'serve', packageDir, '--port', '0', '--inference-log', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let url = '';
    for await (const line of createInterface({ input: server.stdout! })) {
      const entry = JSON.parse(line) as { msg: string; port?: number };
      if (entry.msg === 'listening') url = `http://127.0.0.1:${entry.port}`;
      if (entry.msg === 'ready') break;
    }
    if (!url) throw new Error(`mlship serve ${packageDir} exited before it was ready`);
    const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: rows }) });
    if (res.status !== 200) throw new Error(`POST /predict answered ${res.status}: ${await res.text()}`);
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((r) => server.once('exit', r));
  }
  return readFile(file, 'utf8');
}

/** The feature rows of a labelled CSV (every column but the last, the target). */
export function featureRows(csv: string): number[][] {
  return csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, -1).map(Number));
}
