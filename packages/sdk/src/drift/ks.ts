import { logBinomial } from './special.ts';
import { pooledWalk } from './stats.ts';

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, exactly as scipy.stats.ks_2samp(a, b) computes it with
 * its default method='auto' (scipy 1.17, scipy/stats/_stats_py.py):
 *   D = max_x |F_a(x) − F_b(x)| over the pooled sample (ECDFs with side='right');
 *   p = exact probability P(D ≥ d) when max(n, m) ≤ 10000 — `_compute_prob_outside_square` when n = m,
 *       else `_compute_outer_prob_inside_method` (scipy/stats/_stats_pythran.py; Hodges 1958, Viehmann
 *       2021), with d first rounded to h / lcm(n, m);
 *   p = kstwo.sf(d, round(n·m/(n+m))) otherwise (the one-sample Kolmogorov distribution, scipy
 *       scipy/stats/_ksstats.py `_kolmogn`), and when the exact recursion fails.
 * Inputs must be sorted ascending and free of NaN. Throws on an empty sample.
 */
export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

export const KS_MAX_EXACT_N = 10000;

export function ksTwoSample(a: Float64Array, b: Float64Array): KsResult {
  if (a.length === 0 || b.length === 0) throw new RangeError('ksTwoSample: both samples must be non-empty');
  const { maxDiff, minDiff } = pooledWalk(a, b);
  return ksFromExtremes(maxDiff, minDiff, a.length, b.length);
}

/** The K-S statistic and p-value from the ECDF difference extremes of a pooled walk (see ksTwoSample). */
export function ksFromExtremes(maxS: number, minS: number, n1: number, n2: number): KsResult {
  const minAbs = Math.min(Math.max(-minS, 0), 1);
  let d = minAbs > maxS ? minAbs : maxS;
  const g = gcd(n1, n2);
  let method: 'exact' | 'asymp' = Math.max(n1, n2) <= KS_MAX_EXACT_N ? 'exact' : 'asymp';
  let p = NaN;
  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method };
    p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
    if (!(p >= 0 && p <= 1)) method = 'asymp';
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    p = kolmogorovSf(roundHalfEven(en), d);
  }
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** P(D_{n,n} ≥ h/n), scipy `_compute_prob_outside_square` (Horner form of the alternating sum). */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k--;
  }
  return 2 * P;
}

/** P(D_{m,n} ≥ h/lcm), scipy `_compute_outer_prob_inside_method` (Viehmann's recursion for 1 − p). */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  let m = m0;
  let n = n0;
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

const STIRLING = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
  8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3,
  8.3333333333333333333e-2];

/**
 * Survival function of the two-sided one-sample Kolmogorov statistic D_n, P(D_n > x), as
 * scipy.stats.kstwo.sf(x, n) computes it (scipy/stats/_ksstats.py `_kolmogn(n, x, cdf=False)`,
 * Simard & L'Ecuyer 2011): Ruben–Gambino at the ends, 2·smirnov(n, x) in the upper tail, the Durbin
 * matrix (Marsaglia–Tsang–Wang) for small n·x^1.5, Pelz–Good otherwise. Pomeranz's method (n ≤ 140,
 * 0.754693 < n·x² ≤ 4) is replaced by the Durbin matrix, which computes the same exact probability.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`kolmogorovSf: n must be a positive integer, got ${n}`);
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      const LOG_2PI = Math.log(2 * Math.PI);
      const rn = 1 / n;
      let poly = 0;
      for (const c of STIRLING) poly = poly * (rn / n) + c;
      prob = Math.exp(Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip01(1 - durbinMatrixCdf(n, x));
    return clip01(2 * smirnov(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnov(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}

function clip01(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}

/**
 * One-sided Smirnov survival function P(D_n⁺ ≥ x) (scipy.special.smirnov), by the Birnbaum–Tingey sum
 * x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j), each term in log space.
 */
export function smirnov(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const jmax = Math.floor(n * (1 - x) + 1e-12 * n);
  let sum = 0;
  for (let j = 0; j <= jmax; j++) {
    const u = x + j / n;
    const v = 1 - x - j / n;
    if (v <= 0) {
      if (j === n) sum += Math.exp(logBinomial(n, j) + (j - 1) * Math.log(u));
      continue;
    }
    sum += Math.exp(logBinomial(n, j) + (j - 1) * Math.log(u) + (n - j) * Math.log(v));
  }
  return x * sum;
}


/** P(D_n ≤ d) by the Durbin matrix method (scipy `_kolmogn_DMTW`). */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const EP128 = 2 ** 128;
  const EM128 = 2 ** -128;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1]! *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;
  let P: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let r = 0; r < m; r++) P[r * m + r] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) { P = matmul(P, H, m); expnt += hExpnt; }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > EP128) {
      for (let q = 0; q < H.length; q++) H[q]! /= EP128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) { p *= EP128; expnt -= 128; }
  }
  if (expnt !== 0) p *= 2 ** expnt;
  return clip01(p);
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

/** Pelz–Good approximation of P(D_n ≤ x) (scipy `_kolmogn_PelzGood`). */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2;
  const PI4 = Math.PI ** 4;
  const PI6 = Math.PI ** 6;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2, z3 = z ** 3, z4 = z ** 4, z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2, m4 = m ** 4, m6 = m ** 6;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / div[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k ** 2;
    const qk = q ** k2;
    k2extra += k2 * qk;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}
