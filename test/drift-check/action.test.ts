// The drift-check action run as the runner runs it (test/harness/run-action.ts) against the local
// GitHub API (test/harness/github-api.ts): outputs, job summary, reports, and the issue lifecycle over
// several scheduled runs — one issue per monitor, updated while drift persists, closed when it is gone.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHubApi } from '../harness/github-api.ts';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

const SYN = join(REPO_ROOT, 'test/fixtures/drift/synthetic');
const api = new FakeGitHubApi();
let workspace = '';

beforeAll(async () => {
  await api.start();
  workspace = await mkdtemp(join(tmpdir(), 'mlship-drift-ws-'));
});
afterAll(async () => {
  await api.stop();
  await rm(workspace, { recursive: true, force: true });
});

function driftRun(current: string, extra: Record<string, string> = {}) {
  return runAction({
    action: 'drift-check',
    eventName: 'schedule',
    payload: { schedule: '0 6 * * *' },
    apiUrl: api.url,
    workspace,
    inputs: {
      reference: join(SYN, 'reference.csv'),
      current: join(SYN, current),
      'drift-share': '0.25',
      'open-issue': 'true',
      'issue-label': 'data-drift',
      'close-issue-when-resolved': 'true',
      'dispatch-event': 'retrain',
      'github-token': 'ghs_test_token',
      ...extra,
    },
  });
}

describe('drift-check action', () => {
  it('no drift: outputs false, writes both reports, opens no issue', async () => {
    const run = await driftRun('current_no_drift.csv');
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.drift).toBe('false');
    expect(run.outputs['drifted-columns']).toBe('');
    expect(run.outputs['report-json']).toBe('drift-report.json');
    const json = JSON.parse(readFileSync(join(workspace, 'drift-report.json'), 'utf8'));
    expect(Object.keys(json.columns)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'segment']);
    expect(json.summary.dataset_drift).toBe(false);
    expect(readFileSync(join(workspace, 'drift-report.html'), 'utf8')).toContain('<svg');
    expect(run.summary).toContain('No drift');
    expect(api.issues).toHaveLength(0);
    expect(api.dispatches).toHaveLength(0);
  });

  it('drift on several runs: one issue, updated, then closed when drift is gone; a later drift opens a new one', async () => {
    // An unrelated issue with the same label must never be touched.
    const other = await fetch(`${api.url}/repos/octo-org/ml-repo/issues`, {
      method: 'POST', headers: { authorization: 'token x', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Label triage', body: 'manual', labels: ['data-drift'] }),
    }).then((r) => r.json() as Promise<{ number: number }>);

    const first = await driftRun('current_mean_shift.csv');
    expect(first.code).toBe(0);
    expect(first.outputs.drift).toBe('true');
    expect(first.outputs['drifted-columns']).toBe('f0,f1');
    const driftIssues = () => api.issues.filter((i) => (i.body ?? '').includes('<!-- mlship:drift-check:default -->'));
    expect(driftIssues()).toHaveLength(1);
    const issue = driftIssues()[0]!;
    expect(issue.state).toBe('open');
    expect(issue.labels.map((l) => l.name)).toEqual(['data-drift']);
    expect(issue.title).toBe('Data drift: 2 of 7 columns drifted');
    expect(issue.body).toContain('| **f0** |');
    expect(first.outputs['issue-number']).toBe(String(issue.number));
    expect(api.dispatches).toEqual([expect.objectContaining({ event_type: 'retrain', client_payload: expect.objectContaining({ drifted_columns: ['f0', 'f1'] }) })]);

    const second = await driftRun('current_scale_change.csv');
    expect(second.code).toBe(0);
    expect(second.outputs.drift).toBe('true');
    expect(driftIssues()).toHaveLength(1);
    expect(issue.title).toBe('Data drift: 2 of 7 columns drifted');
    expect(issue.body).toContain('| **f4** |');
    expect(api.comments.filter((c) => c.issue_number === issue.number).map((c) => c.body)).toEqual([expect.stringMatching(/^Drift is still present/)]);

    const third = await driftRun('current_no_drift.csv');
    expect(third.code).toBe(0);
    expect(issue.state).toBe('closed');
    expect(api.comments.filter((c) => c.issue_number === issue.number).at(-1)!.body).toMatch(/^Drift is gone/);

    const fourth = await driftRun('current_mean_shift.csv');
    expect(fourth.code).toBe(0);
    expect(driftIssues()).toHaveLength(2);
    expect(driftIssues().filter((i) => i.state === 'open')).toHaveLength(1);
    const untouched = api.issues.find((i) => i.number === other.number)!;
    expect([untouched.state, untouched.body, untouched.comments]).toEqual(['open', 'manual', 0]);
  });

  it('fail-on-drift fails the step with the verdict, after setting the outputs', async () => {
    const run = await driftRun('current_mean_shift.csv', { 'fail-on-drift': 'true', 'open-issue': 'false', 'dispatch-event': '' });
    expect(run.code).toBe(1);
    expect(run.outputs.drift).toBe('true');
    expect(run.errors.join('\n')).toMatch(/Data drift: .*2 of 7 columns drifted/);
  });

  it('from a fresh-runner copy (action.yml + dist only), 16 MiB inputs are read in worker threads shipped in dist', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'mlship-drift-action-'));
    try {
      await cp(join(REPO_ROOT, 'actions', 'drift-check', 'action.yml'), join(copy, 'action.yml'));
      await cp(join(REPO_ROOT, 'actions', 'drift-check', 'dist'), join(copy, 'dist'), { recursive: true });
      const gen = (seed: number, extra: string[]) => new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-tabular.mjs'), '--rows', '90000', '--features', '20', '--categorical', '--seed', String(seed), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
        child.stdout.pipe(createWriteStream(join(copy, `${seed}.csv`)));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gen-tabular exited ${code}`))));
      });
      await Promise.all([gen(1, []), gen(2, ['--shift', '0.3', '--shift-features', 'f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,f10'])]);
      await new Promise((r) => setTimeout(r, 100));
      expect((await stat(join(copy, '1.csv'))).size).toBeGreaterThan(16 << 20);
      const run = await runAction({ action: copy, workspace: copy, inputs: { reference: join(copy, '1.csv'), current: join(copy, '2.csv') } });
      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/::debug::reading .*1\.csv in a worker thread \(.*dist\/drift-read\.worker\.js\)/);
      expect(run.outputs.drift).toBe('true');
      expect(run.outputs['drifted-columns'].split(',')).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10']);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('a threshold that does not fit its stattest fails naming the action\'s input (per-column-threshold, not --column-threshold)', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'mlship-drift-thr-'));
    try {
      const run = await runAction({ action: 'drift-check', workspace: ws, inputs: {
        reference: join(SYN, 'reference.csv'), current: join(SYN, 'current_mean_shift.csv'), 'per-column-stattest': 'f0=ks', 'per-column-threshold': 'f0=5',
      } });
      expect(run.code).toBe(1);
      expect(run.errors.join('\n')).toBe('input "per-column-threshold" for column "f0": 5 does not fit stattest ks (K-S p_value, a p-value: drift when p ≤ the threshold): its threshold must be a number > 0 and < 1.');
      expect(await readdir(ws)).toEqual([]);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });

  it('bad input: a missing file fails with its path and writes no report', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'mlship-drift-bad-'));
    try {
      const run = await runAction({ action: 'drift-check', workspace: ws, inputs: { reference: join(SYN, 'reference.csv'), current: join(ws, 'nope.csv') } });
      expect(run.code).toBe(1);
      expect(run.errors.join('\n')).toContain('nope.csv');
      expect(run.errors.join('\n')).toContain('does not exist');
      expect(await readdir(ws)).toEqual([]);
      expect(existsSync(join(ws, 'drift-report.json'))).toBe(false);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
