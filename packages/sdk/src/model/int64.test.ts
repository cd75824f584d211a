import { describe, expect, it } from 'vitest';
import { int64ToNumbers } from './int64.ts';

describe('int64ToNumbers', () => {
  it('equals Number(x) for every int64: small, negative, near 2^53, rounding ties, the extremes', () => {
    const edge = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 32n, -(2n ** 32n) - 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 3n,
      -(2n ** 53n) - 1n, 2n ** 62n + 1023n, 2n ** 62n + 1024n, 2n ** 62n + 1025n, 2n ** 63n - 1n, -(2n ** 63n)];
    let s = 12345n;
    const random: bigint[] = [];
    for (let i = 0; i < 20000; i++) {
      s = (s * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
      random.push(BigInt.asIntN(64, s >> BigInt(i % 40))); // every magnitude
    }
    const data = BigInt64Array.from([...edge, ...random]);
    const got = int64ToNumbers(data);
    for (let i = 0; i < data.length; i++) if (got[i] !== Number(data[i]!)) expect([String(data[i]), got[i]]).toEqual([String(data[i]), Number(data[i]!)]);
  });
  it('reads a view at an offset', () => {
    const all = BigInt64Array.from([7n, -5n, 2n ** 40n, 9n]);
    expect(Array.from(int64ToNumbers(all.subarray(1, 3)))).toEqual([-5, 2 ** 40]);
  });
});
