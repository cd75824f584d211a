import { InputError } from '../errors.ts';

/**
 * An image reference, normalised the way Docker and containerd do (github.com/distribution/reference,
 * `ParseNormalizedNamed`):
 *  - no registry part → `docker.io`, and a single-component name gets `library/` (`node` → `docker.io/library/node`);
 *  - the first path component is a registry when it contains `.` or `:` or is `localhost`
 *    (`ghcr.io/o/m`, `localhost:5000/m`, `127.0.0.1:5000/m`); `index.docker.io` is `docker.io`;
 *  - `name:tag`, `name@sha256:…` or both (`name:tag@sha256:…`, the digest wins when pulling);
 *    neither → tag `latest`.
 */
export interface ImageReference {
  /** Registry host[:port] as written, normalised (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Repository path inside the registry (`library/node`, `octo-org/iris-model`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** The part of a reference that names a repository: where blobs and manifests live. */
export type RepositoryRef = Pick<ImageReference, 'registry' | 'repository'>;

export const DOCKER_HUB = 'docker.io';
/** The host Docker Hub's registry API answers on. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

// Grammar from distribution/reference (regexp.go).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

/** Parses `[registry/]path[:tag][@digest]`; throws an InputError that says what part is wrong. */
export function parseImageReference(text: string): ImageReference {
  const input = text.trim();
  if (input === '') throw new InputError('Image reference is empty: expected e.g. ghcr.io/owner/model:1.0.');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InputError(`Image reference "${input}": "${digest}" is not a digest (expected sha256:<64 hex>).`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new InputError(`Image reference "${input}": a sha256 digest has 64 lowercase hex digits, got "${digest}".`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InputError(`Image reference "${input}": tag "${tag}" is not valid (letters, digits, _ . -, at most 128, not starting with . or -).`);
  }
  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
      registry = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(registry)) throw new InputError(`Image reference "${input}": "${registry}" is not a valid registry host[:port].`);
    }
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (path === '') throw new InputError(`Image reference "${input}" has no repository name.`);
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      const hint = /[A-Z]/.test(component) ? ' (repository names must be lowercase)' : '';
      throw new InputError(`Image reference "${input}": path component "${component}" is not valid${hint}.`);
    }
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path.length > 255) throw new InputError(`Image reference "${input}": the repository name is longer than 255 characters.`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { registry, repository: path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * `text` with its repository path lower-cased; the registry host, the tag and the digest are kept.
 * Registries accept lower-case repository names only, while GitHub keeps the case of owners and
 * repositories (`ghcr.io/${{ github.repository }}/model` is `ghcr.io/Octo-Org/…`), and workflow
 * expressions have no lower() — so the image builder lower-cases the path and says so. Pure.
 */
export function lowerCaseRepository(text: string): string {
  const input = text.trim();
  const at = input.indexOf('@');
  const name = at >= 0 ? input.slice(0, at) : input;
  const digest = at >= 0 ? input.slice(at) : '';
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const repo = colon > lastSlash ? name.slice(0, colon) : name;
  const tag = colon > lastSlash ? name.slice(colon) : '';
  const slash = repo.indexOf('/');
  const first = slash >= 0 ? repo.slice(0, slash) : '';
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
  const lowered = hasRegistry ? `${first}/${repo.slice(slash + 1).toLowerCase()}` : repo.toLowerCase();
  return `${lowered}${tag}${digest}`;
}

/** The canonical string form: `registry/repository[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What to ask a registry for: the digest when there is one (immutable), else the tag. */
export function referenceSelector(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/**
 * The registry a reference names, normalised: `myorg/model` and `node` → `docker.io`, `ghcr.io/o/m` →
 * `ghcr.io`. The one parser of registry hosts: credentials are keyed by it and the client asks for it.
 * A repository with capitals (`ghcr.io/Octo-Org/m`, as build-image lower-cases it) names the same host.
 */
export function registryOf(reference: string): string {
  return parseImageReference(lowerCaseRepository(reference)).registry;
}

/**
 * A registry as people key credentials (docker's config.json, a credentials map): `https://index.docker.io/v1/`,
 * `index.docker.io`, `registry-1.docker.io` and `docker.io` are all Docker Hub (`docker.io`); a scheme
 * and path are dropped (`https://ghcr.io/` → `ghcr.io`).
 */
export function normalizeRegistryKey(key: string): string {
  const host = key.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === 'index.docker.io' || host === DOCKER_HUB_API_HOST ? DOCKER_HUB : host;
}

/** The host the registry API answers on (Docker Hub's API is not at docker.io). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/**
 * Registries spoken to over plain HTTP by default: loopback only (a local test or CI service
 * registry). Anything else is HTTPS unless the caller lists it as insecure.
 */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0]!;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
