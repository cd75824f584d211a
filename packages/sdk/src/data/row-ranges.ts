import { open, stat, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import { RowScanner } from './row-scanner.ts';

/** Whole data rows of a CSV file: bytes [start, end); `firstLine` is the 1-based line at `start`. */
export interface RowRange {
  start: number;
  end: number;
  firstLine: number;
}

/** CSV with a header row, or JSON Lines (one object per line). */
export type InputFormat = 'csv' | 'jsonl';

/** The i-th of n shards (0 ≤ index < count). */
export interface Shard { index: number; count: number }

const BLOCK = 1 << 20;

/** Reads a file forward from a row start, finding row boundaries with a RowScanner. */
export class RowCursor {
  /** Absolute offset the scanner has consumed up to. */
  pos: number;
  private readonly fh: FileHandle;
  private readonly size: number;
  private readonly scanner: RowScanner;
  /** A Buffer: the scanner's quote and line-feed searches are then Buffer's native indexOf (memchr), not TypedArray's loop. */
  private readonly buf: Uint8Array = Buffer.alloc(BLOCK);
  /** File offset of buf[0] and how many bytes of buf hold the file (the block cache of view()). */
  private bufStart = 0;
  private bufLen = 0;

  private constructor(fh: FileHandle, size: number, pos: number, scanner: RowScanner) {
    this.fh = fh;
    this.size = size;
    this.pos = pos;
    this.scanner = scanner;
  }

  /**
   * A cursor at the first data row: just after the header of a CSV (a UTF-8 BOM is skipped as
   * data/csv.ts does); at the start (after a BOM) of JSON Lines, whose every line feed ends a record.
   */
  static async atData(path: string, format: InputFormat = 'csv', separator = ',', options: { countLines?: boolean } = {}): Promise<{ cursor: RowCursor; size: number }> {
    const size = (await stat(path)).size;
    const fh = await open(path, 'r');
    const head = new Uint8Array(3);
    await fh.read(head, 0, 3, 0);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const cursor = new RowCursor(fh, size, bom, new RowScanner(separator, { quoted: format === 'csv', ...options }));
    if (format === 'jsonl') return { cursor, size };
    const end = await cursor.boundaryAtOrAfter(bom + 1);
    if (end >= size && !cursor.scanner.atRowStart) {
      await fh.close();
      throw new InputError(`${path} has a header but no data rows.`);
    }
    return { cursor, size };
  }

  /** 1-based line of the file at `pos` (valid at a boundary). */
  get line(): number {
    return this.scanner.lines + 1;
  }

  /**
   * Moves to the first row boundary at or after `target` (or the end of the file) and returns it.
   * The scanner consumes every byte on the way, so its state is exact (row-scanner.ts).
   */
  async boundaryAtOrAfter(target: number): Promise<number> {
    target = Math.min(target, this.size);
    while (this.pos < target) {
      const v = await this.view(target - this.pos);
      this.scanner.skip(v, 0, v.length);
      this.pos += v.length;
    }
    if (this.scanner.atRowStart || this.pos >= this.size) return this.pos;
    while (this.pos < this.size) {
      const v = await this.view(this.size - this.pos);
      const b = this.scanner.nextBoundary(v, 0, v.length);
      if (b !== -1) { this.pos += b; return this.pos; }
      this.pos += v.length;
    }
    return this.pos;
  }

  /**
   * The bytes at `pos` (at most `max`), from the last block read when `pos` is in it — the block where
   * one chunk's boundary was found holds the start of the next chunk, so each byte is read once.
   */
  private async view(max: number): Promise<Uint8Array> {
    if (this.pos < this.bufStart || this.pos >= this.bufStart + this.bufLen) {
      const { bytesRead } = await this.fh.read(this.buf, 0, Math.min(BLOCK, this.size - this.pos), this.pos);
      if (bytesRead === 0) throw new InputError(`the file shrank while it was read (at byte ${this.pos}); do not change the input during a run.`);
      this.bufStart = this.pos;
      this.bufLen = bytesRead;
    }
    const off = this.pos - this.bufStart;
    return this.buf.subarray(off, off + Math.min(max, this.bufLen - off));
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/**
 * Shard `index` of `count`: the rows that *start* in bytes [B(index), B(index + 1)), where B(k) is the
 * first row boundary at or after dataStart + floor(k · dataBytes / count) (B(count) = end of file).
 * Every process computes the same B(k) from the same bytes (scanning from the header: row-scanner.ts
 * says why that is exact), and the B(k) are increasing row starts, so the shards partition the rows:
 * each row is scored by exactly one shard. A shard may be empty (fewer rows than shards).
 */
export async function shardRange(path: string, shard: Shard | undefined, format: InputFormat = 'csv', separator = ','): Promise<RowRange & { size: number }> {
  const { cursor, size } = await RowCursor.atData(path, format, separator);
  try {
    const dataStart = cursor.pos;
    const firstLineOfData = cursor.line;
    if (!shard) return { start: dataStart, end: size, firstLine: firstLineOfData, size };
    const bytes = size - dataStart;
    const at = (k: number) => dataStart + Math.floor((k * bytes) / shard.count);
    const start = shard.index === 0 ? dataStart : await cursor.boundaryAtOrAfter(at(shard.index));
    const firstLine = cursor.line;
    const end = shard.index + 1 === shard.count ? size : await cursor.boundaryAtOrAfter(Math.max(at(shard.index + 1), start));
    return { start, end, firstLine, size };
  } finally {
    await cursor.close();
  }
}

/**
 * Splits a row range into chunks of whole rows, each ending at the first row boundary at or after
 * `chunkBytes` past its start: a pure function of the file's bytes, the range and `chunkBytes`, so a
 * resumed run cuts the same chunks. With `countLines: false` the chunks' `firstLine` is NaN but for the
 * first one (the caller numbers them from the lines each chunk holds): the scan skips counting line feeds.
 */
export async function* rowChunks(path: string, range: RowRange, chunkBytes: number, format: InputFormat = 'csv', separator = ',', options: { countLines?: boolean } = {}): AsyncGenerator<RowRange> {
  const { cursor } = await RowCursor.atData(path, format, separator, options);
  const counted = options.countLines !== false;
  try {
    await cursor.boundaryAtOrAfter(range.start);
    if (cursor.pos !== range.start) throw new Error(`internal: ${range.start} is not a row boundary of ${path}`);
    let start = range.start;
    while (start < range.end) {
      const firstLine = counted ? cursor.line : start === range.start ? range.firstLine : NaN;
      const end = Math.min(range.end, await cursor.boundaryAtOrAfter(start + chunkBytes));
      yield { start, end, firstLine };
      start = end;
    }
  } finally {
    await cursor.close();
  }
}

/** Parses `i/n` (0 ≤ i < n). */
export function parseShard(text: string, where: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new InputError(`${where} must be i/n with 0 ≤ i < n (e.g. 0/4 … 3/4), got "${text}".`);
  return { index, count };
}
