import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { pythonBin, runPythonJson } from '../../../../test/harness/python.ts';
import { actionInputName, GateFailedError, InputError, messageFor } from '../errors.ts';
import { loadPackage } from '../package/loader.ts';
import { ParityFailedError, serialize, type SerializeOptions } from './serialize.ts';

// Native models are trained here, in Python (python/train_native_models.py: scikit-learn from pip,
// Debian's python3-torch 1.13), then converted by python/mlship_convert.py through the SDK. The
// parity numbers are the converter's native predictions (scikit-learn / torch) against
// onnxruntime-node on the same rows.
const DATA = join(REPO_ROOT, 'test', 'fixtures', 'datasets');
let work: string;
let models: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-ser-native-'));
  models = join(work, 'models');
  runPythonJson('train_native_models.py', [models]);
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

function options(model: string, format: SerializeOptions['format'], data: string, extra: Partial<SerializeOptions> = {}): SerializeOptions {
  return {
    model: join(models, model), format, out: join(work, `${model}-${format}-${Math.random().toString(36).slice(2)}`), name: 'native-model', version: '0.1.0',
    featuresFrom: join(DATA, data, 'train.csv'), sample: join(DATA, data, 'test.csv'), python: pythonBin(), ...extra,
  };
}

describe('serialize from native models', () => {
  it('scikit-learn Pipeline(StandardScaler, LogisticRegression) from joblib: parity passes, package verifies', async () => {
    const r = await serialize(options('sklearn_logreg.joblib', 'sklearn', 'breast_cancer'));
    expect(r.parity?.passed).toBe(true);
    expect(r.parity?.rows).toBe(114);
    expect(r.parity?.comparisons.map((c) => [c.output, c.kind, c.labelAgreement ?? null])).toEqual([['label', 'label', 1], ['probabilities', 'numeric', null]]);
    expect(r.manifest.provenance.source).toBe('sklearn');
    expect(r.manifest.provenance.tools['python:skl2onnx']).toMatch(/^\d+\./);
    expect(r.manifest.classLabels).toEqual([0, 1]);
    expect(r.manifest.operators).toContain('ai.onnx.ml.LinearClassifier');
    expect(r.converter?.estimator).toBe('Pipeline(StandardScaler, LogisticRegression)');
    expect((await loadPackage(r.dir)).golden?.passed).toBe(true);
    // LinearSVC has no predict_proba: skl2onnx's "probabilities" output holds decision_function scores.
    const svc = await serialize(options('sklearn_linsvc.joblib', 'sklearn', 'breast_cancer'));
    expect(svc.parity?.comparisons.map((c) => [c.output, c.reference, c.passed])).toEqual([['label', 'label', true], ['probabilities', 'scores', true]]);
    // One score column (binary): not a per-class matrix, so only the label gets a role.
    expect(svc.manifest.outputRoles).toEqual({ label: 'label' });
    expect(svc.manifest.classLabels).toEqual([0, 1]);
  });

  it('scikit-learn RandomForest (float32-fitted), a DataFrame-fitted tree with string classes, and Ridge from a plain pickle', async () => {
    const rf = await serialize(options('sklearn_rf.joblib', 'sklearn', 'iris', { targetOpset: 15 }));
    expect(rf.parity?.passed).toBe(true);
    expect(rf.manifest.opsets['ai.onnx']).toBe(15);
    expect(rf.manifest.outputRoles).toEqual({ label: 'label', probabilities: 'probabilities' });
    const named = await serialize(options('sklearn_str_tree.joblib', 'sklearn', 'iris'));
    expect(named.parity?.passed).toBe(true);
    expect(named.manifest.classLabels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(named.manifest.signature.outputs[0]).toMatchObject({ name: 'label', type: 'string' });
    expect(named.manifest.golden.outputs.label!.every((l) => typeof l === 'string')).toBe(true);
    const ridge = await serialize(options('sklearn_ridge.pkl', 'sklearn', 'diabetes'));
    expect(ridge.manifest.task).toBe('regression');
    expect(ridge.manifest.outputRoles).toEqual({ value: 'variable' });
    expect(ridge.parity?.comparisons[0]?.passed).toBe(true);
  });

  it('PyTorch module saved with torch.save (class importable via python-path) and as TorchScript', async () => {
    for (const [file, format] of [['torch_mlp.pt', 'torch'], ['torch_mlp.ts', 'torchscript']] as const) {
      const r = await serialize(options(file, format, 'digits', { outputNames: ['logits', 'probabilities'], pythonPath: [models], imports: format === 'torch' ? ['netdef'] : [] }));
      expect(r.parity?.passed).toBe(true);
      expect(r.parity?.rows).toBe(200);
      expect(r.manifest.signature.inputs).toEqual([{ name: 'input', isTensor: true, type: 'float32', shape: ['batch', 64] }]);
      expect(r.manifest.outputRoles).toEqual({ probabilities: 'probabilities', scores: 'logits' });
      expect(r.manifest.classLabels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(r.manifest.provenance.tools['python:torch']).toMatch(/^1\.13/);
    }
  });

  it('a broken conversion (the ONNX file swapped for another model) fails the parity gate, naming row and output, and writes nothing', async () => {
    // A "python" that runs the real converter, then overwrites its ONNX output with a different forest.
    const wrapper = join(work, 'swap-python');
    await writeFile(wrapper, `#!${pythonBin()}
import subprocess, sys
args = sys.argv[1:]
rc = subprocess.call([sys.executable] + args)
out = args[args.index('--out-model') + 1]
swapped = list(args)
swapped[args.index('--input') + 1] = ${JSON.stringify(join(work, 'models', 'sklearn_other_rf.joblib'))}
swapped[args.index('--report') + 1] = out + '.other.json'
subprocess.check_call([sys.executable] + swapped)
sys.exit(rc)
`);
    await chmod(wrapper, 0o755);
    const o = options('sklearn_rf.joblib', 'sklearn', 'iris', { python: wrapper });
    const err = await serialize(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParityFailedError);
    expect(err).toBeInstanceOf(GateFailedError);
    expect((err as GateFailedError).exitCode).toBe(1);
    const report = (err as ParityFailedError).report;
    expect(report.passed).toBe(false);
    const first = report.comparisons.find((c) => !c.passed)!;
    expect((err as Error).message).toContain(`row ${first.firstMismatch!.row}`);
    expect((err as Error).message).toContain(`output "${first.output}"`);
    expect((err as Error).message).toMatch(/of the rows differ: that is not float32 rounding/);
    expect(existsSync(o.out)).toBe(false);
    expect((await readdir(work)).filter((f) => f.startsWith('.') && f.includes('sklearn_rf'))).toEqual([]);
  });

  it('a missing Python package is explained with the pip install line, not a stack trace', async () => {
    const wrapper = join(work, 'no-skl2onnx-python');
    await writeFile(wrapper, `#!${pythonBin()}
import runpy, sys
sys.modules['skl2onnx'] = None  # makes "import skl2onnx" raise ImportError
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
`);
    await chmod(wrapper, 0o755);
    const err = await serialize(options('sklearn_rf.joblib', 'sklearn', 'iris', { python: wrapper })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/skl2onnx is not installed/);
    expect((err as Error).message).toContain('pip install scikit-learn skl2onnx onnx joblib numpy');
    expect((err as Error).message).not.toMatch(/Traceback/);
  });

  it('an estimator skl2onnx cannot convert names the converter error and where to look', async () => {
    const err = await serialize(options('sklearn_unsupported.joblib', 'sklearn', 'iris')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/skl2onnx could not convert LabelSpreading: MissingShapeCalculator: Unable to find a shape calculator/);
    expect((err as Error).message).toContain('https://onnx.ai/sklearn-onnx/supported.html');
  });

  it('zipmap kept on request: only labels can be compared, and the package says why', async () => {
    const r = await serialize(options('sklearn_rf.joblib', 'sklearn', 'iris', { zipmap: true }));
    expect(r.parity?.comparisons.map((c) => c.output)).toEqual(['output_label']);
    expect(r.warnings.join('\n')).toMatch(/ZipMap/);
    expect(r.manifest.outputRoles).toEqual({ label: 'output_label' });
  });

  it('a pickle from a newer Python (unknown protocol) says to use the training Python', async () => {
    const future = join(work, 'future.pkl');
    await writeFile(future, Buffer.from([0x80, 0x06, 0x95, 0x00]));  // PROTO 6: no Python reads it yet
    const err = await serialize({ ...options('sklearn_rf.joblib', 'sklearn', 'iris'), model: future }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/pickled with a newer protocol than this Python reads: unsupported pickle protocol: 6/);
    expect((err as Error).message).toMatch(/Python version the model was trained with/);
  });

  it('a torch.save() module whose class cannot be imported says how to fix it', async () => {
    const err = await serialize(options('torch_mlp.pt', 'torch', 'digits', { pythonPath: [work] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/needs the model's class, which is not importable here: No module named 'netdef'/);
    // Named in the caller's words: --python-path on the CLI, input "python-path" in an action (converter hints use opt()).
    expect((err as Error).message).toMatch(/make its module importable \(--python-path, or import it with --import your\.module\), or save TorchScript .* and use --format torchscript\./);
    expect(messageFor(err, actionInputName)).toMatch(/\(input "python-path", or import it with input "import" your\.module\).* use input "format" torchscript\./);
  });

  it('a torch state_dict and a non-existent python are refused with what to do', async () => {
    const sd = join(models, 'torch_state_dict.pt');
    const err = await serialize({ ...options('torch_mlp.pt', 'torch', 'digits'), model: sd }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/state_dict.*Save the module itself/s);
    const err2 = await serialize(options('sklearn_rf.joblib', 'sklearn', 'iris', { python: join(work, 'no-such-python') })).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(InputError);
    expect((err2 as Error).message).toMatch(/Cannot run Python/);
  });
});
