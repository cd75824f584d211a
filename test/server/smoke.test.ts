// The smoke-test client against a real model server: the package's golden rows must reproduce over HTTP.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSmokeTest, loadPackage, servedModelFrom, smokeTest, type ModelServer, type PackageManifest } from '@mlship/sdk';
import { FIXTURES, get, inferBody, post, startServer, writeIrisPackage } from './helpers.ts';

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

describe('smoke traffic is kept out of the monitored data', () => {
  /** The value of a sample line `name{…} value` (summed over label sets) in a /metrics exposition. */
  const total = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

  it('smoke rows (X-Mlship-Smoke) are answered and counted, but not in the inference log or the prediction metrics', async () => {
    const log = join(tmp, 'inference.csv');
    const served = await startServer(await servedModelFrom(join(tmp, 'pkg')), { inferenceLog: log });
    try {
      expect((await smokeTest({ url: served.url, manifest })).passed).toBe(true); // 5 golden rows to /infer, 5 to /predict
      let metrics = (await get(served.url, '/metrics')).text;
      expect(total(metrics, 'mlship_inference_rows_total')).toBe(10);
      expect(total(metrics, 'mlship_predictions_total')).toBe(0);
      const user = await post(served.url, '/v2/models/iris-rf/infer', inferBody('float_input', [manifest.golden.inputs[0] as number[]]));
      expect(user.status).toBe(200);
      metrics = (await get(served.url, '/metrics')).text;
      expect(total(metrics, 'mlship_inference_rows_total')).toBe(11);
      expect(total(metrics, 'mlship_predictions_total')).toBe(1);
    } finally {
      await served.server.close();
    }
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines.length).toBe(2); // the header and the one user row
  });
});
