import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.ts';
import { sha256Digest } from '../oci/client.ts';
import { MediaType, type Descriptor, type ImageIndex } from '../oci/manifest.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { writeTar, type TarEntry } from '../util/tar.ts';

/** Gives the bytes of a blob or manifest by digest. */
export type BlobSource = (digest: string) => Promise<Buffer>;

const blobPath = (digest: string) => `blobs/${digest.replace(':', '/')}`;

/**
 * Writes (or adds to) an OCI image layout directory (OCI image spec, image-layout.md): `oci-layout`,
 * `blobs/sha256/<hex>` for every blob, and `index.json` naming the image with the
 * `org.opencontainers.image.ref.name` annotation. Blobs are written atomically and `index.json` last,
 * so an interrupted write never leaves a reference to an incomplete image. Readable by skopeo
 * (`oci:DIR:REF`), umoci, podman and crane.
 */
export async function writeOciLayout(dir: string, top: { digest: string; mediaType: string; bytes: Buffer }, blobs: readonly string[], source: BlobSource, refName: string, logger: Logger): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const digest of [...blobs, top.digest]) {
    const path = join(dir, blobPath(digest));
    if (existsSync(path)) continue;
    await writeFileAtomic(path, digest === top.digest ? top.bytes : await source(digest));
  }
  await writeFileAtomic(join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
  let index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  const indexPath = join(dir, 'index.json');
  if (existsSync(indexPath)) index = JSON.parse(await readFile(indexPath, 'utf8')) as ImageIndex;
  const refKey = 'org.opencontainers.image.ref.name';
  const entry: Descriptor = { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length, annotations: { [refKey]: refName } };
  index.manifests = [...index.manifests.filter((m) => m.annotations?.[refKey] !== refName), entry];
  await writeFileAtomic(indexPath, `${JSON.stringify(index)}\n`);
  logger.info(`wrote OCI layout ${dir} (${refName})`);
}

/**
 * Writes a tar that `docker load` (and `podman load`, `skopeo … docker-archive:`) reads: Docker's
 * `manifest.json` (Config, RepoTags, Layers) over content-addressed blobs — the layout Docker 25+
 * itself saves, which is also a valid OCI layout (`oci-layout` + `index.json`). Layers stay gzip;
 * docker load detects the compression. Written atomically.
 */
export async function writeDockerArchive(file: string, image: { config: Buffer; layers: string[]; manifest: Buffer }, source: BlobSource, refName: string, logger: Logger): Promise<void> {
  const configDigest = sha256Digest(image.config);
  const manifestDigest = sha256Digest(image.manifest);
  const entry = (path: string, content: Buffer): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, content });
  const entries: TarEntry[] = [
    { path: 'blobs', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
    { path: 'blobs/sha256', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
  ];
  const seen = new Set<string>();
  for (const [digest, bytes] of [[configDigest, image.config], [manifestDigest, image.manifest]] as const) { seen.add(digest); entries.push(entry(blobPath(digest), bytes)); }
  for (const digest of image.layers) {
    if (seen.has(digest)) continue;
    seen.add(digest);
    entries.push(entry(blobPath(digest), await source(digest)));
  }
  entries.push(entry('manifest.json', Buffer.from(JSON.stringify([{ Config: blobPath(configDigest), RepoTags: [refName], Layers: image.layers.map(blobPath) }]))));
  entries.push(entry('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }))));
  entries.push(entry('index.json', Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: manifestDigest, size: image.manifest.length, annotations: { 'io.containerd.image.name': refName, 'org.opencontainers.image.ref.name': refName.split(':').pop() } }],
  }))));
  await writeFileAtomic(file, writeTar(entries));
  logger.info(`wrote docker-load tar ${file} (${refName})`);
}
