// The inference log is drift-check's current data: a CSV whose header is exactly the feature names.
// Two servers log the iris train and test rows they predicted; runDriftCheck reads the two logs as
// reference and current without any column mapping.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabelledTable, runDriftCheck, servedModelFrom } from '@mlship/sdk';
import { FIXTURES, inferBody, post, startServer, writeIrisPackage } from './helpers.ts';

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'mlship-ilog-drift-')); });
afterAll(async () => { if (tmp) await rm(tmp, { recursive: true, force: true }); });

async function logRows(split: 'train' | 'test', logPath: string): Promise<number> {
  const table = await readLabelledTable(join(FIXTURES, 'datasets/iris', `${split}.csv`));
  const served = await startServer(await servedModelFrom(join(tmp, 'pkg')), { inferenceLog: logPath });
  for (let r = 0; r < table.rows; r++) {
    const res = await post(served.url, '/v2/models/iris-rf/infer', inferBody('float_input', [Array.from(table.features.subarray(r * 4, r * 4 + 4))]));
    expect(res.status).toBe(200);
  }
  await served.server.close();
  return table.rows;
}

describe('inference log → drift-check', () => {
  it('drift-check reads two inference logs as reference and current data', async () => {
    await writeIrisPackage(join(tmp, 'pkg'));
    const nRef = await logRows('train', join(tmp, 'reference.csv'));
    const nCur = await logRows('test', join(tmp, 'current.csv'));
    const report = await runDriftCheck({ reference: join(tmp, 'reference.csv'), current: join(tmp, 'current.csv') });
    expect(Object.keys(report.columns)).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
    expect([nRef, nCur]).toEqual([120, 30]);
  });
});
