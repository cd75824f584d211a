import { describe, expect, it } from 'vitest';
import { batchOutputPath, batchPartPaths, batchRunName, renderBatchObjects, wholeCpus, type BatchJobOptions } from './batch-job.ts';
import { jobEnd, parseServerMinor, parseShardSummary, renderBatchMarkdown, shardStatesFromPods } from './batch-deploy.ts';
import { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT } from './manifests.ts';

type Obj = Record<string, any>;
const base: BatchJobOptions = {
  name: 'iris-batch', namespace: 'models', image: 'ghcr.io/octo-org/iris@sha256:' + 'a'.repeat(64),
  volume: { claimName: 'scoring-data' }, input: 'in/customers.csv', output: 'out/scores.csv', shards: 4, keep: ['id'],
  runName: 'iris-batch-20261202010000',
};

describe('renderBatchObjects', () => {
  it('renders an Indexed Job: N completions = parallelism, per-index retries, bad input not retried, hardened pod', () => {
    const [job] = renderBatchObjects(base) as Obj[];
    expect(job!).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'iris-batch-20261202010000', namespace: 'models' } });
    expect(job!.spec).toMatchObject({
      completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 1, maxFailedIndexes: 0, activeDeadlineSeconds: 3600,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { containerName: 'predict', operator: 'In', values: [2] } }, { action: 'Ignore' }] },
    });
    const pod = job!.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual(POD_SECURITY_CONTEXT);
    const c = pod.containers[0];
    expect(c.securityContext).toEqual(CONTAINER_SECURITY_CONTEXT);
    expect(c).toMatchObject({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError' });
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '1Gi' } });
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'scoring-data' } });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }]);
    expect(c.env[0]).toEqual({ name: 'MLSHIP_RUN', valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } });
    // The image's CLI, the shard from the completion index (expanded by the kubelet), the last shard merging.
    const parts = [0, 1, 2, 3].map((i) => `/data/out/.scores.csv.$(MLSHIP_RUN).shards/shard-${i}.csv`);
    expect([...c.command, ...c.args]).toEqual(['node', '/app/mlship.js', 'predict', '--package', '/model', '--data', '/data/in/customers.csv',
      '--shard', '$(JOB_COMPLETION_INDEX)/4', '--out', '/data/out/.scores.csv.$(MLSHIP_RUN).shards/shard-$(JOB_COMPLETION_INDEX).csv', '--resume', '--summary-file', '/dev/termination-log',
      '--merge-into', '/data/out/scores.csv', '--merge-parts', parts.join(','), '--keep', 'id']);
  });

  it('parallelism, retries, deadline, workers from the CPU limit, a hostPath volume, an old cluster without per-index backoff', () => {
    const [job] = renderBatchObjects({ ...base, parallelism: 2, retriesPerShard: 3, activeDeadlineSeconds: 600, limits: { cpu: '2', memory: '2Gi' },
      volume: { hostPath: '/srv/scoring' }, perIndexBackoff: false }) as Obj[];
    expect(job!.spec).toMatchObject({ parallelism: 2, completions: 4, backoffLimit: 12, activeDeadlineSeconds: 600 });
    expect(job!.spec.backoffLimitPerIndex).toBeUndefined();
    expect(job!.spec.podFailurePolicy.rules[0].action).toBe('FailJob');
    expect(job!.spec.template.spec.volumes).toContainEqual({ name: 'data', hostPath: { path: '/srv/scoring', type: 'Directory' } });
    expect(job!.spec.template.spec.containers[0].args.slice(-2)).toEqual(['--workers', '2']);
  });

  it('with a schedule: a CronJob (Forbid) wrapping the same Job, each run writing its {run} file', () => {
    const [cj] = renderBatchObjects({ ...base, schedule: '0 2 * * *', output: 'scores/{run}.jsonl' }) as Obj[];
    expect(cj!).toMatchObject({ kind: 'CronJob', metadata: { name: 'iris-batch' }, spec: { schedule: '0 2 * * *', concurrencyPolicy: 'Forbid' } });
    const spec = cj!.spec.jobTemplate.spec;
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 4 });
    const args: string[] = spec.template.spec.containers[0].args;
    expect(args[args.indexOf('--merge-into') + 1]).toBe('/data/scores/$(MLSHIP_RUN).jsonl');
    expect(args[args.indexOf('--out') + 1]).toBe('/data/scores/.$(MLSHIP_RUN).jsonl.$(MLSHIP_RUN).shards/shard-$(JOB_COMPLETION_INDEX).jsonl');
  });

  it.each([
    [{ schedule: '0 2 * * *' }, /--output "out\/scores.csv" must contain \{run\} with --schedule/],
    [{ schedule: 'every day' }, /--schedule "every day" is not a cron schedule/],
    [{ input: '/etc/passwd' }, /--input "\/etc\/passwd" must be a relative path inside the volume/],
    [{ output: '../x.csv' }, /--output "..\/x.csv" must be a relative path inside the volume/],
    [{ shards: 0 }, /--shards/],
    [{ name: 'a'.repeat(41) }, /at most 40 characters/],
    [{ volume: { hostPath: 'rel' } }, /--volume-host-path "rel" is not an absolute path/],
  ] as Array<[Partial<BatchJobOptions>, RegExp]>)('refuses %o', (extra, message) => {
    expect(() => renderBatchObjects({ ...base, ...extra })).toThrow(message);
  });

  it('names runs, parts and outputs', () => {
    expect(batchRunName('iris', new Date('2026-12-02T01:02:03.456Z'))).toBe('iris-20261202010203');
    expect(batchPartPaths('out/scores.csv', 2, 'r1')).toEqual(['out/.scores.csv.r1.shards/shard-0.csv', 'out/.scores.csv.r1.shards/shard-1.csv']);
    expect(batchOutputPath('scores/{run}.csv', 'iris-29000000')).toBe('scores/iris-29000000.csv');
    expect([wholeCpus('2'), wholeCpus('1500m'), wholeCpus('500m'), wholeCpus(undefined)]).toEqual([2, 1, undefined, undefined]);
    // A limit that is no CPU quantity is refused (it used to leave the pods to score on every core of the node).
    expect(() => wholeCpus('two')).toThrow(/limits.cpu "two" is not a CPU quantity/);
  });
});

describe('batch-deploy parsers (captured kubectl output)', () => {
  it('reads the server minor version', () => {
    // kubectl 1.34 `version -o json` against the test cluster (trimmed).
    expect(parseServerMinor('{"clientVersion":{"major":"1","minor":"34"},"serverVersion":{"major":"1","minor":"34","gitVersion":"v1.34.1"}}')).toBe(34);
    expect(parseServerMinor('{"serverVersion":{"major":"1","minor":"28+"}}')).toBe(28);
    expect(parseServerMinor('not json')).toBeUndefined();
  });

  it('finds the shard summary after the log lines', () => {
    const log = 'Package iris 1.0.0 verified\nScored 6667 rows …\n{"out":"/data/x/shard-1.csv","rows":6667,"rejected":0,"shard":"1/3","merged":"/data/out/scores.csv"}\n';
    expect(parseShardSummary(log)).toEqual({ rows: 6667, merged: '/data/out/scores.csv' });
    expect(parseShardSummary('error: /data/in/bad.csv: line 3 …\n')).toBeUndefined();
  });

  it('takes each index from its latest pod, and the Job end from its conditions', () => {
    const pod = (index: number, name: string, created: string, phase: string, exitCode?: number, message?: string) => ({
      metadata: { name, creationTimestamp: created, annotations: { 'batch.kubernetes.io/job-completion-index': String(index) } },
      status: { phase, containerStatuses: exitCode === undefined ? [] : [{ name: 'predict', state: { terminated: { exitCode, ...(message ? { message } : {}) } } }] },
    });
    const summary = '{"out":"/data/p/shard-0.csv","rows":7,"rejected":0,"shard":"0/4","merged":"/data/out.csv"}\n';
    const pods = JSON.stringify({ items: [pod(0, 'j-0-a', '2026-12-02T01:00:00Z', 'Succeeded', 0, summary), pod(1, 'j-1-a', '2026-12-02T01:00:00Z', 'Failed', 137), pod(1, 'j-1-b', '2026-12-02T01:00:09Z', 'Running'),
      pod(3, 'j-3-a', '2026-12-02T01:00:00Z', 'Failed', 2, 'error: /data/in.csv: line 9, column "x": "?" is not a number\n')] });
    expect(shardStatesFromPods(pods, 4)).toEqual([
      { index: 0, state: 'succeeded', attempts: 1, pod: 'j-0-a', exitCode: 0, rows: 7, merged: '/data/out.csv' },
      { index: 1, state: 'running', attempts: 2, pod: 'j-1-b' },
      { index: 2, state: 'pending', attempts: 0 },
      { index: 3, state: 'failed', attempts: 1, pod: 'j-3-a', exitCode: 2, logTail: 'error: /data/in.csv: line 9, column "x": "?" is not a number' },
    ]);
    expect(jobEnd('{"status":{"conditions":[{"type":"Complete","status":"True"}]}}')).toEqual({ complete: true });
    expect(jobEnd('{"status":{"conditions":[{"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True","reason":"FailedIndexes","message":"Job has failed indexes"}]}}'))
      .toEqual({ complete: false, reason: 'FailedIndexes: Job has failed indexes' });
    expect(jobEnd('{"status":{"active":2}}')).toBeUndefined();
  });

  it('summarises a run shard by shard', () => {
    const md = renderBatchMarkdown({ name: 'iris', image: 'r/iris@sha256:x' }, {
      manifestPath: 'm.yaml', objects: ['job.batch/iris-1'], verdict: 'failed', job: 'iris-1', shardCount: 2, rows: 10, output: 'out/s.csv', reason: 'job/iris-1 failed',
      shards: [{ index: 0, state: 'succeeded', attempts: 1, rows: 10, exitCode: 0 }, { index: 1, state: 'failed', attempts: 1, exitCode: 2 }],
    });
    expect(md).toContain('### mlship deploy-k8s batch: iris ❌ failed');
    expect(md).toContain('| 0 | succeeded | 10 | 1 | 0 |');
    expect(md).toContain('| 1 | failed | — | 1 | 2 |');
  });
});
