// The API reference (`npm run docs:api`, TypeDoc over @mlship/sdk's two entry points into docs/api/,
// which git ignores) builds from the doc comments without a warning: every type an exported symbol
// names is exported too, and every {@link} resolves (typedoc.json sets treatWarningsAsErrors).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

describe('npm run docs:api', () => {
  it('TypeDoc validates the SDK API without warnings', () => {
    const res = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(res.stdout + res.stderr).not.toMatch(/\[warning\]|\[error\]/);
    expect(res.status).toBe(0);
  }, 180_000);
});
