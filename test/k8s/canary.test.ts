// Canary delivery (deploy-k8s strategy: canary) on the REAL single-node cluster (npm run cluster), no mesh,
// no controller: a bounded request loop through the API server's service proxy is the live traffic while
// the action runs. A canary trained on shifted labels and a canary that answers 500 are aborted (stable
// image untouched, canary removed); a good canary is promoted (stable takes the new image, no failed request).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestBaseImage, type TestBase } from '../harness/base-image.ts';
import { writeFailingPackage, writeShiftedIrisPackage } from '../harness/canary-models.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { buildPackageImage, withTraffic as withServiceTraffic } from '../harness/delivery-traffic.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { runAction } from '../harness/run-action.ts';

// A fresh namespace per run: deleting a namespace (pods draining) can outlast the API server's request timeout.
const NS = `mlship-canary-${Date.now().toString(36)}`;
let cluster: TestCluster;
let base: TestBase;
let work: string;
let env: Record<string, string>;
const images: Record<string, string> = {};
const packages: Record<string, string> = {};

const buildImage = (pkgDir: string, tag: string) => buildPackageImage(pkgDir, tag, base.reference, work, env);

const deploy = async (inputs: Record<string, string>) => runAction({
  action: 'deploy-k8s',
  inputs: { name: 'iris', namespace: NS, timeout: '180', replicas: '2', kubeconfig: await import('node:fs/promises').then((f) => f.readFile(cluster.kubeconfig, 'utf8')), ...inputs },
  workspace: work, env,
});

const withTraffic = <T>(run: () => Promise<T>) => withServiceTraffic(cluster, `${NS}/iris`, run);

async function stableImage(): Promise<string> {
  return JSON.parse(await cluster.kc(['-n', NS, 'get', 'deployment', 'iris', '-o', 'json'])).spec.template.spec.containers[0].image;
}

async function canaryExists(): Promise<boolean> {
  return cluster.kc(['-n', NS, 'get', 'deployment', 'iris-canary']).then(() => true, () => false);
}

beforeAll(async () => {
  cluster = await startTestCluster();
  work = await mkdtemp(join(tmpdir(), 'mlship-canary-k8s-'));
  env = { PATH: `${cluster.binDir}:${join(process.execPath, '..')}:${process.env.PATH}` };
  base = await pushTestBaseImage(cluster.registry);
  packages.stable = (await writeIrisPackage(join(work, 'stable'), '1.0.0')).dir;
  images.stable = await buildImage(packages.stable, `${cluster.registry}/models/iris-canary:1.0.0`);
  packages.good = (await writeIrisPackage(join(work, 'good'), '1.1.0')).dir;
  images.good = await buildImage(packages.good, `${cluster.registry}/models/iris-canary:1.1.0`);
  packages.shifted = (await writeShiftedIrisPackage(join(work, 'shifted'), '1.2.0')).dir;
  images.shifted = await buildImage(packages.shifted, `${cluster.registry}/models/iris-canary:1.2.0`);
  packages.failing = (await writeFailingPackage(join(work, 'failing'), '1.3.0')).dir;
  images.failing = await buildImage(packages.failing, `${cluster.registry}/models/iris-canary:1.3.0`);
  await cluster.kc(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
  const first = await deploy({ image: images.stable! });
  expect(first.code, first.stdout + first.stderr).toBe(0);
}, 900_000);

afterAll(async () => {
  await cluster?.kc(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

// The failing model has no golden rows (its server would refuse a real row), so it goes without a package.
const canary = (image: string, pkg?: string) => deploy({ image, strategy: 'canary', 'canary-steps': '50,100', 'analysis-window': '15', ...(pkg ? { package: pkg } : {}) });

describe('deploy-k8s strategy canary on a real cluster', () => {
  it('a canary trained on shifted labels is aborted on the predicted-class distance; stable untouched', async () => {
    const { result: run, counts } = await withTraffic(() => canary(images.shifted!, packages.shifted));
    console.log('shifted', run.outputs['canary-analysis'], counts.ok, counts.failed, [...counts.versions]);
    expect(run.outputs.verdict, run.stdout).toBe('aborted');
    expect(run.outputs['step-reached']).toBe('50');
    const checks = JSON.parse(run.outputs['canary-analysis']!)[0].checks as Array<{ name: string; passed: boolean; canary: number }>;
    expect(checks.find((c) => c.name === 'prediction-distance')).toMatchObject({ passed: false });
    expect(checks.find((c) => c.name === 'error-rate')).toMatchObject({ passed: true });
    expect(run.summary).toMatch(/canary: iris ❌ aborted/);
    expect(run.summary).toMatch(/Golden rows on the canary pods: ✅/); // it serves its own package faithfully: only live traffic shows the shift
    expect(run.code).toBe(1);
    expect(await stableImage()).toBe(images.stable);
    expect(await canaryExists()).toBe(false);
    expect(counts.failures).toEqual([]);
    expect(counts.versions.get('1.2.0') ?? 0).toBeGreaterThan(0); // the canary did serve live traffic
  }, 900_000);

  it('a canary answering 500 is aborted on the error rate; stable untouched', async () => {
    const { result: run, counts } = await withTraffic(() => canary(images.failing!));
    console.log('failing', run.outputs['canary-analysis'], counts.ok, counts.failed, [...counts.versions]);
    expect(run.outputs.verdict, run.stdout).toBe('aborted');
    const checks = JSON.parse(run.outputs['canary-analysis']!)[0].checks as Array<{ name: string; passed: boolean; canary: number }>;
    expect(checks.find((c) => c.name === 'error-rate')).toMatchObject({ passed: false, canary: 1 });
    expect(run.code).toBe(1);
    expect(await stableImage()).toBe(images.stable);
    expect(await canaryExists()).toBe(false);
    expect(counts.failed).toBeGreaterThan(0); // the 500s users saw during the step, which is why it aborted
    expect(counts.failures.every((f) => f.startsWith('500'))).toBe(true);
  }, 900_000);

  it('a good canary is promoted: the stable Deployment runs the new image, no request failed', async () => {
    const { result: run, counts } = await withTraffic(() => canary(images.good!, packages.good));
    console.log('good', run.outputs['canary-analysis'], counts.ok, counts.failed, [...counts.versions]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', 'step-reached': '100' });
    expect(run.summary).toMatch(/Golden rows on the canary pods: ✅ 3 golden rows reproduce/);
    expect(await stableImage()).toBe(images.good);
    expect(await canaryExists()).toBe(false);
    expect(counts.failures).toEqual([]);
    expect(counts.versions.get('1.1.0') ?? 0).toBeGreaterThan(0);
  }, 900_000);
});
