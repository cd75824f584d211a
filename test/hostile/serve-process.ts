// `mlship serve` as a child process (the CLI sources bundled with esbuild, as scripts/build.mjs does),
// for the shutdown and crash tests: JSON logs parsed line by line, waits on a log message.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../harness/run-action.ts';

export interface Served {
  child: ChildProcess;
  logs: Array<Record<string, any>>;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (msg: string) => Promise<Record<string, any>>;
}

/** Builds a CLI bundle beside packages/cli/dist (so onnxruntime-node resolves); returns its path and a remover. */
export async function buildCliBundle(tag: string): Promise<{ bundle: string; remove: () => Promise<void> }> {
  const bundle = join(REPO_ROOT, 'packages/cli/dist', `.test-${tag}-${process.pid}.js`);
  await build({
    entryPoints: [join(REPO_ROOT, 'packages/cli/src/main.ts')], outfile: bundle, bundle: true, platform: 'node', target: 'node24', format: 'esm',
    banner: { js: "import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);" },
    external: ['onnxruntime-node'], logLevel: 'warning',
  });
  return { bundle, remove: () => rm(bundle, { force: true }) };
}

export function serve(bundle: string, args: string[], env: Record<string, string>): Served {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, MLSHIP_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Array<Record<string, any>> = [];
  const waiters: Array<{ msg: string; resolve: (l: Record<string, any>) => void }> = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const obj = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      logs.push(obj);
      for (const w of waiters.filter((w) => w.msg === obj.msg)) w.resolve(obj);
    }
  });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child, logs, stderr: () => err, exit,
    waitFor: (msg) => {
      const seen = logs.find((l) => l.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ msg, resolve });
        exit.then(({ code }) => reject(new Error(`server exited (${code}) before logging "${msg}": ${err}\n${JSON.stringify(logs)}`)));
      });
    },
  };
}
