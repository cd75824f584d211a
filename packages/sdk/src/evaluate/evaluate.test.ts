import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { evaluateModel, gateFailure } from './evaluate.ts';

const F = join(REPO_ROOT, 'test', 'fixtures');
const WINE = { model: join(F, 'models', 'wine_gb.onnx'), data: join(F, 'datasets', 'wine', 'test.csv') };
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-evaluate-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('evaluateModel', () => {
  it('writes the report it returns to --out', async () => {
    const out = join(dir, 'wine.json');
    const r = await evaluateModel({ ...WINE, out, bootstrap: 100 });
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
    expect(r.main_metric).toMatchObject({ name: 'f1_macro', higher_is_better: true });
    expect(r.bootstrap).toEqual({ method: 'percentile', resamples: 100, seed: 42, level: 0.95 });
    expect(r.model.inputs).toEqual([{ name: 'float_input', type: 'float32', shape: ['', 13] }]);
  });

  it('refuses an --out that is the data, the model or the baseline, before reading anything', async () => {
    const data = join(dir, 'wine-copy.csv');
    const text = await readFile(WINE.data, 'utf8');
    await writeFile(data, text);
    await expect(evaluateModel({ ...WINE, data, out: data })).rejects.toThrow(/--data and --out are the same file; writing --out would destroy the input\. Name another path for --out/);
    await expect(evaluateModel({ ...WINE, out: join(F, 'models', '..', 'models', 'wine_gb.onnx') })).rejects.toThrow(/--model and --out are the same file/);
    expect(await readFile(data, 'utf8')).toBe(text);
  });

  it('compares with a metrics JSON from an earlier run: same model → no difference, inconclusive', async () => {
    const r = await evaluateModel({ ...WINE, baseline: join(dir, 'wine.json'), minImprovement: 'accuracy:0, log_loss:+0.01', bootstrap: 200 });
    expect(r.baseline).toMatchObject({ source: 'metrics-json', difference: { estimate: 0, verdict: 'inconclusive' } });
    expect(r.gate.passed).toBe(true);
    expect(r.notes.join('\n')).toMatch(/taken as exact/);
  });

  it('notes when the baseline metrics were measured on other data', async () => {
    const other = join(dir, 'other.json');
    const prev = JSON.parse(await readFile(join(dir, 'wine.json'), 'utf8'));
    await writeFile(other, JSON.stringify({ ...prev, data: { ...prev.data, sha256: 'f'.repeat(64) } }));
    const r = await evaluateModel({ ...WINE, baseline: other, bootstrap: 0 });
    expect(r.notes.join('\n')).toMatch(/measured on different data/);
  });

  it('paired bootstrap of a model against itself: difference exactly 0, so require-significant fails', async () => {
    const r = await evaluateModel({ ...WINE, baseline: WINE.model, requireSignificant: true, bootstrap: 200 });
    expect(r.baseline?.difference?.ci).toMatchObject({ low: 0, high: 0, resamples: 200 });
    expect(r.gate.passed).toBe(false);
    expect(gateFailure(r)?.message).toMatch(/f1_macro difference \(challenger − champion\) 95% CI \[0, 0\] does not show a real improvement/);
    expect(gateFailure(r)?.exitCode).toBe(1);
  });

  it('gates on multiclass probability metrics; bootstrap 0 gives no interval', async () => {
    const r = await evaluateModel({ model: join(F, 'models', 'iris_rf.onnx'), data: join(F, 'datasets', 'iris', 'test.csv'), threshold: 'roc_auc_ovr_macro>=0.95, log_loss<=0.2', bootstrap: 0 });
    expect(r.gate.checks.map((c) => c.passed)).toEqual([true, true]);
    expect(r.bootstrap).toBeNull();
    expect(r.main_metric.ci).toBeUndefined();
  });
});
