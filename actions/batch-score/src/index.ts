import { actionInputName } from '@mlship/sdk';
import { runAction } from '@mlship/sdk/github';
import { run } from './main.ts';

// The SDK names the drift report paths as the CLI does (--drift-out, --drift-html); drift-check calls these inputs *-path.
const INPUT_OF: Record<string, string> = { 'drift-out': 'drift-json-path', 'drift-html': 'drift-html-path' };
await runAction(run, (key) => actionInputName(INPUT_OF[key] ?? key));
