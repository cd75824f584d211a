import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../data/csv.ts';
import { columnSlots } from '../model/input-map.ts';
import { InferenceLog, shortestFloat32 } from './inference-log.ts';

/** The classic single float32 input `x` of every column. */
const floats = (columns: string[]) => columnSlots([{ name: 'x', type: 'float32', columns }], columns);
const batch = (values: number[] | Float32Array, rows: number) => ({ rows, data: { x: Float32Array.from(values) } });

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'mlship-ilog-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

const names = ['mean radius', 'od280/od315 (x)', 'a,b'];

describe('InferenceLog', () => {
  it('CSV: feature-name header (+ prediction, id, time when asked), RFC 4180 quoting, read back by readCsv', async () => {
    const path = join(tmp, 'log.csv');
    const log = await InferenceLog.open({ path, columns: floats(names), model: 'm', version: '1', sampleRate: 1, predictions: true });
    log.record(batch(new Float32Array([1.1, 2, 3, 4.5, 5, 6]), 2), [{ label: 'yes, "really"' }, 0.25], ['r1', 'r,2']);
    await log.close();
    const cells: string[][] = [];
    let header: string[] = [];
    await readCsv(path, { header: (h) => { header = h; }, field: (c, b, s, e, r) => { (cells[r] ??= [])[c] = Buffer.from(b.subarray(s, e)).toString(); } });
    expect(header).toEqual([...names, 'prediction', 'id', 'time']);
    expect(cells.map((c) => c.slice(0, 5))).toEqual([['1.1', '2', '3', 'yes, "really"', 'r1'], ['4.5', '5', '6', '0.25', 'r,2']]);
    expect(new Date(cells[0]![5]!).toISOString()).toBe(cells[0]![5]);
    // A restart appends under the same header; another model's header is refused.
    const again = await InferenceLog.open({ path, columns: floats(names), model: 'm', version: '1', sampleRate: 1, predictions: true });
    again.record(batch(new Float32Array([7, 8, 9]), 1), [1]);
    await again.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(4);
    await expect(InferenceLog.open({ path, columns: floats(['x']), model: 'm', version: '1', sampleRate: 1 })).rejects.toThrow(/exists with a different header/);
  });

  it('JSONL: one object per row with features by name', async () => {
    const path = join(tmp, 'log.jsonl');
    const log = await InferenceLog.open({ path, columns: floats(names), model: 'iris', version: '2', sampleRate: 1 });
    log.record(batch(new Float32Array([0.1, 0.2, 0.3]), 1), [{ label: 2, classes: [0, 1, 2], probabilities: [0, 0, 1] }], ['req-7']);
    await log.close();
    const obj = JSON.parse((await readFile(path, 'utf8')).trim());
    expect(obj).toMatchObject({ model: 'iris', version: '2', id: 'req-7', features: { 'mean radius': 0.1, 'od280/od315 (x)': 0.2, 'a,b': 0.3 }, prediction: 2 });
  });

  it('.ndjson is JSON Lines too (as the drift check reads it)', async () => {
    const path = join(tmp, 'log.NDJSON');
    const log = await InferenceLog.open({ path, columns: floats(names), model: 'iris', version: '2', sampleRate: 1 });
    log.record(batch(new Float32Array([0.5, 0.25, 1]), 1), [1]);
    await log.close();
    expect(log.format).toBe('jsonl');
    expect(JSON.parse((await readFile(path, 'utf8')).trim())).toMatchObject({ features: { 'mean radius': 0.5 }, prediction: 1 });
  });

  it('samples rows with the given rate', async () => {
    const path = join(tmp, 'sampled.csv');
    const draws = [0.05, 0.5, 0.09, 0.95];
    const log = await InferenceLog.open({ path, columns: floats(['f']), model: 'm', version: '1', sampleRate: 0.1, predictions: true, random: () => draws.shift()! });
    log.record(batch(new Float32Array([1, 2, 3, 4]), 4), [1, 2, 3, 4]);
    await log.close();
    expect(log.rowsWritten).toBe(2);
    expect((await readFile(path, 'utf8'))).toMatch(/^f,prediction,id,time\n1,1,,\S+Z\n3,3,,\S+Z\n$/);
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

  it('moves a torn last record aside on open and never appends to a partial line', async () => {
    const path = join(tmp, 'torn.csv');
    const t0 = '1970-01-01T00:00:00.000Z';
    await writeFile(path, `f,prediction,id,time\n1,1,a,${t0}\n5.1,3.5`);
    const warnings: Array<Record<string, unknown>> = [];
    const log = await InferenceLog.open({ path, columns: floats(['f']), model: 'm', version: '1', sampleRate: 1, predictions: true, now: () => 0, onWarn: (_m, f) => warnings.push(f) });
    await log.record(batch(new Float32Array([2]), 1), [2], ['b']);
    await log.close();
    expect(await readFile(path, 'utf8')).toBe(`f,prediction,id,time\n1,1,a,${t0}\n2,2,b,${t0}\n`);
    expect(await readFile(`${path}.torn`, 'utf8')).toBe('5.1,3.5\n');
    expect(warnings).toEqual([expect.objectContaining({ torn_bytes: 7, kept_bytes: 52 })]);
    // A file torn inside its header is started again.
    const headerOnly = join(tmp, 'torn-header.csv');
    await writeFile(headerOnly, 'f,predic');
    const again = await InferenceLog.open({ path: headerOnly, columns: floats(['f']), model: 'm', version: '1', sampleRate: 1, predictions: true, now: () => 0 });
    await again.record(batch(new Float32Array([3]), 1), [3]);
    await again.close();
    expect(await readFile(headerOnly, 'utf8')).toBe(`f,prediction,id,time\n3,3,,${t0}\n`);
  });

  it('rotates by size and by age, keeping the newest rotated files', async () => {
    const dir = join(tmp, 'rotate');
    const path = join(dir, 'log.csv');
    let now = Date.parse('2026-12-01T00:00:00Z');
    const log = await InferenceLog.open({ path, columns: floats(['f']), model: 'm', version: '1', sampleRate: 1, maxBytes: 20, keep: 1, now: () => now });
    for (let i = 0; i < 12; i++) { now += 1000; await log.record(batch(new Float32Array([i, i]), 2), [0, 0]); }
    await log.close();
    const files = (await readdir(dir)).sort();
    // Rows 0-4 went to the file rotated at 00:00:06 (deleted: keep 1), rows 5-9 to the one rotated at 00:00:11.
    expect(files).toEqual(['log.2026-12-01T00-00-11-000Z.csv', 'log.csv']);
    expect(await readFile(join(dir, files[0]!), 'utf8')).toBe('f\n5\n5\n6\n6\n7\n7\n8\n8\n9\n9\n');
    expect(await readFile(join(dir, 'log.csv'), 'utf8')).toBe('f\n10\n10\n11\n11\n');
    const aged = await InferenceLog.open({ path: join(dir, 'aged.jsonl'), columns: floats(['f']), model: 'm', version: '1', sampleRate: 1, maxAgeMs: 60_000, now: () => now });
    await aged.record(batch(new Float32Array([1]), 1), [1]);
    now += 61_000;
    await aged.record(batch(new Float32Array([2]), 1), [2]);
    await aged.close();
    expect((await readdir(dir)).filter((f) => f.startsWith('aged.'))).toHaveLength(2);
  });

  it('any inputs: each column read from the input it feeds (strings quoted as needed; float64 as the shortest decimal of the double, 2^60 → 1152921504606847000; int64 exact; bool 0/1)', async () => {
    // Inputs as a ColumnTransformer export and a torch model have them: `num` [N, 2] float64, `city` string, `n` int64, `b` bool.
    const columns = ['x1', 'city', 'x2', 'n', 'b'];
    const bindings = [
      { name: 'num', type: 'float64' as const, columns: ['x1', 'x2'] }, { name: 'city', type: 'string' as const, columns: ['city'] },
      { name: 'n', type: 'int64' as const, columns: ['n'] }, { name: 'b', type: 'bool' as const, columns: ['b'] },
    ];
    const rows = { rows: 2, data: { num: Float64Array.from([0.1, -3, 2 ** 60, 1e-300]), city: ['lyon', 'saint-étienne, "nord"'], n: BigInt64Array.from([9007199254740993n, -1n]), b: Uint8Array.from([1, 0]) } };
    const path = join(tmp, 'mixed.csv');
    const log = await InferenceLog.open({ path, columns: columnSlots(bindings, columns), model: 'm', version: '1', sampleRate: 1, predictions: true });
    await log.record(rows, [{ label: 'yes' }, { label: 'no' }], ['a', 'b']);
    await log.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines[0]).toBe('x1,city,x2,n,b,prediction,id,time');
    expect(lines[1]).toMatch(/^0\.1,lyon,-3,9007199254740993,1,yes,a,/);
    expect(lines[2]).toMatch(/^1152921504606847000,"saint-étienne, ""nord""",1e-300,-1,0,no,b,/);
    const jsonl = join(tmp, 'mixed.jsonl');
    const j = await InferenceLog.open({ path: jsonl, columns: columnSlots(bindings, columns), model: 'm', version: '1', sampleRate: 1 });
    await j.record(rows, [{ label: 'yes' }, { label: 'no' }]);
    await j.close();
    const first = JSON.parse((await readFile(jsonl, 'utf8')).split('\n')[0]!);
    expect(first.features).toEqual({ x1: 0.1, city: 'lyon', x2: -3, n: '9007199254740993', b: 1 });
  });

  it('a stalled sink: responses stop waiting, memory stays bounded (drops counted), close keeps its deadline', { timeout: 60_000 }, async () => {
    // A FIFO nobody reads: writes block once the 64 KiB pipe buffer is full, as a hung disk would.
    const fifo = join(tmp, 'stalled.jsonl');
    execFileSync('mkfifo', [fifo]);
    const log = await InferenceLog.open({ path: fifo, columns: floats(['a', 'b']), model: 'm', version: '1', sampleRate: 1, bufferBytes: 256 * 1024, stallMs: 100 });
    const rows = 100;
    const features = new Float32Array(rows * 2).fill(1.5);
    const preds = Array.from({ length: rows }, () => 1);
    for (let i = 0; i < 400; i++) await log.record(batch(features, rows), preds); // each resolves: written, dropped or stalled
    expect(log.rowsDropped).toBeGreaterThan(0);
    expect(log.bufferedBytes).toBeLessThanOrEqual(256 * 1024 + 100 * 200);
    expect(await log.close(200)).toEqual({ flushed: false });
    // Unblock the pending write (a reader drains the pipe) so the test leaves no thread behind.
    const reader = createReadStream(fifo);
    reader.resume();
    await new Promise((r) => setTimeout(r, 200));
    reader.destroy();
  });
});
