import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '@mlship/sdk';
import { loadZoo, type Zoo, type ZooModel } from '../harness/zoo.ts';
import { runPythonCodeJson } from '../harness/python.ts';

// Issue 9: evaluate on every zoo model (real scikit-learn / XGBoost / LightGBM / torch exports,
// python/make_zoo.py) equals the zoo's reference metrics: sklearn.metrics in Python on the same test
// rows, from onnxruntime-python's predictions.
let zoo: Zoo;
beforeAll(async () => { zoo = await loadZoo(); });

const TASK = { binary: 'binary', multiclass: 'multiclass', regression: 'regression', multioutput_regression: 'regression' } as const;

async function evaluateZoo(m: ZooModel) {
  return evaluateModel({
    model: join(zoo.dir, m.onnx), data: join(zoo.dir, m.test), target: Array.isArray(m.target) ? m.target.join(',') : m.target, bootstrap: 0,
    ...(m.input_map ? { inputMap: m.input_map } : {}), ...(m.allow_missing ? { allowMissing: true } : {}),
  });
}

describe('evaluate on the zoo equals sklearn.metrics', async () => {
  const { models } = await loadZoo();
  for (const m of models) {
    it(`${m.name} (${m.library}, ${m.task})`, async () => {
      const report = await evaluateZoo(m);
      expect(report.task).toBe(TASK[m.task]);
      for (const [name, expected] of Object.entries(m.reference.metrics)) {
        const actual = (report.metrics as Record<string, number>)[name];
        expect(actual, `${m.name} ${name} (not computed: ${report.not_computed[name] ?? '–'})`).toBeDefined();
        // float32 model outputs in both runtimes; metrics from the same predictions agree to rounding.
        expect(Math.abs(actual! - expected), `${m.name} ${name}: ${actual} vs sklearn ${expected}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      }
    });
  }
});

// The parallel reader (files of 8 MiB or more, or MLSHIP_PARALLEL_READ_MIN_BYTES=0) hands each run of rows to
// the model as it is parsed, string columns sent as codes (data/parallel-table.ts onRun, packStrings):
// each zoo model's test rows, repeated to ~3 MiB (3 runs and more), give the one-thread report exactly.
// torch_fixed_batch runs one row at a time (a static batch of 1), so it is left out at this size.
describe('evaluate through the parallel reader equals the one-thread read', async () => {
  const { models } = await loadZoo();
  const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  for (const m of models.filter((x) => x.name !== 'torch_fixed_batch')) {
    it(`${m.name}: several runs scored during the parse`, async () => {
      const text = await readFile(join(zoo.dir, m.test), 'utf8');
      const at = text.indexOf('\n') + 1;
      const body = text.slice(at).endsWith('\n') ? text.slice(at) : `${text.slice(at)}\n`;
      const big = join(await mkdtemp(join(tmpdir(), 'mlship-zoo-parallel-')), m.test);
      await writeFile(big, text.slice(0, at) + body.repeat(Math.ceil((3 << 20) / body.length)));
      const options = {
        model: join(zoo.dir, m.onnx), data: big, target: Array.isArray(m.target) ? m.target.join(',') : m.target, bootstrap: 0,
        ...(m.input_map ? { inputMap: m.input_map } : {}), ...(m.allow_missing ? { allowMissing: true } : {}),
      };
      const one = await evaluateModel({ ...options, workers: 1 });
      const before = process.env.MLSHIP_PARALLEL_READ_MIN_BYTES;
      process.env.MLSHIP_PARALLEL_READ_MIN_BYTES = '0';
      try {
        expect(await evaluateModel({ ...options, workers: 2 })).toEqual(one);
      } finally {
        if (before === undefined) delete process.env.MLSHIP_PARALLEL_READ_MIN_BYTES;
        else process.env.MLSHIP_PARALLEL_READ_MIN_BYTES = before;
      }
    });
  }
});

describe('mlship evaluate flags for real models', () => {
  it('--input-map and --allow-missing; without them the error names the column / input and the flag', async () => {
    const { runCli } = await import('../harness/cli.ts');
    const { readFile, writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const work = await mkdtemp(join(tmpdir(), 'mlship-zoo-cli-'));
    const nan = zoo.models.find((m) => m.name === 'xgb_classifier_nan')!;
    const missing = await runCli(['evaluate', '--model', join(zoo.dir, nan.onnx), '--data', join(zoo.dir, nan.test), '--quiet'], work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/line \d+, column "[^"]+": a missing value .*Pass --allow-missing/);
    const allowed = await runCli(['evaluate', '--model', join(zoo.dir, nan.onnx), '--data', join(zoo.dir, nan.test), '--allow-missing', '--bootstrap', '0', '--out', 'm.json'], work);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/missing value\(s\) \(first on line \d+\), fed to the model as NaN/);
    // The report carries the counts too (data.missing, and a note the Markdown shows): the cells pandas reads as NaN.
    const report = JSON.parse(await readFile(join(work, 'm.json'), 'utf8'));
    const nanCounts = runPythonCodeJson<Record<string, number>>(`
import sys, json, pandas as pd
df = pd.read_csv(sys.argv[1]); n = df.isna().sum(); print(json.dumps({c: int(v) for c, v in n.items() if v > 0}))`, [join(zoo.dir, nan.test)]);
    expect(report.data.missing).toEqual(nanCounts);
    expect(report.notes.join('\n')).toMatch(/Missing values fed to the model as NaN: "/);
    const two = zoo.models.find((m) => m.name === 'torch_two_inputs')!;
    await writeFile(join(work, 'map.json'), JSON.stringify(two.input_map));
    const mapped = await runCli(['evaluate', '--model', join(zoo.dir, two.onnx), '--data', join(zoo.dir, two.test), '--input-map', 'map.json', '--bootstrap', '0', '--quiet'], work);
    expect(mapped.code, mapped.stderr).toBe(0);
    // Without the map the default rule feeds e1, e2, x1 to `num` — same widths, so it runs: the map is
    // what makes it right. A wrong map is refused naming the input.
    await writeFile(join(work, 'bad.json'), JSON.stringify({ num: ['x1', 'x2'] }));
    const bad = await runCli(['evaluate', '--model', join(zoo.dir, two.onnx), '--data', join(zoo.dir, two.test), '--input-map', 'bad.json', '--quiet'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--input-map maps 2 column\(s\) to input num: float32\[batch, 3\], which takes 3 per row/);
  });
});
