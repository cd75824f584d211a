import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

// The CLI bundle's happy and gate-failure paths: exit codes, stdout report, JSON and Markdown files.

const CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'mlship.js');
const F = join(REPO_ROOT, 'test', 'fixtures');
let dir: string;

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, 'evaluate', ...args, '--quiet'], { encoding: 'utf8' });

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\`.`);
  dir = await mkdtemp(join(tmpdir(), 'mlship-evaluate-cli-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('mlship evaluate', () => {
  it('exits 0 when the gate passes, prints the report and writes JSON and Markdown', () => {
    const out = join(dir, 'pass.json');
    const report = join(dir, 'pass.md');
    const res = cli(['--model', join(F, 'models', 'digits_mlp.onnx'), '--data', join(F, 'datasets', 'digits', 'test.csv'),
      '--threshold', 'accuracy>=0.9, roc_auc_ovr_macro>=0.99', '--out', out, '--report', report, '--bootstrap', '100']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/### Model evaluation: `.*digits_mlp\.onnx` — ✅ passed/);
    expect(readFileSync(report, 'utf8').trim()).toBe(res.stdout.trim());
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json).toMatchObject({ task: 'multiclass', n: 360, gate: { passed: true }, main_metric: { name: 'f1_macro' } });
    expect(json.metrics.confusion_matrix.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(json.notes.join('\n')).toMatch(/no label output: the predicted class is the argmax of `probabilities`/);
  });

  it('exits 1 when the gate fails, names metric, value and bound, and still writes the JSON', () => {
    const out = join(dir, 'fail.json');
    const res = cli(['--model', join(F, 'models', 'diabetes_linreg.onnx'), '--data', join(F, 'datasets', 'diabetes', 'test.csv'),
      '--threshold', 'rmse<=50, r2>=0.4', '--out', out, '--bootstrap', '0']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/error: Evaluation gate failed for .*diabetes_linreg\.onnx: rmse = 53\.8534 fails rmse <= 50\./);
    expect(JSON.parse(readFileSync(out, 'utf8')).gate.failures).toEqual(['rmse = 53.8534 fails rmse <= 50']);
  });

  it('is listed by mlship --help', () => {
    const res = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(res.stdout).toMatch(/evaluate\s+evaluate an ONNX model on a labelled CSV/);
  });
});
