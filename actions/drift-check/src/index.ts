import { actionInputName } from '@mlship/sdk';
import { runAction } from '@mlship/sdk/github';
import { run } from './main.ts';

// The SDK names these options as the CLI does (--column-threshold, --out); this action's inputs say per-column, json-path.
const INPUT_OF: Record<string, string> = { 'column-threshold': 'per-column-threshold', 'column-stattest': 'per-column-stattest', out: 'json-path', html: 'html-path' };
await runAction(run, (key) => actionInputName(INPUT_OF[key] ?? key));
