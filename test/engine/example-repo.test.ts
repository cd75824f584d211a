// The example repository's workflows under a real workflow engine (nektos/act in host mode, see
// test/harness/act.ts): every event they handle, in the order a repository lives through them — a pull
// request whose gate passes, then a push that breaks the gate (the sticky comment is updated), a push to
// main that ships, the daily drift check (calm, drifted, drifted again, calm again) on the model
// server's own inference log, and the `retrain` dispatch drift sends. Every job's and step's outcome is
// read from act's --json log; the GitHub API (REST and git smart HTTP) is the stand-in on 127.0.0.1.
//
// The ship job deploys to the real single-node cluster of `npm run cluster` (test/harness/cluster.ts,
// reused when one runs) and its smoke test reaches the pods through the API server's service proxy; the
// images go to the cluster's registry on 127.0.0.1, which containerd pulls from.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONNXRUNTIME_NODE_VERSION, RegistryClient } from '@mlship/sdk';
import { actToolCache, failureLog, job, prepareRepo, runAct, step, stepResults, type ActRepo, type ActRun, type RunActOptions } from '../harness/act.ts';
import { pushTestBaseImage } from '../harness/base-image.ts';
import { FakeGitHubApi } from '../harness/github-api.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { freePort } from '../harness/registry.ts';
import { pullRequestEvent } from '../harness/run-action.ts';
import { featureRows, inferenceLog } from './inference-log.ts';

// Capital letters on purpose: GitHub keeps the owner's and repository's case, registries want lower case.
const OWNER = 'Octo-Org';
/** This file's private action cache (act workspaces, tool cache). */
const CACHE = 'example-repo';
const NAME = 'ML-Repo';
const MODEL = 'breast-cancer-classifier';
/** ml.yml deploys into this namespace. */
const K8S_NAMESPACE = 'models';
/** A smoke workflow of this tier: the package's golden rows against a URL (here one nobody listens on). */
const SMOKE_WORKFLOW = `name: smoke
on:
  workflow_dispatch:
    inputs:
      url: { type: string, required: true }
      ready-timeout: { type: string, default: '60' }
permissions: {}
jobs:
  smoke:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - uses: actions/download-artifact@v4
        with: { name: model-package, path: model-package }
      - id: smoke
        uses: mlship/mlship/actions/smoke-test@v0
        with:
          url: \${{ inputs.url }}
          package: model-package
          ready-timeout: \${{ inputs.ready-timeout }}
`;

let api: FakeGitHubApi;
let cluster: TestCluster;
/** The cluster's registry (containerd pulls from it). */
let registryHost = '';
let repo: ActRepo;
let artifacts: string;
let work: string;
let base = '';
let firstImageDigest = '';
const wall: Record<string, number> = {};

function repository() {
  return { name: NAME, full_name: `${OWNER}/${NAME}`, owner: { login: OWNER }, default_branch: 'main' };
}

async function act(label: string, options: Omit<RunActOptions, 'repo' | 'apiUrl' | 'artifacts' | 'cache'>): Promise<ActRun> {
  // The runner's kubectl is the cluster's; the runner has no kubeconfig of its own.
  const run = await runAct({ repo, cache: CACHE, apiUrl: api.url, artifacts, path: [cluster.binDir], ...options, env: { KUBECONFIG: join(work, 'no-kubeconfig'), ...options.env } });
  wall[label] = (wall[label] ?? 0) + run.ms;
  return run;
}

beforeAll(async () => {
  api = new FakeGitHubApi(OWNER, NAME);
  await api.start();
  api.addPullRequest(1, 'More training data');
  cluster = await startTestCluster();
  registryHost = cluster.registry;
  base = (await pushTestBaseImage(registryHost)).reference;
  await cluster.kc(['delete', 'namespace', K8S_NAMESPACE, '--ignore-not-found', '--wait=true']);
  repo = await prepareRepo({ owner: OWNER, name: NAME, extra: { '.github/workflows/smoke.yml': SMOKE_WORKFLOW } });
  artifacts = await mkdtemp(join(tmpdir(), 'mlship-act-artifacts-'));
  work = await mkdtemp(join(tmpdir(), 'mlship-engine-'));
}, 600_000); // brings the cluster up when none runs

afterAll(async () => {
  await api?.stop();
  await cluster?.kc(['delete', 'namespace', K8S_NAMESPACE, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  for (const d of [repo?.dir, artifacts, work]) if (d) await rm(d, { recursive: true, force: true });
  const total = Object.values(wall).reduce((a, b) => a + b, 0);
  console.log(`engine tier (example-repo) act wall time: ${Object.entries(wall).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}; total ${(total / 1000).toFixed(1)} s`);
});

describe('ml.yml on pull_request', () => {
  it('trains, passes the gate, writes the sticky comment and uploads the package (first run: onnxruntime-node installed into the wiped tool cache)', async () => {
    // The first-run path of the actions: no onnxruntime-node next to the bundle nor in the tool cache.
    await rm(actToolCache(CACHE), { recursive: true, force: true });
    const run = await act('pull_request (gate passes)', { workflow: '.github/workflows/ml.yml', event: 'pull_request', payload: pullRequestEvent(1, { owner: OWNER, repo: NAME }) });
    expect(run.code, failureLog(run)).toBe(0);
    const j = job(run, 'train-and-evaluate');
    expect(j.result).toBe('success');
    expect(stepResults(j)).toEqual([['0', 'success'], ['1', 'success'], ['2', 'success'], ['3', 'success'], ['evaluate', 'success'], ['package', 'success'], ['6', 'success']]);
    expect(Object.keys(run.jobs)).toEqual(['ml/train-and-evaluate']); // ship: `if: github.event_name != 'pull_request'`
    expect(step(j, '0').log).toMatch(/stand-in for actions\/checkout: skips/);
    const evaluate = step(j, 'evaluate');
    expect(evaluate.log).toMatch(/installing it from the npm registry into .*tool_cache/);
    expect(evaluate.outputs.passed).toBe('true');
    expect(evaluate.outputs['main-metric']).toBe('roc_auc');
    expect(evaluate.summary).toMatch(/evaluate-model: `model.onnx` — ✅ passed/);
    // Defect 8: serialize wrote an archive nobody uploads.
    const pkg = step(j, 'package');
    expect(pkg.outputs['package-path']).toMatch(/model-package$/);
    expect(pkg.outputs['archive-path'] ?? '').toBe('');
    expect(pkg.summary).toMatch(/Model package `breast-cancer-classifier`/);
    const comments = api.comments.filter((c) => c.issue_number === 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/✅/);
    expect(api.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/${OWNER}/${NAME}/issues/1/comments`]);
    expect(JSON.parse(await readFile(join(artifacts, 'model-package', 'mlship.json'), 'utf8')).name).toBe(MODEL);
    // The install landed in the runner's tool cache, complete, for the next steps and runs.
    expect(existsSync(join(actToolCache(CACHE), 'mlship-onnxruntime-node', ONNXRUNTIME_NODE_VERSION, `${process.platform}-${process.arch}`, '.complete'))).toBe(true);
  }, 600_000);

  it('a push to the pull request that breaks the model fails the gate and updates the same comment', async () => {
    // Labels flipped in the training data: the model learns the opposite class.
    const train = readFileSync(join(repo.dir, 'data/train.csv'), 'utf8').trim().split('\n');
    const flipped = [train[0], ...train.slice(1).map((l) => l.replace(/,(0|1)$/, (_, t: string) => `,${1 - Number(t)}`))];
    await writeFile(join(repo.dir, 'data/train.csv'), `${flipped.join('\n')}\n`);
    repo.commit('Use the new labels');
    try {
      const before = api.requests.length;
      const run = await act('pull_request (gate fails, comment updated)', { workflow: '.github/workflows/ml.yml', event: 'pull_request', payload: pullRequestEvent(1, { owner: OWNER, repo: NAME }) });
      expect(run.code).toBe(1);
      const j = job(run, 'train-and-evaluate');
      expect(j.result).toBe('failure');
      expect(stepResults(j)).toEqual([['0', 'success'], ['1', 'success'], ['2', 'success'], ['3', 'success'], ['evaluate', 'failure']]);
      const evaluate = step(j, 'evaluate');
      expect(evaluate.log).toMatch(/using the cached copy/);
      expect(evaluate.outputs.passed).toBe('false');
      expect(evaluate.errors.join('\n')).toMatch(/accuracy/);
      expect(evaluate.summary).toMatch(/❌/);
      const comments = api.comments.filter((c) => c.issue_number === 1);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toMatch(/❌/);
      expect(api.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`))
        .toEqual([`PATCH /repos/${OWNER}/${NAME}/issues/comments/${comments[0]!.id}`]);
    } finally {
      // Back to the good data for what follows (the pull request is merged with it).
      await writeFile(join(repo.dir, 'data/train.csv'), `${train.join('\n')}\n`);
      repo.commit('Back to the reviewed labels');
    }
  }, 600_000);
});

describe('ml.yml on push to main', () => {
  let run: ActRun;
  beforeAll(async () => {
    run = await act('push (ship)', {
      workflow: '.github/workflows/ml.yml', event: 'push', payload: pushEvent(),
      vars: { IMAGE_REGISTRY: registryHost, BASE_IMAGE: base }, secrets: { KUBECONFIG: readFileSync(cluster.kubeconfig, 'utf8') },
    });
  }, 900_000);

  it('trains, evaluates and packages, then builds and pushes the image under a lower-cased name', async () => {
    const train = job(run, 'train-and-evaluate');
    expect(train.result, failureLog(run)).toBe('success');
    const ship = job(run, 'ship');
    const image = step(ship, 'image');
    expect(image.result, image.log).toBe('success');
    // Defect 4: ${{ github.repository }} has capitals; the action lower-cases the repository and says so.
    const repoPath = `octo-org/ml-repo/${MODEL}`;
    expect(image.outputs.image).toMatch(new RegExp(`^${registryHost}/${repoPath}@sha256:[a-f0-9]{64}$`));
    expect(image.log).toMatch(/lower-cased/);
    const digest = image.outputs.digest!;
    firstImageDigest = digest;
    const { mediaType } = await new RegistryClient().getManifest({ registry: registryHost, repository: repoPath, digest });
    expect(mediaType).toBe('application/vnd.oci.image.index.v1+json');
    // Defect 3: the job's `accuracy` output is the accuracy (fromJSON of evaluate-model's metrics), not
    // main-metric-value (roc_auc for a binary task). The engine prints numbers with 15 significant digits.
    const record = step(ship, 'record');
    expect(record.result).toBe('success');
    const accuracy = /accuracy \*\*([0-9.]+)\*\*/.exec(record.summary)?.[1];
    expect(accuracy, record.summary).toBeDefined();
    const evalMetrics = JSON.parse(step(train, 'evaluate').outputs.metrics!) as { accuracy: number; roc_auc: number };
    expect(Number(accuracy)).toBeCloseTo(evalMetrics.accuracy, 14);
    expect(Math.abs(Number(accuracy) - evalMetrics.roc_auc)).toBeGreaterThan(0.01);
    expect(record.summary).toContain(image.outputs.image);
  });

  it('deploys the pinned image to the cluster (its pods Ready, HPA 2:6) and the smoke test passes through the service proxy', async () => {
    const ship = job(run, 'ship');
    expect(ship.result, failureLog(run)).toBe('success');
    expect(stepResults(ship)).toEqual([['0', 'success'], ['image', 'success'], ['record', 'success'], ['3', 'success'], ['4', 'success']]);
    const image = step(ship, 'image').outputs.image!;
    await expectServing(image);
    const smoke = step(ship, 'Smoke test');
    expect(smoke.outputs.passed).toBe('true');
    expect(smoke.summary).toMatch(/Smoke test: ✅ passed/);
    expect(smoke.summary).toContain(`service ${K8S_NAMESPACE}/${MODEL} (API server proxy)`);
    const hpa = JSON.parse(await cluster.kc(['-n', K8S_NAMESPACE, 'get', 'hpa', MODEL, '-o', 'json'])) as { spec: { minReplicas: number; maxReplicas: number } };
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 6]);
  });
});

/**
 * The Deployment's pods run `image` and are Ready (as the API server reports them). With autoscale the
 * manifest leaves `replicas` to the HPA, so a first deploy has one pod until the HPA's first sync
 * raises it to min-replicas: at least one, not two.
 */
async function expectServing(image: string): Promise<void> {
  const pods = JSON.parse(await cluster.kc(['-n', K8S_NAMESPACE, 'get', 'pods', '-l', `app.kubernetes.io/name=${MODEL}`, '-o', 'json'])) as {
    items: Array<{ metadata: { deletionTimestamp?: string }; spec: { containers: Array<{ image: string }> }; status: { conditions?: Array<{ type: string; status: string }> } }>;
  };
  const live = pods.items.filter((p) => !p.metadata.deletionTimestamp && p.spec.containers[0]!.image === image);
  expect(live.length).toBeGreaterThanOrEqual(1);
  for (const p of live) expect(p.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
}

function pushEvent() {
  return { ref: 'refs/heads/main', before: '0'.repeat(40), after: repo.head(), repository: repository(), pusher: { name: 'ml-engineer' }, sender: { login: 'ml-engineer' } };
}

describe('smoke-test under act against a server that is not there', () => {
  it('fails, and its summary does not claim timings it never measured', async () => {
    const nothing = await freePort();
    const bad = await act('workflow_dispatch (smoke fails)', { workflow: '.github/workflows/smoke.yml', event: 'workflow_dispatch', payload: {}, inputs: { url: `http://127.0.0.1:${nothing}`, 'ready-timeout': '2' } });
    expect(bad.code).toBe(1);
    const failed = step(job(bad, 'smoke'), 'smoke');
    expect(failed.result).toBe('failure');
    expect(failed.summary).toMatch(/Smoke test: ❌ failed/);
    expect(failed.summary).toMatch(/did not answer 200 within 2000 ms/);
    expect(failed.summary).not.toMatch(/Ready after/);
  }, 300_000);
});

describe('drift.yml: calm, drifted, drifted again, calm again, on the model server\'s inference log', () => {
  let logServer: Server;
  let current = '';
  const logs: Record<'calm' | 'shifted', string> = { calm: '', shifted: '' };

  beforeAll(async () => {
    const rows = featureRows(readFileSync(join(repo.dir, 'data/test.csv'), 'utf8'));
    logs.calm = await inferenceLog(join(artifacts, 'model-package'), join(work, 'calm.csv'), rows);
    // Traffic from another population: every feature scaled by 1.5.
    logs.shifted = await inferenceLog(join(artifacts, 'model-package'), join(work, 'shifted.csv'), rows.map((r) => r.map((v) => v * 1.5)));
    logServer = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/csv' }); res.end(req.url === '/fresh-train.csv' ? fresh : current); });
    await new Promise<void>((r) => logServer.listen(0, '127.0.0.1', r));
  }, 120_000);
  afterAll(async () => { await new Promise((r) => logServer?.close(r)); });
  let fresh = '';

  const drift = async (label: string, event: 'schedule' | 'workflow_dispatch', log: 'calm' | 'shifted') => {
    current = logs[log];
    const url = `http://127.0.0.1:${(logServer.address() as AddressInfo).port}/inference-log.csv`;
    const payload = event === 'schedule' ? { schedule: '23 5 * * *', repository: repository() } : { inputs: {}, ref: 'refs/heads/main', repository: repository() };
    const before = api.requests.length;
    const run = await act(label, { workflow: '.github/workflows/drift.yml', event, payload, vars: { INFERENCE_LOG_URL: url } });
    const writes = api.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(`/repos/${OWNER}/${NAME}`, '')}`);
    return { run, writes, check: step(job(run, 'drift'), 'drift') };
  };

  it('calm (schedule): the drift check passes on the log, whose columns lack the reference\'s `segment`; no issue', async () => {
    const { run, writes, check } = await drift('schedule (drift: calm)', 'schedule', 'calm');
    expect(run.code, failureLog(run)).toBe(0);
    expect(stepResults(job(run, 'drift')).map(([, r]) => r)).toEqual(['success', 'success', 'success', 'success']);
    expect(check.outputs.drift).toBe('false');
    expect(check.summary).toMatch(/30 columns/);
    expect(writes).toEqual([]);
    expect(readFileSync(join(artifacts, 'drift-report', 'drift-report.json'), 'utf8')).toMatch(/"dataset_drift": ?false/);
  }, 300_000);

  it('drifted (workflow_dispatch): opens the data-drift issue and sends `retrain`', async () => {
    const { run, writes, check } = await drift('workflow_dispatch (drift: drifted)', 'workflow_dispatch', 'shifted');
    expect(run.code, failureLog(run)).toBe(0);
    expect(check.outputs.drift).toBe('true');
    expect(writes).toEqual(expect.arrayContaining(['POST /issues', 'POST /dispatches']));
    expect(api.issues.filter((i) => i.labels.some((l) => l.name === 'data-drift'))).toHaveLength(1);
    expect(api.dispatches.map((d) => d.event_type)).toEqual(['retrain']);
    expect(check.outputs['issue-number']).toBe(String(api.issues.at(-1)!.number));
  }, 300_000);

  it('drifted again (schedule): updates the same issue, sends `retrain` again', async () => {
    const { run, writes, check } = await drift('schedule (drift: drifted again)', 'schedule', 'shifted');
    expect(run.code, failureLog(run)).toBe(0);
    const issue = api.issues.find((i) => i.labels.some((l) => l.name === 'data-drift'))!;
    expect(writes).toEqual(expect.arrayContaining([`PATCH /issues/${issue.number}`, `POST /issues/${issue.number}/comments`, 'POST /dispatches']));
    expect(writes).not.toContain('POST /issues');
    expect(check.outputs['issue-number']).toBe(String(issue.number));
    expect(api.dispatches).toHaveLength(2);
  }, 300_000);

  it('calm again (workflow_dispatch): closes the issue, sends nothing', async () => {
    const { run, writes } = await drift('workflow_dispatch (drift: calm again)', 'workflow_dispatch', 'calm');
    expect(run.code, failureLog(run)).toBe(0);
    const issue = api.issues.find((i) => i.labels.some((l) => l.name === 'data-drift'))!;
    expect(issue.state).toBe('closed');
    expect(writes).toContain(`PATCH /issues/${issue.number}`);
    expect(writes).not.toContain('POST /dispatches');
    expect(api.dispatches).toHaveLength(2);
  }, 300_000);

  it('repository_dispatch `retrain` (what drift sent): retrains on fresh data, pushes a branch and opens a pull request; its ml.yml run passes, and merging it ships the new model', async () => {
    // Fresh labelled data: the training rows plus the same rows from the new population (features ×1.5).
    const train = readFileSync(join(repo.dir, 'data/train.csv'), 'utf8').trim().split('\n');
    fresh = `${[...train, ...train.slice(1).map((l) => { const c = l.split(','); return [...c.slice(0, -1).map((v) => String(Number(v) * 1.5)), c.at(-1)].join(','); })].join('\n')}\n`;
    api.serveGit(repo.dir);
    const dispatch = api.dispatches.at(-1)!;
    const port = (logServer.address() as AddressInfo).port;
    const retrain = await act('repository_dispatch (retrain)', {
      workflow: '.github/workflows/retrain.yml', event: 'repository_dispatch',
      payload: { action: dispatch.event_type, branch: 'main', client_payload: dispatch.client_payload, repository: repository(), sender: { login: 'github-actions[bot]' } },
      vars: { TRAINING_DATA_URL: `http://127.0.0.1:${port}/fresh-train.csv` },
    });
    expect(retrain.code, failureLog(retrain)).toBe(0);
    const j = job(retrain, 'retrain');
    expect(stepResults(j)).toEqual([['0', 'success'], ['1', 'success'], ['2', 'success'], ['3', 'success'], ['4', 'success'], ['evaluate', 'success'], ['pr', 'success']]);
    expect(step(j, 'evaluate').outputs.passed).toBe('true');
    expect(api.pulls).toHaveLength(1);
    const pull = api.pulls[0]!;
    expect(pull).toMatchObject({ title: 'Retrain on fresh data', base: 'main' });
    expect(pull.head).toMatch(/^retrain\//);
    expect(pull.body).toMatch(/accuracy 0\.9\d+/);
    expect(step(j, 'pr').outputs.url).toBe(`https://github.com/${OWNER}/${NAME}/pull/${pull.number}`);
    // The branch arrived through git's smart HTTP with the run's token, holding the fresh data.
    expect(repo.git(['show', `refs/heads/${pull.head}:data/train.csv`]).split('\n')).toHaveLength(fresh.trim().split('\n').length);
    expect(api.requests.some((r) => r.path.endsWith('/git-receive-pack') && r.authorization?.startsWith('basic '))).toBe(true);

    // The pull request's ml.yml run (its head checked out, as GitHub runs pull requests).
    repo.git(['checkout', '--quiet', pull.head]);
    const pr = await act('pull_request (retrain PR)', { workflow: '.github/workflows/ml.yml', event: 'pull_request', payload: pullRequestEvent(pull.number, { owner: OWNER, repo: NAME }) });
    expect(pr.code, failureLog(pr)).toBe(0);
    expect(step(job(pr, 'train-and-evaluate'), 'evaluate').outputs.passed).toBe('true');
    expect(api.comments.filter((c) => c.issue_number === pull.number)).toHaveLength(1);

    // Merged: the push to main ships the retrained model — a new image (another model, another digest).
    repo.git(['checkout', '--quiet', 'main']);
    repo.git(['merge', '--quiet', '--ff-only', pull.head]);
    const ship = await act('push (ship the retrained model)', {
      workflow: '.github/workflows/ml.yml', event: 'push', payload: pushEvent(),
      vars: { IMAGE_REGISTRY: registryHost, BASE_IMAGE: base }, secrets: { KUBECONFIG: readFileSync(cluster.kubeconfig, 'utf8') },
    });
    expect(ship.code, failureLog(ship)).toBe(0);
    const shipJob = job(ship, 'ship');
    expect(stepResults(shipJob)).toEqual([['0', 'success'], ['image', 'success'], ['record', 'success'], ['3', 'success'], ['4', 'success']]);
    const image = step(shipJob, 'image');
    expect(image.outputs.digest).not.toBe(firstImageDigest);
    // Redeployed: the pods now run the retrained model's image, and it answers like its package.
    await expectServing(image.outputs.image!);
    expect(step(shipJob, 'Smoke test').outputs.passed).toBe('true');
  }, 900_000);
});
