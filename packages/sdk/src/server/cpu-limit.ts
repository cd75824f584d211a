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
 * The tightest CPU limit on this process's cgroup (v2) and its ancestors, in cores: inside a container
 * that is the pod's `resources.limits.cpu` (Kubernetes writes it to cpu.max). Undefined without a
 * limit, or on cgroup v1 / no cgroup file system. `read` is readFileSync (tests pass files of their own).
 */
export function cgroupCpuLimit(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  let own: string | undefined;
  try {
    own = /^0::(.*)$/m.exec(read('/proc/self/cgroup'))?.[1]?.trim();
  } catch {
    return undefined;
  }
  if (own === undefined) return undefined;
  let limit: number | undefined;
  // "/" in a container's own cgroup namespace; a path like /user.slice/… on a host.
  for (let dir = own.replace(/\/+$/, ''); ; dir = dir.slice(0, dir.lastIndexOf('/'))) {
    try {
      const cores = parseCpuMax(read(`/sys/fs/cgroup${dir}/cpu.max`));
      if (cores !== undefined) limit = Math.min(limit ?? Infinity, cores);
    } catch { /* the root cgroup has no cpu.max */ }
    if (dir === '') break;
  }
  return limit;
}

/**
 * `mlship serve`'s default number of worker processes: the container's CPU limit rounded up (1.5 cores
 * → 2), else the cores this process may run on (os.availableParallelism: the CPU affinity mask), and
 * never more than those cores.
 */
export function defaultWorkerCount(limit: number | undefined = cgroupCpuLimit(), cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(cores, limit === undefined ? cores : Math.ceil(limit)));
}
