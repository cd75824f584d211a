import cluster, { type Worker } from 'node:cluster';
import { stat } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import { removeTelemetryDebugLogOf } from '../model/onnxruntime.ts';
import type { ServeConfig } from './config.ts';
import type { InferenceLog, InferenceLogSpec } from './inference-log.ts';
import { withLogFields, type StructuredLogger } from './json-log.ts';
import { Counter, exposeSnapshots, Gauge, MetricsRegistry, registerProcessMetrics, type MetricSnapshot } from './metrics.ts';
import { mergeMetricSnapshots, monotonicPart } from './metrics-merge.ts';
import { openServerInferenceLog, registerInferenceLogMetrics, type ModelServer, type WorkerLink } from './server.ts';

/**
 * `mlship serve --workers N` (N > 1): a primary process and N worker processes (node:cluster), each
 * worker a whole model server with its own onnxruntime session, all on one port — the primary accepts
 * connections and hands them to the workers in turn (cluster's round-robin), so keep-alive
 * connections spread evenly and each stays with its worker.
 *
 *  - Readiness: a worker loads its model and runs the golden rows before it listens; /v2/health/ready
 *    (and the model's ready endpoint) answer 200 only while every worker is ready. A worker that
 *    dies is replaced at once (after a delay doubling up to 10 s while replacements keep failing):
 *    meanwhile readiness is 503 on the other workers, which go on serving. A worker that fails before
 *    the server was ever ready (a model that does not load) stops the server with its exit code.
 *  - /metrics, on whichever worker it lands, is every process's registry merged by the primary
 *    (metrics-merge.ts: counters and histograms summed, gauges by GAUGE_MERGE), plus the primary's
 *    own process metrics, `mlship_workers`, `mlship_workers_ready`, `mlship_worker_restarts_total`
 *    and `mlship_worker_requests_total{worker}`. What a replaced worker had counted stays in the totals
 *    as of the last scrape before it stopped.
 *  - Inference log: workers format their records, the primary appends them to the one file (one
 *    writer: whole lines, rotation, the buffer bound and its counters as for one process); a request is
 *    answered after the primary has written its rows, as with one process. A worker sends the records
 *    of all the requests it answers in one event-loop turn (a batch) as one message, so the round trip
 *    is per batch; the buffer bound keeps or drops such a group whole.
 *  - SIGTERM (or SIGINT) to the primary: every worker drains as one server does (readiness 503, serve
 *    for the shutdown delay with `Connection: close`, close, finish in-flight requests), the primary
 *    waits for all of them, flushes the inference log, and exits 0 if every worker drained cleanly, 1
 *    if some had to cut requests at the drain timeout.
 *  - Request ids are random UUIDs (request-ids.ts): unique across workers without coordination.
 */

/** The environment variable a worker finds its slot in. */
export const WORKER_INDEX_ENV = 'MLSHIP_WORKER_INDEX';

/** Messages between the primary and a worker (structured-clone IPC). */
type ToPrimary =
  | { t: 'ready'; fields: Record<string, unknown>; log?: InferenceLogSpec }
  | { t: 'metrics'; id: number }
  | { t: 'snapshot'; id: number; metrics: MetricSnapshot[] }
  | { t: 'log'; id: number; text: string; rows: number }
  | { t: 'stopped'; drained: boolean; cut: number; metrics: MetricSnapshot[] };
type ToWorker =
  | { t: 'peers'; notReady?: string }
  | { t: 'collect'; id: number }
  | { t: 'metrics'; id: number; text: string }
  | { t: 'logged'; id: number }
  | { t: 'drain'; signal: string };

/** How long the primary waits for a worker's metrics before using its previous ones. */
const COLLECT_TIMEOUT_MS = 2000;
const MAX_RESTART_DELAY_MS = 10_000;

export function isServerWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_INDEX_ENV] !== undefined;
}

interface Slot {
  index: number;
  worker?: Worker;
  state: 'starting' | 'ready' | 'stopped';
  /** The worker's metrics at the last scrape. */
  last?: MetricSnapshot[];
  stopped?: { drained: boolean; cut: number };
  failures: number;
}

/**
 * The primary: forks `config.workers` workers (each re-runs this command line: `mlship serve …`),
 * keeps them running, answers their metrics and inference-log messages, and drains them on a signal.
 * Resolves with the exit code; rejects (InputError) when the server cannot start.
 */
export async function runServerPrimary(path: string, config: ServeConfig, logger: StructuredLogger, options: { onReady?: () => void; signals?: NodeJS.Signals[] } = {}): Promise<number> {
  // The one check worth making before N processes would each report it.
  await stat(path).catch(() => { throw new InputError(`${path} does not exist; pass a model package (directory or .tar.gz from mlship serialize) or an .onnx file.`); });
  const N = config.workers;
  const slots: Slot[] = Array.from({ length: N }, (_, index) => ({ index, state: 'starting', failures: 0 }));
  const registry = new MetricsRegistry();
  registerProcessMetrics(registry);
  let inferenceLog: Promise<InferenceLog> | undefined;
  let log: InferenceLog | undefined;
  let restarts = 0;
  registerInferenceLogMetrics(registry, () => log);
  registry.register(new Gauge('mlship_workers', 'Worker processes the server runs (mlship serve --workers).')).set(N);
  registry.register(new Gauge('mlship_workers_ready', 'Worker processes ready to serve; the server is ready when all are.', [], (g) => g.set(slots.filter((s) => s.state === 'ready').length)));
  registry.register(new Counter('mlship_worker_restarts_total', 'Worker processes replaced after they stopped unexpectedly.', [], () => restarts));
  /** Counters and histograms of workers that stopped, so totals never go down. */
  let retired: MetricSnapshot[] = [];
  let everReady = false;
  let draining = false;
  let fatal: { code: number; reason: string; error?: Error } | undefined;
  let readyFields: Record<string, unknown> | undefined;
  let seq = 0;
  const pending = new Map<number, (m: MetricSnapshot[]) => void>();

  const notReady = (): string | undefined => {
    if (draining) return 'the server is draining';
    const ready = slots.filter((s) => s.state === 'ready').length;
    return ready === N ? undefined : `${ready} of ${N} workers are ready`;
  };
  let announced: string | undefined = 'starting';
  const broadcast = () => {
    const reason = notReady();
    for (const s of slots) if (s.worker?.isConnected()) send(s.worker, { t: 'peers', notReady: reason });
    if (reason === announced) return;
    announced = reason;
    if (reason === undefined && !everReady) {
      everReady = true;
      logger.log('info', 'ready', { ...readyFields, workers: N });
      options.onReady?.();
    } else if (reason === undefined) logger.log('info', 'workers ready', { workers: N });
    else if (everReady && !draining) logger.log('warn', 'not ready', { reason });
  };

  const collect = async (): Promise<string> => {
    const sets = await Promise.all(slots.map(async (s) => {
      const w = s.worker;
      if (!w?.isConnected() || s.state === 'stopped') return [];
      const id = ++seq;
      const got = new Promise<MetricSnapshot[] | undefined>((resolve) => {
        const timer = setTimeout(() => { pending.delete(id); resolve(undefined); }, COLLECT_TIMEOUT_MS);
        pending.set(id, (m) => { clearTimeout(timer); resolve(m); });
      });
      send(w, { t: 'collect', id });
      const m = await got;
      if (m) s.last = m;
      return s.last ?? [];
    }));
    const merged = mergeMetricSnapshots([...sets, retired, registry.read()]);
    const ready = notReady() === undefined;
    for (const m of merged) if (m.name === 'mlship_model_ready' && !ready) for (const sample of m.samples) sample.value = 0;
    merged.push({
      name: 'mlship_worker_requests_total', help: 'HTTP requests handled by each worker process (since it started).', type: 'counter', labelNames: ['worker'],
      samples: slots.map((s, i) => ({ labels: [String(s.index)], value: (sets[i] ?? []).find((m) => m.name === 'mlship_http_requests_total')?.samples.reduce((a, x) => a + x.value!, 0) ?? 0 })),
    });
    return exposeSnapshots(merged);
  };

  const fork = (slot: Slot) => {
    slot.state = 'starting';
    slot.stopped = undefined;
    slot.last = undefined;
    const w = cluster.fork({ [WORKER_INDEX_ENV]: String(slot.index) });
    slot.worker = w;
    w.on('message', (msg: ToPrimary) => {
      switch (msg.t) {
        case 'ready': {
          if (!readyFields) { const { worker: _w, pid: _p, ...model } = msg.fields; readyFields = model; }
          if (msg.log && config.inferenceLog && !inferenceLog) {
            inferenceLog = openServerInferenceLog({ ...config, inferenceLog: config.inferenceLog }, msg.log, logger).then((l) => (log = l));
            inferenceLog.catch((err: Error) => stop({ code: 2, reason: err.message, error: err }));
          }
          // Ready once the log it writes to is open too (a log that cannot be opened stops the server first).
          const ready = () => {
            if (slot.worker !== w || draining) return;
            slot.state = 'ready';
            slot.failures = 0;
            broadcast();
          };
          if (inferenceLog) inferenceLog.then(ready, () => {});
          else ready();
          break;
        }
        case 'metrics':
          collect().then((text) => send(w, { t: 'metrics', id: msg.id, text }), (err: Error) => send(w, { t: 'metrics', id: msg.id, text: `# metrics unavailable: ${err.message}\n` }));
          break;
        case 'snapshot':
          pending.get(msg.id)?.(msg.metrics);
          pending.delete(msg.id);
          break;
        case 'log':
          (inferenceLog ?? Promise.reject(new Error('no inference log')))
            .then((l) => l.append(msg.text, msg.rows))
            .catch(() => {})
            .finally(() => { if (w.isConnected()) send(w, { t: 'logged', id: msg.id }); });
          break;
        case 'stopped':
          slot.stopped = { drained: msg.drained, cut: msg.cut };
          slot.last = msg.metrics;
          break;
      }
    });
    w.on('exit', (code, signal) => {
      // What onnxruntime's telemetry left in TMPDIR for that process.
      if (w.process.pid !== undefined) cleanups.push(removeTelemetryDebugLogOf(w.process.pid, true));
      if (slot.worker !== w) return;
      slot.worker = undefined;
      const wasReady = slot.state === 'ready';
      slot.state = 'stopped';
      if (slot.last) retired = mergeMetricSnapshots([retired, monotonicPart(slot.last)]);
      slot.last = undefined;
      if (draining) { exited(); return; }
      if (!everReady) {
        // The model does not load (the worker said why on stderr): stop, with its exit code.
        stop({ code: code || 1, reason: `worker ${slot.index} exited (${signal ?? code}) before the server was ready` });
        return;
      }
      slot.failures += wasReady ? 0 : 1;
      const delay = slot.failures === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (slot.failures - 1));
      logger.log('error', 'worker exited; replacing it', { worker: slot.index, pid: w.process.pid, code, signal, restart_in_ms: delay });
      restarts++;
      broadcast();
      setTimeout(() => { if (!draining) fork(slot); }, delay).unref();
    });
  };

  const cleanups: Array<Promise<unknown>> = [];
  let exited = () => {};
  const allExited = new Promise<void>((resolve) => {
    exited = () => { if (slots.every((s) => !s.worker)) resolve(); };
  });
  const stop = (why?: { code: number; reason: string; error?: Error }, signal = 'SIGTERM') => {
    if (draining) return;
    draining = true;
    fatal = why;
    if (why) logger.log('error', 'cannot serve', { path, error: why.reason });
    else logger.log('info', 'draining', { reason: signal, workers: N, shutdown_delay_ms: config.shutdownDelayMs });
    broadcast();
    for (const s of slots) {
      if (!s.worker) continue;
      // A failed start stops the others (SIGTERM: each removes what it extracted); a drain lets each
      // finish. SIGKILL only past the drain's own deadline.
      if (why) s.worker.process.kill('SIGTERM');
      else if (s.worker.isConnected()) send(s.worker, { t: 'drain', signal });
      else s.worker.process.kill('SIGTERM');
    }
    const deadline = config.shutdownDelayMs + config.drainTimeoutMs + 5000;
    setTimeout(() => { for (const s of slots) s.worker?.process.kill('SIGKILL'); }, deadline).unref();
    exited();
  };

  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = (s: NodeJS.Signals) => stop(undefined, s);
  for (const s of signals) process.on(s, onSignal);
  const started = performance.now();
  cluster.setupPrimary({ serialization: 'advanced' });
  logger.log('info', 'starting workers', { workers: N, path });
  for (const slot of slots) fork(slot);
  await allExited;
  await Promise.all(cleanups);
  for (const s of signals) process.off(s, onSignal);
  const remaining = Math.max(0, config.drainTimeoutMs - (performance.now() - started));
  const closed = log ? await log.close(Math.max(remaining, 1000)) : undefined;
  // The primary's own failure (the inference log) is thrown, for the CLI to print as one process does;
  // a worker that failed wrote why on stderr, and the primary's `cannot serve` line says which worker.
  if (fatal?.error) throw fatal.error;
  if (fatal) return fatal.code;
  const drained = slots.every((s) => s.stopped?.drained ?? false);
  const cut = slots.reduce((a, s) => a + (s.stopped?.cut ?? 0), 0);
  logger.log(drained ? 'info' : 'warn', 'stopped', {
    drained, cut_requests: cut, workers: N, restarts,
    ...(log ? { inference_log_flushed: closed?.flushed ?? true, inference_log_rows: log.rowsWritten, inference_log_dropped_rows: log.rowsDropped } : {}),
  });
  return drained ? 0 : 1;
}

function send(w: Worker | NodeJS.Process, msg: ToWorker | ToPrimary, done?: () => void): void {
  try {
    if (done) (w as NodeJS.Process).send!(msg, undefined, {}, () => done());
    else (w as Worker).send(msg as never);
  } catch { done?.(); /* the channel closed: the exit handler takes over */ }
}

/**
 * The worker side: a WorkerLink over the IPC channel to the primary, and the server's lifecycle:
 * drain on the primary's word (or on its own SIGTERM/SIGINT, as a terminal's Ctrl-C reaches every
 * process of the group), report how it went with its final metrics, then leave.
 */
export function workerLink(logger: StructuredLogger): {
  link: WorkerLink; logger: StructuredLogger; drainRequested: Promise<string>; getServer: (s: ModelServer) => void;
  stopped: (r: { drained: boolean; inFlight: number }) => void; leave: () => void;
} {
  const index = Number(process.env[WORKER_INDEX_ENV]);
  let notReady: string | undefined = 'the other workers are starting';
  let seq = 0;
  const metricsWaiters = new Map<number, (text: string) => void>();
  const logWaiters = new Map<number, () => void>();
  let pendingLog: { texts: string[]; rows: number; waiters: Array<() => void> } | undefined;
  const flushLog = () => {
    const group = pendingLog!;
    pendingLog = undefined;
    const id = ++seq;
    const done = () => { for (const w of group.waiters) w(); };
    // As with one process, a stalled disk never holds a response long (InferenceLog's stall time, and some).
    const timer = setTimeout(() => { logWaiters.delete(id); done(); }, 2000);
    logWaiters.set(id, () => { clearTimeout(timer); done(); });
    send(process, { t: 'log', id, text: group.texts.join(''), rows: group.rows });
  };
  let server: ModelServer | undefined;
  let requestDrain!: (signal: string) => void;
  const drainRequested = new Promise<string>((resolve) => { requestDrain = resolve; });
  process.on('message', (msg: ToWorker) => {
    switch (msg.t) {
      case 'peers': notReady = msg.notReady; break;
      case 'collect': send(process, { t: 'snapshot', id: msg.id, metrics: server?.metrics.registry.read() ?? [] }); break;
      case 'metrics': metricsWaiters.get(msg.id)?.(msg.text); metricsWaiters.delete(msg.id); break;
      case 'logged': logWaiters.get(msg.id)?.(); logWaiters.delete(msg.id); break;
      case 'drain': requestDrain(msg.signal); break;
    }
  });
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => requestDrain(s));
  const link: WorkerLink = {
    index,
    notReady: () => notReady,
    metrics: () => new Promise((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => { metricsWaiters.delete(id); reject(new Error('the primary did not answer with the metrics')); }, COLLECT_TIMEOUT_MS * 2);
      metricsWaiters.set(id, (text) => { clearTimeout(timer); resolve(text); });
      send(process, { t: 'metrics', id });
    }),
    appendLog: (text, rows) => new Promise((resolve) => {
      // The records of every request answered in this turn (a batch's requests reach here together)
      // go to the primary as one message, after the turn's promise callbacks: one round trip per
      // batch, not per request.
      if (!pendingLog) {
        pendingLog = { texts: [], rows: 0, waiters: [] };
        process.nextTick(flushLog);
      }
      pendingLog.texts.push(text);
      pendingLog.rows += rows;
      pendingLog.waiters.push(resolve);
    }),
    ready: (fields, log) => send(process, { t: 'ready', fields: { ...fields, worker: index, pid: process.pid }, ...(log ? { log } : {}) }),
  };
  return {
    link,
    logger: withLogFields(logger, { worker: index, pid: process.pid }),
    drainRequested,
    getServer: (s) => { server = s; },
    leave: () => cluster.worker?.disconnect(),
    stopped: (r) => {
      // Then leave the cluster (closing the IPC channel): the process exits with its exit code.
      send(process, { t: 'stopped', drained: r.drained, cut: r.inFlight, metrics: server?.metrics.registry.read() ?? [] }, () => cluster.worker?.disconnect());
    },
  };
}
