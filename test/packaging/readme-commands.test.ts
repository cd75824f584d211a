// The README's quick-start commands (`npx mlship …` or `npm run mlship -- …` lines) run as written through the built CLI
// (`npm run mlship` is `node packages/cli/dist/mlship.js`), in a scratch folder where `test/` points at
// the repository's fixtures, so the front door keeps working.
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

/** `a 'b c' d` → ['a', 'b c', 'd'] (the README uses single quotes only). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
// `npx mlship …` (the docs' form: node_modules/.bin/mlship, the workspace CLI) or `npm run mlship -- …`.
const PREFIX = /^(npx mlship|npm run mlship --) /;
const commands = readme.split('\n').filter((l) => PREFIX.test(l)).map((l) => shellWords(l.replace(PREFIX, '').replace(/\s+#.*$/, '')));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-readme-'));
  await symlink(join(REPO_ROOT, 'test'), join(work, 'test'));
});
afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

describe('README commands', () => {
  it('has the evaluate and drift quick-start commands', () => {
    expect(commands.map((c) => c[0])).toEqual(['evaluate', 'drift']);
  });

  it.each(commands.map((c) => [c.join(' '), c] as const))('mlship %s', async (_, args) => {
    const run = await runCli(args, work);
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.code).toBe(0);
    if (args[0] === 'evaluate') expect(run.stdout).toMatch(/accuracy/);
    if (args[0] === 'drift') {
      expect(run.stdout).toMatch(/drift/i);
      expect(existsSync(join(work, 'drift.html'))).toBe(true);
    }
  });
});
