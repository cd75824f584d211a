import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';

// The deploy-k8s action's input handling, with NO kubectl on PATH: everything here must be decided
// before kubectl runs (a call would fail with "Cannot run kubectl"). Deploys, rollouts, rollbacks,
// pull secrets and the smoke test on real pods are in test/k8s/deploy.test.ts (a real cluster).
let work: string;
beforeAll(async () => { work = await mkdtemp(join(tmpdir(), 'mlship-deploy-')); });
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: s3cr3t-token-value\n';

function deploy(name: string, extra: Record<string, string> = {}) {
  return runAction({
    action: 'deploy-k8s',
    inputs: { name, image: `ghcr.io/octo-org/${name}@sha256:${'b'.repeat(64)}`, namespace: 'models', kubeconfig: KUBECONFIG, ...extra },
    workspace: work,
    env: { PATH: dirname(process.execPath) },
  });
}

describe('deploy-k8s action (no cluster)', () => {
  it('in render mode writes the manifest, lists the rendered objects, masks the kubeconfig and never needs kubectl', async () => {
    const run = await deploy('render-only', { mode: 'render', autoscale: '2:6', 'pod-labels': 'team=ml', tolerations: 'dedicated=ml:NoSchedule', 'image-pull-secrets': 'ghcr-a, ghcr-b' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['rolled-out']).toBe('false');
    expect(run.outputs.objects).toBe('deployment.apps/render-only,service/render-only,horizontalpodautoscaler.autoscaling/render-only');
    const objects = yaml.loadAll(await readFile(run.outputs.manifest!, 'utf8')) as Array<Record<string, any>>;
    const pod = objects[0]!.spec.template;
    expect(pod.metadata.labels.team).toBe('ml');
    expect(pod.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'ghcr-a' }, { name: 'ghcr-b' }]);
    // `::add-mask::` lines are commands to the runner (it hides the value from then on), not log text.
    expect(run.stdout).toContain('::add-mask::s3cr3t-token-value');
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain('s3cr3t-token-value');
    expect(run.summary).toContain('mlship deploy-k8s: render-only');
  });

  it('in CI refuses an empty kubeconfig, naming the input and the opt-in', async () => {
    const run = await deploy('no-kubeconfig', { kubeconfig: '' });
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/input "kubeconfig" is empty: pass the cluster's kubeconfig from a secret .*set input "use-runner-kubeconfig" to true/);
  });

  it('renders alert rules and the Grafana dashboard on request (monitoring input)', async () => {
    const run = await deploy('watched', { mode: 'render', monitoring: 'rules,dashboard' });
    expect(run.code).toBe(0);
    const paths = run.outputs.monitoring!.split(',');
    expect(paths.map((p: string) => p.slice(p.lastIndexOf('/') + 1))).toEqual([
      'watched.rules.yml', 'watched.prometheusrule.yaml', 'watched.dashboard.json', 'watched.dashboard.configmap.yaml',
    ]);
    const cm = yaml.load(await readFile(paths[3]!, 'utf8')) as { metadata: { namespace: string; labels: Record<string, string> }; data: Record<string, string> };
    expect(cm.metadata).toMatchObject({ namespace: 'models', labels: { grafana_dashboard: '1' } });
    const dashboard = JSON.parse(cm.data['watched.json']!) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    expect(dashboard).toEqual(JSON.parse(await readFile(paths[2]!, 'utf8')));
    expect(dashboard.panels[0]!.targets[0]!.expr).toContain('job="watched"');
    const rule = yaml.load(await readFile(paths[1]!, 'utf8')) as { kind: string; metadata: { namespace: string } };
    expect(rule).toMatchObject({ kind: 'PrometheusRule', metadata: { namespace: 'models' } });
  });

  it.each([
    [{ monitoring: 'rules,alerts' }, /input "monitoring": "alerts" is not one of rules, dashboard/],
    [{ monitoring: 'rules', 'monitoring-selector': '{job="x"}' }, /input "monitoring-selector" "\{job="x"\}" is not a list of PromQL label matchers/],
    [{ mode: 'bogus' }, /mode must be render, server-dry-run or apply, got "bogus"/],
    [{ autoscale: 'two:six' }, /autoscale: "two:six" is not MIN:MAX replicas/],
    [{ timeout: 'soon' }, /input "timeout" must be a number > 0, got "soon"/],
    [{ timeout: '0' }, /input "timeout" must be a number > 0, got "0"/],
    [{ tolerations: 'gpu:Sometimes' }, /input "tolerations": "gpu:Sometimes" is not key\[=value\]\[:Effect\]/],
    [{ 'node-selector': 'pool' }, /input "node-selector": "pool" is not key=value/],
    [{ 'registry-username': 'octo' }, /registry credentials need both a username and a password/],
    [{ 'use-runner-kubeconfig': 'true' }, /input "kubeconfig" and input "use-runner-kubeconfig": give one of them, not both/],
  ])('rejects bad input %o before calling kubectl', async (extra, message) => {
    const run = await deploy('bad-input', extra);
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(message);
  });

  it('workload batch in render mode: the Indexed Job manifest and the batch outputs, no cluster needed', async () => {
    const run = await deploy('nightly', { mode: 'render', workload: 'batch', input: 'in/c.csv', output: 'out/s.csv', shards: '4', parallelism: '2', 'volume-claim': 'scoring', keep: 'id' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'rendered', shards: '4', output: 'out/s.csv' });
    expect(run.outputs.objects).toMatch(/^job\.batch\/nightly-\d{14}$/);
    const [job] = yaml.loadAll(await readFile(run.outputs.manifest!, 'utf8')) as Array<Record<string, any>>;
    expect(job!.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 2, activeDeadlineSeconds: 3600, backoffLimitPerIndex: 1 });
    expect(run.summary).toContain('mlship deploy-k8s batch: nightly');
  });

  it.each([
    [{ workload: 'batch', input: 'in/c.csv', output: 'out/s.csv', shards: '2', 'volume-claim': 'v', schedule: '0 2 * * *' }, /input "output" "out\/s.csv" must contain \{run\} with input "schedule"/],
    [{ workload: 'batch', input: 'in/c.csv', output: 'out/s.csv', shards: '2' }, /input "workload" batch needs exactly one volume .*input "volume-claim" .*input "volume-host-path"/],
    [{ workload: 'batch', input: 'in/c.csv', output: 'out/s.csv', shards: 'two', 'volume-claim': 'v' }, /input "shards"/],
    [{ input: 'in/c.csv' }, /input "input" is for input "workload" batch/],
    [{ workload: 'cron' }, /input "workload" must be service or batch, got "cron"/],
  ])('workload batch refuses %o, naming the inputs', async (inputs, message) => {
    const run = await deploy('refused', { mode: 'render', ...inputs });
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(message);
  });

  it('rejects a bad name with a clear message', async () => {
    const run = await deploy('Bad_Name');
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/"Bad_Name" is not a valid Kubernetes name/);
  });
});
