import { actionInputName } from '@mlship/sdk';
import { runAction } from '@mlship/sdk/github';
import { run } from './main.ts';

// The SDK names these options as the CLI does (--platform, --label); this action's inputs are plural.
const INPUT_OF: Record<string, string> = { platform: 'platforms', label: 'labels', 'also-tag': 'extra-tags' };
await runAction(run, (key) => actionInputName(INPUT_OF[key] ?? key));
