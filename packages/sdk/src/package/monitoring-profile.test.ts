import { describe, expect, it } from 'vitest';
import { classShares, featureRanges, parseMonitoringProfile, valueQuantiles } from './monitoring-profile.ts';

describe('monitoring profile', () => {
  it('feature ranges skip NaN and leave out a feature without values', () => {
    expect(featureRanges(['a', 'b'], [1, NaN, -2, NaN, 5, NaN], 3)).toEqual([{ name: 'a', min: -2, max: 5 }]);
  });

  it('class shares follow classLabels order; a label not listed comes after', () => {
    expect(classShares(['b', 'b', 'x', 'a'], ['a', 'b', 'c'])).toEqual([
      { label: 'a', share: 0.25 }, { label: 'b', share: 0.5 }, { label: 'c', share: 0 }, { label: 'x', share: 0.25 },
    ]);
  });

  it('deciles as numpy.quantile (linear): np.quantile(np.arange(11), np.arange(1, 10) / 10) = 1 … 9', () => {
    expect(valueQuantiles(Float64Array.from({ length: 11 }, (_, i) => 10 - i))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each([
    [{ version: 2, rows: 1, features: [] }, /monitoring.version 2 is newer than this mlship understands \(1\); upgrade mlship/],
    [{ version: 1, rows: 1, features: [{ name: 'a', min: 2, max: 1 }] }, /"monitoring.features\[0\]" must have numbers min ≤ max/],
    [{ version: 1, rows: 1, features: [], classShares: [{ label: 'a', share: 1.5 }] }, /"monitoring.classShares\[0\]" must be \{label, share\}/],
    [{ version: 1, rows: 1, features: [], valueQuantiles: [3, 2, 1, 4, 5, 6, 7, 8, 9] }, /"monitoring.valueQuantiles" must be 9 finite numbers in ascending order/],
  ])('refuses a damaged profile %o, naming the field', (raw, message) => {
    expect(() => parseMonitoringProfile(raw, 'pkg/mlship.json')).toThrow(message);
  });
});
