// Expected values: scipy (chi2.sf, norm.cdf, kstwo.sf, ks_2samp, wasserstein_distance, jensenshannon),
// computed live by python/ref_drift.py `special` on the grid it defines.
import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { ksTwoSample, kolmogorovSf } from './ks.ts';
import { chi2Sf, normalCdf } from './special.ts';
import { jensenShannonDistance, wassersteinDistance } from './stats.ts';

interface Special {
  chi2_sf: Array<[number, number, number]>;
  norm_cdf: Array<[number, number]>;
  kstwo_sf: Array<[number, number, number]>;
  ks_2samp: Array<{ a: number[]; b: number[]; statistic: number; pvalue: number; wasserstein: number }>;
  jensenshannon: Array<[number[], number[], number]>;
}

const ref = runPythonJson<Special>('ref_drift.py', ['special']);

/** |a − b| ≤ 1e-9 · max(1, |b|)… and for probabilities also within 1e-12 relative where they are tiny. */
function close(actual: number, expected: number, tol = 1e-9): void {
  const err = Math.abs(actual - expected);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

describe('special functions vs scipy', () => {
  it('chi2Sf = scipy.stats.chi2.sf (relative 1e-12 even in the tail)', () => {
    for (const [x, dof, p] of ref.chi2_sf) {
      const got = chi2Sf(x, dof);
      expect(Math.abs(got - p), `chi2.sf(${x}, ${dof})`).toBeLessThanOrEqual(1e-12 * Math.max(p, 1e-300) + 1e-15);
    }
  });
  it('normalCdf = scipy.stats.norm.cdf', () => {
    for (const [z, p] of ref.norm_cdf) expect(Math.abs(normalCdf(z) - p), `norm.cdf(${z})`).toBeLessThanOrEqual(1e-13 * p + 1e-16);
  });
  it('kolmogorovSf = scipy.stats.kstwo.sf', () => {
    for (const [n, x, p] of ref.kstwo_sf) close(kolmogorovSf(n, x), p);
  });
});

describe('two-sample statistics vs scipy', () => {
  it('ksTwoSample = scipy.stats.ks_2samp (auto: exact ≤ 10000, asymptotic above)', () => {
    for (const c of ref.ks_2samp) {
      const a = Float64Array.from(c.a).sort();
      const b = Float64Array.from(c.b).sort();
      const ks = ksTwoSample(a, b);
      close(ks.statistic, c.statistic);
      close(ks.pValue, c.pvalue);
      close(wassersteinDistance(a, b), c.wasserstein);
    }
  });
  it('jensenShannonDistance = scipy.spatial.distance.jensenshannon', () => {
    for (const [p, q, d] of ref.jensenshannon) close(jensenShannonDistance(p, q), d);
  });
  it('rejects empty samples instead of returning NaN', () => {
    expect(() => ksTwoSample(new Float64Array(0), Float64Array.of(1))).toThrow(/non-empty/);
    expect(() => wassersteinDistance(new Float64Array(0), Float64Array.of(1))).toThrow(/non-empty/);
  });
});
