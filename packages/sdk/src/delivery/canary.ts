import { join } from 'node:path';
import { InputError, MlshipError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { applyArgs, kubectl, kubectlResult, rolloutStatusArgs, targetArgs, type KubectlTarget } from '../k8s/kubectl.ts';
import { renderDeploymentObjects, SERVICE_PORT_NAME, toYamlStream, type DeploymentOptions } from '../k8s/manifests.ts';
import { openServiceProxy } from '../k8s/service-proxy.ts';
import { loadPackage } from '../package/loader.ts';
import { smokeTest } from '../smoke/smoke-test.ts';
import { parseExposition } from '../monitoring/exposition.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { analyseStep, DEFAULT_CANARY_THRESHOLDS, snapshotDelta, snapshotOf, type CanaryThresholds, type StepAnalysis, type TrafficSnapshot } from './analysis.ts';

/**
 * Canary delivery without a controller or a mesh: the new image runs as a second Deployment
 * `NAME-canary` whose pods carry the Service's selector labels (plus `mlship.dev/track: canary`), so
 * the Service spreads requests over stable and canary pods by their number (the weight is the replica
 * ratio, total replicas unchanged). At each step the analysis compares the canary pods' own /metrics
 * with the stable pods' over a window of live traffic (delivery/analysis.ts). All steps pass: the
 * stable Deployment takes the new image (rolling update, canary pods still serving) and the canary is
 * removed. A step fails or has too little traffic: the canary is removed and the stable scaled back.
 *
 * With `autoscale` the stable's HorizontalPodAutoscaler owns its replica count, so mlship never scales
 * the stable: the canary is added beside it (autoscaledCanaryReplicas: the step's share of the
 * stable's replica count read at that step, so the HPA's changes carry into the next step), the HPA
 * stays on the stable Deployment throughout and keeps scaling it on promote, when that Deployment takes
 * the new image; an abort only removes the canary. (As Argo Rollouts without traffic routing splits the
 * HPA's count by weight; Flagger gives the promoted primary its own HPA — here the stable *is* the
 * primary, so its HPA is kept.)
 */
export interface CanaryOptions extends DeploymentOptions {
  target: KubectlTarget;
  outDir: string;
  /** Canary weights in percent, ascending, the last 100 (default 10,50,100). */
  steps?: number[];
  /** Seconds of live traffic analysed per step (default 60). */
  windowSeconds?: number;
  thresholds?: Partial<CanaryThresholds>;
  rolloutTimeoutSeconds?: number;
  /** The package the new image serves: its golden rows are sent to the canary pods (through a Service NAME-canary) before the first analysis. */
  package?: string;
  logger?: Logger;
}

export interface CanaryStep {
  /** Requested weight (percent) and what the replica counts give. */
  weight: number;
  actualWeight: number;
  canaryReplicas: number;
  stableReplicas: number;
  analysis?: StepAnalysis;
}

export interface CanaryResult {
  verdict: 'promoted' | 'aborted' | 'inconclusive';
  /** Weight of the last step reached (100 when promoted). */
  stepReached: number;
  steps: CanaryStep[];
  manifestPath: string;
  /** Why it stopped (the failed checks), when not promoted. */
  reason?: string;
  /** The golden-row smoke test of the canary pods, when a package was given. */
  golden?: { passed: boolean; message: string };
}

export const TRACK_LABEL = 'mlship.dev/track';

/** Parses `10,50,100`: integers in (0, 100], ascending, ending with 100. */
export function parseCanarySteps(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') return [10, 50, 100];
  const steps = text.split(',').map((s) => Number(s.trim()));
  if (steps.some((s) => !Number.isInteger(s) || s <= 0 || s > 100) || steps.some((s, i) => i > 0 && s <= steps[i - 1]!) || steps.at(-1) !== 100) {
    throw new InputError(`${opt('canary-steps')}: "${text}" must be ascending whole percentages ending with 100, e.g. 10,50,100.`);
  }
  return steps;
}

/** Canary and stable replica counts for `weight` percent of `total` pods: at least one of each until 100. */
export function replicaSplit(total: number, weight: number): { canary: number; stable: number } {
  if (weight >= 100) return { canary: total, stable: 0 };
  const canary = Math.min(Math.max(1, Math.round((total * weight) / 100)), Math.max(1, total - 1));
  return { canary, stable: Math.max(1, total - canary) };
}

/**
 * Canary pods beside `stable` autoscaled pods for `weight` percent of all of them: round(stable · w / (100 − w)),
 * at least 1 and at most `max` (the autoscaler's maxReplicas); the stable keeps its pods.
 */
export function autoscaledCanaryReplicas(stable: number, weight: number, max: number): { canary: number; stable: number } {
  const canary = Math.min(max, Math.max(1, Math.round((stable * weight) / (100 - weight))));
  return { canary, stable };
}

/** The canary Deployment: the rendered stable one renamed, labelled `track: canary` (in its selector too), `replicas` pods. */
export function canaryDeployment(deployment: Record<string, any>, replicas: number): Record<string, unknown> {
  const d = structuredClone(deployment);
  d.metadata.name = `${d.metadata.name}-canary`;
  d.metadata.labels = { ...d.metadata.labels, [TRACK_LABEL]: 'canary' };
  d.spec.replicas = replicas;
  d.spec.selector.matchLabels = { ...d.spec.selector.matchLabels, [TRACK_LABEL]: 'canary' };
  d.spec.template.metadata.labels = { ...d.spec.template.metadata.labels, [TRACK_LABEL]: 'canary' };
  return d;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCanary(o: CanaryOptions): Promise<CanaryResult> {
  const logger = o.logger ?? silentLogger;
  const steps = o.steps ?? [10, 50, 100];
  const windowSeconds = o.windowSeconds ?? 60;
  if (!(windowSeconds > 0)) throw new InputError(`${opt('analysis-window')} must be a number of seconds > 0, got ${windowSeconds}.`);
  const thresholds = { ...DEFAULT_CANARY_THRESHOLDS, ...o.thresholds };
  const ns = o.target.namespace ?? o.namespace ?? 'default';
  const target = { ...o.target, namespace: ns };
  const timeout = o.rolloutTimeoutSeconds ?? 300;
  const port = o.port ?? 8080;
  const rendered = renderDeploymentObjects(o);
  const manifestPath = join(o.outDir, `${o.name}.k8s.yaml`);
  await writeFileAtomic(manifestPath, toYamlStream(rendered));

  const stableReplicas = async (): Promise<number> => {
    const current = await kubectlResult(target, [...targetArgs(target), 'get', 'deployment', o.name, '-o', 'json'], logger);
    if (current.code !== 0) throw new InputError(`${opt('strategy')} canary needs the stable deployment/${o.name} in namespace ${ns} to compare with; deploy the first version with the rolling strategy. (${current.stderr.trim()})`);
    return JSON.parse(current.stdout).spec.replicas ?? 1;
  };
  const total = await stableReplicas();
  const autoscale = o.autoscale;
  if (!autoscale && total < 2) throw new InputError(`deployment/${o.name} runs ${total} replica; a canary needs at least 2 so that stable and canary pods serve side by side.`);
  const canaryName = `${o.name}-canary`;
  const result: CanaryResult = { verdict: 'inconclusive', stepReached: 0, steps: [], manifestPath };

  const abort = async (verdict: 'aborted' | 'inconclusive', reason: string) => {
    logger.warn(`canary ${verdict}: ${reason}; removing deployment/${canaryName}${autoscale ? '' : `, deployment/${o.name} back to ${total} replicas`}`);
    if (!autoscale) {
      await kubectl(target, [...targetArgs(target), 'scale', `deployment/${o.name}`, `--replicas=${total}`], logger);
      await kubectl(target, rolloutStatusArgs(target, o.name, timeout), logger);
    }
    await removeCanary();
    return { ...result, verdict, reason };
  };
  const removeCanary = async () => {
    await kubectl(target, [...targetArgs(target), 'delete', 'deployment,service', canaryName, '--ignore-not-found', '--wait=true'], logger);
  };

  for (const weight of steps) {
    if (weight >= 100) break;
    const split = autoscale ? autoscaledCanaryReplicas(await stableReplicas(), weight, autoscale.maxReplicas) : replicaSplit(total, weight);
    const step: CanaryStep = { weight, actualWeight: Math.round((100 * split.canary) / (split.canary + split.stable)), canaryReplicas: split.canary, stableReplicas: split.stable };
    result.steps.push(step);
    logger.info(`canary step ${weight}%: ${split.canary} canary pod(s), ${split.stable} stable${autoscale ? ' (autoscaled, left to its HPA)' : ''} (${step.actualWeight}% of the pods)`);
    try {
      await kubectl(target, applyArgs(target, '-'), logger, { input: JSON.stringify(canaryDeployment(rendered[0]!, split.canary)) });
      await kubectl(target, rolloutStatusArgs(target, canaryName, timeout), logger);
      if (!autoscale) await kubectl(target, [...targetArgs(target), 'scale', `deployment/${o.name}`, `--replicas=${split.stable}`], logger);
      await kubectl(target, rolloutStatusArgs(target, o.name, timeout), logger);
    } catch (err) {
      return abort('aborted', `the canary did not become ready: ${(err as Error).message}`);
    }
    if (o.package && !result.golden) {
      try {
        result.golden = await smokeCanary(target, rendered, canaryName, o.package, logger);
      } catch (err) {
        result.golden = { passed: false, message: (err as Error).message };
      }
      logger.info(`  ${result.golden.passed ? 'ok  ' : 'FAIL'} golden rows on the canary pods: ${result.golden.message}`);
      if (!result.golden.passed) return abort('aborted', `step ${weight}%: golden rows: ${result.golden.message}`);
    }
    try {
      const before = await scrapeGroups(target, o.name, port, logger);
      logger.info(`analysing ${windowSeconds} s of live traffic`);
      await sleep(windowSeconds * 1000);
      const after = await scrapeGroups(target, o.name, port, logger);
      step.analysis = analyseStep(windowOf(before, after, 'stable'), windowOf(before, after, 'canary'), thresholds);
    } catch (err) {
      return abort('inconclusive', `step ${weight}%: the pods' metrics could not be read: ${(err as Error).message}`);
    }
    result.stepReached = weight;
    for (const c of step.analysis.checks) logger.info(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.message}`);
    if (step.analysis.verdict !== 'pass') {
      const failed = step.analysis.checks.filter((c) => !c.passed).map((c) => c.message).join('; ');
      return abort(step.analysis.verdict === 'fail' ? 'aborted' : 'inconclusive', `step ${weight}%: ${failed}`);
    }
  }
  // Promote: the stable Deployment takes the new image at full size (canary pods serve meanwhile); with
  // autoscale the manifest has no replica count, so the HPA's stays, and the HPA (applied too) keeps targeting it.
  logger.info(`canary passed every step: promoting ${o.image} to deployment/${o.name}`);
  await kubectl(target, applyArgs(target, manifestPath), logger);
  await kubectl(target, rolloutStatusArgs(target, o.name, timeout), logger);
  await removeCanary();
  return { ...result, verdict: 'promoted', stepReached: 100 };
}

/** Smoke-tests the canary pods alone: a Service NAME-canary selecting `track: canary`, the package's golden rows through it. */
async function smokeCanary(target: KubectlTarget & { namespace: string }, rendered: Array<Record<string, any>>, canaryName: string, pkgPath: string, logger: Logger) {
  const svc = structuredClone(rendered.find((x) => x.kind === 'Service')!);
  svc.metadata.name = canaryName;
  svc.spec.selector = { ...svc.spec.selector, [TRACK_LABEL]: 'canary' };
  await kubectl(target, applyArgs(target, '-'), logger, { input: JSON.stringify(svc) });
  const pkg = await loadPackage(pkgPath, { logger, checkGolden: false });
  const proxy = await openServiceProxy(target, { namespace: target.namespace, name: canaryName, port: SERVICE_PORT_NAME }, logger);
  try {
    const r = await smokeTest({ url: proxy.url, label: `service ${target.namespace}/${canaryName}`, manifest: pkg.manifest, logger });
    return { passed: r.passed, message: r.message };
  } finally {
    await proxy.close();
  }
}

type PodScrapes = Map<string, { track: 'stable' | 'canary'; snapshot: TrafficSnapshot }>;

/** One group's traffic in the window: per pod scraped at both ends, the difference, summed. */
function windowOf(before: PodScrapes, after: PodScrapes, track: 'stable' | 'canary'): TrafficSnapshot {
  const total: TrafficSnapshot = { requests: 0, errors: 0, latency: new Map(), classes: new Map() };
  for (const [pod, a] of after) {
    const b = before.get(pod);
    if (a.track !== track || !b) continue;
    const d = snapshotDelta(a.snapshot, b.snapshot);
    total.requests += d.requests;
    total.errors += d.errors;
    for (const [k, v] of d.latency) total.latency.set(k, (total.latency.get(k) ?? 0) + v);
    for (const [k, v] of d.classes) total.classes.set(k, (total.classes.get(k) ?? 0) + v);
  }
  return total;
}

/** Scrapes every ready pod of the model through the API server's pod proxy (stable or canary by its track label). */
async function scrapeGroups(target: KubectlTarget & { namespace: string }, name: string, port: number, logger: Logger): Promise<PodScrapes> {
  const pods = JSON.parse(await kubectl(target, [...targetArgs(target), 'get', 'pods', '-l', `app.kubernetes.io/name=${name}`, '-o', 'json'], logger)) as { items: Array<Record<string, any>> };
  const out: PodScrapes = new Map();
  const cluster = { ...target, namespace: undefined };
  for (const pod of pods.items) {
    if (pod.metadata.deletionTimestamp || !pod.status?.conditions?.some((c: Record<string, string>) => c.type === 'Ready' && c.status === 'True')) continue;
    const path = `/api/v1/namespaces/${target.namespace}/pods/${pod.metadata.name}:${port}/proxy/metrics`;
    let res = await kubectlResult(cluster, [...targetArgs(cluster), 'get', '--raw', path], logger);
    for (let attempt = 1; res.code !== 0 && attempt < 3; attempt++) {
      await sleep(1000);
      res = await kubectlResult(cluster, [...targetArgs(cluster), 'get', '--raw', path], logger);
    }
    if (res.code !== 0) { logger.warn(`could not scrape pod ${pod.metadata.name}: ${res.stderr.trim()}`); continue; }
    out.set(pod.metadata.name, { track: pod.metadata.labels?.[TRACK_LABEL] === 'canary' ? 'canary' : 'stable', snapshot: snapshotOf([parseExposition(res.stdout)]) });
  }
  if (![...out.values()].some((p) => p.track === 'canary')) throw new MlshipError(`no ready canary pod of ${name} could be scraped`);
  return out;
}
