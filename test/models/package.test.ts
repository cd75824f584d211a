import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPackage, serialize, servedModelFrom, smokeTest, type SerializeOptions } from '@mlship/sdk';
import { loadZoo, type Zoo, type ZooModel } from '../harness/zoo.ts';
import { pythonBin } from '../harness/python.ts';
import { startServer } from '../server/helpers.ts';

// Issue 9: every zoo model packaged from its ONNX file and from its native file (the converter with the
// real libraries: python/mlship_convert.py) passes parity, records the native model's classes_
// (zoo.json `classes`, from Python) and its inputs; the package served answers its golden rows and
// its labels over HTTP (smoke).
let zoo: Zoo;
let tmp: string;
beforeAll(async () => { zoo = await loadZoo(); tmp = await mkdtemp(join(tmpdir(), 'mlship-zoo-pkg-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function options(m: ZooModel, from: 'onnx' | 'native'): SerializeOptions {
  const native = m.native_format!;
  return {
    model: join(zoo.dir, from === 'onnx' ? m.onnx : m.native!), format: from === 'onnx' ? 'onnx' : native,
    out: join(tmp, `${m.name}-${from}`), name: m.name.replace(/_/g, '-'), version: '1.0.0',
    featuresFrom: join(zoo.dir, m.train), sample: join(zoo.dir, m.test), target: Array.isArray(m.target) ? m.target[0] : m.target,
    ...(Array.isArray(m.target) ? { featureNames: m.features } : {}),
    ...(m.input_map ? { inputMap: m.input_map } : {}), ...(m.allow_missing ? { allowMissing: true } : {}),
    ...(m.task === 'multioutput_regression' ? { task: 'regression' as const } : {}),
    python: pythonBin(),
  };
}

describe('serialize every zoo model from ONNX and from native; the package serves and smoke-tests', async () => {
  const { models } = await loadZoo();
  for (const m of models) {
    it(`${m.name}`, async () => {
      const fromOnnx = await serialize(options(m, 'onnx'));
      expect(fromOnnx.manifest.inputs.map((i) => i.name)).toEqual(m.inputs.map((i) => i.name));
      expect(fromOnnx.manifest.staticBatch).toBe(m.static_batch);
      expect(fromOnnx.manifest.allowMissing).toBe(m.allow_missing);
      if (m.classes) expect(fromOnnx.manifest.classLabels).toEqual(m.classes);
      if (m.native) {
        const fromNative = await serialize(options(m, 'native'));
        expect(fromNative.parity?.passed, fromNative.parity?.message).toBe(true);
        if (m.classes) expect(fromNative.manifest.classLabels).toEqual(m.classes);
        // Input names and grouping as the library's own export; the element type is the converter's choice
        // (it converts a float64-fitted Ridge with a float32 input, within the parity tolerance).
        expect(fromNative.manifest.inputs.map((i) => [i.name, i.columns.length])).toEqual(m.inputs.map((i) => [i.name, i.shape[1] === -1 ? m.features.length : i.shape[1]]));
      }
      const pkg = await loadPackage(fromOnnx.dir);
      expect(pkg.golden?.passed).toBe(true);
      await pkg.model.session.release();
      const { server, url } = await startServer(await servedModelFrom(fromOnnx.dir));
      try {
        const r = await smokeTest({ url, manifest: fromOnnx.manifest });
        expect(r.passed, r.message).toBe(true);
      } finally {
        await server.close();
      }
    });
  }
});
