import * as core from '@actions/core';

/**
 * The one wrapper every action's index.ts calls: runs `main`, turns any thrown error into
 * `core.setFailed(message)` (a failed step with the message as an error annotation), never a stack
 * trace for expected errors.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof Error && err.name !== 'InputError' && err.name !== 'GateFailedError' && err.stack) core.debug(err.stack);
    core.setFailed(message);
  }
}
