import { mkdtemp, readFile, rm, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

// No Kubernetes cluster can run on these machines (no container engine for kind or k3s): kubectl is
// replaced by test/harness/fake-kubectl.mjs, which records its arguments. What is checked here is
// ours: the rendered objects, the kubectl calls and their order, rollback, and secret handling.
let work: string;
let binDir: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-deploy-'));
  binDir = join(work, 'bin');
  await mkdir(binDir);
  await symlink(join(REPO_ROOT, 'test/harness/fake-kubectl.mjs'), join(binDir, 'kubectl'));
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: s3cr3t-token-value\n';

async function deploy(name: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  const log = join(work, `${name}.log`);
  const run = await runAction({
    action: 'deploy-k8s',
    inputs: { name, image: `ghcr.io/octo-org/${name}@sha256:${'b'.repeat(64)}`, namespace: 'models', kubeconfig: KUBECONFIG, ...extra },
    workspace: work,
    env: { PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH}`, FAKE_KUBECTL_LOG: log, ...env },
  });
  const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return { run, calls };
}

describe('deploy-k8s action', () => {
  it('renders the manifest, applies it server-side and waits for the rollout', async () => {
    const { run, calls } = await deploy('iris-rf', { autoscale: '2:6' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['rolled-out']).toBe('true');
    expect(run.outputs.objects).toBe('deployment.apps/iris-rf,service/iris-rf,horizontalpodautoscaler.autoscaling/iris-rf');
    expect(calls.map((c) => c.filter((a) => !a.startsWith('--') && !a.includes('/tmp') && !a.includes('mlship-deploy')).slice(0, 2))).toEqual([['models', 'apply'], ['models', 'rollout']]);
    const objects = yaml.loadAll(await readFile(run.outputs.manifest!, 'utf8')) as Array<Record<string, any>>;
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    expect(objects[0]!.spec.template.spec.containers[0].image).toContain('@sha256:');
    expect(run.summary).toContain('mlship deploy-k8s: iris-rf');
  });

  it('never prints the kubeconfig and deletes its temp file', async () => {
    const { run, calls } = await deploy('secret-check');
    // `::add-mask::` lines are commands to the runner (it hides the value from then on), not log text.
    const logged = (run.stdout + run.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(logged.join('\n')).not.toContain('s3cr3t-token-value');
    expect(run.stdout).toContain('::add-mask::s3cr3t-token-value');
    const kc = calls[0]![calls[0]!.indexOf('--kubeconfig') + 1]!;
    await expect(readFile(kc)).rejects.toThrow(/ENOENT/);
  });

  it('rolls back and fails the step when the rollout fails', async () => {
    const { run, calls } = await deploy('broken', {}, { FAKE_KUBECTL_FAIL_ROLLOUT: '1' });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/timed out waiting for the condition[\s\S]*Rolled back deployment\/broken/);
    expect(calls.at(-1)).toContain('undo');
  });

  it('in render mode writes the manifest without calling kubectl', async () => {
    const { run, calls } = await deploy('render-only', { mode: 'render' });
    expect(run.code).toBe(0);
    expect(calls).toEqual([]);
    expect(run.outputs['rolled-out']).toBe('false');
  });

  it.each([
    [{ mode: 'bogus' }, /mode must be render, server-dry-run or apply, got "bogus"/],
    [{ autoscale: 'two:six' }, /autoscale: "two:six" is not MIN:MAX replicas/],
    [{ timeout: 'soon' }, /input "timeout" must be a number, got "soon"/],
    [{ timeout: '0' }, /input "timeout" must be a number > 0, got 0/],
  ])('rejects bad input %o before calling kubectl', async (extra, message) => {
    const { run, calls } = await deploy('bad-input', extra);
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('rejects a bad name with a clear message', async () => {
    const { run } = await deploy('Bad_Name');
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(/"Bad_Name" is not a valid Kubernetes name/);
  });
});
