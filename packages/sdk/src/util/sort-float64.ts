/**
 * Sorts a Float64Array ascending in place (same order as TypedArray.prototype.sort for non-NaN values,
 * -0 before +0) by an LSD radix sort on the IEEE-754 bit patterns: 4 passes of 16 bits over keys made
 * monotone (negative: all bits flipped; positive: sign bit flipped). O(n), several times faster than the
 * comparison sort for the million-value columns of a drift check and the score lists of a ROC AUC.
 * Uses one scratch array of n doubles. NaN is not allowed (the drift check drops missing values first;
 * ROC AUC refuses them).
 */
// One scratch buffer reused across calls (a drift check sorts dozens of same-sized columns in turn);
// module state is per isolate, so each worker thread has its own.
let scratch = /* @__PURE__ */ new Uint32Array(0);

export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2048) return values.sort();
  const src = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // Make keys monotone.
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) { src[2 * i + 1] = ~hi >>> 0; src[2 * i] = ~src[2 * i]! >>> 0; } else src[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let a: Uint32Array = src;
  if (scratch.length < n * 2) scratch = new Uint32Array(n * 2);
  let b: Uint32Array = scratch.subarray(0, n * 2);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(a[2 * i + word]! >>> shift) & 0xffff]!++;
    // Skip a pass where every key has the same digit.
    let same = false;
    for (let d = 0; d < 65536; d++) { if (counts[d] === n) { same = true; break; } if (counts[d] !== 0) break; }
    if (same) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = counts[d]!; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const lo = a[2 * i]!;
      const hi = a[2 * i + 1]!;
      const d = ((word === 0 ? lo : hi) >>> shift) & 0xffff;
      const p = counts[d]!++;
      b[2 * p] = lo;
      b[2 * p + 1] = hi;
    }
    const t = a; a = b; b = t;
  }
  if (a !== src) src.set(a);
  // Undo the key transform.
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) src[2 * i + 1] = (hi & 0x7fffffff) >>> 0; else { src[2 * i + 1] = ~hi >>> 0; src[2 * i] = ~src[2 * i]! >>> 0; }
  }
  return values;
}
