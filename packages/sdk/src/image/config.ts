import { DEFAULTS } from '../defaults.ts';
import { readSourceDateEpoch } from '../util/source-date-epoch.ts';
import type { ImageConfig, Platform } from '../oci/manifest.ts';
import type { Layer } from './layer.ts';

/** Where things live in the model-server image. */
export const IMAGE_APP_DIR = '/app';
export const IMAGE_MODEL_DIR = '/model';
export const IMAGE_PORT = 8080;
/** The conventional "nonroot" uid/gid of distroless images; numeric so Kubernetes' runAsNonRoot can verify it. */
export const IMAGE_USER = '65532:65532';
export const DEFAULT_BASE_IMAGE: string = DEFAULTS.image.base;

/** Facts about the model that go into labels and annotations. */
export interface ModelFacts {
  name: string;
  version: string;
  /** sha256 hex of the ONNX file. */
  sha256: string;
  /** Scalar metrics from the package (accuracy, f1, rmse…); non-numbers are ignored. */
  metrics?: Record<string, unknown>;
}

/** Source facts for org.opencontainers.image.* (OCI image spec, annotations.md). */
export interface SourceFacts {
  /** URL of the source repository, e.g. https://github.com/octo-org/ml-repo. */
  source?: string;
  /** Commit SHA. */
  revision?: string;
  /** Image version (defaults to the model version). */
  version?: string;
  /** RFC 3339 creation time (from SOURCE_DATE_EPOCH, else 1970-01-01T00:00:00Z). */
  created: string;
  title?: string;
  description?: string;
}

/**
 * Source facts from the environment when the caller gave none: on GitHub Actions the repository URL
 * (GITHUB_SERVER_URL/GITHUB_REPOSITORY) and the commit (GITHUB_SHA). Unknown values stay absent.
 */
export function sourceFactsFromEnv(given: Omit<Partial<SourceFacts>, 'created'> | undefined, env: NodeJS.ProcessEnv, created: string): SourceFacts {
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Partial<SourceFacts>;
  const source = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined;
  return { ...(source ? { source } : {}), ...(env.GITHUB_SHA ? { revision: env.GITHUB_SHA } : {}), ...defined, created };
}

/** `SOURCE_DATE_EPOCH` (reproducible-builds.org) as seconds, else 0. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number {
  return readSourceDateEpoch(env) ?? 0;
}

export function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * Labels (image config) and annotations (manifest): the org.opencontainers.image.* keys plus
 * io.mlship.model.{name,version,sha256} and io.mlship.model.metric.<name> for each numeric metric
 * (top level of the package's metrics, or of its `metrics` object).
 */
export function imageLabels(model: ModelFacts, src: SourceFacts, extra: Record<string, string> = {}): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': src.created,
    'org.opencontainers.image.title': src.title ?? `${model.name} model server`,
    'org.opencontainers.image.description': src.description ?? `mlship model server for ${model.name} ${model.version} (ONNX, Open Inference Protocol v2 on port ${IMAGE_PORT})`,
    'org.opencontainers.image.version': src.version ?? model.version,
    ...(src.source ? { 'org.opencontainers.image.source': src.source } : {}),
    ...(src.revision ? { 'org.opencontainers.image.revision': src.revision } : {}),
    'io.mlship.model.name': model.name,
    'io.mlship.model.version': model.version,
    'io.mlship.model.sha256': model.sha256,
  };
  for (const [name, value] of Object.entries(flatMetrics(model.metrics))) labels[`io.mlship.model.metric.${name}`] = String(value);
  return sortKeys({ ...labels, ...extra });
}

/** Numeric scalar metrics, one level deep (`{accuracy: 0.97}` or `{metrics: {accuracy: 0.97}}`). */
export function flatMetrics(metrics: Record<string, unknown> | undefined): Record<string, number> {
  if (!metrics) return {};
  const source = typeof metrics.metrics === 'object' && metrics.metrics !== null ? metrics.metrics as Record<string, unknown> : metrics;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'number' && Number.isFinite(v) && /^[A-Za-z0-9_.-]+$/.test(k)) out[k] = v;
  }
  return out;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Our environment, merged over the base's (same name: ours wins; order: base's, then new ones). */
export function mergeEnv(base: readonly string[] | undefined, ours: Record<string, string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const kv of base ?? []) {
    const name = kv.split('=')[0]!;
    if (name in ours) { out.push(`${name}=${ours[name]}`); seen.add(name); } else out.push(kv);
  }
  for (const [k, v] of Object.entries(ours)) if (!seen.has(k)) out.push(`${k}=${v}`);
  return out;
}

export const SERVER_ENV: Record<string, string> = { MLSHIP_HOST: '0.0.0.0', MLSHIP_PORT: String(IMAGE_PORT), NODE_ENV: 'production' };

/**
 * The node executable to run: the base's own when its entrypoint is a node binary (distroless:
 * /nodejs/bin/node), else `node` from PATH (official node images: /usr/local/bin/node).
 */
export function nodeExecutable(base: ImageConfig): string {
  const first = base.config?.Entrypoint?.[0];
  return first && /(^|\/)node(js)?$/.test(first) && first.startsWith('/') ? first : 'node';
}

export function serverEntrypoint(node: string): string[] {
  return [node, `${IMAGE_APP_DIR}/mlship.js`, 'serve', IMAGE_MODEL_DIR];
}

/**
 * The image config: the base's, with our layers appended to rootfs and history, and the server's
 * runtime settings (entrypoint, env, port, non-root user, working dir, labels, a Docker HEALTHCHECK
 * that asks the readiness endpoint — Kubernetes ignores it and uses the probes deploy-k8s writes).
 */
export function imageConfigFor(base: ImageConfig, platform: Platform, layers: readonly Layer[], labels: Record<string, string>, created: string): ImageConfig {
  const node = nodeExecutable(base);
  const probe = `fetch('http://127.0.0.1:'+(process.env.MLSHIP_PORT||${IMAGE_PORT})+'/v2/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {
      ...base.config,
      User: IMAGE_USER,
      ExposedPorts: { ...(base.config?.ExposedPorts ?? {}), [`${IMAGE_PORT}/tcp`]: {} },
      Env: mergeEnv(base.config?.Env, SERVER_ENV),
      Entrypoint: serverEntrypoint(node),
      Cmd: null,
      WorkingDir: IMAGE_APP_DIR,
      Labels: { ...(base.config?.Labels ?? {}), ...labels },
      StopSignal: 'SIGTERM',
      Healthcheck: { Test: ['CMD', node, '-e', probe], Interval: 10_000_000_000, Timeout: 3_000_000_000, StartPeriod: 5_000_000_000, Retries: 3 },
    },
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, ...layers.map((l) => l.diffId)] },
    history: [...(base.history ?? []), ...layers.map((l) => ({ created, created_by: l.createdBy, comment: `mlship: ${l.role} layer` }))],
  };
}
