import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A Logger that also takes structured fields: what the server logs through. */
export interface StructuredLogger extends Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON logs, one object per line: `{"time":"<ISO 8601>","level":"info","msg":"…",…fields}`
 * (the shape Kubernetes log shippers — Loki, Fluent Bit, Cloud Logging — parse without configuration).
 * Lines below `level` are dropped. Never pass secrets in fields: the server logs request metadata only.
 */
export function jsonLogger(options: { write?: (line: string) => void; level?: LogLevel; fields?: Record<string, unknown> } = {}): StructuredLogger {
  const write = options.write ?? ((line: string) => { process.stdout.write(line); });
  const min = ORDER[options.level ?? 'info'];
  const base = options.fields ?? {};
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  let lastPct = -1;
  return {
    log,
    debug: (m) => log('debug', m),
    info: (m) => log('info', m),
    warn: (m) => log('warn', m),
    progress(label, done, total) {
      const pct = total > 0 ? Math.floor((10 * done) / total) * 10 : 100;
      if (pct === lastPct) return;
      lastPct = pct;
      log('info', label, { progress: pct, done, total });
    },
  };
}

/** Parses MLSHIP_LOG_LEVEL-style values. */
export function parseLogLevel(value: string | undefined, where: string): LogLevel | undefined {
  if (value === undefined || value === '') return undefined;
  if (value in ORDER) return value as LogLevel;
  throw new InputError(`${where}: log level ${JSON.stringify(value)} is not one of debug, info, warn, error`);
}

/** The same logger with `fields` on every line (a worker's `worker` and `pid`). */
export function withLogFields(logger: StructuredLogger, fields: Record<string, unknown>): StructuredLogger {
  const log = (level: LogLevel, msg: string, more?: Record<string, unknown>) => logger.log(level, msg, { ...fields, ...more });
  return {
    log,
    debug: (m) => log('debug', m),
    info: (m) => log('info', m),
    warn: (m) => log('warn', m),
    progress: (label, done, total) => logger.progress?.(label, done, total),
  };
}
