import * as core from '@actions/core';
import type { Logger } from '../log.ts';

/** A Logger for actions: info/warn/debug go to the runner log (warnings become annotations). */
export function actionsLogger(): Logger {
  const lastDecile = new Map<string, number>();
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    progress(label, done, total) {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (lastDecile.get(label) === decile) return;
      lastDecile.set(label, decile);
      core.info(`${label}: ${Math.min(100, decile * 10)}%`);
    },
  };
}
