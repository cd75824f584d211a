import { join } from 'node:path';
import { InputError, MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { applyArgs, kubectl, kubectlResult, rolloutStatusArgs, targetArgs, type KubectlTarget } from '../k8s/kubectl.ts';
import { renderDeploymentObjects, SERVICE_PORT_NAME, toYamlStream, type DeploymentOptions } from '../k8s/manifests.ts';
import { openServiceProxy } from '../k8s/service-proxy.ts';
import { loadPackage } from '../package/loader.ts';
import { smokeTest } from '../smoke/smoke-test.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/**
 * Blue-green delivery: the new version runs as a second Deployment (`NAME-blue` / `NAME-green`, pods
 * labelled `mlship.dev/color`), is smoke-tested through its own Service `NAME-preview`, then the main
 * Service's selector switches to its color in one update. The previous color keeps running, so
 * `switchBack` switches the selector back at once (no pod starts).
 *
 * With `autoscale` each color has its own HorizontalPodAutoscaler (`NAME-blue` / `NAME-green`, the
 * same bounds, targeting that color's Deployment): the new color starts with the active color's
 * current replica count (within the bounds), so the switch moves the traffic onto as many pods as
 * served it, and both HPAs stay — the idle color is scaled down to its minReplicas by its HPA and is
 * still there to switch back to.
 */
export const COLOR_LABEL = 'mlship.dev/color';
export type Color = 'blue' | 'green';

export interface BlueGreenOptions extends DeploymentOptions {
  target: KubectlTarget;
  outDir: string;
  /** The package the image serves: its golden rows are the smoke test through the preview Service. */
  package?: string;
  /** Switch the main Service back to the other color (already running) instead of deploying. */
  switchBack?: boolean;
  rolloutTimeoutSeconds?: number;
  logger?: Logger;
}

export interface BlueGreenResult {
  /** The color the main Service selects now, and before. */
  active: Color;
  previous?: Color;
  switched: boolean;
  smoke?: { passed: boolean; message: string };
  manifestPath?: string;
}

/** The colored copy of a rendered object: `NAME-color`, the color label on it, its selector and pods (an HPA: its target, named `name` too). */
export function colored(obj: Record<string, any>, color: Color, name: string): Record<string, unknown> {
  const o = structuredClone(obj);
  o.metadata.name = name;
  o.metadata.labels = { ...o.metadata.labels, [COLOR_LABEL]: color };
  if (o.kind === 'Deployment') {
    o.spec.selector.matchLabels = { ...o.spec.selector.matchLabels, [COLOR_LABEL]: color };
    o.spec.template.metadata.labels = { ...o.spec.template.metadata.labels, [COLOR_LABEL]: color };
  } else if (o.kind === 'HorizontalPodAutoscaler') {
    o.spec.scaleTargetRef.name = name;
  } else {
    o.spec.selector = { ...o.spec.selector, [COLOR_LABEL]: color };
  }
  return o;
}

const other = (c: Color): Color => (c === 'blue' ? 'green' : 'blue');

export async function runBlueGreen(o: BlueGreenOptions): Promise<BlueGreenResult> {
  const logger = o.logger ?? silentLogger;
  const ns = o.target.namespace ?? o.namespace ?? 'default';
  const target = { ...o.target, namespace: ns };
  const rendered = renderDeploymentObjects(o);
  const deployment = rendered.find((x) => x.kind === 'Deployment')!;
  const service = rendered.find((x) => x.kind === 'Service')!;
  const existing = await kubectlResult(target, [...targetArgs(target), 'get', 'service', o.name, '-o', 'json'], logger);
  const active = existing.code === 0 ? (JSON.parse(existing.stdout).spec.selector?.[COLOR_LABEL] as Color | undefined) : undefined;
  const switchTo = async (color: Color) => {
    await kubectl(target, applyArgs(target, '-'), logger, { input: JSON.stringify(colored(service, color, o.name)) });
    logger.info(`service/${o.name} now selects ${COLOR_LABEL}=${color}`);
  };

  if (o.switchBack) {
    if (!active) throw new InputError(`service/${o.name} in ${ns} does not select a color: there is no blue-green pair to switch back to.`);
    const back = other(active);
    const ready = await kubectlResult(target, [...targetArgs(target), 'get', 'deployment', `${o.name}-${back}`, '-o', 'json'], logger);
    if (ready.code !== 0 || !(JSON.parse(ready.stdout).status?.readyReplicas > 0)) {
      throw new MlshipError(`deployment/${o.name}-${back} has no ready pods to switch back to.`);
    }
    await switchTo(back);
    return { active: back, previous: active, switched: true };
  }

  const next: Color = active ? other(active) : 'blue';
  const nextName = `${o.name}-${next}`;
  const objects = [colored(deployment, next, nextName), colored(service, next, `${o.name}-preview`)];
  const hpa = rendered.find((x) => x.kind === 'HorizontalPodAutoscaler');
  if (hpa && o.autoscale) {
    // The new color starts as large as the active one is now (the HPA may have scaled it), within the bounds.
    const running = active ? await kubectlResult(target, [...targetArgs(target), 'get', 'deployment', `${o.name}-${active}`, '-o', 'json'], logger) : undefined;
    const now = running?.code === 0 ? Number(JSON.parse(running.stdout).spec.replicas ?? 0) : 0;
    (objects[0] as { spec: { replicas?: number } }).spec.replicas = Math.min(o.autoscale.maxReplicas, Math.max(o.autoscale.minReplicas, now));
    objects.push(colored(hpa, next, nextName));
  }
  const manifestPath = join(o.outDir, `${o.name}-${next}.k8s.yaml`);
  await writeFileAtomic(manifestPath, toYamlStream(objects));
  await kubectl(target, applyArgs(target, manifestPath), logger);
  await kubectl(target, rolloutStatusArgs(target, nextName, o.rolloutTimeoutSeconds ?? 300), logger);
  const result: BlueGreenResult = { active: active ?? next, ...(active ? { previous: active } : {}), switched: false, manifestPath };
  if (o.package) {
    const pkg = await loadPackage(o.package, { logger, checkGolden: false });
    const proxy = await openServiceProxy(target, { namespace: ns, name: `${o.name}-preview`, port: SERVICE_PORT_NAME }, logger);
    try {
      const smoke = await smokeTest({ url: proxy.url, label: `service ${ns}/${o.name}-preview`, manifest: pkg.manifest, logger });
      result.smoke = { passed: smoke.passed, message: smoke.message };
    } finally {
      await proxy.close();
    }
    if (!result.smoke.passed) {
      logger.warn(`smoke test of ${nextName} failed: ${result.smoke.message}; service/${o.name} keeps selecting ${active ?? 'nothing new'}`);
      return result;
    }
  }
  await switchTo(next);
  return { ...result, active: next, switched: true };
}
