import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftJson, predictBatch, runDriftReport } from '@mlship/sdk';
import { writeIrisPackage } from '../harness/model-package.ts';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

// The batch-score action's bundle, run as the runner runs it: its worker file must be found beside dist/index.js.
let tmp: string;
let pkg: string;
let data: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-batch-score-'));
  pkg = (await writeIrisPackage(join(tmp, 'pkg'))).dir;
  const lines = readFileSync(join(REPO_ROOT, 'test/fixtures/datasets/iris/test.csv'), 'utf8').trim().split('\n');
  data = join(tmp, 'in.csv');
  writeFileSync(data, `${[`id,${lines[0]}`, ...lines.slice(1).map((l, i) => `${i},${l}`)].join('\n')}\n`);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('batch-score action', () => {
  it('scores on 2 workers and writes what the SDK writes; outputs rows and out', async () => {
    const out = join(tmp, 'out.jsonl');
    const run = await runAction({ action: 'batch-score', inputs: { package: pkg, data, out, keep: 'id', workers: '2' } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.rows).toBe('30');
    expect(run.outputs.out).toBe(out);
    const ref = join(tmp, 'ref.jsonl');
    await predictBatch({ package: pkg, data, out: ref, keep: ['id'], workers: 1 });
    expect(readFileSync(out).equals(readFileSync(ref))).toBe(true);
  }, 120_000);

  it('a bad row fails the step naming line and column, and writes no output', async () => {
    const bad = join(tmp, 'bad.csv');
    const lines = readFileSync(data, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*),[^,]*/, '$1,x');
    writeFileSync(bad, lines.join('\n'));
    const out = join(tmp, 'bad-out.csv');
    const run = await runAction({ action: 'batch-score', inputs: { package: pkg, data: bad, out } });
    expect(run.code).not.toBe(0);
    expect(run.errors.join('\n')).toContain('bad.csv: line 6, column "sepal length (cm)": "x"');
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('a drift report path without drift-reference fails the step naming both inputs as action.yml names them, and writes no output', async () => {
    const out = join(tmp, 'orphan-out.csv');
    const run = await runAction({ action: 'batch-score', inputs: { package: pkg, data, out, 'drift-json-path': join(tmp, 'orphan.json') } });
    expect(run.code).not.toBe(0);
    expect(run.errors.join('\n')).toContain('input "drift-json-path" goes with input "drift-reference"');
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('a bad format or on-error fails the step naming the input and its values, and writes no output', async () => {
    for (const [inputs, message] of [[{ format: 'parquet' }, 'input "format" must be csv or jsonl, got "parquet"'], [{ 'on-error': 'ignore' }, 'input "on-error" must be stop or skip, got "ignore"']] as const) {
      const out = join(tmp, 'bad-option.csv');
      const run = await runAction({ action: 'batch-score', inputs: { package: pkg, data, out, ...inputs } });
      expect(run.code).not.toBe(0);
      expect(run.errors.join('\n')).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  }, 120_000);

  it("drift-reference: drift-check's outputs and reports for the batch (what runDriftReport gives on the same files), the verdict in the job summary", async () => {
    const reference = join(REPO_ROOT, 'test/fixtures/datasets/iris/train.csv');
    const json = join(tmp, 'drift.json');
    const run = await runAction({ action: 'batch-score', inputs: { package: pkg, data, out: join(tmp, 'drift-out.csv'), 'drift-reference': reference, 'drift-json-path': json, 'drift-html-path': join(tmp, 'drift.html') } });
    expect(run.code, run.stdout).toBe(0);
    const columns = readFileSync(data, 'utf8').split('\n', 1)[0]!.split(',').slice(1, -1); // the package's features: not the id, not the target
    const { report } = await runDriftReport({ reference, current: data, columns });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(JSON.parse(driftJson(report)));
    expect(run.outputs.drift).toBe(String(report.summary.dataset_drift));
    expect(run.outputs['drifted-columns']).toBe(report.summary.drifted_columns.join(','));
    expect(run.outputs['report-json']).toBe(json);
    expect(run.summary).toContain('Drift of the batch:');
  }, 120_000);
});
