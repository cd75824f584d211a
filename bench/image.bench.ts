// `npm run bench -- image`: building the model-server image, mlship's daemonless builder against
// `buildah bud` of the equivalent Dockerfile (written by writeDockerContext), in one run.
//
// Setup: a local docker-registry on 127.0.0.1 holding the test base image (node 24 + its libraries,
// test/harness/base-image.ts; Docker Hub is not reachable here) and a real iris model package.
// Scenarios, each timed wall-clock from start to "pushed":
//   cold  — empty layer cache / empty buildah storage, nothing of ours in the target repository;
//   warm  — the same builder right after, with only the model changed (a new package version).
// buildah: `buildah bud --storage-driver vfs --isolation chroot` (no daemon, no overlay here) + `buildah push`.
// Sizes are the compressed bytes the registry stores for each image (config + layers), from
// `skopeo inspect --raw`. Writes bench/out/image.md and bench/out/image.json.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildImage, writeDockerContext, type Logger } from '../packages/sdk/src/index.ts';
import { pushTestBaseImage } from '../test/harness/base-image.ts';
import { pushDebianNodeBase } from './debian-base.ts';
import { writeIrisPackage } from '../test/harness/model-package.ts';
import { startRegistry } from '../test/harness/registry.ts';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const SERVER_BUNDLE = join(ROOT, 'packages', 'cli', 'dist', 'mlship.js');
const logger: Logger = { debug() {}, info() {}, warn: (m) => console.error(`warn: ${m}`) };

/** Pure: the buildah command lines for a build and a push (vfs storage, chroot isolation: no daemon, no overlay). */
export function buildahArgs(o: { root: string; runroot: string; contextDir: string; tag: string }): { build: string[]; push: string[] } {
  const storage = ['--root', o.root, '--runroot', o.runroot, '--storage-driver', 'vfs'];
  return {
    build: [...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '--layers', '--platform', 'linux/amd64', '-t', o.tag, '-f', join(o.contextDir, 'Dockerfile'), o.contextDir],
    push: [...storage, 'push', '--tls-verify=false', o.tag, `docker://${o.tag}`],
  };
}

async function compressedSize(ref: string): Promise<number> {
  const raw = JSON.parse((await exec('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${ref}`], { maxBuffer: 16 << 20 })).stdout);
  return raw.config.size + raw.layers.reduce((s: number, l: { size: number }) => s + l.size, 0);
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

const registry = await startRegistry();
const work = await mkdtemp(join(tmpdir(), 'mlship-image-bench-'));
try {
  const base = await pushTestBaseImage(registry.host);
  const baseSize = await compressedSize(base.reference.replace(':24', '@' + (JSON.parse((await exec('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${base.reference}`])).stdout).manifests[0].digest)));
  const v1 = await writeIrisPackage(join(work, 'pkg-1'), '1.0.0');
  const v2 = await writeIrisPackage(join(work, 'pkg-2'), '1.1.0');
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1767225600' };

  // mlship: cold (fresh layer cache; base layers mounted in the registry, ours uploaded), then warm.
  const cacheDir = join(work, 'mlship-cache');
  const opts = (pkg: string, tag: string) => ({ packageDir: pkg, tag: `${registry.host}/bench/mlship:${tag}`, base: base.reference, serverBundle: SERVER_BUNDLE, cacheDir, env, logger });
  const [cold, coldS] = await timed(() => buildImage(opts(v1.dir, '1.0.0')));
  const [warm, warmS] = await timed(() => buildImage(opts(v2.dir, '1.1.0')));
  const mlshipSize = await compressedSize(`${registry.host}/bench/mlship:1.0.0`);

  // buildah: the Dockerfile equivalent. Context writing is not timed (a user would commit it once).
  const ctx1 = join(work, 'ctx-1');
  await writeDockerContext({ packageDir: v1.dir, outDir: ctx1, base: base.reference, serverBundle: SERVER_BUNDLE, env, logger });
  const ctx2 = join(work, 'ctx-2');
  await writeDockerContext({ packageDir: v2.dir, outDir: ctx2, base: base.reference, serverBundle: SERVER_BUNDLE, env, logger });
  const storage = { root: join(work, 'buildah', 'root'), runroot: join(work, 'buildah', 'run') };
  await mkdir(storage.root, { recursive: true });
  const buildah = async (contextDir: string, tag: string) => {
    const args = buildahArgs({ ...storage, contextDir, tag: `${registry.host}/bench/buildah:${tag}` });
    await exec('buildah', args.build, { maxBuffer: 64 << 20 });
    await exec('buildah', args.push, { maxBuffer: 64 << 20 });
  };
  const [, bColdS] = await timed(() => buildah(ctx1, '1.0.0'));
  const [, bWarmS] = await timed(() => buildah(ctx2, '1.1.0'));
  const buildahSize = await compressedSize(`${registry.host}/bench/buildah:1.0.0`);
  await exec('buildah', ['--root', storage.root, '--runroot', storage.runroot, '--storage-driver', 'vfs', 'rm', '--all']).catch(() => undefined);
  await exec('buildah', ['--root', storage.root, '--runroot', storage.runroot, '--storage-driver', 'vfs', 'rmi', '--all', '--force']).catch(() => undefined);

  // Size with a realistic Debian base (what node:24-bookworm-slim is made of), mlship builder.
  const debianBase = await pushDebianNodeBase(registry.host);
  const [debian, debianS] = await timed(() => buildImage({ ...opts(v1.dir, 'debian'), base: debianBase }));
  const debianBaseSize = debian.platforms[0]!.layers.filter((l) => l.role === 'base').reduce((s, l) => s + l.size, 0);

  const mb = (b: number) => (b / 1e6).toFixed(1);
  const ours = cold.platforms[0]!.layers.filter((l) => l.role !== 'base').reduce((s, l) => s + l.size, 0);
  const results = {
    machine: { cpus: (await import('node:os')).availableParallelism(), node: process.version },
    mlship: { coldSeconds: coldS, warmSeconds: warmS, compressedBytes: mlshipSize, addedBytes: ours, warmUploaded: warm.uploaded, layers: cold.platforms[0]!.layers.map((l) => ({ role: l.role, size: l.size })) },
    buildah: { coldSeconds: bColdS, warmSeconds: bWarmS, compressedBytes: buildahSize },
    baseCompressedBytes: baseSize,
    debian: { baseCompressedBytes: debianBaseSize, imageCompressedBytes: debian.size, buildSeconds: debianS },
  };
  const verdict = [
    `compressed image ${mb(mlshipSize)} MB on the test base, ${mb(debian.size)} MB on the Debian bookworm-slim + Node 24 base (goal ≤ 120 MB: ${Math.max(mlshipSize, debian.size) <= 120e6 ? 'met' : 'NOT met'});`,
    `warm rebuild ${warmS.toFixed(2)} s (goal ≤ 5 s: ${warmS <= 5 ? 'met' : 'NOT met'});`,
    `cold ${(bColdS / coldS).toFixed(1)}× and warm ${(bWarmS / warmS).toFixed(1)}× faster than buildah bud of the same Dockerfile.`,
  ].join(' ');
  const md = [
    '# Image build benchmark',
    '',
    `Machine: ${results.machine.cpus} CPUs, Node ${process.version}. Registry: docker-registry on 127.0.0.1. Base: the test base (node 24 + libraries, ${mb(baseSize)} MB compressed). Model: iris RandomForest package.`,
    '',
    '| builder | cold build + push (s) | warm rebuild + push, model changed (s) | compressed image (MB) |',
    '|---|---:|---:|---:|',
    `| mlship (no daemon) | ${coldS.toFixed(2)} | ${warmS.toFixed(2)} | ${mb(mlshipSize)} |`,
    `| buildah bud (vfs, chroot) | ${bColdS.toFixed(2)} | ${bWarmS.toFixed(2)} | ${mb(buildahSize)} |`,
    `| ratio buildah / mlship | ${(bColdS / coldS).toFixed(1)}× | ${(bWarmS / warmS).toFixed(1)}× | ${(buildahSize / mlshipSize).toFixed(2)}× |`,
    '',
    `With a Debian bookworm minbase (mmdebstrap, -slim dpkg excludes) + Node 24 base of ${mb(debianBaseSize)} MB — what node:24-bookworm-slim is made of — the mlship image is ${mb(debian.size)} MB compressed (built and pushed in ${debianS.toFixed(2)} s, base layer mounted).`,
    '',
    `mlship layers: ${cold.platforms[0]!.layers.map((l) => `${l.role} ${mb(l.size)} MB`).join(', ')} (added on top of the base: ${mb(ours)} MB). Warm rebuild uploaded ${warm.uploaded} blobs: ${warm.platforms[0]!.layers.filter((l) => l.status === 'uploaded').map((l) => l.role).join(', ')} layer(s) + the config.`,
    '',
    `Verdict: ${verdict}`,
    '',
  ].join('\n');
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'image.md'), md);
  await writeFile(join(OUT, 'image.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(md);
} finally {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
