import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ImageConfig } from '../oci/manifest.ts';
import { readTar } from '../util/tar.ts';
import { CLI_WORKER_BUNDLES, resolvePlatforms } from './build.ts';
import { MODEL_SERVER_UID } from '../k8s/manifests.ts';
import { IMAGE_USER, flatMetrics, imageConfigFor, imageLabels, mergeEnv, nodeExecutable, rfc3339, sourceDateEpoch, sourceFactsFromEnv } from './config.ts';
import { dockerBuildxArgs, parseBuildxMetadata, renderDockerfile } from './dockerfile.ts';
import { normaliseLayerEntries, writeLayer } from './layer.ts';
import { keepRuntimeFile, nodeArch } from './runtime.ts';

const file = (path: string, content = 'x', mode = 0o644) => ({ path, type: 'file' as const, mode, uid: 1000, gid: 1000, mtime: 1234, content: Buffer.from(content), uname: 'me', gname: 'me' });

describe('layers', () => {
  it('adds parents, sorts by path bytes, forces 0:0, empty owner names and one mtime', () => {
    const out = normaliseLayerEntries([file('b/z.txt'), file('a/b/c.txt'), file('a.txt')], 42);
    expect(out.map((e) => [e.path, e.type])).toEqual([['a', 'dir'], ['a.txt', 'file'], ['a/b', 'dir'], ['a/b/c.txt', 'file'], ['b', 'dir'], ['b/z.txt', 'file']]);
    expect(new Set(out.map((e) => `${e.uid}:${e.gid}:${e.uname}:${e.gname}:${e.mtime}`))).toEqual(new Set(['0:0:::42']));
  });
  it('refuses duplicates, absolute-looking and .. paths', () => {
    expect(() => normaliseLayerEntries([file('a'), file('./a')], 0)).toThrow(/twice/);
    expect(() => normaliseLayerEntries([file('a/../b')], 0)).toThrow(/clean relative path/);
  });
  it('compresses reproducibly: gzip header with MTIME 0 and no name (RFC 1952), same bytes twice', async () => {
    const entries = [file('app/x.js', 'console.log(1)'), file('model/m.onnx', 'onnx')];
    const a = await writeLayer('t', 't', entries, { mtime: 7 });
    const b = await writeLayer('t', 't', [...entries].reverse(), { mtime: 7 });
    expect(a.digest).toBe(b.digest);
    expect(a.diffId).toBe(b.diffId);
    const gz = a.blob!;
    expect([gz[0], gz[1], gz[2]]).toEqual([0x1f, 0x8b, 8]); // magic, deflate
    expect(gz[3]! & 0x08).toBe(0); // FNAME not set
    expect(gz.readUInt32LE(4)).toBe(0); // MTIME
    const back = readTar(gunzipSync(gz));
    expect(back.map((e) => [e.path, e.mtime, e.uid])).toEqual([['app', 7, 0], ['app/x.js', 7, 0], ['model', 7, 0], ['model/m.onnx', 7, 0]]);
    const other = await writeLayer('t', 't', entries, { mtime: 8 });
    expect(other.digest).not.toBe(a.digest);
  });
});

describe('runtime trimming', () => {
  it.each([
    ['onnxruntime-node', 'package.json', 'x64', true],
    ['onnxruntime-node', 'dist/index.js', 'x64', true],
    ['onnxruntime-node', 'dist/index.js.map', 'x64', false],
    ['onnxruntime-node', 'dist/index.d.ts', 'x64', false],
    ['onnxruntime-node', 'bin/napi-v6/linux/x64/libonnxruntime.so.1', 'x64', true],
    ['onnxruntime-node', 'bin/napi-v6/linux/arm64/libonnxruntime.so.1', 'x64', false],
    ['onnxruntime-node', 'bin/napi-v6/linux/arm64/onnxruntime_binding.node', 'arm64', true],
    ['onnxruntime-node', 'bin/napi-v6/darwin/arm64/onnxruntime_binding.node', 'arm64', false],
    ['onnxruntime-node', 'bin/napi-v6/win32/x64/onnxruntime.dll', 'x64', false],
    ['onnxruntime-node', 'script/install.js', 'x64', false],
    ['onnxruntime-node', 'lib/index.ts', 'x64', false],
    ['onnxruntime-node', 'LICENSE', 'x64', true],
    ['onnxruntime-common', 'dist/cjs/index.js', 'x64', true],
    ['onnxruntime-common', 'lib/index.ts', 'x64', false],
  ] as const)('%s %s on %s → %s', (pkg, rel, arch, keep) => {
    expect(keepRuntimeFile(pkg, rel, arch)).toBe(keep);
  });
  it('maps OCI architectures to Node names and refuses the rest', () => {
    expect(nodeArch('amd64')).toBe('x64');
    expect(nodeArch('arm64')).toBe('arm64');
    expect(() => nodeArch('s390x')).toThrow(/amd64 and arm64 only/);
  });
});

describe('config', () => {
  const base: ImageConfig = {
    architecture: 'amd64', os: 'linux',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin', 'NODE_VERSION=24.1.0', 'NODE_ENV=development'], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node'], Labels: { maintainer: 'x' } },
    rootfs: { type: 'layers', diff_ids: ['sha256:base'] },
    history: [{ created_by: 'base' }],
  };
  it('SOURCE_DATE_EPOCH → RFC 3339; default epoch 0', () => {
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1767225600' })).toBe(1767225600);
    expect(sourceDateEpoch({})).toBe(0);
    expect(rfc3339(1767225600)).toBe('2026-01-01T00:00:00Z');
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 \(digits only\), got "yesterday"/);
  });
  it('source facts: given values win, GitHub env fills the gaps, nothing is guessed', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' };
    expect(sourceFactsFromEnv(undefined, env, 'T')).toEqual({ source: 'https://github.com/o/r', revision: 'abc', created: 'T' });
    expect(sourceFactsFromEnv({ revision: 'def', source: undefined }, env, 'T')).toEqual({ source: 'https://github.com/o/r', revision: 'def', created: 'T' });
    expect(sourceFactsFromEnv(undefined, {}, 'T')).toEqual({ created: 'T' });
  });
  it('merges env: base order kept, ours override and append', () => {
    expect(mergeEnv(base.config!.Env, { NODE_ENV: 'production', MLSHIP_PORT: '8080' })).toEqual(['PATH=/usr/local/bin:/usr/bin', 'NODE_VERSION=24.1.0', 'NODE_ENV=production', 'MLSHIP_PORT=8080']);
  });
  it('runs the base node: PATH node for official images, the entrypoint binary for distroless', () => {
    expect(nodeExecutable(base)).toBe('node');
    expect(nodeExecutable({ ...base, config: { Entrypoint: ['/nodejs/bin/node'] } })).toBe('/nodejs/bin/node');
  });
  it('labels: OCI keys, model facts, numeric metrics only, sorted', () => {
    const labels = imageLabels({ name: 'iris', version: '1.2.0', sha256: 'ab'.repeat(32), metrics: { metrics: { accuracy: 0.9667, f1_macro: 0.96, note: 'x', bad: Number.NaN } } }, { created: '2026-01-01T00:00:00Z', source: 'https://github.com/o/r', revision: 'abc' });
    expect(labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/o/r', 'org.opencontainers.image.revision': 'abc', 'org.opencontainers.image.version': '1.2.0',
      'org.opencontainers.image.created': '2026-01-01T00:00:00Z', 'io.mlship.model.name': 'iris', 'io.mlship.model.sha256': 'ab'.repeat(32),
      'io.mlship.model.metric.accuracy': '0.9667', 'io.mlship.model.metric.f1_macro': '0.96',
    });
    expect(Object.keys(labels)).toEqual([...Object.keys(labels)].sort());
    expect(flatMetrics({ rmse: 3, nested: { a: 1 } })).toEqual({ rmse: 3 });
  });
  it('image config: non-root numeric user, entrypoint, env, port, rootfs and history appended', () => {
    const cfg = imageConfigFor(base, { os: 'linux', architecture: 'amd64' }, [{ role: 'model', createdBy: 'model layer', diffId: 'sha256:m', digest: 'sha256:mg', size: 1, mediaType: 'x' }], { a: 'b' }, '2026-01-01T00:00:00Z');
    expect(cfg.config).toMatchObject({ User: '65532:65532', WorkingDir: '/app', Entrypoint: ['node', '/app/mlship.js', 'serve', '/model'], Cmd: null, ExposedPorts: { '8080/tcp': {} }, Labels: { maintainer: 'x', a: 'b' } });
    expect(cfg.config!.Env).toContain('NODE_ENV=production');
    expect(cfg.rootfs.diff_ids).toEqual(['sha256:base', 'sha256:m']);
    expect(cfg.history!.map((h) => h.created_by)).toEqual(['base', 'model layer']);
  });
  it('runs as the uid the Kubernetes manifests pin (runAsUser)', () => {
    expect(IMAGE_USER).toBe(`${MODEL_SERVER_UID}:${MODEL_SERVER_UID}`);
  });
  it('platforms: default linux/amd64, parsed, de-duplicated', () => {
    expect(resolvePlatforms(undefined)).toEqual([{ os: 'linux', architecture: 'amd64' }]);
    expect(resolvePlatforms(['linux/amd64', 'linux/arm64', 'linux/amd64'])).toEqual([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]);
  });
});

describe('Dockerfile path', () => {
  it('renders the equivalent Dockerfile', () => {
    const text = renderDockerfile({ base: 'docker.io/library/node:24-bookworm-slim', labels: { 'io.mlship.model.name': 'iris', 'org.opencontainers.image.description': 'say "hi"' } });
    expect(text).toContain('FROM docker.io/library/node:24-bookworm-slim\n');
    expect(text).toContain('COPY runtime-${TARGETARCH}/ /app/\n');
    expect(text).toContain('COPY model/ /model/\n');
    expect(text).toContain('USER 65532:65532\n');
    expect(text).toContain('ENV MLSHIP_HOST=0.0.0.0 MLSHIP_PORT=8080 NODE_ENV=production\n');
    expect(text).toContain('LABEL org.opencontainers.image.description="say \\"hi\\""\n');
    expect(text).toContain('ENTRYPOINT ["node", "/app/mlship.js", "serve", "/model"]\n');
    expect(text).toContain('COPY mlship.js predict-score.worker.js drift-read.worker.js table-read.worker.js package.json /app/\n');
    expect(text.indexOf('COPY model/')).toBeGreaterThan(text.indexOf('COPY mlship.js'));
  });
  it('builds the docker buildx command line', () => {
    expect(dockerBuildxArgs({ contextDir: '/ctx', tags: ['ghcr.io/o/m:1'], platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }], push: true, metadataFile: '/tmp/m.json', sourceDateEpoch: 0 })).toEqual([
      'buildx', 'build', '--file', '/ctx/Dockerfile', '--platform', 'linux/amd64,linux/arm64', '--tag', 'ghcr.io/o/m:1',
      '--provenance=false', '--sbom=false', '--build-arg', 'SOURCE_DATE_EPOCH=0', '--metadata-file', '/tmp/m.json', '--push', '/ctx',
    ]);
    expect(dockerBuildxArgs({ contextDir: '/ctx', tags: ['m:1'], platforms: [{ os: 'linux', architecture: 'amd64' }], push: false, metadataFile: '/m' })).toContain('--load');
  });
  it('reads the digest from buildx metadata', () => {
    // Shape of the file `docker buildx build --metadata-file` writes (buildx 0.12+).
    const meta = '{"buildx.build.ref":"builder/builder0/x","containerimage.config.digest":"sha256:c0","containerimage.descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:d1","size":856},"containerimage.digest":"sha256:d1","image.name":"ghcr.io/o/m:1"}';
    expect(parseBuildxMetadata(meta)).toEqual({ digest: 'sha256:d1', name: 'ghcr.io/o/m:1' });
  });
});

describe('the worker bundles the image ships', () => {
  it('CLI_WORKER_BUNDLES is every worker entry of the CLI, and build-image\'s assets.json copies exactly those', () => {
    const root = join(import.meta.dirname, '../../../..');
    const entries = readdirSync(join(root, 'packages/cli/src')).filter((f) => f.endsWith('.worker.ts')).map((f) => f.replace(/\.ts$/, '.js')).sort();
    expect([...CLI_WORKER_BUNDLES].sort()).toEqual(entries);
    const assets = JSON.parse(readFileSync(join(root, 'actions/build-image/assets.json'), 'utf8')) as Array<[string, string]>;
    expect(assets.filter(([, to]) => to.endsWith('.worker.js')).map(([from, to]) => [from, to]).sort()).toEqual(entries.map((f) => [`packages/cli/dist/${f}`, f]));
  });
});
