import { DEFAULTS } from '../defaults.ts';
import type { OutputTensor } from '../model/onnx-model.ts';

/**
 * Comparing a model's outputs with reference outputs, row by row. One set of rules for every caller:
 * serialize's parity gate (native model vs its ONNX conversion), the package's golden check, the
 * server's start-up check and the smoke test over HTTP.
 *
 * Numeric outputs follow numpy.isclose (numpy ≥ 1.x, equal_nan=False), with the reference (the
 * native model, or the stored golden output) as `b`:  |a − b| ≤ atol + rtol·|b|; a NaN on either side
 * is a mismatch. maxAbsError = max |a − b|; maxRelError = max |a − b| / |b| over elements with b ≠ 0
 * (as numpy.testing.assert_allclose reports "Max relative difference", which skips b = 0 rather
 * than reporting inf).
 * Label outputs are compared for equality after normalising int64 (bigint) and numeric strings to
 * the same form: agreement = equal rows / rows (scikit-learn's accuracy_score of one against the other).
 */
export interface ParityTolerance {
  /** Absolute tolerance (default 1e-5: float32 has ~7 significant digits). */
  atol: number;
  /** Relative tolerance (default 1e-4). */
  rtol: number;
  /** Minimum share of rows whose labels agree, 0..1 (default 1: every label). */
  minLabelAgreement: number;
}

export const DEFAULT_PARITY_TOLERANCE: ParityTolerance = { atol: DEFAULTS.serialize.atol, rtol: DEFAULTS.serialize.rtol, minLabelAgreement: DEFAULTS.serialize['min-label-agreement'] };

/** One value per row: a scalar for [N] and [N, 1] outputs, an array for [N, K]. */
export type RowValue = number | string | Array<number | string>;

export interface Mismatch {
  row: number;
  /** Column inside the row for [N, K] outputs. */
  column?: number;
  expected: number | string;
  actual: number | string;
}

export interface OutputComparison {
  /** Output name (ONNX side). */
  output: string;
  /** What the reference called it (native side: labels, probabilities, values), when different. */
  reference?: string;
  kind: 'label' | 'numeric';
  rows: number;
  /** Rows with at least one element out of tolerance (numeric) or a different label. */
  mismatchedRows: number;
  maxAbsError: number;
  maxRelError: number;
  /** Share of rows whose labels agree (label outputs). */
  labelAgreement?: number;
  passed: boolean;
  firstMismatch?: Mismatch;
  /** Rows that disagree (labels; the first 1000). */
  mismatchRows?: number[];
  /** Why the output could not be compared at all (row counts or widths differ). */
  problem?: string;
}

/** Compares label rows (see the module comment). */
export function compareLabels(output: string, expected: readonly RowValue[], actual: readonly RowValue[], tol: ParityTolerance): OutputComparison {
  const base = { output, kind: 'label' as const, rows: expected.length, maxAbsError: 0, maxRelError: 0 };
  if (expected.length !== actual.length) {
    return { ...base, mismatchedRows: expected.length, labelAgreement: 0, passed: false, problem: `${actual.length} rows against ${expected.length} reference rows` };
  }
  let equal = 0;
  let first: Mismatch | undefined;
  const rows: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    const e = scalarOf(expected[i]!);
    const a = scalarOf(actual[i]!);
    if (labelKey(e) === labelKey(a)) equal++;
    else {
      first ??= { row: i, expected: e, actual: a };
      if (rows.length < 1000) rows.push(i);
    }
  }
  const agreement = expected.length === 0 ? 1 : equal / expected.length;
  return {
    ...base, mismatchedRows: expected.length - equal, labelAgreement: agreement, passed: agreement >= tol.minLabelAgreement,
    ...(first ? { firstMismatch: first, mismatchRows: rows } : {}),
  };
}

/** Compares numeric rows element-wise with numpy.isclose semantics (see the module comment). */
export function compareNumeric(output: string, expected: readonly RowValue[], actual: readonly RowValue[], tol: ParityTolerance): OutputComparison {
  const base = { output, kind: 'numeric' as const, rows: expected.length };
  if (expected.length !== actual.length) {
    return { ...base, mismatchedRows: expected.length, maxAbsError: Infinity, maxRelError: Infinity, passed: false, problem: `${actual.length} rows against ${expected.length} reference rows` };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let badRows = 0;
  let first: Mismatch | undefined;
  let problem: string | undefined;
  for (let i = 0; i < expected.length; i++) {
    const e = toArray(expected[i]!);
    const a = toArray(actual[i]!);
    if (e.length !== a.length) {
      problem ??= `row ${i} has ${a.length} values against ${e.length} in the reference`;
      badRows++;
      continue;
    }
    let rowBad = false;
    for (let j = 0; j < e.length; j++) {
      const b = Number(e[j]);
      const x = Number(a[j]);
      const diff = Math.abs(x - b);
      const ok = !Number.isNaN(diff) && diff <= tol.atol + tol.rtol * Math.abs(b);
      if (Number.isNaN(diff)) maxAbs = NaN;
      else if (!Number.isNaN(maxAbs)) maxAbs = Math.max(maxAbs, diff);
      if (Math.abs(b) > tol.atol && !Number.isNaN(diff)) maxRel = Math.max(maxRel, diff / Math.abs(b));
      if (!ok) {
        rowBad = true;
        first ??= { row: i, ...(e.length > 1 || Array.isArray(expected[i]) ? { column: j } : {}), expected: b, actual: x };
      }
    }
    if (rowBad) badRows++;
  }
  return { ...base, mismatchedRows: badRows, maxAbsError: maxAbs, maxRelError: maxRel, passed: badRows === 0, ...(first ? { firstMismatch: first } : {}), ...(problem ? { problem } : {}) };
}

/**
 * One sentence for the first failing comparison, naming the row and output. `sides` names the
 * reference and the compared values ("native" / "ONNX" for the parity gate).
 */
export function describeMismatch(c: OutputComparison, sides: { expected: string; actual: string } = { expected: 'expected', actual: 'got' }): string {
  if (c.problem) return `output "${c.output}": ${c.problem}`;
  const m = c.firstMismatch;
  if (!m) return `output "${c.output}" passed`;
  const where = `row ${m.row}${m.column !== undefined ? `, column ${m.column}` : ''}`;
  const values = `${sides.expected} ${m.expected}, ${sides.actual} ${m.actual}`;
  if (c.kind === 'label') {
    return `output "${c.output}": labels agree on ${(100 * (c.labelAgreement ?? 0)).toFixed(2)}% of ${c.rows} rows; first difference at ${where}: ${values}`;
  }
  return `output "${c.output}": ${c.mismatchedRows} of ${c.rows} rows out of tolerance (max abs error ${formatParityNumber(c.maxAbsError)}, max rel error ${formatParityNumber(c.maxRelError)}); first at ${where}: ${values}`;
}

export function formatParityNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? Number(x.toPrecision(4)).toString() : x.toExponential(2);
}

function scalarOf(v: RowValue): number | string {
  return Array.isArray(v) ? (v.length === 1 ? v[0]! : JSON.stringify(v)) : v;
}

/** 2, 2.0, "2" and 2n are one label; other strings compare as text. */
function labelKey(v: number | string): string {
  if (typeof v === 'number') return `n:${v}`;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? `n:${n}` : `s:${v}`;
}

function toArray(v: RowValue): Array<number | string> {
  return Array.isArray(v) ? v : [v];
}

/**
 * Near-ties: rows where the reference's two largest class probabilities differ by less than
 * `margin`, so float32 rounding alone can flip the predicted label. Returns how many of `rows` are
 * such ties (and the largest gap among them).
 */
export function nearTies(probabilities: readonly RowValue[], rows: readonly number[], margin = 1e-4): { ties: number; maxGap: number } {
  let ties = 0;
  let maxGap = 0;
  for (const r of rows) {
    const p = probabilities[r];
    if (!Array.isArray(p) || p.length < 2) continue;
    const sorted = p.map(Number).sort((a, b) => b - a);
    const gap = sorted[0]! - sorted[1]!;
    if (gap < margin) { ties++; maxGap = Math.max(maxGap, gap); }
  }
  return { ties, maxGap };
}

/**
 * Splits an output tensor into one JSON value per row: a scalar for [N] and [N, 1], an array for
 * [N, K]. int64 becomes a number (labels and counts fit in 2^53), strings stay strings, float32 is
 * the exact float64 of the float32. Higher ranks are flattened per row.
 */
export function tensorRows(t: { dims: readonly number[]; data: OutputTensor['data'] | ArrayLike<number | bigint | string> }): RowValue[] {
  const rows = t.dims[0] ?? 0;
  const inner = rows === 0 ? 0 : t.data.length / rows;
  const scalar = t.dims.length === 1 || (t.dims.length === 2 && t.dims[1] === 1);
  const value = (i: number): number | string => {
    const v = (t.data as ArrayLike<number | bigint | string>)[i]!;
    return typeof v === 'bigint' ? Number(v) : v;
  };
  const out: RowValue[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    if (scalar) out[r] = value(r * inner);
    else {
      const row: Array<number | string> = new Array(inner);
      for (let j = 0; j < inner; j++) row[j] = value(r * inner + j);
      out[r] = row;
    }
  }
  return out;
}

/** An output is compared as labels when it is the model's label output or holds strings. */
export function isLabelOutput(name: string, expected: readonly RowValue[], labelOutput?: string): boolean {
  return name === labelOutput || typeof expected.flat()[0] === 'string';
}

export interface OutputSetComparison {
  passed: boolean;
  comparisons: OutputComparison[];
  /** The first comparison that failed. */
  failed?: OutputComparison;
}

/**
 * Compares every expected output with the actual one of the same name: labels (the label output, or
 * string outputs) must agree on every row, numbers within `tolerance`. An output missing from
 * `actual` fails, unless `skip(name)` says it cannot be produced (e.g. a ZipMap output that
 * onnxruntime-node cannot return).
 */
export function compareOutputSets(
  expected: Readonly<Record<string, readonly RowValue[]>>,
  actual: Readonly<Record<string, readonly RowValue[] | undefined>>,
  options: { labelOutput?: string; tolerance?: ParityTolerance; skip?: (name: string) => boolean } = {},
): OutputSetComparison {
  const tol = options.tolerance ?? DEFAULT_PARITY_TOLERANCE;
  const comparisons: OutputComparison[] = [];
  for (const [name, exp] of Object.entries(expected)) {
    const got = actual[name];
    if (!got) {
      if (options.skip?.(name)) continue;
      const available = Object.keys(actual).join(', ') || 'none';
      comparisons.push({ output: name, kind: 'numeric', rows: exp.length, mismatchedRows: exp.length, maxAbsError: Infinity, maxRelError: Infinity, passed: false, problem: `no output "${name}" in the answer (got ${available})` });
      continue;
    }
    comparisons.push(isLabelOutput(name, exp, options.labelOutput) ? compareLabels(name, exp, got, { ...tol, minLabelAgreement: 1 }) : compareNumeric(name, exp, got, tol));
  }
  const failed = comparisons.find((c) => !c.passed);
  return { passed: !failed, comparisons, ...(failed ? { failed } : {}) };
}
