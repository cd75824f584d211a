import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritePackageResult } from '@mlship/sdk';
import { pushTestBaseImage, type TestBase } from '../harness/base-image.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { startFaultProxy, startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

// actions/build-image run as the runner runs it (dist/index.js, INPUT_*, GITHUB_OUTPUT, step summary),
// with the base on one registry and the target on another that requires htpasswd Basic auth — so the
// base layers are copied across registries and the credentials path is real.
const exec = promisify(execFile);

describe('actions/build-image', () => {
  let baseRegistry: LocalRegistry;
  let authRegistry: LocalRegistry;
  let base: TestBase;
  let pkg: WritePackageResult;
  let work: string;
  beforeAll(async () => {
    [baseRegistry, authRegistry] = await Promise.all([startRegistry(), startRegistry({ htpasswd: { username: 'ci', password: 's3cret-pass' } })]);
    base = await pushTestBaseImage(baseRegistry.host);
    work = await mkdtemp(join(tmpdir(), 'mlship-build-image-action-'));
    pkg = await writeIrisPackage(join(work, 'pkg'), '2.0.0');
  });
  afterAll(async () => {
    await Promise.all([baseRegistry?.stop(), authRegistry?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pushes with username/password and sets image, digest, size and layers outputs', async () => {
    const tag = `${authRegistry.host}/octo-org/iris:2.0.0`;
    const run = await runAction({
      action: 'build-image',
      inputs: {
        package: pkg.dir, tag, base: base.reference, platforms: 'linux/amd64', username: 'ci', password: 's3cret-pass',
        source: 'https://github.com/octo-org/ml-repo', revision: '0123456789abcdef0123456789abcdef01234567', labels: 'team=ml-platform\nowner=ada, lovelace',
        'extra-tags': 'latest, 2',
      },
      env: { SOURCE_DATE_EPOCH: '1767225600' },
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.image).toBe(`${authRegistry.host}/octo-org/iris@${run.outputs.digest}`);
    expect(run.outputs.reference).toBe(tag);
    const layers = JSON.parse(run.outputs.layers!) as { role: string; size: number; digest: string }[];
    expect(layers.map((l) => l.role)).toEqual(['base', 'runtime', 'server', 'model']);
    expect(Number(run.outputs.size)).toBeGreaterThan(layers.reduce((s, l) => s + l.size, 0));
    expect(run.summary).toContain('### Model-server image');
    expect(run.summary).toContain('| model |');
    expect(run.stdout + run.stderr).not.toContain('s3cret-pass');

    const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', '--creds', 'ci:s3cret-pass', `docker://${tag}`]);
    const inspected = JSON.parse(stdout);
    expect(inspected.Digest).toBe(run.outputs.digest);
    expect(run.outputs.tags).toBe('2.0.0,latest,2');
    expect(run.summary).toContain('| tags | `2.0.0`, `latest`, `2` |');
    for (const t of ['latest', '2']) {
      const other = JSON.parse((await exec('skopeo', ['inspect', '--tls-verify=false', '--creds', 'ci:s3cret-pass', `docker://${authRegistry.host}/octo-org/iris:${t}`])).stdout);
      expect(other.Digest).toBe(run.outputs.digest);
    }
    expect(inspected.Labels).toMatchObject({ team: 'ml-platform', owner: 'ada, lovelace', 'io.mlship.model.version': '2.0.0', 'org.opencontainers.image.source': 'https://github.com/octo-org/ml-repo' });
  });

  it('goes through the HTTP proxy named by HTTP_PROXY (self-hosted runners behind a proxy)', async () => {
    const proxy = await startFaultProxy(baseRegistry.host); // forwards every request it gets
    try {
      const run = await runAction({
        action: 'build-image',
        inputs: { package: pkg.dir, tag: `${baseRegistry.host}/octo-org/iris:proxied`, base: base.reference },
        env: { HTTP_PROXY: `http://user:proxy-secret@${proxy.host}`, NO_PROXY: '' },
      });
      expect(run.errors).toEqual([]);
      expect(run.outputs.digest).toMatch(/^sha256:/);
      // Node's fetch tunnels through the proxy with CONNECT to the registry.
      expect(proxy.requests).toContain(`CONNECT ${baseRegistry.host}`);
      expect(run.stdout).toContain(`using the proxy http://${proxy.host}/`);
      expect(run.stdout + run.stderr).not.toContain('proxy-secret');
    } finally {
      await proxy.stop();
    }
  });

  it('fails the step with a clear message on bad credentials, without printing the password', async () => {
    const run = await runAction({
      action: 'build-image',
      inputs: { package: pkg.dir, tag: `${authRegistry.host}/octo-org/iris:bad`, base: base.reference, username: 'ci', password: 'wrong-pass' },
    });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/rejected the credentials of user "ci" \(HTTP 401/);
    expect(run.stdout + run.stderr).not.toContain('wrong-pass');
  });

  it('writes a docker-load tar with the CLI (mlship image build --docker-tar)', async () => {
    const file = join(work, 'iris.tar');
    const { stdout } = await exec(process.execPath, [join(REPO_ROOT, 'packages/cli/dist/mlship.js'), 'image', 'build', '--package', pkg.dir, '--tag', 'localhost/iris:2.0.0', '--base', base.reference, '--docker-tar', file, '--json'], { maxBuffer: 16 << 20 });
    const result = JSON.parse(stdout);
    expect(result.output).toEqual({ kind: 'docker-tar', file });
    const inspected = JSON.parse((await exec('skopeo', ['inspect', `docker-archive:${file}`])).stdout);
    expect(inspected.Labels['io.mlship.model.name']).toBe('iris-rf');
    // docker-archive lists layers by diff_id (sha256 of the uncompressed tar).
    expect(inspected.Layers).toEqual(result.platforms[0].layers.map((l: { diffId: string }) => l.diffId));
  });

  it('builder: docker without a docker CLI says so and points at the daemonless builder', async () => {
    const run = await runAction({
      action: 'build-image',
      inputs: { package: pkg.dir, tag: `${baseRegistry.host}/octo-org/iris:docker`, base: base.reference, builder: 'docker' },
      env: { PATH: '/nonexistent' },
    });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/builder: docker needs the docker CLI with buildx and a running daemon/);
  });

  it('pushes with the CLI, reading the password from stdin (mlship image build --username --password-stdin)', async () => {
    const { spawn } = await import('node:child_process');
    const tag = `${authRegistry.host}/octo-org/iris:cli`;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/dist/mlship.js'), 'image', 'build', '--package', pkg.dir, '--tag', tag, '--base', base.reference, '--username', 'ci', '--password-stdin'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { err += b; });
    child.stdin.end('s3cret-pass\n');
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('### Model-server image');
    const digest = /\| digest \| `(sha256:[0-9a-f]{64})` \|/.exec(out)?.[1];
    const inspected = JSON.parse((await exec('skopeo', ['inspect', '--tls-verify=false', '--creds', 'ci:s3cret-pass', `docker://${tag}`])).stdout);
    expect(inspected.Digest).toBe(digest);
    expect(out + err).not.toContain('s3cret-pass');
  });

  it('mlship image dockerfile writes a context, rewrites its own, and refuses a foreign non-empty folder', async () => {
    const cli = join(REPO_ROOT, 'packages/cli/dist/mlship.js');
    const ctx = join(work, 'ctx');
    for (let i = 0; i < 2; i++) {
      const { stdout } = await exec(process.execPath, [cli, 'image', 'dockerfile', '--package', pkg.dir, '--out', ctx, '--platform', 'linux/amd64,linux/arm64']);
      expect(stdout.trim()).toBe(join(ctx, 'Dockerfile'));
    }
    const { readdir, writeFile, mkdir } = await import('node:fs/promises');
    expect((await readdir(ctx)).sort()).toEqual(['Dockerfile', 'drift-read.worker.js', 'mlship.js', 'model', 'package.json', 'predict-score.worker.js', 'runtime-amd64', 'runtime-arm64', 'table-read.worker.js']);
    const foreign = join(work, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'mine');
    const res = await exec(process.execPath, [cli, 'image', 'dockerfile', '--package', pkg.dir, '--out', foreign]).catch((e: { code: number; stderr: string }) => e);
    expect((res as { code: number }).code).toBe(2);
    expect((res as { stderr: string }).stderr).toMatch(/is not empty and holds no Dockerfile written by mlship/);
    expect(await readdir(foreign)).toEqual(['notes.txt']);
  });

  it('exits 2 with the reason when the package is missing', async () => {
    const res = await exec(process.execPath, [join(REPO_ROOT, 'packages/cli/dist/mlship.js'), 'image', 'build', '--package', join(work, 'nope'), '--tag', 'localhost/iris:x', '--base', base.reference, '--oci-layout', join(work, 'layout')]).catch((e: { code: number; stderr: string }) => e);
    expect((res as { code: number }).code).toBe(2);
    expect((res as { stderr: string }).stderr).toMatch(/nope does not exist/);
  });
});
