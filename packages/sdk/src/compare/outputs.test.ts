import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { compareLabels, compareNumeric, DEFAULT_PARITY_TOLERANCE, describeMismatch, nearTies } from './outputs.ts';

// A deterministic pseudo-random matrix (LCG) with perturbations around the float32 tolerance edge.
function matrix(rows: number, cols: number, seed: number): number[][] {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (next() - 0.3) * 10 ** Math.floor(next() * 6 - 3)));
}

describe('compareNumeric follows numpy.isclose', () => {
  // Expected values: python/parity_reference.py (numpy.isclose, numpy 1.26).
  for (const [atol, rtol, scale] of [[1e-5, 1e-4, 1e-5], [1e-6, 1e-3, 1e-3], [0, 1e-4, 1e-4]] as const) {
    it(`atol ${atol}, rtol ${rtol}, perturbations ~${scale}`, () => {
      const expected = matrix(60, 4, 7 + atol * 1e6);
      // Per-element perturbation: ±scale·10^(u·3 − 2), u uniform — some elements in tolerance, some not.
      let seed = 99;
      const u = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
      const actual = expected.map((r) => r.map((v) => (u() < 0.5 ? v : v + (u() < 0.5 ? -1 : 1) * scale * 10 ** (u() * 3 - 2) * (Math.abs(v) > 1 ? Math.abs(v) : 1))));
      const ref = runPythonJson<{ mismatchedRows: number; first: [number, number] | null; maxAbsError: number; maxRelError: number }>(
        'parity_reference.py', [], JSON.stringify({ expected, actual, atol, rtol }),
      );
      const c = compareNumeric('out', expected, actual, { atol, rtol, minLabelAgreement: 1 });
      expect(ref.mismatchedRows).toBeGreaterThan(0); // the data exercises both sides of the tolerance
      expect(ref.mismatchedRows).toBeLessThan(60);
      expect(c.mismatchedRows).toBe(ref.mismatchedRows);
      expect(c.passed).toBe(ref.mismatchedRows === 0);
      expect(c.firstMismatch ? [c.firstMismatch.row, c.firstMismatch.column] : null).toEqual(ref.first);
      expect(c.maxAbsError).toBeCloseTo(ref.maxAbsError, 15);
      expect(c.maxRelError).toBeCloseTo(ref.maxRelError, 12);
    });
  }

  it('NaN never matches, and row-shape problems are reported', () => {
    const c = compareNumeric('p', [[1, NaN]], [[1, NaN]], DEFAULT_PARITY_TOLERANCE);
    expect(c.passed).toBe(false);
    expect(compareNumeric('p', [[1, 2]], [[1]], DEFAULT_PARITY_TOLERANCE).problem).toBe('row 0 has 1 values against 2 in the reference');
    expect(compareNumeric('p', [1, 2], [1], DEFAULT_PARITY_TOLERANCE).problem).toBe('1 rows against 2 reference rows');
  });
});

describe('compareLabels', () => {
  it('agreement = accuracy of one against the other; numbers and numeric strings are one label', () => {
    const c = compareLabels('label', [0, 1, 2, 1, 0], [0, 1, 1, 1, '0'], { ...DEFAULT_PARITY_TOLERANCE, minLabelAgreement: 0.8 });
    expect(c.labelAgreement).toBe(0.8);
    expect(c.passed).toBe(true);
    expect(c.firstMismatch).toEqual({ row: 2, expected: 2, actual: 1 });
    expect(describeMismatch({ ...c, passed: false })).toBe('output "label": labels agree on 80.00% of 5 rows; first difference at row 2: expected 2, got 1');
    expect(compareLabels('label', ['cat', 'dog'], ['cat', 'dog'], DEFAULT_PARITY_TOLERANCE).passed).toBe(true);
  });
});

describe('nearTies', () => {
  it('counts disagreeing rows whose top two probabilities are within the margin', () => {
    const p = [[0.5, 0.49999], [0.9, 0.1], [0.33334, 0.33333, 0.33333]];
    const r = nearTies(p, [0, 1, 2]);
    expect(r.ties).toBe(2);
    expect(r.maxGap).toBeCloseTo(1e-5, 12);
    expect(nearTies(p, [1]).ties).toBe(0);
  });
});
