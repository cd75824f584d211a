import { join } from 'node:path';
import { InputError, MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { checkNumberOption, POSITIVE } from '../util/number-option.ts';
import { BATCH_CONTAINER, batchOutputPath, batchRunName, DEFAULT_ACTIVE_DEADLINE_SECONDS, renderBatchObjects, type BatchJobOptions } from './batch-job.ts';
import { applyPullSecret, ensureNamespace, pullSecretName, renderPullSecret, type PullCredentials } from './deploy.ts';
import { applyArgs, kubectl, kubectlResult, parseAppliedObjects, targetArgs, type KubectlTarget } from './kubectl.ts';
import { objectNames, toYamlStream } from './manifests.ts';

export interface BatchDeployOptions extends BatchJobOptions {
  target: KubectlTarget;
  outDir: string;
  /** render: the manifest only; server-dry-run: validated by the API server; apply: run it (a Job: and wait). */
  mode?: 'render' | 'server-dry-run' | 'apply';
  /** Seconds to wait for the Job (default: its activeDeadlineSeconds + 60). */
  timeoutSeconds?: number;
  createNamespace?: boolean;
  registryCredentials?: PullCredentials;
  logger?: Logger;
  /** Poll interval while waiting for the Job (default 2000 ms). */
  pollMs?: number;
}

/** One shard's outcome, from its pods (the last attempt's). */
export interface ShardStatus {
  index: number;
  state: 'succeeded' | 'failed' | 'running' | 'pending';
  /** Pods started for this shard (retries + 1 when it failed every time). */
  attempts: number;
  pod?: string;
  /** Rows scored (from the shard's summary line on stdout). */
  rows?: number;
  exitCode?: number;
  /** The last lines of the failed attempt's log (its termination message: FallbackToLogsOnError). */
  logTail?: string;
  /** The merged output, when this shard was the one that merged. */
  merged?: string;
}

export interface BatchDeployResult {
  manifestPath: string;
  objects: string[];
  /** rendered, validated (server dry run), scheduled (a CronJob applied), succeeded or failed (a Job run). */
  verdict: 'rendered' | 'validated' | 'scheduled' | 'succeeded' | 'failed';
  /** The Job run (one-off) or the CronJob. */
  job: string;
  /** The number of shards (pods), and each one's outcome once a Job ran. */
  shardCount: number;
  shards: ShardStatus[];
  /** Rows scored over all shards. */
  rows: number;
  /** The merged output, a path inside the volume ({run} resolved for a one-off Job). */
  output: string;
  /** Why the run failed (verdict failed). */
  reason?: string;
}

/** The server's minor version from `kubectl version -o json` ("34", "29+" on some distributions). */
export function parseServerMinor(json: string): number | undefined {
  try {
    const v = (JSON.parse(json) as { serverVersion?: { major?: string; minor?: string } }).serverVersion;
    if (v?.major !== '1') return undefined;
    const minor = Number.parseInt(v.minor ?? '', 10);
    return Number.isFinite(minor) ? minor : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON summary `mlship predict` prints last on stdout ({"out", "rows", …, "merged"}). */
export function parseShardSummary(log: string): { rows: number; merged?: string | null } | undefined {
  for (const line of log.split('\n').reverse()) {
    const t = line.trim();
    if (!t.startsWith('{') || !t.includes('"rows"')) continue;
    try {
      const s = JSON.parse(t) as { rows?: unknown; merged?: string | null };
      if (typeof s.rows === 'number') return { rows: s.rows, ...('merged' in s ? { merged: s.merged } : {}) };
    } catch { /* a log line that only looks like JSON */ }
  }
  return undefined;
}

/**
 * Per-shard state from `kubectl get pods -l job-name=JOB -o json` (the completion-index annotation),
 * the latest attempt deciding; rows and the log tail from the container's termination message.
 */
export function shardStatesFromPods(podsJson: string, shards: number): ShardStatus[] {
  const list = JSON.parse(podsJson) as { items?: Array<Record<string, any>> };
  const byIndex = new Map<number, Array<Record<string, any>>>();
  for (const pod of list.items ?? []) {
    const index = Number(pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']);
    if (!Number.isInteger(index)) continue;
    byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
  }
  return Array.from({ length: shards }, (_, index) => {
    const pods = (byIndex.get(index) ?? []).sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    const last = pods.at(-1);
    if (!last) return { index, state: 'pending' as const, attempts: 0 };
    const terminated = (last.status?.containerStatuses ?? []).find((c: any) => c.name === BATCH_CONTAINER)?.state?.terminated;
    const phase = last.status?.phase;
    const state = phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' ? 'failed' : phase === 'Running' ? 'running' : 'pending';
    const message = typeof terminated?.message === 'string' ? terminated.message : undefined;
    const summary = state === 'succeeded' && message ? parseShardSummary(message) : undefined;
    return {
      index, state, attempts: pods.length, pod: last.metadata.name,
      ...(terminated ? { exitCode: terminated.exitCode } : {}),
      ...(summary ? { rows: summary.rows, ...(summary.merged ? { merged: summary.merged } : {}) } : {}),
      ...(state === 'failed' ? { logTail: message?.trimEnd() || `(no termination message: kubectl logs ${last.metadata.name})` } : {}),
    };
  });
}

/** The Job's end from its status conditions: Complete, Failed (with the reason), or undefined while it runs. */
export function jobEnd(jobJson: string): { complete: boolean; reason?: string } | undefined {
  const job = JSON.parse(jobJson) as { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } };
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return { complete: true };
    if (c.type === 'Failed') return { complete: false, reason: `${c.reason ?? 'Failed'}${c.message ? `: ${c.message}` : ''}` };
  }
  return undefined;
}

/**
 * Batch scoring on the cluster: renders the Indexed Job (or, with `schedule`, the CronJob wrapping
 * it; batch-job.ts), writes the manifest, and in apply mode runs it: a CronJob is applied and left
 * to its schedule; a Job is created, waited for, and reported shard by shard (rows from each shard's
 * summary, the log tail of a failed one). A failed shard fails the run, and no merged output exists:
 * only the last shard to finish merges, and only when every part is there.
 */
export async function deployBatch(o: BatchDeployOptions): Promise<BatchDeployResult> {
  const logger = o.logger ?? silentLogger;
  const mode = o.mode ?? 'apply';
  if (!['render', 'server-dry-run', 'apply'].includes(mode)) throw new InputError(`mode must be render, server-dry-run or apply, got "${mode}".`);
  checkNumberOption('timeout', o.timeoutSeconds, POSITIVE);
  const target = { ...o.target, namespace: o.target.namespace ?? o.namespace };
  let perIndexBackoff = o.perIndexBackoff;
  if (perIndexBackoff === undefined && mode !== 'render') {
    // backoffLimitPerIndex: beta and on by default from Kubernetes 1.29 (GA 1.33).
    const res = await kubectlResult(target, [...targetArgs(target), 'version', '-o', 'json'], logger);
    const minor = res.code === 0 ? parseServerMinor(res.stdout) : undefined;
    perIndexBackoff = minor === undefined || minor >= 29;
    if (!perIndexBackoff) logger.info(`Kubernetes 1.${minor}: one backoffLimit for the Job (per-shard retries need 1.29 or later)`);
  }
  const pullSecret = o.registryCredentials ? renderPullSecret(o.name, o.namespace, o.image, o.registryCredentials) : undefined;
  const runName = o.schedule === undefined ? (o.runName ?? batchRunName(o.name)) : undefined;
  const rendered = renderBatchObjects({
    ...o, ...(runName ? { runName } : {}), ...(perIndexBackoff === undefined ? {} : { perIndexBackoff }),
    imagePullSecrets: [...(o.imagePullSecrets ?? []), ...(pullSecret ? [pullSecretName(o.name)] : [])],
  });
  const manifestPath = join(o.outDir, `${o.name}.batch.k8s.yaml`);
  await writeFileAtomic(manifestPath, toYamlStream(rendered));
  logger.info(`manifest: ${manifestPath}`);
  const job = runName ?? o.name;
  const result: BatchDeployResult = {
    manifestPath, objects: objectNames(rendered), verdict: 'rendered', job, shardCount: o.shards, shards: [], rows: 0,
    output: runName ? batchOutputPath(o.output, runName) : o.output,
  };
  if (mode === 'render') return result;

  if (mode === 'apply' && target.namespace && o.createNamespace !== false) await ensureNamespace(target, target.namespace, logger);
  const dryRun = mode === 'server-dry-run' ? { dryRun: 'server' as const } : {};
  if (pullSecret) await applyPullSecret(target, o, pullSecret, mode, logger);
  result.objects = parseAppliedObjects(await kubectl(target, applyArgs(target, manifestPath, dryRun), logger));
  if (mode === 'server-dry-run') {
    logger.info(`validated (server dry run): ${result.objects.join(', ')}`);
    return { ...result, verdict: 'validated' };
  }
  if (o.schedule !== undefined) {
    logger.info(`cronjob/${o.name} applied: runs on "${o.schedule.trim()}", each writing ${o.output} with {run} = its Job's name`);
    return { ...result, verdict: 'scheduled' };
  }
  logger.info(`job/${job} started: ${o.shards} shard(s) of ${o.input} → ${result.output}`);
  return { ...result, ...(await waitForBatchJob(target, job, o.shards, o.timeoutSeconds ?? (o.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_SECONDS) + 60, logger, o.pollMs)) };
}

/** Waits for an Indexed Job of `shards` to end (or `timeoutSeconds`), then reports every shard (see ShardStatus). */
export async function waitForBatchJob(target: KubectlTarget, job: string, shards: number, timeoutSeconds: number, logger: Logger = silentLogger, pollMs = 2000): Promise<Pick<BatchDeployResult, 'verdict' | 'shards' | 'rows' | 'reason'>> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let end: ReturnType<typeof jobEnd>;
  let reported = '';
  for (;;) {
    end = jobEnd(await kubectl(target, [...targetArgs(target), 'get', `job/${job}`, '-o', 'json'], logger));
    if (end || Date.now() > deadline) break;
    const states = shardStatesFromPods(await kubectl(target, [...targetArgs(target), 'get', 'pods', '-l', `job-name=${job}`, '-o', 'json'], logger), shards);
    const line = (['succeeded', 'running', 'failed', 'pending'] as const).map((s) => `${states.filter((x) => x.state === s).length} ${s}`).join(', ');
    if (line !== reported) { logger.info(`job/${job}: ${line}`); reported = line; }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const states = shardStatesFromPods(await kubectl(target, [...targetArgs(target), 'get', 'pods', '-l', `job-name=${job}`, '-o', 'json'], logger), shards);
  const merged = states.find((s) => s.merged)?.merged;
  const rows = states.reduce((n, s) => n + (s.rows ?? 0), 0);
  for (const s of states) logger.info(`shard ${s.index}/${shards}: ${s.state}${s.rows !== undefined ? `, ${s.rows} rows` : ''}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}${s.exitCode ? `, exit ${s.exitCode}` : ''}`);
  if (!end) return { verdict: 'failed', shards: states, rows, reason: `job/${job} did not finish within ${timeoutSeconds} s; it keeps running until its activeDeadlineSeconds (kubectl get job ${job}).` };
  if (!end.complete) {
    // The shards that failed on their own first; those the Job stopped when it failed (SIGKILL/SIGTERM) only when there are none.
    const failedAll = states.filter((s) => s.state === 'failed');
    const own = failedAll.filter((s) => s.exitCode !== 137 && s.exitCode !== 143);
    const failed = own.length ? own : failedAll;
    return {
      verdict: 'failed', shards: states, rows,
      reason: `job/${job} failed (${end.reason}); no merged output was written.${failed.map((s) => `\nshard ${s.index}/${shards} (pod ${s.pod}, exit ${s.exitCode ?? '?'}):\n${s.logTail ?? ''}`).join('')}`,
    };
  }
  if (!merged) throw new MlshipError(`job/${job} completed but no shard reported the merged output: were the parts written elsewhere? (kubectl logs -l job-name=${job})`);
  return { verdict: 'succeeded', shards: states, rows };
}

/** The job-summary block of a batch run. */
export function renderBatchMarkdown(o: { name: string; image: string }, r: BatchDeployResult): string {
  const icon = { succeeded: '✅', failed: '❌', scheduled: '🕒', validated: '☑️', rendered: '📝' }[r.verdict];
  return [
    `### mlship deploy-k8s batch: ${o.name} ${icon} ${r.verdict}`,
    '',
    `Image \`${o.image}\`; ${r.objects.map((x) => `\`${x}\``).join(', ')}; output \`${r.output}\` (in the volume); ${r.rows} rows scored.`,
    '',
    ...(r.shards.length ? ['| shard | state | rows | attempts | exit |', '|---:|---|---:|---:|---:|',
      ...r.shards.map((s) => `| ${s.index} | ${s.state} | ${s.rows ?? '—'} | ${s.attempts} | ${s.exitCode ?? '—'} |`), ''] : []),
    ...(r.reason ? ['```', r.reason, '```', ''] : []),
  ].join('\n');
}
