/**
 * numpy.quantile(sorted, p) with method='linear' (numpy 1.26 lib/function_base.py): virtual index
 * h = (n−1)·p, then numpy's _lerp between the neighbours (a + (b−a)·t, or b − (b−a)·(1−t) when t ≥ 0.5).
 */
export function quantileLinear(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileLinear: empty sample');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1]!;
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
