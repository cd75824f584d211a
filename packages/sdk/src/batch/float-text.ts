/**
 * float32 values as text, written straight into a byte buffer: the batch output's probabilities and
 * values (prediction-columns.ts). The text is exactly `x.toPrecision(9)` (ECMAScript Number.prototype.
 * toPrecision: the 9-digit n with n × 10^(e−8) nearest to x, the larger n on a tie; fixed notation for
 * −6 ≤ e < 9) — 9 significant digits, which always read back to the same float32 (IEEE 754 binary32
 * needs 9) — but without making a string per value, which was a large share of a scoring run.
 *
 * Exact fast path for 1e-3 ≤ |x| < 1e9: x has a 24-bit significand and 10^k (k = 8 − e ≤ 11) is 5^k × 2^k
 * with 5^11 < 2^26, so x × 10^k needs at most 50 bits and is exact in float64; so is adding 0.5, and
 * floor gives n with ties up, as toPrecision picks. Everything else goes through toPrecision itself.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11];

/** Writes `x.toPrecision(9)` of a float32 value `x` (finite) as ASCII at `buf[at]`; returns the end. `buf` needs 16 bytes free. */
export function writeFloat32Text(buf: Uint8Array, at: number, x: number): number {
  const a = x < 0 ? -x : x;
  if (!(a >= 1e-3 && a < 1e9)) return writeAscii(buf, at, x.toPrecision(9));
  // e = floor(log10(a)), by comparison (Math.log10 may be off by one next to a power of ten).
  let e = a >= 1
    ? (a >= 1e4 ? (a >= 1e6 ? (a >= 1e8 ? 8 : a >= 1e7 ? 7 : 6) : a >= 1e5 ? 5 : 4) : a >= 100 ? (a >= 1000 ? 3 : 2) : a >= 10 ? 1 : 0)
    : a >= 0.1 ? -1 : a >= 0.01 ? -2 : -3;
  let n = Math.floor(a * POW10[8 - e]! + 0.5);
  if (n >= 1e9) {
    // Rounded up to the next power of ten (0.0999999999… → 0.100000000): one more integer digit.
    if (e === 8) return writeAscii(buf, at, x.toPrecision(9));
    e++;
    n = Math.floor(a * POW10[8 - e]! + 0.5);
  }
  if (x < 0) buf[at++] = 45; // -
  if (e < 0) {
    buf[at++] = 48; // 0
    buf[at++] = 46; // .
    for (let z = -e - 1; z > 0; z--) buf[at++] = 48;
  }
  // The 9 digits of n, right to left, with the point after the (e+1)-th when 0 ≤ e < 8.
  const point = e >= 0 && e < 8 ? e : -1;
  const end = at + 9 + (point >= 0 ? 1 : 0);
  let p = end;
  for (let k = 8; k >= 0; k--) {
    if (k === point) buf[--p] = 46;
    const q = (n / 10) | 0;
    buf[--p] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/** Writes an ASCII string at `buf[at]`; returns the end. */
export function writeAscii(buf: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}
