import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The CPU limit in cgroup v2's `cpu.max` ("QUOTA PERIOD" in microseconds, or "max PERIOD" for none):
 * QUOTA / PERIOD cores, e.g. "150000 100000" → 1.5; undefined without a limit or for text that is not that.
 */
export function parseCpuMax(text: string): number | undefined {
  const m = /^\s*(max|\d+)\s+(\d+)\s*$/.exec(text);
  if (!m || m[1] === 'max' || Number(m[2]) <= 0) return undefined;
  return Number(m[1]) / Number(m[2]);
}

/**
 * The tightest CPU limit on this process's cgroup and its ancestors, in cores: inside a container that
 * is the pod's `resources.limits.cpu` (Kubernetes writes it to cgroup v2's cpu.max, or v1's
 * cpu.cfs_quota_us / cpu.cfs_period_us, quota -1 meaning none). Undefined without a limit or a cgroup
 * file system. `read` is readFileSync (tests pass files of their own).
 */
export function cgroupCpuLimit(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  let cgroups: string;
  try {
    cgroups = read('/proc/self/cgroup');
  } catch {
    return undefined;
  }
  const tightest = (own: string, limitIn: (dir: string) => number | undefined): number | undefined => {
    let limit: number | undefined;
    // "/" in a container's own cgroup namespace; a path like /user.slice/… on a host.
    for (let dir = own.replace(/\/+$/, ''); ; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      try {
        const cores = limitIn(dir);
        if (cores !== undefined) limit = Math.min(limit ?? Infinity, cores);
      } catch { /* no such file at this level */ }
      if (dir === '') break;
    }
    return limit;
  };
  const v2 = /^0::(.*)$/m.exec(cgroups)?.[1]?.trim();
  const v1 = /^\d+:([^:]*\bcpu\b[^:]*):(.*)$/m.exec(cgroups);
  const limits = [
    v2 === undefined ? undefined : tightest(v2, (dir) => parseCpuMax(read(`/sys/fs/cgroup${dir}/cpu.max`))),
    v1 === null ? undefined : tightest(v1[2]!.trim(), (dir) => {
      const base = `/sys/fs/cgroup/${v1[1]}${dir}`;
      return parseCpuMax(`${read(`${base}/cpu.cfs_quota_us`).trim().replace(/^-1$/, 'max')} ${read(`${base}/cpu.cfs_period_us`).trim()}`);
    }),
  ].filter((l): l is number => l !== undefined);
  return limits.length ? Math.min(...limits) : undefined;
}

/**
 * The default number of workers — `mlship serve`'s processes, `mlship predict`'s and the parallel
 * reader's threads: the container's CPU limit rounded up (1.5 cores → 2), else the cores this process
 * may run on (os.availableParallelism: the CPU affinity mask), and never more than those cores. (A
 * batch Job's pod with `limits.cpu: 1` scores on one thread, not on every core of its node.)
 */
export function defaultWorkerCount(limit: number | undefined = cgroupCpuLimit(), cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(cores, limit === undefined ? cores : Math.ceil(limit)));
}
