import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPackage } from '@mlship/sdk';
import { pythonBin, runPythonJson } from '../harness/python.ts';
import { startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

// actions/serialize run exactly as the runner does (dist/index.js, INPUT_*, GITHUB_OUTPUT, step summary).
const FIX = join(REPO_ROOT, 'test', 'fixtures');
let work: string;
let registry: LocalRegistry;
const creds = { username: 'ci-bot', password: 's3cret-registry-pass' };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-ser-action-'));
  runPythonJson('train_native_models.py', [join(work, 'models')]);
  registry = await startRegistry({ htpasswd: creds });
});
afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('actions/serialize', () => {
  it('from ONNX: outputs, signature summary table, a package that verifies', async () => {
    const out = join(work, 'wine');
    const run = await runAction({
      action: 'serialize', workspace: work,
      inputs: {
        model: join(FIX, 'models', 'wine_gb.onnx'), name: 'wine-gb', version: '7', 'features-from': join(FIX, 'datasets', 'wine', 'train.csv'),
        out, archive: `${out}.tar.gz`,
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs['package-path']).toBe(out);
    expect(run.outputs['archive-path']).toBe(`${out}.tar.gz`);
    expect(run.outputs.version).toBe('7');
    expect(run.outputs.parity).toBe('skipped');
    expect(run.outputs.signature).toBe('inputs: float_input: float32[?, 13] | outputs: label: int64[?]; probabilities: float32[?, 3]');
    const pkg = await loadPackage(`${out}.tar.gz`);
    expect(run.outputs['model-sha256']).toBe(pkg.manifest.files[0]!.sha256);
    // Provenance from the runner's environment.
    expect(pkg.manifest.provenance).toMatchObject({ gitCommit: '0123456789abcdef0123456789abcdef01234567', repository: 'octo-org/ml-repo', workflowRun: 'https://github.com/octo-org/ml-repo/actions/runs/4242' });
    expect(run.summary).toContain('### Model package `wine-gb` 7');
    expect(run.summary).toContain('| output | `probabilities` | float32 | [?, 3] | probabilities |');
    await pkg.cleanup();
  });

  it('from scikit-learn with the bundled converter: parity table in the summary, pushed with credentials that never reach the log', async () => {
    const run = await runAction({
      action: 'serialize', workspace: work,
      inputs: {
        model: join(work, 'models', 'sklearn_logreg.joblib'), format: 'sklearn', name: 'cancer', version: '1.2.0',
        'features-from': join(FIX, 'datasets', 'breast_cancer', 'train.csv'), sample: join(FIX, 'datasets', 'breast_cancer', 'test.csv'),
        python: pythonBin(), out: join(work, 'cancer'), archive: join(work, 'cancer.tar.gz'),
        'push-to': `${registry.host}/models/cancer`, 'registry-username': creds.username, 'registry-password': creds.password,
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.parity).toBe('passed');
    expect(run.outputs['pushed-ref']).toMatch(new RegExp(`^${registry.host.replace(/\./g, '\\.')}/models/cancer@sha256:[0-9a-f]{64}$`));
    expect(run.summary).toContain('### Parity: ✅ passed — native model vs ONNX on 114 rows');
    expect(run.summary).toMatch(/\| `label` \| label \| 100\.00% \|/);
    expect(run.summary).toMatch(/\| `probabilities` \| probabilities \| – \| [0-9.e-]+ \|/);
    // The only line with the password is the ::add-mask:: command that tells the runner to mask it.
    expect((run.stdout + run.stderr).split('\n').filter((l) => l.includes(creds.password))).toEqual([`::add-mask::${creds.password}`]);
  });

  it('a failed parity check fails the step (exit 1) with the row and output named, the parity table in the summary, and no package', async () => {
    const wrapper = join(work, 'swap-python');
    await writeFile(wrapper, `#!${pythonBin()}
import subprocess, sys
args = sys.argv[1:]
rc = subprocess.call([sys.executable] + args)
swapped = list(args)
swapped[args.index('--input') + 1] = ${JSON.stringify(join(work, 'models', 'sklearn_other_rf.joblib'))}
swapped[args.index('--report') + 1] = args[args.index('--out-model') + 1] + '.other.json'
subprocess.check_call([sys.executable] + swapped)
sys.exit(rc)
`);
    await chmod(wrapper, 0o755);
    const out = join(work, 'broken');
    const run = await runAction({
      action: 'serialize', workspace: work,
      inputs: {
        model: join(work, 'models', 'sklearn_rf.joblib'), format: 'sklearn', name: 'iris', version: '1',
        'features-from': join(FIX, 'datasets', 'iris', 'train.csv'), sample: join(FIX, 'datasets', 'iris', 'test.csv'),
        python: wrapper, out, archive: `${out}.tar.gz`,
      },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.parity).toBe('failed');
    expect(run.errors.join('\n')).toMatch(/Parity check failed .* output "(label|probabilities)".* row \d+/);
    expect(run.summary).toContain('### Parity: ❌ failed');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tar.gz`)).toBe(false);
  });

  it('from a clean copy of the action folder (action.yml + dist/ only, as `uses:` downloads it): the bundled converter is found', async () => {
    const { cp } = await import('node:fs/promises');
    const actionDir = join(work, 'runner', '_actions', 'octo-org', 'mlship', 'v0', 'actions', 'serialize');
    await cp(join(REPO_ROOT, 'actions', 'serialize', 'action.yml'), join(actionDir, 'action.yml'));
    await cp(join(REPO_ROOT, 'actions', 'serialize', 'dist'), join(actionDir, 'dist'), { recursive: true });
    const run = await runAction({
      action: actionDir, workspace: work,
      // onnxruntime-node from the repository (the fresh-runner test covers the tool-cache install).
      env: { MLSHIP_ONNXRUNTIME_DIR: REPO_ROOT },
      inputs: {
        model: join(work, 'models', 'torch_mlp.ts'), format: 'torchscript', name: 'digits', version: '1',
        'features-from': join(FIX, 'datasets', 'digits', 'train.csv'), sample: join(FIX, 'datasets', 'digits', 'test.csv'),
        python: pythonBin(), 'output-names': 'logits,probabilities', out: join(work, 'digits'),
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(join(actionDir, 'dist', 'python', 'mlship_convert.py'));
    expect(run.outputs.parity).toBe('passed');
  });

  it('bad input fails with a message naming it', async () => {
    const run = await runAction({ action: 'serialize', workspace: work, inputs: { model: join(work, 'nope.onnx'), name: 'x', version: '1', format: 'keras' } });
    expect(run.code).not.toBe(0);
    expect(run.errors.join('\n')).toMatch(/input "format" must be one of onnx, sklearn, torch, torchscript, xgboost, lightgbm, got "keras"/);
    const run2 = await runAction({ action: 'serialize', workspace: work, inputs: { model: join(work, 'nope.onnx'), name: 'x', version: '1' } });
    expect(run2.errors.join('\n')).toMatch(/nope\.onnx does not exist/);
    expect(await readFile(join(REPO_ROOT, 'actions', 'serialize', 'dist', 'python', 'mlship_convert.py'), 'utf8')).toBe(await readFile(join(REPO_ROOT, 'python', 'mlship_convert.py'), 'utf8'));
  });
});
