import type { Logger } from '../log.ts';
import { parseAutoscale, parseKeyValueList } from '../k8s/options.ts';
import { parseTolerations } from '../k8s/manifests.ts';
import type { KubectlTarget } from '../k8s/kubectl.ts';
import { parseMonitoringParts } from '../monitoring/render.ts';
import { NON_NEGATIVE_INTEGER, parseNumberOption, POSITIVE, POSITIVE_INTEGER } from '../util/number-option.ts';
import { InputError, opt } from '../errors.ts';
import { parseCanarySteps } from './canary.ts';
import { renderCanaryMarkdown, type BatchSettings, type StrategyDeployOptions, type StrategyDeployResult } from './strategy.ts';
import { renderDeployMarkdown } from '../k8s/deploy.ts';
import { renderBatchMarkdown } from '../k8s/batch-deploy.ts';

/**
 * deploy's options as text, keyed as the CLI flags and the deploy-k8s inputs are both named
 * (kebab-case): the one place that turns them into typed options, so the CLI and the action cannot
 * disagree. Numbers and lists are checked here, errors name the option with `opt(key)`.
 */
export interface DeployFlags {
  name: string; image: string; namespace?: string; replicas?: string; autoscale?: string; 'min-available'?: string;
  requests?: string; limits?: string; env?: string; 'pod-labels'?: string; 'pod-annotations'?: string; 'node-selector'?: string;
  tolerations?: string; 'service-account'?: string; 'image-pull-secrets'?: string[];
  /** Registry credentials for the pull Secret (the password never on a command line: an input secret or MLSHIP_REGISTRY_PASSWORD). */
  'registry-username'?: string; 'registry-password'?: string;
  mode?: string; timeout?: string; rollback: boolean; 'create-namespace': boolean;
  monitoring?: string; 'monitoring-selector'?: string;
  strategy?: string; 'canary-steps'?: string; 'analysis-window'?: string; package?: string; 'switch-back': boolean;
  /** workload batch (k8s/batch-job.ts): the Indexed Job's input, output and volume, shards, retries, schedule. */
  workload?: string; input?: string; output?: string; shards?: string; parallelism?: string; keep?: string; retries?: string;
  'active-deadline'?: string; workers?: string; schedule?: string; 'volume-claim'?: string; 'volume-host-path'?: string;
}

/** The batch workload's settings from `DeployFlags` (undefined for the service workload). */
export function batchSettingsFromFlags(f: DeployFlags): BatchSettings | undefined {
  if (f.workload !== 'batch') {
    const stray = (['input', 'output', 'shards', 'schedule', 'volume-claim', 'volume-host-path'] as const).find((k) => f[k] !== undefined && f[k] !== '');
    if (stray) throw new InputError(`${opt(stray)} is for ${opt('workload')} batch; the ${f.workload ?? 'service'} workload does not use it.`);
    return undefined;
  }
  const need = (k: 'input' | 'output' | 'shards') => {
    if (!f[k]) throw new InputError(`${opt('workload')} batch needs ${opt(k)} (${k === 'shards' ? 'the number of parts and pods, e.g. 4' : `a path inside the volume, e.g. ${k === 'input' ? 'in/customers.csv' : 'out/scores.csv'}`}).`);
    return f[k];
  };
  const claim = f['volume-claim'] || undefined;
  const hostPath = f['volume-host-path'] || undefined;
  if ((claim === undefined) === (hostPath === undefined)) throw new InputError(`${opt('workload')} batch needs exactly one volume for input and output: ${opt('volume-claim')} (a PersistentVolumeClaim) or ${opt('volume-host-path')} (a node directory, single-node clusters).`);
  return {
    volume: claim ? { claimName: claim } : { hostPath: hostPath! },
    input: need('input'), output: need('output'),
    shards: parseNumberOption('shards', need('shards'), POSITIVE_INTEGER)!,
    parallelism: parseNumberOption('parallelism', f.parallelism, POSITIVE_INTEGER),
    keep: f.keep?.split(',').map((s) => s.trim()).filter(Boolean),
    retriesPerShard: parseNumberOption('retries', f.retries, NON_NEGATIVE_INTEGER),
    activeDeadlineSeconds: parseNumberOption('active-deadline', f['active-deadline'], POSITIVE_INTEGER),
    workers: parseNumberOption('workers', f.workers, POSITIVE_INTEGER),
    schedule: f.schedule || undefined,
  };
}

const MODES = ['render', 'server-dry-run', 'apply'] as const;

/** Typed deploy options from `DeployFlags` (see there), for `target` with manifests written to `outDir`. */
export function deployOptionsFromFlags(f: DeployFlags, where: { target: KubectlTarget; outDir: string; logger?: Logger }): StrategyDeployOptions {
  return {
    name: f.name, image: f.image, namespace: f.namespace,
    replicas: parseNumberOption('replicas', f.replicas, NON_NEGATIVE_INTEGER),
    autoscale: parseAutoscale(f.autoscale),
    minAvailable: parseNumberOption('min-available', f['min-available'], NON_NEGATIVE_INTEGER),
    requests: parseKeyValueList(f.requests, opt('requests')),
    limits: parseKeyValueList(f.limits, opt('limits')),
    env: parseKeyValueList(f.env, opt('env')),
    podLabels: parseKeyValueList(f['pod-labels'], opt('pod-labels')),
    podAnnotations: parseKeyValueList(f['pod-annotations'], opt('pod-annotations')),
    nodeSelector: parseKeyValueList(f['node-selector'], opt('node-selector')),
    tolerations: parseTolerations(f.tolerations),
    serviceAccountName: f['service-account'],
    imagePullSecrets: f['image-pull-secrets'],
    registryCredentials: f['registry-username'] || f['registry-password']
      ? { username: f['registry-username'] ?? '', password: f['registry-password'] ?? '' } : undefined,
    target: where.target, outDir: where.outDir,
    // deployModel refuses any other mode, naming it.
    mode: (f.mode ?? 'apply') as (typeof MODES)[number],
    rolloutTimeoutSeconds: parseNumberOption('timeout', f.timeout, POSITIVE),
    rollbackOnFailure: f.rollback,
    createNamespace: f['create-namespace'],
    monitoring: parseMonitoringParts(f.monitoring),
    monitoringSelector: f['monitoring-selector'],
    strategy: f.strategy,
    canarySteps: parseCanarySteps(f['canary-steps']),
    analysisWindowSeconds: parseNumberOption('analysis-window', f['analysis-window'], POSITIVE),
    package: f.package,
    switchBack: f['switch-back'],
    workload: f.workload,
    batch: batchSettingsFromFlags(f),
    ...(where.logger ? { logger: where.logger } : {}),
  };
}

/** What a deploy's outcome means for its caller: the summary, and the failure (a canary or blue-green verdict other than promoted). */
export interface DeployOutcome {
  markdown: string;
  failure?: string;
}

/** The outcome of `deployWithStrategy` for `name`/`image` (see DeployOutcome). */
export function deployOutcome(f: Pick<DeployFlags, 'name' | 'image' | 'mode'>, r: StrategyDeployResult): DeployOutcome {
  if (r.batch) {
    const b = r.batch;
    return { markdown: renderBatchMarkdown(f, b), ...(b.verdict === 'failed' ? { failure: `Batch run ${b.job}: ${b.reason}` } : {}) };
  }
  if (r.blueGreen) {
    const bg = r.blueGreen;
    return {
      markdown: `### mlship deploy-k8s blue-green: ${f.name}\n\nService \`${f.name}\` selects **${bg.active}**${bg.previous ? ` (was ${bg.previous})` : ''}.${bg.smoke ? ` Smoke test of the new color: ${bg.smoke.message}` : ''}\n`,
      ...(bg.switched ? {} : { failure: `Blue-green: the new color did not pass its smoke test (${bg.smoke?.message}); service/${f.name} still selects ${bg.active}.` }),
    };
  }
  if (r.canary) {
    const c = r.canary;
    return {
      markdown: renderCanaryMarkdown(f.name, f.image, c),
      ...(c.verdict === 'promoted' ? {} : { failure: `Canary ${c.verdict} at step ${c.stepReached}%: ${c.reason}. deployment/${f.name} keeps the previous image.` }),
    };
  }
  return { markdown: renderDeployMarkdown({ name: f.name, image: f.image, mode: f.mode ?? 'apply' }, r) };
}
