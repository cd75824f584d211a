import { MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { runProcess, type RunResult } from '../util/process.ts';

/** Where and how kubectl talks to the cluster. */
export interface KubectlTarget {
  /** Path of a kubeconfig file (never its content: that is a secret). */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** kubectl binary (default `kubectl` on PATH). */
  kubectl?: string;
}

/** The global flags that point kubectl at the cluster: --kubeconfig, --context, --namespace. */
export function targetArgs(t: KubectlTarget): string[] {
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

/**
 * What a kubectl command does, for messages: its arguments without the target flags and their values
 * (so never the kubeconfig path), at most the first three (`rollout status deployment/iris-rf`).
 */
export function describeKubectlCommand(args: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--kubeconfig' || a === '--context' || a === '--namespace' || a === '-n') { i++; continue; }
    if (/^--(kubeconfig|context|namespace)=/.test(a)) continue;
    out.push(a);
  }
  return out.slice(0, 3).join(' ');
}

/** Runs kubectl; a non-zero exit becomes an error with kubectl's own message. */
export async function kubectl(t: KubectlTarget, args: string[], logger: Logger = silentLogger, options: { input?: string } = {}): Promise<string> {
  const res = await kubectlResult(t, args, logger, options);
  if (res.code !== 0) {
    throw new MlshipError(`kubectl ${describeKubectlCommand(args)} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res.stdout;
}

/** Runs kubectl and returns its exit code and output (for commands whose failure is an answer, e.g. NotFound). */
export async function kubectlResult(t: KubectlTarget, args: string[], logger: Logger = silentLogger, options: { input?: string } = {}): Promise<RunResult> {
  const bin = t.kubectl ?? 'kubectl';
  return runProcess(bin, args, { logger, input: options.input }).catch((err: Error) => {
    throw new MlshipError(`${err.message}. Install kubectl on the runner (e.g. azure/setup-kubectl) or pass its path.`);
  });
}
