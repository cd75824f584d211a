import { quantileLinear } from '../metrics/quantile.ts';
import { chi2Sf, normalCdf } from './special.ts';

/**
 * Drift statistics as plain functions. Numerical samples are Float64Array sorted ascending without NaN
 * (the drift check sorts each column once); categorical data are count vectors aligned on one category
 * order. Each function names the reference implementation it reproduces; tests compare with it.
 */

/** Arithmetic mean (numpy.mean). */
export function mean(x: Float64Array): number {
  if (x.length === 0) throw new RangeError('mean: empty sample');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Population standard deviation, ddof = 0 (numpy.std): √(Σ(x−x̄)²/n), two-pass. */
export function stdPopulation(x: Float64Array, mu = mean(x)): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) { const d = x[i]! - mu; s += d * d; }
  return Math.sqrt(s / x.length);
}

/** What one ordered walk over the pooled distinct values of two sorted samples yields. */
export interface PooledWalk {
  /** max over x of F_a(x) − F_b(x), and the min (ECDFs with side='right', as scipy's ks_2samp). */
  maxDiff: number;
  minDiff: number;
  /** ∫ |F_a − F_b| dt (scipy.stats.wasserstein_distance). */
  wasserstein: number;
  /** Distinct values over both samples (pd.concat([a, b]).nunique()). */
  distinct: number;
}

/**
 * One merge over two sorted, NaN-free samples computing the K-S extremes, the Wasserstein-1 distance
 * and the pooled distinct count together (the drift check calls it once per numerical column).
 */
export function pooledWalk(a: Float64Array, b: Float64Array): PooledWalk {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw new RangeError('both samples must be non-empty');
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  let prev = a[0]! < b[0]! ? a[0]! : b[0]!;
  let diff = 0;
  let sum = 0;
  let distinct = 0;
  while (i < na || j < nb) {
    const x = i < na && (j >= nb || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    sum += Math.abs(diff) * (x - prev);
    prev = x;
    while (i < na && a[i]! <= x) i++;
    while (j < nb && b[j]! <= x) j++;
    diff = i / na - j / nb;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
    distinct++;
  }
  return { maxDiff, minDiff, wasserstein: sum, distinct };
}

/**
 * First Wasserstein distance between the empirical distributions of `u` and `v`
 * (scipy.stats.wasserstein_distance): ∫ |F_u(t) − F_v(t)| dt over the pooled sorted values.
 */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  if (u.length === 0 || v.length === 0) throw new RangeError('wassersteinDistance: both samples must be non-empty');
  return pooledWalk(u, v).wasserstein;
}

/**
 * Wasserstein distance normed by the reference standard deviation, Evidently's "wasserstein" stattest
 * (evidently/legacy/calculations/stattests/wasserstein_distance_norm.py):
 * wasserstein_distance(ref, cur) / max(std(ref, ddof=0), 0.001).
 */
export function wassersteinNormed(ref: Float64Array, cur: Float64Array, refStd = stdPopulation(ref)): number {
  return wassersteinDistance(ref, cur) / Math.max(refStd, 0.001);
}

/**
 * Jensen–Shannon distance (scipy.spatial.distance.jensenshannon, natural log):
 * p and q normalised to sum 1, m = (p+q)/2, √((KL(p‖m) + KL(q‖m)) / 2), with 0·log(0/·) = 0.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError('jensenShannonDistance: p and q differ in length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) { sp += p[i]!; sq += q[i]!; }
  if (!(sp > 0 && sq > 0)) throw new RangeError('jensenShannonDistance: p and q must have positive sums');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(left + right, 0) / 2);
}

/**
 * Population Stability Index on proportions, Evidently's psi (stattests/psi.py):
 * Σ (r_i − c_i) · ln(r_i / c_i), the proportions already floored by `floorEmptyBins`.
 */
export function populationStabilityIndex(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += (ref[i]! - cur[i]!) * Math.log(ref[i]! / cur[i]!);
  return s;
}

// quantileLinear (numpy.quantile, method='linear') lives in metrics/quantile.ts, below package and drift.
export { quantileLinear };

/**
 * PSI on reference-quantile bins, numpy's definition (python/ref_drift.py psi_quantile is the reference):
 *   q = numpy.quantile(ref, numpy.linspace(0, 1, bins + 1), method='linear')
 *   r, c = bincount(numpy.digitize(x, q[1:-1], right=True), minlength=bins) / len(x)   for x = ref, cur
 *   r, c = where(p == 0, 1e-4, p);   PSI = Σ (c_i − r_i) · ln(c_i / r_i)
 * i.e. `bins` bins (−∞, q₁], (q₁, q₂], …, (q_{bins−1}, +∞): the outer edges opened (current values outside
 * the reference range still count), bins closed on the right (a value equal to an edge belongs to the
 * bin below it). Ties: the edges are kept as numpy.quantile returns them, duplicates included. A
 * duplicate edge makes a zero-width bin, empty in both samples, floored to 1e-4 on both sides, so it
 * adds (1e-4 − 1e-4)·ln 1 = 0; a column with few distinct values therefore gets one bin per value, and
 * diabetes `sex` (two values, 187/166 vs 48/41 rows in the fixtures' train/test) gives 3.69e-4. (Removing
 * the duplicates before opening the outer edges, as this did until issue 9, left one bin and PSI 0.)
 * Both samples sorted ascending.
 */
export function psiQuantileBins(ref: Float64Array, cur: Float64Array, bins = 10): number {
  if (ref.length === 0 || cur.length === 0) throw new RangeError('psiQuantileBins: both samples must be non-empty');
  const step = 1 / bins;
  const inner: number[] = [];
  for (let i = 1; i < bins; i++) inner.push(quantileLinear(ref, i * step)); // q[1:-1]: ±∞ replace q[0] and q[bins]
  const upper = (x: Float64Array, v: number) => { let lo = 0, hi = x.length; while (lo < hi) { const m = (lo + hi) >>> 1; if (x[m]! <= v) lo = m + 1; else hi = m; } return lo; };
  let psi = 0;
  let prevR = 0;
  let prevC = 0;
  for (let i = 0; i <= inner.length; i++) {
    const ur = i < inner.length ? upper(ref, inner[i]!) : ref.length;
    const uc = i < inner.length ? upper(cur, inner[i]!) : cur.length;
    const r = Math.max((ur - prevR) / ref.length, 0) || 1e-4;
    const c = Math.max((uc - prevC) / cur.length, 0) || 1e-4;
    psi += (c - r) * Math.log(c / r);
    prevR = ur;
    prevC = uc;
  }
  return psi;
}

/**
 * Evidently's zero filling in get_binned_data (stattests/utils.py, feel_zeroes=True): every 0 becomes
 * min(non-zero)/10⁶ when that minimum is ≤ 1e-4, else 1e-4. Returns a copy.
 */
export function floorEmptyBins(p: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(p);
  let min = Infinity;
  for (const x of out) if (x !== 0 && x < min) min = x;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}

/**
 * numpy.histogram_bin_edges(combined, bins='sturges') (numpy 1.26 lib/histograms.py): width =
 * ptp/(log2(n)+1), nbins = ceil(ptp/width), edges = linspace(min, max, nbins+1); min = max gives
 * (min−0.5, max+0.5) and one bin.
 */
export function sturgesEdges(min: number, max: number, n: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) { first -= 0.5; last += 0.5; }
  const ptp = max - min;
  const width = ptp / (Math.log2(n) + 1);
  const nbins = width ? Math.ceil((last - first) / width) : 1;
  const num = nbins + 1;
  const step = (last - first) / (num - 1);
  const edges = new Float64Array(num);
  for (let i = 0; i < num; i++) edges[i] = step === 0 ? (i / (num - 1)) * (last - first) + first : i * step + first;
  edges[num - 1] = last;
  return edges;
}

/**
 * Counts of a sorted sample in bins [e_i, e_{i+1}), the last bin closed (numpy.histogram with explicit
 * edges); values outside [e_0, e_last] are not counted.
 */
export function histogramSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  const lower = (v: number) => { let lo = 0, hi = sorted.length; while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid]! < v) lo = mid + 1; else hi = mid; } return lo; };
  const upper = (v: number) => { let lo = 0, hi = sorted.length; while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid]! <= v) lo = mid + 1; else hi = mid; } return lo; };
  for (let b = 0; b < counts.length; b++) {
    const start = lower(edges[b]!);
    const end = b === counts.length - 1 ? upper(edges[b + 1]!) : lower(edges[b + 1]!);
    counts[b] = end - start;
  }
  return counts;
}

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Chi-square goodness of fit of current counts against the reference proportions, Evidently's
 * chisquare stattest (stattests/chisquare_stattest.py) = scipy.stats.chisquare(f_obs, f_exp) with
 * f_exp = ref_count · n_cur/n_ref over the union of categories: Σ (o−e)²/e, dof = k−1. A category
 * absent from the reference (e = 0, o > 0) makes the statistic infinite and p = 0, as in scipy. One
 * category: statistic 0, p = 1 (no test possible).
 */
export function chiSquareGoodnessOfFit(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): ChiSquareResult {
  const k = refCounts.length;
  let nRef = 0, nCur = 0;
  for (let i = 0; i < k; i++) { nRef += refCounts[i]!; nCur += curCounts[i]!; }
  if (k < 2) return { statistic: 0, pValue: 1, dof: 0 };
  const norm = nCur / nRef;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const e = refCounts[i]! * norm;
    const o = curCounts[i]!;
    if (e === 0) {
      if (o > 0) stat = Infinity; // a category the reference never saw
      continue;
    }
    stat += ((o - e) * (o - e)) / e;
  }
  return { statistic: stat, pValue: stat === Infinity ? 0 : chi2Sf(stat, k - 1), dof: k - 1 };
}

/**
 * Chi-square test of independence on the 2×k table (reference counts, current counts)
 * (scipy.stats.chi2_contingency with its default correction=True: Yates' continuity correction when
 * dof = 1, each |o−e| reduced by min(0.5, |o−e|)). dof = k−1; k = 1 gives statistic 0, p = 1.
 */
export function chiSquareIndependence(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): ChiSquareResult {
  const k = refCounts.length;
  let nRef = 0, nCur = 0;
  for (let i = 0; i < k; i++) { nRef += refCounts[i]!; nCur += curCounts[i]!; }
  const total = nRef + nCur;
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof: 0 };
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const col = refCounts[i]! + curCounts[i]!;
    for (const [o, row] of [[refCounts[i]!, nRef], [curCounts[i]!, nCur]] as const) {
      const e = (row * col) / total;
      let obs = o;
      if (dof === 1) {
        const diff = e - o;
        obs = o + Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      stat += ((obs - e) ** 2) / e;
    }
  }
  return { statistic: stat, pValue: chi2Sf(stat, dof), dof };
}

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * Two-proportion z-test, Evidently's z stattest (stattests/z_stattest.py): the first category in sorted
 * order is 0 and every other one 1; p₁, p₂ the shares of 1 in reference and current, P the pooled share,
 * z = (p₁−p₂)/√(P(1−P)(1/n₁+1/n₂)), p = 2·(1 − Φ(|z|)). When both samples hold the same single value,
 * p = 1 (z = 0); so it is when the pooled share is 0 or 1 (Evidently would divide 0 by 0).
 * `refOnes`/`curOnes` count the non-first categories.
 */
export function twoProportionZTest(refOnes: number, nRef: number, curOnes: number, nCur: number, sameSingleValue: boolean): ZTestResult {
  if (sameSingleValue) return { statistic: 0, pValue: 1 };
  const p1 = refOnes / nRef;
  const p2 = curOnes / nCur;
  const P = (p1 * nRef + p2 * nCur) / (nRef + nCur);
  const se = Math.sqrt(P * (1 - P) * (1 / nRef + 1 / nCur));
  // P ∈ {0, 1} means p₁ = p₂ (both samples all-first or all-other): no difference, z = 0, p = 1.
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
