// Each action's README (inputs and outputs) is generated from its action.yml; a stale one fails here,
// like a stale bundle does (test/packaging/dist-fresh.test.ts). Fix: `npm run docs:actions`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

describe('actions/*/README.md', () => {
  it('match their action.yml', () => {
    const res = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/action-docs.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
