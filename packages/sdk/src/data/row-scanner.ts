/**
 * Where CSV rows start, found without parsing fields: a byte-level state machine over the grammar
 * data/csv.ts reads (RFC 4180: a field is quoted when its first byte is `"`; inside quotes `""` is a
 * quote and line breaks are data; a row ends at a line feed outside quotes).
 *
 * States: ROW (at the start of a row), FIELD (at the start of a later field), PLAIN (inside an unquoted field), QUOTED (inside a quoted
 * field), QUOTE (a `"` seen inside a quoted field: either the closing quote or the first of `""`).
 * A *row boundary* is the offset just after a line feed read in ROW, FIELD, PLAIN or QUOTE (after a
 * blank line too: data/csv.ts skips blank lines, so a boundary there is as good as any).
 *
 * Why this is exact: started at a known row start (the first byte after the header, which is itself
 * found by scanning from byte 0), the machine is in the same state the parser is in at every byte, so
 * its boundaries are exactly the parser's row ends. It is never started in the middle of the file with
 * a guessed state: a shard start is found by scanning from the header (see shardRange), because from
 * an arbitrary offset no finite look-ahead can tell whether `\n1,2\n` is two rows or the inside of a
 * quoted field. Scanning is cheap: blocks without a `"` are skipped with indexOf (memchr) and only
 * their line feeds are counted.
 *
 * Lines are counted as data/csv.ts counts them (every line feed, inside quotes too, is a line), so
 * `lines + 1` at a boundary is the 1-based line where the next row starts. A bare CR (old Mac line
 * ends) is not a row end here; data/csv.ts' own chunking does not split on it either.
 */
const LF = 10;
const QUOTE_BYTE = 34;

const ROW = 4;
const FIELD = 0;
const PLAIN = 1;
const QUOTED = 2;
const QUOTE = 3;

export class RowScanner {
  /** Line feeds consumed so far. */
  lines = 0;
  private state = ROW;
  private readonly sep: number;
  /** The quote byte, or −1 (JSON Lines: a raw line feed never occurs inside a JSON value, so every one ends a record). */
  private readonly quote: number;
  /** Whether `lines` is kept (counting every line feed of a quote-free block is most of a scan's cost). */
  private readonly countLines: boolean;

  constructor(separator = ',', options: { quoted?: boolean; countLines?: boolean } = {}) {
    this.sep = separator.charCodeAt(0);
    this.quote = options.quoted === false ? -1 : QUOTE_BYTE;
    this.countLines = options.countLines !== false;
  }

  /** True when the scanner stands at a row boundary (or the start of the data). */
  get atRowStart(): boolean {
    return this.state === ROW;
  }

  /** Consumes buf[from, to) without looking for a boundary (state and line count only). */
  skip(buf: Uint8Array, from: number, to: number): void {
    if (from >= to) return;
    if (this.state !== QUOTED && this.state !== QUOTE) {
      const q = (this.quote < 0 ? -1 : buf.indexOf(this.quote, from));
      if (q === -1 || q >= to) {
        if (this.countLines) this.lines += countLf(buf, from, to);
        const last = buf[to - 1]!;
        this.state = last === LF ? ROW : last === this.sep ? FIELD : PLAIN;
        return;
      }
    }
    for (let i = from; i < to; i++) this.step(buf[i]!);
  }

  /**
   * Consumes buf[from, to) up to and including the first row boundary; returns the offset just after
   * it, or −1 when buf[from, to) holds none (then all of it was consumed).
   */
  nextBoundary(buf: Uint8Array, from: number, to: number): number {
    let i = from;
    if (this.state === ROW || this.state === FIELD || this.state === PLAIN) {
      const lf = buf.indexOf(LF, from);
      if (lf !== -1 && lf < to) {
        const q = (this.quote < 0 ? -1 : buf.indexOf(this.quote, from));
        if (q === -1 || q > lf) {
          this.lines++;
          this.state = ROW;
          return lf + 1;
        }
        i = from;
      } else {
        this.skip(buf, from, to);
        return -1;
      }
    }
    for (; i < to; i++) {
      const c = buf[i]!;
      const before = this.state;
      this.step(c);
      if (c === LF && before !== QUOTED) return i + 1;
    }
    return -1;
  }

  private step(c: number): void {
    if (c === LF) this.lines++;
    switch (this.state) {
      case ROW:
      case FIELD:
        this.state = c === this.quote ? QUOTED : c === LF ? ROW : c === this.sep ? FIELD : PLAIN;
        break;
      case PLAIN:
        if (c === LF) this.state = ROW;
        else if (c === this.sep) this.state = FIELD;
        break;
      case QUOTED:
        if (c === this.quote) this.state = QUOTE;
        break;
      case QUOTE:
        // `""` is a quote; after the closing quote comes a separator or a line end (else the parser
        // rejects the row; the scanner carries on as in an unquoted field).
        this.state = c === this.quote ? QUOTED : c === LF ? ROW : c === this.sep ? FIELD : PLAIN;
        break;
    }
  }
}

function countLf(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(LF, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(LF, i + 1);
  }
  return n;
}
