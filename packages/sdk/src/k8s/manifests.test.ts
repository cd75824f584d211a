import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { objectNames, parseCpuQuantity, parseTolerations, renderDeploymentObjects, toYamlStream, MODEL_SERVER_UID, type DeploymentOptions } from './manifests.ts';
import { applyArgs, describeKubectlCommand, parseAppliedObjects, rolloutStatusArgs } from './kubectl.ts';
import { parseAutoscale } from './options.ts';

type Obj = Record<string, any>;
const base = { name: 'iris-rf', namespace: 'models', image: 'ghcr.io/octo-org/iris@sha256:' + 'a'.repeat(64) };

describe('renderDeploymentObjects', () => {
  it('renders a hardened Deployment and a Service that selects its pods', () => {
    const [dep, svc] = renderDeploymentObjects(base) as Obj[];
    expect(dep!.kind).toBe('Deployment');
    const pod = dep!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: MODEL_SERVER_UID, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/v2/health/live');
    expect(c.image).toBe(base.image);
    expect(dep!.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(svc!.kind).toBe('Service');
    expect(svc!.spec.selector).toEqual(dep!.spec.selector.matchLabels);
    expect(dep!.spec.template.metadata.labels).toMatchObject(dep!.spec.selector.matchLabels);
    expect(c.env).toContainEqual({ name: 'MLSHIP_PORT', value: '8080' });
    // No CPU limit: one server process per requested core (250m → 1), not one per core of the node.
    expect(c.env).toContainEqual({ name: 'MLSHIP_WORKERS', value: '1' });
    // Kept serving while the endpoints drop it, before SIGTERM.
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
  });

  it('passes the worker count from the CPU limit (else the request), unless env sets it', () => {
    const workers = (o: Partial<DeploymentOptions>) => ((renderDeploymentObjects({ ...base, ...o }) as Obj[])[0]!.spec.template.spec.containers[0].env as Array<{ name: string; value: string }>).find((e) => e.name === 'MLSHIP_WORKERS')?.value;
    expect(workers({ limits: { cpu: '2', memory: '1Gi' } })).toBe('2');
    expect(workers({ limits: { cpu: '1500m' } })).toBe('2'); // cgroup cpu.max 150000 100000: 1.5 cores → 2 workers
    expect(workers({ limits: { memory: '1Gi' }, requests: { cpu: '3' } })).toBe('3');
    expect(workers({ limits: { cpu: '4' }, env: { MLSHIP_WORKERS: '1' } })).toBe('1');
    expect(() => renderDeploymentObjects({ ...base, limits: { cpu: 'two' } })).toThrow(/limits.cpu "two" is not a CPU quantity/);
    expect(parseCpuQuantity('250m', 'x')).toBe(0.25);
  });

  it('adds an HPA (and drops fixed replicas) and a PDB when asked', () => {
    const objs = renderDeploymentObjects({ ...base, autoscale: { minReplicas: 2, maxReplicas: 5 }, minAvailable: 1 }) as Obj[];
    expect(objs.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    expect(objs[0]!.spec.replicas).toBeUndefined();
    expect(objs[2]!.spec.scaleTargetRef.name).toBe('iris-rf');
  });

  it('puts pod labels, annotations, nodeSelector, tolerations, service account and pull secrets on the pod template only', () => {
    const [dep, svc] = renderDeploymentObjects({
      ...base, podLabels: { team: 'ml' }, podAnnotations: { 'sidecar.istio.io/inject': 'false' }, annotations: { 'mlship.dev/version': '1.2.0' },
      nodeSelector: { pool: 'cpu' }, tolerations: parseTolerations('dedicated=ml:NoSchedule'), serviceAccountName: 'iris', imagePullSecrets: ['ghcr-pull'],
    }) as Obj[];
    const t = dep!.spec.template;
    expect(t.metadata.labels).toMatchObject({ team: 'ml', 'app.kubernetes.io/name': 'iris-rf' });
    expect(t.metadata.annotations).toEqual({ 'mlship.dev/version': '1.2.0', 'sidecar.istio.io/inject': 'false' });
    expect(dep!.metadata.labels.team).toBeUndefined();
    expect(svc!.metadata.annotations).toEqual({ 'mlship.dev/version': '1.2.0' });
    expect(t.spec).toMatchObject({ nodeSelector: { pool: 'cpu' }, serviceAccountName: 'iris', imagePullSecrets: [{ name: 'ghcr-pull' }],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }] });
  });

  it('parses tolerations the way kubectl taint writes taints', () => {
    expect(parseTolerations('a=b:NoExecute, c:PreferNoSchedule\nd')).toEqual([
      { key: 'a', operator: 'Equal', value: 'b', effect: 'NoExecute' },
      { key: 'c', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'd', operator: 'Exists' },
    ]);
    expect(() => parseTolerations('a=b:Sometimes')).toThrow(/"a=b:Sometimes" is not key\[=value\]\[:Effect\]/);
  });

  it('names rendered objects as kubectl -o name does', () => {
    expect(objectNames(renderDeploymentObjects({ ...base, autoscale: { minReplicas: 1, maxReplicas: 2 }, minAvailable: 1 }))).toEqual([
      'deployment.apps/iris-rf', 'service/iris-rf', 'horizontalpodautoscaler.autoscaling/iris-rf', 'poddisruptionbudget.policy/iris-rf']);
  });

  it('writes a YAML stream that parses back to the same objects', () => {
    const objs = renderDeploymentObjects(base);
    expect(yaml.loadAll(toYamlStream(objs))).toEqual(objs);
  });

  it.each([
    [{ name: 'Iris_RF' }, /not a valid Kubernetes name/],
    [{ image: '' }, /Image reference/],
    [{ replicas: -1 }, /replicas must be/],
    [{ autoscale: { minReplicas: 3, maxReplicas: 2 } }, /min-replicas ≤ max-replicas/],
    [{ podLabels: { 'app.kubernetes.io/name': 'x' } }, /pod label app.kubernetes.io\/name is set by mlship/],
    [{ imagePullSecrets: ['Bad_Name'] }, /image pull secret "Bad_Name"/],
  ])('rejects bad options %#', (patch, message) => {
    expect(() => renderDeploymentObjects({ ...base, ...patch })).toThrow(message);
  });
});

describe('kubectl arguments', () => {
  it('applies server-side with our field manager, never putting the kubeconfig content on the command line', () => {
    const t = { kubeconfig: '/tmp/kc', namespace: 'models' };
    expect(applyArgs(t, 'm.yaml')).toEqual(['--kubeconfig', '/tmp/kc', '--namespace', 'models', 'apply', '--server-side',
      '--field-manager=mlship', '--force-conflicts', '-f', 'm.yaml', '-o', 'name']);
    expect(applyArgs(t, 'm.yaml', { dryRun: 'server' })).toContain('--dry-run=server');
    expect(rolloutStatusArgs({}, 'iris-rf', 120)).toEqual(['rollout', 'status', 'deployment/iris-rf', '--timeout=120s', '--watch=true']);
  });

  it('describes a failed command without the kubeconfig path or other target flags', () => {
    expect(describeKubectlCommand(['--kubeconfig', '/tmp/x/kubeconfig', '--namespace', 'models', 'rollout', 'status', 'deployment/iris-rf', '--timeout=5s']))
      .toBe('rollout status deployment/iris-rf');
  });

  it('parses `kubectl apply -o name` output', () => {
    expect(parseAppliedObjects('deployment.apps/iris-rf\nservice/iris-rf\n')).toEqual(['deployment.apps/iris-rf', 'service/iris-rf']);
  });
});

describe('the rendered manifests against Kubernetes\' own API types', () => {
  // tools/k8s-validate (Go, built by setup) strictly decodes each object into k8s.io/api structs:
  // an unknown or misspelt field or a wrong type fails.
  const validator = join(import.meta.dirname, '../../../../.tools/bin/k8s-validate');

  it.each([
    ['fixed replicas', {}],
    ['autoscaled with a PDB and env', { autoscale: { minReplicas: 2, maxReplicas: 4 }, minAvailable: 1, env: { MLSHIP_MAX_BATCH: '64' }, imagePullSecrets: ['ghcr'], podLabels: { team: 'ml' }, podAnnotations: { 'prometheus.io/scrape': 'true' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: parseTolerations('gpu=true:NoSchedule,spot'), serviceAccountName: 'model-server' }],
  ])('%s: decode strictly', async (_, extra) => {
    const dir = await mkdtemp(join(tmpdir(), 'mlship-k8s-'));
    try {
      const file = join(dir, 'm.yaml');
      await writeFile(file, toYamlStream(renderDeploymentObjects({ ...base, ...extra })));
      const out = execFileSync(validator, [file], { encoding: 'utf8' });
      expect(out).toMatch(/ok apps\/v1 Deployment/);
      // And the validator does reject a misspelt field (so this check can fail).
      await writeFile(file, toYamlStream(renderDeploymentObjects({ ...base, ...extra })).replace('readinessProbe', 'readynessProbe'));
      expect(() => execFileSync(validator, [file], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseAutoscale', () => {
  it('reads MIN:MAX and a single N', () => {
    expect(parseAutoscale('2:6')).toEqual({ minReplicas: 2, maxReplicas: 6 });
    expect(parseAutoscale('3')).toEqual({ minReplicas: 3, maxReplicas: 3 });
    expect(parseAutoscale('')).toBeUndefined();
  });
  it.each(['abc', '2:', ':4', '2:x', '-1:3'])('rejects %s', (text) => {
    expect(() => parseAutoscale(text)).toThrow(/is not MIN:MAX replicas/);
  });
});
