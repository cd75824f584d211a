import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './run-action.ts';

/**
 * The real single-node Kubernetes cluster of `npm run cluster` (scripts/cluster/cluster.sh: etcd,
 * kube-apiserver, controller-manager, scheduler, containerd, kubelet, built from the Go module proxy
 * by setup). startTestCluster reuses a running one, or brings it up and then `stop()` takes it down
 * again; it never stops a cluster it did not start.
 */
export interface TestCluster {
  kubeconfig: string;
  /** kubectl of the cluster's version (the cluster's bin dir). */
  kubectl: string;
  binDir: string;
  /** The cluster's plain-HTTP registry on 127.0.0.1, which containerd pulls from. */
  registry: string;
  stateDir: string;
  /** True when this run brought the cluster up (and stop() takes it down). */
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
  let started = false;
  let upSeconds = 0;
  const running = await exec('bash', [SCRIPT, 'status'], { maxBuffer: 16 << 20 }).then(() => true, () => false);
  if (!running) {
    const t0 = performance.now();
    try {
      execFileSync('bash', [SCRIPT, 'up'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    } catch (err) {
      throw new Error(`npm run cluster -- up failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
    }
    upSeconds = (performance.now() - t0) / 1000;
    started = true;
  }
  const stateDir = process.env.MLSHIP_CLUSTER_DIR ?? '/var/tmp/mlship-cluster';
  const info = JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as ClusterJson;
  const kc = async (args: string[], input?: string) => {
    const child = execFile(info.kubectl, ['--kubeconfig', info.kubeconfig, ...args], { maxBuffer: 64 << 20 });
    const out = new Promise<string>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (b) => { stdout += b; });
      child.stderr!.on('data', (b) => { stderr += b; });
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${args.join(' ')}: ${stderr.trim()}`))));
    });
    child.stdin!.end(input ?? '');
    return out;
  };
  return {
    ...info,
    started,
    upSeconds,
    kc,
    async trustRegistry(host) {
      await exec('bash', [SCRIPT, 'trust-registry', host]);
    },
    async stop() {
      if (started) execFileSync('bash', [SCRIPT, 'down'], { stdio: 'ignore' });
    },
  };
}
