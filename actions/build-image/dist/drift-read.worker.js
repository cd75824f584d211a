import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);

// packages/sdk/src/drift/read-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// packages/sdk/src/data/csv.ts
import { open, stat } from "node:fs/promises";

// packages/sdk/src/errors.ts
var OPTION_REF = /\u2983([A-Za-z0-9_.-]+)\u2984/g;
var cliOptionName = (key) => `--${key}`;
function renderOptionRefs(template, name) {
  return template.replace(OPTION_REF, (_, key) => name(key));
}
var MlshipError = class extends Error {
  exitCode;
  /** The message with its option references unrendered (see `messageFor`). */
  template;
  constructor(message, exitCode = 2, options) {
    super(renderOptionRefs(message, cliOptionName), options);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.template = message;
  }
};
var InputError = class extends MlshipError {
  constructor(message, options) {
    super(message, 2, options);
  }
};

// packages/sdk/src/util/excerpt.ts
var EXCERPT_CHARS = 80;
function excerpt(text, max = EXCERPT_CHARS) {
  if (text.length <= max) return JSON.stringify(text);
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 55296 && code <= 56319) cut--;
  return `${JSON.stringify(`${text.slice(0, cut)}…`)} (${text.length} chars)`;
}

// packages/sdk/src/data/cell.ts
var NA_VALUES = /* @__PURE__ */ new Set([
  "",
  "NaN",
  "nan",
  "-NaN",
  "-nan",
  "NA",
  "N/A",
  "n/a",
  "NULL",
  "null",
  "<NA>",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "1.#IND",
  "1.#QNAN",
  "None"
]);
var NOT_A_NUMBER = /* @__PURE__ */ Symbol("not-a-number");
var MISSING = /* @__PURE__ */ Symbol("missing");
var POW10 = [
  1,
  10,
  100,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
  1e9,
  1e10,
  1e11,
  1e12,
  1e13,
  1e14,
  1e15,
  1e16,
  1e17,
  1e18,
  1e19,
  1e20,
  1e21,
  1e22
];
var MAX_EXACT = 2 ** 53;
var isPad = (c) => c === 32 || c === 9;
var CELL_NUMBER = 0;
var CELL_MISSING = 1;
var CELL_NOT_A_NUMBER = 2;
var cellValue = new Float64Array(1);
function parseCell(buf, start, end) {
  const kind = parseCellInto(buf, start, end);
  return kind === CELL_NUMBER ? cellValue[0] : kind === CELL_MISSING ? MISSING : NOT_A_NUMBER;
}
function parseCellInto(buf, start, end) {
  if (start === end) return CELL_MISSING;
  if (isPad(buf[start]) || isPad(buf[end - 1])) return parsePadded(buf, start, end);
  return parseBare(buf, start, end);
}
function parsePadded(buf, start, end) {
  let s = start;
  let e = end;
  while (s < e && isPad(buf[s])) s++;
  while (e > s && isPad(buf[e - 1])) e--;
  if (s === e) return CELL_NOT_A_NUMBER;
  const c = buf[s] === 45 || buf[s] === 43 ? buf[s + 1] : buf[s];
  if (c === void 0 || !(c >= 48 && c <= 57 || c === 46)) return CELL_NOT_A_NUMBER;
  const kind = parseBare(buf, s, e);
  return kind === CELL_MISSING ? CELL_NOT_A_NUMBER : kind;
}
function parseBare(buf, start, end) {
  let i = start;
  let c = buf[i];
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
    if (i === end) return CELL_NOT_A_NUMBER;
    c = buf[i];
  }
  let mantissa = 0;
  let digits = 0;
  let dropped = 0;
  let head = 0;
  let tail = 0;
  let fracDigits = 0;
  let sawDigit = false;
  let exact = true;
  while (i < end && (c = buf[i]) >= 48 && c <= 57) {
    sawDigit = true;
    if (mantissa === 0 && c === 48) {
      i++;
      continue;
    }
    if (digits < 19) {
      mantissa = mantissa * 10 + (c - 48);
      if (digits < 15) head = head * 10 + (c - 48);
      else tail = tail * 10 + (c - 48);
      digits++;
    } else {
      dropped++;
      exact = false;
    }
    i++;
  }
  if (i < end && buf[i] === 46) {
    i++;
    while (i < end && (c = buf[i]) >= 48 && c <= 57) {
      sawDigit = true;
      if (mantissa === 0 && c === 48) {
        fracDigits++;
        i++;
        continue;
      }
      if (digits < 19) {
        mantissa = mantissa * 10 + (c - 48);
        if (digits < 15) head = head * 10 + (c - 48);
        else tail = tail * 10 + (c - 48);
        digits++;
        fracDigits++;
      } else {
        exact = false;
      }
      i++;
    }
  }
  if (!sawDigit) return parseSpecial(buf, start, end);
  let exp = 0;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let expNeg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) {
      expNeg = buf[i] === 45;
      i++;
    }
    let expDigits = 0;
    while (i < end && (c = buf[i]) >= 48 && c <= 57) {
      if (exp < 1e5) exp = exp * 10 + (c - 48);
      expDigits++;
      i++;
    }
    if (expDigits === 0) return CELL_NOT_A_NUMBER;
    if (expNeg) exp = -exp;
  }
  if (i !== end) return parseSpecial(buf, start, end);
  if (mantissa === 0) {
    cellValue[0] = negative ? -0 : 0;
    return CELL_NUMBER;
  }
  const e10 = exp - fracDigits + dropped;
  if (exact && mantissa < MAX_EXACT && e10 >= -22 && e10 <= 22) {
    const v = e10 >= 0 ? mantissa * POW10[e10] : mantissa / POW10[-e10];
    cellValue[0] = negative ? -v : v;
    return CELL_NUMBER;
  }
  if (exact && e10 >= -22 && e10 <= 22) {
    const v = nearestDouble(head, tail, digits - 15, e10);
    if (!Number.isNaN(v)) {
      cellValue[0] = negative ? -v : v;
      return CELL_NUMBER;
    }
  }
  cellValue[0] = Number(latin1(buf, start, end));
  return CELL_NUMBER;
}
var SPLIT = 134217729;
var NUDGE = 2 ** -40;
function nearestDouble(head, tail, tailDigits, e10) {
  const P = POW10[tailDigits];
  let p = head * P;
  let c = SPLIT * head;
  const ah = c - (c - head);
  const al = head - ah;
  c = SPLIT * P;
  const bh = c - (c - P);
  const bl = P - bh;
  const pe = ah * bh - p + ah * bl + al * bh + al * bl;
  let s = p + tail;
  let z = s - p;
  const se = p - (s - z) + (tail - z);
  p = s;
  const lo = pe + se;
  s = p + lo;
  z = s - p;
  const mh = s;
  const ml = p - (s - z) + (lo - z);
  const D = POW10[e10 < 0 ? -e10 : e10];
  let x;
  let t;
  if (e10 < 0) {
    const q1 = mh / D;
    c = SPLIT * q1;
    const qh = c - (c - q1);
    const ql = q1 - qh;
    c = SPLIT * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const prod = q1 * D;
    const perr = qh * dh - prod + qh * dl + ql * dh + ql * dl;
    const q2 = (mh - prod - perr + ml) / D;
    x = q1 + q2;
    t = q2 - (x - q1);
  } else {
    const prod = mh * D;
    c = SPLIT * mh;
    const hh = c - (c - mh);
    const hl = mh - hh;
    c = SPLIT * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const q2 = hh * dh - prod + hh * dl + hl * dh + hl * dl + ml * D;
    x = prod + q2;
    t = q2 - (x - prod);
  }
  return x + t * (1 + NUDGE) === x && x + t * (1 - NUDGE) === x ? x : NaN;
}
function scanPlainDecimal(buf, start) {
  let i = start;
  let c = buf[i];
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    c = buf[++i];
  }
  let mantissa = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = buf[++i];
  }
  let frac = 0;
  if (c === 46) {
    c = buf[++i];
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      frac++;
      c = buf[++i];
    }
  }
  if (digits + frac === 0 || c === 101 || c === 69) return -1;
  if (digits + frac > 15) return scanLongDecimal(buf, start, i, negative);
  const v = frac === 0 ? mantissa : mantissa / POW10[frac];
  cellValue[0] = negative ? -v : v;
  return i;
}
function scanLongDecimal(buf, start, end, negative) {
  let head = 0;
  let tail = 0;
  let sig = 0;
  let frac = 0;
  let afterPoint = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 46) {
      afterPoint = true;
      continue;
    }
    if (c < 48 || c > 57) continue;
    if (afterPoint) frac++;
    if (sig === 0 && c === 48) continue;
    if (sig < 15) head = head * 10 + (c - 48);
    else if (sig < 19) tail = tail * 10 + (c - 48);
    else return -1;
    sig++;
  }
  if (frac > 22) return -1;
  const v = sig <= 15 ? head / POW10[frac] : nearestDouble(head, tail, sig - 15, -frac);
  if (Number.isNaN(v)) return -1;
  cellValue[0] = negative ? -v : v;
  return end;
}
function parseSpecial(buf, start, end) {
  if (end - start > 12) return CELL_NOT_A_NUMBER;
  const text = latin1(buf, start, end);
  if (NA_VALUES.has(text)) return CELL_MISSING;
  switch (text.toLowerCase()) {
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      cellValue[0] = Infinity;
      return CELL_NUMBER;
    case "-inf":
    case "-infinity":
      cellValue[0] = -Infinity;
      return CELL_NUMBER;
    default:
      return CELL_NOT_A_NUMBER;
  }
}
function latin1(buf, start, end) {
  if (buf instanceof Buffer) return buf.toString("latin1", start, end);
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}
function isIntSyntax(bytes, start, end) {
  let i = start;
  if (bytes[i] === 45 || bytes[i] === 43) i++;
  if (i === end) return false;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// packages/sdk/src/data/csv.ts
async function fileSize(path) {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError(`${path} is not a file.`);
    return st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`Cannot read CSV file ${path}: ${err.code === "ENOENT" ? "it does not exist" : err.message}.`);
  }
}
var DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
function maxLineBytes(env = process.env) {
  const v = env.MLSHIP_MAX_LINE_BYTES;
  if (v === void 0 || v === "") return DEFAULT_MAX_LINE_BYTES;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1024 || n > 2 ** 31 - 1) {
    throw new InputError(`MLSHIP_MAX_LINE_BYTES=${JSON.stringify(v)} is not a whole number of bytes between 1024 and ${2 ** 31 - 1}.`);
  }
  return n;
}
var LF = 10;
var CR = 13;
var QUOTE = 34;
async function readCsv(path, visitor, options = {}) {
  const sep = (options.separator ?? ",").charCodeAt(0);
  const maxRow = options.maxRowBytes ?? maxLineBytes();
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
  const fh = source ? source.handle : await open(path, "r");
  let buf = source ? source.take(chunkSize + 1) : Buffer.alloc(chunkSize + 1);
  try {
    let carry = 0;
    let fileOffset = range?.start ?? 0;
    let header = null;
    let ncols = 0;
    let row = range?.firstRow ?? 0;
    let line = range?.firstLine ?? 1;
    let first = !range;
    let numeric;
    if (range) {
      header = range.columns.slice();
      ncols = header.length;
      visitor.header(header);
      numeric = numberLane(visitor, ncols);
      if (range.start === range.end) return { columns: header, rows: 0, bytes: 0, nextLine: line };
    }
    const label = options.progressLabel ?? path;
    let scratch2 = new Uint8Array(1024);
    const decoder2 = new TextDecoder("utf-8", { fatal: false });
    const headerFields = [];
    for (; ; ) {
      if (carry === buf.length - 1) {
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
      if (eof) buf[n] = LF;
      let pos = 0;
      if (first) {
        first = false;
        if (n >= 3 && buf[0] === 239 && buf[1] === 187 && buf[2] === 191) pos = 3;
      }
      const limit = eof ? n : completeRowsEnd(buf, pos, n);
      while (pos < limit) {
        const startLine = line;
        const c0 = buf[pos];
        if (c0 === LF) {
          pos++;
          line++;
          continue;
        }
        if (c0 === CR && (pos + 1 >= limit || buf[pos + 1] === LF)) {
          pos += pos + 1 < limit ? 2 : 1;
          line++;
          continue;
        }
        let col = 0;
        let p = pos;
        let linesInRow = 0;
        let number = false;
        for (; ; ) {
          let fieldBuf = buf;
          let fStart = p;
          let fEnd;
          if (p < limit && buf[p] === QUOTE) {
            let q = p + 1;
            let out = 0;
            let closed = false;
            while (q < limit) {
              const c = buf[q];
              if (c === QUOTE) {
                if (q + 1 < limit && buf[q + 1] === QUOTE) {
                  if (out >= scratch2.length) scratch2 = growScratch(scratch2);
                  scratch2[out++] = QUOTE;
                  q += 2;
                  continue;
                }
                closed = true;
                q++;
                break;
              }
              if (c === LF) linesInRow++;
              if (out >= scratch2.length) scratch2 = growScratch(scratch2);
              scratch2[out++] = c;
              q++;
            }
            if (!closed) {
              throw new InputError(`${path}: line ${startLine}: a quoted field is not closed before the end of the file.`);
            }
            if (q < limit && buf[q] !== sep && buf[q] !== LF && buf[q] !== CR) {
              throw new InputError(`${path}: line ${startLine + linesInRow}: unexpected text after a closing quote; quote the whole field and double any quote inside it.`);
            }
            fieldBuf = scratch2;
            fStart = 0;
            fEnd = out;
            p = q;
          } else {
            const e = numeric !== void 0 && numeric[col] === 1 ? scanPlainDecimal(buf, p) : -1;
            const stop = e === -1 ? -2 : e < limit ? buf[e] : -1;
            if (stop === sep || stop === LF || stop === CR || stop === -1) {
              visitor.numberField(col, cellValue[0], row, startLine, buf, p, e);
              number = true;
              p = e;
            } else {
              while (p < limit) {
                const c = buf[p];
                if (c === sep || c === LF || c === CR) break;
                p++;
              }
            }
            fEnd = p;
          }
          if (number) number = false;
          else if (header === null) {
            headerFields.push(decoder2.decode(fieldBuf.subarray(fStart, fEnd)));
          } else {
            if (col >= ncols) {
              throw new InputError(`${path}: line ${startLine}: row has more than the header's ${ncols} fields; remove the extra fields or add a column to the header.`);
            }
            visitor.field(col, fieldBuf, fStart, fEnd, row, startLine);
          }
          col++;
          if (p < limit && buf[p] === sep) {
            p++;
            continue;
          }
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
            throw new InputError(`${path}: line ${startLine}: row has ${col} field${col === 1 ? "" : "s"}, the header has ${ncols}; every row needs one value per column (leave a cell empty for a missing value).`);
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
function numberLane(visitor, ncols) {
  const lane = visitor.numberColumns;
  if (lane === void 0 || !visitor.numberField) return void 0;
  if (lane.length !== ncols) throw new Error(`numberColumns has ${lane.length} entries for ${ncols} columns`);
  return lane;
}
function completeRowsEnd(buf, from, n) {
  const view = buf.subarray(from, n);
  if (view.indexOf(QUOTE) === -1) {
    const lf = view.lastIndexOf(LF);
    return lf === -1 ? from : from + lf + 1;
  }
  let inQuotes = false;
  let last = from;
  for (let i = from; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) last = i + 1;
  }
  return last;
}
function growScratch(s) {
  const b = new Uint8Array(s.length * 2);
  b.set(s);
  return b;
}
function validateHeader(path, header) {
  const seen = /* @__PURE__ */ new Map();
  header.forEach((name, i) => {
    if (name.trim() === "") {
      const index = i === 0 ? " A first column without a name is usually a pandas index: write the CSV with df.to_csv(path, index=False)." : "";
      throw new InputError(`${path}: line 1: column ${i + 1} has no name; give every column a name in the header row.${index}`);
    }
    const prev = seen.get(name);
    if (prev !== void 0) {
      throw new InputError(`${path}: line 1: column ${excerpt(name)} appears twice (columns ${prev + 1} and ${i + 1}); column names must be unique.`);
    }
    seen.set(name, i);
  });
}

// packages/sdk/src/drift/columns.ts
var NumericSink = class {
  buf;
  pos = 0;
  constructor(expected, pool) {
    const want = Math.max(1024, expected);
    const i = pool ? pool.findIndex((b) => b.byteLength >= want * 8) : -1;
    this.buf = i >= 0 ? new Float64Array(pool.splice(i, 1)[0]) : new Float64Array(want);
  }
  push(v) {
    if (this.pos === this.buf.length) {
      const bigger = new Float64Array(Math.ceil(this.buf.length * 1.5));
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = v;
  }
  /** The next `n` slots (grown to fit), for the caller to fill and then `commit`. */
  reserve(n) {
    if (this.pos + n > this.buf.length) {
      const bigger = new Float64Array(Math.max(this.pos + n, Math.ceil(this.buf.length * 1.5)));
      bigger.set(this.buf.subarray(0, this.pos));
      this.buf = bigger;
    }
    return this.buf.subarray(this.pos, this.pos + n);
  }
  /** Keeps the finite values of the `n` reserved slots (in order); returns how many were not finite. */
  commit(n) {
    const b = this.buf;
    const end = this.pos + n;
    let w = this.pos;
    for (let i = this.pos; i < end; i++) {
      const v = b[i];
      if (v - v === 0) b[w++] = v;
    }
    this.pos = w;
    return end - w;
  }
  finish() {
    return this.pos >= 0.75 * this.buf.length ? this.buf.subarray(0, this.pos) : this.buf.slice(0, this.pos);
  }
};
var decoder = /* @__PURE__ */ new TextDecoder("utf-8");
function cellText(bytes, start, end) {
  if (end - start <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i] >= 128) {
      ascii = false;
      break;
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end));
  }
  return decoder.decode(bytes.subarray(start, end));
}
var ColumnCells = class {
  r = { values: null, labels: null, missing: 0, count: 0, intSyntax: true };
  sink;
  labels;
  constructor(text, expectedRows = 0, pool) {
    this.labels = text ? /* @__PURE__ */ new Map() : null;
    this.sink = text ? null : new NumericSink(expectedRows, pool);
  }
  /** One cell, bytes [start, end) of `bytes`, on CSV line `line`. */
  cell(bytes, start, end, line) {
    const r = this.r;
    const sink = this.sink;
    const v = parseCell(bytes, start, end);
    if (sink) {
      if (v === MISSING || v === Infinity || v === -Infinity) {
        r.missing++;
        r.intSyntax = false;
        return;
      }
      if (v === NOT_A_NUMBER) {
        if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) };
        r.count++;
        return;
      }
      this.number(v, bytes, start, end, line);
      return;
    }
    if (v === MISSING || v === Infinity || v === -Infinity) {
      r.missing++;
      return;
    }
    if (v === NOT_A_NUMBER) {
      if (!r.firstText) r.firstText = { line, text: cellText(bytes, start, end) };
    } else if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
    const t = cellText(bytes, start, end);
    this.labels.set(t, (this.labels.get(t) ?? 0) + 1);
    r.count++;
  }
  /** A numeric column's finite number `v`, written bytes [start, end) (the CSV reader's number lane calls this directly). */
  number(v, bytes, start, end, line) {
    const r = this.r;
    if (!r.firstNumber) r.firstNumber = { line, text: cellText(bytes, start, end) };
    if (r.intSyntax && !isIntSyntax(bytes, start, end)) r.intSyntax = false;
    this.sink.push(v);
    r.count++;
  }
  /**
   * `n` cells already parsed by data/cell.ts into numbers (numeric mode only), which `fill` writes: NaN
   * (and ±inf) is a missing cell, as `cell` counts it. `intSyntax`: every number among them was written as an integer; `first`:
   * the first number's line and text.
   */
  async numbers(n, fill, intSyntax, first) {
    const r = this.r;
    const sink = this.sink;
    if (!sink) throw new Error("ColumnCells.numbers: a column read as labels needs its cells' text");
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
  finish() {
    if (this.sink) this.r.values = this.sink.finish();
    if (this.labels) this.r.labels = this.labels;
    return this.r;
  }
};
async function readColumns(path, options) {
  const ncolsMax = Math.max(-1, ...options.wanted.keys()) + 1;
  const cells = new Array(ncolsMax).fill(null);
  for (const [idx, mode] of options.wanted) cells[idx] = new ColumnCells(mode.text, options.expectedRows ?? 0, options.buffers);
  let header = [];
  const visitor = {
    header(cols) {
      header = cols;
      visitor.numberColumns = Uint8Array.from(cols, (_, i) => options.wanted.get(i)?.text === false ? 1 : 0);
    },
    field(col, bytes, start, end, _row, line) {
      if (col >= ncolsMax) return;
      cells[col]?.cell(bytes, start, end, line);
    },
    numberField(col, v, _row, line, bytes, start, end) {
      cells[col].number(v, bytes, start, end, line);
    }
  };
  const result = await readCsv(path, visitor, { logger: options.logger, progressLabel: options.progressLabel });
  const columns = /* @__PURE__ */ new Map();
  for (const idx of options.wanted.keys()) columns.set(idx, cells[idx].finish());
  return { header, rows: result.rows, columns };
}

// packages/sdk/src/util/sort-float64.ts
var scratch = /* @__PURE__ */ new Uint32Array(0);
function sortFloat64(values) {
  const n = values.length;
  if (n < 2048) return values.sort();
  if (allFloat32(values)) return sortAsFloat32(values);
  const src = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1];
    if (hi & 2147483648) {
      src[2 * i + 1] = ~hi >>> 0;
      src[2 * i] = ~src[2 * i] >>> 0;
    } else src[2 * i + 1] = (hi | 2147483648) >>> 0;
  }
  let a = src;
  if (scratch.length < n * 2) scratch = new Uint32Array(n * 2);
  let b = scratch.subarray(0, n * 2);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[a[2 * i + word] >>> shift & 65535]++;
    let same = false;
    for (let d = 0; d < 65536; d++) {
      if (counts[d] === n) {
        same = true;
        break;
      }
      if (counts[d] !== 0) break;
    }
    if (same) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = a[2 * i];
      const hi = a[2 * i + 1];
      const d = (word === 0 ? lo : hi) >>> shift & 65535;
      const p = counts[d]++;
      b[2 * p] = lo;
      b[2 * p + 1] = hi;
    }
    const t = a;
    a = b;
    b = t;
  }
  if (a !== src) src.set(a);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1];
    if (hi & 2147483648) src[2 * i + 1] = (hi & 2147483647) >>> 0;
    else {
      src[2 * i + 1] = ~hi >>> 0;
      src[2 * i] = ~src[2 * i] >>> 0;
    }
  }
  return values;
}
function allFloat32(values) {
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]) !== values[i]) return false;
  return true;
}
var scratch32 = /* @__PURE__ */ new Uint32Array(0);
function sortAsFloat32(values) {
  const n = values.length;
  let a = new Uint32Array(n);
  const asFloat = new Float32Array(a.buffer);
  for (let i = 0; i < n; i++) asFloat[i] = values[i];
  for (let i = 0; i < n; i++) {
    const k = a[i];
    a[i] = k & 2147483648 ? ~k >>> 0 : (k | 2147483648) >>> 0;
  }
  if (scratch32.length < n) scratch32 = new Uint32Array(n);
  let b = scratch32.subarray(0, n);
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[a[i] >>> shift & 2047]++;
    if (counts[a[0] >>> shift & 2047] === n) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = a[i];
      b[counts[k >>> shift & 2047]++] = k;
    }
    const t = a;
    a = b;
    b = t;
  }
  for (let i = 0; i < n; i++) {
    const k = a[i];
    a[i] = k & 2147483648 ? (k & 2147483647) >>> 0 : ~k >>> 0;
  }
  const out = new Float32Array(a.buffer, a.byteOffset, n);
  for (let i = 0; i < n; i++) values[i] = out[i];
  return values;
}

// packages/sdk/src/drift/read-worker.ts
if (parentPort && workerData?.mlshipDriftRead) {
  const job = workerData.mlshipDriftRead;
  const port = parentPort;
  try {
    const res = await readColumns(job.path, {
      wanted: new Map(job.wanted),
      expectedRows: job.expectedRows,
      buffers: job.buffers,
      progressLabel: job.progressLabel,
      logger: { debug() {
      }, info() {
      }, warn() {
      }, progress: (label, done, total) => port.postMessage({ progress: [label, done, total] }) }
    });
    const transfer = [];
    const columns = [];
    for (const [idx, c] of res.columns) {
      if (c.values) {
        sortFloat64(c.values);
        c.sorted = true;
        transfer.push(c.values.buffer);
      }
      columns.push([idx, c]);
    }
    port.postMessage({ result: { header: res.header, rows: res.rows, columns } }, transfer);
  } catch (err) {
    port.postMessage({ error: { name: err.name, message: err.message } });
  }
}
