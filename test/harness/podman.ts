import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * podman for tests, isolated from the machine: its own storage (--root/--runroot in a temp dir, vfs
 * driver) and a containers.conf that works on these CI machines: runc (crun fails here), cgroupfs,
 * and default ulimits no higher than this process's hard limits (runc cannot raise them).
 */
export interface Podman {
  /** Runs `podman <args>` with the isolated storage and config; resolves with stdout. */
  exec(args: string[], options?: { timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

/** Pure: the hard limit of one resource from /proc/self/limits ("Max open files  20000  20000  files"). */
export function hardLimit(limits: string, name: string): number | undefined {
  const line = limits.split('\n').find((l) => l.startsWith(name));
  const hard = line?.slice(name.length).trim().split(/\s+/)[1];
  return hard === undefined || hard === 'unlimited' ? undefined : Number(hard);
}

export function containersConf(limits: string): string {
  const nofile = Math.min(hardLimit(limits, 'Max open files') ?? 65536, 65536);
  const nproc = Math.min(hardLimit(limits, 'Max processes') ?? 4096, 4096);
  return [
    '[containers]',
    `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`,
    '[engine]',
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    '',
  ].join('\n');
}

export async function startPodman(): Promise<Podman> {
  const dir = await mkdtemp(join(tmpdir(), 'mlship-podman-'));
  const conf = join(dir, 'containers.conf');
  await writeFile(conf, containersConf(readFileSync('/proc/self/limits', 'utf8')));
  const global = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs', '--tmpdir', join(dir, 'tmp')];
  const env = { ...process.env, CONTAINERS_CONF: conf };
  return {
    async exec(args, options = {}) {
      try {
        const { stdout } = await run('podman', [...global, ...args], { env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 });
        return stdout;
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`podman ${args.join(' ')} failed: ${e.stderr || e.message}`);
      }
    },
    async stop() {
      await run('podman', [...global, 'rm', '--all', '--force'], { env }).catch(() => undefined);
      // Only our own storage: `system reset` would also touch machine-wide network configs.
      await run('podman', [...global, 'rmi', '--all', '--force'], { env }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
