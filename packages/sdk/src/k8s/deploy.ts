import { checkNumberOption, POSITIVE } from '../util/number-option.ts';
import { join } from 'node:path';
import { InputError, MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { renderMonitoring, type MonitoringPart, type RenderMonitoringResult } from '../monitoring/render.ts';
import type { RegistryCredentials } from '../oci/auth.ts';
import { DOCKER_HUB, parseImageReference } from '../oci/reference.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { applyArgs, kubectl, kubectlResult, parseAppliedObjects, rolloutStatusArgs, rolloutUndoArgs, targetArgs, type KubectlTarget } from './kubectl.ts';
import { objectNames, renderDeploymentObjects, toYamlStream, type DeploymentOptions } from './manifests.ts';

/**
 * Registry credentials for pulling a private image (GHCR images are private by default). The password
 * or token goes to the cluster on kubectl's stdin, never on a command line, in a log or a manifest file.
 */
export interface PullCredentials extends RegistryCredentials {
  /** Registry host the credentials are for (default: the image reference's registry). */
  registry?: string;
}

export interface DeployModelOptions extends DeploymentOptions {
  target: KubectlTarget;
  /** Folder for the rendered manifest (kept as a build artifact). */
  outDir: string;
  /** render: write the manifest only; server-dry-run: validate against the cluster; apply: deploy. */
  mode?: 'render' | 'server-dry-run' | 'apply';
  rolloutTimeoutSeconds?: number;
  /** On a failed rollout, `kubectl rollout undo` to the previous ReplicaSet and wait for it. */
  rollbackOnFailure?: boolean;
  /** Create the namespace when it does not exist (apply mode; default true). */
  createNamespace?: boolean;
  /**
   * Creates (or updates) the Secret `<name>-registry` (kubernetes.io/dockerconfigjson) from these and
   * pulls the image with it, next to any `imagePullSecrets` named.
   */
  registryCredentials?: PullCredentials;
  logger?: Logger;
  /** Also render alert rules and/or the Grafana dashboard (monitoring/) into outDir. */
  monitoring?: MonitoringPart[];
  /** PromQL label matchers for the rendered rules and dashboard (default `job="NAME"`). */
  monitoringSelector?: string;
}

export interface DeployModelResult {
  manifestPath: string;
  /** The objects rendered (render mode) or applied, `kind.group/name`. */
  objects: string[];
  rolledOut: boolean;
  rolledBack: boolean;
  /** Monitoring artefacts written (when asked for). */
  monitoring?: RenderMonitoringResult;
  /** False when the apply left the Deployment's spec as it was (same image and settings: no new rollout). */
  changed: boolean;
}

/** The Secret deploy-k8s makes from registry credentials. */
export function pullSecretName(name: string): string {
  return `${name}-registry`;
}

/**
 * The `kubernetes.io/dockerconfigjson` Secret for `credentials` (Docker Hub's key is its v1 index URL,
 * as `docker login` writes it). Contains the password: send it on stdin only.
 */
export function renderPullSecret(name: string, namespace: string | undefined, image: string, credentials: PullCredentials): Record<string, unknown> {
  if (!credentials.username || !credentials.password) throw new InputError('registry credentials need both a username and a password (or token).');
  const registry = credentials.registry ?? parseImageReference(image).registry;
  const key = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  const config = JSON.stringify({ auths: { [key]: { username: credentials.username, password: credentials.password, auth } } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: pullSecretName(name), ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'mlship' } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
  };
}

/** Why pods are not ready, from `kubectl get pods -o json`: one line per pod with a waiting/terminated reason. */
export function describePodProblems(podsJson: string): string[] {
  let list: { items?: Array<Record<string, any>> };
  try { list = JSON.parse(podsJson) as typeof list; } catch { return []; }
  const out: string[] = [];
  for (const pod of list.items ?? []) {
    for (const c of pod.status?.containerStatuses ?? []) {
      if (c.ready) continue;
      const waiting = c.state?.waiting;
      const last = c.lastState?.terminated ?? c.state?.terminated;
      const why = waiting ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : c.state?.running ? 'running, not ready (readiness probe failing)' : 'not ready';
      const exit = last ? `; last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}${last.message ? `: ${String(last.message).trim().split('\n').slice(-3).join(' | ')}` : ''}` : '';
      out.push(`pod ${pod.metadata?.name}: ${why}${exit}`);
    }
    if (!pod.status?.containerStatuses?.length) {
      const cond = (pod.status?.conditions ?? []).find((x: Record<string, string>) => x.status !== 'True' && x.message);
      out.push(`pod ${pod.metadata?.name}: ${pod.status?.phase ?? 'Pending'}${cond ? ` (${cond.message})` : ''}`);
    }
  }
  return out;
}

/**
 * Renders the manifests, applies them and waits for the rollout. When the rollout fails and there is
 * a previous revision, `rollbackOnFailure` undoes it and waits until the previous pods are all ready
 * again (they keep serving throughout: maxUnavailable 0). A failing first deploy has nothing to roll
 * back to: the objects stay as applied (the Service has no ready endpoints) and the error says so.
 */
export async function deployModel(o: DeployModelOptions): Promise<DeployModelResult> {
  const logger = o.logger ?? silentLogger;
  const mode = o.mode ?? 'apply';
  if (!['render', 'server-dry-run', 'apply'].includes(mode)) {
    throw new InputError(`mode must be render, server-dry-run or apply, got "${mode}".`);
  }
  checkNumberOption('timeout', o.rolloutTimeoutSeconds, POSITIVE);
  const pullSecret = o.registryCredentials ? renderPullSecret(o.name, o.namespace, o.image, o.registryCredentials) : undefined;
  const rendered = renderDeploymentObjects({
    ...o,
    imagePullSecrets: [...(o.imagePullSecrets ?? []), ...(pullSecret ? [pullSecretName(o.name)] : [])],
  });
  const manifestPath = join(o.outDir, `${o.name}.k8s.yaml`);
  const target = { ...o.target, namespace: o.target.namespace ?? o.namespace };
  await writeFileAtomic(manifestPath, toYamlStream(rendered));
  logger.info(`manifest: ${manifestPath}`);
  const monitoring = o.monitoring?.length
    ? await renderMonitoring({ name: o.name, namespace: o.namespace, selector: o.monitoringSelector, parts: o.monitoring, outDir: o.outDir })
    : undefined;
  if (monitoring) logger.info(`monitoring: ${Object.values(monitoring).join(', ')}`);
  const result: DeployModelResult = { manifestPath, objects: objectNames(rendered), rolledOut: false, rolledBack: false, changed: false, ...(monitoring ? { monitoring } : {}) };
  if (mode === 'render') return result;

  if (mode === 'apply' && target.namespace && o.createNamespace !== false) await ensureNamespace(target, target.namespace, logger);
  const dryRun = mode === 'server-dry-run' ? { dryRun: 'server' as const } : {};
  if (pullSecret) await applyPullSecret(target, o, pullSecret, mode, logger);
  const before = mode === 'apply' ? await deploymentGeneration(target, o.name, logger) : undefined;
  result.objects = parseAppliedObjects(await kubectl(target, applyArgs(target, manifestPath, dryRun), logger));
  logger.info(`${mode === 'apply' ? 'applied' : 'validated (server dry run)'}: ${result.objects.join(', ')}`);
  if (mode !== 'apply') return result;
  const after = await deploymentGeneration(target, o.name, logger);
  result.changed = before !== after;
  if (!result.changed) logger.info(`deployment/${o.name} is unchanged (generation ${after}): the same image and settings are already deployed`);

  const timeout = o.rolloutTimeoutSeconds ?? 300;
  try {
    await kubectl(target, rolloutStatusArgs(target, o.name, timeout), logger);
    result.rolledOut = true;
    return result;
  } catch (err) {
    const problems = await podProblems(target, o.name, logger);
    const why = `${(err as Error).message}${problems.length ? `\n${problems.join('\n')}` : ''}`;
    if (before === undefined) {
      throw new MlshipError(`The first rollout of deployment/${o.name} failed and there is no previous revision to roll back to: ${why}\n`
        + `The objects stay as applied (${result.objects.join(', ')}); the Service has no ready pods. Fix the cause and deploy again, or remove them with kubectl delete -f ${manifestPath}.`, 1);
    }
    if (!o.rollbackOnFailure) throw new MlshipError(`Rollout of deployment/${o.name} failed: ${why}\nThe previous pods keep serving (maxUnavailable 0); roll back with kubectl rollout undo deployment/${o.name}.`, 1);
    logger.warn(`rollout of deployment/${o.name} failed; rolling back to the previous revision`);
    await kubectl(target, rolloutUndoArgs(target, o.name), logger);
    await kubectl(target, rolloutStatusArgs(target, o.name, timeout), logger);
    result.rolledBack = true;
    throw new MlshipError(`Rollout of deployment/${o.name} failed: ${why}\nRolled back deployment/${o.name} to its previous revision, which is fully rolled out again.`, 1);
  }
}

/** Applies (or, in server-dry-run mode, validates) the pull Secret, on kubectl's stdin: the password is never in a file or an argument. */
export async function applyPullSecret(target: KubectlTarget, o: { name: string; image: string; registryCredentials?: PullCredentials }, secret: Record<string, unknown>, mode: 'server-dry-run' | 'apply', logger: Logger): Promise<void> {
  await kubectl(target, applyArgs(target, '-', mode === 'server-dry-run' ? { dryRun: 'server' } : {}), logger, { input: JSON.stringify(secret) });
  logger.info(`image pull secret ${pullSecretName(o.name)} (registry ${o.registryCredentials?.registry ?? parseImageReference(o.image).registry}) ${mode === 'apply' ? 'applied' : 'validated'}`);
}

/** The Deployment's metadata.generation, or undefined when it does not exist yet. */
async function deploymentGeneration(t: KubectlTarget, name: string, logger: Logger): Promise<string | undefined> {
  const res = await kubectlResult(t, [...targetArgs(t), 'get', `deployment/${name}`, '-o', 'jsonpath={.metadata.generation}', '--ignore-not-found'], logger);
  if (res.code !== 0) throw new MlshipError(`kubectl get deployment/${name} failed (exit ${res.code}): ${res.stderr.trim()}`);
  return res.stdout.trim() || undefined;
}

/** Creates the namespace when it is missing (apply mode); a kubeconfig that may not read namespaces is left to fail later if it is. */
export async function ensureNamespace(t: KubectlTarget, namespace: string, logger: Logger): Promise<void> {
  const global = targetArgs({ ...t, namespace: undefined });
  const res = await kubectlResult(t, [...global, 'get', `namespace/${namespace}`, '-o', 'name'], logger);
  if (res.code === 0) return;
  if (!/NotFound/.test(res.stderr)) {
    logger.debug(`cannot read namespace ${namespace} (${res.stderr.trim()}); assuming it exists`);
    return;
  }
  await kubectl(t, [...global, 'create', 'namespace', namespace], logger);
  logger.info(`created namespace ${namespace}`);
}

async function podProblems(t: KubectlTarget, name: string, logger: Logger): Promise<string[]> {
  const res = await kubectlResult(t, [...targetArgs(t), 'get', 'pods', '-l', `app.kubernetes.io/name=${name}`, '-o', 'json'], logger);
  return res.code === 0 ? describePodProblems(res.stdout) : [];
}

/** The job-summary block of a deploy. */
export function renderDeployMarkdown(o: { name: string; image: string; mode: string }, r: DeployModelResult): string {
  return [
    `### mlship deploy-k8s: ${o.name}`,
    '',
    '| | |',
    '|---|---|',
    `| image | \`${o.image}\` |`,
    `| mode | ${o.mode} |`,
    `| objects | ${r.objects.map((x) => `\`${x}\``).join(', ') || '—'} |`,
    `| changed | ${o.mode === 'apply' ? (r.changed ? 'yes' : 'no (already deployed)') : '—'} |`,
    `| rolled out | ${r.rolledOut ? 'yes' : 'no'} |`,
    `| manifest | \`${r.manifestPath}\` |`,
    '',
  ].join('\n');
}
