import { cliOptionName, renderOptionRefs } from './errors.ts';

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

/**
 * Logs to stderr, option references (`opt(key)`, errors.ts) named as CLI flags; progress is redrawn
 * at most every 200 ms on a TTY and every 10% otherwise. `quiet`: warnings (and debug with
 * `verbose`) only.
 */
export function stderrLogger(options: { verbose?: boolean; quiet?: boolean } = {}): Logger {
  const tty = process.stderr.isTTY === true;
  const write = (line: string) => process.stderr.write(`${renderOptionRefs(line, cliOptionName)}\n`);
  let lastDraw = 0;
  let lastDecile = -1;
  return {
    debug: (m) => { if (options.verbose) write(`debug: ${m}`); },
    info: (m) => { if (!options.quiet) write(m); },
    warn: (m) => write(`warning: ${m}`),
    progress(label, done, total) {
      if (options.quiet) return;
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
