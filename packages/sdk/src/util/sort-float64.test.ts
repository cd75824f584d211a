// sortFloat64 must give exactly TypedArray.prototype.sort's order (the reference here is V8's own sort).
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './sort-float64.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('sortFloat64', () => {
  it('matches Float64Array.prototype.sort bit for bit on mixed signs, magnitudes, ties, ±0, ±inf and subnormals', () => {
    const rnd = lcg(42);
    for (const n of [0, 1, 5, 2047, 2048, 5000, 70000]) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rnd();
        x[i] = u < 0.1 ? Math.round(rnd() * 10) - 5 : (rnd() - 0.5) * 10 ** (rnd() * 40 - 20);
      }
      if (n > 10) x.set([-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MIN_VALUE], 1);
      const want = x.slice().sort();
      const got = sortFloat64(x);
      expect(got).toBe(x);
      for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
    }
  });
  it('sorts values that are all float32s (a model\'s scores) by their 32-bit patterns, in the same order', () => {
    const rnd = lcg(11);
    for (const n of [2048, 5000, 70000]) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rnd();
        x[i] = Math.fround(u < 0.2 ? Math.round(rnd() * 10) - 5 : u < 0.6 ? rnd() : (rnd() - 0.5) * 10 ** (rnd() * 60 - 30));
      }
      x.set([-0, 0, Infinity, -Infinity, Math.fround(1e-45), -Math.fround(1e-45), Math.fround(3.4e38), -0, 0], 1);
      const want = x.slice().sort();
      sortFloat64(x);
      for (let i = 0; i < n; i++) if (!Object.is(x[i], want[i])) expect([i, x[i]]).toEqual([i, want[i]]);
    }
    // One value that is not a float32 sends the whole array to the 64-bit sort, with the same result.
    const mixed = new Float64Array(4096).map(() => Math.fround(rnd()));
    mixed[100] = 0.1;
    const want = mixed.slice().sort();
    expect(Array.from(sortFloat64(mixed))).toEqual(Array.from(want));
  });
  it('sorts a subarray view in place without touching the rest of the buffer', () => {
    const rnd = lcg(7);
    const buf = new Float64Array(10000).map(() => rnd());
    const before = buf.slice();
    const view = buf.subarray(1000, 9000);
    const want = view.slice().sort();
    sortFloat64(view);
    expect(Array.from(view)).toEqual(Array.from(want));
    expect(Array.from(buf.subarray(0, 1000))).toEqual(Array.from(before.subarray(0, 1000)));
    expect(Array.from(buf.subarray(9000))).toEqual(Array.from(before.subarray(9000)));
  });
});
