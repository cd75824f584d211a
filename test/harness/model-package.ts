import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxModel, writePackage, type ModelTask, type OutputRoles, type WritePackageResult } from '@mlship/sdk';
import { REPO_ROOT } from './run-action.ts';
import type { Zoo, ZooModel } from './zoo.ts';

/**
 * A real model package from the fixtures (skl2onnx's iris RandomForest), written by the package
 * domain's writePackage: the golden rows are the first rows of iris/test.csv, run through
 * onnxruntime-node at write time. `version` changes only the manifest, which is what "a new model
 * version" looks like to the image builder.
 */
export async function writeIrisPackage(outDir: string, version = '1.0.0', goldenRows = 3): Promise<WritePackageResult> {
  const csv = readFileSync(join(REPO_ROOT, 'test/fixtures/datasets/iris/test.csv'), 'utf8').trim().split('\n');
  const header = csv[0]!.split(',');
  const rows = csv.slice(1, 1 + goldenRows).map((l) => l.split(',').slice(0, -1).map(Number));
  const model = await OnnxModel.load(join(REPO_ROOT, 'test/fixtures/models/iris_rf.onnx'));
  return writePackage({
    model, outDir, name: 'iris-rf', version,
    featureNames: header.slice(0, -1), task: 'classification',
    outputRoles: { label: 'label', probabilities: 'probabilities' }, classLabels: [0, 1, 2],
    goldenInputs: rows, source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
  });
}

/** A package of zoo model `m` (its features, output roles, classes and input map as zoo.json records them; no golden rows). */
export async function writeZooPackage(zoo: Zoo, m: ZooModel, outDir: string): Promise<string> {
  const model = await OnnxModel.load(join(zoo.dir, m.onnx));
  const roles: OutputRoles = {};
  for (const o of m.outputs) roles[o.role === 'scores' ? 'scores' : o.role] = o.name;
  const task: ModelTask = m.task === 'binary' || m.task === 'multiclass' ? 'classification' : 'regression';
  const res = await writePackage({
    model, outDir, name: m.name, version: '1', featureNames: m.features, task, outputRoles: roles,
    ...(m.classes ? { classLabels: m.classes } : {}), goldenInputs: [], ...(m.input_map ? { inputMap: m.input_map } : {}),
    allowMissing: m.allow_missing, source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
  });
  await model.session.release();
  return res.dir;
}
