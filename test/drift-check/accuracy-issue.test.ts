// drift-check with late labels (predictions + labels inputs): an accuracy drop opens the monitor's issue
// even without data drift, and a later run whose accuracy passes again closes it (local GitHub API).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  workspace = await mkdtemp(join(tmpdir(), 'mlship-drift-acc-'));
  // An inference log of 10 predictions (as the server writes it with MLSHIP_INFERENCE_LOG_PREDICTIONS=1)
  // and two label files: all right, and 4 of 10 wrong.
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2 ? 'cat' : 'dog'},r${i},2026-03-01T0${i}:00:00.000Z`);
  await writeFile(join(workspace, 'log.csv'), `x,prediction,id,time\n${rows.join('\n')}\n`);
  await writeFile(join(workspace, 'good.csv'), `id,target\n${Array.from({ length: 10 }, (_, i) => `r${i},${i % 2 ? 'cat' : 'dog'}`).join('\n')}\n`);
  await writeFile(join(workspace, 'bad.csv'), `id,target\n${Array.from({ length: 10 }, (_, i) => `r${i},${(i < 4 ? i % 2 === 0 : i % 2 === 1) ? 'cat' : 'dog'}`).join('\n')}\n`);
});
afterAll(async () => {
  await api.stop();
  await rm(workspace, { recursive: true, force: true });
});

const run = (labels: string) => runAction({
  action: 'drift-check', eventName: 'schedule', payload: { schedule: '0 6 * * *' }, apiUrl: api.url, workspace,
  inputs: {
    reference: join(SYN, 'reference.csv'), current: join(SYN, 'current_no_drift.csv'), 'drift-share': '0.25',
    'open-issue': 'true', 'issue-label': 'data-drift', 'close-issue-when-resolved': 'true', 'github-token': 'ghs_test_token',
    predictions: join(workspace, 'log.csv'), labels: join(workspace, labels), 'accuracy-threshold': 'accuracy>=0.9',
  },
});

describe('drift-check: accuracy drop on late labels', () => {
  it('opens the issue on an accuracy drop without data drift, closes it when accuracy is back', async () => {
    const dropped = await run('bad.csv');
    expect(dropped.errors).toEqual([]);
    expect(dropped.outputs).toMatchObject({ drift: 'false', 'accuracy-drop': 'true' });
    expect(JSON.parse(dropped.outputs['accuracy-metrics']!).accuracy).toBe(0.6);
    expect(dropped.summary).toContain('accuracy with late labels');
    expect(api.issues).toHaveLength(1);
    const issue = api.issues[0]!;
    expect(issue.title).toMatch(/^Accuracy drop: Accuracy dropped: all rows: accuracy = 0.6 fails accuracy >= 0.9/);
    expect(issue.body).toContain('accuracy with late labels');
    expect(issue.state).toBe('open');

    const back = await run('good.csv');
    expect(back.outputs['accuracy-drop']).toBe('false');
    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]!.state).toBe('closed');
  });
});
