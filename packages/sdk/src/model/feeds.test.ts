import { describe, expect, it } from 'vitest';
import { concatBatches, inputWidth, padBatch, sliceBatch, staticBatchOf, type InputBatch } from './feeds.ts';
import type { TensorSpec } from './signature.ts';

const spec = (shape: Array<number | string>, type = 'float32'): TensorSpec => ({ name: 'x', isTensor: true, type, shape });

describe('feeds', () => {
  it('inputWidth and staticBatchOf read the declared shapes', () => {
    expect(inputWidth(spec(['']))).toBe(1);
    expect(inputWidth(spec(['', 1]))).toBe(1);
    expect(inputWidth(spec(['batch', 4]))).toBe(4);
    expect(inputWidth(spec(['', '']))).toBeNull();
    expect(inputWidth(spec([1, 2, 3]))).toBe(6);
    expect(staticBatchOf([spec(['batch', 4])])).toBeNull();
    expect(staticBatchOf([spec([1, 4])])).toBe(1);
    expect(staticBatchOf([spec(['', 1]), spec([2, 3])])).toBe(2);
  });

  it('slice, concat and pad keep each input\'s rows together (numbers and strings)', () => {
    const b: InputBatch = { rows: 3, data: { x: Float32Array.from([1, 2, 3, 4, 5, 6]), city: ['a', 'b', 'c'] } };
    const s = sliceBatch(b, 1, 2);
    expect(Array.from(s.data.x as Float32Array)).toEqual([3, 4, 5, 6]);
    expect(s.data.city).toEqual(['b', 'c']);
    const c = concatBatches([sliceBatch(b, 0, 1), s]);
    expect(c.rows).toBe(3);
    expect(Array.from(c.data.x as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.data.city).toEqual(['a', 'b', 'c']);
    const p = padBatch(sliceBatch(b, 0, 1), 3);
    expect(Array.from(p.data.x as Float32Array)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(p.data.city).toEqual(['a', 'a', 'a']);
    expect(p.rows).toBe(3);
  });
});
