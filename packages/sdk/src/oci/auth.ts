import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError, opt } from '../errors.ts';
import type { Logger } from '../log.ts';
import { runProcess } from '../util/process.ts';
import { DOCKER_HUB, normalizeRegistryKey, registryOf } from './reference.ts';

/** Username and password (or token) for a registry. Never logged. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** One challenge of a `WWW-Authenticate` header (RFC 7235): a scheme and its auth-params. */
export interface AuthChallenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lower-cased; values unquoted (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header value into its challenges, as the Docker token spec
 * (distribution/docs/spec/auth/token.md) and RFC 7235 define it:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"`.
 * Quoted values may contain commas and backslash escapes; several challenges may share one header.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpaces = () => { while (i < n && (header[i] === ' ' || header[i] === '\t')) i++; };
  const token = () => { const start = i; while (i < n && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i]!)) i++; return header.slice(start, i); };
  let current: AuthChallenge | undefined;
  while (i < n) {
    skipSpaces();
    if (header[i] === ',') { i++; continue; }
    const start = i;
    const name = token();
    if (name === '') { i++; continue; }
    skipSpaces();
    if (header[i] === '=') {
      // auth-param (or a token68 ending in '=': treat as a param only if a value follows)
      i++;
      skipSpaces();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const vs = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ') i++;
        value = header.slice(vs, i);
      }
      if (!current) { current = { scheme: '', params: {} }; challenges.push(current); }
      current.params[name.toLowerCase()] = value;
    } else {
      i = start + name.length;
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

/** The subset of `~/.docker/config.json` that holds credentials. */
export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/**
 * Keys under which `docker login` stores a registry's credentials: the host itself, with a scheme,
 * and for Docker Hub the legacy `https://index.docker.io/v1/` key.
 */
export function dockerConfigKeys(registry: string): string[] {
  if (registry === DOCKER_HUB) return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'https://index.docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

/**
 * Credentials for `registry` from a parsed docker config's `auths` section: the base64 `auth`
 * ("user:password") or `username`/`password`. Returns the name of a credential helper instead when
 * the config delegates the registry to one (`credHelpers`, or `credsStore` with no inline auth).
 */
export function credentialsFromDockerConfig(config: DockerConfig, registry: string): RegistryCredentials | { helper: string } | undefined {
  const helper = config.credHelpers?.[registry] ?? (registry === DOCKER_HUB ? config.credHelpers?.['index.docker.io'] : undefined);
  if (helper) return { helper };
  for (const key of dockerConfigKeys(registry)) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  if (config.credsStore) return { helper: config.credsStore };
  return undefined;
}

/** Parses the JSON a `docker-credential-<helper> get` prints: `{"ServerURL":…,"Username":…,"Secret":…}`. */
export function parseCredentialHelperOutput(stdout: string): RegistryCredentials | undefined {
  let parsed: { Username?: string; Secret?: string };
  try { parsed = JSON.parse(stdout) as typeof parsed; } catch { return undefined; }
  if (!parsed.Secret) return undefined;
  return { username: parsed.Username ?? '', password: parsed.Secret };
}

export interface ResolveCredentialsOptions {
  /** Explicit credentials (action inputs, CLI flags) — used first. */
  credentials?: RegistryCredentials;
  /** Path of the docker config; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  dockerConfigPath?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** The environment variables that give registry credentials to every mlship command that talks to a registry. */
export const REGISTRY_USERNAME_ENV = 'MLSHIP_REGISTRY_USERNAME';
export const REGISTRY_PASSWORD_ENV = 'MLSHIP_REGISTRY_PASSWORD';

/**
 * Credentials for `registry` from MLSHIP_REGISTRY_USERNAME + MLSHIP_REGISTRY_PASSWORD (both set), as
 * the `credentials` option of RegistryClient; undefined otherwise. The one reader of those variables.
 */
export function credentialsFromEnv(registry: string, env: NodeJS.ProcessEnv = process.env): Record<string, RegistryCredentials> | undefined {
  const username = env[REGISTRY_USERNAME_ENV];
  const password = env[REGISTRY_PASSWORD_ENV];
  return username && password ? { [registry]: { username, password } } : undefined;
}

/** Where `docker login` writes: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME ?? homedir(), '.docker', 'config.json');
}

/** The names a caller gives a username and a password under (CLI flags / action inputs; see errors.ts `opt`). */
export interface LoginKeys { username: string; password: string }

/**
 * Explicit credentials for the registry `reference` names (`myorg/model` → docker.io), as the registry
 * client takes them; undefined when no password is given (docker config / GITHUB_TOKEN apply then).
 * A username without a password is a mistake the caller hears about, named in its own words (`keys`).
 */
export function credentialsForReference(reference: string, login: { username?: string; password?: string; defaultUsername?: string },
  keys: LoginKeys = { username: 'username', password: 'password' }): Record<string, RegistryCredentials> | undefined {
  if (!login.password) {
    if (login.username) throw new InputError(`${opt(keys.username)} is set but ${opt(keys.password)} is not: pass the registry password or token (as a secret).`);
    return undefined;
  }
  return { [registryOf(reference)]: { username: login.username ?? login.defaultUsername ?? 'mlship', password: login.password } };
}

/** The entry of an explicit credentials map for `registry`, whatever form its key was written in. */
export function credentialsEntry(credentials: Record<string, RegistryCredentials> | undefined, registry: string): RegistryCredentials | undefined {
  if (!credentials) return undefined;
  if (credentials[registry]) return credentials[registry];
  const key = Object.keys(credentials).find((k) => normalizeRegistryKey(k) === registry);
  return key === undefined ? undefined : credentials[key];
}

/**
 * Credentials for a registry, first found wins: explicit options; the docker config (`docker login`,
 * including credential helpers); `GITHUB_TOKEN` for ghcr.io (username `GITHUB_ACTOR`). Undefined means
 * anonymous.
 */
export async function resolveCredentials(registry: string, options: ResolveCredentialsOptions = {}): Promise<RegistryCredentials | undefined> {
  if (options.credentials) return options.credentials;
  const env = options.env ?? process.env;
  const path = options.dockerConfigPath ?? dockerConfigPath(env);
  if (existsSync(path)) {
    let config: DockerConfig;
    try {
      config = JSON.parse(await readFile(path, 'utf8')) as DockerConfig;
    } catch (err) {
      throw new InputError(`Docker config ${path} is not valid JSON (${(err as Error).message}): fix or remove it, or pass registry credentials explicitly.`);
    }
    const found = credentialsFromDockerConfig(config, registry);
    if (found && 'helper' in found) {
      const program = `docker-credential-${found.helper}`;
      try {
        const res = await runProcess(program, ['get'], { input: registry, env });
        const creds = res.code === 0 ? parseCredentialHelperOutput(res.stdout) : undefined;
        if (creds) return creds;
        options.logger?.debug(`${program} has no credentials for ${registry}`);
      } catch {
        options.logger?.warn(`${path} names the credential helper ${program} for ${registry}, but it cannot be run; continuing without it.`);
      }
    } else if (found) {
      options.logger?.debug(`using credentials for ${registry} from ${path}`);
      return found;
    }
  }
  if (registry === 'ghcr.io' && env.GITHUB_TOKEN) {
    return { username: env.GITHUB_ACTOR || 'github-actions', password: env.GITHUB_TOKEN };
  }
  return undefined;
}
