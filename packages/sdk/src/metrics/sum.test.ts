import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { seededRandom } from '../evaluate/bootstrap.ts';
import { compensatedSum, numpySum } from './sum.ts';

describe('numpySum', () => {
  it('is bit-identical to numpy.sum for lengths around every pairwise-summation boundary', () => {
    const r = seededRandom(5);
    const lengths = [1, 2, 7, 8, 9, 15, 16, 17, 100, 127, 128, 129, 130, 255, 256, 257, 1000, 4099];
    const arrays = lengths.map((n) => Array.from({ length: n }, () => (r() - 0.3) * 10 ** Math.floor(r() * 8)));
    const ref = runPythonJson<{ values: number[] }>('ref_metrics.py', ['arrays'],
      JSON.stringify(arrays.map((values) => ({ metric: 'np_sum', values }))));
    arrays.forEach((a, i) => expect(numpySum(a), `length ${a.length}`).toBe(ref.values[i]));
  });
});

describe('compensatedSum', () => {
  it('keeps the small terms a naive sum loses', () => {
    // 1 + 1e-16 (×10) − 1: naive float64 summation gives 0, the exact answer is 1e-15.
    const xs = [1, ...Array(10).fill(1e-16), -1];
    expect(xs.reduce((a, b) => a + b, 0)).toBe(0);
    expect(compensatedSum(xs)).toBeCloseTo(1e-15, 25);
  });
});
