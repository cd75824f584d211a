import { expect } from 'vitest';
import { openServiceProxy, parseServiceRef, type ServiceProxy } from '@mlship/sdk';
import { runCli } from './cli.ts';
import type { TestCluster } from './cluster.ts';

/** Builds the image of a package with the CLI (`mlship image build`) under `env`; returns its reference. */
export async function buildPackageImage(pkgDir: string, tag: string, base: string, work: string, env: Record<string, string>): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const run = await runCli(['image', 'build', '--package', pkgDir, '--tag', tag, '--base', base, '--json'], work);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { image: string }).image;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** One iris infer request at a time (a setosa row) until `until` settles, at most `max`; failures and answering versions counted. */
export async function requestLoop(proxy: ServiceProxy, until: Promise<unknown>, max = 20_000) {
  const body = JSON.stringify({ inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] });
  let done = false;
  void until.finally(() => { done = true; });
  const counts = { ok: 0, failed: 0, failures: [] as string[], versions: new Map<string, number>() };
  while (!done && counts.ok + counts.failed < max) {
    try {
      const r = await fetch(`${proxy.url}/v2/models/iris-rf/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      const text = await r.text();
      if (r.ok) {
        counts.ok++;
        const v = (JSON.parse(text) as { model_version: string }).model_version;
        counts.versions.set(v, (counts.versions.get(v) ?? 0) + 1);
      } else {
        counts.failed++;
        if (counts.failures.length < 20) counts.failures.push(`${r.status} ${text.slice(0, 120)}`);
      }
    } catch (err) {
      counts.failed++;
      if (counts.failures.length < 20) counts.failures.push((err as Error).message);
    }
  }
  await until.catch(() => undefined);
  return counts;
}

/** Runs `run` while requestLoop sends traffic to service NS/NAME through the API server's service proxy. */
export async function withTraffic<T>(cluster: TestCluster, service: string, run: () => Promise<T>) {
  const proxy = await openServiceProxy({ kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl }, parseServiceRef(service));
  try {
    const p = run();
    const counts = await requestLoop(proxy, p);
    return { result: await p, counts };
  } finally {
    await proxy.close();
  }
}
