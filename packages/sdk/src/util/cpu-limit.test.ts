import { describe, expect, it } from 'vitest';
import { cgroupCpuLimit, defaultWorkerCount, parseCpuMax } from './cpu-limit.ts';

// cpu.max as the kernel writes it (Documentation/admin-guide/cgroup-v2.rst, "cpu.max": "$MAX $PERIOD");
// Kubernetes writes limits.cpu × 100000 with period 100000 (limits.cpu: 1500m → "150000 100000").
describe('the CPU limit from the cgroup (v2 cpu.max, v1 cpu.cfs_quota_us)', () => {
  it('parses cpu.max', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('200000 100000')).toBe(2);
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
    expect(parseCpuMax('garbage')).toBeUndefined();
  });

  it('takes the tightest limit of the cgroup and its parents, none on cgroup v1', () => {
    const files: Record<string, string> = {
      '/proc/self/cgroup': '0::/kubepods.slice/pod1/ctr\n',
      '/sys/fs/cgroup/kubepods.slice/pod1/ctr/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/kubepods.slice/pod1/cpu.max': '150000 100000\n',
      '/sys/fs/cgroup/kubepods.slice/cpu.max': '400000 100000\n',
    };
    const read = (p: string) => { if (!(p in files)) throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' }); return files[p]!; };
    expect(cgroupCpuLimit(read)).toBe(1.5);
    // Inside a container (its own cgroup namespace) the cgroup is "/".
    expect(cgroupCpuLimit((p) => ({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '200000 100000\n' } as Record<string, string>)[p] ?? read(p))).toBe(2);
    // cgroup v1 (a hybrid host like this one): cpu.cfs_quota_us -1 is no limit.
    const v1: Record<string, string> = {
      '/proc/self/cgroup': '4:memory:/x\n2:cpu,cpuacct:/kubepods/pod1\n0::/\n',
      '/sys/fs/cgroup/cpu,cpuacct/kubepods/pod1/cpu.cfs_quota_us': '250000\n', '/sys/fs/cgroup/cpu,cpuacct/kubepods/pod1/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/kubepods/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu,cpuacct/kubepods/cpu.cfs_period_us': '100000\n',
    };
    expect(cgroupCpuLimit((p) => v1[p] ?? read(p))).toBe(2.5);
    expect(cgroupCpuLimit((p) => (p === '/proc/self/cgroup' ? '4:memory:/x\n1:cpu:/\n' : read(p)))).toBeUndefined();
  });

  it('defaults the workers to the limit rounded up, else the cores, never more than the cores', () => {
    expect(defaultWorkerCount(1.5, 8)).toBe(2);
    expect(defaultWorkerCount(0.25, 8)).toBe(1);
    expect(defaultWorkerCount(undefined, 4)).toBe(4);
    expect(defaultWorkerCount(16, 2)).toBe(2);
  });
});
