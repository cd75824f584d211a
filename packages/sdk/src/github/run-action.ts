import * as core from '@actions/core';
import { actionInputName, messageFor, type OptionNamer } from '../errors.ts';
import { useInputNamer } from './action-logger.ts';

/**
 * The one wrapper every action's index.ts calls: runs `main`, turns any thrown error into
 * `core.setFailed(message)` (a failed step with the message as an error annotation), never a stack
 * trace for expected errors. Option references in SDK messages are named as this action's inputs
 * (`inputName` maps the keys whose input is named differently), in errors and in `actionsLogger` lines.
 */
export async function runAction(main: () => Promise<void>, inputName: OptionNamer = actionInputName): Promise<void> {
  useInputNamer(inputName);
  try {
    await main();
  } catch (err) {
    const message = messageFor(err, inputName);
    if (err instanceof Error && err.name !== 'InputError' && err.name !== 'GateFailedError' && err.stack) core.debug(err.stack);
    core.setFailed(message);
  }
}
