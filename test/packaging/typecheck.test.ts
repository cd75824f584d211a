// The sources type-check (TypeScript strict, erasable syntax only): Node 24 and esbuild strip types
// without checking them, so this is where a type error is caught.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

describe('tsc --noEmit', () => {
  it('finds no type errors', () => {
    const res = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.json'), '--noEmit'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
  }, 180_000);
});
