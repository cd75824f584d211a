// An action's main maps inputs to one SDK call and its result to outputs (STYLE.md, "What we take" 3):
// it imports the SDK only through its package entry points (no source paths), never @actions/*
// (the GitHub adapter @mlship/sdk/github does), and stays short.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

const ACTIONS = readdirSync(join(REPO_ROOT, 'actions')).sort();
const ALLOWED = /^(?:@mlship\/sdk(?:\/github|\/drift-read-worker|\/batch-score-worker|\/table-read-worker)?|node:[a-z/_]+|\.\/[\w.-]+\.ts)$/;

describe.each(ACTIONS)('actions/%s/src', (action) => {
  const dir = join(REPO_ROOT, 'actions', action, 'src');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

  it('imports only @mlship/sdk entry points, node: modules and its own files', () => {
    const imports = files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^(?:import|export)\b[^;'"]*?from\s*['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)].map((m) => `${f}: ${m[1] ?? m[2]}`));
    expect(imports.length).toBeGreaterThanOrEqual(files.length);
    expect(imports.filter((i) => !ALLOWED.test(i.split(': ')[1]!))).toEqual([]);
  });

  it('main.ts is under 60 lines', () => {
    expect(readFileSync(join(dir, 'main.ts'), 'utf8').trimEnd().split('\n').length).toBeLessThan(60);
  });
});
