import { readCsv } from '../data/csv.ts';
import { MISSING, NOT_A_NUMBER, parseCell } from '../data/cell.ts';
import type { Logger } from '../log.ts';

/**
 * Column store for the drift check: one streaming pass over a CSV (data/csv.ts) keeps, for each wanted
 * column, either its non-missing numbers (float64, in 64k-value blocks joined at the end) or, in text
 * mode, the count of each distinct label. Missing cells are pandas' default na_values (data/cell.ts);
 * ±inf counts as missing too, because Evidently replaces ±inf with NaN and drops it before testing
 * (legacy/calculations/data_drift.py get_one_column_drift).
 */
export interface ColumnRead {
  /** Non-missing numeric values, in file order (numeric mode). */
  values: Float64Array | null;
  /** Label → count (text mode). */
  labels: Map<string, number> | null;
  missing: number;
  /** Non-missing cells. */
  count: number;
  /** Every non-missing cell is written as an integer (pandas would give the column an int dtype). */
  intSyntax: boolean;
  /** First cell that is not a number (numeric mode), for the type check and error messages. */
  firstText?: { line: number; text: string };
  /** First cell that is a number. */
  firstNumber?: { line: number; text: string };
}

/**
 * Growable float64 storage sized from the expected row count, so a column is one allocation and the
 * result is a view of it (no copy, no second buffer alive at the end of the read).
 */
class NumericSink {
  buf: Float64Array;
  pos = 0;
  constructor(expected: number) {
    this.buf = new Float64Array(Math.max(1024, expected));
  }
  push(v: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Float64Array(Math.ceil(this.buf.length * 1.5));
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = v;
  }
  finish(): Float64Array {
    // Keep the view when the slack is small; copy when most of the buffer is unused.
    return this.pos >= 0.75 * this.buf.length ? this.buf.subarray(0, this.pos) : this.buf.slice(0, this.pos);
  }
}

const decoder = new TextDecoder('utf-8');

function cellText(bytes: Uint8Array, start: number, end: number): string {
  // ASCII fast path: most labels are short ASCII.
  if (end - start <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 128) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, end));
}

function isIntSyntax(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (bytes[i] === 45 || bytes[i] === 43) i++;
  if (i === end) return false;
  for (; i < end; i++) { const c = bytes[i]!; if (c < 48 || c > 57) return false; }
  return true;
}

export interface ReadColumnsOptions {
  /** Column indexes to keep, and whether each is read as text labels. */
  wanted: Map<number, { text: boolean }>;
  /** Rows expected (an estimate from the file size), to size the numeric buffers once. */
  expectedRows?: number;
  logger?: Logger;
  progressLabel?: string;
}

/** Reads the wanted columns of one CSV file. Returns header, row count and a ColumnRead per wanted index. */
export async function readColumns(path: string, options: ReadColumnsOptions): Promise<{ header: string[]; rows: number; columns: Map<number, ColumnRead> }> {
  const ncolsMax = Math.max(-1, ...options.wanted.keys()) + 1;
  const sinks: Array<NumericSink | null> = new Array(ncolsMax).fill(null);
  const labelMaps: Array<Map<string, number> | null> = new Array(ncolsMax).fill(null);
  const reads: Array<ColumnRead | null> = new Array(ncolsMax).fill(null);
  for (const [idx, mode] of options.wanted) {
    reads[idx] = { values: null, labels: null, missing: 0, count: 0, intSyntax: true };
    if (mode.text) labelMaps[idx] = new Map();
    else sinks[idx] = new NumericSink(options.expectedRows ?? 0);
  }
  let header: string[] = [];
  const result = await readCsv(path, {
    header(cols) { header = cols; },
    field(col, bytes, start, end, _row, line) {
      if (col >= ncolsMax) return;
      const r = reads[col];
      if (r === null || r === undefined) return;
      const sink = sinks[col];
      if (sink) {
        const v = parseCell(bytes, start, end);
        if (v === MISSING || v === Infinity || v === -Infinity) { r.missing++; r.intSyntax = false; return; }
        if (v === NOT_A_NUMBER) {
          if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) };
          r.count++;
          return;
        }
        if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
        if (r.intSyntax && !isIntSyntax(bytes, start, end)) r.intSyntax = false;
        sink.push(v);
        r.count++;
        return;
      }
      const labels = labelMaps[col]!;
      const v = parseCell(bytes, start, end);
      if (v === MISSING || v === Infinity || v === -Infinity) { r.missing++; return; }
      if (v === NOT_A_NUMBER) { if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) }; }
      else if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
      const t = cellText(bytes, start, end);
      labels.set(t, (labels.get(t) ?? 0) + 1);
      r.count++;
    },
  }, { logger: options.logger, progressLabel: options.progressLabel });
  const columns = new Map<number, ColumnRead>();
  for (const idx of options.wanted.keys()) {
    const r = reads[idx]!;
    if (sinks[idx]) r.values = sinks[idx]!.finish();
    if (labelMaps[idx]) r.labels = labelMaps[idx]!;
    columns.set(idx, r);
  }
  return { header, rows: result.rows, columns };
}
