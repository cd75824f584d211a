import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readSourceDateEpoch } from '../util/source-date-epoch.ts';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError, MlshipError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { formatPlatform, type Platform } from '../oci/manifest.ts';
import { formatImageReference, parseImageReference } from '../oci/reference.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { runProcess } from '../util/process.ts';
import { DEFAULT_BASE_IMAGE, IMAGE_APP_DIR, IMAGE_MODEL_DIR, IMAGE_PORT, IMAGE_USER, SERVER_ENV, imageLabels, rfc3339, serverEntrypoint, sourceDateEpoch, sourceFactsFromEnv, type SourceFacts } from './config.ts';
import { layerCacheDir } from './layer.ts';
import { modelFacts, openPackageForImage } from './model-facts.ts';
import { CLI_WORKER_BUNDLES, locateServerBundle, locateWorkerBundles, resolvePlatforms, SERVER_PACKAGE_JSON } from './build.ts';
import { runtimeEntries } from './runtime.ts';

/**
 * The Dockerfile equivalent of `buildImage`, for users who want to customise the image or build it
 * with Docker/BuildKit or buildah: same base, same files in the same places, same config. The
 * context holds one `runtime-<arch>/node_modules` per platform and the Dockerfile picks it with
 * BuildKit's automatic TARGETARCH, so one context builds every platform.
 */
export function renderDockerfile(o: { base: string; labels: Record<string, string>; node?: string }): string {
  const node = o.node ?? 'node';
  const q = (s: string) => JSON.stringify(s);
  const probe = `fetch('http://127.0.0.1:'+(process.env.MLSHIP_PORT||${IMAGE_PORT})+'/v2/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return [
    '# syntax=docker/dockerfile:1',
    `# ${CONTEXT_MARKER}: the Dockerfile equivalent of \`mlship image build\`.`,
    '#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/NAME:TAG --push .',
    '#   buildah bud --platform linux/amd64 -t NAME:TAG .',
    `FROM ${o.base}`,
    'ARG TARGETARCH',
    `WORKDIR ${IMAGE_APP_DIR}`,
    '# 1. runtime dependencies: onnxruntime-node for linux/$TARGETARCH only',
    `COPY runtime-\${TARGETARCH}/ ${IMAGE_APP_DIR}/`,
    '# 2. the model server (the mlship CLI bundle, ESM)',
    `COPY mlship.js ${CLI_WORKER_BUNDLES.join(' ')} package.json ${IMAGE_APP_DIR}/`,
    '# 3. the model package, last, so a new model reuses every layer above',
    `COPY model/ ${IMAGE_MODEL_DIR}/`,
    `ENV ${Object.entries(SERVER_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `EXPOSE ${IMAGE_PORT}/tcp`,
    `USER ${IMAGE_USER}`,
    ...Object.entries(o.labels).map(([k, v]) => `LABEL ${k}=${q(v)}`),
    `HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD [${[node, '-e', probe].map(q).join(', ')}]`,
    'STOPSIGNAL SIGTERM',
    `ENTRYPOINT [${serverEntrypoint(node).map(q).join(', ')}]`,
    '',
  ].join('\n');
}

export interface DockerContextOptions {
  packageDir: string;
  /** Folder to write (Dockerfile + context); created, must not hold an older context you want to keep. */
  outDir: string;
  base?: string;
  platforms?: Array<string | Platform>;
  serverBundle?: string;
  onnxruntimeNodeModules?: string;
  source?: Omit<Partial<SourceFacts>, 'created'>;
  labels?: Record<string, string>;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** Writes Dockerfile + build context: runtime-<arch>/node_modules, mlship.js and its worker bundles, package.json, model/. */
export async function writeDockerContext(o: DockerContextOptions): Promise<{ dockerfile: string; contextDir: string; platforms: Platform[] }> {
  const logger = o.logger ?? silentLogger;
  const env = o.env ?? process.env;
  const platforms = resolvePlatforms(o.platforms);
  const pkg = await openPackageForImage(o.packageDir);
  try {
    const labels = imageLabels(modelFacts(pkg.manifest), sourceFactsFromEnv(o.source, env, rfc3339(sourceDateEpoch(env))), o.labels);
    await checkContextDir(o.outDir);
    await mkdir(o.outDir, { recursive: true });
    for (const p of platforms) {
      const root = join(o.outDir, `runtime-${p.architecture}`);
      await rm(root, { recursive: true, force: true });
      for (const e of await runtimeEntries(p.architecture, { nodeModules: o.onnxruntimeNodeModules, cacheDir: o.cacheDir ?? layerCacheDir(env), logger })) {
        if (e.type !== 'file') continue;
        const dest = join(root, e.path.replace(/^app\//, ''));
        await mkdir(dirname(dest), { recursive: true });
        await writeFileAtomic(dest, e.content ?? new Uint8Array(0));
      }
    }
    const serverBundle = locateServerBundle(o.serverBundle, env);
    await writeFileAtomic(join(o.outDir, 'mlship.js'), await readFile(serverBundle));
    for (const w of locateWorkerBundles(serverBundle)) await writeFileAtomic(join(o.outDir, w.name), await readFile(w.path));
    await writeFileAtomic(join(o.outDir, 'package.json'), SERVER_PACKAGE_JSON);
    await rm(join(o.outDir, 'model'), { recursive: true, force: true });
    await cp(pkg.dir, join(o.outDir, 'model'), { recursive: true });
    const dockerfile = join(o.outDir, 'Dockerfile');
    await writeFileAtomic(dockerfile, renderDockerfile({ base: o.base ?? DEFAULT_BASE_IMAGE, labels }));
    logger.info(`wrote ${dockerfile} and its build context (${platforms.map(formatPlatform).join(', ')})`);
    return { dockerfile, contextDir: o.outDir, platforms };
  } finally {
    await pkg.cleanup();
  }
}

const CONTEXT_MARKER = 'Written by `mlship image dockerfile`';

/** The context folder is replaced piece by piece: refuse a non-empty folder that is not an earlier context. */
async function checkContextDir(dir: string): Promise<void> {
  let names: string[];
  try { names = await readdir(dir); } catch { return; }
  if (names.length === 0) return;
  const previous = await readFile(join(dir, 'Dockerfile'), 'utf8').catch(() => '');
  if (!previous.includes(CONTEXT_MARKER)) throw new InputError(`${dir} is not empty and holds no Dockerfile written by mlship: give an empty or new folder for the Docker build context.`);
}

/** Arguments of `docker buildx build` for the generated context (pure, so it is tested without a daemon). */
export function dockerBuildxArgs(o: { contextDir: string; tags: string[]; platforms: Platform[]; push: boolean; metadataFile: string; sourceDateEpoch?: number }): string[] {
  return [
    'buildx', 'build',
    '--file', join(o.contextDir, 'Dockerfile'),
    '--platform', o.platforms.map(formatPlatform).join(','),
    ...o.tags.flatMap((t) => ['--tag', t]),
    // No provenance/SBOM attestations: they add an index entry per platform and change the digest run to run.
    '--provenance=false', '--sbom=false',
    ...(o.sourceDateEpoch !== undefined ? ['--build-arg', `SOURCE_DATE_EPOCH=${o.sourceDateEpoch}`] : []),
    '--metadata-file', o.metadataFile,
    o.push ? '--push' : '--load',
    o.contextDir,
  ];
}

/** The image digest from buildx's --metadata-file JSON (`containerimage.digest`). */
export function parseBuildxMetadata(json: string): { digest?: string; name?: string } {
  const m = JSON.parse(json) as Record<string, unknown>;
  const digest = typeof m['containerimage.digest'] === 'string' ? m['containerimage.digest'] : undefined;
  const name = typeof m['image.name'] === 'string' ? m['image.name'] : undefined;
  return { ...(digest ? { digest } : {}), ...(name ? { name } : {}) };
}

/**
 * The `builder: docker` path: writes the context, runs `docker buildx build` (a daemon with buildx
 * must be there), reads the digest from the metadata file. Credentials are docker's own (docker login).
 */
export async function buildImageWithDocker(o: DockerContextOptions & { tag: string; extraTags?: string[]; push: boolean }): Promise<{ reference: string; digest?: string; image?: string }> {
  const logger = o.logger ?? silentLogger;
  const env = o.env ?? process.env;
  const ref = parseImageReference(o.tag);
  const ctx = await writeDockerContext(o);
  const meta = join(await mkdtemp(join(tmpdir(), 'mlship-buildx-')), 'metadata.json');
  const epoch = readSourceDateEpoch(env);
  const tags = [o.tag, ...(o.extraTags ?? []).map((t) => `${ref.registry}/${ref.repository}:${t}`)];
  const args = dockerBuildxArgs({ contextDir: ctx.contextDir, tags, platforms: ctx.platforms, push: o.push, metadataFile: meta, ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}) });
  const res = await runProcess('docker', args, { env, logger, streamStderr: true }).catch((err: Error) => {
    throw new MlshipError(`builder: docker needs the docker CLI with buildx and a running daemon (${err.message}); use the default builder (no daemon) instead.`);
  });
  if (res.code !== 0) throw new MlshipError(`docker buildx build failed (exit ${res.code}):\n${res.stderr.slice(-2000)}`);
  const { digest } = parseBuildxMetadata(await readFile(meta, 'utf8'));
  await rm(dirname(meta), { recursive: true, force: true });
  return { reference: formatImageReference(ref), ...(digest ? { digest, image: `${ref.registry}/${ref.repository}@${digest}` } : {}) };
}
