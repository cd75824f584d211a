import { runAction } from '@mlship/sdk/github';
import { run } from './main.ts';

await runAction(run);
