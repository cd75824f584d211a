// Every `uses: mlship/mlship/actions/NAME@REF` step in our workflow templates and the example repo
// names an action that exists, passes only inputs its action.yml declares, gives every required input,
// and reads only outputs the action declares (actionlint cannot check this: it does not fetch actions).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

interface Step { id?: string; uses?: string; with?: Record<string, unknown> }
interface Workflow { jobs: Record<string, { steps?: Step[]; outputs?: Record<string, string> }> }
interface ActionYml { inputs?: Record<string, { required?: boolean; default?: unknown }>; outputs?: Record<string, unknown> }

const dirs = [join(REPO_ROOT, 'workflows-templates'), join(REPO_ROOT, 'example-repo', '.github', 'workflows')];
const files = dirs.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)));
const OURS = /^mlship\/mlship\/actions\/([a-z0-9-]+)@(.+)$/;

describe.each(files.map((f) => [relative(REPO_ROOT, f), f]))('%s', (_, file) => {
  const text = readFileSync(file!, 'utf8');
  const wf = yaml.load(text) as Workflow;
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
  const ours = steps.filter((s) => s.uses && OURS.test(s.uses));

  it('uses at least one mlship action', () => {
    expect(ours.length).toBeGreaterThan(0);
  });

  it.each(ours.map((s) => [s.uses!, s]))('%s: inputs and outputs match its action.yml', (uses, step) => {
    const [, name, ref] = OURS.exec(uses as string)!;
    expect(ref).toBe('v0');
    const meta = yaml.load(readFileSync(join(REPO_ROOT, 'actions', name!, 'action.yml'), 'utf8')) as ActionYml;
    const declared = Object.keys(meta.inputs ?? {});
    const given = Object.keys((step as Step).with ?? {});
    for (const input of given) expect(declared, `input ${input} of ${name}`).toContain(input);
    for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
      if (spec.required && spec.default === undefined) expect(given, `required input ${input} of ${name}`).toContain(input);
    }
    const id = (step as Step).id;
    if (id) {
      for (const m of text.matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([a-z0-9-]+)`, 'g'))) {
        expect(Object.keys(meta.outputs ?? {}), `output ${m[1]} of ${name}`).toContain(m[1]);
      }
    }
  });
});
