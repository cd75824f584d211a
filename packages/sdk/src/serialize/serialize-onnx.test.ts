import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { loadPackage } from '../package/loader.ts';
import { serialize } from './serialize.ts';

const FIX = join(REPO_ROOT, 'test', 'fixtures');
// The fixtures' own manifest (README: written by the oracle from the files with python onnx and
// onnxruntime-node): opsets, operators and the signature onnxruntime-node reports.
const fixtureManifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as {
  models: Record<string, { opset_import: Record<string, number>; operators: string[]; ir_version: number; onnxruntime_node: { inputMetadata: unknown[]; outputMetadata: unknown[] } }>;
};

const cases = [
  { model: 'breast_cancer_logreg', data: 'breast_cancer', task: 'classification', labels: [0, 1] },
  { model: 'iris_rf', data: 'iris', task: 'classification', labels: [0, 1, 2] },
  { model: 'iris_rf_zipmap', data: 'iris', task: 'classification', labels: [0, 1, 2] },
  { model: 'wine_gb', data: 'wine', task: 'classification', labels: [0, 1, 2] },
  { model: 'diabetes_linreg', data: 'diabetes', task: 'regression' },
  { model: 'diabetes_gbr', data: 'diabetes', task: 'regression' },
  { model: 'digits_mlp', data: 'digits', task: 'classification', labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
] as const;

describe('serialize --format onnx, every fixture model', () => {
  let work: string;
  afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

  for (const c of cases) {
    it(`${c.model}: signature, opsets, operators, features, labels and golden rows`, async () => {
      work ??= await mkdtemp(join(tmpdir(), 'mlship-ser-onnx-'));
      const modelPath = join(FIX, 'models', `${c.model}.onnx`);
      const train = join(FIX, 'datasets', c.data, 'train.csv');
      const test = join(FIX, 'datasets', c.data, 'test.csv');
      const out = join(work, c.model);
      const result = await serialize({
        model: modelPath, format: 'onnx', out, archive: `${out}.tar.gz`, name: c.model.replace(/_/g, '-'), version: '1.0.0',
        featuresFrom: train, sample: test, goldenRows: 4, createdAt: '2026-01-02T03:04:05Z',
      });
      const m = result.manifest;
      const ref = fixtureManifest.models[`models/${c.model}.onnx`]!;
      expect(m.signature.inputs).toEqual(ref.onnxruntime_node.inputMetadata);
      expect(m.signature.outputs).toEqual(ref.onnxruntime_node.outputMetadata.map((o) => ((o as { isTensor: boolean }).isTensor ? o : { ...(o as object), type: '', shape: [] })));
      expect(m.opsets).toEqual(ref.opset_import);
      expect(m.operators).toEqual(ref.operators);
      expect(m.irVersion).toBe(ref.ir_version);
      expect(m.task).toBe(c.task);
      expect(m.featureNames).toEqual(readFileSync(train, 'utf8').split('\n')[0]!.split(',').filter((h) => h !== 'target'));
      if ('labels' in c) expect(m.classLabels).toEqual(c.labels);
      else expect(m.classLabels).toBeUndefined();
      // Golden outputs against Python onnxruntime on the same first 4 rows of test.csv.
      const py = runPythonJson<{ outputs: Record<string, unknown[]> }>('onnx_run.py', [modelPath, test, '4']);
      expect(Object.keys(m.golden.outputs).sort()).toEqual(Object.keys(py.outputs).sort());
      for (const [name, rows] of Object.entries(py.outputs)) {
        const got = m.golden.outputs[name]!;
        expect(got).toHaveLength(4);
        rows.forEach((r, i) => {
          const want = (Array.isArray(r) ? r : [r]) as number[];
          const have = (Array.isArray(got[i]) ? got[i] : [got[i]]) as number[];
          expect(have).toHaveLength(want.length);
          want.forEach((w, j) => expect(have[j]).toBeCloseTo(w, 5));
        });
      }
      expect(m.golden.inputs).toHaveLength(4);
      expect(result.modelSha256).toBe(m.files.find((f) => f.path === 'model.onnx')!.sha256);
      const loaded = await loadPackage(result.archivePath!);
      expect(loaded.manifest).toEqual(m);
      expect(loaded.golden?.passed).toBe(true);
      if (c.model === 'iris_rf_zipmap') expect(result.warnings.join('\n')).toMatch(/ZipMap/);
    });
  }
});
