import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeOptionsFromArgs } from '../../packages/cli/src/commands/serialize.ts';
import { startRegistry, type LocalRegistry } from '../harness/registry.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

const FIX = join(REPO_ROOT, 'test', 'fixtures');
const CLI = join(REPO_ROOT, 'packages', 'cli', 'src', 'main.ts');
let work: string;
let registry: LocalRegistry;

async function mlship(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: work });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-cli-ser-'));
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('mlship serialize / mlship package', () => {
  it('serialize from ONNX, verify, push, inspect the remote manifest, pull by digest', async () => {
    const s = await mlship(['serialize', '--model', join(FIX, 'models', 'diabetes_gbr.onnx'), '--name', 'diabetes-gbr', '--version', '0.3.0',
      '--features-from', join(FIX, 'datasets', 'diabetes', 'train.csv'), '--out', 'pkg', '--archive', 'pkg.tar.gz', '--golden-rows', '3']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('### Model package `diabetes-gbr` 0.3.0');
    expect(s.stdout).toContain('| output | `variable` | float32 | [?, 1] | value |');
    const v = await mlship(['package', 'verify', 'pkg.tar.gz']);
    expect(v).toMatchObject({ code: 0, stdout: 'ok diabetes-gbr 0.3.0: 1 file, signature and 3 golden rows verified\n' });
    const push = await mlship(['package', 'push', 'pkg', `${registry.host}/ml/diabetes`]);
    expect(push.code).toBe(0);
    const pinned = push.stdout.trim();
    expect(pinned).toMatch(new RegExp(`^${registry.host.replace(/\./g, '\\.')}/ml/diabetes@sha256:[0-9a-f]{64}$`));
    const inspect = await mlship(['package', 'inspect', `${registry.host}/ml/diabetes:0.3.0`, '--json']);
    expect(JSON.parse(inspect.stdout).config.featureNames).toEqual(['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']);
    const md = await mlship(['package', 'inspect', `${registry.host}/ml/diabetes:0.3.0`]);
    expect(md.stdout).toContain('### Model package `diabetes-gbr` 0.3.0');
    expect(md.stdout).toContain(`- Pushed: \`${pinned}\``);
    const pull = await mlship(['package', 'pull', pinned, 'pulled', '--archive', 'pulled.tar.gz']);
    expect(pull.code).toBe(0);
    expect((await mlship(['package', 'verify', 'pulled.tar.gz'])).code).toBe(0);
    expect(await readFile(join(work, 'pulled', 'model.onnx'))).toEqual(await readFile(join(FIX, 'models', 'diabetes_gbr.onnx')));
  });

  it('a tampered package exits 2 naming the file; usage errors exit 2', async () => {
    await mlship(['serialize', '--model', join(FIX, 'models', 'iris_rf.onnx'), '--name', 'iris', '--version', '1', '--out', 't']);
    await writeFile(join(work, 't', 'notes.txt'), 'hi');
    const v = await mlship(['package', 'verify', 't']);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/t\/notes\.txt is not listed in .*mlship\.json/);
    const u = await mlship(['serialize', '--model', 'x.onnx', '--name', 'x', '--version', '1', '--out', 'o', '--format', 'keras']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--format must be one of onnx, sklearn, torch, torchscript, xgboost, lightgbm, got "keras"/);
    expect((await mlship(['package', 'frobnicate'])).stderr).toMatch(/unknown subcommand "frobnicate"/);
  });

  it('an ONNX model given with a native --format is refused before any conversion (was a Python KeyError: 8)', async () => {
    const iris = join(FIX, 'models', 'iris_rf.onnx');
    await writeFile(join(work, 'iris.model'), await readFile(iris)); // no .onnx name: recognised by its first byte
    for (const [model, format] of [[iris, 'sklearn'], [join(work, 'iris.model'), 'xgboost']] as const) {
      const r = await mlship(['serialize', '--model', model, '--format', format, '--name', 'iris', '--version', '1', '--out', `o-${format}`,
        '--features-from', join(FIX, 'datasets', 'iris', 'train.csv')]);
      expect([r.code, r.stderr]).toEqual([2, `error: ${model} is an ONNX model, not a ${format} model file: pass --format onnx (no conversion needed).\n`]);
    }
  });

  it('parses arguments into SDK options', () => {
    const o = serializeOptionsFromArgs(['--model', 'm.pt', '--format', 'torch', '--name', 'n', '--version', '2', '--out', 'o', '--atol', '1e-4',
      '--min-label-agreement', '0.99', '--class-labels', '0,1,cat', '--python-path', 'src', '--python-path', 'lib', '--import', 'net',
      '--output-names', 'logits, probabilities', '--push-to', 'ghcr.io/o/m'], { MLSHIP_REGISTRY_USERNAME: 'u', MLSHIP_REGISTRY_PASSWORD: 'p' });
    expect(o).toMatchObject({
      model: 'm.pt', format: 'torch', tolerance: { atol: 1e-4, minLabelAgreement: 0.99 }, classLabels: [0, 1, 'cat'], pythonPath: ['src', 'lib'],
      imports: ['net'], outputNames: ['logits', 'probabilities'], pushTo: 'ghcr.io/o/m', registry: { credentials: { 'ghcr.io': { username: 'u', password: 'p' } } },
    });
    expect(() => serializeOptionsFromArgs(['--model', 'm', '--name', 'n', '--version', '1', '--out', 'o', '--golden-rows', '2.5'])).toThrow(/--golden-rows must be an integer/);
    expect(() => serializeOptionsFromArgs(['--model', 'm', '--name', 'n', '--out', 'o'])).toThrow(/--version is required/);
  });
});
