import * as core from '@actions/core';
import { actionInputName, renderOptionRefs, type OptionNamer } from '../errors.ts';
import type { Logger } from '../log.ts';

// How this action names option keys: set once by runAction (an action maps keys whose inputs differ).
let inputNamer: OptionNamer = actionInputName;

/** Makes `name` the namer of option references for this action's logs and summaries (runAction calls it). */
export function useInputNamer(name: OptionNamer): void {
  inputNamer = name;
}

/** `text` with its option references (`opt(key)`, errors.ts) named as this action's inputs. */
export function forAction(text: string): string {
  return renderOptionRefs(text, inputNamer);
}

/** A Logger for actions: info/warn/debug go to the runner log (warnings become annotations). */
export function actionsLogger(): Logger {
  const lastDecile = new Map<string, number>();
  return {
    debug: (m) => core.debug(forAction(m)),
    info: (m) => core.info(forAction(m)),
    warn: (m) => core.warning(forAction(m)),
    progress(label, done, total) {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (lastDecile.get(label) === decile) return;
      lastDecile.set(label, decile);
      core.info(`${label}: ${Math.min(100, decile * 10)}%`);
    },
  };
}
