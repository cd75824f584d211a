// What `uses: mlship/mlship/actions/NAME@ref` runs is the bundle committed at that ref, not the
// sources: each committed actions/*/dist/index.js must equal a fresh esbuild build of the sources.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

describe('committed action bundles', () => {
  it('equal a fresh build of the sources (run `npm run build` and commit dist/)', () => {
    const res = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs'), '--check-committed'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/dist is up to date \(\d+ actions\)/);
    expect(res.status).toBe(0);
  });
});
