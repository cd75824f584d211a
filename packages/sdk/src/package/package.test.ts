import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { cliOptionName, GateFailedError, InputError, renderOptionRefs } from '../errors.ts';
import { serialize } from '../serialize/serialize.ts';
import { writeTar, type TarEntry } from '../util/tar.ts';
import { extractPackageArchive, writePackageArchive } from './archive.ts';
import { loadPackage } from './loader.ts';
import { MANIFEST_FILE, parseManifest, type PackageManifest } from './manifest.ts';

const FIX = join(REPO_ROOT, 'test', 'fixtures');
let work: string;
let pkg: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-pkg-'));
  pkg = join(work, 'iris');
  await serialize({
    model: join(FIX, 'models', 'iris_rf.onnx'), format: 'onnx', out: pkg, name: 'iris-rf', version: '1.0.0',
    featuresFrom: join(FIX, 'datasets', 'iris', 'train.csv'), sample: join(FIX, 'datasets', 'iris', 'test.csv'),
    createdAt: '2026-01-01T00:00:00Z',
  });
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

async function copyPackage(name: string): Promise<string> {
  const dir = join(work, name);
  await cp(pkg, dir, { recursive: true });
  return dir;
}

async function editManifest(dir: string, edit: (m: PackageManifest) => void): Promise<void> {
  const m = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as PackageManifest;
  edit(m);
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2));
}

async function archiveOf(entries: TarEntry[], name: string): Promise<string> {
  const file = join(work, name);
  await writeFile(file, gzipSync(writeTar(entries)));
  return file;
}

const file = (path: string, text = 'x'): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, content: new TextEncoder().encode(text) });

describe('serialize --out over an earlier package', () => {
  it('replaces it as a whole, says so, and warns about a <out>.tar.gz it did not rewrite; other folders are refused', async () => {
    const out = join(work, 'again');
    const logs: string[] = [];
    const cli = (m: string) => renderOptionRefs(m, cliOptionName);
    const logger = { debug() {}, info: (m: string) => logs.push(`info: ${cli(m)}`), warn: (m: string) => logs.push(`warn: ${cli(m)}`) };
    const run = (version: string, archive?: string) => serialize({
      model: join(FIX, 'models', 'iris_rf.onnx'), format: 'onnx', out, archive, name: 'iris-rf', version,
      featuresFrom: join(FIX, 'datasets', 'iris', 'train.csv'), goldenRows: 2, logger,
    });
    await run('1.0.0', `${out}.tar.gz`);
    await writeFile(join(out, 'stale.txt'), 'from an earlier run'); // a file the new package does not list
    logs.length = 0;
    const r = await run('2.0.0');
    expect(r.manifest.version).toBe('2.0.0');
    expect((await readdir(out)).sort()).toEqual(['mlship.json', 'model.onnx']);
    expect(logs).toContain(`info: Replaced the earlier package in ${out} (iris-rf 2.0.0)`);
    expect(logs).toContain(`warn: ${out}.tar.gz was not rewritten (no --archive): it holds an earlier package, not necessarily this one. Pass --archive ${out}.tar.gz to rewrite it, or delete it.`);
    const other = join(work, 'not-a-package');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'mine');
    await expect(serialize({ model: join(FIX, 'models', 'iris_rf.onnx'), format: 'onnx', out: other, name: 'x', version: '1' }))
      .rejects.toThrow(/is not empty and is not a model package; choose a new or empty --out folder/);
    expect(await readdir(other)).toEqual(['notes.txt']);
  });
});

describe('reproducible archives', () => {
  it('the same inputs and SOURCE_DATE_EPOCH give a byte-identical archive', async () => {
    const make = async (n: string) => {
      const r = await serialize({
        model: join(FIX, 'models', 'wine_gb.onnx'), format: 'onnx', out: join(work, n), archive: join(work, `${n}.tar.gz`), name: 'wine', version: '2',
        featuresFrom: join(FIX, 'datasets', 'wine', 'train.csv'), env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' },
      });
      return { bytes: await readFile(r.archivePath!), createdAt: r.manifest.provenance.createdAt };
    };
    const a = await make('r1');
    const b = await make('r2');
    expect(a.createdAt).toBe('2026-01-01T00:00:00Z');
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    // gzip header: MTIME (bytes 4..7) is zero.
    expect([...a.bytes.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it('archive entries: manifest first, sorted, mode 0644, uid/gid 0, fixed mtime', async () => {
    const out = join(work, 'arch.tar.gz');
    await writePackageArchive(pkg, out, 1234567890);
    const { readTar } = await import('../util/tar.ts');
    const { gunzipSync } = await import('node:zlib');
    const entries = readTar(gunzipSync(await readFile(out)));
    expect(entries.map((e) => [e.path, e.mode, e.uid, e.gid, e.mtime, e.uname, e.gname])).toEqual([
      [MANIFEST_FILE, 0o644, 0, 0, 1234567890, '', ''],
      ['model.onnx', 0o644, 0, 0, 1234567890, '', ''],
    ]);
  });
});

describe('loadPackage refuses tampered or inconsistent packages', () => {
  it('accepts the untouched package and its archive', async () => {
    const loaded = await loadPackage(pkg);
    expect(loaded.manifest.name).toBe('iris-rf');
    expect(loaded.modelPath).toBe(join(pkg, 'model.onnx'));
    expect(loaded.golden?.passed).toBe(true);
  });

  it('one changed byte in the model', async () => {
    const dir = await copyPackage('t-byte');
    const bytes = await readFile(join(dir, 'model.onnx'));
    bytes[bytes.length - 3] ^= 0x01;
    await writeFile(join(dir, 'model.onnx'), bytes);
    await expect(loadPackage(dir)).rejects.toThrow(new RegExp(`${join(dir, 'model.onnx').replace(/[/.]/g, '\\$&')} has SHA-256 [0-9a-f]{64} but .*mlship\\.json says`));
  });

  it('a changed manifest field: signature, opsets, a file hash, golden outputs, schemaVersion', async () => {
    const cases: Array<[string, (m: PackageManifest) => void, RegExp]> = [
      ['sig', (m) => { m.signature.inputs[0]!.shape = ['', 5]; }, /signature inputs .* do not match/],
      ['opsets', (m) => { m.opsets['ai.onnx'] = 12; }, /opsets .* do not match/],
      ['sha', (m) => { m.files[0]!.sha256 = '0'.repeat(64); }, /model\.onnx has SHA-256 .* says 0{64}/],
      ['size', (m) => { m.files[0]!.size += 1; }, /model\.onnx has \d+ bytes but .* says/],
      ['schema', (m) => { m.schemaVersion = 99; }, /schemaVersion 99 is newer than this mlship understands/],
      ['role', (m) => { m.outputRoles.label = 'nope'; }, /outputRoles\.label.*must name one of the outputs/],
      ['features', (m) => { m.featureNames.pop(); m.inputs[0]!.columns.pop(); m.golden.inputs = m.golden.inputs.map((r) => r.slice(0, 3)); }, /featureNames has 3 names but .* takes 4 features/],
      ['labels', (m) => { m.classLabels = [0, 1]; }, /classLabels has 2 labels but output probabilities .* has 3 columns/],
      ['path', (m) => { m.files[0]!.path = '../model.onnx'; m.model = '../model.onnx'; }, /files\[0\]\.path.*relative path inside the package/],
    ];
    for (const [name, edit, message] of cases) {
      const dir = await copyPackage(`t-${name}`);
      await editManifest(dir, edit);
      await expect(loadPackage(dir), name).rejects.toThrow(message);
    }
    const dir = await copyPackage('t-golden');
    await editManifest(dir, (m) => { (m.golden.outputs.probabilities![0] as number[])[0] = 0.123; });
    const err = await loadPackage(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GateFailedError);
    expect((err as Error).message).toMatch(/golden examples do not reproduce.*output "probabilities".*row 0, column 0: expected 0\.123/);
  });

  it('reads a format-1 manifest (before inputs, allowMissing, staticBatch): the default column → input rule fills them', async () => {
    const dir = await copyPackage('t-v1');
    await editManifest(dir, (m) => {
      const old = m as unknown as Record<string, unknown>;
      old.schemaVersion = 1;
      delete old.inputs; delete old.allowMissing; delete old.staticBatch;
    });
    const loaded = await loadPackage(dir);
    expect(loaded.manifest.schemaVersion).toBe(1);
    expect(loaded.manifest.inputs).toEqual([{ name: 'float_input', type: 'float32', columns: loaded.manifest.featureNames }]);
    expect(loaded.manifest.allowMissing).toBe(false);
    expect(loaded.manifest.staticBatch).toBeNull();
    expect(loaded.golden?.passed).toBe(true);
  });

  it('an extra file, and a missing one', async () => {
    const dir = await copyPackage('t-extra');
    await writeFile(join(dir, 'evil.py'), 'import os');
    await expect(loadPackage(dir)).rejects.toThrow(/evil\.py is not listed in .*mlship\.json/);
    const dir2 = await copyPackage('t-missing');
    await rm(join(dir2, 'model.onnx'));
    await expect(loadPackage(dir2)).rejects.toThrow(/model\.onnx is listed in .* but missing/);
  });

  it('archives with ../evil, absolute paths, symlinks, hard links, devices or duplicates extract nothing', async () => {
    const manifest = await readFile(join(pkg, MANIFEST_FILE), 'utf8');
    const base = [file(MANIFEST_FILE, manifest)];
    const bad: Array<[string, TarEntry, RegExp]> = [
      ['traversal', file('../evil', 'pwned'), /entry "\.\.\/evil" is an absolute path or leaves the package folder/],
      ['nested-traversal', file('a/../../evil'), /leaves the package folder/],
      ['absolute', file('/tmp/evil'), /entry "\/tmp\/evil" is an absolute path/],
      ['symlink', { path: 'model.onnx', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkTarget: '/etc/passwd' }, /entry "model\.onnx" is a symbolic link \(to "\/etc\/passwd"\)/],
      ['hardlink', { path: 'h', type: 'hardlink', mode: 0o644, uid: 0, gid: 0, mtime: 0, linkTarget: '../x' }, /is a hard link/],
      ['device', { path: 'dev', type: 'chardev', mode: 0o644, uid: 0, gid: 0, mtime: 0 }, /entry "dev" is a chardev/],
      ['duplicate', file(MANIFEST_FILE, '{}'), /appears twice/],
    ];
    for (const [name, entry, message] of bad) {
      const archive = await archiveOf([...base, entry], `${name}.tar.gz`);
      const target = join(work, `x-${name}`, 'out');
      await expect(loadPackage(archive, { extractTo: target }), name).rejects.toThrow(message);
      expect(existsSync(target), name).toBe(false);
      expect((await readdir(join(work, `x-${name}`)).catch(() => [])), name).toEqual([]);
    }
    expect(existsSync(join(work, 'evil'))).toBe(false);
  });

  it('refuses a file that is not gzip, and a non-empty extraction folder', async () => {
    const notGz = join(work, 'plain.tar.gz');
    await writeFile(notGz, 'hello');
    await expect(loadPackage(notGz)).rejects.toThrow(/is not a gzip-compressed package archive/);
    const archive = join(work, 'good.tar.gz');
    await writePackageArchive(pkg, archive, 0);
    await expect(extractPackageArchive(archive, pkg)).rejects.toThrow(/is not empty/);
    const loaded = await loadPackage(archive, { extractTo: join(work, 'good-out') });
    expect(loaded.archivePath).toBe(archive);
    expect(loaded.manifest.name).toBe('iris-rf');
  });

  it('accepts an archive made with GNU tar -C dir . (./-prefixed names)', async () => {
    const { execFileSync } = await import('node:child_process');
    const archive = join(work, 'gnu.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', pkg, '.']);
    const loaded = await loadPackage(archive, { extractTo: join(work, 'gnu-out') });
    expect(loaded.manifest.name).toBe('iris-rf');
  });

  it('stores evaluate-model metrics (manifest + metrics.json) and warns when they describe another model', async () => {
    const { evaluateModel } = await import('../evaluate/evaluate.ts');
    const metricsFile = join(work, 'metrics.json');
    const report = await evaluateModel({ model: join(FIX, 'models', 'iris_rf.onnx'), data: join(FIX, 'datasets', 'iris', 'test.csv'), out: metricsFile, bootstrap: 0 });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m) };
    const r = await serialize({ model: join(FIX, 'models', 'iris_rf.onnx'), format: 'onnx', out: join(work, 'with-metrics'), name: 'iris-rf', version: '2', metricsFile, logger, featuresFrom: join(FIX, 'datasets', 'iris', 'train.csv') });
    expect(r.manifest.metrics).toEqual(report.metrics);
    expect(r.manifest.files.map((f) => f.path)).toEqual(['metrics.json', 'model.onnx']);
    expect(await readFile(join(r.dir, 'metrics.json'), 'utf8')).toBe(await readFile(metricsFile, 'utf8'));
    expect(warnings).toEqual([]);
    await serialize({ model: join(FIX, 'models', 'wine_gb.onnx'), format: 'onnx', out: join(work, 'wrong-metrics'), name: 'wine', version: '2', metricsFile, logger });
    expect(warnings.join('\n')).toMatch(/metrics\.json was computed on a model with sha256 .* not the packaged model/);
  });

  it('parseManifest names the file and field', () => {
    expect(() => parseManifest('{', 'p/mlship.json')).toThrow(/p\/mlship\.json is not valid JSON/);
    expect(() => parseManifest('{"kind":"mlship.model-package","schemaVersion":1,"name":"Bad Name","version":"1","task":"regression","model":"m"}', 'p/mlship.json'))
      .toThrow(InputError);
  });
});
