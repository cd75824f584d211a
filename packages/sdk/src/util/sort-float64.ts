/**
 * Sorts a Float64Array ascending in place (same order as TypedArray.prototype.sort for non-NaN values,
 * -0 before +0) by an LSD radix sort on the IEEE-754 bit patterns: 4 passes of 16 bits over keys made
 * monotone (negative: all bits flipped; positive: sign bit flipped); values that are all float32s (a
 * model's scores) by their 32-bit patterns (sortAsFloat32). O(n), several times faster than the
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
  if (allFloat32(values)) return sortAsFloat32(values);
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

/** Whether every value is a float32 widened (a model's float32 scores): then 32-bit keys sort them. */
function allFloat32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]!) !== values[i]) return false;
  return true;
}

let scratch32 = /* @__PURE__ */ new Uint32Array(0);

/**
 * sortFloat64 for values that are all float32s: the same order (float32 → float64 widening is exact and
 * monotone, -0 stays -0) from an LSD radix sort of their 32-bit patterns made monotone as above, in 3
 * passes of 11 bits — a quarter of the memory traffic of the 64-bit sort and cache-sized histograms.
 */
function sortAsFloat32(values: Float64Array): Float64Array {
  const n = values.length;
  let a = new Uint32Array(n);
  const asFloat = new Float32Array(a.buffer);
  for (let i = 0; i < n; i++) asFloat[i] = values[i]!;
  for (let i = 0; i < n; i++) { const k = a[i]!; a[i] = k & 0x80000000 ? ~k >>> 0 : (k | 0x80000000) >>> 0; }
  if (scratch32.length < n) scratch32 = new Uint32Array(n);
  let b = scratch32.subarray(0, n);
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(a[i]! >>> shift) & 0x7ff]!++;
    if (counts[(a[0]! >>> shift) & 0x7ff] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d < 2048; d++) { const c = counts[d]!; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) { const k = a[i]!; b[counts[(k >>> shift) & 0x7ff]!++] = k; }
    const t = a; a = b; b = t;
  }
  for (let i = 0; i < n; i++) { const k = a[i]!; a[i] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0; }
  const out = new Float32Array(a.buffer, a.byteOffset, n);
  for (let i = 0; i < n; i++) values[i] = out[i]!;
  return values;
}
