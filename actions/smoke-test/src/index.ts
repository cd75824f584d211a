import { actionInputName } from '@mlship/sdk';
import { runAction } from '@mlship/sdk/github';
import { run } from './main.ts';

// The SDK names the CLI's --ready-timeout-ms; this action's input is ready-timeout, in seconds.
await runAction(run, (key) => (key === 'ready-timeout-ms' ? 'input "ready-timeout" (seconds; the value shown is in ms)' : actionInputName(key)));
