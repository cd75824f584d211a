// Progressive delivery with a HorizontalPodAutoscaler (deploy-k8s strategy canary / blue-green with
// `autoscale`) on the REAL single-node cluster (npm run cluster), under a bounded request loop through the
// API server's service proxy. The cluster has no metrics-server, so the HPAs' CPU metric is unknown and
// they only enforce their bounds (the HPA controller raises a Deployment below minReplicas without metrics):
// that is what moves replica counts here, and the test checks the objects and the replica arithmetic.
//  - canary: the stable keeps its HPA and its pods (never scaled by mlship); at 50% the canary adds as many
//    pods as the stable has; promoted with no failed request, the HPA still targets the stable Deployment.
//  - blue-green: each color has its own HPA with the same bounds; the new color starts as large as the
//    active color is now (3, after its HPA raised it); switched and switched back with no failed request.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTestBaseImage } from '../harness/base-image.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { buildPackageImage, withTraffic } from '../harness/delivery-traffic.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { runAction } from '../harness/run-action.ts';

const RUN = Date.now().toString(36);
const CANARY_NS = `mlship-hpa-canary-${RUN}`;
const BG_NS = `mlship-hpa-bg-${RUN}`;
let cluster: TestCluster;
let work: string;
let env: Record<string, string>;
const images: Record<string, string> = {};
const packages: Record<string, string> = {};

// Small CPU requests: several pods of two namespaces share the one node (the HPA's utilisation needs a CPU request).
const deploy = async (ns: string, inputs: Record<string, string>) => runAction({
  action: 'deploy-k8s',
  inputs: { name: 'iris', namespace: ns, timeout: '180', autoscale: '2:4', requests: 'cpu=50m,memory=128Mi', kubeconfig: await readFile(cluster.kubeconfig, 'utf8'), ...inputs },
  workspace: work, env,
});

const json = async (ns: string, kind: string, name: string) => JSON.parse(await cluster.kc(['-n', ns, 'get', kind, name, '-o', 'json']));

/** Polls (every 2 s, at most `seconds`) until deployment `name` wants and has `replicas` ready pods; returns what it saw last. */
async function waitForReplicas(ns: string, name: string, replicas: number, seconds = 180) {
  let d: any;
  for (let i = 0; i < seconds / 2; i++) {
    d = await json(ns, 'deployment', name);
    if (d.spec.replicas === replicas && d.status.readyReplicas === replicas && d.status.updatedReplicas === replicas) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { spec: d.spec.replicas as number, ready: d.status.readyReplicas as number };
}

beforeAll(async () => {
  cluster = await startTestCluster();
  work = await mkdtemp(join(tmpdir(), 'mlship-hpa-k8s-'));
  env = { PATH: `${cluster.binDir}:${join(process.execPath, '..')}:${process.env.PATH}` };
  const base = await pushTestBaseImage(cluster.registry);
  for (const v of ['1.0.0', '1.1.0']) {
    packages[v] = (await writeIrisPackage(join(work, v), v)).dir;
    images[v] = await buildPackageImage(packages[v]!, `${cluster.registry}/models/iris-hpa:${v}`, base.reference, work, env);
  }
}, 900_000);

afterAll(async () => {
  for (const ns of [CANARY_NS, BG_NS]) await cluster?.kc(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('canary with autoscale on a real cluster', () => {
  it('the stable keeps its HPA and pods; the 50% step adds as many canary pods; promoted with no failed request', async () => {
    const first = await deploy(CANARY_NS, { image: images['1.0.0']! });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const hpa = await json(CANARY_NS, 'hpa', 'iris');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'iris' } });
    // The Deployment has no replica count of its own (1 by default); its HPA raises it to minReplicas.
    expect(await waitForReplicas(CANARY_NS, 'iris', 2)).toEqual({ spec: 2, ready: 2 });

    const { result: run, counts } = await withTraffic(cluster, `${CANARY_NS}/iris`, () => deploy(CANARY_NS, {
      image: images['1.1.0']!, strategy: 'canary', 'canary-steps': '50,100', 'analysis-window': '15', package: packages['1.1.0']!,
    }));
    console.log('canary+hpa', run.outputs['canary-analysis'], counts.ok, counts.failed, [...counts.versions]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', 'step-reached': '100' });
    // 2 stable pods (the HPA's count, left alone) + round(2 · 50 / 50) = 2 canary pods.
    expect(run.summary).toMatch(/\| 50% \(2\/4 pods\) \|/);
    expect(run.stdout).toMatch(/canary step 50%: 2 canary pod\(s\), 2 stable \(autoscaled, left to its HPA\)/);
    expect(counts.failures).toEqual([]);
    expect(counts.versions.get('1.0.0') ?? 0).toBeGreaterThan(0);
    expect(counts.versions.get('1.1.0') ?? 0).toBeGreaterThan(0);
    const stable = await json(CANARY_NS, 'deployment', 'iris');
    expect(stable.spec.template.spec.containers[0].image).toBe(images['1.1.0']);
    expect(stable.spec.replicas).toBe(2);
    expect((await json(CANARY_NS, 'hpa', 'iris')).spec.scaleTargetRef.name).toBe('iris');
    await expect(cluster.kc(['-n', CANARY_NS, 'get', 'deployment', 'iris-canary'])).rejects.toThrow(/not found/);
    await expect(cluster.kc(['-n', CANARY_NS, 'get', 'hpa', 'iris-canary'])).rejects.toThrow(/not found/);
  }, 900_000);
});

describe('blue-green with autoscale on a real cluster', () => {
  it('each color has its own HPA; the new color starts at the active color\'s count; switch and switch back with no failed request', async () => {
    await cluster.kc(['create', 'namespace', BG_NS]);
    const first = await deploy(BG_NS, { image: images['1.0.0']!, strategy: 'blue-green', package: packages['1.0.0']! });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.outputs).toMatchObject({ verdict: 'promoted', 'active-color': 'blue' });
    expect((await json(BG_NS, 'hpa', 'iris-blue')).spec).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'iris-blue' } });
    expect(await waitForReplicas(BG_NS, 'iris-blue', 2)).toEqual({ spec: 2, ready: 2 });
    // As if load had scaled blue up: its HPA's floor raised to 3, and the HPA controller scales it (no metrics needed).
    await cluster.kc(['-n', BG_NS, 'patch', 'hpa', 'iris-blue', '--type=merge', '-p', '{"spec":{"minReplicas":3}}']);
    expect(await waitForReplicas(BG_NS, 'iris-blue', 3)).toEqual({ spec: 3, ready: 3 });

    const { result: run, counts } = await withTraffic(cluster, `${BG_NS}/iris`, () => deploy(BG_NS, { image: images['1.1.0']!, strategy: 'blue-green', package: packages['1.1.0']! }));
    console.log('blue-green+hpa', counts.ok, counts.failed, [...counts.versions]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'promoted', 'active-color': 'green', 'previous-color': 'blue' });
    expect(counts.failures).toEqual([]);
    expect(counts.versions.get('1.0.0') ?? 0).toBeGreaterThan(0);
    // Green started with blue's 3 pods (within its own HPA's 2..4), and keeps them; blue keeps its HPA and pods.
    expect((await json(BG_NS, 'deployment', 'iris-green')).spec.replicas).toBe(3);
    expect((await json(BG_NS, 'hpa', 'iris-green')).spec).toMatchObject({ minReplicas: 2, maxReplicas: 4, scaleTargetRef: { name: 'iris-green' } });
    expect((await json(BG_NS, 'hpa', 'iris-blue')).spec.scaleTargetRef.name).toBe('iris-blue');
    expect((await json(BG_NS, 'deployment', 'iris-blue')).status.readyReplicas).toBe(3);

    const { result: back, counts: backCounts } = await withTraffic(cluster, `${BG_NS}/iris`, () => deploy(BG_NS, { image: images['1.1.0']!, strategy: 'blue-green', 'switch-back': 'true' }));
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.outputs).toMatchObject({ 'active-color': 'blue', 'previous-color': 'green' });
    expect(backCounts.failures).toEqual([]);
    expect(JSON.parse(await cluster.kc(['-n', BG_NS, 'get', 'service', 'iris', '-o', 'json'])).spec.selector['mlship.dev/color']).toBe('blue');
  }, 900_000);
});
