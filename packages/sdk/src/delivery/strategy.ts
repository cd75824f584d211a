import { InputError, opt } from '../errors.ts';
import { deployModel, pullSecretName, type DeployModelOptions, type DeployModelResult } from '../k8s/deploy.ts';
import { deployBatch, type BatchDeployResult } from '../k8s/batch-deploy.ts';
import type { BatchJobOptions } from '../k8s/batch-job.ts';
import { runBlueGreen, type BlueGreenResult } from './blue-green.ts';
import { runCanary, type CanaryResult } from './canary.ts';
import type { CanaryCheck } from './analysis.ts';

export const STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** service (default): a Deployment + Service serving requests; batch: an Indexed Job (or CronJob) scoring a file (k8s/batch-job.ts). */
export const WORKLOADS = ['service', 'batch'] as const;

/** The batch workload's own settings (the rest — image, resources, pods' placement — are the service's). */
export type BatchSettings = Pick<BatchJobOptions, 'volume' | 'input' | 'output' | 'shards' | 'parallelism' | 'keep' | 'retriesPerShard' | 'activeDeadlineSeconds' | 'workers' | 'schedule'>;

export interface StrategyDeployOptions extends DeployModelOptions {
  /** service (default) or batch (WORKLOADS); batch needs `batch`. */
  workload?: string;
  batch?: BatchSettings;
  /** rolling (default): one rolling update; canary: steps with analysis (delivery/canary.ts). */
  strategy?: string;
  canarySteps?: number[];
  analysisWindowSeconds?: number;
  /** blue-green: the package whose golden rows smoke-test the new color before the switch; canary: the canary pods before the first analysis. */
  package?: string;
  /** blue-green: switch the Service back to the previous color. */
  switchBack?: boolean;
}

export interface StrategyDeployResult extends DeployModelResult {
  strategy: Strategy;
  canary?: CanaryResult;
  blueGreen?: BlueGreenResult;
  /** The batch workload's run (workload batch). */
  batch?: BatchDeployResult;
}

/** Deploys with the chosen strategy: deployModel for rolling (and for render / dry-run modes), runCanary for canary. */
export async function deployWithStrategy(o: StrategyDeployOptions): Promise<StrategyDeployResult> {
  const strategy = (o.strategy ?? 'rolling') as Strategy;
  const workload = o.workload ?? 'service';
  if (!(WORKLOADS as readonly string[]).includes(workload)) throw new InputError(`${opt('workload')} must be ${WORKLOADS.join(' or ')}, got "${o.workload}".`);
  if (workload === 'batch') {
    if (!o.batch) throw new InputError(`${opt('workload')} batch needs ${opt('input')}, ${opt('output')}, ${opt('shards')} and a volume (${opt('volume-claim')} or ${opt('volume-host-path')}).`);
    if (strategy !== 'rolling') throw new InputError(`${opt('strategy')} ${strategy} is for the service workload; a batch run has no traffic to shift.`);
    const batch = await deployBatch({ ...o, ...o.batch, timeoutSeconds: o.rolloutTimeoutSeconds });
    return {
      strategy, batch, manifestPath: batch.manifestPath, objects: batch.objects,
      rolledOut: batch.verdict === 'succeeded', rolledBack: false, changed: batch.verdict === 'succeeded' || batch.verdict === 'scheduled',
    };
  }
  if (!STRATEGIES.includes(strategy)) throw new InputError(`${opt('strategy')} must be ${STRATEGIES.join(' or ')}, got "${o.strategy}".`);
  if (strategy === 'rolling' || (o.mode ?? 'apply') !== 'apply') return { ...(await deployModel(o)), strategy };
  const imagePullSecrets = [...(o.imagePullSecrets ?? []), ...(o.registryCredentials ? [pullSecretName(o.name)] : [])];
  if (strategy === 'blue-green') {
    const bg = await runBlueGreen({ ...o, imagePullSecrets, target: { ...o.target, namespace: o.target.namespace ?? o.namespace } });
    return {
      strategy, blueGreen: bg, manifestPath: bg.manifestPath ?? '', objects: [`deployment.apps/${o.name}-${bg.active}`, `service/${o.name}`],
      rolledOut: bg.switched, rolledBack: o.switchBack === true, changed: bg.switched,
    };
  }
  const canary = await runCanary({
    ...o,
    imagePullSecrets,
    target: { ...o.target, namespace: o.target.namespace ?? o.namespace },
    steps: o.canarySteps, windowSeconds: o.analysisWindowSeconds, package: o.package,
  });
  return {
    strategy, canary, manifestPath: canary.manifestPath, objects: [`deployment.apps/${o.name}`, `deployment.apps/${o.name}-canary`],
    rolledOut: canary.verdict === 'promoted', rolledBack: canary.verdict !== 'promoted', changed: canary.verdict === 'promoted',
  };
}

/** The canary's evidence for a job summary: one row per step and check. */
export function renderCanaryMarkdown(name: string, image: string, c: CanaryResult): string {
  const icon = { promoted: '✅', aborted: '❌', inconclusive: '⚠️' }[c.verdict];
  const rows = c.steps.flatMap((s) => (s.analysis?.checks ?? []).map((k: CanaryCheck) => `| ${s.weight}% (${s.canaryReplicas}/${s.canaryReplicas + s.stableReplicas} pods) | ${k.name} | ${fmt(k.stable)} | ${fmt(k.canary)} | ${fmt(k.limit)} | ${k.passed ? '✅' : '❌'} |`));
  return [
    `### mlship deploy-k8s canary: ${name} ${icon} ${c.verdict}`,
    '',
    `Image \`${image}\`; step reached: ${c.stepReached}%.${c.reason ? ` ${c.reason}.` : ''}${c.golden ? ` Golden rows on the canary pods: ${c.golden.passed ? '✅' : '❌'} ${c.golden.message}` : ''}`,
    '',
    '| step | check | stable | canary | limit | |',
    '|---|---|---:|---:|---:|---|',
    ...rows,
    '',
  ].join('\n');
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}
