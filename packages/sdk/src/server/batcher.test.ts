import { describe, expect, it } from 'vitest';
import type { OutputTensor } from '../model/onnx-model.ts';
import type { InputBatch } from '../model/feeds.ts';
import { DynamicBatcher } from './batcher.ts';

/**
 * A fake model with 2 features: output `sum` [N] = f0 + f1 and `pair` [N, 2] = (f0, f1), so every
 * request can check it got its own rows back. Records the rows of every run.
 */
function fakeModel() {
  const runs: number[] = [];
  const run = async (batch: InputBatch): Promise<Record<string, OutputTensor>> => {
    const rows = batch.rows;
    const features = batch.data.x as Float32Array;
    runs.push(rows);
    await new Promise((r) => setImmediate(r)); // like onnxruntime-node: the run completes on a later turn
    const sum = new Float32Array(rows);
    for (let i = 0; i < rows; i++) sum[i] = features[2 * i]! + features[2 * i + 1]!;
    return { sum: { type: 'float32', dims: [rows], data: sum }, pair: { type: 'float32', dims: [rows, 2], data: features.slice() } };
  };
  return { run, runs };
}

const rowsOf = (...values: number[][]): InputBatch => ({ rows: values.length, data: { x: new Float32Array(values.flat()) } });

describe('DynamicBatcher', () => {
  it('runs a lone request by itself, without waiting', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 64, maxWaitMs: 50 });
    const out = await b.submit(rowsOf([1, 2]));
    expect(Array.from(out.sum!.data as Float32Array)).toEqual([3]);
    expect(m.runs).toEqual([1]);
  });

  it('merges the requests that arrive while a run executes into the next run and splits the outputs back', async () => {
    const m = fakeModel();
    const batches: Array<[number, number]> = [];
    const b = new DynamicBatcher(m.run, { maxBatchSize: 64, maxWaitMs: 0, onBatch: (r, n) => batches.push([r, n]) });
    const first = b.submit(rowsOf([0, 1])); // idle: runs at once
    const [a, c, d] = await Promise.all([b.submit(rowsOf([1, 2])), b.submit(rowsOf([10, 20], [30, 40])), b.submit(rowsOf([5, 5]))]);
    expect(Array.from((await first).sum!.data as Float32Array)).toEqual([1]);
    expect(m.runs).toEqual([1, 4]);
    expect(batches).toEqual([[1, 1], [4, 3]]);
    expect(Array.from(a!.sum!.data as Float32Array)).toEqual([3]);
    expect(Array.from(c!.sum!.data as Float32Array)).toEqual([30, 70]);
    expect(c!.pair!.dims).toEqual([2, 2]);
    expect(Array.from(c!.pair!.data as Float32Array)).toEqual([10, 20, 30, 40]);
    expect(Array.from(d!.sum!.data as Float32Array)).toEqual([10]);
  });

  it('never puts more than maxBatchSize rows in a run', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 3, maxWaitMs: 0 });
    const first = b.submit(rowsOf([0, 0]));
    const later = Array.from({ length: 7 }, (_, i) => b.submit(rowsOf([i, 1])));
    const outs = await Promise.all([first, ...later]);
    expect(m.runs).toEqual([1, 3, 3, 1]);
    outs.slice(1).forEach((o, i) => expect(Array.from(o.sum!.data as Float32Array)).toEqual([i + 1]));
  });

  it('once runs carry several requests, merges the requests of one event-loop turn even with no run executing', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 64, maxWaitMs: 0 });
    await Promise.all([b.submit(rowsOf([0, 0])), b.submit(rowsOf([0, 0])), b.submit(rowsOf([0, 0]))]); // runs [1, 2]: busy
    await Promise.all([b.submit(rowsOf([1, 1])), b.submit(rowsOf([2, 2]))]);
    expect(m.runs).toEqual([1, 2, 2]);
  });

  it('runs a request larger than maxBatchSize alone and whole', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 2, maxWaitMs: 0 });
    const [big, small] = await Promise.all([b.submit(rowsOf([1, 1], [2, 2], [3, 3])), b.submit(rowsOf([4, 4]))]);
    expect(m.runs).toEqual([3, 1]);
    expect(Array.from(big!.sum!.data as Float32Array)).toEqual([2, 4, 6]);
    expect(Array.from(small!.sum!.data as Float32Array)).toEqual([8]);
  });

  it('with maxBatchSize 1 runs every request on its own (batching off)', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 1, maxWaitMs: 0 });
    await Promise.all([b.submit(rowsOf([1, 1])), b.submit(rowsOf([2, 2])), b.submit(rowsOf([3, 3]))]);
    expect(m.runs).toEqual([1, 1, 1]);
  });

  it('when busy and maxWaitMs > 0, waits for more rows before a run that is not full', async () => {
    const m = fakeModel();
    const b = new DynamicBatcher(m.run, { maxBatchSize: 64, maxWaitMs: 30 });
    await Promise.all([b.submit(rowsOf([1, 1])), b.submit(rowsOf([1, 1])), b.submit(rowsOf([1, 1]))]); // runs [1, 2]: busy
    const p1 = b.submit(rowsOf([1, 1]));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const p2 = b.submit(rowsOf([2, 2])); // two turns later, within the 30 ms window
    await Promise.all([p1, p2]);
    expect(m.runs).toEqual([1, 2, 2]);
  });

  it('rejects every request of a failed run and keeps serving', async () => {
    let fail = true;
    const m = fakeModel();
    const b = new DynamicBatcher(async (batch) => { if (fail) throw new Error("boom"); return m.run(batch); }, { maxBatchSize: 8, maxWaitMs: 0 });
    const results = await Promise.allSettled([b.submit(rowsOf([1, 1])), b.submit(rowsOf([1, 1]))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    const ok = await b.submit(rowsOf([1, 2]));
    expect(Array.from(ok.sum!.data as Float32Array)).toEqual([3]);
  });
});
