// Each default has one owner: the SDK's DEFAULTS (packages/sdk/src/defaults.ts). An action.yml states
// the same value for an input the SDK defaults (the runner passes it even when a workflow omits the
// input), so this table and every such action.yml default must agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '@mlship/sdk';
import { REPO_ROOT } from '../harness/run-action.ts';

const DOMAIN_OF: Record<string, keyof typeof DEFAULTS> = { 'evaluate-model': 'evaluate', 'drift-check': 'drift', serialize: 'serialize', 'build-image': 'image' };

describe('action.yml defaults equal the SDK DEFAULTS', () => {
  it.each(Object.entries(DOMAIN_OF))('%s', (action, domain) => {
    const inputs = (yaml.load(readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;
    const defaults = DEFAULTS[domain] as Record<string, string | number>;
    // Numbers compare as numbers (action.yml may write 1e-5 for 0.00001).
    const stated = Object.fromEntries(Object.keys(defaults).filter((k) => inputs[k]?.default !== undefined)
      .map((k) => [k, typeof defaults[k] === 'number' ? Number(inputs[k]!.default) : inputs[k]!.default]));
    const expected = Object.fromEntries(Object.keys(stated).map((k) => [k, defaults[k]]));
    expect(stated).toEqual(expected);
    // Every SDK default this action exposes as an input is stated (or the input has none to state).
    expect(Object.keys(stated).length).toBeGreaterThan(0);
  });
});
