import { checkNumberOption, POSITIVE } from '../util/number-option.ts';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { applyArgs, kubectl, parseAppliedObjects, rolloutStatusArgs, rolloutUndoArgs, type KubectlTarget } from './kubectl.ts';
import { renderDeploymentObjects, toYamlStream, type DeploymentOptions } from './manifests.ts';

export interface DeployModelOptions extends DeploymentOptions {
  target: KubectlTarget;
  /** Folder for the rendered manifest (kept as a build artifact). */
  outDir: string;
  /** render: write the manifest only; server-dry-run: validate against the cluster; apply: deploy. */
  mode?: 'render' | 'server-dry-run' | 'apply';
  rolloutTimeoutSeconds?: number;
  /** On a failed rollout, `kubectl rollout undo` to the previous ReplicaSet. */
  rollbackOnFailure?: boolean;
  logger?: Logger;
}

export interface DeployModelResult {
  manifestPath: string;
  objects: string[];
  rolledOut: boolean;
  rolledBack: boolean;
}

/** Renders the manifests, applies them and waits for the rollout (rolling back on failure if asked). */
export async function deployModel(o: DeployModelOptions): Promise<DeployModelResult> {
  const logger = o.logger ?? silentLogger;
  const mode = o.mode ?? 'apply';
  if (!['render', 'server-dry-run', 'apply'].includes(mode)) {
    throw new InputError(`mode must be render, server-dry-run or apply, got "${mode}".`);
  }
  checkNumberOption('timeout', o.rolloutTimeoutSeconds, POSITIVE);
  const manifestPath = join(o.outDir, `${o.name}.k8s.yaml`);
  const target = { ...o.target, namespace: o.target.namespace ?? o.namespace };
  await writeFileAtomic(manifestPath, toYamlStream(renderDeploymentObjects(o)));
  logger.info(`manifest: ${manifestPath}`);
  if (mode === 'render') return { manifestPath, objects: [], rolledOut: false, rolledBack: false };
  const objects = parseAppliedObjects(await kubectl(target, applyArgs(target, manifestPath, mode === 'server-dry-run' ? { dryRun: 'server' } : {}), logger));
  logger.info(`${mode === 'apply' ? 'applied' : 'validated (server dry run)'}: ${objects.join(', ')}`);
  if (mode !== 'apply') return { manifestPath, objects, rolledOut: false, rolledBack: false };
  try {
    await kubectl(target, rolloutStatusArgs(target, o.name, o.rolloutTimeoutSeconds ?? 300), logger);
    return { manifestPath, objects, rolledOut: true, rolledBack: false };
  } catch (err) {
    if (!o.rollbackOnFailure) throw err;
    logger.warn(`rollout of deployment/${o.name} failed; rolling back to the previous revision`);
    await kubectl(target, rolloutUndoArgs(target, o.name), logger);
    throw new Error(`${(err as Error).message}\nRolled back deployment/${o.name} to its previous revision.`);
  }
}
