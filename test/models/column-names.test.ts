import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, InputError, predictBatch, serialize, servedModelFrom } from '@mlship/sdk';
import { loadLabelModels } from '../harness/zoo.ts';
import { post, startServer } from '../server/helpers.ts';

// TRYOUT-REPORT A4: a model with one input per column (skl2onnx ColumnTransformer export: age, income,
// region, tenure — python/make_label_models.py) and a CSV whose columns are named otherwise
// (salary, years, …) must not be fed by position. One rule (model/input-map.ts bindColumns) for
// evaluate, serialize (the package /predict and mlship predict follow) and the server.
let dir: string;
let work: string;
beforeAll(async () => {
  dir = (await loadLabelModels()).dir;
  work = await mkdtemp(join(tmpdir(), 'mlship-columns-'));
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const MISSING = /has no column for input\(s\) "age", "income"; column\(s\) "salary", "years" match no input\. .*input-map/;

describe('named per-column inputs are never fed by position', () => {
  it('evaluate: renamed columns are an error naming inputs, columns and the fix; an input map makes it right', async () => {
    const err = await evaluateModel({ model: join(dir, 'churn.onnx'), data: join(dir, 'churn_swapped.csv'), target: 'churn', bootstrap: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(MISSING);
    const caps = await evaluateModel({ model: join(dir, 'churn.onnx'), data: join(dir, 'churn_caps_income.csv'), target: 'churn', bootstrap: 0 }).catch((e: unknown) => e);
    expect((caps as Error).message).toMatch(/no column for input\(s\) "income"; column\(s\) "Income" match no input/);
    // The same rows under their own names, and mapped: the same numbers (the positional feed gave others).
    const right = await evaluateModel({ model: join(dir, 'churn.onnx'), data: join(dir, 'churn.test.csv'), target: 'churn', bootstrap: 0 });
    const mapped = await evaluateModel({ model: join(dir, 'churn.onnx'), data: join(dir, 'churn_swapped.csv'), target: 'churn', bootstrap: 0, inputMap: { age: ['years'], income: ['salary'] } });
    expect(mapped.metrics).toEqual(right.metrics);
  });

  it('serialize refuses such a CSV; a package made right refuses it in mlship predict and on /predict', async () => {
    const bad = await serialize({ model: join(dir, 'churn.onnx'), format: 'onnx', out: join(work, 'bad'), name: 'churn', version: '1', featuresFrom: join(dir, 'churn_swapped.csv'), target: 'churn' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as Error).message).toMatch(MISSING);

    const pkg = join(work, 'pkg');
    await serialize({ model: join(dir, 'churn.onnx'), format: 'onnx', out: pkg, name: 'churn', version: '1', featuresFrom: join(dir, 'churn.test.csv'), target: 'churn' });
    const predicted = await predictBatch({ package: pkg, data: join(dir, 'churn_swapped.csv'), out: join(work, 'p.csv'), workers: 1 }).catch((e: unknown) => e);
    expect(predicted).toBeInstanceOf(InputError);
    expect((predicted as Error).message).toMatch(/age/);

    for (const source of [pkg, join(dir, 'churn.onnx')]) {
      const { server, url } = await startServer(await servedModelFrom(source));
      try {
        const reply = await post(url, '/predict', { instances: [{ salary: 50000, years: 40, region: 'south', tenure: 3 }] });
        expect(reply.status, source).toBe(400);
        expect(reply.text, source).toMatch(/salary|age/);
        const ok = await post(url, '/predict', { instances: [{ income: 50000, age: 40, region: 'south', tenure: 3 }] });
        expect(ok.status, `${source}: ${ok.text}`).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});
