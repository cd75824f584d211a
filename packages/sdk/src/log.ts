/**
 * The SDK never prints: it reports through a Logger. The CLI logs to stderr, the GitHub adapter to
 * @actions/core (so messages become annotations and groups), the server as JSON lines.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** Progress of long work: `done` of `total` units (rows, bytes, layers). Throttled by the sink. */
  progress?(label: string, done: number, total: number): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/** Logs to stderr; progress is redrawn at most every 200 ms on a TTY and every 10% otherwise. */
export function stderrLogger(options: { verbose?: boolean } = {}): Logger {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastDecile = -1;
  return {
    debug: (m) => { if (options.verbose) process.stderr.write(`debug: ${m}\n`); },
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    progress(label, done, total) {
      const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 200 && done < total) return;
        lastDraw = now;
        process.stderr.write(`\r${label}: ${pct.toFixed(0)}%${done >= total ? '\n' : ''}`);
      } else {
        const decile = Math.floor(pct / 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        process.stderr.write(`${label}: ${pct.toFixed(0)}%\n`);
      }
    },
  };
}
