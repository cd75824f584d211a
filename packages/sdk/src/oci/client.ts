import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, MlshipError } from '../errors.ts';
import { sha256 } from '../util/hash.ts';
import { silentLogger, type Logger } from '../log.ts';
import { credentialsEntry, parseWwwAuthenticate, resolveCredentials, type RegistryCredentials } from './auth.ts';
import { MANIFEST_ACCEPT, type ImageIndex, type ImageManifest, isIndexMediaType } from './manifest.ts';
import { formatImageReference, isLoopbackRegistry, referenceSelector, registryApiHost, type ImageReference, type RepositoryRef } from './reference.ts';

/**
 * The one OCI Distribution (registry HTTP API v2) client of the SDK: blobs (HEAD, GET with digest
 * check, monolithic POST+PUT upload, cross-repository mount), manifests (GET with digest check, PUT),
 * anonymous, Basic and Bearer-token auth, and retries with exponential backoff.
 *
 * Transport: Node's global `fetch` (undici). Every body we send is already in memory (a gzip layer, a
 * manifest), so fetch's Buffer bodies give exact Content-Length uploads without streaming plumbing;
 * it follows blob redirects to storage back-ends and drops `Authorization` on cross-origin redirects
 * (the Fetch standard), which a hand-rolled node:http client would have to re-implement.
 *
 * Retries: a 5xx, 429 or a network failure (connection reset, socket closed mid-upload) repeats the
 * whole step — HEAD/GET/manifest PUT are idempotent, and a blob upload restarts from a fresh upload
 * session (content-addressed, so a repeat cannot change what is stored).
 */
export interface RegistryClientOptions {
  /** Credentials per registry host (`ghcr.io`); else resolved from docker config / GITHUB_TOKEN. */
  credentials?: Record<string, RegistryCredentials>;
  /** Registries reached over plain HTTP (loopback hosts always are). */
  insecureRegistries?: string[];
  dockerConfigPath?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Attempts per step, first included (default 5). */
  attempts?: number;
  /** First backoff delay in ms, doubled each retry with ±25% jitter (default 200). */
  backoffMs?: number;
  /** Give up on one HTTP request after this long (default 10 minutes; a timeout is retried like a reset). */
  requestTimeoutMs?: number;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  /** The exact bytes the registry served: their sha256 is the digest. */
  bytes: Buffer;
  manifest: ImageManifest | ImageIndex;
}

export type BlobPushResult = 'exists' | 'mounted' | 'uploaded';

/** An HTTP answer the client could not use: the status, the registry's error codes, what to do. */
export class RegistryError extends MlshipError {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message, 2);
    this.status = status;
  }
}

class RetryableError extends Error {}

interface RegistryState {
  credentials?: Promise<RegistryCredentials | undefined>;
  scheme?: 'basic' | 'bearer';
  challenge?: Record<string, string>;
  tokens: Map<string, string>;
}

/** Largest manifest read: 4 MiB, the limit the OCI distribution spec asks registries to accept. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A response body, refused (InputError, not retried) once it is longer than `max` bytes. */
async function readBounded(res: Response, max: number | undefined, what: string): Promise<Buffer> {
  if (max === undefined) return Buffer.from(await res.arrayBuffer());
  if (!Number.isSafeInteger(max) || max < 0) { await res.body?.cancel(); throw new InputError(`${what}: its descriptor's size is not a non-negative whole number; the manifest is malformed.`); }
  const tooLong = () => new InputError(`${what} is larger than the ${max} bytes its descriptor allows; refusing it (the registry or the manifest is wrong).`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) { await res.body?.cancel(); throw tooLong(); }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > max) { await res.body.cancel().catch(() => {}); throw tooLong(); }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks, total);
}

/** An OCI content digest: `sha256:` + the hex SHA-256 of the bytes. */
export function sha256Digest(data: Uint8Array): string {
  return `sha256:${sha256(data)}`;
}

/** The registry's error body (`{"errors":[{"code","message"}]}`) as one short line. */
export function describeRegistryErrors(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    if (parsed.errors?.length) return parsed.errors.map((e) => `${e.code ?? 'ERROR'}: ${e.message ?? ''}`.trim()).join('; ');
  } catch { /* not JSON */ }
  return body.trim().slice(0, 200);
}

export class RegistryClient {
  readonly #options: RegistryClientOptions;
  readonly #logger: Logger;
  readonly #state = new Map<string, RegistryState>();

  constructor(options: RegistryClientOptions = {}) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The blob's size if the repository has it (HEAD), else undefined. */
  async blobSize(repo: RepositoryRef, digest: string): Promise<number | undefined> {
    return this.#retry(`HEAD blob ${digest.slice(0, 19)}`, async () => {
      const res = await this.#send(repo, 'pull', 'HEAD', `/blobs/${digest}`);
      if (res.status === 404) return undefined;
      await this.#expect(res, [200], `checking blob ${digest} in ${repo.registry}/${repo.repository}`);
      const len = res.headers.get('content-length');
      return len === null ? 0 : Number(len);
    });
  }

  /**
   * Downloads a blob and checks its sha256 against the digest. `size` (the descriptor's) bounds what is
   * read: a registry that sends more is refused as soon as it does, so a hostile or broken registry
   * cannot fill memory.
   */
  async getBlob(repo: RepositoryRef, digest: string, options: { size?: number } = {}): Promise<Buffer> {
    return this.#retry(`GET blob ${digest.slice(0, 19)}`, async () => {
      const res = await this.#send(repo, 'pull', 'GET', `/blobs/${digest}`);
      await this.#expect(res, [200], `downloading blob ${digest} from ${repo.registry}/${repo.repository}`);
      const data = await readBounded(res, options.size, `blob ${digest} from ${repo.registry}/${repo.repository}`);
      const actual = sha256Digest(data);
      // A truncated or corrupted transfer is retried; a registry serving wrong content repeatedly fails.
      if (actual !== digest) throw new RetryableError(`blob ${digest} from ${repo.registry}/${repo.repository} has digest ${actual}: the download is corrupt`);
      return data;
    });
  }

  /**
   * Makes `repo` hold the blob: nothing if it is there already (HEAD first, unless the caller has just
   * checked: `checked: true`), a cross-repository mount when `mountFrom` (a repository on the same
   * registry) has it, else a monolithic upload (POST for a session, PUT with `?digest=` and the bytes).
   */
  async pushBlob(repo: RepositoryRef, digest: string, data: Uint8Array, options: { mountFrom?: string; checked?: boolean } = {}): Promise<BlobPushResult> {
    if (!options.checked && (await this.blobSize(repo, digest)) !== undefined) return 'exists';
    if (options.mountFrom && options.mountFrom !== repo.repository && (await this.mountBlob(repo, digest, options.mountFrom))) return 'mounted';
    return this.#retry<BlobPushResult>(`upload blob ${digest.slice(0, 19)}`, async () => {
      const where = `${repo.registry}/${repo.repository}`;
      const start = await this.#send(repo, 'pull,push', 'POST', '/blobs/uploads/', { headers: { 'content-length': '0' } });
      await this.#expect(start, [202], `starting a blob upload to ${where}`);
      const url = this.#uploadUrl(repo, start, digest);
      const put = await this.#send(repo, 'pull,push', 'PUT', url, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.byteLength) },
        body: data,
      });
      await this.#expect(put, [201, 204], `uploading blob ${digest} (${data.byteLength} bytes) to ${where}`);
      return 'uploaded';
    });
  }

  /**
   * Cross-repository mount (`POST /v2/<repo>/blobs/uploads/?mount=<digest>&from=<other>`): true when the
   * registry linked the blob (201). A registry that cannot or may not mount opens an upload session
   * instead (202); that session is cancelled and the answer is false, so the caller uploads.
   */
  async mountBlob(repo: RepositoryRef, digest: string, from: string): Promise<boolean> {
    return this.#retry(`mount blob ${digest.slice(0, 19)}`, async () => {
      const query = `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
      const res = await this.#send(repo, 'pull,push', 'POST', `/blobs/uploads/${query}`, { headers: { 'content-length': '0' }, extraScope: `repository:${from}:pull` });
      if (res.status === 201) { await res.body?.cancel(); return true; }
      await this.#expect(res, [202], `mounting blob ${digest} from ${from} into ${repo.registry}/${repo.repository}`);
      const location = res.headers.get('location');
      if (location) {
        const cancel = await this.#send(repo, 'pull,push', 'DELETE', new URL(location, this.#baseUrl(repo.registry))).catch(() => undefined);
        await cancel?.body?.cancel();
      }
      return false;
    });
  }

  #uploadUrl(repo: RepositoryRef, start: Response, digest: string): URL {
    const location = start.headers.get('location');
    if (!location) throw new RegistryError(`${repo.registry} accepted a blob upload to ${repo.repository} but sent no Location header.`, 202);
    const url = new URL(location, this.#baseUrl(repo.registry));
    url.searchParams.set('digest', digest);
    return url;
  }

  /** Fetches a manifest or index by tag or digest; checks the bytes against the digest asked for and the one the registry names. */
  async getManifest(ref: ImageReference): Promise<FetchedManifest> {
    const selector = referenceSelector(ref);
    return this.#retry(`GET manifest ${selector}`, async () => {
      const res = await this.#send(ref, 'pull', 'GET', `/manifests/${selector}`, { headers: { accept: MANIFEST_ACCEPT.join(', ') } });
      if (res.status === 404) {
        await res.body?.cancel();
        throw new InputError(`Image ${formatImageReference(ref)} was not found in ${ref.registry} (HTTP 404): check the repository name and tag.`);
      }
      await this.#expect(res, [200], `fetching manifest ${formatImageReference(ref)}`);
      const bytes = await readBounded(res, MAX_MANIFEST_BYTES, `manifest ${formatImageReference(ref)}`);
      const digest = sha256Digest(bytes);
      if (ref.digest && ref.digest !== digest) throw new RetryableError(`manifest ${formatImageReference(ref)} has digest ${digest}, not the ${ref.digest} asked for`);
      const named = res.headers.get('docker-content-digest');
      if (named?.startsWith('sha256:') && named !== digest) throw new RetryableError(`manifest ${formatImageReference(ref)}: registry says ${named}, content hashes to ${digest}`);
      let manifest: ImageManifest | ImageIndex;
      try { manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex; } catch {
        throw new RegistryError(`Manifest ${formatImageReference(ref)} is not JSON.`, 200);
      }
      const header = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const mediaType = manifest.mediaType ?? (header || ('manifests' in manifest ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json'));
      if (manifest.schemaVersion !== 2) throw new InputError(`Image ${formatImageReference(ref)} uses manifest schema ${String(manifest.schemaVersion)}; only schema 2 (OCI or Docker v2) is supported.`);
      return { mediaType, digest, bytes, manifest };
    });
  }

  /** Uploads a manifest or index under a tag or its digest; returns its digest. */
  async putManifest(repo: RepositoryRef, selector: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    return this.#retry(`PUT manifest ${selector}`, async () => {
      const res = await this.#send(repo, 'pull,push', 'PUT', `/manifests/${selector}`, { headers: { 'content-type': mediaType }, body: bytes });
      await this.#expect(res, [201, 200, 204], `pushing ${isIndexMediaType(mediaType) ? 'image index' : 'manifest'} ${repo.registry}/${repo.repository}:${selector}`);
      const named = res.headers.get('docker-content-digest');
      if (named && named !== digest) this.#logger.warn(`${repo.registry} reports manifest digest ${named}, expected ${digest}`);
      return digest;
    });
  }

  /**
   * Checks early that we may push to (or pull from) a repository: gets a token for the scope, or makes
   * an authenticated `GET /v2/`. Bad credentials fail here with a clear message instead of mid-push.
   */
  async checkAccess(repo: RepositoryRef, actions: 'pull' | 'pull,push'): Promise<void> {
    await this.#retry(`GET ${this.#baseUrl(repo.registry)}/v2/`, async () => {
      const res = await this.#send(repo, actions, 'GET', new URL('/v2/', this.#baseUrl(repo.registry)));
      await this.#expect(res, [200], `connecting to ${repo.registry}`);
    });
  }

  #baseUrl(registry: string): string {
    const plain = isLoopbackRegistry(registry) || (this.#options.insecureRegistries ?? []).includes(registry);
    return `${plain ? 'http' : 'https'}://${registryApiHost(registry)}`;
  }

  #registry(registry: string): RegistryState {
    let s = this.#state.get(registry);
    if (!s) { s = { tokens: new Map() }; this.#state.set(registry, s); }
    return s;
  }

  #credentials(registry: string): Promise<RegistryCredentials | undefined> {
    const s = this.#registry(registry);
    s.credentials ??= resolveCredentials(registry, {
      credentials: credentialsEntry(this.#options.credentials, registry),
      dockerConfigPath: this.#options.dockerConfigPath,
      env: this.#options.env,
      logger: this.#logger,
    });
    return s.credentials;
  }

  async #authorization(repo: RepositoryRef, actions: string, extraScope?: string): Promise<string | undefined> {
    const s = this.#registry(repo.registry);
    if (s.scheme === 'basic') {
      const c = await this.#credentials(repo.registry);
      return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
    }
    if (s.scheme === 'bearer') {
      const scopes = [`repository:${repo.repository}:${actions}`, ...(extraScope ? [extraScope] : [])];
      const key = scopes.join(' ');
      let token = s.tokens.get(key);
      if (!token) { token = await this.#fetchToken(repo.registry, s.challenge ?? {}, scopes); s.tokens.set(key, token); }
      return `Bearer ${token}`;
    }
    return undefined;
  }

  /** The Docker token flow: GET realm?service=…&scope=…, with Basic credentials when we have them. */
  async #fetchToken(registry: string, challenge: Record<string, string>, scopes: string[]): Promise<string> {
    const scope = scopes.join(' ');
    const realm = challenge.realm;
    if (!realm) throw new RegistryError(`${registry} asked for a Bearer token but named no realm in WWW-Authenticate.`, 401);
    const url = new URL(realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const sc of scopes) url.searchParams.append('scope', sc);
    const creds = await this.#credentials(registry);
    const headers: Record<string, string> = {};
    if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    return this.#retry(`token ${registry}`, async () => {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.#options.requestTimeoutMs ?? 600_000) });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new InputError(creds
          ? `${registry} rejected the credentials of user "${creds.username}" for ${scope} (HTTP ${res.status}): check the username and password/token (for ghcr.io the token needs packages:write), or run \`docker login ${registry}\`.`
          : `${registry} refused an anonymous token for ${scope} (HTTP ${res.status}): give registry credentials (username/password inputs, \`docker login ${registry}\`, or GITHUB_TOKEN for ghcr.io).`);
      }
      if (res.status >= 500 || res.status === 429) { await res.body?.cancel(); throw new RetryableError(`token endpoint ${url.host} answered HTTP ${res.status}`); }
      if (res.status !== 200) throw new RegistryError(`Token endpoint ${url.host} answered HTTP ${res.status}: ${describeRegistryErrors(await res.text())}`, res.status);
      const body = (await res.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (!token) throw new RegistryError(`Token endpoint ${url.host} returned no token.`, 200);
      return token;
    });
  }

  /** One request to `/v2/<repo>…` (or an absolute upload URL) with auth; answers a 401 challenge once. */
  async #send(repo: RepositoryRef, actions: string, method: string, path: string | URL, init: { headers?: Record<string, string>; body?: Uint8Array; extraScope?: string } = {}): Promise<Response> {
    const url = typeof path === 'string' ? new URL(`/v2/${repo.repository}${path}`, this.#baseUrl(repo.registry)) : path;
    for (let round = 0; ; round++) {
      const headers: Record<string, string> = { 'user-agent': 'mlship', ...init.headers };
      const auth = await this.#authorization(repo, actions, init.extraScope);
      if (auth) headers.authorization = auth;
      const res = await fetch(url, { method, headers, body: init.body, redirect: 'follow', signal: AbortSignal.timeout(this.#options.requestTimeoutMs ?? 600_000) });
      this.#logger.debug(`${method} ${url.pathname} → ${res.status}`);
      if (res.status !== 401 || round > 0) return res;
      const s = this.#registry(repo.registry);
      const challenge = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '').find((c) => c.scheme === 'bearer' || c.scheme === 'basic');
      await res.body?.cancel();
      if (!challenge) return res;
      if (challenge.scheme === 'basic') {
        if (s.scheme === 'basic' || !(await this.#credentials(repo.registry))) return res;
        s.scheme = 'basic';
      } else {
        // A cached token was refused (expired, or too narrow): fetch a new one once.
        const key = [`repository:${repo.repository}:${actions}`, ...(init.extraScope ? [init.extraScope] : [])].join(' ');
        if (s.scheme === 'bearer') s.tokens.delete(key);
        s.scheme = 'bearer';
        s.challenge = challenge.params;
      }
    }
  }

  async #expect(res: Response, ok: number[], doing: string): Promise<void> {
    if (ok.includes(res.status)) return;
    const body = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 429) throw new RetryableError(`${doing}: HTTP ${res.status} ${describeRegistryErrors(body)}`.trim());
    if (res.status === 401) {
      const creds = await this.#credentials(this.#hostOf(res.url));
      throw new InputError(creds
        ? `${doing}: the registry rejected the credentials of user "${creds.username}" (HTTP 401 ${describeRegistryErrors(body)}). Check the username and password/token, or run \`docker login\`.`
        : `${doing}: the registry requires authentication (HTTP 401). Give registry credentials (username/password inputs, \`docker login\`, or GITHUB_TOKEN for ghcr.io).`);
    }
    if (res.status === 404) throw new RegistryError(`${doing}: not found (HTTP 404 ${describeRegistryErrors(body)}). Check the repository name; a base image's blob may have been deleted from its registry.`, 404);
    if (res.status === 403) throw new InputError(`${doing}: access denied (HTTP 403 ${describeRegistryErrors(body)}). The credentials may lack push permission (ghcr.io: packages: write).`);
    throw new RegistryError(`${doing}: unexpected HTTP ${res.status} ${describeRegistryErrors(body)}`.trim(), res.status);
  }

  #hostOf(url: string): string {
    const host = new URL(url).host;
    for (const registry of this.#state.keys()) if (registryApiHost(registry) === host) return registry;
    return host;
  }

  async #retry<T>(label: string, step: () => Promise<T>): Promise<T> {
    const attempts = this.#options.attempts ?? 5;
    const base = this.#options.backoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        const retryable = err instanceof RetryableError || isNetworkError(err);
        if (!retryable) throw err;
        const reason = networkReason(err);
        if (attempt >= attempts) throw new RegistryError(`${label} failed after ${attempts} attempts: ${reason}`, 0);
        const delay = Math.round(base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
        this.#logger.warn(`${label}: ${reason}; retrying in ${delay} ms (attempt ${attempt + 1} of ${attempts})`);
        await sleep(delay);
      }
    }
  }
}

/** fetch rejects with a TypeError ("fetch failed") whose cause is the socket error. */
function isNetworkError(err: unknown): boolean {
  if (err instanceof Error && err.name === 'TimeoutError') return true;
  return err instanceof TypeError && (err.message === 'fetch failed' || 'cause' in err) ||
    (err instanceof Error && /ECONNRESET|EPIPE|ECONNREFUSED|UND_ERR_SOCKET|other side closed|terminated/i.test(`${err.message} ${String((err as { code?: string }).code ?? '')}`));
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${err.message} (${(cause as { code?: string }).code ?? cause.message})`;
  return err.message;
}
