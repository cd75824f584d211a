import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaType, pushPackage, RegistryClient, sha256Digest, tagPackage, type Logger } from '@mlship/sdk';
import { writeIrisPackage } from '../harness/model-package.ts';
import { startFaultProxy, startRegistry, type FaultProxy, type LocalRegistry } from '../harness/registry.ts';

// The client against a real registry (Debian's docker-registry, distribution 2.8); what it stores is
// read back with skopeo, a client we did not write.
const warnings: string[] = [];
const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m) };

function skopeoInspect(ref: string, ...extra: string[]): unknown {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', ...extra, `docker://${ref}`], { encoding: 'utf8' }));
}

async function pushTinyImage(client: RegistryClient, registry: string, repository: string, tag: string) {
  const repo = { registry, repository };
  const layer = randomBytes(300_000); // not a real tar: the registry stores blobs opaquely
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] }, config: { Labels: { who: 'mlship-test' } } }));
  const results = [await client.pushBlob(repo, sha256Digest(layer), layer), await client.pushBlob(repo, sha256Digest(config), config)];
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: MediaType.ociLayerGzip, digest: sha256Digest(layer), size: layer.length }],
  }));
  const digest = await client.putManifest(repo, tag, manifest, MediaType.ociManifest);
  return { results, digest, layer, manifest };
}

describe('RegistryClient against docker-registry', () => {
  let registry: LocalRegistry;
  beforeAll(async () => { registry = await startRegistry(); });
  afterAll(async () => { await registry?.stop(); });

  it('pushes blobs and a manifest that skopeo reads back, and skips blobs already there', async () => {
    const client = new RegistryClient({ logger });
    const first = await pushTinyImage(client, registry.host, 'team/tiny', 'v1');
    expect(first.results).toEqual(['uploaded', 'uploaded']);
    expect(first.digest).toBe(sha256Digest(first.manifest));
    const inspected = skopeoInspect(`${registry.host}/team/tiny:v1`, '--config') as { config: { Labels: Record<string, string> } };
    expect(inspected.config.Labels.who).toBe('mlship-test');
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/team/tiny:v1`], { encoding: 'utf8' }));
    expect(raw.layers[0].digest).toBe(sha256Digest(first.layer));

    const repo = { registry: registry.host, repository: 'team/tiny' };
    expect(await client.blobSize(repo, sha256Digest(first.layer))).toBe(first.layer.length);
    expect(await client.pushBlob(repo, sha256Digest(first.layer), first.layer)).toBe('exists');
    expect(await client.pushBlob({ ...repo, repository: 'team/other' }, sha256Digest(first.layer), first.layer, { mountFrom: 'team/tiny' })).toBe('mounted');
    expect(await client.getBlob(repo, sha256Digest(first.layer))).toEqual(first.layer);

    const got = await client.getManifest({ ...repo, tag: 'v1' });
    expect(got.digest).toBe(first.digest);
    expect(got.mediaType).toBe(MediaType.ociManifest);
    const byDigest = await client.getManifest({ ...repo, digest: first.digest });
    expect(byDigest.bytes).toEqual(got.bytes);
  });

  it('reads no more of a blob than its descriptor size (a hostile registry cannot fill memory)', async () => {
    const client = new RegistryClient({ logger });
    const pushed = await pushTinyImage(client, registry.host, 'team/bounded', 'v1');
    const repo = { registry: registry.host, repository: 'team/bounded' };
    const digest = sha256Digest(pushed.layer);
    await expect(client.getBlob(repo, digest, { size: 1000 })).rejects.toThrow(/blob sha256:[0-9a-f]+ from .*team\/bounded is larger than the 1000 bytes its descriptor allows/);
    await expect(client.getBlob(repo, digest, { size: Number.NaN })).rejects.toThrow(/descriptor's size is not a non-negative whole number/);
    expect(await client.getBlob(repo, digest, { size: pushed.layer.length })).toEqual(pushed.layer);
  });

  it('says clearly when an image or a blob does not exist', async () => {
    const client = new RegistryClient({ logger });
    await expect(client.getManifest({ registry: registry.host, repository: 'nope/nothing', tag: 'x' })).rejects.toThrow(/nope\/nothing:x was not found .*HTTP 404/);
    await expect(client.getBlob({ registry: registry.host, repository: 'team/tiny' }, `sha256:${'0'.repeat(64)}`)).rejects.toThrow(/downloading blob sha256:0+ from .*team\/tiny: not found \(HTTP 404/);
  });

  describe('through a fault-injecting proxy', () => {
    let proxy: FaultProxy;
    beforeAll(async () => { proxy = await startFaultProxy(registry.host); });
    afterAll(async () => { await proxy?.stop(); });

    it('retries a 503 and a connection dropped mid-upload; the pushed digest is unchanged', async () => {
      const client = new RegistryClient({ logger, backoffMs: 10 });
      const clean = await pushTinyImage(new RegistryClient({ logger }), registry.host, 'faults/clean', 'v1');
      proxy.addRule({ match: (m, p) => m === 'PUT' && p.includes('/blobs/uploads/'), fault: 'drop-mid-upload', times: 1 });
      proxy.addRule({ match: (m, p) => m === 'POST' && p.includes('/blobs/uploads/'), fault: { status: 503 }, times: 1 });
      proxy.addRule({ match: (m, p) => m === 'PUT' && p.includes('/manifests/'), fault: { status: 502 }, times: 1 });
      proxy.addRule({ match: (m, p) => m === 'HEAD' && p.includes('/blobs/'), fault: { status: 500 }, times: 1 });
      warnings.length = 0;
      // Same bytes as `clean` so the digests must agree: re-push them under another name via the proxy.
      const repo = { registry: proxy.host, repository: 'faults/retried' };
      const configBlob = await new RegistryClient().getBlob({ registry: registry.host, repository: 'faults/clean' }, JSON.parse(clean.manifest.toString()).config.digest);
      expect(await client.pushBlob(repo, sha256Digest(clean.layer), clean.layer)).toBe('uploaded');
      expect(await client.pushBlob(repo, sha256Digest(configBlob), configBlob)).toBe('uploaded');
      const digest = await client.putManifest(repo, 'v1', clean.manifest, MediaType.ociManifest);
      expect(digest).toBe(clean.digest);
      expect(proxy.injected).toHaveLength(4);
      expect(warnings.filter((w) => /retrying/.test(w))).toHaveLength(4);
      const inspected = skopeoInspect(`${registry.host}/faults/retried:v1`) as { Digest: string };
      expect(inspected.Digest).toBe(clean.digest);
    });

    it('asks once whether each blob exists when a package is copied to another repository', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mlship-head-'));
      try {
        await writeIrisPackage(join(dir, 'pkg'));
        const pushed = await pushPackage(join(dir, 'pkg'), `${proxy.host}/heads/source:1.0.0`, { logger });
        const before = proxy.requests.length;
        await tagPackage(pushed.pinned, `${proxy.host}/heads/target:1.0.0`, { logger });
        const heads = proxy.requests.slice(before).filter((r) => r.startsWith('HEAD ') && r.includes('/heads/target/blobs/'));
        expect(heads).toHaveLength(2); // the config and the one layer, once each
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('times out a request the registry never answers and retries it', async () => {
      const client = new RegistryClient({ logger, backoffMs: 1, requestTimeoutMs: 500 });
      proxy.addRule({ match: (m, p) => m === 'GET' && p.includes('/manifests/v1'), fault: 'hang', times: 1 });
      warnings.length = 0;
      const got = await client.getManifest({ registry: proxy.host, repository: 'faults/clean', tag: 'v1' });
      expect(got.mediaType).toBe(MediaType.ociManifest);
      expect(warnings.some((w) => /aborted due to timeout|TimeoutError|timed? ?out/i.test(w))).toBe(true);
    });

    it('gives up after the configured attempts with the reason', async () => {
      const client = new RegistryClient({ logger, backoffMs: 1, attempts: 2 });
      proxy.addRule({ match: (m, p) => m === 'GET' && p.includes('/manifests/always'), fault: { status: 503 }, times: 5 });
      await expect(client.getManifest({ registry: proxy.host, repository: 'faults/clean', tag: 'always' })).rejects.toThrow(/failed after 2 attempts: .*HTTP 503/);
    });
  });
});

describe('RegistryClient with htpasswd Basic auth', () => {
  let registry: LocalRegistry;
  beforeAll(async () => { registry = await startRegistry({ htpasswd: { username: 'ci', password: 'right-pass' } }); });
  afterAll(async () => { await registry?.stop(); });

  it('pushes with the right credentials', async () => {
    const client = new RegistryClient({ logger, credentials: { [registry.host]: { username: 'ci', password: 'right-pass' } } });
    const { digest } = await pushTinyImage(client, registry.host, 'auth/tiny', 'v1');
    const inspected = skopeoInspect(`${registry.host}/auth/tiny:v1`, '--creds', 'ci:right-pass') as { Digest: string };
    expect(inspected.Digest).toBe(digest);
  });

  it('fails with a clear error on bad credentials, never printing the password', async () => {
    const client = new RegistryClient({ logger, credentials: { [registry.host]: { username: 'ci', password: 'wrong-pass' } } });
    const err = await client.checkAccess({ registry: registry.host, repository: 'auth/tiny' }, 'pull,push').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/rejected the credentials of user "ci" \(HTTP 401/);
    expect((err as Error).message).not.toContain('wrong-pass');
  });

  it('fails with a clear error without credentials', async () => {
    const client = new RegistryClient({ logger, dockerConfigPath: '/nonexistent/config.json', env: {} });
    await expect(client.checkAccess({ registry: registry.host, repository: 'auth/tiny' }, 'pull')).rejects.toThrow(/requires authentication \(HTTP 401\)/);
  });
});

describe('RegistryClient with Bearer token auth (registry token auth + a JWT token server)', () => {
  let registry: LocalRegistry;
  beforeAll(async () => { registry = await startRegistry({ token: { username: 'robot', password: 'tok-pass' } }); });
  afterAll(async () => { await registry?.stop(); });

  it('follows the WWW-Authenticate challenge, gets scoped tokens and pushes; mounts across repositories', async () => {
    const client = new RegistryClient({ logger, credentials: { [registry.host]: { username: 'robot', password: 'tok-pass' } } });
    const { digest, layer } = await pushTinyImage(client, registry.host, 'bearer/tiny', 'v1');
    const got = await client.getManifest({ registry: registry.host, repository: 'bearer/tiny', tag: 'v1' });
    expect(got.digest).toBe(digest);
    // The mount needs pull on the source repository in the same token (extra scope).
    expect(await client.pushBlob({ registry: registry.host, repository: 'bearer/other' }, sha256Digest(layer), layer, { mountFrom: 'bearer/tiny' })).toBe('mounted');
  });

  it('says the token endpoint rejected the credentials', async () => {
    const client = new RegistryClient({ logger, credentials: { [registry.host]: { username: 'robot', password: 'nope' } } });
    const err = await client.checkAccess({ registry: registry.host, repository: 'bearer/tiny' }, 'pull,push').catch((e: Error) => e);
    expect((err as Error).message).toMatch(/rejected the credentials of user "robot" for repository:bearer\/tiny:pull,push \(HTTP 401\)/);
    expect((err as Error).message).not.toContain('nope');
  });

  it('an anonymous token without access ends in a clear 401', async () => {
    const client = new RegistryClient({ logger, dockerConfigPath: '/nonexistent/config.json', env: {} });
    await expect(client.getManifest({ registry: registry.host, repository: 'bearer/tiny', tag: 'v1' })).rejects.toThrow(/requires authentication \(HTTP 401\)/);
  });
});
