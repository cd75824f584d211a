import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, MODEL_SERVER_UID, writeDockerContext, writePackageArchive, type BuildImageResult, type Logger, type WritePackageResult } from '@mlship/sdk';
import { pushTestBaseImage, type TestBase } from '../harness/base-image.ts';
import { runCli } from '../harness/cli.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { startPodman, type Podman } from '../harness/podman.ts';
import { freePort, startFaultProxy, startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

// Images built by buildImage against a real registry (docker-registry) and checked with tools we did
// not write: skopeo (manifest, config, labels), GNU tar (layer contents, owners, modes), umoci
// (unpacked rootfs and runtime config), podman + runc (the container serves the golden outputs).
const exec = promisify(execFile);
const logs: string[] = [];
const logger: Logger = { debug() {}, info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`) };
const SERVER_BUNDLE = join(REPO_ROOT, 'packages/cli/dist/mlship.js');
const SOURCE = { source: 'https://github.com/octo-org/ml-repo', revision: '0123456789abcdef0123456789abcdef01234567' };

async function skopeo(...args: string[]): Promise<string> {
  return (await exec('skopeo', args, { maxBuffer: 64 << 20 })).stdout;
}
async function inspect(ref: string, ...extra: string[]): Promise<any> {
  return JSON.parse(await skopeo('inspect', '--tls-verify=false', ...extra, `docker://${ref}`));
}
/** `tar -tvzf` of a layer blob straight from the registry's storage: "mode owner/group size date time path". */
async function layerListing(registry: LocalRegistry, digest: string): Promise<string[]> {
  const hex = digest.slice('sha256:'.length);
  const blob = join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  const { stdout } = await exec('tar', ['--numeric-owner', '-tvzf', blob], { maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
  return stdout.trim().split('\n');
}

describe('buildImage → docker-registry, checked by skopeo, tar, umoci, podman', () => {
  let registry: LocalRegistry;
  let base: TestBase;
  let pkg: WritePackageResult;
  let work: string;
  let first: BuildImageResult;
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1767225600' }; // 2026-01-01T00:00:00Z
  const build = (tag: string, extra: Partial<Parameters<typeof buildImage>[0]> = {}) =>
    buildImage({ packageDir: pkg.dir, tag, base: base.reference, serverBundle: SERVER_BUNDLE, env, logger, source: SOURCE, ...extra });

  beforeAll(async () => {
    if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run npm run build first.`);
    registry = await startRegistry();
    base = await pushTestBaseImage(registry.host);
    work = await mkdtemp(join(tmpdir(), 'mlship-image-test-'));
    pkg = await writeIrisPackage(join(work, 'iris-1.0.0'), '1.0.0');
    first = await build(`${registry.host}/models/iris:1.0.0`);
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pushes an OCI image whose config, labels and layers skopeo reads back', async () => {
    const ref = `${registry.host}/models/iris:1.0.0`;
    const raw = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--raw', `docker://${ref}`));
    expect(raw.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(raw.layers).toHaveLength(4); // base + runtime + server + model (model last)
    expect(raw.layers.map((l: { digest: string }) => l.digest)).toEqual(first.platforms[0]!.layers.map((l) => l.digest));
    expect(first.platforms[0]!.layers.map((l) => l.role)).toEqual(['base', 'runtime', 'server', 'model']);
    expect(raw.annotations['org.opencontainers.image.base.name']).toBe(base.reference);
    const digest = (await inspect(ref)).Digest;
    expect(digest).toBe(first.digest);
    expect(first.image).toBe(`${registry.host}/models/iris@${first.digest}`);

    const config = await inspect(ref, '--config');
    expect(config.architecture).toBe('amd64');
    expect(config.config.User).toBe('65532:65532');
    expect(config.config.WorkingDir).toBe('/app');
    expect(config.config.Entrypoint).toEqual(['node', '/app/mlship.js', 'serve', '/model']);
    expect(config.config.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(config.config.Env).toEqual(expect.arrayContaining(['MLSHIP_HOST=0.0.0.0', 'MLSHIP_PORT=8080', 'NODE_ENV=production', expect.stringMatching(/^PATH=/)]));
    expect(config.created).toBe('2026-01-01T00:00:00Z');
    expect(config.history.at(-1).created_by).toMatch(/model package iris-rf 1\.0\.0/);
    const labels = config.config.Labels;
    expect(labels['org.opencontainers.image.source']).toBe('https://github.com/octo-org/ml-repo');
    expect(labels['org.opencontainers.image.revision']).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(labels['org.opencontainers.image.created']).toBe('2026-01-01T00:00:00Z');
    expect(labels['org.opencontainers.image.version']).toBe('1.0.0');
    expect(labels['io.mlship.model.name']).toBe('iris-rf');
    expect(labels['io.mlship.model.version']).toBe('1.0.0');
    expect(labels['io.mlship.model.sha256']).toBe(pkg.modelSha256);
    // The size reported is what the registry stores: config + layers (+ manifest).
    const sizes = raw.config.size + raw.layers.reduce((s: number, l: { size: number }) => s + l.size, 0);
    expect(first.platforms[0]!.size).toBe(sizes);
  });

  it('writes layers with sorted entries, numeric owner 0:0, fixed mtime and only linux/x64 binaries', async () => {
    const [, runtime, server, model] = first.platforms[0]!.layers;
    const rt = await layerListing(registry, runtime!.digest);
    const paths = rt.map((l) => l.split(/\s+/).at(-1)!);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain('app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node');
    expect(paths).toContain('app/node_modules/onnxruntime-common/package.json');
    expect(paths.filter((p) => /darwin|win32|linux\/arm64|\.map$/.test(p))).toEqual([]);
    for (const line of [...rt, ...(await layerListing(registry, server!.digest)), ...(await layerListing(registry, model!.digest))]) {
      expect(line).toMatch(/^(-rw-r--r--|-rwxr-xr-x|drwxr-xr-x) 0\/0 .* 2026-01-01 00:00 /);
    }
    const modelPaths = (await layerListing(registry, model!.digest)).map((l) => l.split(/\s+/).at(-1));
    expect(modelPaths).toEqual(['model/', 'model/mlship.json', 'model/model.onnx']);
  });

  it('gives the same digest for the same inputs, even with a cold layer cache', async () => {
    const again = await build(`${registry.host}/models/iris:again`, { cacheDir: join(work, 'fresh-cache') });
    expect(again.digest).toBe(first.digest);
    expect(again.uploaded).toBe(0); // every blob was already in the repository
    const layout = join(work, 'layout');
    const local = await build(`${registry.host}/models/iris:1.0.0`, { output: { kind: 'oci-layout', dir: layout } });
    expect(local.digest).toBe(first.digest);
    const viaSkopeo = JSON.parse(await skopeo('inspect', `oci:${layout}:${registry.host}/models/iris:1.0.0`));
    expect(viaSkopeo.Digest).toBe(first.digest);
    // The package's .tar.gz archive bakes in exactly the same /model layer as its directory.
    const archive = join(work, 'iris-1.0.0.tar.gz');
    await writePackageArchive(pkg.dir, archive, 0);
    const fromArchive = await build(`${registry.host}/models/iris:1.0.0`, { packageDir: archive, output: { kind: 'oci-layout', dir: join(work, 'layout-archive') } });
    expect(fromArchive.digest).toBe(first.digest);
  });

  it('unpacks with umoci to a rootfs with the expected files, owners and modes', async () => {
    const oci = join(work, 'umoci-src');
    await skopeo('copy', '--src-tls-verify=false', `docker://${registry.host}/models/iris:1.0.0`, `oci:${oci}:iris`);
    const bundle = join(work, 'bundle');
    await exec('umoci', ['unpack', '--image', `${oci}:iris`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    for (const [path, mode] of [['app/mlship.js', 0o644], ['app/predict-score.worker.js', 0o644], ['app/drift-read.worker.js', 0o644], ['app/table-read.worker.js', 0o644], ['app/package.json', 0o644], ['model/mlship.json', 0o644], ['model/model.onnx', 0o644], ['app', 0o755], ['model', 0o755], ['tmp', 0o1777]] as const) {
      const st = statSync(join(rootfs, path));
      expect({ path, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ path, uid: 0, gid: 0, mode });
    }
    expect(JSON.parse(readFileSync(join(rootfs, 'app/package.json'), 'utf8')).type).toBe('module');
    expect(readFileSync(join(rootfs, 'app/mlship.js'))).toEqual(readFileSync(SERVER_BUNDLE));
    expect(readFileSync(join(rootfs, 'model/model.onnx'))).toEqual(readFileSync(join(pkg.dir, 'model.onnx')));
    expect(await readdir(join(rootfs, 'app/node_modules/onnxruntime-node/bin/napi-v6/linux'))).toEqual(['x64']);
    const runtimeSpec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(runtimeSpec.process.user).toMatchObject({ uid: 65532, gid: 65532 });
    expect(runtimeSpec.process.cwd).toBe('/app');
  });

  it('rebuilds a new model version by uploading only the model layer and the config', async () => {
    const next = await writeIrisPackage(join(work, 'iris-1.1.0'), '1.1.0');
    const second = await build(`${registry.host}/models/iris:1.1.0`, { packageDir: next.dir });
    const layers = second.platforms[0]!.layers;
    expect(layers.map((l) => l.status)).toEqual(['exists', 'exists', 'exists', 'uploaded']);
    expect(second.uploaded).toBe(2); // model layer + config
    expect(layers.slice(0, 3).map((l) => l.digest)).toEqual(first.platforms[0]!.layers.slice(0, 3).map((l) => l.digest));
    expect(layers[3]!.digest).not.toBe(first.platforms[0]!.layers[3]!.digest);
    expect((await inspect(`${registry.host}/models/iris:1.1.0`)).Labels['io.mlship.model.version']).toBe('1.1.0');
  });

  it('mounts the runtime and server layers into a new repository from one pushed before', async () => {
    const next = await writeIrisPackage(join(work, 'iris-3.0.0'), '3.0.0');
    const other = await build(`${registry.host}/models/another-model:3.0.0`, { packageDir: next.dir });
    expect(other.platforms[0]!.layers.map((l) => [l.role, l.status])).toEqual([['base', 'mounted'], ['runtime', 'mounted'], ['server', 'mounted'], ['model', 'uploaded']]);
    expect(other.uploaded).toBe(2); // the model layer and the config
  });

  it('builds linux/amd64 + linux/arm64 as an image index with the arm64 binding in the arm64 image', async () => {
    const multi = await build(`${registry.host}/models/iris:multi`, { platforms: ['linux/amd64', 'linux/arm64'] });
    expect(multi.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const raw = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/models/iris:multi`));
    expect(raw.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    // The amd64 image inside the index is the single-platform image built before.
    expect(raw.manifests[0].digest).toBe(first.digest);
    const arm = await inspect(`${registry.host}/models/iris:multi`, '--override-arch', 'arm64');
    expect(arm.Architecture).toBe('arm64');
    const armRuntime = multi.platforms[1]!.layers.find((l) => l.role === 'runtime')!;
    const paths = (await layerListing(registry, armRuntime.digest)).map((l) => l.split(/\s+/).at(-1)!);
    expect(paths).toContain('app/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node');
    expect(paths.some((p) => p.includes('linux/x64'))).toBe(false);
    // The binding in each image is built for that CPU: readelf reads the ELF header's machine.
    for (const [platform, arch, machine] of [[0, 'x64', 'Advanced Micro Devices X86-64'], [1, 'arm64', 'AArch64']] as const) {
      const runtimeLayer = multi.platforms[platform]!.layers.find((l) => l.role === 'runtime')!;
      const hex = runtimeLayer.digest.slice('sha256:'.length);
      const dir = join(work, `elf-${arch}`);
      await exec('mkdir', ['-p', dir]);
      const binding = `app/node_modules/onnxruntime-node/bin/napi-v6/linux/${arch}/onnxruntime_binding.node`;
      await exec('tar', ['-xzf', join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'), '-C', dir, binding]);
      const { stdout } = await exec('readelf', ['-h', join(dir, binding)]);
      expect(stdout).toMatch(new RegExp(`Machine:\\s+${machine}`));
    }
    // The model and server layers are shared by both platforms.
    expect(multi.platforms[1]!.layers.at(-1)!.digest).toBe(multi.platforms[0]!.layers.at(-1)!.digest);
    // The same index as an OCI layout: skopeo resolves each platform from it.
    const layout = join(work, 'multi-layout');
    const local = await build(`${registry.host}/models/iris:multi`, { platforms: ['linux/amd64', 'linux/arm64'], output: { kind: 'oci-layout', dir: layout } });
    expect(local.digest).toBe(multi.digest);
    const armLocal = JSON.parse(await skopeo('inspect', '--override-arch', 'arm64', `oci:${layout}:${registry.host}/models/iris:multi`));
    expect(armLocal.Architecture).toBe('arm64');
    expect(armLocal.Layers).toContain(armRuntime.digest);
  });

  it('builds on a Docker v2 schema 2 base (converted by skopeo) and writes an OCI image', async () => {
    const dockerBase = `${registry.host}/base/node-docker:24`;
    await skopeo('copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--format', 'v2s2', '--override-arch', 'amd64', `docker://${base.reference}`, `docker://${dockerBase}`);
    const rawBase = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--raw', `docker://${dockerBase}`));
    expect(rawBase.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const res = await build(`${registry.host}/models/iris:on-docker-base`, { base: dockerBase });
    const raw = JSON.parse(await skopeo('inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/models/iris:on-docker-base`));
    expect(raw.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(raw.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(Array(4).fill('application/vnd.oci.image.layer.v1.tar+gzip'));
    // Same layers as on the OCI base: only the media types of the base's descriptors differ.
    expect(res.platforms[0]!.layers.map((l) => l.digest)).toEqual(first.platforms[0]!.layers.map((l) => l.digest));
  });

  it('refuses a platform the base does not have, naming the ones it has', async () => {
    await expect(build(`${registry.host}/models/iris:s390x`, { platforms: ['linux/s390x'] })).rejects.toThrow(/has no linux\/s390x variant \(it has: linux\/amd64, linux\/arm64\)/);
  });

  it('writes a docker-load tar that skopeo reads as docker-archive', async () => {
    const file = join(work, 'iris.tar');
    const res = await build(`${registry.host}/models/iris:1.0.0`, { output: { kind: 'docker-tar', file } });
    expect(res.digest).toBe(first.digest);
    const viaSkopeo = JSON.parse(await skopeo('inspect', `docker-archive:${file}`));
    expect(viaSkopeo.Labels['io.mlship.model.name']).toBe('iris-rf');
    expect(viaSkopeo.Layers).toHaveLength(4);
  });

  it('survives a registry that fails with 5xx and drops the connection mid-upload: same digest', async () => {
    const proxy = await startFaultProxy(registry.host);
    try {
      proxy.addRule({ match: (m, p) => m === 'PUT' && p.includes('/blobs/uploads/'), fault: 'drop-mid-upload', times: 1 });
      proxy.addRule({ match: (m, p) => m === 'POST' && p.includes('/blobs/uploads/'), fault: { status: 503 }, times: 1 });
      proxy.addRule({ match: (m, p) => m === 'PUT' && p.includes('/manifests/'), fault: { status: 500 }, times: 1 });
      const res = await build(`${proxy.host}/faulty/iris:1.0.0`, { base: base.reference.replace(registry.host, proxy.host) });
      expect(proxy.injected).toHaveLength(3);
      expect(logs.filter((l) => /retrying/.test(l)).length).toBeGreaterThanOrEqual(3);
      // Same content as the clean build except the base's name (annotation): compare the layers and config.
      const clean = await build(`${registry.host}/faulty-clean/iris:1.0.0`, { base: base.reference.replace(registry.host, proxy.host) });
      expect(res.digest).toBe(clean.digest);
      expect((await inspect(`${registry.host}/faulty/iris:1.0.0`)).Digest).toBe(res.digest);
    } finally {
      await proxy.stop();
    }
  });

  it('writes a Dockerfile context holding the same files as the layers, which buildah builds to the same config', async () => {
    const ctx = join(work, 'docker-context');
    await writeDockerContext({ packageDir: pkg.dir, outDir: ctx, base: base.reference, serverBundle: SERVER_BUNDLE, env, logger, source: SOURCE });
    const dockerfile = readFileSync(join(ctx, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`FROM ${base.reference}\n`);
    expect(dockerfile).toContain('LABEL io.mlship.model.sha256="' + pkg.modelSha256 + '"');
    const { stdout } = await exec('find', ['.', '-type', 'f'], { cwd: ctx });
    const contextFiles = stdout.trim().split('\n').map((p) => p.slice(2)).filter((p) => p !== 'Dockerfile')
      .map((p) => p.replace(/^runtime-amd64\//, 'app/').replace(/^(mlship\.js|[a-z-]+\.worker\.js|package\.json)$/, 'app/$1')).sort();
    const layerFiles: string[] = [];
    for (const l of first.platforms[0]!.layers.slice(1)) {
      for (const line of await layerListing(registry, l.digest)) if (line.startsWith('-')) layerFiles.push(line.split(/\s+/).at(-1)!);
    }
    expect(contextFiles).toEqual(layerFiles.sort());

    // And buildah builds that Dockerfile into an image with the same runtime config as ours.
    const storage = ['--root', join(work, 'buildah-root'), '--runroot', join(work, 'buildah-run'), '--storage-driver', 'vfs'];
    const tag = `${registry.host}/models/iris-buildah:1.0.0`;
    try {
      await exec('buildah', [...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '--platform', 'linux/amd64', '-t', tag, '-f', join(ctx, 'Dockerfile'), ctx], { maxBuffer: 64 << 20 });
      await exec('buildah', [...storage, 'push', '--tls-verify=false', tag, `docker://${tag}`], { maxBuffer: 64 << 20 });
    } finally {
      await exec('buildah', [...storage, 'rmi', '--all', '--force']).catch(() => undefined);
    }
    const theirs = (await inspect(tag, '--config')).config;
    const ours = (await inspect(`${registry.host}/models/iris:1.0.0`, '--config')).config;
    for (const key of ['User', 'WorkingDir', 'Entrypoint', 'Env', 'ExposedPorts', 'StopSignal']) expect({ key, value: theirs[key] }).toEqual({ key, value: ours[key] });
    const { 'io.buildah.version': _, ...theirLabels } = theirs.Labels;
    expect(theirLabels).toEqual(ours.Labels);
  }, 240_000);

  describe('podman run', () => {
    let podman: Podman;
    beforeAll(async () => { podman = await startPodman(); });
    afterAll(async () => { await podman?.stop(); });

    it('starts as the non-root user deploy-k8s expects, read-only, becomes ready and answers with the golden outputs', async () => {
      const port = await freePort();
      const name = `mlship-test-${process.pid}`;
      await podman.exec(['pull', '--tls-verify=false', `docker://${registry.host}/models/iris:1.0.0`], { timeoutMs: 180_000 });
      // The same restrictions deploy-k8s puts on the pod: read-only root filesystem with a writable
      // /tmp, no capabilities, no privilege escalation; the user is the image's own (no --user).
      await podman.exec(['run', '-d', '--name', name, '--network', 'host', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL',
        '--security-opt', 'no-new-privileges', '-e', `MLSHIP_PORT=${port}`, '-e', 'MLSHIP_HOST=127.0.0.1', `${registry.host}/models/iris:1.0.0`]);
      let ready = false;
      for (let i = 0; i < 300 && !ready; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/v2/health/ready`).then((r) => r.ok, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      if (!ready) throw new Error(`container never became ready:\n${await podman.exec(['logs', name])}`);
      expect((await podman.exec(['exec', name, 'node', '-e', 'console.log(process.getuid()+":"+process.getgid())'])).trim()).toBe(`${MODEL_SERVER_UID}:${MODEL_SERVER_UID}`);
      const golden = pkg.manifest.golden;
      const res = await fetch(`http://127.0.0.1:${port}/v2/models/iris-rf/infer`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'float_input', shape: [golden.inputs.length, 4], datatype: 'FP32', data: golden.inputs.flat() }] }),
      });
      expect(res.status).toBe(200);
      const body = await res.json() as { outputs: { name: string; data: number[] }[] };
      const out = Object.fromEntries(body.outputs.map((o) => [o.name, o.data]));
      // Golden outputs: computed by onnxruntime-node when the package was written (writePackage).
      expect(out.label).toEqual(golden.outputs.label);
      expect(out.probabilities).toEqual((golden.outputs.probabilities as number[][]).flat());
      await podman.exec(['stop', '-t', '5', name]);
    });

    it('runs `mlship predict` inside the image (read-only, non-root) on 2 worker threads: the output equals the host CLI run byte for byte', async () => {
      // The image's own worker bundle (/app/predict-score.worker.js) must be there: without it predict
      // warns and scores on one thread. 3000 rows of 4 features (gen-tabular, seeded) with an id column.
      const data = join(work, 'predict-data');
      mkdirSync(data, { recursive: true });
      chmodSync(data, 0o777);
      const csv = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-tabular.mjs'), '--rows', '3000', '--features', '4', '--seed', '5', '--target', 'multiclass', '--precision', '3'], { encoding: 'utf8' });
      writeFileSync(join(data, 'in.csv'), `sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),target${csv.slice(csv.indexOf('\n'))}`);
      await podman.exec(['pull', '--tls-verify=false', `docker://${registry.host}/models/iris:1.0.0`], { timeoutMs: 180_000 });
      const out = await podman.exec(['run', '--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
        '-v', `${data}:/data`, '--entrypoint', 'node', `${registry.host}/models/iris:1.0.0`,
        '/app/mlship.js', 'predict', '--package', '/model', '--data', '/data/in.csv', '--out', '/data/out.csv', '--keep', 'target', '--workers', '2', '--chunk-bytes', '8192', '--verbose'], { timeoutMs: 180_000 });
      // workers: 2 only when the worker bundle was found (without it predict scores inline and says 1).
      const summary = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(summary).toMatchObject({ out: '/data/out.csv', rows: 3000, rejected: 0, workers: 2 });
      const host = await runCli(['predict', '--package', pkg.dir, '--data', join(data, 'in.csv'), '--out', join(work, 'host-out.csv'), '--keep', 'target', '--workers', '2', '--quiet'], work);
      expect(host.code, host.stderr).toBe(0);
      expect(readFileSync(join(data, 'out.csv')).equals(readFileSync(join(work, 'host-out.csv')))).toBe(true);
    }, 240_000);

    it('the image without its worker bundle would be refused at build time, naming the file', async () => {
      const lone = join(work, 'lone');
      mkdirSync(lone, { recursive: true });
      copyFileSync(SERVER_BUNDLE, join(lone, 'mlship.js'));
      await expect(build(`${registry.host}/models/iris:lone`, { serverBundle: join(lone, 'mlship.js') })).rejects.toThrow(/predict-score\.worker\.js is not beside the model-server bundle/);
    });

    it('loads the docker-load tar', async () => {
      const file = join(work, 'load.tar');
      await build('localhost/iris-load:1.0.0', { output: { kind: 'docker-tar', file } });
      const out = await podman.exec(['load', '-i', file]);
      expect(out).toMatch(/Loaded image.*localhost\/iris-load:1\.0\.0/);
      const labels = JSON.parse(await podman.exec(['image', 'inspect', '--format', '{{json .Labels}}', 'localhost/iris-load:1.0.0']));
      expect(labels['io.mlship.model.name']).toBe('iris-rf');
    });
  });
});
