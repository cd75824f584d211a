import { open, stat, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { excerpt } from '../util/excerpt.ts';
import { cellValue, scanPlainDecimal } from './cell.ts';

/**
 * Streaming CSV reader shared by the whole SDK.
 *
 * Format: RFC 4180 with a header row. Separator `,` (configurable); fields may be quoted with `"`,
 * a quote inside a quoted field is doubled; a quoted field may hold separators and line breaks. Lines
 * end in LF or CRLF. A UTF-8 byte order mark at the start is skipped. Blank lines are skipped (pandas
 * does the same with its default skip_blank_lines=True). Every data row must have as many fields as
 * the header. Column names must be non-empty and unique.
 *
 * The file is read in chunks (default 4 MiB) and never held whole in memory: a visitor sees every
 * field as a byte range of the current chunk, so numeric cells are parsed without making strings.
 */

export interface CsvVisitor {
  /** Called once with the header's column names. */
  header(columns: string[]): void;
  /**
   * One field of a data row. `bytes[start, end)` is the raw field (quotes removed, doubled quotes
   * unescaped); valid only during the call. `row` counts data rows from 0; `line` is the 1-based line
   * of the file where the row starts (for error messages).
   */
  field(column: number, bytes: Uint8Array, start: number, end: number, row: number, line: number): void;
  /** Called after the last field of each data row. */
  endRow?(row: number): void;
  /**
   * The fast lane for numbers: for a column `numberColumns` marks (1), an unquoted field that is a
   * plain decimal (data/cell.ts scanPlainDecimal: `[+-]? digits [. digits]`, at most 19 significant
   * digits and 22 after the point) comes here as its value — parseCell's value for that text — in one
   * scan, instead of to `field`. Every other field of the column (empty, quoted, padded, an exponent,
   * text, a value too near a rounding midpoint) still goes to `field`.
   * `bytes[start, end)` is the field's text, as for `field`.
   */
  numberField?(column: number, value: number, row: number, line: number, bytes: Uint8Array, start: number, end: number): void;
  /** Per column, 1 where `numberField` takes plain decimals; read after `header()` returns. */
  numberColumns?: Uint8Array;
}

export interface CsvReadOptions {
  separator?: string;
  /** Longest row in bytes (default maxLineBytes(): 64 MiB, or MLSHIP_MAX_LINE_BYTES); a longer one is an InputError naming its line. */
  maxRowBytes?: number;
  /** Chunk size in bytes. */
  chunkSize?: number;
  logger?: Logger;
  /** Label for progress reports (default: the file path). */
  progressLabel?: string;
  /**
   * Read only bytes [start, end) of the file, which must begin and end on row boundaries (batch/
   * finds them), as data rows under the given header: `header(columns)` is called with `columns`,
   * rows count from `firstRow` and lines from `firstLine`. A range may hold no rows.
   */
  range?: CsvRange;
  /** The file already open, with its read buffers (CsvSource): for many reads of ranges of one file. */
  source?: CsvSource;
}

/**
 * A CSV file held open with a few read buffers, for readCsv calls on many ranges of it (a batch worker
 * reads hundreds of chunks): no stat, open and close, and no zeroed 2–4 MiB buffer, per range. Its size
 * is the one at open; a read that finds the file shorter than that is an InputError (it changed).
 * Several reads may run at once (positional reads on one handle; each takes its own buffer).
 */
export class CsvSource {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  private readonly free: Buffer[] = [];
  private constructor(path: string, handle: FileHandle, size: number) {
    this.path = path;
    this.handle = handle;
    this.size = size;
  }

  static async open(path: string): Promise<CsvSource> {
    const size = await fileSize(path);
    return new CsvSource(path, await open(path, 'r'), size);
  }

  /** A buffer of at least `bytes` (its contents are stale: readCsv writes before it reads). */
  take(bytes: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= bytes);
    return i >= 0 ? this.free.splice(i, 1)[0]! : Buffer.allocUnsafe(bytes);
  }

  /** Gives back a buffer taken (at most 4 are kept: two reads at a time, and room to grow). */
  give(buf: Buffer): void {
    if (this.free.length < 4) this.free.push(buf);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** The size of the regular file `path`, or an InputError saying why it cannot be read. */
async function fileSize(path: string): Promise<number> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError(`${path} is not a file.`);
    return st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`Cannot read CSV file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  }
}

/** A run of whole data rows of a CSV file (see CsvReadOptions.range). */
export interface CsvRange {
  start: number;
  end: number;
  columns: string[];
  /** 1-based line of the file at `start`. */
  firstLine: number;
  /** Data row index at `start` (0-based). */
  firstRow: number;
}

export interface CsvReadResult {
  columns: string[];
  rows: number;
  bytes: number;
  /** The 1-based line after the last one read (with `range`: the line where the next range starts). */
  nextLine: number;
}

/** Default longest line (CSV row, JSON Lines record) the readers hold: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The longest line the CSV and JSON Lines readers accept: MLSHIP_MAX_LINE_BYTES (bytes) when set,
 * else 64 MiB. Memory per reader stays below about twice this.
 */
export function maxLineBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.MLSHIP_MAX_LINE_BYTES;
  if (v === undefined || v === '') return DEFAULT_MAX_LINE_BYTES;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1024 || n > 2 ** 31 - 1) {
    throw new InputError(`MLSHIP_MAX_LINE_BYTES=${JSON.stringify(v)} is not a whole number of bytes between 1024 and ${2 ** 31 - 1}.`);
  }
  return n;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Reads `path`, calling `visitor` for the header and every field. Throws InputError on malformed input. */
export async function readCsv(path: string, visitor: CsvVisitor, options: CsvReadOptions = {}): Promise<CsvReadResult> {
  const sep = (options.separator ?? ',').charCodeAt(0);
  const maxRow = options.maxRowBytes ?? maxLineBytes();
  // A range is read with a buffer no larger than it needs (it grows for a longer row, up to maxRow).
  const chunkSize = Math.min(options.chunkSize ?? (options.range ? Math.max(1 << 16, Math.min(4 << 20, options.range.end - options.range.start + 1)) : 4 << 20), maxRow);
  const source = options.source;
  if (source && source.path !== path) throw new Error(`internal: readCsv of ${path} with the source of ${source.path}`);
  let size = source ? source.size : await fileSize(path);
  const range = options.range;
  if (range) {
    if (range.end > size || range.start > range.end) throw new InputError(`${path}: bytes ${range.start}–${range.end} are beyond its ${size} bytes; the file changed while it was read.`);
    size = range.end;
  }
  if (size === 0) throw new InputError(`${path} is empty: expected a header row and data rows.`);

  const fh = source ? source.handle : await open(path, 'r');
  // A Buffer, not a bare Uint8Array: its indexOf (the quote and line-feed searches of completeRowsEnd,
  // run over every chunk) is a native memchr, several times faster than TypedArray.prototype.indexOf.
  // One byte more than a read fills: room for the sentinel line feed after the file's last byte (the
  // number fast lane scans without bound checks, cell.ts scanPlainDecimal).
  let buf: Buffer = source ? source.take(chunkSize + 1) : Buffer.alloc(chunkSize + 1);
  try {
    let carry = 0; // bytes at the start of buf left over from the previous chunk (an unfinished row)
    let fileOffset = range?.start ?? 0;
    let header: string[] | null = null;
    let ncols = 0;
    let row = range?.firstRow ?? 0;
    let line = range?.firstLine ?? 1; // line number at the start of the next row
    let first = !range;
    let numeric: Uint8Array | undefined; // the visitor's numberColumns, once the header is known
    if (range) {
      header = range.columns.slice();
      ncols = header.length;
      visitor.header(header);
      numeric = numberLane(visitor, ncols);
      if (range.start === range.end) return { columns: header, rows: 0, bytes: 0, nextLine: line };
    }
    const label = options.progressLabel ?? path;
    let scratch: Uint8Array = new Uint8Array(1024); // unescaped bytes of a quoted field
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const headerFields: string[] = [];

    for (;;) {
      if (carry === buf.length - 1) {
        // One row longer than the buffer: grow it, up to the limit (never an unbounded doubling).
        if (buf.length - 1 >= maxRow) {
          throw new InputError(`${path}: line ${line}: the row starting here is longer than ${maxRow} bytes, the most mlship reads (MLSHIP_MAX_LINE_BYTES); check the file is CSV with line breaks between rows, and that every quote is closed.`);
        }
        const bigger = Buffer.alloc(Math.min((buf.length - 1) * 2, maxRow) + 1);
        bigger.set(buf);
        buf = bigger;
      }
      const want = Math.min(buf.length - 1 - carry, size - fileOffset);
      const { bytesRead } = await fh.read(buf, carry, want, fileOffset);
      if (bytesRead === 0 && want > 0) throw new InputError(`${path} is shorter than when it was opened (${size} bytes, none at byte ${fileOffset}): do not change the input while it is read.`);
      fileOffset += bytesRead;
      const eof = bytesRead === 0 || fileOffset >= size;
      const n = carry + bytesRead;
      if (eof) buf[n] = LF; // the sentinel: the last field ends inside buf
      let pos = 0;
      if (first) {
        first = false;
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      }
      // Parse only whole rows: up to the last line break outside quotes (everything, at the end of file).
      const limit = eof ? n : completeRowsEnd(buf, pos, n);
      while (pos < limit) {
        const startLine = line;
        const c0 = buf[pos]!;
        if (c0 === LF) { pos++; line++; continue; } // blank line
        if (c0 === CR && (pos + 1 >= limit || buf[pos + 1] === LF)) { pos += pos + 1 < limit ? 2 : 1; line++; continue; }
        let col = 0;
        let p = pos;
        let linesInRow = 0;
        let number = false; // the field went through the number lane
        for (;;) {
          let fieldBuf: Uint8Array = buf;
          let fStart = p;
          let fEnd: number;
          if (p < limit && buf[p] === QUOTE) {
            let q = p + 1;
            let out = 0;
            let closed = false;
            while (q < limit) {
              const c = buf[q]!;
              if (c === QUOTE) {
                if (q + 1 < limit && buf[q + 1] === QUOTE) {
                  if (out >= scratch.length) scratch = growScratch(scratch);
                  scratch[out++] = QUOTE;
                  q += 2;
                  continue;
                }
                closed = true;
                q++;
                break;
              }
              if (c === LF) linesInRow++;
              if (out >= scratch.length) scratch = growScratch(scratch);
              scratch[out++] = c;
              q++;
            }
            if (!closed) {
              throw new InputError(`${path}: line ${startLine}: a quoted field is not closed before the end of the file.`);
            }
            if (q < limit && buf[q] !== sep && buf[q] !== LF && buf[q] !== CR) {
              throw new InputError(`${path}: line ${startLine + linesInRow}: unexpected text after a closing quote; quote the whole field and double any quote inside it.`);
            }
            fieldBuf = scratch;
            fStart = 0;
            fEnd = out;
            p = q;
          } else {
            // The number lane: a plain decimal that ends the field goes to numberField as its value.
            const e = numeric !== undefined && numeric[col] === 1 ? scanPlainDecimal(buf, p) : -1;
            const stop = e === -1 ? -2 : e < limit ? buf[e]! : -1;
            if (stop === sep || stop === LF || stop === CR || stop === -1) {
              visitor.numberField!(col, cellValue[0]!, row, startLine, buf, p, e);
              number = true;
              p = e;
            } else {
              while (p < limit) {
                const c = buf[p]!;
                if (c === sep || c === LF || c === CR) break;
                p++;
              }
            }
            fEnd = p;
          }
          if (number) number = false;
          else if (header === null) {
            headerFields.push(decoder.decode(fieldBuf.subarray(fStart, fEnd)));
          } else {
            if (col >= ncols) {
              throw new InputError(`${path}: line ${startLine}: row has more than the header's ${ncols} fields; remove the extra fields or add a column to the header.`);
            }
            visitor.field(col, fieldBuf, fStart, fEnd, row, startLine);
          }
          col++;
          if (p < limit && buf[p] === sep) { p++; continue; }
          if (p < limit && buf[p] === CR) p++;
          if (p < limit && buf[p] === LF) p++;
          break;
        }
        if (header === null) {
          header = headerFields.slice();
          ncols = header.length;
          validateHeader(path, header);
          visitor.header(header);
          numeric = numberLane(visitor, ncols);
          headerFields.length = 0;
        } else {
          if (col !== ncols) {
            throw new InputError(`${path}: line ${startLine}: row has ${col} field${col === 1 ? '' : 's'}, the header has ${ncols}; every row needs one value per column (leave a cell empty for a missing value).`);
          }
          visitor.endRow?.(row);
          row++;
        }
        line = startLine + linesInRow + 1;
        pos = p;
      }
      options.logger?.progress?.(label, fileOffset, size);
      if (eof) break;
      carry = n - pos;
      if (carry > 0) buf.copyWithin(0, pos, n);
    }
    if (header === null) throw new InputError(`${path} has no header row: expected column names on the first line.`);
    if (range) return { columns: header, rows: row - range.firstRow, bytes: size - range.start, nextLine: line };
    if (row === 0) throw new InputError(`${path} has a header but no data rows.`);
    return { columns: header, rows: row, bytes: size, nextLine: line };
  } finally {
    if (source) source.give(buf);
    else await fh.close();
  }
}

/** The visitor's fast-lane columns (CsvVisitor.numberColumns), checked against the header's width. */
function numberLane(visitor: CsvVisitor, ncols: number): Uint8Array | undefined {
  const lane = visitor.numberColumns;
  if (lane === undefined || !visitor.numberField) return undefined;
  if (lane.length !== ncols) throw new Error(`numberColumns has ${lane.length} entries for ${ncols} columns`);
  return lane;
}

/**
 * End (exclusive) of the last complete row in buf[from, n): just past the last line feed that is not
 * inside a quoted field. Returns `from` when no row is complete yet.
 */
function completeRowsEnd(buf: Uint8Array, from: number, n: number): number {
  const view = buf.subarray(from, n);
  if (view.indexOf(QUOTE) === -1) {
    const lf = view.lastIndexOf(LF);
    return lf === -1 ? from : from + lf + 1;
  }
  let inQuotes = false;
  let last = from;
  for (let i = from; i < n; i++) {
    const c = buf[i]!;
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) last = i + 1;
  }
  return last;
}

function growScratch(s: Uint8Array): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  b.set(s);
  return b;
}

function validateHeader(path: string, header: string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name.trim() === '') {
      // pandas' DataFrame.to_csv writes its index as a first column with an empty name.
      const index = i === 0 ? ' A first column without a name is usually a pandas index: write the CSV with df.to_csv(path, index=False).' : '';
      throw new InputError(`${path}: line 1: column ${i + 1} has no name; give every column a name in the header row.${index}`);
    }
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw new InputError(`${path}: line 1: column ${excerpt(name)} appears twice (columns ${prev + 1} and ${i + 1}); column names must be unique.`);
    }
    seen.set(name, i);
  });
}

/** Reads only the header row of a CSV file. */
export async function readCsvHeader(path: string, options: CsvReadOptions = {}): Promise<string[]> {
  let header: string[] = [];
  const stop = new Error('header read');
  try {
    await readCsv(path, {
      header(cols) { header = cols; throw stop; },
      field() {},
    }, { ...options, chunkSize: Math.min(options.chunkSize ?? 1 << 16, 1 << 16) });
  } catch (err) {
    if (err !== stop) throw err;
  }
  return header;
}
