import { posix } from 'node:path';
import { IMAGE_APP_DIR, IMAGE_MODEL_DIR } from '../image/config.ts';
import { InputError, opt } from '../errors.ts';
import { checkNumberOption, NON_NEGATIVE_INTEGER, POSITIVE_INTEGER } from '../util/number-option.ts';
import { CONTAINER_SECURITY_CONTEXT, DNS_LABEL, DNS_SUBDOMAIN, parseCpuQuantity, POD_SECURITY_CONTEXT, type DeploymentOptions } from './manifests.ts';

/**
 * Batch scoring on Kubernetes: an Indexed Job whose N pods each run the model-server image's
 * `mlship predict --shard $(JOB_COMPLETION_INDEX)/N` over a file on a volume, each writing its own
 * part; the last shard to finish merges the parts in shard order into the output (batch/shard-merge.ts),
 * so one Job is the whole batch and a CronJob can wrap it unchanged.
 */
export interface BatchJobOptions extends Pick<DeploymentOptions, 'namespace' | 'image' | 'requests' | 'limits' | 'env' | 'labels' | 'annotations'
  | 'podLabels' | 'podAnnotations' | 'nodeSelector' | 'tolerations' | 'imagePullSecrets' | 'serviceAccountName'> {
  /** DNS label ≤ MAX_BATCH_NAME characters: the CronJob's name, and the prefix of each run's Job. */
  name: string;
  /** The volume holding input and output: an existing PersistentVolumeClaim, or a node's directory (single-node clusters). */
  volume: { claimName: string } | { hostPath: string };
  /** The input file, a path inside the volume (CSV with a header, or JSON Lines). */
  input: string;
  /**
   * The merged output, a path inside the volume; `{run}` in it becomes the run's Job name (distinct
   * per run: a CronJob's Jobs are NAME-<scheduled minute>). Required in it when `schedule` is set.
   */
  output: string;
  /** Number of shards = the Job's completions (≥ 1). */
  shards: number;
  /** Pods at once (default: every shard). */
  parallelism?: number;
  /** Input columns copied to the output first (ids). */
  keep?: string[];
  /** Retries of one shard after a failure (default 1); a bad-input exit (2) is never retried. */
  retriesPerShard?: number;
  /** Kill the whole run after this many seconds (default DEFAULT_ACTIVE_DEADLINE_SECONDS). */
  activeDeadlineSeconds?: number;
  /** Per-index retries (backoffLimitPerIndex, Kubernetes ≥ 1.29) instead of one backoffLimit for the Job (default true). */
  perIndexBackoff?: boolean;
  /** Scoring threads per pod (`mlship predict --workers`; default: whole CPUs of limits.cpu, else the node's cores). */
  workers?: number;
  /** Cron schedule (`0 2 * * *`): render a CronJob wrapping the Job instead of the Job. */
  schedule?: string;
  /** The one-off Job's name (default NAME-<UTC yyyymmddhhmmss>, see batchRunName). */
  runName?: string;
}

/** Where the volume is mounted in the pods. */
export const BATCH_DATA_DIR = '/data';
/** The container's name (podFailurePolicy and logs refer to it). */
export const BATCH_CONTAINER = 'predict';
export const DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
/** Finished Jobs (and their pods, with their logs) are kept this long for inspection. */
export const BATCH_TTL_SECONDS = 7 * 24 * 3600;
/**
 * NAME plus a Job suffix (CronJob: `-` and 8 digits; one-off: `-` and 14) must stay a 63-character
 * label (the job-name label of the pods), and the CronJob controller wants at most 52.
 */
export const MAX_BATCH_NAME = 40;
/** Where the pod's termination message is read from (the Kubernetes default path). */
const TERMINATION_LOG = '/dev/termination-log';
/** mlship predict's exit code for bad input (errors.ts InputError): retrying cannot help. */
const BAD_INPUT_EXIT = 2;

/** The one-off Job's name for a run started at `at`: NAME-yyyymmddhhmmss (UTC). */
export function batchRunName(name: string, at: Date = new Date()): string {
  return `${name}-${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}

/** Where the shards' parts go: `.<output file>.<run>.shards/` beside the output, one per run. */
export function batchPartPaths(output: string, shards: number, run: string): string[] {
  const dir = posix.dirname(output);
  const base = posix.basename(output);
  const ext = posix.extname(base) || '.csv';
  return Array.from({ length: shards }, (_, i) => posix.join(dir, `.${base}.${run}.shards`, `shard-${i}${ext}`));
}

/** `{run}` in an output path replaced by the run's name. */
export function batchOutputPath(output: string, run: string): string {
  return output.replaceAll('{run}', run);
}

function checkVolumePath(what: string, p: string): string {
  const norm = posix.normalize(p.trim());
  if (!p.trim() || posix.isAbsolute(norm) || norm === '.' || norm.startsWith('../') || norm === '..') {
    throw new InputError(`${opt(what)} "${p}" must be a relative path inside the volume (e.g. in/customers.csv), not absolute and not leaving it with "..".`);
  }
  return norm;
}

/** Whole CPUs of a CPU quantity (`2`, `1500m` → 1), or undefined when it is under one CPU or absent. */
export function wholeCpus(cpu: string | undefined): number | undefined {
  if (cpu === undefined) return undefined;
  const n = Math.floor(parseCpuQuantity(cpu, 'limits.cpu'));
  return n >= 1 ? n : undefined;
}

/** The Job (one-off) or the CronJob wrapping it (`schedule`) for a batch scoring run. */
export function renderBatchObjects(o: BatchJobOptions): Array<Record<string, unknown>> {
  if (!DNS_LABEL.test(o.name) || o.name.length > MAX_BATCH_NAME) {
    throw new InputError(`Batch job name "${o.name}" is not a valid name: lower-case letters, digits and '-', at most ${MAX_BATCH_NAME} characters (each run's Job adds a suffix).`);
  }
  if (!o.image || /\s/.test(o.image)) throw new InputError(`Image reference "${o.image}" is empty or contains spaces.`);
  checkNumberOption('shards', o.shards, POSITIVE_INTEGER);
  if (o.shards === undefined) throw new InputError(`${opt('shards')} is required for the batch workload: the number of parts (and pods) the input is scored in.`);
  checkNumberOption('parallelism', o.parallelism, POSITIVE_INTEGER);
  checkNumberOption('retries', o.retriesPerShard, NON_NEGATIVE_INTEGER);
  checkNumberOption('active-deadline', o.activeDeadlineSeconds, POSITIVE_INTEGER);
  checkNumberOption('workers', o.workers, POSITIVE_INTEGER);
  const input = checkVolumePath('input', o.input);
  const output = checkVolumePath('output', o.output);
  if (o.schedule !== undefined) {
    if (o.schedule.trim().split(/\s+/).length !== 5 && !/^@\w+$/.test(o.schedule.trim())) {
      throw new InputError(`${opt('schedule')} "${o.schedule}" is not a cron schedule of five fields (minute hour day month weekday, e.g. "0 2 * * *") or a macro like @daily.`);
    }
    if (!output.includes('{run}')) throw new InputError(`${opt('output')} "${o.output}" must contain {run} with ${opt('schedule')}: each run writes its own file (e.g. scores/{run}.csv).`);
  }
  if ('claimName' in o.volume ? !DNS_SUBDOMAIN.test(o.volume.claimName) : !posix.isAbsolute(o.volume.hostPath)) {
    throw new InputError(`${'claimName' in o.volume ? `${opt('volume-claim')} "${o.volume.claimName}" is not a valid PersistentVolumeClaim name` : `${opt('volume-host-path')} "${o.volume.hostPath}" is not an absolute path`}.`);
  }
  for (const secret of o.imagePullSecrets ?? []) {
    if (!DNS_SUBDOMAIN.test(secret)) throw new InputError(`image pull secret "${secret}" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.').`);
  }
  const perIndex = o.perIndexBackoff !== false;
  const retries = o.retriesPerShard ?? 1;
  // The run's name is its Job's (the job-name label), so the paths hold $(MLSHIP_RUN), expanded by the kubelet.
  const run = '$(MLSHIP_RUN)';
  const at = (p: string) => posix.join(BATCH_DATA_DIR, p);
  const merged = batchOutputPath(output, run);
  const parts = batchPartPaths(merged, o.shards, run).map(at);
  const own = parts[0]!.replace(/shard-0(\.[^./]*)$/, 'shard-$(JOB_COMPLETION_INDEX)$1');
  const workers = o.workers ?? wholeCpus(o.limits?.cpu);
  const args = [
    `${IMAGE_APP_DIR}/mlship.js`, 'predict', '--package', IMAGE_MODEL_DIR, '--data', at(input),
    '--shard', `$(JOB_COMPLETION_INDEX)/${o.shards}`, '--out', own, '--resume', '--summary-file', TERMINATION_LOG,
    '--merge-into', at(merged), '--merge-parts', parts.join(','),
    ...(o.keep?.length ? ['--keep', o.keep.join(',')] : []),
    ...(workers ? ['--workers', String(workers)] : []),
  ];
  const component = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/component': 'batch-scoring' };
  const labels = { ...component, 'app.kubernetes.io/managed-by': 'mlship', ...o.labels };
  const metadata = (name: string) => ({
    name, ...(o.namespace ? { namespace: o.namespace } : {}), labels,
    ...(o.annotations && Object.keys(o.annotations).length ? { annotations: o.annotations } : {}),
  });
  const podAnnotations = o.annotations || o.podAnnotations ? { ...o.annotations, ...o.podAnnotations } : undefined;
  const jobSpec = {
    completionMode: 'Indexed',
    completions: o.shards,
    parallelism: Math.min(o.parallelism ?? o.shards, o.shards),
    activeDeadlineSeconds: o.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_SECONDS,
    ttlSecondsAfterFinished: BATCH_TTL_SECONDS,
    // Per index: a shard is retried on its own and the first shard out of retries fails the Job at
    // once (maxFailedIndexes 0: the others are stopped; no merged output). Without: one Job-wide budget.
    ...(perIndex ? { backoffLimitPerIndex: retries, maxFailedIndexes: 0 } : { backoffLimit: retries * o.shards }),
    podFailurePolicy: {
      rules: [
        // Bad input does not get better by retrying: that shard fails now (the Job with it).
        { action: perIndex ? 'FailIndex' : 'FailJob', onExitCodes: { containerName: BATCH_CONTAINER, operator: 'In', values: [BAD_INPUT_EXIT] } },
        // A pod evicted or preempted is not the shard's fault: retried without counting.
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
    template: {
      metadata: { labels: { ...o.podLabels, ...labels }, ...(podAnnotations ? { annotations: podAnnotations } : {}) },
      spec: {
        restartPolicy: 'Never',
        ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
        automountServiceAccountToken: false,
        ...(o.imagePullSecrets?.length ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
        ...(o.nodeSelector && Object.keys(o.nodeSelector).length ? { nodeSelector: o.nodeSelector } : {}),
        ...(o.tolerations?.length ? { tolerations: o.tolerations } : {}),
        securityContext: structuredClone(POD_SECURITY_CONTEXT),
        containers: [{
          name: BATCH_CONTAINER,
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          // The shard's summary (rows) in its termination message, or on failure the log's tail: both in
          // the pod's status, readable with the same API access as the pods (no kubelet log proxy).
          terminationMessagePath: TERMINATION_LOG,
          terminationMessagePolicy: 'FallbackToLogsOnError',
          command: ['node'],
          args,
          env: [
            { name: 'MLSHIP_RUN', valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } } },
            ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
          ],
          resources: { requests: o.requests ?? { cpu: '1', memory: '512Mi' }, limits: o.limits ?? { memory: '1Gi' } },
          securityContext: structuredClone(CONTAINER_SECURITY_CONTEXT),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: BATCH_DATA_DIR }],
        }],
        volumes: [
          { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          'claimName' in o.volume
            ? { name: 'data', persistentVolumeClaim: { claimName: o.volume.claimName } }
            : { name: 'data', hostPath: { path: o.volume.hostPath, type: 'Directory' } },
        ],
      },
    },
  };
  if (o.schedule === undefined) {
    return [{ apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(o.runName ?? batchRunName(o.name)), spec: jobSpec }];
  }
  return [{
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(o.name),
    spec: {
      schedule: o.schedule.trim(),
      // A run still going when the next is due: the next is skipped, never two at once on one input.
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels }, spec: jobSpec },
    },
  }];
}
