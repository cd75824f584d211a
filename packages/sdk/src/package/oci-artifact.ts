import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { RegistryClient, sha256Digest, type RegistryClientOptions } from '../oci/client.ts';
import { MediaType, type Descriptor, type ImageManifest } from '../oci/manifest.ts';
import { formatImageReference, parseImageReference, type ImageReference } from '../oci/reference.ts';
import { MAX_EXTRACTED_BYTES, PACKAGE_ARCHIVE_MEDIA_TYPE, writePackageArchive } from './archive.ts';
import { loadPackage, type VerifiedPackage } from './loader.ts';
import { serializeManifest } from './manifest.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/**
 * A model package in an OCI registry, the way ORAS stores artifacts (OCI image spec v1.1,
 * "artifacts guidance"): an image manifest with
 *   artifactType  application/vnd.mlship.model.v1+json
 *   config        the package's mlship.json, media type application/vnd.mlship.model.config.v1+json
 *                 (so `inspect` needs no layer download)
 *   layers        one: the package archive, application/vnd.mlship.model.package.v1.tar+gzip, with
 *                 org.opencontainers.image.title = <name>-<version>.tar.gz (the file `oras pull` writes)
 *   annotations   org.opencontainers.image.{title,version,created,revision,source} and
 *                 vnd.mlship.model.sha256.
 * Pulling accepts that, and also what `oras push --artifact-type application/vnd.mlship.model.v1+json
 * REF pkg.tar.gz:application/vnd.mlship.model.package.v1.tar+gzip` makes (empty config). The pulled
 * archive is verified by loadPackage before the caller sees it.
 */
export const MODEL_ARTIFACT_TYPE = 'application/vnd.mlship.model.v1+json';
export const MODEL_CONFIG_MEDIA_TYPE = 'application/vnd.mlship.model.config.v1+json';
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';

export interface PushPackageOptions {
  client?: RegistryClient;
  clientOptions?: RegistryClientOptions;
  logger?: Logger;
}

export interface PushPackageResult {
  /** The reference pushed, e.g. ghcr.io/o/iris-model:1.0.0. */
  reference: string;
  /** Manifest digest (sha256:…); `reference@digest` pins this exact package. */
  digest: string;
  pinned: string;
  /** Archive (layer) digest and size. */
  layerDigest: string;
  layerSize: number;
  manifest: ImageManifest & { artifactType: string };
}

/**
 * Pushes a package (directory or archive) as an OCI artifact to `ref` (`registry/repo[:tag]`; the
 * tag defaults to the package version). The package is verified first: a broken package is never
 * pushed. An archive is uploaded byte for byte; a directory is archived reproducibly first, so the
 * same package always gives the same layer and manifest digests.
 */
export async function pushPackage(pathOrArchive: string, refText: string, options: PushPackageOptions = {}): Promise<PushPackageResult> {
  const logger = options.logger ?? silentLogger;
  const tmp = await mkdtemp(join(tmpdir(), 'mlship-push-'));
  try {
    const pkg = await loadPackage(pathOrArchive, { logger, extractTo: join(tmp, 'pkg') });
    const parsed = parseImageReference(refText);
    if (parsed.digest) throw new InputError(`Push reference ${refText} has a digest; push to a tag (the digest is computed from the content).`);
    const ref: ImageReference = { ...parsed, tag: hasExplicitTag(refText) ? parsed.tag : pkg.manifest.version };
    // An archive is pushed as it is (it just passed verification); a directory is archived reproducibly.
    let archivePath = pkg.archivePath;
    if (!archivePath) {
      archivePath = join(tmp, 'package.tar.gz');
      await writePackageArchive(pkg.dir, archivePath, Math.floor(Date.parse(pkg.manifest.provenance.createdAt) / 1000), logger);
    }
    const layer = await readFile(archivePath);
    const config = Buffer.from(serializeManifest(pkg.manifest));
    const manifest = artifactManifest(pkg, { digest: sha256Digest(layer), size: layer.length }, { digest: sha256Digest(config), size: config.length });
    const bytes = Buffer.from(JSON.stringify(manifest));
    const client = options.client ?? new RegistryClient({ logger, ...options.clientOptions });
    await client.checkAccess(ref, 'pull,push');
    logger.info(`Pushing ${pkg.manifest.name} ${pkg.manifest.version} to ${formatImageReference(ref)} (${layer.length} bytes)`);
    await client.pushBlob(ref, manifest.config.digest, config);
    await client.pushBlob(ref, manifest.layers[0]!.digest, layer);
    const digest = await client.putManifest(ref, ref.tag!, bytes, MediaType.ociManifest);
    const reference = formatImageReference(ref);
    const pinned = `${ref.registry}/${ref.repository}@${digest}`;
    logger.info(`Pushed ${reference} (${digest})`);
    return { reference, digest, pinned, layerDigest: manifest.layers[0]!.digest, layerSize: layer.length, manifest };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The OCI manifest of a package artifact (pure; see the module comment). */
export function artifactManifest(pkg: Pick<VerifiedPackage, 'manifest'>, layer: { digest: string; size: number }, config: { digest: string; size: number }): ImageManifest & { artifactType: string } {
  const m = pkg.manifest;
  const model = m.files.find((f) => f.path === m.model)!;
  const annotations: Record<string, string> = {
    'org.opencontainers.image.title': m.name,
    'org.opencontainers.image.version': m.version,
    'org.opencontainers.image.created': m.provenance.createdAt,
    ...(m.provenance.gitCommit ? { 'org.opencontainers.image.revision': m.provenance.gitCommit } : {}),
    ...(m.provenance.repository ? { 'org.opencontainers.image.source': `https://github.com/${m.provenance.repository}` } : {}),
    'vnd.mlship.model.sha256': model.sha256,
  };
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: MODEL_ARTIFACT_TYPE,
    config: { mediaType: MODEL_CONFIG_MEDIA_TYPE, digest: config.digest, size: config.size },
    layers: [{
      mediaType: PACKAGE_ARCHIVE_MEDIA_TYPE, digest: layer.digest, size: layer.size,
      annotations: { 'org.opencontainers.image.title': `${m.name}-${m.version}.tar.gz` },
    }],
    annotations,
  };
}

export interface PullPackageOptions extends PushPackageOptions {
  /** Keep the downloaded archive here too. */
  archivePath?: string;
}

export interface PullPackageResult {
  package: VerifiedPackage;
  /** Manifest digest of what was pulled. */
  digest: string;
  reference: string;
}

/**
 * Pulls a package artifact by tag or digest into `dir` (new or empty) and verifies it (hashes,
 * signature, golden rows). The manifest and layer digests are checked by the registry client.
 */
export async function pullPackage(refText: string, dir: string, options: PullPackageOptions = {}): Promise<PullPackageResult> {
  const logger = options.logger ?? silentLogger;
  const ref = parseImageReference(refText);
  const client = options.client ?? new RegistryClient({ logger, ...options.clientOptions });
  const fetched = await client.getManifest(ref);
  const reference = formatImageReference(ref);
  if (fetched.mediaType !== MediaType.ociManifest || !('layers' in fetched.manifest)) {
    throw new InputError(`${reference} is a ${fetched.mediaType}, not an OCI artifact manifest; it is not an mlship model package (push one with mlship package push).`);
  }
  const layer = findPackageLayer(fetched.manifest as ImageManifest & { artifactType?: string }, reference);
  logger.info(`Pulling ${reference} (${fetched.digest}, ${layer.size} bytes)`);
  if (!Number.isSafeInteger(layer.size) || layer.size < 0 || layer.size > MAX_EXTRACTED_BYTES) {
    throw new InputError(`${reference}: the package layer's size ${String(layer.size)} is not a whole number of at most ${MAX_EXTRACTED_BYTES} bytes; refusing to pull it.`);
  }
  const data = await client.getBlob(ref, layer.digest, { size: layer.size });
  const tmp = await mkdtemp(join(tmpdir(), 'mlship-pull-'));
  try {
    const archive = options.archivePath ?? join(tmp, 'package.tar.gz');
    await writeFileAtomic(archive, data);
    const pkg = await loadPackage(archive, { logger, extractTo: dir });
    logger.info(`Pulled and verified ${pkg.manifest.name} ${pkg.manifest.version} into ${pkg.dir}`);
    return { package: pkg, digest: fetched.digest, reference };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The package layer of an artifact manifest, or an InputError saying what the manifest holds instead. */
export function findPackageLayer(manifest: ImageManifest & { artifactType?: string }, reference: string): Descriptor {
  const type = manifest.artifactType ?? manifest.config?.mediaType;
  const layers = manifest.layers ?? [];
  const layer = layers.find((l) => l.mediaType === PACKAGE_ARCHIVE_MEDIA_TYPE);
  if (!layer) {
    throw new InputError(`${reference} is not an mlship model package: artifact type ${type ?? '(none)'}, layers ${layers.map((l) => l.mediaType).join(', ') || '(none)'}; expected a ${PACKAGE_ARCHIVE_MEDIA_TYPE} layer (artifactType ${MODEL_ARTIFACT_TYPE}).`);
  }
  if (type !== MODEL_ARTIFACT_TYPE && type !== MODEL_CONFIG_MEDIA_TYPE) {
    throw new InputError(`${reference} has artifact type ${type ?? '(none)'}, not ${MODEL_ARTIFACT_TYPE}; refusing to treat it as a model package.`);
  }
  return layer;
}

/** Fetches only the manifest and config of a package artifact: its mlship.json, without the model. */
export async function inspectRemotePackage(refText: string, options: PushPackageOptions = {}): Promise<{ digest: string; config?: unknown; manifest: ImageManifest }> {
  const ref = parseImageReference(refText);
  const client = options.client ?? new RegistryClient({ logger: options.logger, ...options.clientOptions });
  const fetched = await client.getManifest(ref);
  const m = fetched.manifest as ImageManifest;
  findPackageLayer(m as ImageManifest & { artifactType?: string }, formatImageReference(ref));
  if (m.config.mediaType === MODEL_CONFIG_MEDIA_TYPE) {
    return { digest: fetched.digest, manifest: m, config: JSON.parse((await client.getBlob(ref, m.config.digest, { size: m.config.size })).toString('utf8')) };
  }
  return { digest: fetched.digest, manifest: m };
}

function hasExplicitTag(text: string): boolean {
  const lastSlash = text.lastIndexOf('/');
  return text.lastIndexOf(':') > lastSlash;
}


export interface TagPackageResult {
  /** The new reference, pinned: registry/repo@sha256:… (the same digest as the source). */
  pinned: string;
  reference: string;
  digest: string;
}

/**
 * Gives a pushed package another tag — "promote" 1.4.0 to `production` — without rebuilding it: the
 * manifest bytes are put under the new tag, so the digest stays the same. The target may be another
 * repository (on the same or another registry): its blobs are mounted (same registry) or copied
 * first. Only mlship model packages are tagged.
 */
export async function tagPackage(sourceRef: string, targetRef: string, options: PushPackageOptions = {}): Promise<TagPackageResult> {
  const logger = options.logger ?? silentLogger;
  const src = parseImageReference(sourceRef);
  const parsedTarget = parseImageReference(targetRef);
  if (parsedTarget.digest || !hasExplicitTag(targetRef)) throw new InputError(`Target ${targetRef} needs a tag (registry/repo:tag), e.g. ${src.registry}/${src.repository}:production.`);
  const client = options.client ?? new RegistryClient({ logger, ...options.clientOptions });
  const fetched = await client.getManifest(src);
  if (fetched.mediaType !== MediaType.ociManifest || !('layers' in fetched.manifest)) {
    throw new InputError(`${sourceRef} is a ${fetched.mediaType}, not an mlship model package.`);
  }
  const manifest = fetched.manifest as ImageManifest & { artifactType?: string };
  findPackageLayer(manifest, sourceRef);
  const sameRepo = src.registry === parsedTarget.registry && src.repository === parsedTarget.repository;
  if (!sameRepo) {
    await client.checkAccess(parsedTarget, 'pull,push');
    for (const d of [manifest.config, ...manifest.layers]) {
      if ((await client.blobSize(parsedTarget, d.digest)) !== undefined) continue;
      const data = await client.getBlob(src, d.digest, { size: d.size });
      await client.pushBlob(parsedTarget, d.digest, data, { checked: true, ...(src.registry === parsedTarget.registry ? { mountFrom: src.repository } : {}) });
    }
  }
  const digest = await client.putManifest(parsedTarget, parsedTarget.tag!, fetched.bytes, fetched.mediaType);
  const reference = formatImageReference(parsedTarget);
  logger.info(`Tagged ${sourceRef} as ${reference} (${digest})`);
  return { reference, digest, pinned: `${parsedTarget.registry}/${parsedTarget.repository}@${digest}` };
}
