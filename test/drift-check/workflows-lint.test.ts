// Workflow files pass the real actionlint (rhysd/actionlint, installed into .tools/bin by
// scripts/setup.sh from scripts/go-tools.txt), and the drift-check template asks for least privilege.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

const ACTIONLINT = join(REPO_ROOT, '.tools', 'bin', 'actionlint');

function workflowFiles(): string[] {
  const dirs = [join(REPO_ROOT, 'workflows-templates'), join(REPO_ROOT, 'example-repo', '.github', 'workflows')];
  return dirs.filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)));
}

describe('workflow files', () => {
  it('include the drift-check template', () => {
    expect(workflowFiles()).toContain(join(REPO_ROOT, 'workflows-templates', 'drift-check.yml'));
  });

  it('pass actionlint', async () => {
    if (!existsSync(ACTIONLINT)) throw new Error(`${ACTIONLINT} is missing: run \`npm run setup\` (scripts/go-tools.txt installs actionlint).`);
    const files = workflowFiles();
    const res = await promisify(execFile)(ACTIONLINT, ['-no-color', ...files], { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(res.out).toBe('');
    expect(res.code).toBe(0);
  });

  it('drift-check template: schedule + manual + reusable, no default permissions, the job asks only for contents read and issues write', () => {
    const wf = load(readFileSync(join(REPO_ROOT, 'workflows-templates', 'drift-check.yml'), 'utf8')) as {
      on: Record<string, unknown>; permissions: unknown; jobs: Record<string, { permissions: unknown; steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_call', 'workflow_dispatch']);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.drift!.permissions).toEqual({ contents: 'read', issues: 'write' });
    const steps = wf.jobs.drift!.steps;
    expect(steps.some((s) => s.uses?.includes('actions/drift-check'))).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path).toBe('drift-report/');
  });
});
