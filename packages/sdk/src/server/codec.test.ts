import { describe, expect, it } from 'vitest';
import { tensorDataJson } from './codec.ts';

describe('tensorDataJson', () => {
  it('writes float32 as the exact double of each float32, like JSON.stringify of the numbers', () => {
    const f = new Float32Array([0.1, 1, -2.5, 3.4e38, 1e-45]);
    expect(JSON.parse(tensorDataJson(f))).toEqual(Array.from(f));
    expect(tensorDataJson(f)).toBe(JSON.stringify(Array.from(f)));
  });

  it('writes NaN and ±Infinity as null (JSON has no such numbers)', () => {
    expect(tensorDataJson(new Float32Array([1, NaN, Infinity, -Infinity]))).toBe('[1,null,null,null]');
  });

  it('writes int64 labels exactly, int32 and uint8 as numbers, strings quoted', () => {
    expect(tensorDataJson(new BigInt64Array([0n, 2n, 9007199254740993n]))).toBe('[0,2,9007199254740993]');
    expect(tensorDataJson(new Int32Array([-1, 7]))).toBe('[-1,7]');
    expect(tensorDataJson(new Uint8Array([1, 0]))).toBe('[1,0]');
    expect(tensorDataJson(['setosa', 'a "b"'] as unknown as Float32Array)).toBe('["setosa","a \\"b\\""]');
    expect(tensorDataJson(new Float32Array(0))).toBe('[]');
  });
});
