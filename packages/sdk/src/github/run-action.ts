import * as core from '@actions/core';
import { actionInputName, messageFor, type OptionNamer } from '../errors.ts';

/**
 * The one wrapper every action's index.ts calls: runs `main`, turns any thrown error into
 * `core.setFailed(message)` (a failed step with the message as an error annotation), never a stack
 * trace for expected errors. Option references in SDK messages are named as this action's inputs
 * (`inputName` maps the keys whose input is named differently).
 */
export async function runAction(main: () => Promise<void>, inputName: OptionNamer = actionInputName): Promise<void> {
  try {
    await main();
  } catch (err) {
    const message = messageFor(err, inputName);
    if (err instanceof Error && err.name !== 'InputError' && err.name !== 'GateFailedError' && err.stack) core.debug(err.stack);
    core.setFailed(message);
  }
}
