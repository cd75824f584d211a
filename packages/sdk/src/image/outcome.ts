import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, opt } from '../errors.ts';
import { buildImage, type BuildImageOptions, type BuildImageResult, type ImageOutput } from './build.ts';
import { buildImageWithDocker } from './dockerfile.ts';

/** Which builder makes the image: mlship's own (no daemon; default) or `docker buildx build`. */
export type ImageBuilder = 'mlship' | 'docker';

export interface ImageBuildOutcome {
  builder: ImageBuilder;
  /** `registry/repo:tag`. */
  reference: string;
  /** `registry/repo@sha256:…` when the digest is known. */
  image?: string;
  digest?: string;
  /** Full report (mlship builder). */
  result?: BuildImageResult;
}

/**
 * Where the image goes, from the caller's three options: an OCI layout folder or a docker-load tar
 * when one is named (not both), else the registry — unless `push` is false, which with no local
 * output leaves nowhere to put it.
 */
export function chooseImageOutput(o: { push?: boolean; ociLayout?: string; dockerTar?: string }): ImageOutput {
  if (o.ociLayout && o.dockerTar) throw new InputError(`choose one of ${opt('oci-layout')} and ${opt('docker-tar')}: the image is written to one place.`);
  if (o.ociLayout) return { kind: 'oci-layout', dir: o.ociLayout };
  if (o.dockerTar) return { kind: 'docker-tar', file: o.dockerTar };
  if (o.push === false) throw new InputError(`${opt('push')} is false but neither ${opt('oci-layout')} nor ${opt('docker-tar')} is set: say where the image should go.`);
  return { kind: 'push' };
}

/**
 * Image labels from `KEY=VALUE` items (one per line or flag; a value may hold `=` and commas). Blank
 * items are skipped; an item without a key is an InputError naming option `key`.
 */
export function parseLabels(items: readonly string[] | undefined, key = 'labels'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of (items ?? []).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InputError(`${opt(key)}: "${item}" is not KEY=VALUE.`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}

/** The builder named by the caller: `mlship` (default) or `docker`. */
export function parseImageBuilder(text: string | undefined): ImageBuilder {
  if (text === undefined || text === '' || text === 'mlship' || text === 'docker') return (text || 'mlship') as ImageBuilder;
  throw new InputError(`${opt('builder')} must be "mlship" or "docker", got "${text}".`);
}

/**
 * Builds with the chosen builder. `docker` writes the Dockerfile context and runs buildx (push, or
 * --load into the daemon); it supports push only as its output (OCI layout/docker tar are the mlship
 * builder's).
 */
export async function buildModelImage(options: BuildImageOptions & { builder?: ImageBuilder; dockerContextDir?: string }): Promise<ImageBuildOutcome> {
  const builder = options.builder ?? 'mlship';
  if (builder === 'mlship') {
    const result = await buildImage(options);
    return { builder, reference: result.reference, image: result.image, digest: result.digest, result };
  }
  if (builder !== 'docker') throw new InputError(`builder must be "mlship" or "docker", got "${String(builder)}".`);
  if (options.output && options.output.kind !== 'push') throw new InputError('builder: docker pushes to a registry only; use the default builder for an OCI layout or a docker tar.');
  const outDir = options.dockerContextDir ?? (await mkdtemp(join(tmpdir(), 'mlship-docker-context-')));
  const res = await buildImageWithDocker({ ...options, outDir, push: true });
  return { builder, reference: res.reference, ...(res.image ? { image: res.image } : {}), ...(res.digest ? { digest: res.digest } : {}) };
}

/** Decimal units, as registries and `docker images` report sizes. */
function mb(bytes: number): string {
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The layers as one line each: `role digest size`, for the action output and CLI. */
export function layersOutput(result: BuildImageResult): string {
  return result.platforms.flatMap((p) => p.layers.map((l) => `${p.platform} ${l.role} ${l.digest} ${l.size}`)).join('\n');
}

/** Job summary / CLI report: what was built, where it went, each layer with its size and push status. */
export function imageSummaryMarkdown(outcome: ImageBuildOutcome): string {
  const r = outcome.result;
  const lines = ['### Model-server image', ''];
  if (!r) {
    lines.push(`Built with \`docker buildx build\`: \`${outcome.reference}\`${outcome.digest ? ` → \`${outcome.digest}\`` : ''}.`);
    return `${lines.join('\n')}\n`;
  }
  const where = r.output.kind === 'push' ? `pushed \`${r.image}\`` : r.output.kind === 'oci-layout' ? `OCI layout \`${r.output.dir}\`` : `docker-load tar \`${r.output.file}\``;
  lines.push(
    `**${r.model.name} ${r.model.version}** — ${where}`,
    '',
    '| | |',
    '|---|---|',
    `| reference | \`${r.reference}\` |`,
    ...(r.tags.length > 1 ? [`| tags | ${r.tags.map((t) => `\`${t}\``).join(', ')} |`] : []),
    `| digest | \`${r.digest}\` |`,
    `| platforms | ${r.platforms.map((p) => p.platform).join(', ')} |`,
    `| compressed size | ${mb(r.size)} |`,
    `| base | \`${r.base.reference}\` (\`${r.base.digest.slice(0, 19)}…\`) |`,
    ...(r.output.kind === 'push' ? [`| blobs uploaded / already there | ${r.uploaded} / ${r.reused} |`] : []),
    '',
  );
  for (const p of r.platforms) {
    lines.push(`**${p.platform}** \`${p.digest.slice(0, 19)}…\` ${mb(p.size)}`, '', '| layer | digest | size | push |', '|---|---|---:|---|');
    for (const l of p.layers) lines.push(`| ${l.role} | \`${l.digest.slice(7, 19)}\` | ${mb(l.size)} | ${l.status ?? ''} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
