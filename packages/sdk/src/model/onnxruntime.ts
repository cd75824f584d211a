import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { runProcess } from '../util/process.ts';

export type Ort = typeof import('onnxruntime-node');

/** The onnxruntime-node version mlship is built and tested against (the fixtures' version too). */
export const ONNXRUNTIME_NODE_VERSION = '1.30.0';

/**
 * onnxruntime-node carries a native binding (≈45 MB for linux-x64) that a bundler cannot inline, so
 * the actions' bundles leave it out and find it at run time, in this order:
 *  1. `MLSHIP_ONNXRUNTIME_DIR`: a folder whose node_modules holds onnxruntime-node (a pre-provisioned
 *     runner image, an air-gapped mirror);
 *  2. normal resolution from the calling code (the repo, an `npm install mlship` project);
 *  3. the runner's tool cache: `$RUNNER_TOOL_CACHE/mlship-onnxruntime-node/<version>/<platform>-<arch>`
 *     (`~/.cache/mlship/…` off Actions), filled on the first run by `npm install` of the pinned
 *     version from the npm registry and reused by every later step on that runner.
 * The install goes to a temporary folder renamed into place, so concurrent jobs never see half a copy.
 */
export async function loadOnnxRuntime(logger: Logger = silentLogger): Promise<Ort> {
  cached ??= locateOrInstall(logger).catch((err) => { cached = undefined; throw err; });
  return cached;
}
let cached: Promise<Ort> | undefined;

/**
 * onnxruntime's bundled telemetry library (1DS, "MATSDK") creates an empty `$TMPDIR/mat-debug-<pid>.log`
 * when the first session is created (from a thread of its own, so possibly a moment later), one per
 * process, never written on Linux and never removed. Called after each session creation and when a
 * server stops: removes this process's file once, if it is still empty; until the file has been seen,
 * every call looks again.
 */
export async function removeTelemetryDebugLog(): Promise<void> {
  if (telemetryLogRemoved) return;
  telemetryLogRemoved = await removeTelemetryDebugLogOf(process.pid);
}

/**
 * Removes process `pid`'s telemetry log if empty (see removeTelemetryDebugLog), or whatever it holds
 * with `ended` — the primary of `mlship serve --workers`, for each worker that exited: several
 * processes share the telemetry's SQLite file in TMPDIR, and the log then holds its "database is
 * locked" lines, nothing of the server's. True if there was a file.
 */
export async function removeTelemetryDebugLogOf(pid: number, ended = false): Promise<boolean> {
  const file = join(tmpdir(), `mat-debug-${pid}.log`);
  try {
    if (ended || (await stat(file)).size === 0) {
      await stat(file);
      await rm(file, { force: true });
    }
    return true;
  } catch {
    return false; // not created (yet, or on another platform or version)
  }
}
let telemetryLogRemoved = false;

export function onnxRuntimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.RUNNER_TOOL_CACHE ? join(env.RUNNER_TOOL_CACHE, 'mlship-onnxruntime-node')
    : join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mlship', 'onnxruntime-node');
  return join(base, ONNXRUNTIME_NODE_VERSION, `${process.platform}-${process.arch}`);
}

async function locateOrInstall(logger: Logger): Promise<Ort> {
  const explicit = process.env.MLSHIP_ONNXRUNTIME_DIR;
  if (explicit) return importFrom(explicit, 'MLSHIP_ONNXRUNTIME_DIR');
  if (process.env.MLSHIP_ONNXRUNTIME_FORCE_CACHE !== '1') {
    try {
      return interop(await import('onnxruntime-node'));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const dir = onnxRuntimeCacheDir();
  if (!existsSync(join(dir, '.complete'))) await installInto(dir, logger);
  else logger.info(`onnxruntime-node ${ONNXRUNTIME_NODE_VERSION}: using the cached copy in ${dir}`);
  return importFrom(dir, 'the tool cache');
}

async function installInto(dir: string, logger: Logger): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'package.json'), JSON.stringify({ name: 'mlship-onnxruntime', private: true }));
  logger.info(`onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} is not installed here: installing it from the npm registry into ${dir} (once per runner)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = await runProcess(npm, ['install', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev',
    `onnxruntime-node@${ONNXRUNTIME_NODE_VERSION}`], {
    cwd: tmp,
    // The CPU binaries are in the npm package; skip the optional CUDA download of its postinstall.
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    logger,
  });
  if (res.code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new MlshipError(`Could not install onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} with npm (exit ${res.code}). `
      + `Make npm and the npm registry reachable from the runner, or install it yourself and set MLSHIP_ONNXRUNTIME_DIR to the folder holding its node_modules.\n${res.stderr.slice(-2000)}`);
  }
  await trimToPlatform(join(tmp, 'node_modules', 'onnxruntime-node'));
  await writeFile(join(tmp, '.complete'), new Date().toISOString());
  await mkdir(join(dir, '..'), { recursive: true });
  try {
    await rename(tmp, dir);
  } catch (err) {
    // Another job finished first: use its copy.
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw err;
  }
}

/**
 * The npm package carries binaries for every OS and CPU (≈290 MB unpacked); a runner needs one
 * (≈45 MB for linux-x64). Drops bin/napi-v6/<os>/<arch> folders for other platforms.
 */
async function trimToPlatform(pkgDir: string): Promise<void> {
  const binRoot = join(pkgDir, 'bin', 'napi-v6');
  if (!existsSync(binRoot)) return;
  for (const os of await readdir(binRoot)) {
    if (os !== process.platform) {
      await rm(join(binRoot, os), { recursive: true, force: true });
      continue;
    }
    for (const arch of await readdir(join(binRoot, os))) {
      if (arch !== process.arch) await rm(join(binRoot, os, arch), { recursive: true, force: true });
    }
  }
}

function importFrom(dir: string, where: string): Ort {
  const req = createRequire(join(dir, 'package.json'));
  try {
    return interop(req('onnxruntime-node'));
  } catch (err) {
    throw new MlshipError(`onnxruntime-node could not be loaded from ${dir} (${where}): ${(err as Error).message}`);
  }
}

function interop(mod: unknown): Ort {
  const m = mod as Ort & { default?: Ort };
  return (m.InferenceSession ? m : m.default) as Ort;
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
