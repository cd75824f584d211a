import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './run-action.ts';

/**
 * The real single-node Kubernetes cluster of `npm run cluster` (scripts/cluster/cluster.sh: etcd,
 * kube-apiserver, controller-manager, scheduler, containerd, kubelet, built from the Go module proxy
 * by setup). startTestCluster takes a lease on it (`cluster.sh lease PID`): it reuses a running one or
 * brings it up; `stop()` releases the lease, and the last release takes down a cluster that a lease
 * brought up (never one started by `npm run cluster -- up`).
 */
export interface TestCluster {
  kubeconfig: string;
  /** kubectl of the cluster's version (the cluster's bin dir). */
  kubectl: string;
  binDir: string;
  /** The cluster's plain-HTTP registry on 127.0.0.1, which containerd pulls from. */
  registry: string;
  stateDir: string;
  /** True when this lease brought the cluster up. */
  started: boolean;
  /** Seconds `up` took (0 when reused). */
  upSeconds: number;
  /** Lets containerd pull over plain HTTP from another loopback registry (host:port). */
  trustRegistry(host: string): Promise<void>;
  /** Runs kubectl against the cluster; rejects with its stderr. */
  kc(args: string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

const SCRIPT = join(REPO_ROOT, 'scripts/cluster/cluster.sh');
const exec = promisify(execFile);

interface ClusterJson { stateDir: string; kubeconfig: string; kubectl: string; binDir: string; registry: string }

export async function startTestCluster(): Promise<TestCluster> {
  // A lease: the cluster is brought up when needed (under the script's lock, so test files running at
  // the same time never start it twice) and taken down by the last release, if a lease started it.
  const running = await exec('bash', [SCRIPT, 'status'], { maxBuffer: 16 << 20 }).then(() => true, () => false);
  const t0 = performance.now();
  let stdout: string;
  try {
    stdout = execFileSync('bash', [SCRIPT, 'lease', String(process.pid)], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();
  } catch (err) {
    throw new Error(`npm run cluster -- lease failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  }
  const info = JSON.parse(stdout) as ClusterJson;
  const kc = async (args: string[], input?: string) => {
    const child = execFile(info.kubectl, ['--kubeconfig', info.kubeconfig, ...args], { maxBuffer: 64 << 20 });
    const out = new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (b) => { out += b; });
      child.stderr!.on('data', (b) => { err += b; });
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')}: ${err.trim()}`))));
    });
    child.stdin!.end(input ?? '');
    return out;
  };
  return {
    ...info,
    started: !running,
    upSeconds: running ? 0 : (performance.now() - t0) / 1000,
    kc,
    async trustRegistry(host) {
      await exec('bash', [SCRIPT, 'trust-registry', host]);
    },
    async stop() {
      execFileSync('bash', [SCRIPT, 'release', String(process.pid)], { stdio: 'ignore' });
    },
  };
}

/**
 * A kubeconfig whose user is a new ServiceAccount `name` in `namespace`, bound to a Role with exactly
 * `rules` there (nothing cluster-wide): what a least-privilege CI deployer has. The token lives 10 min.
 */
export async function namespacedKubeconfig(cluster: TestCluster, namespace: string, name: string, rules: Array<Record<string, unknown>>): Promise<{ kubeconfig: string; token: string }> {
  await cluster.kc(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace }] },
  ] }));
  const token = (await cluster.kc(['-n', namespace, 'create', 'token', name, '--duration=10m'])).trim();
  const ca = (await readFile(join(cluster.stateDir, 'pki/ca.crt'))).toString('base64');
  const server = (JSON.parse(await cluster.kc(['config', 'view', '--minify', '-o', 'json'])) as { clusters: Array<{ cluster: { server: string } }> }).clusters[0]!.cluster.server;
  const kubeconfig = [
    'apiVersion: v1', 'kind: Config',
    `clusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${ca}`,
    `users:\n- name: ${name}\n  user:\n    token: ${token}`,
    `contexts:\n- name: c\n  context: { cluster: c, user: ${name}, namespace: ${namespace} }`, 'current-context: c', '',
  ].join('\n');
  return { kubeconfig, token };
}
