import { InputError } from '../errors.ts';
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
  /** CSV inference log: add a `prediction` column (MLSHIP_INFERENCE_LOG_PREDICTIONS=1; default off so the header is exactly the features). */
  inferenceLogPredictions: boolean;
  /** After SIGTERM, how long in-flight requests may take before connections are cut (MLSHIP_DRAIN_TIMEOUT_MS, default 30000). */
  drainTimeoutMs: number;
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
  | 'inference-log-sample' | 'drain-timeout-ms' | 'intra-op-threads' | 'log-level' | 'model-name', string>> & { 'access-log'?: boolean; 'inference-log-predictions'?: boolean };

type ValueFlag = Exclude<keyof ServeFlags, 'access-log' | 'inference-log-predictions'>;

const ENV: Record<ValueFlag, string> = {
  host: 'MLSHIP_HOST',
  port: 'MLSHIP_PORT',
  'max-batch': 'MLSHIP_MAX_BATCH',
  'max-wait-ms': 'MLSHIP_MAX_WAIT_MS',
  'body-limit': 'MLSHIP_BODY_LIMIT',
  'inference-log': 'MLSHIP_INFERENCE_LOG',
  'inference-log-sample': 'MLSHIP_INFERENCE_LOG_SAMPLE',
  'drain-timeout-ms': 'MLSHIP_DRAIN_TIMEOUT_MS',
  'intra-op-threads': 'MLSHIP_INTRA_OP_THREADS',
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
  const int = (key: ValueFlag, def: number, min: number, max: number): number => {
    const { value, where } = pick(key);
    if (value === undefined) return def;
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InputError(`${where}=${JSON.stringify(value)} is not a whole number between ${min} and ${max}.`);
    }
    return n;
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
    drainTimeoutMs: int('drain-timeout-ms', 30_000, 0, 3_600_000),
    intraOpThreads: int('intra-op-threads', 1, 0, 256),
    inferenceLogPredictions: flags['inference-log-predictions'] ?? yes(env.MLSHIP_INFERENCE_LOG_PREDICTIONS),
    accessLog: flags['access-log'] ?? yes(env.MLSHIP_ACCESS_LOG),
    logLevel: parseLogLevel(pick('log-level').value, pick('log-level').where) ?? 'info',
    modelName: pick('model-name').value,
  };
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
