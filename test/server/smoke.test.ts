// The smoke-test client against a real model server: the package's golden rows must reproduce over HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSmokeTest, loadPackage, servedModelFrom, smokeTest, type ModelServer, type PackageManifest } from '@mlship/sdk';
import { FIXTURES, startServer, writeIrisPackage } from './helpers.ts';

let tmp: string;
let manifest: PackageManifest;
let pkgServer: { server: ModelServer; url: string };
let otherServer: { server: ModelServer; url: string };

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-smoke-'));
  await writeIrisPackage(join(tmp, 'pkg'), 5);
  const pkg = await loadPackage(join(tmp, 'pkg'), { checkGolden: false });
  manifest = pkg.manifest;
  pkgServer = await startServer(await servedModelFrom(join(tmp, 'pkg')));
  // The same ONNX model served bare: name given, but version "1" instead of the package's 1.2.0.
  otherServer = await startServer(await servedModelFrom(join(FIXTURES, 'models/iris_rf.onnx'), { name: 'iris-rf' }));
});

afterAll(async () => {
  await Promise.all([pkgServer?.server.close(), otherServer?.server.close()]);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('smokeTest', () => {
  it('passes when the server reproduces the golden rows (labels and probabilities)', async () => {
    const r = await smokeTest({ url: pkgServer.url, manifest });
    expect(r.message).toMatch(/5 golden rows reproduce over HTTP \(label, probabilities\)/);
    expect(r.passed).toBe(true);
    expect(r.comparisons.map((c) => [c.output, c.mismatchedRows])).toEqual([['label', 0], ['probabilities', 0]]);
    expect(assertSmokeTest(r)).toBe(r);
  });

  it('fails when the server serves another version', async () => {
    const r = await smokeTest({ url: otherServer.url, manifest });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/serves version\(s\) \["1"\], expected 1.2.0/);
    expect(() => assertSmokeTest(r)).toThrow(/Smoke test of iris-rf 1.2.0 .* failed/);
  });

  it('fails when the server serves another model file under the same name and version (a stale pod)', async () => {
    // The manifest of a package whose model differs: same name and version, other model hash.
    const other = structuredClone(manifest);
    const entry = other.files.find((f) => f.path === other.model)!;
    entry.sha256 = 'f'.repeat(64);
    const r = await smokeTest({ url: pkgServer.url, manifest: other });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(new RegExp(`serves a model with sha256 [0-9a-f]{64}, the package's is ${'f'.repeat(64)}: a stale pod`));
  });

  it('fails naming the output and row when a golden value differs', async () => {
    const changed = structuredClone(manifest);
    (changed.golden.outputs.probabilities as number[][])[3]![1] = 0.5;
    const r = await smokeTest({ url: pkgServer.url, manifest: changed });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/golden output probabilities differs: .*row 3/);
  });

  it('fails with the reason when nothing answers', async () => {
    const r = await smokeTest({ url: 'http://127.0.0.1:9', manifest, readyTimeoutMs: 300 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/did not answer 200 within 300 ms/);
  });
});
