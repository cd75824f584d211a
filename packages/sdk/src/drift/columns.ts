import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readCsv, type CsvVisitor } from '../data/csv.ts';
import { InputError } from '../errors.ts';
import { isIntSyntax, MISSING, NOT_A_NUMBER, parseCell } from '../data/cell.ts';
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
  /** `values` is already sorted ascending (done in the reading worker). */
  sorted?: boolean;
}

/**
 * Growable float64 storage sized from the expected row count, so a column is one allocation and the
 * result is a view of it (no copy, no second buffer alive at the end of the read).
 */
class NumericSink {
  buf: Float64Array;
  pos = 0;
  constructor(expected: number, pool?: ArrayBuffer[]) {
    const want = Math.max(1024, expected);
    // Reuse a buffer of an earlier pass when one is large enough: its memory is freed deterministically,
    // where a new allocation would wait for the garbage collector to drop the old one.
    const i = pool ? pool.findIndex((b) => b.byteLength >= want * 8) : -1;
    this.buf = i >= 0 ? new Float64Array(pool!.splice(i, 1)[0]!) : new Float64Array(want);
  }
  push(v: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Float64Array(Math.ceil(this.buf.length * 1.5));
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = v;
  }
  /** The next `n` slots (grown to fit), for the caller to fill and then `commit`. */
  reserve(n: number): Float64Array {
    if (this.pos + n > this.buf.length) {
      const bigger = new Float64Array(Math.max(this.pos + n, Math.ceil(this.buf.length * 1.5)));
      bigger.set(this.buf.subarray(0, this.pos));
      this.buf = bigger;
    }
    return this.buf.subarray(this.pos, this.pos + n);
  }
  /** Keeps the finite values of the `n` reserved slots (in order); returns how many were not finite. */
  commit(n: number): number {
    const b = this.buf;
    const end = this.pos + n;
    let w = this.pos;
    for (let i = this.pos; i < end; i++) { const v = b[i]!; if (v - v === 0) b[w++] = v; }
    this.pos = w;
    return end - w;
  }
  finish(): Float64Array {
    // Keep the view when the slack is small; copy when most of the buffer is unused.
    return this.pos >= 0.75 * this.buf.length ? this.buf.subarray(0, this.pos) : this.buf.slice(0, this.pos);
  }
}

const decoder = /* @__PURE__ */ new TextDecoder('utf-8');

function cellText(bytes: Uint8Array, start: number, end: number): string {
  // ASCII fast path: most labels are short ASCII.
  if (end - start <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 128) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, end));
}

export interface ReadColumnsOptions {
  /** Column indexes to keep, and whether each is read as text labels. */
  wanted: Map<number, { text: boolean }>;
  /** Rows expected (an estimate from the file size), to size the numeric buffers once. */
  expectedRows?: number;
  /** Buffers of an earlier pass to reuse for numeric columns (taken from this array). */
  buffers?: ArrayBuffer[];
  logger?: Logger;
  progressLabel?: string;
}

/**
 * drift-check's reading of one column, cell by cell: the one rule for what a cell is (a number, a label,
 * missing) and for the facts kept beside the values (intSyntax, firstText, firstNumber). readColumns feeds
 * it a CSV's cells; a batch run (batch/drift-spill.ts) feeds it the columns its scoring pass spilled.
 */
export class ColumnCells {
  private readonly r: ColumnRead = { values: null, labels: null, missing: 0, count: 0, intSyntax: true };
  private readonly sink: NumericSink | null;
  private readonly labels: Map<string, number> | null;
  constructor(text: boolean, expectedRows = 0, pool?: ArrayBuffer[]) {
    this.labels = text ? new Map() : null;
    this.sink = text ? null : new NumericSink(expectedRows, pool);
  }

  /** One cell, bytes [start, end) of `bytes`, on CSV line `line`. */
  cell(bytes: Uint8Array, start: number, end: number, line: number): void {
    const r = this.r;
    const sink = this.sink;
    const v = parseCell(bytes, start, end);
    if (sink) {
      if (v === MISSING || v === Infinity || v === -Infinity) { r.missing++; r.intSyntax = false; return; }
      if (v === NOT_A_NUMBER) {
        if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) };
        r.count++;
        return;
      }
      this.number(v, bytes, start, end, line);
      return;
    }
    if (v === MISSING || v === Infinity || v === -Infinity) { r.missing++; return; }
    if (v === NOT_A_NUMBER) { if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) }; }
    else if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
    const t = cellText(bytes, start, end);
    this.labels!.set(t, (this.labels!.get(t) ?? 0) + 1);
    r.count++;
  }

  /** A numeric column's finite number `v`, written bytes [start, end) (the CSV reader's number lane calls this directly). */
  number(v: number, bytes: Uint8Array, start: number, end: number, line: number): void {
    const r = this.r;
    if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
    if (r.intSyntax && !isIntSyntax(bytes, start, end)) r.intSyntax = false;
    this.sink!.push(v);
    r.count++;
  }

  /**
   * `n` cells already parsed by data/cell.ts into numbers (numeric mode only), which `fill` writes: NaN
   * (and ±inf) is a missing cell, as `cell` counts it. `intSyntax`: every number among them was written as an integer; `first`:
   * the first number's line and text.
   */
  async numbers(n: number, fill: (into: Float64Array) => Promise<void>, intSyntax: boolean, first?: { line: number; text: string }): Promise<void> {
    const r = this.r;
    const sink = this.sink;
    if (!sink) throw new Error('ColumnCells.numbers: a column read as labels needs its cells\' text');
    // Read straight into the column's buffer, then drop the missing values in place.
    await fill(sink.reserve(n));
    const missing = sink.commit(n);
    r.missing += missing;
    if (missing) r.intSyntax = false;
    r.count += n - missing;
    if (n > missing) {
      if (!intSyntax) r.intSyntax = false;
      if (!r.firstNumber && first) r.firstNumber = first;
    }
  }

  finish(): ColumnRead {
    if (this.sink) this.r.values = this.sink.finish();
    if (this.labels) this.r.labels = this.labels;
    return this.r;
  }
}

/** Reads the wanted columns of one CSV file. Returns header, row count and a ColumnRead per wanted index. */
export async function readColumns(path: string, options: ReadColumnsOptions): Promise<{ header: string[]; rows: number; columns: Map<number, ColumnRead> }> {
  const ncolsMax = Math.max(-1, ...options.wanted.keys()) + 1;
  const cells: Array<ColumnCells | null> = new Array(ncolsMax).fill(null);
  for (const [idx, mode] of options.wanted) cells[idx] = new ColumnCells(mode.text, options.expectedRows ?? 0, options.buffers);
  let header: string[] = [];
  const visitor: CsvVisitor = {
    header(cols) {
      header = cols;
      // The number lane for the numeric columns read: a plain decimal is a finite number (cell()'s rule).
      visitor.numberColumns = Uint8Array.from(cols, (_, i) => (options.wanted.get(i)?.text === false ? 1 : 0));
    },
    field(col, bytes, start, end, _row, line) {
      if (col >= ncolsMax) return;
      cells[col]?.cell(bytes, start, end, line);
    },
    numberField(col, v, _row, line, bytes, start, end) {
      cells[col]!.number(v, bytes, start, end, line);
    },
  };
  const result = await readCsv(path, visitor, { logger: options.logger, progressLabel: options.progressLabel });
  const columns = new Map<number, ColumnRead>();
  for (const idx of options.wanted.keys()) columns.set(idx, cells[idx]!.finish());
  return { header, rows: result.rows, columns };
}

/** Files at least this large are read in a worker thread (below, starting one costs more than it saves). */
const WORKER_MIN_BYTES = 16_777_216; // 16 MiB

/**
 * The worker entry beside this module: `drift-read.worker.js` next to a bundle (scripts/build.mjs
 * bundles `*.worker.ts` of the CLI and of each action), read-worker.js in the published SDK (tsc's
 * output), or read-worker.ts when running from source.
 */
function workerEntry(): URL | undefined {
  for (const name of ['./drift-read.worker.js', './read-worker.js', './read-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * readColumns in a worker thread when the file is large and the worker entry is available, so the
 * reference and the current file are parsed (and their numeric columns sorted) on two cores at once;
 * in this thread otherwise. Same result either way (`sorted` tells whether values are sorted).
 */
export async function readColumnsConcurrently(path: string, options: ReadColumnsOptions & { workers?: 'auto' | 'always' | 'never' }): Promise<{ header: string[]; rows: number; columns: Map<number, ColumnRead> }> {
  const mode = options.workers ?? 'auto';
  const entry = mode === 'never' ? undefined : workerEntry();
  if (mode === 'always' && !entry) throw new Error('the drift-read worker entry is missing beside the bundle (drift-read.worker.js); rebuild with `npm run build`.');
  let size = 0;
  try { size = (await stat(path)).size; } catch { /* readColumns reports it */ }
  if (!entry || (mode === 'auto' && size < WORKER_MIN_BYTES)) return readColumns(path, options);
  options.logger?.debug(`reading ${path} in a worker thread (${fileURLToPath(entry)})`);
  const buffers = options.buffers?.splice(0) ?? [];
  const job = { path, wanted: [...options.wanted], expectedRows: options.expectedRows, progressLabel: options.progressLabel, buffers };
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { mlshipDriftRead: job }, transferList: buffers });
    let settled = false;
    worker.on('message', (msg: { progress?: [string, number, number]; result?: { header: string[]; rows: number; columns: Array<[number, ColumnRead]> }; error?: { name: string; message: string } }) => {
      if (msg.progress) options.logger?.progress?.(...msg.progress);
      else if (msg.result) { settled = true; resolve({ header: msg.result.header, rows: msg.result.rows, columns: new Map(msg.result.columns) }); }
      else if (msg.error) { settled = true; reject(msg.error.name === 'InputError' ? new InputError(msg.error.message) : new Error(msg.error.message)); }
    });
    worker.on('error', (err) => { if (!settled) { settled = true; reject(err); } });
    worker.on('exit', (code) => { if (!settled) { settled = true; reject(new Error(`the CSV reading worker for ${path} exited with code ${code}`)); } });
  });
}
