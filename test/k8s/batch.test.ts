// deploy-k8s's batch workload on the REAL single-node cluster (npm run cluster): the model-server
// image built by `mlship image build` and pulled by containerd from the cluster's registry, an Indexed
// Job of 3 pods scoring a CSV on a hostPath volume (this machine is the node), the last shard merging.
// The expected bytes are a single-process `mlship predict` run of the CLI bundle on the host.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployBatch, waitForBatchJob } from '@mlship/sdk';
import { pushTestBaseImage } from '../harness/base-image.ts';
import { runCli } from '../harness/cli.ts';
import { namespacedKubeconfig, startTestCluster, type TestCluster } from '../harness/cluster.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

const NS = `mlship-batch-${process.pid}`;
const IRIS_HEADER = 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)';
const ROWS = 20000;
let cluster: TestCluster;
let work: string;
/** The hostPath volume: input and outputs, writable by the pods' uid 65532. */
let volume: string;
let pkg: string;
let image: string;
let whole: Buffer;
let env: Record<string, string>;

async function cli(args: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try { return await runCli(args, work); } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const batchFlags = (extra: string[]) => ['deploy', '--workload', 'batch', '--name', 'iris-batch', '--image', image, '--namespace', NS,
  '--kubeconfig', cluster.kubeconfig, '--volume-host-path', volume, '--keep', 'target', '--shards', '3',
  '--requests', 'cpu=100m,memory=128Mi', '--limits', 'cpu=1,memory=1Gi', '--timeout', '300', '--out', work, ...extra];

beforeAll(async () => {
  cluster = await startTestCluster();
  work = await mkdtemp(join(tmpdir(), 'mlship-k8s-batch-'));
  env = { PATH: `${cluster.binDir}:${join(process.execPath, '..')}:${process.env.PATH}` };
  volume = join(work, 'volume');
  for (const d of [work, volume, join(volume, 'in')]) { mkdirSync(d, { recursive: true }); chmodSync(d, 0o777); }
  pkg = (await writeIrisPackage(join(work, 'iris'), '1.0.0')).dir;
  const base = await pushTestBaseImage(cluster.registry);
  const built = await cli(['image', 'build', '--package', pkg, '--tag', `${cluster.registry}/models/iris-batch:1.0.0`, '--base', base.reference, '--json']);
  expect(built.code, built.stderr).toBe(0);
  image = (JSON.parse(built.stdout) as { image: string }).image;
  // 20 000 rows of 4 features (scripts/gen-tabular.mjs, seeded) and a target column kept as the id.
  const csv = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-tabular.mjs'), '--rows', String(ROWS), '--features', '4', '--seed', '11', '--target', 'multiclass', '--precision', '3'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const text = `${IRIS_HEADER},target${csv.slice(csv.indexOf('\n'))}`;
  writeFileSync(join(volume, 'in/data.csv'), text);
  // The same rows with one bad cell in the second half (line 15001: header + 15 000 rows before it).
  const lines = text.split('\n');
  lines[15000] = `n/a?,${lines[15000]!.split(',').slice(1).join(',')}`;
  writeFileSync(join(volume, 'in/bad.csv'), lines.join('\n'));
  const host = await runCli(['predict', '--package', pkg, '--data', join(volume, 'in/data.csv'), '--out', join(work, 'whole.csv'), '--keep', 'target', '--workers', '1', '--quiet'], work);
  expect(host.code, host.stderr).toBe(0);
  whole = readFileSync(join(work, 'whole.csv'));
}, 900_000);

afterAll(async () => {
  await cluster?.kc(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('deploy --workload batch on a real cluster', () => {
  it('an Indexed Job of 3 pods scores the CSV; the merged output equals a single-process mlship predict byte for byte', async () => {
    const run = await cli(batchFlags(['--input', 'in/data.csv', '--output', 'out/scores.csv']));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const batch = JSON.parse(run.stdout).batch;
    expect(batch).toMatchObject({ verdict: 'succeeded', rows: ROWS, output: 'out/scores.csv' });
    expect(batch.shards.map((s: any) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // Contiguous row ranges: every shard scored some rows, together all of them.
    for (const s of batch.shards) expect(s.rows).toBeGreaterThan(0);
    expect(readFileSync(join(volume, 'out/scores.csv')).equals(whole)).toBe(true);
    // Three pods of one Indexed Job, one per completion index, each as the image's non-root user.
    const pods = JSON.parse(await cluster.kc(['-n', NS, 'get', 'pods', '-l', `job-name=${batch.job}`, '-o', 'json'])).items;
    expect(pods.map((p: any) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    const job = JSON.parse(await cluster.kc(['-n', NS, 'get', 'job', batch.job, '-o', 'json']));
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 0 });
    expect(job.spec.template.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // Each shard wrote its own part beside the output, in a folder of its run.
    expect(readdirSync(join(volume, 'out', `.scores.csv.${batch.job}.shards`)).filter((f) => f.endsWith('.csv')).sort()).toEqual(['shard-0.csv', 'shard-1.csv', 'shard-2.csv']);
  }, 600_000);

  it('a bad row: the shard fails at once (exit 2, not retried), the action fails naming file, line and column, no merged output', async () => {
    const run = await runAction({
      action: 'deploy-k8s',
      inputs: {
        workload: 'batch', name: 'iris-bad', image, namespace: NS, kubeconfig: readFileSync(cluster.kubeconfig, 'utf8'), 'volume-host-path': volume,
        input: 'in/bad.csv', output: 'out/bad-scores.csv', shards: '2', keep: 'target', requests: 'cpu=100m,memory=128Mi', timeout: '300',
      },
      workspace: work, env,
    });
    expect(run.code).toBe(1);
    const error = run.errors.join('\n');
    expect(error).toMatch(/job\/iris-bad-\d{14} failed/);
    expect(error).toContain('no merged output was written');
    expect(error).toContain('/data/in/bad.csv: line 15001, column "sepal length (cm)": "n/a?"');
    expect(error).toMatch(/shard 1\/2 \(pod iris-bad-\d{14}-1-\w+, exit 2\)/);
    expect(run.outputs.verdict).toBe('failed');
    expect(run.outputs.shards).toBe('2');
    expect(run.summary).toContain('| 1 | failed |');
    expect(existsSync(join(volume, 'out/bad-scores.csv'))).toBe(false);
    // Exit 2 is bad input: the pod failure policy failed the index without a retry.
    const job = JSON.parse(await cluster.kc(['-n', NS, 'get', 'jobs', '-l', 'app.kubernetes.io/name=iris-bad', '-o', 'json'])).items[0];
    expect(job.status.failedIndexes).toBe('1');
    const attempts = JSON.parse(await cluster.kc(['-n', NS, 'get', 'pods', '-l', `job-name=${job.metadata.name}`, '-o', 'json'])).items
      .filter((p: any) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '1');
    const exitOf = (p: any): number | undefined => p.status.containerStatuses?.find((c: any) => c.name === 'predict')?.state?.terminated?.exitCode;
    // One run of mlship predict, the one that exited 2. Another attempt is allowed only where the node
    // failed to start the container (no exit code of ours: none, or ≥ 126 from the runtime) — seen once
    // on this loaded 2-core cluster during the full suite; a retry after an exit of mlship's is a defect.
    expect(attempts.filter((p: any) => exitOf(p) === 2)).toHaveLength(1);
    for (const p of attempts) {
      const exit = exitOf(p);
      if (exit !== 2) expect(exit === undefined || exit >= 126, `pod ${p.metadata.name} of index 1 exited ${exit} (${p.status.phase})`).toBe(true);
    }
  }, 600_000);

  it('a shard failing for a reason other than its input (exit 1) is retried on its own, and the merged output is still exact', async () => {
    // Shard 1's first attempt cannot clear its run folder (made by root, read-only, not empty): an I/O
    // error, exit 1. Once the test sees that attempt fail it makes the folder writable; the Job's
    // per-index retry (after the controller's 10 s back-off) then scores shard 1 and the last shard merges.
    const run = 'iris-retry-run';
    const parts = join(volume, 'retry', `.scores.csv.${run}.shards`);
    const blocked = join(parts, '.shard-1.csv.mlship-predict');
    mkdirSync(blocked, { recursive: true });
    for (const d of [join(volume, 'retry'), parts]) chmodSync(d, 0o777);
    writeFileSync(join(blocked, 'leftover'), 'x');
    chmodSync(blocked, 0o555);
    const target = { kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl, namespace: NS };
    const batch = deployBatch({
      name: 'iris-retry', runName: run, image, namespace: NS, target, outDir: work, volume: { hostPath: volume },
      input: 'in/data.csv', output: 'retry/scores.csv', shards: 3, keep: ['target'], requests: { cpu: '100m', memory: '128Mi' }, timeoutSeconds: 300, pollMs: 500,
    });
    let sawFailure = false;
    for (let i = 0; i < 240 && !sawFailure; i++) {
      const pods = JSON.parse(await cluster.kc(['-n', NS, 'get', 'pods', '-l', `job-name=${run}`, '-o', 'json']).catch(() => '{"items":[]}')).items;
      sawFailure = pods.some((p: any) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1' && p.status.phase === 'Failed');
      if (!sawFailure) await sleep(250);
    }
    expect(sawFailure).toBe(true);
    chmodSync(blocked, 0o777);
    const res = await batch;
    expect(res.verdict, res.reason).toBe('succeeded');
    expect(res.shards.map((s) => [s.state, s.attempts])).toEqual([['succeeded', 1], ['succeeded', 2], ['succeeded', 1]]);
    expect(res.rows).toBe(ROWS);
    expect(readFileSync(join(volume, 'retry/scores.csv')).equals(whole)).toBe(true);
  }, 600_000);

  it('a least-privilege kubeconfig (jobs and pods in the namespace, no pods/log) runs the batch; its token is never logged', async () => {
    const { kubeconfig, token } = await namespacedKubeconfig(cluster, NS, 'batch-runner', [
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ]);
    const run = await runAction({
      action: 'deploy-k8s',
      inputs: {
        workload: 'batch', name: 'iris-sa', image, namespace: NS, kubeconfig, 'volume-host-path': volume,
        input: 'in/data.csv', output: 'sa/scores.csv', shards: '2', keep: 'target', requests: 'cpu=100m,memory=128Mi', timeout: '300',
      },
      workspace: work, env,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'succeeded', rows: String(ROWS), shards: '2', output: 'sa/scores.csv' });
    expect(JSON.parse(run.outputs['shard-status']!).map((s: any) => s.state)).toEqual(['succeeded', 'succeeded']);
    const logged = (run.stdout + run.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(logged).not.toContain(token);
    expect(readFileSync(join(volume, 'sa/scores.csv')).equals(whole)).toBe(true);
  }, 600_000);

  it('a CronJob: valid for the API server (dry run), applied, and one run triggered from it scores into its own {run} file', async () => {
    const cron = ['--name', 'iris-cron', '--input', 'in/data.csv', '--output', 'cron/{run}.csv', '--schedule', '0 3 * * *'];
    const flags = batchFlags([]).map((x) => (x === 'iris-batch' ? 'iris-cron' : x));
    const dry = await cli([...flags, ...cron, '--mode', 'server-dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).batch).toMatchObject({ verdict: 'validated', objects: ['cronjob.batch/iris-cron'] });
    const applied = await cli([...flags, ...cron]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout).batch.verdict).toBe('scheduled');
    const cj = JSON.parse(await cluster.kc(['-n', NS, 'get', 'cronjob', 'iris-cron', '-o', 'json']));
    expect(cj.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' });
    await cluster.kc(['-n', NS, 'create', 'job', '--from=cronjob/iris-cron', 'iris-cron-manual']);
    const res = await waitForBatchJob({ kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl, namespace: NS }, 'iris-cron-manual', 3, 300);
    expect(res.verdict, res.reason).toBe('succeeded');
    expect(res.rows).toBe(ROWS);
    expect(readFileSync(join(volume, 'cron/iris-cron-manual.csv')).equals(whole)).toBe(true);
  }, 600_000);
});
