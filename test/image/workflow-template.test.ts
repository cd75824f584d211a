// The build-image workflow template asks for least privilege and wires the action's outputs through.
// (actionlint runs over every template in test/drift-check/workflows-lint.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

describe('workflows-templates/build-image.yml', () => {
  const wf = load(readFileSync(join(REPO_ROOT, 'workflows-templates', 'build-image.yml'), 'utf8')) as {
    on: { workflow_call: { outputs: Record<string, { value: string }> } };
    permissions: unknown;
    jobs: { image: { permissions: unknown; steps: Array<{ id?: string; uses?: string; with?: Record<string, string> }> } };
  };
  it('grants nothing by default and the job only contents: read + packages: write', () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.image.permissions).toEqual({ contents: 'read', packages: 'write' });
  });
  it('uses the build-image action with only inputs its action.yml declares, and exposes its image output', () => {
    const action = load(readFileSync(join(REPO_ROOT, 'actions', 'build-image', 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const step = wf.jobs.image.steps.find((s) => s.uses?.includes('/actions/build-image@'))!;
    expect(step.id).toBe('build');
    for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    expect(wf.on.workflow_call.outputs.image!.value).toBe('${{ jobs.image.outputs.image }}');
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['image', 'digest', 'reference', 'size', 'layers']));
  });
});
