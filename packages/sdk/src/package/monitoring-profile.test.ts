import { describe, expect, it } from 'vitest';
import { categoryProfile, classShares, featureRanges, MAX_PROFILE_CATEGORIES, parseMonitoringProfile, valueQuantiles } from './monitoring-profile.ts';

describe('monitoring profile', () => {
  it('feature ranges skip NaN and leave out a feature without values', () => {
    expect(featureRanges(['a', 'b'], [1, NaN, -2, NaN, 5, NaN], 3)).toEqual([{ name: 'a', min: -2, max: 5 }]);
  });

  it('categories: the distinct values sorted by code unit; beyond the cap (count or characters) free text', () => {
    expect(categoryProfile('city', ['lyon', 'Paris', 'lyon', '', 'città'])).toEqual({ name: 'city', categories: ['', 'Paris', 'città', 'lyon'] });
    const many = Array.from({ length: MAX_PROFILE_CATEGORIES + 1 }, (_, i) => `id-${i}`);
    expect(categoryProfile('id', many.slice(0, -1))).toMatchObject({ categories: expect.any(Array) });
    expect(categoryProfile('id', many)).toEqual({ name: 'id', freeText: true });
    expect(categoryProfile('comment', ['x'.repeat(40_000), 'y'.repeat(30_000)])).toEqual({ name: 'comment', freeText: true });
  });

  it('reads version 1 profiles (ranges only) and version 2 entries (categories, free text)', () => {
    expect(parseMonitoringProfile({ version: 1, rows: 1, features: [{ name: 'a', min: 1, max: 2 }] }, 'm.json').features).toHaveLength(1);
    const v2 = { version: 2, rows: 3, features: [{ name: 'a', min: 1, max: 2 }, { name: 'city', categories: ['lyon'] }, { name: 'note', freeText: true }] };
    expect(parseMonitoringProfile(v2, 'm.json')).toEqual(v2);
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
    [{ version: 3, rows: 1, features: [] }, /monitoring.version 3 is newer than this mlship understands \(2\); upgrade mlship/],
    [{ version: 2, rows: 1, features: [{ name: 'c', categories: ['a', 1] }] }, /"monitoring.features\[0\].categories" must be at most 1000 strings/],
    [{ version: 1, rows: 1, features: [{ name: 'a', min: 2, max: 1 }] }, /"monitoring.features\[0\]" must have numbers min ≤ max/],
    [{ version: 1, rows: 1, features: [], classShares: [{ label: 'a', share: 1.5 }] }, /"monitoring.classShares\[0\]" must be \{label, share\}/],
    [{ version: 1, rows: 1, features: [], valueQuantiles: [3, 2, 1, 4, 5, 6, 7, 8, 9] }, /"monitoring.valueQuantiles" must be 9 finite numbers in ascending order/],
  ])('refuses a damaged profile %o, naming the field', (raw, message) => {
    expect(() => parseMonitoringProfile(raw, 'pkg/mlship.json')).toThrow(message);
  });
});
