// Blue-green delivery (deploy-k8s strategy: blue-green) on the REAL single-node cluster (npm run cluster):
// the new version starts as the other color, passes the smoke test (golden rows) through NAME-preview, the
// Service selector switches, and switch-back returns to the previous color — under a bounded request loop
// through the API server's service proxy, with no failed request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestBaseImage, type TestBase } from '../harness/base-image.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { buildPackageImage, withTraffic as withServiceTraffic } from '../harness/delivery-traffic.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { runAction } from '../harness/run-action.ts';

// A fresh namespace per run: deleting a namespace (pods draining) can outlast the API server's request timeout.
const NS = `mlship-bluegreen-${Date.now().toString(36)}`;
let cluster: TestCluster;
let base: TestBase;
let work: string;
let env: Record<string, string>;
const images: Record<string, string> = {};

const buildImage = (pkgDir: string, tag: string) => buildPackageImage(pkgDir, tag, base.reference, work, env);

const deploy = async (inputs: Record<string, string>) => runAction({
  action: 'deploy-k8s',
  inputs: { name: 'iris', namespace: NS, strategy: 'blue-green', timeout: '180', replicas: '2', kubeconfig: await import('node:fs/promises').then((f) => f.readFile(cluster.kubeconfig, 'utf8')), ...inputs },
  workspace: work, env,
});

const withTraffic = <T>(run: () => Promise<T>) => withServiceTraffic(cluster, `${NS}/iris`, run);

async function selectedColor(): Promise<string> {
  return JSON.parse(await cluster.kc(['-n', NS, 'get', 'service', 'iris', '-o', 'json'])).spec.selector['mlship.dev/color'];
}

const packages: Record<string, string> = {};

beforeAll(async () => {
  cluster = await startTestCluster();
  work = await mkdtemp(join(tmpdir(), 'mlship-bg-k8s-'));
  env = { PATH: `${cluster.binDir}:${join(process.execPath, '..')}:${process.env.PATH}` };
  base = await pushTestBaseImage(cluster.registry);
  for (const v of ['1.0.0', '1.1.0']) {
    packages[v] = (await writeIrisPackage(join(work, v), v)).dir;
    images[v] = await buildImage(packages[v]!, `${cluster.registry}/models/iris-bg:${v}`);
  }
  await cluster.kc(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
  await cluster.kc(['create', 'namespace', NS]);
}, 900_000);

afterAll(async () => {
  await cluster?.kc(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('deploy-k8s strategy blue-green on a real cluster', () => {
  it('first deploy: blue, smoke-tested through iris-preview, the Service selects blue', async () => {
    const run = await deploy({ image: images['1.0.0']!, package: packages['1.0.0']! });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', 'active-color': 'blue' });
    expect(run.summary).toMatch(/golden rows reproduce/);
    expect(await selectedColor()).toBe('blue');
  }, 600_000);

  it('switches to green and back under live traffic with no failed request', async () => {
    const { result: run, counts } = await withTraffic(() => deploy({ image: images['1.1.0']!, package: packages['1.1.0']! }));
    console.log('switch', counts.ok, counts.failed, [...counts.versions]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', 'active-color': 'green', 'previous-color': 'blue' });
    expect(await selectedColor()).toBe('green');
    expect(counts.failures).toEqual([]);
    expect(counts.versions.get('1.0.0') ?? 0).toBeGreaterThan(0);
    // Both colors keep running; the Service answers with the new version only, now.
    const blue = JSON.parse(await cluster.kc(['-n', NS, 'get', 'deployment', 'iris-blue', '-o', 'json']));
    expect(blue.status.readyReplicas).toBe(2);

    const { result: back, counts: backCounts } = await withTraffic(() => deploy({ image: images['1.1.0']!, 'switch-back': 'true' }));
    console.log('switch-back', backCounts.ok, backCounts.failed, [...backCounts.versions]);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.outputs).toMatchObject({ 'active-color': 'blue', 'previous-color': 'green' });
    expect(await selectedColor()).toBe('blue');
    expect(backCounts.failures).toEqual([]);
    // After the switch back, requests are answered by 1.0.0 again.
    const after = await withTraffic(() => new Promise((r) => setTimeout(r, 3000)));
    expect([...after.counts.versions.keys()]).toEqual(['1.0.0']);
    expect(after.counts.failures).toEqual([]);
  }, 900_000);
});
