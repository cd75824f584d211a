import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHubApi } from '../harness/github-api.ts';
import { pullRequestEvent, runAction } from '../harness/run-action.ts';

// actions/evaluate-model/dist/index.js run as the runner runs it, on a pull_request event, against
// the fake GitHub API on 127.0.0.1.

const TOKEN = 'ghs_fakeTokenForTests123';
const MODEL = 'test/fixtures/models/breast_cancer_logreg.onnx';
const DATA = 'test/fixtures/datasets/breast_cancer/test.csv';
const api = new FakeGitHubApi();
let dir: string;

beforeAll(async () => {
  await api.start();
  api.addPullRequest(7, 'Retrain the breast-cancer model');
  dir = await mkdtemp(join(tmpdir(), 'mlship-evaluate-action-'));
});

afterAll(async () => {
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

const prRun = (inputs: Record<string, string>) => runAction({
  action: 'evaluate-model', eventName: 'pull_request', payload: pullRequestEvent(7), apiUrl: api.url,
  inputs: { model: MODEL, data: DATA, 'github-token': TOKEN, bootstrap: '300', ...inputs },
});

describe('evaluate-model action on a pull request', () => {
  it('evaluates, sets outputs, writes the summary and creates one sticky comment', async () => {
    const out = join(dir, 'first.json');
    const run = await prRun({ threshold: 'accuracy>=0.95, roc_auc>=0.99', out });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(run.outputs).toMatchObject({
      passed: 'true', 'metrics-file': out, task: 'binary', 'main-metric': 'roc_auc',
      'main-metric-value': String(report.metrics.roc_auc),
    });
    expect(JSON.parse(run.outputs.metrics!)).toMatchObject({ accuracy: report.metrics.accuracy, roc_auc: report.metrics.roc_auc, log_loss: report.metrics.log_loss });
    expect(Number(run.outputs['main-metric-ci-low'])).toBeLessThanOrEqual(report.metrics.roc_auc);
    expect(Number(run.outputs['main-metric-ci-high'])).toBeGreaterThanOrEqual(report.metrics.roc_auc);
    expect(report).toMatchObject({ task: 'binary', n: 114, model: { path: MODEL }, data: { path: DATA, rows: 114 }, gate: { passed: true } });
    expect(report.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The summary: verdict, gate table, metrics table, confusion matrix.
    expect(run.summary).toContain(`### evaluate-model: \`${MODEL}\` — ✅ passed`);
    expect(run.summary).toMatch(/\| `accuracy>=0\.95` \| 0\.982456 \| >= 0\.95 \| ✅ \|/);
    expect(run.summary).toMatch(/\| \*\*roc_auc\*\* ↑ \| 0\.99537 \|/);
    expect(run.summary).toContain('Confusion matrix (rows = true class, columns = predicted)');
    expect(run.summary).toMatch(/\| \*\*0\*\* \| \*\*41\*\* \| 1 \|/);
    // One comment on PR 7, found again by its marker.
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.issue_number).toBe(7);
    expect(api.comments[0]!.body).toContain(`<!-- mlship:evaluate-model:${MODEL} -->`);
    expect(api.comments[0]!.body).toContain('accuracy>=0.95');
    expect(run.outputs['comment-url']).toBe(api.comments[0]!.html_url);
    expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues/7/comments'))).toHaveLength(1);
    expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('updates the same comment on the next run instead of adding one', async () => {
    const run = await prRun({ threshold: 'accuracy>=0.97', out: join(dir, 'second.json') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('accuracy>=0.97');
    expect(api.comments[0]!.body).not.toContain('accuracy>=0.95');
    expect(api.requests.filter((r) => r.method === 'PATCH' && r.path === `/repos/octo-org/ml-repo/issues/comments/${api.comments[0]!.id}`)).toHaveLength(1);
  });

  it('fails the step when the gate fails, naming the metric, its value and the bound', async () => {
    const out = join(dir, 'failed.json');
    const run = await prRun({ threshold: 'accuracy>=0.99', out });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/accuracy = 0\.982456 fails accuracy >= 0\.99/);
    expect(run.outputs.passed).toBe('false');
    expect(run.summary).toContain('❌ failed');
    // The evaluation itself succeeded: its record is kept for the PR and for later comparison.
    expect(JSON.parse(readFileSync(out, 'utf8')).gate.passed).toBe(false);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('❌ failed');
  });
});

describe('evaluate-model action, comment failures', () => {
  it('warns and still passes when the PR comment cannot be written (e.g. a read-only token)', async () => {
    const run = await runAction({
      action: 'evaluate-model', eventName: 'pull_request', payload: pullRequestEvent(404), apiUrl: api.url,
      inputs: { model: MODEL, data: DATA, 'github-token': TOKEN, bootstrap: '0', out: join(dir, 'no-comment.json') },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.warnings.join('\n')).toMatch(/Could not write the PR comment: .*pull-requests: write/);
    expect(run.outputs['comment-url']).toBeUndefined();
    expect(run.outputs.passed).toBe('true');
  });

  it('writes no comment when comment is false', async () => {
    const before = api.requests.length;
    const run = await prRun({ comment: 'false', out: join(dir, 'quiet.json') });
    expect(run.code).toBe(0);
    expect(api.requests.length).toBe(before);
  });
});

describe('evaluate-model action, champion/challenger', () => {
  it('compares with a baseline model by paired bootstrap and reports the verdict', async () => {
    const run = await runAction({
      action: 'evaluate-model', eventName: 'push', apiUrl: api.url,
      inputs: {
        model: 'test/fixtures/models/diabetes_gbr.onnx', data: 'test/fixtures/datasets/diabetes/test.csv',
        baseline: 'test/fixtures/models/diabetes_linreg.onnx', 'min-improvement': 'rmse:-0.5%', bootstrap: '500',
        out: join(dir, 'champion.json'), 'github-token': TOKEN,
      },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ task: 'regression', 'main-metric': 'rmse', 'baseline-verdict': 'inconclusive' });
    expect(run.summary).toMatch(/Versus baseline `test\/fixtures\/models\/diabetes_linreg\.onnx`: rmse −0\.445\d*, 95% CI −\d+\.\d+ – \+\d+\.\d+ — not distinguishable from noise/);
    expect(run.summary).toMatch(/\| `rmse:-0\.5%` \| 53\.4083 \| <= 53\.584\d* \| ✅ \|/);
  });

  it('fails a required improvement the challenger does not reach', async () => {
    const run = await runAction({
      action: 'evaluate-model', eventName: 'push', apiUrl: api.url,
      inputs: {
        model: 'test/fixtures/models/diabetes_gbr.onnx', data: 'test/fixtures/datasets/diabetes/test.csv',
        baseline: 'test/fixtures/models/diabetes_linreg.onnx', 'min-improvement': 'rmse:-5%, mae:+0', bootstrap: '0',
        out: join(dir, 'champion2.json'),
      },
    });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/rmse = 53\.4083 vs baseline 53\.8534: fails rmse <= 51\.16\d* \(rmse:-5%(25)?\)/);
    expect(run.errors.join('\n')).toMatch(/mae = 44\.1175 vs baseline 42\.7941: fails mae <= 42\.7941/);
  });

  it('bad input fails the step and writes no metrics file', async () => {
    const out = join(dir, 'bad.json');
    const run = await runAction({
      action: 'evaluate-model', eventName: 'push', apiUrl: api.url,
      inputs: { model: 'models/missing.onnx', data: DATA, out },
    });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/Model file models\/missing\.onnx does not exist/);
    expect(existsSync(out)).toBe(false);
  });
});
