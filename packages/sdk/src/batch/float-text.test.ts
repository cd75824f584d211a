import { describe, expect, it } from 'vitest';
import { writeFloat32Text } from './float-text.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const buf = Buffer.alloc(32);
const text = (x: number) => buf.toString('latin1', 0, writeFloat32Text(buf, 0, x));

describe('writeFloat32Text', () => {
  it('writes toPrecision(9) of random float32 bit patterns and of probabilities', () => {
    for (let i = 0; i < 300_000; i++) {
      u32[0] = (Math.random() * 2 ** 32) >>> 0;
      const x = i % 2 ? f32[0]! : Math.fround(Math.random());
      if (!Number.isFinite(x)) continue;
      if (text(x) !== x.toPrecision(9)) expect(text(x), String(x)).toBe(x.toPrecision(9));
    }
  });

  it('writes the float32 values next to every power of ten, zero, signs and the fallback ranges', () => {
    for (const b of [1e-7, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 3.4e38]) {
      f32[0] = b;
      const bits = u32[0]!;
      for (let k = -200; k <= 200; k++) {
        u32[0] = bits + k;
        for (const x of [f32[0]!, -f32[0]!]) if (Number.isFinite(x)) expect(text(x), String(x)).toBe(x.toPrecision(9));
      }
    }
    for (const x of [0, -0, 1, -1, 0.5, 0.999999940395, 1.4e-45, 123456789, 999999999]) expect(text(Math.fround(x)), String(x)).toBe(Math.fround(x).toPrecision(9));
  });
});
