import { InputError } from '../errors.ts';
import { defaultWorkerCount } from '../util/cpu-limit.ts';
import { parseLogLevel, type LogLevel } from './json-log.ts';

/** How the model server runs. Every field has a flag (`mlship serve --port`) and an env var (`MLSHIP_PORT`). */
export interface ServeConfig {
  /** Interface to listen on (MLSHIP_HOST; default 127.0.0.1, the image sets 0.0.0.0). */
  host: string;
  /** TCP port (MLSHIP_PORT; default 8080; 0 asks the OS for a free one). */
  port: number;
  /**
   * Dynamic batching: at most this many rows go into one onnxruntime run (MLSHIP_MAX_BATCH, default 64).
   * 1 turns batching off: every request is its own run.
   */
  maxBatchSize: number;
  /**
   * Dynamic batching: once the server is busy (the last run merged several requests), how long a run
   * may wait for more rows before it starts (MLSHIP_MAX_WAIT_MS, default 0: merge only the requests
   * that arrived while the previous run was executing). An idle server never waits.
   */
  maxWaitMs: number;
  /** Largest request body in bytes; larger bodies get 413 (MLSHIP_BODY_LIMIT, default 1mb; accepts kb/mb). */
  bodyLimitBytes: number;
  /** Optional inference log: sampled rows and predictions, .csv, or .jsonl/.ndjson (MLSHIP_INFERENCE_LOG). */
  inferenceLog?: string;
  /** Fraction of rows written to the inference log, 0..1 (MLSHIP_INFERENCE_LOG_SAMPLE, default 1). */
  inferenceLogSample: number;
  /** Rotate the inference log when it reaches this size (MLSHIP_INFERENCE_LOG_MAX_BYTES, default 256mb; 0 = never). */
  inferenceLogMaxBytes: number;
  /** Rotate the inference log when its current file is this old (MLSHIP_INFERENCE_LOG_MAX_AGE, e.g. 1h or 24h; default 0 = never). */
  inferenceLogMaxAgeMs: number;
  /** Rotated inference log files kept beside the current one (MLSHIP_INFERENCE_LOG_KEEP, default 10; older ones are deleted). */
  inferenceLogKeep: number;
  /** Inference log records waiting for the disk, at most this many bytes; more are dropped and counted (MLSHIP_INFERENCE_LOG_BUFFER, default 8mb). */
  inferenceLogBufferBytes: number;
  /** CSV inference log: add `prediction`, `id` and `time` columns (MLSHIP_INFERENCE_LOG_PREDICTIONS=1; default off so the header is exactly the features). */
  inferenceLogPredictions: boolean;
  /**
   * After SIGTERM, how long the server keeps accepting and serving (readiness already 503, every
   * response `Connection: close`) so Kubernetes can take the pod out of the Service's endpoints before
   * the listener closes (MLSHIP_SHUTDOWN_DELAY, default 5s; `500ms`, `5s` or seconds).
   */
  shutdownDelayMs: number;
  /**
   * After the shutdown delay, how long in-flight requests may take before connections are cut
   * (MLSHIP_DRAIN_TIMEOUT_MS, default 25000). The Deployment deploy-k8s renders gives the pod
   * preStop sleep + delay + drain + 5 s (k8s/manifests.ts DEFAULT_TERMINATION_GRACE_SECONDS).
   */
  drainTimeoutMs: number;
  /** A request (headers and body) must arrive within this long, else 408 (MLSHIP_REQUEST_TIMEOUT_MS, default 60000). */
  requestTimeoutMs: number;
  /**
   * Server processes (MLSHIP_WORKERS; default: the container's CPU limit rounded up, else the cores:
   * cpu-limit.ts defaultWorkerCount). Above 1, a primary process forks that many workers sharing the
   * port, each with its own onnxruntime session (server/workers.ts); 1 is a single process.
   */
  workers: number;
  /** onnxruntime intra-op threads (MLSHIP_INTRA_OP_THREADS, default 1: tabular models are too small to split, requests are the parallelism). */
  intraOpThreads: number;
  /** Log every request as a JSON line (MLSHIP_ACCESS_LOG=1; default off, errors are always logged). */
  accessLog: boolean;
  /** MLSHIP_LOG_LEVEL: debug, info (default), warn, error. */
  logLevel: LogLevel;
  /** Name the model is served under (MLSHIP_MODEL_NAME; default: the package's name or the .onnx file name). */
  modelName?: string;
}

/** Flag values as `mlship serve` parses them (strings, or booleans for switches). */
export type ServeFlags = Partial<Record<'host' | 'port' | 'max-batch' | 'max-wait-ms' | 'body-limit' | 'inference-log'
  | 'inference-log-sample' | 'inference-log-max-bytes' | 'inference-log-max-age' | 'inference-log-keep' | 'inference-log-buffer' | 'drain-timeout-ms' | 'shutdown-delay' | 'request-timeout-ms' | 'intra-op-threads' | 'workers' | 'log-level' | 'model-name', string>> & { 'access-log'?: boolean; 'inference-log-predictions'?: boolean };

type ValueFlag = Exclude<keyof ServeFlags, 'access-log' | 'inference-log-predictions'>;

const ENV: Record<ValueFlag, string> = {
  host: 'MLSHIP_HOST',
  port: 'MLSHIP_PORT',
  'max-batch': 'MLSHIP_MAX_BATCH',
  'max-wait-ms': 'MLSHIP_MAX_WAIT_MS',
  'body-limit': 'MLSHIP_BODY_LIMIT',
  'inference-log': 'MLSHIP_INFERENCE_LOG',
  'inference-log-sample': 'MLSHIP_INFERENCE_LOG_SAMPLE',
  'inference-log-max-bytes': 'MLSHIP_INFERENCE_LOG_MAX_BYTES',
  'inference-log-max-age': 'MLSHIP_INFERENCE_LOG_MAX_AGE',
  'inference-log-keep': 'MLSHIP_INFERENCE_LOG_KEEP',
  'inference-log-buffer': 'MLSHIP_INFERENCE_LOG_BUFFER',
  'drain-timeout-ms': 'MLSHIP_DRAIN_TIMEOUT_MS',
  'shutdown-delay': 'MLSHIP_SHUTDOWN_DELAY',
  'request-timeout-ms': 'MLSHIP_REQUEST_TIMEOUT_MS',
  'intra-op-threads': 'MLSHIP_INTRA_OP_THREADS',
  workers: 'MLSHIP_WORKERS',
  'log-level': 'MLSHIP_LOG_LEVEL',
  'model-name': 'MLSHIP_MODEL_NAME',
};

/**
 * Resolves the server configuration: a flag wins over its environment variable, which wins over the
 * default. Throws InputError naming the flag and variable when a value is malformed.
 */
export function resolveServeConfig(flags: ServeFlags = {}, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const pick = (key: ValueFlag): { value: string | undefined; where: string } => {
    const flag = flags[key];
    if (flag !== undefined) return { value: flag, where: `--${key}` };
    const v = env[ENV[key]];
    return { value: v === '' ? undefined : v, where: ENV[key] };
  };
  const int = (key: ValueFlag, def: number | (() => number), min: number, max: number): number => {
    const { value, where } = pick(key);
    if (value === undefined) return typeof def === 'function' ? def() : def;
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InputError(`${where}=${JSON.stringify(value)} is not a whole number between ${min} and ${max}.`);
    }
    return n;
  };
  const duration = (key: ValueFlag, def: number, maxMs?: number): number => {
    const { value, where } = pick(key);
    return value === undefined ? def : parseDuration(value, where, maxMs);
  };
  const size = (key: ValueFlag, def: number, allowZero = false): number => {
    const { value, where } = pick(key);
    if (value === undefined) return def;
    return allowZero && /^\s*0\s*$/.test(value) ? 0 : parseByteSize(value, where);
  };
  const host = pick('host').value ?? '127.0.0.1';
  const sample = pick('inference-log-sample');
  let inferenceLogSample = 1;
  if (sample.value !== undefined) {
    inferenceLogSample = Number(sample.value);
    if (!Number.isFinite(inferenceLogSample) || inferenceLogSample < 0 || inferenceLogSample > 1 || sample.value.trim() === '') {
      throw new InputError(`${sample.where}=${JSON.stringify(sample.value)} is not a fraction between 0 and 1 (e.g. 0.1 logs one row in ten).`);
    }
  }
  const limit = pick('body-limit');
  const yes = (v: string | undefined) => v === '1' || v === 'true';
  return {
    host,
    port: int('port', 8080, 0, 65535),
    maxBatchSize: int('max-batch', 64, 1, 65536),
    maxWaitMs: int('max-wait-ms', 0, 0, 10_000),
    bodyLimitBytes: limit.value === undefined ? 1024 * 1024 : parseByteSize(limit.value, limit.where),
    inferenceLog: pick('inference-log').value,
    inferenceLogSample,
    inferenceLogMaxBytes: size('inference-log-max-bytes', 256 * 1024 ** 2, true),
    inferenceLogMaxAgeMs: duration('inference-log-max-age', 0, 366 * 86_400_000),
    inferenceLogKeep: int('inference-log-keep', 10, 0, 100_000),
    inferenceLogBufferBytes: size('inference-log-buffer', 8 * 1024 ** 2),
    shutdownDelayMs: duration('shutdown-delay', DEFAULT_SHUTDOWN_DELAY_MS),
    drainTimeoutMs: int('drain-timeout-ms', DEFAULT_DRAIN_TIMEOUT_MS, 0, 3_600_000),
    requestTimeoutMs: int('request-timeout-ms', 60_000, 100, 3_600_000),
    intraOpThreads: int('intra-op-threads', 1, 0, 256),
    workers: int('workers', () => defaultWorkerCount(), 1, 256),
    inferenceLogPredictions: flags['inference-log-predictions'] ?? yes(env.MLSHIP_INFERENCE_LOG_PREDICTIONS),
    accessLog: flags['access-log'] ?? yes(env.MLSHIP_ACCESS_LOG),
    logLevel: parseLogLevel(pick('log-level').value, pick('log-level').where) ?? 'info',
    modelName: pick('model-name').value,
  };
}

/** Default shutdown delay: a few seconds, the time endpoint controllers and kube-proxy need to stop routing to a terminating pod. */
export const DEFAULT_SHUTDOWN_DELAY_MS = 5000;
/** After the shutdown delay, how long in-flight requests may take (MLSHIP_DRAIN_TIMEOUT_MS). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 25_000;

/** `500ms`, `5s`, `2m`, `1h`, `1d`, or a bare number of seconds → milliseconds (at most `maxMs`, default 1 hour). */
export function parseDuration(value: string, where: string, maxMs = 3_600_000): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  const mult: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = m ? Math.round(Number(m[1]) * mult[(m[2] ?? 's').toLowerCase()]!) : NaN;
  if (!Number.isFinite(ms) || ms > maxMs) throw new InputError(`${where}=${JSON.stringify(value)} is not a duration of at most ${maxMs / 1000}s; write 500ms, 5s, 2m, 1h or a number of seconds.`);
  return ms;
}

/** `1048576`, `512kb`, `1mb`, `1.5MiB` → bytes (k = 1024). */
export function parseByteSize(value: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(value);
  if (!m) throw new InputError(`${where}=${JSON.stringify(value)} is not a size; write bytes (1048576) or 512kb / 1mb.`);
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(m[1]) * mult);
  if (bytes < 1) throw new InputError(`${where}=${JSON.stringify(value)} must be at least 1 byte.`);
  return bytes;
}
