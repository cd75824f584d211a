/** Whether this machine stores numbers little-endian (x86, arm64: every supported one); else the slow loop. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `Number(x)` of every int64 (the nearest double, ties to even — exact below 2^53), read as two 32-bit
 * words: hi · 2^32 is exact and adding the unsigned low word rounds the exact sum once, as Number does.
 * Reading a BigInt64Array element allocates a BigInt, which at a million labels is most of the time
 * and of the garbage.
 */
export function int64ToNumbers(data: BigInt64Array): Float64Array {
  const n = data.length;
  const out = new Float64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]!);
    return out;
  }
  const w = new Int32Array(data.buffer, data.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
  return out;
}
