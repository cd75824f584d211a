import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxModel, writePackage, type WritePackageResult } from '@mlship/sdk';
import { pythonBin } from './python.ts';
import { REPO_ROOT } from './run-action.ts';

/** Model packages named like the fixtures' iris package (iris-rf) that a canary analysis must reject. */
async function packageFromScript(script: string, outDir: string, version: string, extra: { task: 'classification' | 'regression'; golden: boolean }): Promise<WritePackageResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'mlship-canary-model-'));
  try {
    const path = join(tmp, 'model.onnx');
    execFileSync(pythonBin(), [join(REPO_ROOT, 'python', script), path], { stdio: ['ignore', 'ignore', 'inherit'] });
    const model = await OnnxModel.load(path);
    const csv = (await readFile(join(REPO_ROOT, 'test/fixtures/datasets/iris/test.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',').slice(0, -1);
    const rows = extra.golden ? csv.slice(1, 4).map((l) => l.split(',').slice(0, -1).map(Number)) : [];
    return await writePackage({
      model, outDir, name: 'iris-rf', version, featureNames: header, task: extra.task,
      outputRoles: extra.task === 'classification' ? { label: 'label', probabilities: 'probabilities' } : { value: 'variable' },
      ...(extra.task === 'classification' ? { classLabels: [0, 1, 2] } : {}),
      goldenInputs: rows, source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** iris RandomForest trained on labels shifted by one class (python/train_shifted_model.py). */
export function writeShiftedIrisPackage(outDir: string, version: string) {
  return packageFromScript('train_shifted_model.py', outDir, version, { task: 'classification', golden: true });
}

/** A model that answers 500 on every real iris row (python/make_failing_model.py); no golden rows. */
export function writeFailingPackage(outDir: string, version: string) {
  return packageFromScript('make_failing_model.py', outDir, version, { task: 'regression', golden: false });
}
