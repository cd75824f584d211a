import { describe, expect, it } from 'vitest';
import { formatImageReference, isLoopbackRegistry, lowerCaseRepository, parseImageReference, registryApiHost } from './reference.ts';

// Expected normalisations are those of github.com/distribution/reference (ParseNormalizedNamed,
// normalize_test.go) — the rules `docker pull` applies.
const D = 'sha256:' + 'a'.repeat(64);
describe('parseImageReference', () => {
  it.each([
    ['node', { registry: 'docker.io', repository: 'library/node', tag: 'latest' }],
    ['node:24-bookworm-slim', { registry: 'docker.io', repository: 'library/node', tag: '24-bookworm-slim' }],
    ['docker.io/library/node:24', { registry: 'docker.io', repository: 'library/node', tag: '24' }],
    ['index.docker.io/library/node', { registry: 'docker.io', repository: 'library/node', tag: 'latest' }],
    ['bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis', tag: 'latest' }],
    ['ghcr.io/octo-org/iris-model:1.2.0', { registry: 'ghcr.io', repository: 'octo-org/iris-model', tag: '1.2.0' }],
    ['localhost/model', { registry: 'localhost', repository: 'model', tag: 'latest' }],
    ['localhost:5000/team/model:v1', { registry: 'localhost:5000', repository: 'team/model', tag: 'v1' }],
    ['127.0.0.1:41234/a/b/c', { registry: '127.0.0.1:41234', repository: 'a/b/c', tag: 'latest' }],
    [`ghcr.io/o/m@${D}`, { registry: 'ghcr.io', repository: 'o/m', digest: D }],
    [`ghcr.io/o/m:1.0@${D}`, { registry: 'ghcr.io', repository: 'o/m', tag: '1.0', digest: D }],
    ['gcr.io/distroless/nodejs24-debian12:nonroot', { registry: 'gcr.io', repository: 'distroless/nodejs24-debian12', tag: 'nonroot' }],
    ['my_org/my-model__x', { registry: 'docker.io', repository: 'my_org/my-model__x', tag: 'latest' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['Ghcr.io/Owner/Model', /lowercase/],
    ['ghcr.io/owner/Model:1', /lowercase/],
    ['ghcr.io/o/m:-bad', /tag "-bad"/],
    ['ghcr.io/o/m@sha256:abc', /not a digest/],
    [`ghcr.io/o/m@sha256:${'A'.repeat(64)}`, /64 lowercase hex/],
    ['ghcr.io/', /no repository/],
    ['ghcr.io/o//m', /path component ""/],
  ])('rejects %j', (text, message) => {
    expect(() => parseImageReference(text)).toThrow(message);
  });

  it('formats back to the canonical string', () => {
    expect(formatImageReference(parseImageReference('node:24'))).toBe('docker.io/library/node:24');
    expect(formatImageReference(parseImageReference(`ghcr.io/o/m:1@${D}`))).toBe(`ghcr.io/o/m:1@${D}`);
  });

  it('knows Docker Hub API host and loopback registries', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('ghcr.io')).toBe(false);
    expect(isLoopbackRegistry('127.example.com')).toBe(false);
  });
});

describe('lowerCaseRepository', () => {
  it.each([
    ['ghcr.io/Octo-Org/ML-Repo/model:1.0.Beta', 'ghcr.io/octo-org/ml-repo/model:1.0.Beta'],
    ['127.0.0.1:5000/Octo/Model', '127.0.0.1:5000/octo/model'],
    ['Octo/Model:V1', 'octo/model:V1'],
    ['localhost/A/B@sha256:' + 'a'.repeat(64), 'localhost/a/b@sha256:' + 'a'.repeat(64)],
    ['ghcr.io/octo/model:1', 'ghcr.io/octo/model:1'],
  ])('%s → %s (registry host, tag and digest kept)', (input, expected) => {
    expect(lowerCaseRepository(input)).toBe(expected);
    expect(() => parseImageReference(lowerCaseRepository(input))).not.toThrow();
  });
});
