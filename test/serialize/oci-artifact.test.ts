import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InputError, MODEL_ARTIFACT_TYPE, PACKAGE_ARCHIVE_MEDIA_TYPE, pullPackage, pushPackage, inspectRemotePackage, serialize, tagPackage, writePackageArchive,
} from '@mlship/sdk';
import { startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

// Integration: a real registry (Debian docker-registry on 127.0.0.1) and the real ORAS CLI
// (oras.land/oras v1.2.3 from scripts/go-tools.txt, in .tools/bin) as the interop reference.
const ORAS = join(REPO_ROOT, '.tools', 'bin', 'oras');
const FIX = join(REPO_ROOT, 'test', 'fixtures');
let registry: LocalRegistry;
let work: string;
let pkgDir: string;

function oras(args: string[], cwd?: string): string {
  if (!existsSync(ORAS)) throw new Error(`${ORAS} is missing: run npm run setup (scripts/go-tools.txt installs oras).`);
  return execFileSync(ORAS, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  registry = await startRegistry();
  work = await mkdtemp(join(tmpdir(), 'mlship-oci-art-'));
  pkgDir = join(work, 'pkg');
  await serialize({
    model: join(FIX, 'models', 'breast_cancer_logreg.onnx'), format: 'onnx', out: pkgDir, name: 'cancer-logreg', version: '3.1.0',
    featuresFrom: join(FIX, 'datasets', 'breast_cancer', 'train.csv'), createdAt: '2026-02-03T04:05:06Z',
  });
});
afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('model package as an OCI artifact', () => {
  it('push (tag defaults to the version), pull by tag and by digest, verified', async () => {
    const pushed = await pushPackage(pkgDir, `${registry.host}/models/cancer`);
    expect(pushed.reference).toBe(`${registry.host}/models/cancer:3.1.0`);
    expect(pushed.manifest.artifactType).toBe(MODEL_ARTIFACT_TYPE);
    expect(pushed.manifest.layers[0]!.mediaType).toBe(PACKAGE_ARCHIVE_MEDIA_TYPE);
    const byTag = await pullPackage(pushed.reference, join(work, 'by-tag'));
    expect(byTag.digest).toBe(pushed.digest);
    expect(byTag.package.manifest.name).toBe('cancer-logreg');
    const byDigest = await pullPackage(pushed.pinned, join(work, 'by-digest'));
    expect(await readFile(join(work, 'by-digest', 'model.onnx'))).toEqual(await readFile(join(pkgDir, 'model.onnx')));
    expect(byDigest.package.golden?.passed).toBe(true);
    const remote = await inspectRemotePackage(pushed.reference);
    expect((remote.config as { version: string }).version).toBe('3.1.0');
    // Pushing the same package again gives the same digest (the archive is reproducible).
    expect((await pushPackage(pkgDir, `${registry.host}/models/cancer:again`)).digest).toBe(pushed.digest);
  });

  it('tag: promote a version in place and copy it to another repository, digest unchanged', async () => {
    const pushed = await pushPackage(pkgDir, `${registry.host}/models/cancer:3.1.0`);
    const promoted = await tagPackage(pushed.reference, `${registry.host}/models/cancer:production`);
    expect(promoted.digest).toBe(pushed.digest);
    const copied = await tagPackage(pushed.pinned, `${registry.host}/prod/cancer:live`);
    expect(copied.digest).toBe(pushed.digest);
    const pulled = await pullPackage(`${registry.host}/prod/cancer:live`, join(work, 'promoted'));
    expect(pulled.package.manifest.version).toBe('3.1.0');
    await expect(tagPackage(pushed.reference, `${registry.host}/models/cancer`)).rejects.toThrow(/needs a tag/);
  });

  it('oras pulls what we pushed: the archive comes out under its title and extracts to the package', async () => {
    const pushed = await pushPackage(pkgDir, `${registry.host}/models/cancer:for-oras`);
    const fetched = JSON.parse(oras(['manifest', 'fetch', '--plain-http', pushed.reference])) as { artifactType: string };
    expect(fetched.artifactType).toBe(MODEL_ARTIFACT_TYPE);
    const out = join(work, 'oras-out');
    oras(['pull', '--plain-http', '-o', out, pushed.reference]);
    expect(await readdir(out)).toEqual(['cancer-logreg-3.1.0.tar.gz']);
    const listing = execFileSync('tar', ['-tzf', join(out, 'cancer-logreg-3.1.0.tar.gz')], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(['mlship.json', 'model.onnx']);
  });

  it('we pull what oras pushed (oras push --artifact-type … file:mediatype)', async () => {
    const archive = join(work, 'up', 'cancer.tar.gz');
    await writePackageArchive(pkgDir, archive, 0);
    const ref = `${registry.host}/models/from-oras:v1`;
    oras(['push', '--plain-http', '--artifact-type', MODEL_ARTIFACT_TYPE, ref, `cancer.tar.gz:${PACKAGE_ARCHIVE_MEDIA_TYPE}`], join(work, 'up'));
    const pulled = await pullPackage(ref, join(work, 'from-oras'));
    expect(pulled.package.manifest.version).toBe('3.1.0');
    // An artifact of another type is refused, naming what it is.
    const other = join(work, 'up2');
    execFileSync('mkdir', ['-p', other]);
    execFileSync('cp', [join(FIX, 'README.md'), join(other, 'README.md')]);
    oras(['push', '--plain-http', '--artifact-type', 'application/vnd.example.docs', `${registry.host}/models/docs:v1`, 'README.md:text/markdown'], other);
    const err = await pullPackage(`${registry.host}/models/docs:v1`, join(work, 'docs')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/not an mlship model package: artifact type application\/vnd\.example\.docs, layers text\/markdown/);
    expect(existsSync(join(work, 'docs'))).toBe(false);
  });
});
