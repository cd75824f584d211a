// Every workflow template (workflows-templates/, all `on: workflow_call`) under act, copied into a
// repository's .github/workflows as their headers say and called by a small caller workflow, the way a
// user wires them: evaluate-and-package on a pull request, build-image after it, drift-check on the
// server's inference log, deploy-and-smoke-test. Outputs are read where the caller sees them (its own
// job's step, through `needs.<job>.outputs`).
//
// deploy-and-smoke-test rolls the image build-image pushed out to the real single-node cluster
// (test/harness/cluster.ts; images in the cluster's registry, which containerd pulls from).
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '@mlship/sdk';
import { failureLog, job, prepareRepo, runAct, step, stepResults, type ActRepo, type ActRun, type RunActOptions } from '../harness/act.ts';
import { pushTestBaseImage } from '../harness/base-image.ts';
import { FakeGitHubApi } from '../harness/github-api.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { freePort } from '../harness/registry.ts';
import { pullRequestEvent, REPO_ROOT } from '../harness/run-action.ts';
import { runCli } from '../harness/cli.ts';
import { featureRows, inferenceLog } from './inference-log.ts';

const OWNER = 'Octo-Org';
/** This file's private action cache (act workspaces, tool cache). */
const CACHE = 'templates';
const NAME = 'ML-Repo';
const TEMPLATES = join(REPO_ROOT, 'workflows-templates');

/** The caller workflows, one per template (what a user writes next to the copied template). */
const CALLERS: Record<string, string> = {
  'call-evaluate-and-package.yml': `name: model
on: pull_request
permissions: {}
jobs:
  model:
    uses: ./.github/workflows/evaluate-and-package.yml
    with:
      name: breast-cancer-classifier
      version: 2.0.0
      train-command: python train.py --data data/train.csv --out model.onnx
      threshold: accuracy>=0.95, roc_auc>=0.98
    permissions: { contents: read, pull-requests: write }
  report:
    needs: model
    runs-on: ubuntu-latest
    steps:
      - id: outputs
        run: |
          echo "passed=\${{ needs.model.outputs.passed }}" >> "$GITHUB_OUTPUT"
          echo "main-metric-value=\${{ needs.model.outputs.main-metric-value }}" >> "$GITHUB_OUTPUT"
          echo "model-sha256=\${{ needs.model.outputs.model-sha256 }}" >> "$GITHUB_OUTPUT"
`,
  'call-build-image.yml': `name: image
on: push
permissions: {}
jobs:
  image:
    uses: ./.github/workflows/build-image.yml
    with:
      package-artifact: model-package
      image: \${{ vars.IMAGE_REGISTRY }}/\${{ github.repository }}/breast-cancer-classifier
      base: \${{ vars.BASE_IMAGE }}
    permissions: { contents: read, packages: write }
  report:
    needs: image
    runs-on: ubuntu-latest
    steps:
      - id: outputs
        run: echo "image=\${{ needs.image.outputs.image }}" >> "$GITHUB_OUTPUT"
`,
  'call-drift-check.yml': `name: drift
on:
  workflow_dispatch:
    inputs:
      exclude: { type: string, default: '' }
permissions: {}
jobs:
  drift:
    uses: ./.github/workflows/drift-check.yml
    with:
      reference: data/drift-reference.csv
      current: current.csv
      fetch-current: curl --fail --silent --show-error "\${{ vars.INFERENCE_LOG_URL }}" -o current.csv
      exclude: \${{ inputs.exclude }}
      dispatch-event: retrain
    permissions: { contents: write, issues: write }
  report:
    needs: drift
    runs-on: ubuntu-latest
    steps:
      - id: outputs
        run: echo "drift=\${{ needs.drift.outputs.drift }}" >> "$GITHUB_OUTPUT"
`,
  'call-deploy-and-smoke-test.yml': `name: deploy
on:
  workflow_dispatch:
    inputs:
      image: { type: string, required: true }
      namespace: { type: string, required: true }
permissions: {}
jobs:
  deploy:
    uses: ./.github/workflows/deploy-and-smoke-test.yml
    with:
      name: breast-cancer-classifier
      image: \${{ inputs.image }}
      namespace: \${{ inputs.namespace }}
      environment: \${{ vars.DEPLOY_ENVIRONMENT || 'production' }}
    secrets:
      KUBECONFIG: \${{ secrets.KUBECONFIG }}
    permissions: { contents: read }
`,
  'call-batch-scoring-k8s.yml': `name: batch
on:
  workflow_dispatch:
    inputs:
      image: { type: string, required: true }
      namespace: { type: string, required: true }
      claim: { type: string, required: true }
permissions: {}
jobs:
  score:
    uses: ./.github/workflows/batch-scoring-k8s.yml
    with:
      name: breast-cancer-scores
      image: \${{ inputs.image }}
      namespace: \${{ inputs.namespace }}
      volume-claim: \${{ inputs.claim }}
      input: in/test.csv
      output: 'scores/{run}.csv'
      shards: '2'
      keep: target
      limits: cpu=1,memory=512Mi
    secrets:
      KUBECONFIG: \${{ secrets.KUBECONFIG }}
    permissions: { contents: read }
  report:
    needs: score
    runs-on: ubuntu-latest
    steps:
      - id: outputs
        run: echo "rows=\${{ needs.score.outputs.rows }}" >> "$GITHUB_OUTPUT"
`,
};

let api: FakeGitHubApi;
let cluster: TestCluster;
let registryHost = '';
const NAMESPACE = 'models-templates';
/** batch-scoring-k8s's namespace, and its volume: a hostPath PersistentVolume (this machine is the node) bound to a claim. */
const BATCH_NAMESPACE = 'models-templates-batch';
const BATCH_PV = 'mlship-templates-batch';
let repo: ActRepo;
let artifacts: string;
let work: string;
let base = '';
let pushedImage = '';
const wall: Record<string, number> = {};

async function act(label: string, options: Omit<RunActOptions, 'repo' | 'apiUrl' | 'artifacts' | 'cache'>): Promise<ActRun> {
  const run = await runAct({ repo, cache: CACHE, apiUrl: api.url, artifacts, path: [cluster.binDir], ...options, env: { KUBECONFIG: join(work, 'no-kubeconfig'), ...options.env } });
  wall[label] = (wall[label] ?? 0) + run.ms;
  return run;
}

beforeAll(async () => {
  api = new FakeGitHubApi(OWNER, NAME);
  await api.start();
  api.addPullRequest(1);
  cluster = await startTestCluster();
  registryHost = cluster.registry;
  base = (await pushTestBaseImage(registryHost)).reference;
  await cluster.kc(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
  const extra: Record<string, string> = { ...Object.fromEntries(Object.entries(CALLERS).map(([f, text]) => [`.github/workflows/${f}`, text])) };
  for (const f of readdirSync(TEMPLATES)) extra[`.github/workflows/${f}`] = readFileSync(join(TEMPLATES, f), 'utf8');
  repo = await prepareRepo({ owner: OWNER, name: NAME, extra });
  artifacts = await mkdtemp(join(tmpdir(), 'mlship-act-artifacts-'));
  work = await mkdtemp(join(tmpdir(), 'mlship-engine-'));
}, 600_000); // brings the cluster up when none runs

afterAll(async () => {
  await api?.stop();
  await cluster?.kc(['delete', 'namespace', NAMESPACE, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.kc(['delete', 'namespace', BATCH_NAMESPACE, '--wait=true', '--ignore-not-found']).catch(() => undefined);
  await cluster?.kc(['delete', 'pv', BATCH_PV, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  for (const d of [repo?.dir, artifacts, work]) if (d) await rm(d, { recursive: true, force: true });
  const total = Object.values(wall).reduce((a, b) => a + b, 0);
  console.log(`engine tier (templates) act wall time: ${Object.entries(wall).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}; total ${(total / 1000).toFixed(1)} s`);
});

const repository = () => ({ name: NAME, full_name: `${OWNER}/${NAME}`, owner: { login: OWNER }, default_branch: 'main' });

describe('the templates, each called by a caller workflow', () => {
  it('a caller for every template exists (a new template needs one here)', () => {
    expect(readdirSync(TEMPLATES).sort().map((f) => `call-${f}`)).toEqual(Object.keys(CALLERS).sort());
  });

  it('evaluate-and-package (pull_request): trains, gates, comments, packages; its outputs reach the caller', async () => {
    const run = await act('pull_request (evaluate-and-package)', { workflow: '.github/workflows/call-evaluate-and-package.yml', event: 'pull_request', payload: pullRequestEvent(1, { owner: OWNER, repo: NAME }) });
    expect(run.code, failureLog(run)).toBe(0);
    const model = job(run, 'model');
    expect(model.result).toBe('success');
    expect(stepResults(model).map(([, r]) => r)).toEqual(Array(model.steps.length).fill('success'));
    const evaluate = step(model, 'evaluate');
    const pkg = step(model, 'package');
    const outputs = step(job(run, 'report'), 'outputs').outputs;
    expect(outputs).toEqual({ passed: 'true', 'main-metric-value': evaluate.outputs['main-metric-value'], 'model-sha256': pkg.outputs['model-sha256'] });
    expect(pkg.outputs.version).toBe('2.0.0');
    expect(pkg.outputs['archive-path'] ?? '').toBe('');
    expect(api.comments.filter((c) => c.issue_number === 1)).toHaveLength(1);
  }, 600_000);

  it('build-image (push): pushes the package\'s image under a lower-cased name tagged version-sha; the pinned image reaches the caller', async () => {
    const run = await act('push (build-image)', {
      workflow: '.github/workflows/call-build-image.yml', event: 'push',
      payload: { ref: 'refs/heads/main', after: repo.head(), repository: repository() }, vars: { IMAGE_REGISTRY: registryHost, BASE_IMAGE: base },
    });
    expect(run.code, failureLog(run)).toBe(0);
    const image = job(run, 'image');
    expect(stepResults(image)).toEqual([['0', 'success'], ['1', 'success'], ['meta', 'success'], ['build', 'success']]);
    const build = step(image, 'build');
    const name = `${registryHost}/octo-org/ml-repo/breast-cancer-classifier`;
    expect(build.outputs.reference).toBe(`${name}:2.0.0-${repo.head().slice(0, 12)}`);
    expect(step(job(run, 'report'), 'outputs').outputs.image).toBe(build.outputs.image);
    const { digest } = await new RegistryClient().getManifest({ registry: registryHost, repository: 'octo-org/ml-repo/breast-cancer-classifier', tag: `2.0.0-${repo.head().slice(0, 12)}` });
    expect(build.outputs.image).toBe(`${name}@${digest}`);
    pushedImage = build.outputs.image!;
  }, 600_000);

  it('build-image to a registry that does not answer: the error names the registry host', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const run = await act('push (build-image, registry down)', {
      workflow: '.github/workflows/call-build-image.yml', event: 'push',
      payload: { ref: 'refs/heads/main', after: repo.head(), repository: repository() }, vars: { IMAGE_REGISTRY: dead, BASE_IMAGE: base },
    });
    expect(run.code).toBe(1);
    const build = step(job(run, 'image'), 'build');
    expect(build.result).toBe('failure');
    expect(build.errors.join('\n')).toContain(`GET http://${dead}/v2/ failed`);
  }, 600_000);

  describe('drift-check (workflow_dispatch) on the server\'s inference log', () => {
    let logServer: Server;
    beforeAll(async () => {
      const log = await inferenceLog(join(artifacts, 'model-package'), join(work, 'shifted.csv'),
        featureRows(readFileSync(join(repo.dir, 'data/test.csv'), 'utf8')).map((r) => r.map((v) => v * 1.5)));
      logServer = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/csv' }); res.end(log); });
      await new Promise<void>((r) => logServer.listen(0, '127.0.0.1', r));
    }, 120_000);
    afterAll(async () => { await new Promise((r) => logServer?.close(r)); });
    const vars = () => ({ INFERENCE_LOG_URL: `http://127.0.0.1:${(logServer.address() as AddressInfo).port}/log.csv` });

    it('without `exclude` the reference\'s extra column is an error that names the action inputs, not CLI flags', async () => {
      const run = await act('workflow_dispatch (drift-check, columns differ)', { workflow: '.github/workflows/call-drift-check.yml', event: 'workflow_dispatch', payload: {}, inputs: { exclude: '' }, vars: vars() });
      expect(run.code).toBe(1);
      const check = step(job(run, 'drift'), 'check');
      expect(check.result).toBe('failure');
      const message = check.errors.join('\n');
      expect(message).toMatch(/only in the reference data\/drift-reference\.csv: "segment"/);
      expect(message).toContain('input "columns" or input "exclude"');
      expect(message).not.toMatch(/--columns|--exclude/);
    }, 300_000);

    it('with exclude: segment, drift is found: issue opened, retrain dispatched, report uploaded, `drift` output reaches the caller', async () => {
      const run = await act('workflow_dispatch (drift-check, drifted)', { workflow: '.github/workflows/call-drift-check.yml', event: 'workflow_dispatch', payload: {}, inputs: { exclude: 'segment' }, vars: vars() });
      expect(run.code, failureLog(run)).toBe(0);
      const drift = job(run, 'drift');
      expect(stepResults(drift)).toEqual([['0', 'success'], ['1', 'success'], ['check', 'success'], ['3', 'success']]);
      expect(step(drift, 'check').outputs.drift).toBe('true');
      expect(step(job(run, 'report'), 'outputs').outputs.drift).toBe('true');
      expect(api.issues.filter((i) => i.labels.some((l) => l.name === 'data-drift') && i.state === 'open')).toHaveLength(1);
      expect(api.dispatches.map((d) => d.event_type)).toEqual(['retrain']);
      expect(readFileSync(join(artifacts, 'drift-report', 'drift-report.html'), 'utf8')).toMatch(/<html/i);
    }, 300_000);
  });

  it('deploy-and-smoke-test (workflow_dispatch): deploys the pinned image, uploads the manifest, the smoke test passes through the service proxy', async () => {
    const run = await act('workflow_dispatch (deploy-and-smoke-test)', {
      workflow: '.github/workflows/call-deploy-and-smoke-test.yml', event: 'workflow_dispatch', payload: {},
      inputs: { image: pushedImage, namespace: NAMESPACE }, secrets: { KUBECONFIG: readFileSync(cluster.kubeconfig, 'utf8') },
    });
    expect(run.code, failureLog(run)).toBe(0);
    const deploy = job(run, 'deploy');
    expect(stepResults(deploy)).toEqual([['0', 'success'], ['deploy', 'success'], ['2', 'success'], ['3', 'success']]);
    const outputs = step(deploy, 'deploy').outputs;
    expect(outputs['rolled-out']).toBe('true');
    expect(outputs.objects).toMatch(/deployment\.apps\/breast-cancer-classifier/);
    expect(readFileSync(join(artifacts, 'k8s-manifest', 'breast-cancer-classifier.k8s.yaml'), 'utf8')).toContain(pushedImage);
    const smoke = step(deploy, '3');
    expect(smoke.outputs.passed).toBe('true');
    expect(smoke.summary).toContain(`service ${NAMESPACE}/breast-cancer-classifier (API server proxy)`);
    const dep = JSON.parse(await cluster.kc(['-n', NAMESPACE, 'get', 'deployment', 'breast-cancer-classifier', '-o', 'json'])) as { status: { readyReplicas?: number } };
    expect(dep.status.readyReplicas).toBe(2);
  }, 600_000);

  it('batch-scoring-k8s (workflow_dispatch): an Indexed Job of 2 pods scores a file on a claim; the merged output equals mlship predict on the host', async () => {
    const volume = join(work, 'batch-volume');
    for (const d of [volume, join(volume, 'in')]) { mkdirSync(d, { recursive: true }); chmodSync(d, 0o777); }
    copyFileSync(join(repo.dir, 'data/test.csv'), join(volume, 'in/test.csv'));
    await cluster.kc(['delete', 'namespace', BATCH_NAMESPACE, '--ignore-not-found', '--wait=true']);
    await cluster.kc(['delete', 'pv', BATCH_PV, '--ignore-not-found', '--wait=true']);
    await cluster.kc(['create', 'namespace', BATCH_NAMESPACE]);
    await cluster.kc(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: BATCH_PV },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: volume, type: 'Directory' },
          claimRef: { namespace: BATCH_NAMESPACE, name: 'scoring-data' } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'scoring-data', namespace: BATCH_NAMESPACE },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', volumeName: BATCH_PV, resources: { requests: { storage: '1Gi' } } } },
    ] }));
    const run = await act('workflow_dispatch (batch-scoring-k8s)', {
      workflow: '.github/workflows/call-batch-scoring-k8s.yml', event: 'workflow_dispatch', payload: {},
      inputs: { image: pushedImage, namespace: BATCH_NAMESPACE, claim: 'scoring-data' }, secrets: { KUBECONFIG: readFileSync(cluster.kubeconfig, 'utf8') },
    });
    expect(run.code, failureLog(run)).toBe(0);
    const batch = step(job(run, 'score'), 'batch');
    expect(batch.outputs.verdict).toBe('succeeded');
    expect(batch.outputs.shards).toBe('2');
    const rows = readFileSync(join(repo.dir, 'data/test.csv'), 'utf8').trim().split('\n').length - 1;
    expect(batch.outputs.rows).toBe(String(rows));
    expect(step(job(run, 'report'), 'outputs').outputs.rows).toBe(String(rows));
    // The merged file, where the output input put it ({run} = the run's Job name), against the host's run.
    const merged = batch.outputs.output!;
    expect(merged).toMatch(/^scores\/breast-cancer-scores-.+\.csv$/);
    const host = join(work, 'host-scores.csv');
    const cli = await runCli(['predict', '--package', join(artifacts, 'model-package'), '--data', join(volume, 'in/test.csv'), '--out', host, '--keep', 'target', '--quiet'], work);
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(join(volume, merged), 'utf8')).toBe(readFileSync(host, 'utf8'));
  }, 600_000);

  it('deploy-and-smoke-test with the KUBECONFIG secret unset: the deploy fails naming the input and the secret, nothing after it runs', async () => {
    const run = await act('workflow_dispatch (deploy-and-smoke-test, secret unset)', {
      workflow: '.github/workflows/call-deploy-and-smoke-test.yml', event: 'workflow_dispatch', payload: {},
      inputs: { image: pushedImage, namespace: NAMESPACE }, secrets: { KUBECONFIG: '' },
    });
    expect(run.code).toBe(1);
    const deploy = job(run, 'deploy');
    expect(stepResults(deploy)).toEqual([['0', 'success'], ['deploy', 'failure'], ['2', 'success']]);
    const message = step(deploy, 'deploy').errors.join('\n');
    expect(message).toMatch(/^input "kubeconfig" is empty: pass the cluster's kubeconfig from a secret/);
    expect(message).toContain('secrets.KUBECONFIG');
    expect(message).not.toMatch(/localhost:8080/);
  }, 300_000);
});
