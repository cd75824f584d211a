import { mkdtemp, readFile, rm, } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../data/csv.ts';
import { InferenceLog, shortestFloat32 } from './inference-log.ts';

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'mlship-ilog-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

const names = ['mean radius', 'od280/od315 (x)', 'a,b'];

describe('InferenceLog', () => {
  it('CSV: feature-name header (+ prediction when asked), RFC 4180 quoting, read back by readCsv', async () => {
    const path = join(tmp, 'log.csv');
    const log = await InferenceLog.open({ path, featureNames: names, model: 'm', version: '1', sampleRate: 1, predictions: true });
    log.record(new Float32Array([1.1, 2, 3, 4.5, 5, 6]), 2, [{ label: 'yes, "really"' }, 0.25]);
    await log.close();
    const cells: string[][] = [];
    let header: string[] = [];
    await readCsv(path, { header: (h) => { header = h; }, field: (c, b, s, e, r) => { (cells[r] ??= [])[c] = Buffer.from(b.subarray(s, e)).toString(); } });
    expect(header).toEqual([...names, 'prediction']);
    expect(cells).toEqual([['1.1', '2', '3', 'yes, "really"'], ['4.5', '5', '6', '0.25']]);
    // A restart appends under the same header; another model's header is refused.
    const again = await InferenceLog.open({ path, featureNames: names, model: 'm', version: '1', sampleRate: 1, predictions: true });
    again.record(new Float32Array([7, 8, 9]), 1, [1]);
    await again.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(4);
    await expect(InferenceLog.open({ path, featureNames: ['x'], model: 'm', version: '1', sampleRate: 1 })).rejects.toThrow(/exists with a different header/);
  });

  it('JSONL: one object per row with features by name', async () => {
    const path = join(tmp, 'log.jsonl');
    const log = await InferenceLog.open({ path, featureNames: names, model: 'iris', version: '2', sampleRate: 1 });
    log.record(new Float32Array([0.1, 0.2, 0.3]), 1, [{ label: 2, probabilities: { 0: 0, 1: 0, 2: 1 } }]);
    await log.close();
    const obj = JSON.parse((await readFile(path, 'utf8')).trim());
    expect(obj).toMatchObject({ model: 'iris', version: '2', features: { 'mean radius': 0.1, 'od280/od315 (x)': 0.2, 'a,b': 0.3 }, prediction: 2 });
  });

  it('.ndjson is JSON Lines too (as the drift check reads it)', async () => {
    const path = join(tmp, 'log.NDJSON');
    const log = await InferenceLog.open({ path, featureNames: names, model: 'iris', version: '2', sampleRate: 1 });
    log.record(new Float32Array([0.5, 0.25, 1]), 1, [1]);
    await log.close();
    expect(log.format).toBe('jsonl');
    expect(JSON.parse((await readFile(path, 'utf8')).trim())).toMatchObject({ features: { 'mean radius': 0.5 }, prediction: 1 });
  });

  it('samples rows with the given rate', async () => {
    const path = join(tmp, 'sampled.csv');
    const draws = [0.05, 0.5, 0.09, 0.95];
    const log = await InferenceLog.open({ path, featureNames: ['f'], model: 'm', version: '1', sampleRate: 0.1, predictions: true, random: () => draws.shift()! });
    log.record(new Float32Array([1, 2, 3, 4]), 4, [1, 2, 3, 4]);
    await log.close();
    expect(log.rowsWritten).toBe(2);
    expect((await readFile(path, 'utf8'))).toBe('f,prediction\n1,1\n3,3\n');
  });

  it('writes float32 values as their shortest round-tripping decimal', () => {
    for (const v of [5.1, 0.07871, 15.880000000000001, 1e-7, 3.4e38, 123456789]) {
      const f = Math.fround(v);
      const s = shortestFloat32(f);
      expect(Math.fround(Number(s))).toBe(f);
    }
    expect(shortestFloat32(Math.fround(5.1))).toBe('5.1');
    expect(shortestFloat32(Math.fround(0.07871))).toBe('0.07871');
  });
});
