import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { ONNXRUNTIME_NODE_VERSION } from '../model/onnxruntime.ts';
import type { RegistryCredentials } from '../oci/auth.ts';
import { RegistryClient, sha256Digest } from '../oci/client.ts';
import {
  formatPlatform, isIndexMediaType, MediaType, parsePlatform, selectPlatformManifest,
  type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform,
} from '../oci/manifest.ts';
import { formatImageReference, lowerCaseRepository, parseImageReference, type ImageReference, type RepositoryRef } from '../oci/reference.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { DEFAULT_BASE_IMAGE, imageConfigFor, imageLabels, rfc3339, sourceDateEpoch, sourceFactsFromEnv, type ModelFacts, type SourceFacts } from './config.ts';
import { directoryEntries, layerCacheDir, writeLayer, type Layer } from './layer.ts';
import { modelFacts, openPackageForImage } from './model-facts.ts';
import { writeDockerArchive, writeOciLayout, type BlobSource } from './local-output.ts';
import { runtimeEntries } from './runtime.ts';

/** Where the image goes: a registry, an OCI image layout directory, or a `docker load` tar. */
export type ImageOutput = { kind: 'push' } | { kind: 'oci-layout'; dir: string } | { kind: 'docker-tar'; file: string };

export interface BuildImageOptions {
  /** The model package: a directory (mlship.json + model.onnx …) or its .tar.gz. Verified, then it becomes /model, the last layer. */
  packageDir: string;
  /** Target reference, e.g. ghcr.io/octo-org/iris-model:1.2.0 (required for push; names the image in local outputs). */
  tag: string;
  /** More tags for the same image in the same repository (e.g. `latest`, `1.2`); pushed after `tag`. */
  extraTags?: string[];
  /** Base image (default docker.io/library/node:24-bookworm-slim); must provide Node 24 for every platform. */
  base?: string;
  /** Target platforms (default linux/amd64). More than one → an image index. */
  platforms?: Array<string | Platform>;
  output?: ImageOutput;
  /** The CLI bundle that serves the model (`mlship serve`); default: found beside this code. */
  serverBundle?: string;
  /** A node_modules holding onnxruntime-node (pinned version) with the target platforms' binaries. */
  onnxruntimeNodeModules?: string;
  /** org.opencontainers.image.* values; `created` comes from SOURCE_DATE_EPOCH (else the epoch). */
  source?: Omit<Partial<SourceFacts>, 'created'>;
  /** Extra labels (also written as manifest annotations). */
  labels?: Record<string, string>;
  /** Registry credentials by host; else docker config, then GITHUB_TOKEN for ghcr.io. */
  credentials?: Record<string, RegistryCredentials>;
  /** Registries spoken to over plain HTTP (loopback always is). */
  insecureRegistries?: string[];
  /** Layer and blob cache (default ~/.cache/mlship/image-layers). */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface LayerReport {
  role: string;
  digest: string;
  diffId: string;
  /** Compressed bytes. */
  size: number;
  /** What happened on push: uploaded, already there, mounted from the base repository; `written` for local output. */
  status?: string;
}

export interface PlatformImage {
  platform: string;
  /** Digest of this platform's manifest. */
  digest: string;
  /** Compressed size: config + every layer. */
  size: number;
  layers: LayerReport[];
}

export interface BuildImageResult {
  /** `registry/repo:tag` as normalised. */
  reference: string;
  /** Every tag pushed (the main one first). */
  tags: string[];
  /** Pinned: `registry/repo@sha256:…` (what a Deployment should use). */
  image: string;
  /** Digest of the manifest (one platform) or the image index (several). */
  digest: string;
  mediaType: string;
  /** Compressed bytes of every distinct blob (configs, layers) plus manifests. */
  size: number;
  platforms: PlatformImage[];
  base: { reference: string; digest: string };
  model: ModelFacts;
  output: ImageOutput;
  /** Blobs uploaded vs found in the registry already (push only). */
  uploaded: number;
  reused: number;
}

interface BaseImage {
  ref: ImageReference;
  repo: RepositoryRef;
  manifest: ImageManifest;
  manifestDigest: string;
  config: ImageConfig;
}

/** The CLI bundle to put in the image: option, MLSHIP_SERVER_BUNDLE, `mlship.js` beside this code (the CLI bundle itself, or an action's dist), or the repo's build. */
export function locateServerBundle(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [explicit, env.MLSHIP_SERVER_BUNDLE, join(here, 'mlship.js'), resolve(here, '../../../cli/dist/mlship.js')].filter((c): c is string => !!c);
  for (const c of candidates) if (existsSync(c)) return resolve(c);
  throw new InputError(`The model-server bundle (mlship.js) was not found (looked in ${candidates.join(', ')}): run \`npm run build\`, or pass ${opt('server-bundle')}.`);
}

/**
 * The worker-thread bundles the CLI starts from beside itself (scripts/build.mjs writes each
 * `src/*.worker.ts` as `dist/*.worker.js`): batch scoring's (`mlship predict`) and drift's column
 * reader, and the parallel CSV reader's (evaluate). They go into /app next to mlship.js, or `mlship predict` in the image would score on one thread.
 */
export const CLI_WORKER_BUNDLES = ['predict-score.worker.js', 'drift-read.worker.js', 'table-read.worker.js'] as const;

/** The worker bundles beside `serverBundle` (see CLI_WORKER_BUNDLES); a missing one is an error naming it. */
export function locateWorkerBundles(serverBundle: string): Array<{ name: string; path: string }> {
  return CLI_WORKER_BUNDLES.map((name) => {
    const path = join(dirname(serverBundle), name);
    if (!existsSync(path)) throw new InputError(`${name} is not beside the model-server bundle ${serverBundle}: the image's \`mlship predict\` would have no worker threads. Run \`npm run build\` (it writes both), or put the CLI's ${name} next to the bundle you pass as ${opt('server-bundle')}.`);
    return { name, path };
  });
}

/** Pure: the platforms asked for, parsed and de-duplicated (default linux/amd64). */
export function resolvePlatforms(platforms: Array<string | Platform> | undefined): Platform[] {
  const list = (platforms?.length ? platforms : ['linux/amd64']).map((p) => (typeof p === 'string' ? parsePlatform(p) : p));
  const seen = new Set<string>();
  return list.filter((p) => { const k = formatPlatform(p); if (seen.has(k)) return false; seen.add(k); return true; });
}

/**
 * Builds the model-server image without a Docker daemon and pushes it (or writes it locally):
 * base image (pulled through the registry API) + runtime layer (onnxruntime-node for linux/<arch>)
 * + server layer (/app/mlship.js, /app/package.json) + model layer (/model). Same inputs and
 * SOURCE_DATE_EPOCH → same digest. Blobs already in the target repository are not uploaded again.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
  const pkg = await openPackageForImage(options.packageDir);
  try {
    return await buildImageFrom(options, pkg.dir, modelFacts(pkg.manifest));
  } finally {
    await pkg.cleanup();
  }
}

async function buildImageFrom(options: BuildImageOptions, packageDir: string, model: ModelFacts): Promise<BuildImageResult> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const output = options.output ?? { kind: 'push' };
  const tag = lowerCaseRepository(options.tag);
  if (tag !== options.tag.trim()) logger.info(`image repository lower-cased (registries accept lower-case names only): ${options.tag.trim()} → ${tag}`);
  const target = parseImageReference(tag);
  if (target.digest) throw new InputError(`${opt('tag')} ${options.tag}: give a tag, not a digest (the digest is computed).`);
  const extraTags = [...new Set(options.extraTags ?? [])].filter((t) => t !== target.tag);
  for (const t of extraTags) {
    if (!/^[\w][\w.-]{0,127}$/.test(t)) throw new InputError(`Extra tag "${t}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -).`);
  }
  const platforms = resolvePlatforms(options.platforms);
  if (output.kind === 'docker-tar' && platforms.length > 1) throw new InputError(`A docker-load tar holds one platform: pass a single ${opt('platform')}, or use ${opt('oci-layout')} / ${opt('push')} for several.`);
  const cacheDir = options.cacheDir ?? layerCacheDir(env);
  const mtime = sourceDateEpoch(env);
  const created = rfc3339(mtime);
  const client = new RegistryClient({ credentials: options.credentials, insecureRegistries: options.insecureRegistries, env, logger });
  const serverBundle = locateServerBundle(options.serverBundle, env);
  const workerBundles = locateWorkerBundles(serverBundle);
  if (output.kind === 'push') await client.checkAccess(target, 'pull,push');

  const baseRef = parseImageReference(options.base ?? DEFAULT_BASE_IMAGE);
  logger.info(`base image ${formatImageReference(baseRef)}`);
  const baseTop = await client.getManifest(baseRef);
  const labels = imageLabels(model, sourceFactsFromEnv(options.source, env, created), options.labels);
  const annotations = {
    ...pick(labels, (k) => k.startsWith('org.opencontainers.image.')),
    'org.opencontainers.image.base.name': formatImageReference(baseRef),
    'org.opencontainers.image.base.digest': baseTop.digest,
  };

  // Layers shared by every platform: the server code and the model.
  const serverLayer = await writeLayer('server', `mlship server: ${IMAGE_FILES.bundle}, ${CLI_WORKER_BUNDLES.join(', ')}, ${IMAGE_FILES.packageJson}`, [
    { path: IMAGE_FILES.bundle, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime, content: await readFile(serverBundle) },
    ...await Promise.all(workerBundles.map(async (w) => ({ path: `app/${w.name}`, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, mtime, content: await readFile(w.path) }))),
    { path: IMAGE_FILES.packageJson, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime, content: Buffer.from(SERVER_PACKAGE_JSON) },
  ], { mtime, cacheDir });
  const modelLayer = await writeLayer('model', `model package ${model.name} ${model.version} → /model`, await directoryEntries(packageDir, 'model'), { mtime });

  const built: Array<{ platform: Platform; base: BaseImage; layers: Layer[]; config: Buffer; manifest: Buffer; manifestDigest: string }> = [];
  for (const platform of platforms) {
    const base = await resolveBase(client, baseRef, baseTop, platform);
    const runtime = await runtimeEntries(platform.architecture, { nodeModules: options.onnxruntimeNodeModules, cacheDir, logger });
    const runtimeLayer = await writeLayer('runtime', `onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} (linux/${platform.architecture}) → /app/node_modules`, runtime, { mtime, cacheDir });
    const layers = [runtimeLayer, serverLayer, modelLayer];
    const config = Buffer.from(JSON.stringify(imageConfigFor(base.config, platform, layers, labels, created)));
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: sha256Digest(config), size: config.length },
      layers: [...base.manifest.layers.map(ociLayerDescriptor), ...layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size }))],
      annotations,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    built.push({ platform, base, layers, config, manifest: bytes, manifestDigest: sha256Digest(bytes) });
    logger.info(`linux/${platform.architecture}: manifest ${sha256Digest(bytes)}`);
  }

  const multi = built.length > 1;
  const index: ImageIndex | undefined = multi ? {
    schemaVersion: 2, mediaType: MediaType.ociIndex,
    manifests: built.map((b) => ({ mediaType: MediaType.ociManifest, digest: b.manifestDigest, size: b.manifest.length, platform: b.platform })),
    annotations,
  } : undefined;
  const top = index ? Buffer.from(JSON.stringify(index)) : built[0]!.manifest;
  const topDigest = sha256Digest(top);
  const topMediaType = index ? MediaType.ociIndex : MediaType.ociManifest;

  // Every blob, once, with where to get its bytes.
  const blobs = new Map<string, { size: number; role: string; get: () => Promise<Buffer>; from?: RepositoryRef }>();
  for (const b of built) {
    for (const d of b.base.manifest.layers) {
      if (!blobs.has(d.digest)) blobs.set(d.digest, { size: d.size, role: 'base', from: b.base.repo, get: () => cachedBaseBlob(client, b.base.repo, d.digest, d.size, cacheDir) });
    }
    for (const l of b.layers) blobs.set(l.digest, { size: l.size, role: l.role, get: async () => l.blob! });
    blobs.set(sha256Digest(b.config), { size: b.config.length, role: 'config', get: async () => b.config });
  }
  const status = new Map<string, string>();
  let uploaded = 0;
  let reused = 0;

  if (output.kind === 'push') {
    const knownSources = await readMountSources(cacheDir, target.registry);
    const pushedTo = new Map<string, string>();
    const total = [...blobs.values()].reduce((s, b) => s + b.size, 0);
    let done = 0;
    // Up to PUSH_CONCURRENCY blobs at a time (big layers to a remote registry dominate a cold push).
    await forEachLimit([...blobs], PUSH_CONCURRENCY, async ([digest, blob]) => {
      let result: string | undefined;
      if ((await client.blobSize(target, digest)) !== undefined) result = 'exists';
      else {
        // A cross-repository mount instead of an upload when a repository on the same registry has the
        // blob: the base's repository, or one we pushed it to before (remembered in the cache).
        const sources = [blob.from?.registry === target.registry ? blob.from.repository : undefined, knownSources.get(digest)];
        for (const from of new Set(sources)) {
          if (from && from !== target.repository && await client.mountBlob(target, digest, from)) { result = 'mounted'; break; }
        }
        result ??= await client.pushBlob(target, digest, await blob.get(), { checked: true });
      }
      if (blob.role !== 'config') pushedTo.set(digest, target.repository);
      status.set(digest, result);
      if (result === 'uploaded') uploaded++; else reused++;
      done += blob.size;
      logger.debug(`${blob.role} ${digest.slice(0, 19)} ${result}`);
      logger.progress?.('push', done, total);
    });
    for (const b of built) if (multi) await client.putManifest(target, b.manifestDigest, b.manifest, MediaType.ociManifest);
    await client.putManifest(target, target.tag ?? 'latest', top, topMediaType);
    for (const t of extraTags) await client.putManifest(target, t, top, topMediaType);
    await rememberMountSources(cacheDir, target.registry, pushedTo);
    logger.info(`pushed ${formatImageReference(target)}@${topDigest} (${uploaded} blobs uploaded, ${reused} already there)`);
  } else {
    const source: BlobSource = async (digest) => {
      const b = blobs.get(digest);
      if (b) return b.get();
      const m = built.find((x) => x.manifestDigest === digest);
      if (m) return m.manifest;
      throw new Error(`internal: no bytes for ${digest}`);
    };
    if (output.kind === 'oci-layout') {
      await writeOciLayout(output.dir, { digest: topDigest, mediaType: topMediaType, bytes: top }, [...blobs.keys(), ...(multi ? built.map((b) => b.manifestDigest) : [])], source, formatImageReference(target), logger);
    } else {
      const b = built[0]!;
      const layers = (JSON.parse(b.manifest.toString()) as ImageManifest).layers.map((l) => l.digest);
      await writeDockerArchive(output.file, { config: b.config, layers, manifest: b.manifest }, source, formatImageReference(target), logger);
    }
    for (const d of blobs.keys()) status.set(d, 'written');
  }

  const platformsOut: PlatformImage[] = built.map((b) => {
    const m = JSON.parse(b.manifest.toString()) as ImageManifest;
    const roles = new Map<string, string>(b.layers.map((l) => [l.digest, l.role]));
    const layers = m.layers.map((d, i) => ({
      role: roles.get(d.digest) ?? 'base', digest: d.digest,
      diffId: (JSON.parse(b.config.toString()) as ImageConfig).rootfs.diff_ids[i]!, size: d.size,
      ...(status.has(d.digest) ? { status: status.get(d.digest)! } : {}),
    }));
    return { platform: formatPlatform(b.platform), digest: b.manifestDigest, size: b.config.length + m.layers.reduce((s, l) => s + l.size, 0), layers };
  });
  const size = [...blobs.values()].reduce((s, b) => s + b.size, 0) + top.length + (multi ? built.reduce((s, b) => s + b.manifest.length, 0) : 0);
  return {
    reference: formatImageReference(target),
    tags: [target.tag ?? 'latest', ...(output.kind === 'push' ? extraTags : [])],
    image: `${target.registry}/${target.repository}@${topDigest}`,
    digest: topDigest, mediaType: topMediaType, size, platforms: platformsOut,
    base: { reference: formatImageReference(baseRef), digest: baseTop.digest },
    model, output, uploaded, reused,
  };
}

const PUSH_CONCURRENCY = 3;

/**
 * Which repository of a registry last received a layer (`<cacheDir>/mount-sources.json`), so a new
 * model's image in another repository mounts the runtime and server layers instead of uploading them.
 * A stale entry only costs one refused mount.
 */
async function readMountSources(cacheDir: string, registry: string): Promise<Map<string, string>> {
  try {
    const all = JSON.parse(await readFile(join(cacheDir, 'mount-sources.json'), 'utf8')) as Record<string, Record<string, string>>;
    return new Map(Object.entries(all[registry] ?? {}));
  } catch {
    return new Map();
  }
}

async function rememberMountSources(cacheDir: string, registry: string, pushed: Map<string, string>): Promise<void> {
  const file = join(cacheDir, 'mount-sources.json');
  let all: Record<string, Record<string, string>> = {};
  try { all = JSON.parse(await readFile(file, 'utf8')) as typeof all; } catch { /* first push from this machine */ }
  all[registry] = { ...(all[registry] ?? {}), ...Object.fromEntries(pushed) };
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(all)}\n`);
}

/** Runs `f` over `items` with at most `limit` at once; the first failure rejects (after the running ones settle). */
async function forEachLimit<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try { await f(item); } catch (err) { failed ??= err; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/** Files of the server layer. The bundle is ESM, so a package.json with "type":"module" sits beside it. */
export const IMAGE_FILES = { bundle: 'app/mlship.js', packageJson: 'app/package.json' } as const;
export const SERVER_PACKAGE_JSON = `${JSON.stringify({ name: 'mlship-model-server', private: true, type: 'module' }, null, 2)}\n`;

function pick(o: Record<string, string>, keep: (k: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep(k)));
}

/** Docker's gzip layer type is the same format as OCI's; an OCI manifest names it the OCI way. */
function ociLayerDescriptor(d: Descriptor): Descriptor {
  const mediaType = d.mediaType === MediaType.dockerLayerGzip ? MediaType.ociLayerGzip : d.mediaType;
  return { mediaType, digest: d.digest, size: d.size, ...(d.annotations ? { annotations: d.annotations } : {}) };
}

async function resolveBase(client: RegistryClient, ref: ImageReference, top: Awaited<ReturnType<RegistryClient['getManifest']>>, platform: Platform): Promise<BaseImage> {
  const repo = { registry: ref.registry, repository: ref.repository };
  let manifest: ImageManifest;
  let manifestDigest = top.digest;
  if (isIndexMediaType(top.mediaType)) {
    const entry = selectPlatformManifest(top.manifest as ImageIndex, platform);
    if (!entry) {
      const have = (top.manifest as ImageIndex).manifests.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ');
      throw new InputError(`Base image ${formatImageReference(ref)} has no ${formatPlatform(platform)} variant (it has: ${have}). Pick a multi-platform base or drop that platform.`);
    }
    const fetched = await client.getManifest({ ...repo, digest: entry.digest });
    manifest = fetched.manifest as ImageManifest;
    manifestDigest = fetched.digest;
  } else {
    manifest = top.manifest as ImageManifest;
  }
  const configBytes = await client.getBlob(repo, manifest.config.digest, { size: manifest.config.size });
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
  if (config.os !== platform.os || config.architecture !== platform.architecture) {
    throw new InputError(`Base image ${formatImageReference(ref)} is ${config.os}/${config.architecture}, not ${formatPlatform(platform)}: use a multi-platform base (an image index) or build for ${config.os}/${config.architecture}.`);
  }
  if (config.rootfs.diff_ids.length !== manifest.layers.length) throw new InputError(`Base image ${formatImageReference(ref)}: its config lists ${config.rootfs.diff_ids.length} layers, the manifest ${manifest.layers.length}.`);
  return { ref, repo, manifest, manifestDigest, config };
}

/** Base layers are downloaded once per machine (verified by digest) and kept in the cache. */
async function cachedBaseBlob(client: RegistryClient, repo: RepositoryRef, digest: string, size: number, cacheDir: string): Promise<Buffer> {
  const file = join(cacheDir, 'blobs', digest.replace(':', '-'));
  if (existsSync(file)) {
    const data = await readFile(file);
    if (sha256Digest(data) === digest) return data;
  }
  const data = await client.getBlob(repo, digest, { size });
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, data);
  return data;
}
