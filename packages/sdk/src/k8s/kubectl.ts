import { MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { runProcess } from '../util/process.ts';

/** Where and how kubectl talks to the cluster. */
export interface KubectlTarget {
  /** Path of a kubeconfig file (never its content: that is a secret). */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** kubectl binary (default `kubectl` on PATH). */
  kubectl?: string;
}

function targetArgs(t: KubectlTarget): string[] {
  return [
    ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []),
    ...(t.context ? ['--context', t.context] : []),
    ...(t.namespace ? ['--namespace', t.namespace] : []),
  ];
}

/**
 * `kubectl apply` of a manifest file. Server-side apply with a field manager so that repeated deploys
 * from CI own their fields; `dryRun: 'server'` validates against the cluster's schemas without changing it.
 */
export function applyArgs(t: KubectlTarget, manifestPath: string, options: { dryRun?: 'server' | 'client' } = {}): string[] {
  return [...targetArgs(t), 'apply', '--server-side', '--field-manager=mlship', '--force-conflicts',
    ...(options.dryRun ? [`--dry-run=${options.dryRun}`] : []), '-f', manifestPath, '-o', 'name'];
}

/** Waits until the Deployment's new ReplicaSet is fully rolled out, or the timeout passes. */
export function rolloutStatusArgs(t: KubectlTarget, name: string, timeoutSeconds: number): string[] {
  return [...targetArgs(t), 'rollout', 'status', `deployment/${name}`, `--timeout=${timeoutSeconds}s`, '--watch=true'];
}

export function rolloutUndoArgs(t: KubectlTarget, name: string): string[] {
  return [...targetArgs(t), 'rollout', 'undo', `deployment/${name}`];
}

/** `kubectl apply -o name` prints one `kind.group/name` per line: the objects it applied. */
export function parseAppliedObjects(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Runs kubectl; a non-zero exit becomes an error with kubectl's own message. */
export async function kubectl(t: KubectlTarget, args: string[], logger: Logger = silentLogger): Promise<string> {
  const bin = t.kubectl ?? 'kubectl';
  const res = await runProcess(bin, args, { logger }).catch((err: Error) => {
    throw new MlshipError(`${err.message}. Install kubectl on the runner (e.g. azure/setup-kubectl) or pass its path.`);
  });
  if (res.code !== 0) {
    throw new MlshipError(`kubectl ${args.filter((a) => !a.startsWith('--kubeconfig')).slice(0, 3).join(' ')} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res.stdout;
}
