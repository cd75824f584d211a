import type { ServeConfig } from './config.ts';
import type { StructuredLogger } from './json-log.ts';
import { removeTelemetryDebugLog } from '../model/onnxruntime.ts';
import { servedModelFrom } from './model-source.ts';
import { ModelServer } from './server.ts';
import { isServerWorker, runServerPrimary, workerLink } from './workers.ts';

export interface RunModelServerOptions {
  /** Called once the server is ready, in one process (`workers: 1`; with workers the primary logs `ready`). The CLI prints nothing else; tests and the image use the logs. */
  onReady?: (server: ModelServer) => void;
  /** Signals that start a graceful drain (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
}

/**
 * `mlship serve`: with `config.workers` > 1, the primary of that many worker processes (workers.ts;
 * each worker re-runs the command line and lands here again as a worker); else one process:
 * resolves the package (or .onnx), starts the server, and runs until SIGTERM/SIGINT,
 * then drains and resolves with the exit code: 0 after a clean drain, 1 if requests had to be cut at
 * the drain timeout. A model that fails to load or to reproduce its golden rows rejects (exit 2) after
 * the listener is closed, so an orchestrator sees a crash, not a live-but-never-ready pod.
 */
export async function runModelServer(path: string, config: ServeConfig, logger: StructuredLogger, options: RunModelServerOptions = {}): Promise<number> {
  if (isServerWorker()) return runWorker(path, config, logger);
  if (config.workers > 1) return runServerPrimary(path, config, logger, { signals: options.signals });
  return runOne(path, config, logger, options);
}

/** One worker of `--workers N` (server/workers.ts): a whole server, driven by the primary. */
async function runWorker(path: string, config: ServeConfig, parentLogger: StructuredLogger): Promise<number> {
  const w = workerLink(parentLogger);
  try {
    return await runOne(path, config, w.logger, { signals: [] }, w);
  } catch (err) {
    w.leave(); // the IPC channel would keep the process alive
    throw err;
  }
}

async function runOne(path: string, config: ServeConfig, logger: StructuredLogger, options: RunModelServerOptions, w?: ReturnType<typeof workerLink>): Promise<number> {
  let server: ModelServer;
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const model = await servedModelFrom(path, { name: config.modelName, logger, intraOpThreads: config.intraOpThreads });
    cleanup = model.cleanup;
    server = await ModelServer.start(model, w ? { ...config, worker: w.link } : config, logger);
    w?.getServer(server);
  } catch (err) {
    await cleanup?.();
    await removeTelemetryDebugLog();
    logger.log('error', 'cannot serve', { path, error: (err as Error).message });
    throw err;
  }
  try {
    const code = await serveUntilSignal(server, options, w);
    return code;
  } finally {
    // `serve PKG.tar.gz` extracted the package to the temp dir: leave nothing behind.
    await cleanup?.();
    await removeTelemetryDebugLog();
  }
}

async function serveUntilSignal(server: ModelServer, options: RunModelServerOptions, w?: ReturnType<typeof workerLink>): Promise<number> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let stop!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((resolve) => { stop = resolve; });
  w?.drainRequested.then((s) => stop(s as NodeJS.Signals));
  for (const s of signals) process.once(s, stop);
  try {
    await Promise.race([server.whenReady, stopped]);
  } catch (err) {
    await server.close();
    for (const s of signals) process.off(s, stop);
    throw err;
  }
  if (server.isReady) options.onReady?.(server);
  const signal = await stopped;
  for (const s of signals) process.off(s, stop);
  const result = await server.drain(signal);
  w?.stopped(result);
  return result.drained ? 0 : 1;
}
