// deploy-k8s and smoke-test on a REAL single-node Kubernetes cluster (npm run cluster: etcd,
// kube-apiserver, controller-manager, scheduler, containerd + runc, kubelet, CNI bridge), with real
// pods running mlship images built by `mlship image build` and pulled by containerd from real
// registries on 127.0.0.1. One cluster for the whole file (reused when one is running). Requests reach
// the pods through the API server's service proxy (kubectl proxy), as the smoke-test action does.
import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceProxy, parseServiceRef, type ServiceProxy } from '@mlship/sdk';
import { pushTestBaseImage, type TestBase } from '../harness/base-image.ts';
import { runCli } from '../harness/cli.ts';
import { startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { runAction } from '../harness/run-action.ts';

// Per run, so two runs sharing the machine's cluster do not meet.
const NS = `mlship-e2e-${process.pid}`;
const MISSING_DIGEST = `sha256:${'0'.repeat(64)}`;
let cluster: TestCluster;
let base: TestBase;
let work: string;
let env: Record<string, string>;
const images: Record<string, string> = {};
const packages: Record<string, string> = {};
const tierStarted = performance.now();

async function buildImage(pkgDir: string, tag: string, extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<string> {
  const run = await runCliEnv(['image', 'build', '--package', pkgDir, '--tag', tag, '--base', base.reference, '--json', ...extra], extraEnv);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { image: string }).image;
}

async function runCliEnv(args: string[], extraEnv: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env, extraEnv);
  try {
    return await runCli(args, work);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function deployAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  return runAction({
    action: 'deploy-k8s',
    inputs: { namespace: NS, timeout: '120', ...inputs },
    workspace: work,
    env: { ...env, ...extraEnv },
  });
}

async function adminKubeconfig(): Promise<string> {
  return readFile(cluster.kubeconfig, 'utf8');
}

async function json(args: string[]): Promise<any> {
  return JSON.parse(await cluster.kc([...args, '-o', 'json']));
}

/**
 * Sends infer requests to the Service through the API server until `until` resolves (bounded: at most
 * `max` requests), one at a time; counts every non-2xx answer and network error as a failure.
 */
async function requestLoop(proxy: ServiceProxy, until: Promise<unknown>, max = 5000) {
  const body = JSON.stringify({ inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] });
  let done = false;
  void until.finally(() => { done = true; });
  const counts = { ok: 0, failed: 0, failures: [] as string[], versions: new Set<string>() };
  while (!done && counts.ok + counts.failed < max) {
    try {
      const r = await fetch(`${proxy.url}/v2/models/iris-rf/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      const text = await r.text();
      if (r.ok) {
        counts.ok++;
        const v = (JSON.parse(text) as { model_version?: string }).model_version;
        if (v) counts.versions.add(v);
      } else {
        counts.failed++;
        counts.failures.push(`${r.status} ${text.slice(0, 200)}`);
      }
    } catch (err) {
      counts.failed++;
      counts.failures.push((err as Error).message);
    }
  }
  await until.catch(() => undefined);
  return counts;
}

/** Polls `check` every 250 ms, at most 400 times; throws naming what never happened. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`waited 100 s for ${what}`);
}

async function readyPods(name: string): Promise<number> {
  const pods = await json(['-n', NS, 'get', 'pods', '-l', `app.kubernetes.io/name=${name}`]);
  return pods.items.filter((p: any) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
}

beforeAll(async () => {
  cluster = await startTestCluster();
  work = await mkdtemp(join(tmpdir(), 'mlship-k8s-'));
  // The cluster's kubectl (1.34) first on PATH, for the actions and the CLI.
  env = { PATH: `${cluster.binDir}:${join(process.execPath, '..')}:${process.env.PATH}` };
  base = await pushTestBaseImage(cluster.registry);
  for (const version of ['1.0.0', '1.1.0']) {
    packages[version] = (await writeIrisPackage(join(work, `iris-${version}`), version)).dir;
    images[version] = await buildImage(packages[version]!, `${cluster.registry}/models/iris:${version}`);
  }
  // A package whose golden rows do not reproduce: the recorded probabilities are changed in its
  // manifest (the manifest carries the file hashes, not its own), so the server refuses to turn ready.
  const bad = (await writeIrisPackage(join(work, 'iris-bad-golden'), '1.2.0')).dir;
  const manifestPath = join(bad, 'mlship.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.golden.outputs.probabilities[0] = manifest.golden.outputs.probabilities[0].map((p: number) => 1 - p);
  manifest.golden.outputs.label[0] = (manifest.golden.outputs.label[0] + 1) % 3;
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  images['bad-golden'] = await buildImage(bad, `${cluster.registry}/models/iris:bad-golden`);
}, 600_000);

afterAll(async () => {
  await cluster?.kc(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  console.log(`real-cluster tier: ${((performance.now() - tierStarted) / 1000).toFixed(0)} s (cluster up ${cluster?.upSeconds.toFixed(0)} s, ${cluster?.started ? 'started by this run' : 'reused'})`);
});

describe('deploy-k8s + smoke-test on a real cluster', () => {
  it('build-image → registry → deploy-k8s apply (missing namespace created) → 2 pods Ready → smoke-test passes through the service proxy', async () => {
    await cluster.kc(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    const run = await deployAction({ name: 'iris', image: images['1.0.0']!, kubeconfig: await adminKubeconfig(), 'min-available': '1', autoscale: '2:3' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['rolled-out']).toBe('true');
    expect(run.outputs.objects).toBe('deployment.apps/iris,service/iris,horizontalpodautoscaler.autoscaling/iris,poddisruptionbudget.policy/iris');
    expect(run.stdout).toContain(`created namespace ${NS}`);
    // With autoscale the Deployment leaves replicas to the HPA (so a deploy never resets a scaled-up
    // count): its first rollout is 1 pod, then the HPA controller raises it to minReplicas.
    await until(async () => (await readyPods('iris')) === 2, 'the HPA to bring 2 ready pods');

    const smoke = await runAction({
      action: 'smoke-test',
      inputs: { service: `${NS}/iris`, kubeconfig: await adminKubeconfig(), package: packages['1.0.0']! },
      workspace: work, env,
    });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(smoke.outputs.passed).toBe('true');
    expect(smoke.outputs.message).toMatch(/3 golden rows reproduce over HTTP/);
    expect(smoke.summary).toContain(`service ${NS}/iris (API server proxy)`);
    // And the served model is checked: the v1.1.0 package (another version) does not pass against it.
    const stale = await runCliEnv(['smoke', '--service', `${NS}/iris`, '--kubeconfig', cluster.kubeconfig, packages['1.1.0']!]);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).message).toMatch(/serves version\(s\) \["1.0.0"\], expected 1.1.0/);
  });

  it('the HPA and the PDB exist and the controllers accept them', async () => {
    const hpa = await json(['-n', NS, 'get', 'hpa', 'iris']);
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'iris' } });
    // The disruption controller computed the budget from the 2 ready pods: 1 may go.
    await until(async () => (await json(['-n', NS, 'get', 'pdb', 'iris'])).status?.currentHealthy === 2, 'the PDB to count 2 healthy pods');
    expect((await json(['-n', NS, 'get', 'pdb', 'iris'])).status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 });
  });

  it('deploying the same digest twice changes nothing', async () => {
    const rsBefore = (await json(['-n', NS, 'get', 'rs', '-l', 'app.kubernetes.io/name=iris'])).items.map((r: any) => r.metadata.name).sort();
    const genBefore = (await json(['-n', NS, 'get', 'deployment', 'iris'])).metadata.generation;
    const run = await deployAction({ name: 'iris', image: images['1.0.0']!, kubeconfig: await adminKubeconfig(), 'min-available': '1', autoscale: '2:3' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.changed).toBe('false');
    expect((await json(['-n', NS, 'get', 'deployment', 'iris'])).metadata.generation).toBe(genBefore);
    expect((await json(['-n', NS, 'get', 'rs', '-l', 'app.kubernetes.io/name=iris'])).items.map((r: any) => r.metadata.name).sort()).toEqual(rsBefore);
  });

  it('a new model version rolls out with zero failed requests (CLI mlship deploy)', async () => {
    const proxy = await openServiceProxy({ kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl }, parseServiceRef(`${NS}/iris`));
    try {
      const deploy = runCliEnv(['deploy', '--name', 'iris', '--image', images['1.1.0']!, '--namespace', NS, '--kubeconfig', cluster.kubeconfig,
        '--autoscale', '2:3', '--min-available', '1', '--timeout', '120', '--rollback', '--out', work]);
      const counts = await requestLoop(proxy, deploy);
      const run = await deploy;
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ rolledOut: true, changed: true });
      expect(counts.failures).toEqual([]);
      expect(counts.ok).toBeGreaterThan(0);
      expect([...counts.versions].sort()).toContain('1.1.0');
    } finally {
      await proxy.close();
    }
    const smoke = await runCliEnv(['smoke', '--service', `${NS}/iris`, '--kubeconfig', cluster.kubeconfig, packages['1.1.0']!]);
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
  });

  it.each([
    ['an image that cannot be pulled', () => ({ image: `${cluster.registry}/models/iris@${MISSING_DIGEST}` }), /ErrImagePull|ImagePullBackOff|pulling image/],
    ['a package whose golden rows do not reproduce', () => ({ image: images['bad-golden']! }), /CrashLoopBackOff|Error|last exit/],
    ['readiness that never comes within the timeout', () => ({ image: images['1.1.0']!, env: 'MLSHIP_PORT=8081' }), /running, not ready|timed out|exceeded its progress deadline/],
  ])('%s: rolled back, the old pods serving throughout', async (_, inputs, reason) => {
    const proxy = await openServiceProxy({ kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl }, parseServiceRef(`${NS}/iris`));
    let run;
    try {
      const deploy = deployAction({ name: 'iris', kubeconfig: await adminKubeconfig(), 'min-available': '1', autoscale: '2:3', timeout: '15', ...inputs() });
      const counts = await requestLoop(proxy, deploy);
      run = await deploy;
      expect(counts.failures).toEqual([]);
      expect(counts.ok).toBeGreaterThan(0);
      expect([...counts.versions]).toEqual(['1.1.0']);
    } finally {
      await proxy.close();
    }
    expect(run.code).toBe(1);
    const error = run.errors.join('\n');
    expect(error).toMatch(/Rollout of deployment\/iris failed/);
    expect(error).toMatch(reason);
    expect(error).toMatch(/Rolled back deployment\/iris to its previous revision, which is fully rolled out again/);
    const dep = await json(['-n', NS, 'get', 'deployment', 'iris']);
    expect(dep.spec.template.spec.containers[0].image).toBe(images['1.1.0']);
    expect(await readyPods('iris')).toBe(2);
  });

  it('a failing FIRST deploy ends with a clear message and leaves the objects for inspection', async () => {
    const run = await deployAction({ name: 'iris-first', image: `${cluster.registry}/models/iris@${MISSING_DIGEST}`, kubeconfig: await adminKubeconfig(), timeout: '15' });
    expect(run.code).toBe(1);
    const error = run.errors.join('\n');
    expect(error).toMatch(/The first rollout of deployment\/iris-first failed and there is no previous revision to roll back to/);
    expect(error).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(error).toMatch(/kubectl delete -f .*iris-first\.k8s\.yaml/);
    // The documented state: Deployment and Service exist, no pod is ready.
    expect((await json(['-n', NS, 'get', 'deployment', 'iris-first'])).status.readyReplicas ?? 0).toBe(0);
    await cluster.kc(['-n', NS, 'get', 'service', 'iris-first']);
    await cluster.kc(['-n', NS, 'delete', 'deployment,service', 'iris-first', '--wait=false']);
  });

  it('a private registry (htpasswd): deploy-k8s creates the pull secret from the credentials, never logging them', async () => {
    let registry: LocalRegistry | undefined;
    try {
      const creds = { username: 'deployer', password: 'pull-S3cret-value' };
      registry = await startRegistry({ htpasswd: creds });
      await cluster.trustRegistry(registry.host);
      const image = await buildImage(packages['1.0.0']!, `${registry.host}/private/iris:1.0.0`, ['--username', creds.username], { MLSHIP_REGISTRY_PASSWORD: creds.password });
      const run = await deployAction({ name: 'iris-private', image, kubeconfig: await adminKubeconfig(), replicas: '1', 'registry-username': creds.username, 'registry-password': creds.password });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const logged = (run.stdout + run.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      expect(logged).not.toContain(creds.password);
      const secret = await json(['-n', NS, 'get', 'secret', 'iris-private-registry']);
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      const pod = (await json(['-n', NS, 'get', 'pods', '-l', 'app.kubernetes.io/name=iris-private'])).items[0];
      expect(pod.spec.imagePullSecrets).toEqual([{ name: 'iris-private-registry' }]);
      expect(await readyPods('iris-private')).toBe(1);
    } finally {
      await cluster.kc(['-n', NS, 'delete', 'deployment,service,secret', '-l', 'app.kubernetes.io/name=iris-private', '--wait=false']).catch(() => undefined);
      await registry?.stop();
    }
  });

  it('a least-privilege kubeconfig (a namespaced ServiceAccount token) deploys, and its token is never logged', async () => {
    // The deployer may touch only what deploy-k8s applies, in this namespace: not even read namespaces.
    await cluster.kc(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: NS } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'deployer', namespace: NS }, rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'create', 'patch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      ] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer', namespace: NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: NS }] },
    ] }));
    const token = (await cluster.kc(['-n', NS, 'create', 'token', 'deployer', '--duration=10m'])).trim();
    const ca = (await readFile(join(cluster.stateDir, 'pki/ca.crt'))).toString('base64');
    const kubeconfig = [
      'apiVersion: v1', 'kind: Config',
      `clusters:\n- name: c\n  cluster:\n    server: ${(await json(['config', 'view', '--minify'])).clusters[0].cluster.server}\n    certificate-authority-data: ${ca}`,
      `users:\n- name: deployer\n  user:\n    token: ${token}`,
      'contexts:\n- name: c\n  context: { cluster: c, user: deployer, namespace: ' + NS + ' }', 'current-context: c', '',
    ].join('\n');
    const run = await deployAction({ name: 'iris-sa', image: images['1.1.0']!, kubeconfig, replicas: '1' });
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs['rolled-out']).toBe('true');
      const logged = (run.stdout + run.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      expect(logged).not.toContain(token);
      expect(await readyPods('iris-sa')).toBe(1);
    } finally {
      await cluster.kc(['-n', NS, 'delete', 'deployment,service', 'iris-sa', '--wait=false']).catch(() => undefined);
    }
  });

  it('deleting a pod drains its in-flight requests: none fails', async () => {
    const proxy = await openServiceProxy({ kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl }, parseServiceRef(`${NS}/iris`));
    try {
      const pods = await json(['-n', NS, 'get', 'pods', '-l', 'app.kubernetes.io/name=iris']);
      const victim = pods.items[0].metadata.name as string;
      const deletion = cluster.kc(['-n', NS, 'delete', 'pod', victim, '--wait=true']);
      const counts = await requestLoop(proxy, deletion);
      expect(counts.failures).toEqual([]);
      expect(counts.ok).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('in CI an empty kubeconfig is an error naming the input; render mode needs none and lists what it rendered', async () => {
    const empty = await deployAction({ name: 'iris', image: images['1.0.0']! });
    expect(empty.code).toBe(1);
    expect(empty.errors.join('\n')).toMatch(/input "kubeconfig" is empty: pass the cluster's kubeconfig from a secret .*input "use-runner-kubeconfig" to true/);
    const render = await deployAction({ name: 'iris', image: images['1.0.0']!, mode: 'render' });
    expect(render.code, render.stdout).toBe(0);
    expect(render.outputs.objects).toBe('deployment.apps/iris,service/iris');
    // The runner's own kubeconfig, when asked for explicitly: a server-side dry run against the cluster.
    const runner = await deployAction({ name: 'iris', image: images['1.0.0']!, mode: 'server-dry-run', 'use-runner-kubeconfig': 'true' }, { KUBECONFIG: cluster.kubeconfig });
    expect(runner.code, runner.stdout + runner.stderr).toBe(0);
    expect(runner.outputs.objects).toBe('deployment.apps/iris,service/iris');
  });
});
