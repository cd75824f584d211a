import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, opt } from '../errors.ts';

/** Where kubectl's kubeconfig comes from. */
export interface KubeconfigSource {
  /** Kubeconfig content (a secret), e.g. the deploy-k8s `kubeconfig` input. */
  content?: string;
  /** Use whatever kubeconfig the machine has (KUBECONFIG or ~/.kube/config) when `content` is empty. */
  useMachineKubeconfig?: boolean;
  /** Running in CI (CI=true or GITHUB_ACTIONS=true). */
  ci: boolean;
  /** False when nothing will talk to a cluster (deploy-k8s render mode): no kubeconfig needed. */
  needed?: boolean;
}

/**
 * Decides whether kubectl runs with the given kubeconfig content or the machine's own. In CI an empty
 * kubeconfig is an error (an unset secret would otherwise deploy to whatever cluster the runner
 * happens to be configured for), unless the machine's kubeconfig is asked for explicitly.
 */
export function resolveKubeconfigSource(s: KubeconfigSource): 'content' | 'machine' {
  if (s.needed === false) return 'machine';
  if (s.content && s.content.trim() !== '') {
    if (s.useMachineKubeconfig) throw new InputError(`${opt('kubeconfig')} and ${opt('use-runner-kubeconfig')}: give one of them, not both.`);
    return 'content';
  }
  if (s.ci && !s.useMachineKubeconfig) {
    throw new InputError(`${opt('kubeconfig')} is empty: pass the cluster's kubeconfig from a secret (e.g. kubeconfig: \${{ secrets.KUBECONFIG }}; is the secret set for this repository or environment?), or set ${opt('use-runner-kubeconfig')} to true to use the runner's own kubeconfig.`);
  }
  return 'machine';
}

/**
 * What to mask from a kubeconfig: the whole text (masks only where it appears whole) and each
 * credential value on its own, since the runner masks line by line.
 */
export function kubeconfigSecrets(kubeconfig: string): string[] {
  const values = [...kubeconfig.matchAll(/(?:token|key-data|certificate-data|password|secret|client-key)\s*:\s*["']?([^\s"']{4,})/gi)].map((m) => m[1]!);
  return [kubeconfig, ...new Set(values)];
}

/**
 * Runs `fn` with the kubeconfig content in a file only this user can read (in `tempRoot`, default
 * the OS temp dir), deleted afterwards; `fn` gets undefined when there is no content.
 */
export async function withKubeconfigFile<T>(content: string | undefined, fn: (path: string | undefined) => Promise<T>, tempRoot = tmpdir()): Promise<T> {
  if (!content) return fn(undefined);
  const dir = await mkdtemp(join(tempRoot, 'mlship-kube-'));
  try {
    const path = join(dir, 'kubeconfig');
    await writeFile(path, content, { mode: 0o600 });
    await chmod(path, 0o600);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
