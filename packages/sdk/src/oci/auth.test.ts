import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageFor, actionInputName } from '../errors.ts';
import { credentialsEntry, credentialsForReference, credentialsFromDockerConfig, parseCredentialHelperOutput, parseWwwAuthenticate, resolveCredentials } from './auth.ts';
import { normalizeRegistryKey, registryOf } from './reference.ts';

describe('parseWwwAuthenticate', () => {
  // Header values as sent by Docker Hub, ghcr.io, distribution's htpasswd auth, and RFC 7235 §4.1 examples.
  it.each([
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/node:pull' } }]],
    ['Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/m:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:o/m:pull,push' } }]],
    ['Basic realm="mlship-test"', [{ scheme: 'basic', params: { realm: 'mlship-test' } }]],
    ['Bearer realm="https://a/token",error="insufficient_scope",scope="repository:x:push"',
      [{ scheme: 'bearer', params: { realm: 'https://a/token', error: 'insufficient_scope', scope: 'repository:x:push' } }]],
    ['Basic realm="a \\"quoted\\" realm", Bearer realm="https://t", service=svc',
      [{ scheme: 'basic', params: { realm: 'a "quoted" realm' } }, { scheme: 'bearer', params: { realm: 'https://t', service: 'svc' } }]],
    ['', []],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('docker config credentials', () => {
  const auth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
  it.each([
    [{ auths: { 'ghcr.io': { auth: auth('octo', 'ghp_x:y') } } }, 'ghcr.io', { username: 'octo', password: 'ghp_x:y' }],
    [{ auths: { 'https://ghcr.io': { auth: auth('a', 'b') } } }, 'ghcr.io', { username: 'a', password: 'b' }],
    [{ auths: { 'https://index.docker.io/v1/': { auth: auth('hub', 'pw') } } }, 'docker.io', { username: 'hub', password: 'pw' }],
    [{ auths: { 'localhost:5000': { username: 'u', password: 'p' } } }, 'localhost:5000', { username: 'u', password: 'p' }],
    [{ auths: { 'ghcr.io': { auth: auth('a', 'b') } } }, 'quay.io', undefined],
    [{ credHelpers: { 'ghcr.io': 'gh' }, auths: { 'ghcr.io': { auth: auth('a', 'b') } } }, 'ghcr.io', { helper: 'gh' }],
    [{ credsStore: 'desktop', auths: {} }, 'ghcr.io', { helper: 'desktop' }],
  ])('%j for %s', (config, registry, expected) => {
    expect(credentialsFromDockerConfig(config, registry)).toEqual(expected);
  });

  it('parses credential helper output', () => {
    expect(parseCredentialHelperOutput('{"ServerURL":"ghcr.io","Username":"octo","Secret":"s3"}')).toEqual({ username: 'octo', password: 's3' });
    expect(parseCredentialHelperOutput('credentials not found in native keychain')).toBeUndefined();
  });

  it('resolves explicit first, then docker config, then GITHUB_TOKEN for ghcr.io', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlship-dockercfg-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'quay.io': { auth: auth('q', 'qp') } } }));
    const env = { DOCKER_CONFIG: dir, GITHUB_TOKEN: 'ght', GITHUB_ACTOR: 'octocat' };
    expect(await resolveCredentials('quay.io', { env, credentials: { username: 'x', password: 'y' } })).toEqual({ username: 'x', password: 'y' });
    expect(await resolveCredentials('quay.io', { env })).toEqual({ username: 'q', password: 'qp' });
    expect(await resolveCredentials('ghcr.io', { env })).toEqual({ username: 'octocat', password: 'ght' });
    expect(await resolveCredentials('docker.io', { env })).toBeUndefined();
    await writeFile(join(dir, 'config.json'), '{not json');
    await expect(resolveCredentials('quay.io', { env })).rejects.toThrow(/config\.json is not valid JSON/);
  });

  it('runs a credential helper (docker-credential-<name> get, server on stdin, JSON on stdout)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlship-credhelper-'));
    // A helper speaking the docker-credential-helpers protocol: reads the server URL, answers for ghcr.io only.
    await writeFile(join(dir, 'docker-credential-fake'), '#!/bin/sh\nread server\nif [ "$1" = get ] && [ "$server" = ghcr.io ]; then echo \'{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"helper-secret"}\'; else echo "credentials not found" >&2; exit 1; fi\n');
    await chmod(join(dir, 'docker-credential-fake'), 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'fake' }));
    const env = { DOCKER_CONFIG: dir, PATH: `${dir}:/usr/bin:/bin` };
    expect(await resolveCredentials('ghcr.io', { env })).toEqual({ username: 'helper-user', password: 'helper-secret' });
    expect(await resolveCredentials('quay.io', { env })).toBeUndefined();
  });
});

describe('credentialsFromEnv', () => {
  it('reads MLSHIP_REGISTRY_USERNAME + MLSHIP_REGISTRY_PASSWORD (both needed) for the given registry', async () => {
    const { credentialsFromEnv } = await import('./auth.ts');
    expect(credentialsFromEnv('ghcr.io', { MLSHIP_REGISTRY_USERNAME: 'u', MLSHIP_REGISTRY_PASSWORD: 'p' })).toEqual({ 'ghcr.io': { username: 'u', password: 'p' } });
    expect(credentialsFromEnv('ghcr.io', { MLSHIP_REGISTRY_USERNAME: 'u' })).toBeUndefined();
    expect(credentialsFromEnv('ghcr.io', {})).toBeUndefined();
  });
});

describe('explicit credentials for a reference', () => {
  it('are keyed by the registry the reference names: Docker Hub for a name without a host', () => {
    expect(registryOf('myorg/model:1.0')).toBe('docker.io');
    expect(registryOf('ghcr.io/o/m')).toBe('ghcr.io');
    expect(registryOf('localhost:5000/m')).toBe('localhost:5000');
    expect(credentialsForReference('myorg/model:1.0', { username: 'u', password: 'p' })).toEqual({ 'docker.io': { username: 'u', password: 'p' } });
    expect(credentialsForReference('ghcr.io/o/m', { password: 't', defaultUsername: 'octocat' })).toEqual({ 'ghcr.io': { username: 'octocat', password: 't' } });
    expect(credentialsForReference('ghcr.io/o/m', {})).toBeUndefined();
  });

  it('a username without a password is an error in the caller\'s words', () => {
    let err: unknown;
    try { credentialsForReference('ghcr.io/o/m', { username: 'u' }, { username: 'registry-username', password: 'registry-password' }); } catch (e) { err = e; }
    expect(messageFor(err)).toBe('--registry-username is set but --registry-password is not: pass the registry password or token (as a secret).');
    expect(messageFor(err, actionInputName)).toBe('input "registry-username" is set but input "registry-password" is not: pass the registry password or token (as a secret).');
  });

  it('a credentials map keyed as docker stores Docker Hub (https://index.docker.io/v1/) is found for docker.io', () => {
    const creds = { 'https://index.docker.io/v1/': { username: 'hub', password: 'x' }, 'https://ghcr.io/': { username: 'gh', password: 'y' } };
    expect(credentialsEntry(creds, 'docker.io')).toEqual({ username: 'hub', password: 'x' });
    expect(credentialsEntry(creds, 'ghcr.io')).toEqual({ username: 'gh', password: 'y' });
    expect(credentialsEntry(creds, 'quay.io')).toBeUndefined();
    expect(['index.docker.io', 'registry-1.docker.io', 'DOCKER.IO', 'https://index.docker.io/v1/'].map(normalizeRegistryKey)).toEqual(['docker.io', 'docker.io', 'docker.io', 'docker.io']);
  });
});
