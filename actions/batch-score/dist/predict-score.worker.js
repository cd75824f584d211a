import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);

// packages/sdk/src/batch/score-worker.ts
import { open as open3 } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";

// packages/sdk/src/errors.ts
var OPTION_REF = /\u2983([A-Za-z0-9_.-]+)\u2984/g;
function opt(key) {
  return `⦃${key}⦄`;
}
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
function unfitForModel(v, float32) {
  if (Number.isFinite(float32 ? Math.fround(v) : v)) return void 0;
  return `which is ${Number.isFinite(v) ? "infinite in float32 (|x| > 3.4028235e38), the model's input type" : "not finite"}; models get finite numbers (as /predict and scikit-learn's predict require). Fix or drop the row.`;
}

// packages/sdk/src/data/csv.ts
import { open, stat } from "node:fs/promises";

// packages/sdk/src/util/excerpt.ts
var EXCERPT_CHARS = 80;
function excerpt(text, max = EXCERPT_CHARS) {
  if (text.length <= max) return JSON.stringify(text);
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 55296 && code <= 56319) cut--;
  return `${JSON.stringify(`${text.slice(0, cut)}…`)} (${text.length} chars)`;
}

// packages/sdk/src/data/csv.ts
var CsvSource = class _CsvSource {
  path;
  handle;
  size;
  free = [];
  constructor(path, handle, size) {
    this.path = path;
    this.handle = handle;
    this.size = size;
  }
  static async open(path) {
    const size = await fileSize(path);
    return new _CsvSource(path, await open(path, "r"), size);
  }
  /** A buffer of at least `bytes` (its contents are stale: readCsv writes before it reads). */
  take(bytes) {
    const i = this.free.findIndex((b) => b.length >= bytes);
    return i >= 0 ? this.free.splice(i, 1)[0] : Buffer.allocUnsafe(bytes);
  }
  /** Gives back a buffer taken (at most 4 are kept: two reads at a time, and room to grow). */
  give(buf) {
    if (this.free.length < 4) this.free.push(buf);
  }
  async close() {
    await this.handle.close();
  }
};
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
    let scratch = new Uint8Array(1024);
    const decoder = new TextDecoder("utf-8", { fatal: false });
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
            headerFields.push(decoder.decode(fieldBuf.subarray(fStart, fEnd)));
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

// packages/sdk/src/data/model-table.ts
var utf8 = new TextDecoder("utf-8");
function cellText(bytes, start, end, intern) {
  const n = end - start;
  if (n > 24) return utf8.decode(bytes.subarray(start, end));
  let h = n;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= 128) return utf8.decode(bytes.subarray(start, end));
    h = Math.imul(h, 31) + c | 0;
  }
  const hit = intern.get(h);
  if (hit !== void 0 && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) if (hit.charCodeAt(i) !== bytes[start + i]) {
      same = false;
      break;
    }
    if (same) return hit;
  }
  const s = String.fromCharCode(...bytes.subarray(start, end));
  if (intern.size < 65536) intern.set(h, s);
  return s;
}
async function readModelTable(path, options) {
  const stringColumns = options.stringColumns ?? /* @__PURE__ */ new Set();
  let names = [];
  let featureNames = [];
  let role = new Int32Array(0);
  let kinds = [];
  let numbers = [];
  let strings = [];
  let interned = [];
  let targetText = [];
  let targetNumbers = [];
  let targetIsNumber = [];
  const missing = {};
  let capacity = 0;
  let initialRows = 1024;
  const keepText = options.keepText ?? [];
  let textSlot = new Int32Array(0);
  let kept = [];
  const facts = options.cellFacts === true;
  let lines = options.onBadRow || facts ? new Int32Array(0) : void 0;
  let csvRowOf = options.onBadRow ? new Int32Array(0) : void 0;
  let out = 0;
  let bad;
  const fail = (message) => {
    if (!options.onBadRow) throw new InputError(message);
    bad ??= message;
  };
  const IGNORED = -(1 << 30);
  const dense = options.dense === true && stringColumns.size === 0;
  const maxRows = options.maxRows ?? Infinity;
  let matrix = new Float32Array(0);
  const keepNumbers = !dense || facts;
  let nonIntRow = new Int32Array(0);
  let firstNumber = [];
  const pool = options.buffers;
  const pooled = (bytes) => {
    const i = pool ? pool.findIndex((b) => b.byteLength >= bytes) : -1;
    return i >= 0 ? pool.splice(i, 1)[0] : new ArrayBuffer(bytes);
  };
  const float64 = (n) => new Float64Array(pooled(n * 8), 0, n);
  const float32 = (n) => new Float32Array(pooled(n * 4), 0, n);
  const grow = (rows2) => {
    const cap = Math.max(initialRows, capacity * 2, rows2);
    if (lines) {
      const b = new Int32Array(cap);
      b.set(lines);
      lines = b;
    }
    if (csvRowOf) {
      const b = new Int32Array(cap);
      b.set(csvRowOf);
      csvRowOf = b;
    }
    if (dense) {
      const m = float32(cap * featureNames.length);
      m.set(matrix);
      if (matrix.byteLength) pool?.push(matrix.buffer);
      matrix = m;
    }
    if (keepNumbers) numbers = numbers.map((a, i) => {
      if (kinds[i] === "string") return a;
      const b = float64(cap);
      b.set(a);
      if (a.byteLength) pool?.push(a.buffer);
      return b;
    });
    targetNumbers = targetNumbers.map((a) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    });
    capacity = cap;
  };
  const putNumber = (r, row, v, line, bytes, start, end) => {
    if (dense) matrix[row * featureNames.length + r] = v;
    if (keepNumbers) numbers[r][row] = v;
    if (facts) {
      const ni = nonIntRow[r];
      if (ni === -1 || ni === row) nonIntRow[r] = isIntSyntax(bytes, start, end) ? -1 : row;
      const fn = firstNumber[r];
      if (fn === void 0 || fn.row === row) firstNumber[r] = { row, line, text: utf8.decode(bytes.subarray(start, end)) };
    }
  };
  const visitor = {
    header(columns2) {
      names = columns2;
      checkTargetColumns(path, columns2, options.targets);
      if (options.features) {
        const absent = options.features.filter((c) => !columns2.includes(c));
        if (absent.length) throw new InputError(`${path}: no column${absent.length > 1 ? "s" : ""} ${absent.map((c) => `"${c}"`).join(", ")}, which the model takes; the columns are ${preview(columns2)}.`);
      }
      for (const c of keepText) if (!columns2.includes(c)) throw new InputError(`${path}: no column "${c}" to keep; the columns are ${preview(columns2)}.`);
      featureNames = columns2.filter((c) => !options.targets.includes(c) && (!options.features || options.features.includes(c)));
      if (featureNames.length === 0) throw new InputError(`${path}: only the target column(s) ${options.targets.map((t) => `"${t}"`).join(", ")} are present; a model needs at least one feature column.`);
      role = new Int32Array(columns2.length);
      let k = 0;
      columns2.forEach((c, i) => {
        const t = options.targets.indexOf(c);
        role[i] = t >= 0 ? -(1 + t) : featureNames.includes(c) ? k++ : IGNORED;
      });
      textSlot = Int32Array.from(columns2, (c) => keepText.indexOf(c));
      kept = keepText.map(() => []);
      if (options.range) initialRows = Math.max(1024, Math.ceil((options.range.end - options.range.start) / (4 * columns2.length)));
      kinds = featureNames.map((c) => stringColumns.has(c) ? "string" : "number");
      numbers = kinds.map(() => new Float64Array(0));
      if (!keepNumbers) numbers = [];
      nonIntRow = new Int32Array(featureNames.length).fill(-1);
      firstNumber = featureNames.map(() => void 0);
      strings = kinds.map(() => []);
      interned = kinds.map(() => /* @__PURE__ */ new Map());
      targetText = options.targets.map(() => []);
      targetNumbers = options.targets.map(() => new Float64Array(0));
      targetIsNumber = options.targets.map((t) => !options.textTargets?.includes(t));
      visitor.numberColumns = Uint8Array.from(columns2, (_, i) => textSlot[i] < 0 && (role[i] < 0 ? role[i] !== IGNORED : kinds[role[i]] === "number") ? 1 : 0);
      if (dense && !keepNumbers && !lines && !csvRowOf && maxRows === Infinity) {
        const nf = featureNames.length;
        visitor.numberField = (column, v) => {
          const row = out;
          if (row >= capacity) grow(row + 1);
          const r = role[column];
          if (r < 0) targetNumbers[-1 - r][row] = v;
          else matrix[row * nf + r] = v;
        };
      }
    },
    numberField(column, v, csvRow, line, bytes, start, end) {
      if (csvRow >= maxRows) return;
      const row = out;
      if (row >= capacity) grow(row + 1);
      if (lines) lines[row] = line;
      if (csvRowOf) csvRowOf[row] = csvRow;
      const r = role[column];
      if (r < 0) targetNumbers[-1 - r][row] = v;
      else putNumber(r, row, v, line, bytes, start, end);
    },
    field(column, bytes, start, end, csvRow, line) {
      if (csvRow >= maxRows) return;
      const row = out;
      if (row >= capacity) grow(row + 1);
      if (lines) lines[row] = line;
      if (csvRowOf) csvRowOf[row] = csvRow;
      const ks = textSlot[column];
      if (ks >= 0) kept[ks][row] = utf8.decode(bytes.subarray(start, end));
      const r = role[column];
      if (r === IGNORED) return;
      if (r < 0) {
        const t = -1 - r;
        const v = parseCell(bytes, start, end);
        if (v === MISSING) {
          const text3 = utf8.decode(bytes.subarray(start, end));
          fail(`${path}: line ${line}, target column "${names[column]}": a missing value (${text3 === "" ? "empty cell" : `"${text3}"`}). Every row needs its label; drop the row.`);
          return;
        }
        if (typeof v === "number" && Number.isFinite(v)) targetNumbers[t][row] = v;
        else targetIsNumber[t] = false;
        return;
      }
      if (kinds[r] === "string") {
        strings[r][row] = cellText(bytes, start, end, interned[r]);
        return;
      }
      const kind = parseCellInto(bytes, start, end);
      if (kind === CELL_NUMBER) {
        const v = cellValue[0];
        const unfit = unfitForModel(v, dense);
        if (unfit) {
          fail(`${path}: line ${line}, column "${names[column]}": "${truncate(utf8.decode(bytes.subarray(start, end)))}", ${unfit}`);
          return;
        }
        putNumber(r, row, v, line, bytes, start, end);
        return;
      }
      const text2 = utf8.decode(bytes.subarray(start, end));
      if (kind === CELL_MISSING) {
        if (!options.allowMissing) {
          fail(`${path}: line ${line}, column "${names[column]}": a missing value (${text2 === "" ? "empty cell" : `"${text2}"`}). ${options.missingFix ?? `Pass ${opt("allow-missing")} if the model handles missing values (XGBoost, LightGBM and HistGradientBoosting read NaN), or fill or drop the row.`}`);
          return;
        }
        if (dense) matrix[row * featureNames.length + r] = NaN;
        if (keepNumbers) numbers[r][row] = NaN;
        if (facts) {
          if (nonIntRow[r] === row) nonIntRow[r] = -1;
          if (firstNumber[r]?.row === row) firstNumber[r] = void 0;
        }
        const m = missing[names[column]] ??= { count: 0, firstLine: line };
        m.count++;
        return;
      }
      fail(`${path}: line ${line}, column "${names[column]}": "${truncate(text2)}", which is not a number, but the model's input takes numbers from this column. If it is a categorical column, the model needs a string input for it (export with StringTensorType, one input per column); else fix or drop the row.`);
    },
    endRow(csvRow) {
      if (csvRow >= maxRows) return;
      if (bad === void 0) {
        out++;
        return;
      }
      options.onBadRow({ line: lines[out], row: csvRow, message: bad });
      bad = void 0;
    }
  };
  const result = await readCsv(path, visitor, { logger: options.logger, progressLabel: `reading ${path}`, ...options.range ? { range: options.range } : {}, ...options.source ? { source: options.source } : {} });
  const rows = out;
  if (targetIsNumber.some((x) => !x)) {
    const textColumns = new Map(options.targets.map((t, i) => [names.indexOf(t), i]).filter(([, i]) => !targetIsNumber[i]));
    let p = 0;
    await readCsv(path, {
      header() {
      },
      field(column, bytes, start, end, csvRow) {
        const t = textColumns.get(column);
        if (t === void 0 || csvRow >= maxRows) return;
        if (csvRowOf) {
          while (p < rows && csvRowOf[p] < csvRow) p++;
          if (p >= rows || csvRowOf[p] !== csvRow) return;
        }
        targetText[t][csvRowOf ? p : csvRow] = utf8.decode(bytes.subarray(start, end));
      }
    }, { ...options.range ? { range: options.range } : {}, ...options.source ? { source: options.source } : {} });
  }
  const columns = {};
  if (!dense) featureNames.forEach((c, i) => {
    columns[c] = kinds[i] === "string" ? { kind: "string", values: strings[i].slice(0, rows) } : { kind: "number", values: numbers[i].subarray(0, rows) };
  });
  const targets = options.targets.map((name, t) => targetIsNumber[t] ? { name, kind: "number", values: targetNumbers[t].subarray(0, rows) } : { name, kind: "string", values: targetText[t].slice(0, rows) });
  const text = {};
  keepText.forEach((c, i) => {
    text[c] = kept[i].slice(0, rows);
  });
  let cellFacts;
  if (facts) {
    cellFacts = { numbers: {}, intSyntax: {}, firstNumber: {} };
    featureNames.forEach((c, i) => {
      if (kinds[i] === "string") return;
      cellFacts.numbers[c] = numbers[i].subarray(0, rows);
      const ni = nonIntRow[i];
      cellFacts.intSyntax[c] = ni === -1 || ni >= rows;
      const fn = firstNumber[i];
      cellFacts.firstNumber[c] = fn && fn.row < rows ? { line: fn.line, text: fn.text } : void 0;
    });
  }
  return {
    ...cellFacts ? { facts: cellFacts } : {},
    path,
    featureNames,
    columns,
    missing,
    targets,
    rows,
    text,
    ...lines ? { lines: lines.subarray(0, rows) } : {},
    ...dense ? { dense: matrix.subarray(0, rows * featureNames.length) } : {},
    ...options.range ? { nextLine: result.nextLine } : {}
  };
}
function checkTargetColumns(path, columns, targets) {
  for (const t of targets) {
    if (!columns.includes(t)) throw new InputError(`${path}: no target column "${t}"; the columns are ${preview(columns)}. Name the label column with ${opt("target")}.`);
  }
}
function preview(columns) {
  const shown = columns.slice(0, 8).map((c) => `"${c}"`).join(", ");
  return columns.length > 8 ? `${shown}, … (${columns.length} in all)` : shown;
}
function truncate(text) {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// packages/sdk/src/util/worker-pool.ts
function workerFailure(index, err) {
  return {
    error: {
      index,
      name: err.name ?? "Error",
      message: err.message ?? String(err),
      template: err instanceof MlshipError ? err.template : err.message ?? String(err),
      exitCode: err instanceof MlshipError ? err.exitCode : 2
    }
  };
}

// packages/sdk/src/model/signature.ts
function signatureOf(session) {
  const spec = (m) => m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : { name: m.name, isTensor: false, type: "", shape: [] };
  return { inputs: session.inputMetadata.map(spec), outputs: session.outputMetadata.map(spec) };
}
function isDynamicDim(d) {
  return typeof d === "string" || d < 0;
}
function describeTensor(t) {
  if (!t.isTensor) return `${t.name}: non-tensor (map/sequence)`;
  const dims = t.shape.map((d) => typeof d === "string" ? d === "" ? "?" : d : String(d));
  return `${t.name}: ${t.type}[${dims.join(", ")}]`;
}

// packages/sdk/src/model/feeds.ts
function allocInput(type, n) {
  switch (type) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "int64":
      return new BigInt64Array(n);
    case "bool":
      return new Uint8Array(n);
    case "string":
      return new Array(n).fill("");
  }
}
function inputWidth(spec) {
  if (spec.shape.length <= 1) return 1;
  let w = 1;
  for (const d of spec.shape.slice(1)) {
    if (isDynamicDim(d)) return null;
    w *= d;
  }
  return w;
}
function staticBatchOf(inputs) {
  let batch = null;
  for (const i of inputs) {
    const d = i.shape[0];
    if (i.isTensor && i.shape.length >= 1 && d !== void 0 && !isDynamicDim(d)) batch = batch === null ? d : Math.min(batch, d);
  }
  return batch;
}
function sliceBatch(batch, start, rows) {
  const data = {};
  for (const [name, d] of Object.entries(batch.data)) {
    const w = batch.rows === 0 ? 0 : d.length / batch.rows;
    data[name] = Array.isArray(d) ? d.slice(start * w, (start + rows) * w) : d.subarray(start * w, (start + rows) * w);
  }
  return { rows, data };
}
function concatBatches(batches) {
  if (batches.length === 1) return batches[0];
  const rows = batches.reduce((a, b) => a + b.rows, 0);
  const data = {};
  for (const name of Object.keys(batches[0].data)) {
    const first = batches[0].data[name];
    if (Array.isArray(first)) {
      data[name] = batches.flatMap((b) => b.data[name]);
      continue;
    }
    const total = batches.reduce((a, b) => a + b.data[name].length, 0);
    const out = new first.constructor(total);
    let at = 0;
    for (const b of batches) {
      const d = b.data[name];
      out.set(d, at);
      at += d.length;
    }
    data[name] = out;
  }
  return { rows, data };
}
function padBatch(batch, rows) {
  if (batch.rows >= rows || batch.rows === 0) return batch;
  const data = {};
  for (const [name, d] of Object.entries(batch.data)) {
    const w = d.length / batch.rows;
    if (Array.isArray(d)) {
      const out = d.slice();
      const last = d.slice((batch.rows - 1) * w);
      while (out.length < rows * w) out.push(...last);
      data[name] = out;
    } else {
      const out = new d.constructor(rows * w);
      out.set(d);
      const last = d.subarray((batch.rows - 1) * w);
      for (let r = batch.rows; r < rows; r++) out.set(last, r * w);
      data[name] = out;
    }
  }
  return { rows, data };
}
function checkBatch(batch, inputs, modelPath) {
  for (const spec of inputs) {
    const d = batch.data[spec.name];
    if (!d) throw new InputError(`${modelPath}: no values for input ${describeTensor(spec)}; map columns to it with ${opt("input-map")}.`);
    const w = batch.rows === 0 ? 0 : d.length / batch.rows;
    if (!Number.isInteger(w)) throw new InputError(`${modelPath}: input "${spec.name}" got ${d.length} values for ${batch.rows} rows (not a whole number per row).`);
    const want = inputWidth(spec);
    if (want !== null && batch.rows > 0 && w !== want) throw new InputError(`${modelPath}: input ${describeTensor(spec)} takes ${want} value(s) per row, got ${w}.`);
  }
}

// packages/sdk/src/model/input-map.ts
function list(names) {
  const shown = names.slice(0, 6).map((n) => JSON.stringify(n)).join(", ");
  return names.length > 6 ? `${shown}, … (${names.length})` : shown;
}
function isDenseBinding(bindings, columns) {
  return bindings.length === 1 && bindings[0].type === "float32" && bindings[0].columns.length === columns.length && bindings[0].columns.every((c, i) => c === columns[i]);
}
function tableBatch(table, bindings, start = 0, rows = table.rows - start) {
  if (table.dense) {
    const F = table.featureNames.length;
    if (!isDenseBinding(bindings, table.featureNames)) throw new Error("a dense table feeds only one float32 input of every column in order");
    return { rows, data: { [bindings[0].name]: table.dense.subarray(start * F, (start + rows) * F) } };
  }
  const data = {};
  for (const b of bindings) {
    const w = b.columns.length;
    const out = allocInput(b.type, rows * w);
    b.columns.forEach((name, j) => {
      const col = table.columns[name];
      if (b.type === "string") {
        if (col.kind !== "string") throw new Error(`column ${name} was not read as strings`);
        const s = out;
        for (let r = 0; r < rows; r++) s[r * w + j] = col.values[start + r];
        return;
      }
      if (col.kind !== "number") throw new Error(`column ${name} was not read as numbers`);
      const v = col.values;
      if (b.type === "float32" || b.type === "float64") {
        const f = out;
        for (let r = 0; r < rows; r++) f[r * w + j] = v[start + r];
        return;
      }
      for (let r = 0; r < rows; r++) {
        const x = v[start + r];
        if (!Number.isInteger(x)) throw new InputError(`${table.path}: data row ${start + r + 1}, column "${name}": ${Number.isNaN(x) ? "a missing value" : x}, but input "${b.name}" is ${b.type} and takes whole numbers; fix the column or export the model with a float input.`);
        if (b.type === "int64") out[r * w + j] = BigInt(x);
        else if (b.type === "bool") out[r * w + j] = x !== 0 ? 1 : 0;
        else out[r * w + j] = x;
      }
    });
    data[b.name] = out;
  }
  return { rows, data };
}
function rowsBatch(rows, columns, bindings) {
  const index = new Map(columns.map((c, i) => [c, i]));
  const data = {};
  for (const b of bindings) {
    const w = b.columns.length;
    const out = allocInput(b.type, rows.length * w);
    b.columns.forEach((name, j) => {
      const c = index.get(name);
      if (c === void 0) throw new InputError(`input "${b.name}" takes column "${name}", which is not among the columns ${list(columns)}.`);
      rows.forEach((row, r) => {
        const v = row[c];
        const at = r * w + j;
        if (b.type === "string") {
          if (typeof v !== "string") throw new InputError(`row ${r}, column "${name}": ${JSON.stringify(v)} for string input "${b.name}"; expected a string.`);
          out[at] = v;
        } else if (v === null && (b.type === "float32" || b.type === "float64")) {
          out[at] = NaN;
        } else if (typeof v !== "number") {
          throw new InputError(`row ${r}, column "${name}": ${JSON.stringify(v)} for ${b.type} input "${b.name}"; expected a number.`);
        } else if (b.type === "float32" || b.type === "float64") out[at] = v;
        else if (b.type === "int64") out[at] = BigInt(Math.trunc(v));
        else if (b.type === "bool") out[at] = v !== 0 ? 1 : 0;
        else out[at] = Math.trunc(v);
      });
    });
    data[b.name] = out;
  }
  return { rows: rows.length, data };
}

// packages/sdk/src/model/onnx-model.ts
import { stat as stat3 } from "node:fs/promises";

// packages/sdk/src/log.ts
var silentLogger = { debug() {
}, info() {
}, warn() {
} };

// packages/sdk/src/util/hash.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest("hex");
}

// packages/sdk/src/model/onnxruntime.ts
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat as stat2, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

// packages/sdk/src/util/process.ts
import { spawn } from "node:child_process";
function runProcess(command, args, options = {}) {
  return new Promise((resolve2, reject) => {
    options.logger?.debug(`run: ${command} ${args.join(" ")}`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => {
      err.push(b);
      if (options.streamStderr && options.logger) {
        for (const line of b.toString("utf8").split("\n")) if (line.trim()) options.logger.info(line);
      }
    });
    child.on("error", (e) => reject(new Error(`Cannot run ${command}: ${e.message}`)));
    child.on("close", (code, signal) => {
      resolve2({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      });
    });
    child.stdin.on("error", (e) => {
      if (e.code !== "EPIPE") options.logger?.debug(`stdin of ${command}: ${e.message}`);
    });
    child.stdin.end(options.input ?? "");
  });
}

// packages/sdk/src/model/onnxruntime.ts
var ONNXRUNTIME_NODE_VERSION = "1.30.0";
async function loadOnnxRuntime(logger = silentLogger) {
  cached ??= locateOrInstall(logger).catch((err) => {
    cached = void 0;
    throw err;
  });
  return cached;
}
var cached;
async function removeTelemetryDebugLog() {
  if (telemetryLogRemoved) return;
  telemetryLogRemoved = await removeTelemetryDebugLogOf(process.pid);
}
async function removeTelemetryDebugLogOf(pid, ended = false) {
  const file = join(tmpdir(), `mat-debug-${pid}.log`);
  try {
    if (ended || (await stat2(file)).size === 0) {
      await stat2(file);
      await rm(file, { force: true });
    }
    return true;
  } catch {
    return false;
  }
}
var telemetryLogRemoved = false;
function onnxRuntimeCacheDir(env = process.env) {
  const base = env.RUNNER_TOOL_CACHE ? join(env.RUNNER_TOOL_CACHE, "mlship-onnxruntime-node") : join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "mlship", "onnxruntime-node");
  return join(base, ONNXRUNTIME_NODE_VERSION, `${process.platform}-${process.arch}`);
}
async function locateOrInstall(logger) {
  const explicit = process.env.MLSHIP_ONNXRUNTIME_DIR;
  if (explicit) return importFrom(explicit, "MLSHIP_ONNXRUNTIME_DIR");
  if (process.env.MLSHIP_ONNXRUNTIME_FORCE_CACHE !== "1") {
    try {
      return interop(await import("onnxruntime-node"));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const dir = onnxRuntimeCacheDir();
  if (!existsSync(join(dir, ".complete"))) await installInto(dir, logger);
  else logger.info(`onnxruntime-node ${ONNXRUNTIME_NODE_VERSION}: using the cached copy in ${dir}`);
  return importFrom(dir, "the tool cache");
}
async function installInto(dir, logger) {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, "package.json"), JSON.stringify({ name: "mlship-onnxruntime", private: true }));
  logger.info(`onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} is not installed here: installing it from the npm registry into ${dir} (once per runner)…`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = await runProcess(npm, [
    "install",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    "--omit=dev",
    `onnxruntime-node@${ONNXRUNTIME_NODE_VERSION}`
  ], {
    cwd: tmp,
    // The CPU binaries are in the npm package; skip the optional CUDA download of its postinstall.
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
    logger
  });
  if (res.code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new MlshipError(`Could not install onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} with npm (exit ${res.code}). Make npm and the npm registry reachable from the runner, or install it yourself and set MLSHIP_ONNXRUNTIME_DIR to the folder holding its node_modules.
${res.stderr.slice(-2e3)}`);
  }
  await trimToPlatform(join(tmp, "node_modules", "onnxruntime-node"));
  await writeFile(join(tmp, ".complete"), (/* @__PURE__ */ new Date()).toISOString());
  await mkdir(join(dir, ".."), { recursive: true });
  try {
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, ".complete"))) throw err;
  }
}
async function trimToPlatform(pkgDir) {
  const binRoot = join(pkgDir, "bin", "napi-v6");
  if (!existsSync(binRoot)) return;
  for (const os of await readdir(binRoot)) {
    if (os !== process.platform) {
      await rm(join(binRoot, os), { recursive: true, force: true });
      continue;
    }
    for (const arch of await readdir(join(binRoot, os))) {
      if (arch !== process.arch) await rm(join(binRoot, os, arch), { recursive: true, force: true });
    }
  }
}
function importFrom(dir, where) {
  const req = createRequire(join(dir, "package.json"));
  try {
    return interop(req("onnxruntime-node"));
  } catch (err) {
    throw new MlshipError(`onnxruntime-node could not be loaded from ${dir} (${where}): ${err.message}`);
  }
}
function interop(mod) {
  const m = mod;
  return m.InferenceSession ? m : m.default;
}
function isNotFound(err) {
  const code = err?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

// packages/sdk/src/model/onnx-model.ts
var ERRORS_ONLY = 3;
var OnnxModel = class _OnnxModel {
  path;
  sha256;
  session;
  signature;
  ort;
  /** Seconds onnxruntime took to create the session (what `mlship_model_load_seconds` reports). */
  loadSeconds;
  constructor(path, sha256, session, signature, ort, loadSeconds) {
    this.loadSeconds = loadSeconds;
    this.path = path;
    this.sha256 = sha256;
    this.session = session;
    this.signature = signature;
    this.ort = ort;
  }
  static async load(path, options = {}) {
    const logger = options.logger ?? silentLogger;
    try {
      const st = await stat3(path);
      if (!st.isFile()) throw new Error("not a file");
    } catch {
      throw new InputError(`Model file ${path} does not exist or is not a file; pass the path of an .onnx model.`);
    }
    const ort = await loadOnnxRuntime(logger);
    let session;
    const started = performance.now();
    try {
      session = await ort.InferenceSession.create(path, { logSeverityLevel: ERRORS_ONLY, ...options.sessionOptions });
    } catch (err) {
      throw new InputError(`${path} is not a model onnxruntime can load: ${err.message.split("\n")[0]}. Export it again (skl2onnx / torch.onnx.export) and check the file is not truncated.`);
    }
    const loadSeconds = (performance.now() - started) / 1e3;
    await removeTelemetryDebugLog();
    const signature = signatureOf(session);
    return new _OnnxModel(path, await sha256File(path), session, signature, ort, loadSeconds);
  }
  /** The tabular input: the model's only input, a float32 tensor of rank 2. */
  get input() {
    const inputs = this.signature.inputs;
    if (inputs.length !== 1) {
      throw new InputError(`${this.path} has ${inputs.length} inputs (${inputs.map((i) => i.name).join(", ")}); mlship feeds one float32 [N, features] input. Export the model with a single tabular input.`);
    }
    const input = inputs[0];
    if (!input.isTensor || input.type !== "float32" || input.shape.length !== 2) {
      throw new InputError(`${this.path}: input ${describeTensor(input)} is not a float32 [N, features] tensor; export the model with a float32 input of shape [batch, features] (skl2onnx: initial_types=[('float_input', FloatTensorType([None, F]))]).`);
    }
    return input;
  }
  /** Number of features the input takes, or null when that dimension is dynamic too. */
  get featureCount() {
    const d = this.input.shape[1];
    return isDynamicDim(d) ? null : d;
  }
  /** Checks that `count` features fit the model's input; the error names the data's file. */
  checkFeatureCount(count, dataPath, featureNames) {
    const expected = this.featureCount;
    if (expected !== null && expected !== count) {
      const names = featureNames ? ` (${featureNames.slice(0, 5).join(", ")}${featureNames.length > 5 ? ", …" : ""})` : "";
      throw new InputError(`${dataPath} has ${count} feature columns${names} but ${this.path} takes ${expected} (input ${describeTensor(this.input)}). Check ${opt("target")} names the label column and that the CSV has the training features in training order.`);
    }
  }
  /** The batch size the model's inputs fix (e.g. 1 for torch.onnx.export without dynamic_axes), or null when dynamic. */
  get staticBatch() {
    return staticBatchOf(this.signature.inputs);
  }
  /**
   * Runs the model over `rows` rows of row-major float32 `features` (the single tabular input) in
   * batches and concatenates each requested output along the first dimension.
   */
  async predict(features, rows, options = {}) {
    const nf = rows === 0 ? 0 : features.length / rows;
    if (!Number.isInteger(nf)) throw new InputError(`features length ${features.length} is not a multiple of ${rows} rows`);
    return this.run({ rows, data: { [this.input.name]: features } }, options);
  }
  /**
   * Runs the model over a batch of rows for every input (model/feeds.ts), in runs of at most
   * `batchSize` rows — and never more than the static batch the inputs declare: a model that takes a
   * fixed batch of B runs B rows at a time, the last run padded by repeating its last row (those
   * outputs are dropped). Outputs are concatenated along the first dimension.
   */
  async run(batch, options = {}) {
    const pieces = this.inPieces(options, batch.rows);
    await pieces.add(batch);
    return pieces.finish();
  }
  /**
   * `run` over rows handed over in pieces (a parallel read's runs, in order): `add` runs every whole
   * batch as soon as its rows are there, `finish` the last rows and returns the outputs. The batches
   * are the ones `run` would make of all the rows at once — rows 0…B−1, B…2B−1, … whatever the pieces
   * — because onnxruntime's results can depend on the batch (tree ensembles and matrix products sum in
   * another order for another batch size): the outputs are run's, value for value.
   */
  inPieces(options = {}, total) {
    const fixed = this.staticBatch;
    const size = Math.max(1, Math.min(options.batchSize ?? 8192, fixed ?? Infinity));
    const pad = fixed ?? (size >= 2 ? 2 : 1);
    const wanted = options.outputs ?? this.signature.outputs.filter((o) => o.isTensor).map((o) => o.name);
    const parts = Object.fromEntries(wanted.map((n) => [n, []]));
    let done = 0;
    let held = [];
    let heldRows = 0;
    const runBatch = async (chunk) => {
      const n = chunk.rows;
      if (n < pad) chunk = padBatch(chunk, pad);
      const feeds = {};
      for (const spec of this.signature.inputs) feeds[spec.name] = this.tensorFor(spec, chunk);
      let result;
      try {
        result = await this.session.run(feeds, wanted);
      } catch (err) {
        throw runError(this, err, chunk.rows);
      }
      for (const name of wanted) {
        const t = result[name];
        parts[name].push(n < chunk.rows ? trimRows(t, n) : t);
      }
      done += n;
      if (total !== void 0) options.logger?.progress?.(`inference ${this.path}`, done, total);
    };
    return {
      add: async (batch) => {
        checkBatch(batch, this.signature.inputs, this.path);
        let at = 0;
        if (heldRows > 0) {
          at = Math.min(size - heldRows, batch.rows);
          held.push(sliceBatch(batch, 0, at));
          heldRows += at;
          if (heldRows < size) return;
          await runBatch(concatBatches(held));
          held = [];
          heldRows = 0;
        }
        for (; batch.rows - at >= size; at += size) await runBatch(at === 0 && batch.rows === size ? batch : sliceBatch(batch, at, size));
        if (at < batch.rows) {
          held = [at === 0 ? batch : sliceBatch(batch, at, batch.rows - at)];
          heldRows = batch.rows - at;
        }
      },
      finish: async () => {
        if (heldRows > 0) await runBatch(concatBatches(held));
        held = [];
        heldRows = 0;
        const out = {};
        for (const name of wanted) out[name] = concatTensors(parts[name], done);
        return out;
      }
    };
  }
  tensorFor(spec, batch) {
    const data = batch.data[spec.name];
    const width = batch.rows === 0 ? 0 : data.length / batch.rows;
    const dims = spec.shape.length <= 1 ? [batch.rows] : spec.shape.length === 2 ? [batch.rows, width] : [batch.rows, ...spec.shape.slice(1).map(Number)];
    return new this.ort.Tensor(spec.type, data, dims);
  }
};
function trimRows(t, n) {
  const inner = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const d = t.data;
  return { type: t.type, dims: [n, ...t.dims.slice(1)], data: Array.isArray(d) ? d.slice(0, n * inner) : d.subarray(0, n * inner) };
}
function runError(model, err, rows) {
  const msg = err.message.split("\n")[0];
  const shapeError = /dimension|shape|Got invalid dimensions|reshape/i.test(msg);
  const hint = shapeError && rows > 1 ? ` The model may only take one row per run (a batch size fixed inside the graph, e.g. a Reshape to [1, …]); run it with ${opt("batch-size")} 1, or export it with a dynamic batch dimension (torch.onnx.export(..., dynamic_axes={"input": {0: "batch"}})).` : "";
  return new InputError(`onnxruntime failed to run ${model.path} on ${rows} row(s) (inputs ${model.signature.inputs.map(describeTensor).join("; ")}): ${msg}.${hint}`);
}
function concatTensors(tensors, rows) {
  if (tensors.length > 1 && Array.isArray(tensors[0].data)) {
    const first2 = tensors[0];
    return { type: first2.type, dims: [rows, ...first2.dims.slice(1)], data: tensors.flatMap((t) => t.data) };
  }
  if (tensors.length === 0) return { type: "float32", dims: [0], data: new Float32Array(0) };
  const first = tensors[0];
  if (tensors.length === 1) return { type: first.type, dims: [...first.dims], data: first.data };
  const inner = first.dims.slice(1).reduce((a, b) => a * b, 1);
  const Ctor = first.data.constructor;
  const data = new Ctor(rows * inner);
  let offset = 0;
  for (const t of tensors) {
    data.set(t.data, offset);
    offset += t.data.length;
  }
  return { type: first.type, dims: [rows, ...first.dims.slice(1)], data };
}

// packages/sdk/src/batch/chunk-files.ts
import { mkdir as mkdir2, open as open2, rename as rename2, rm as rm2 } from "node:fs/promises";
import { basename, dirname, join as join2, resolve } from "node:path";
function chunkFile(runDir, index, kind) {
  return join2(runDir, `chunk-${String(index).padStart(8, "0")}.${kind}`);
}
async function writeDurable(path, text) {
  const tmp = `${path}.tmp`;
  const fh = await open2(tmp, "w");
  let bytes = 0;
  try {
    const parts = typeof text === "string" ? [Buffer.from(text, "utf8")] : Array.isArray(text) ? text : [text];
    const total = parts.reduce((a, b) => a + b.length, 0);
    let written = parts.length === 1 ? (await fh.write(parts[0], 0, total, 0)).bytesWritten : (await fh.writev(parts, 0)).bytesWritten;
    for (let i = 0, at = 0; written < total && i < parts.length; at += parts[i].length, i++) {
      const p = parts[i];
      while (written < at + p.length) written += (await fh.write(p, written - at, at + p.length - written, written)).bytesWritten;
    }
    bytes = total;
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename2(tmp, path);
  return bytes;
}

// packages/sdk/src/model/output-roles.ts
function asProbabilityMatrix(t, rows) {
  const k = t.dims.length >= 2 ? t.dims[1] : 1;
  if (k === 1) {
    const data = new Float64Array(2 * rows);
    for (let r = 0; r < rows; r++) {
      const p = Number(t.data[r]);
      data[2 * r] = 1 - p;
      data[2 * r + 1] = p;
    }
    return { data, k: 2 };
  }
  return { data: Float64Array.from(t.data, Number), k };
}

// packages/sdk/src/model/class-labels.ts
function classOfLabelValue(v, classLabels) {
  if (typeof v === "string") return v;
  const n = Number(v);
  if (!classLabels || classLabels.includes(n)) return n;
  return classLabels[n] ?? n;
}
function classOfColumn(i, classLabels) {
  return classLabels?.[i] ?? i;
}

// packages/sdk/src/batch/float-text.ts
var POW102 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11];
function writeFloat32Text(buf, at, x) {
  const a = x < 0 ? -x : x;
  if (!(a >= 1e-3 && a < 1e9)) return writeAscii(buf, at, x.toPrecision(9));
  let e = a >= 1 ? a >= 1e4 ? a >= 1e6 ? a >= 1e8 ? 8 : a >= 1e7 ? 7 : 6 : a >= 1e5 ? 5 : 4 : a >= 100 ? a >= 1e3 ? 3 : 2 : a >= 10 ? 1 : 0 : a >= 0.1 ? -1 : a >= 0.01 ? -2 : -3;
  let n = Math.floor(a * POW102[8 - e] + 0.5);
  if (n >= 1e9) {
    if (e === 8) return writeAscii(buf, at, x.toPrecision(9));
    e++;
    n = Math.floor(a * POW102[8 - e] + 0.5);
  }
  if (x < 0) buf[at++] = 45;
  if (e < 0) {
    buf[at++] = 48;
    buf[at++] = 46;
    for (let z = -e - 1; z > 0; z--) buf[at++] = 48;
  }
  const point = e >= 0 && e < 8 ? e : -1;
  const end = at + 9 + (point >= 0 ? 1 : 0);
  let p = end;
  for (let k = 8; k >= 0; k--) {
    if (k === point) buf[--p] = 46;
    const q = n / 10 | 0;
    buf[--p] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}
function writeAscii(buf, at, s) {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

// packages/sdk/src/model/int64.ts
var LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function int64ToNumbers(data) {
  const n = data.length;
  const out = new Float64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
    return out;
  }
  const w = new Int32Array(data.buffer, data.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
  return out;
}

// packages/sdk/src/batch/prediction-columns.ts
function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
function formatRows(layout, outputs, rows, keep, kept, format) {
  const keptCols = keep.map((k2) => kept[k2]);
  const csv = format === "csv";
  const utf82 = (text) => Buffer.from(text, "utf8");
  const keys = [...keep, ...layout.columns].map((k2, i) => utf82(csv ? i === 0 ? "" : "," : `${i === 0 ? "{" : ","}${JSON.stringify(k2)}:`));
  const txt = csv ? csvField : (s) => JSON.stringify(s);
  const labels = layout.labelOutput ? outputs[layout.labelOutput] : void 0;
  const proba = layout.probabilityOutput ? outputs[layout.probabilityOutput] : void 0;
  const single = proba !== void 0 && layout.writeProbabilities && (proba.dims[1] ?? 1) === 1;
  const k = proba ? single ? 2 : proba.dims[1] ?? 1 : 0;
  const pd = single ? asProbabilityMatrix(proba, rows).data : proba?.data;
  const value = layout.valueOutput ? outputs[layout.valueOutput] : void 0;
  const float32 = (proba ?? value)?.type === "float32";
  const labelBytes = /* @__PURE__ */ new Map();
  const labelOf = (l) => {
    let b = labelBytes.get(l);
    if (b === void 0) labelBytes.set(l, b = utf82(csv ? typeof l === "string" ? csvField(l) : String(l) : JSON.stringify(l)));
    return b;
  };
  const width = layout.task === "classification" ? layout.writeProbabilities ? k : 0 : layout.valueWidth;
  const nk = keptCols.length;
  const fixed = keys.reduce((n, b) => n + b.length, 0) + width * 24 + 2;
  let bytes = Buffer.allocUnsafe(Math.max(1024, rows * 32));
  let at = 0;
  const room = (n) => {
    if (bytes.length - at >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + n));
    bytes.copy(bigger, 0, 0, at);
    bytes = bigger;
  };
  const put = (b) => {
    bytes.set(b, at);
    at += b.length;
  };
  const number = (x) => {
    if (float32 && Number.isFinite(x)) at = writeFloat32Text(bytes, at, x);
    else at = writeAscii(bytes, at, Number.isFinite(x) || csv ? String(x) : "null");
  };
  const labelData = labels && (labels.data instanceof BigInt64Array ? int64ToNumbers(labels.data) : labels.data);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < nk; c++) {
      const t = txt(keptCols[c][r]);
      room(keys[c].length + t.length * 3);
      put(keys[c]);
      at += bytes.write(t, at);
    }
    if (layout.task === "classification") {
      let label;
      if (labelData) label = classOfLabelValue(labelData[r], layout.classLabels);
      else {
        let best = 0;
        for (let j = 1; j < k; j++) if (pd[r * k + j] > pd[r * k + best]) best = j;
        label = classOfColumn(best, layout.classLabels);
      }
      const lb = labelOf(label);
      room(fixed + lb.length);
      put(keys[nk]);
      put(lb);
      if (layout.writeProbabilities) for (let j = 0; j < k; j++) {
        put(keys[nk + 1 + j]);
        number(Number(pd[r * k + j]));
      }
    } else {
      room(fixed);
      const vd = value.data;
      for (let j = 0; j < width; j++) {
        put(keys[nk + j]);
        number(Number(vd[r * width + j]));
      }
    }
    if (!csv) bytes[at++] = 125;
    bytes[at++] = 10;
  }
  return bytes.subarray(0, at);
}

// packages/sdk/src/data/row-scanner.ts
var LF2 = 10;
var QUOTE_BYTE = 34;
var ROW = 4;
var FIELD = 0;
var PLAIN = 1;
var QUOTED = 2;
var QUOTE2 = 3;
var RowScanner = class {
  /** Line feeds consumed so far. */
  lines = 0;
  state = ROW;
  sep;
  /** The quote byte, or −1 (JSON Lines: a raw line feed never occurs inside a JSON value, so every one ends a record). */
  quote;
  /** Whether `lines` is kept (counting every line feed of a quote-free block is most of a scan's cost). */
  countLines;
  constructor(separator = ",", options = {}) {
    this.sep = separator.charCodeAt(0);
    this.quote = options.quoted === false ? -1 : QUOTE_BYTE;
    this.countLines = options.countLines !== false;
  }
  /** True when the scanner stands at a row boundary (or the start of the data). */
  get atRowStart() {
    return this.state === ROW;
  }
  /** Consumes buf[from, to) without looking for a boundary (state and line count only). */
  skip(buf, from, to) {
    if (from >= to) return;
    if (this.state !== QUOTED && this.state !== QUOTE2) {
      const q = this.quote < 0 ? -1 : buf.indexOf(this.quote, from);
      if (q === -1 || q >= to) {
        if (this.countLines) this.lines += countLf(buf, from, to);
        const last = buf[to - 1];
        this.state = last === LF2 ? ROW : last === this.sep ? FIELD : PLAIN;
        return;
      }
    }
    for (let i = from; i < to; i++) this.step(buf[i]);
  }
  /**
   * Consumes buf[from, to) up to and including the first row boundary; returns the offset just after
   * it, or −1 when buf[from, to) holds none (then all of it was consumed).
   */
  nextBoundary(buf, from, to) {
    let i = from;
    if (this.state === ROW || this.state === FIELD || this.state === PLAIN) {
      const lf = buf.indexOf(LF2, from);
      if (lf !== -1 && lf < to) {
        const q = this.quote < 0 ? -1 : buf.indexOf(this.quote, from);
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
      const c = buf[i];
      const before = this.state;
      this.step(c);
      if (c === LF2 && before !== QUOTED) return i + 1;
    }
    return -1;
  }
  step(c) {
    if (c === LF2) this.lines++;
    switch (this.state) {
      case ROW:
      case FIELD:
        this.state = c === this.quote ? QUOTED : c === LF2 ? ROW : c === this.sep ? FIELD : PLAIN;
        break;
      case PLAIN:
        if (c === LF2) this.state = ROW;
        else if (c === this.sep) this.state = FIELD;
        break;
      case QUOTED:
        if (c === this.quote) this.state = QUOTE2;
        break;
      case QUOTE2:
        this.state = c === this.quote ? QUOTED : c === LF2 ? ROW : c === this.sep ? FIELD : PLAIN;
        break;
    }
  }
};
function countLf(buf, from, to) {
  let n = 0;
  let i = buf.indexOf(LF2, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(LF2, i + 1);
  }
  return n;
}

// packages/sdk/src/batch/drift-spill.ts
var MAGIC = "MLSD1\n";
var PAD = new Uint8Array(8);
function driftSpillParts(table, spec) {
  const rows = table.rows;
  const facts = table.facts;
  if (!facts || !table.lines) throw new Error("driftSpillParts: the chunk was read without cellFacts");
  const parts = [];
  let at = 0;
  const add = (bytes) => {
    parts.push(bytes);
    const o = at;
    at += bytes.length;
    const pad = (8 - at % 8) % 8;
    if (pad) {
      parts.push(PAD.subarray(0, pad));
      at += pad;
    }
    return o;
  };
  const header = { rows, spec: JSON.stringify(spec), columns: {} };
  for (const c of spec.numbers) {
    const values = facts.numbers[c];
    const first = facts.firstNumber[c];
    header.columns[c] = { kind: "number", offset: add(new Uint8Array(values.buffer, values.byteOffset, rows * 8)), intSyntax: facts.intSyntax[c], ...first ? { first } : {} };
  }
  const encoder = new TextEncoder();
  for (const c of spec.texts) {
    const col = table.columns[c];
    const cells = col?.kind === "string" ? col.values : table.text[c];
    if (!cells) throw new Error(`driftSpillParts: no text for column ${c}`);
    const lengths = new Uint32Array(rows);
    let bytes = new Uint8Array(Math.max(64, rows * 8));
    let p = 0;
    for (let i = 0; i < rows; i++) {
      const t = cells[i];
      if (p + 3 * t.length > bytes.length) {
        const bigger = new Uint8Array(2 * bytes.length + 3 * t.length);
        bigger.set(bytes.subarray(0, p));
        bytes = bigger;
      }
      const { written } = encoder.encodeInto(t, bytes.subarray(p));
      lengths[i] = written;
      p += written;
    }
    header.columns[c] = { kind: "text", offset: add(new Uint8Array(lengths.buffer)), cells: add(bytes.subarray(0, p)), bytes: p };
  }
  if (spec.texts.length) header.lines = add(new Uint8Array(table.lines.buffer, table.lines.byteOffset, rows * 4));
  const json = encoder.encode(JSON.stringify(header));
  const headLength = MAGIC.length + 4 + json.length;
  const head = new Uint8Array(headLength + (8 - headLength % 8) % 8);
  encoder.encodeInto(MAGIC, head);
  new DataView(head.buffer).setUint32(MAGIC.length, json.length, true);
  head.set(json, MAGIC.length + 4);
  return [head, ...parts];
}

// packages/sdk/src/batch/score-worker.ts
async function chunkScorer(init2) {
  const model = await OnnxModel.load(init2.modelPath, { sessionOptions: { graphOptimizationLevel: "all", executionMode: "sequential", intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const stringColumns = new Set(init2.stringColumns);
  const dense = isDenseBinding(init2.bindings, init2.columns.filter((c) => init2.features.includes(c)));
  const keepText = [.../* @__PURE__ */ new Set([...init2.keep, ...(init2.driftSpill?.texts ?? []).filter((c) => !stringColumns.has(c))])];
  const buffers = [];
  let source;
  async function scoreChunk(m, job) {
    if (init2.inputFormat === "jsonl") return scoreJsonLinesChunk(init2, m, job);
    const bad = [];
    const table = await readModelTable(init2.dataPath, {
      targets: [],
      features: init2.features,
      stringColumns,
      dense,
      allowMissing: init2.allowMissing,
      keepText,
      cellFacts: init2.driftSpill !== void 0,
      buffers,
      source: await (source ??= CsvSource.open(init2.dataPath)),
      missingFix: PACKAGE_MISSING_FIX,
      range: { start: job.start, end: job.end, columns: init2.columns, firstLine: job.firstLine, firstRow: 0 },
      ...init2.skipBadRows ? { onBadRow: (b) => {
        bad.push(b);
      } } : {}
    });
    let text = new Uint8Array(0);
    if (table.rows > 0) {
      const outputs = await m.run(tableBatch(table, init2.bindings), { outputs: init2.layout.fetch, batchSize: init2.batchSize });
      text = formatRows(init2.layout, outputs, table.rows, init2.keep, table.text, init2.format);
    }
    const bytes = await writeDurable(chunkFile(init2.runDir, job.index, "out"), text);
    if (init2.driftSpill) await writeDurable(chunkFile(init2.runDir, job.index, "drift"), driftSpillParts(table, init2.driftSpill));
    if (bad.length) await writeDurable(chunkFile(init2.runDir, job.index, "rejects"), await rejectLines(init2.dataPath, job, bad));
    if (table.dense) buffers.push(table.dense.buffer);
    for (const v of Object.values(table.facts?.numbers ?? {})) buffers.push(v.buffer);
    buffers.sort((a, b) => b.byteLength - a.byteLength).length = Math.min(buffers.length, 4 * init2.features.length + 4);
    return { index: job.index, rows: table.rows, rejected: bad.length, bytes };
  }
  return {
    score: (job) => scoreChunk(model, job),
    release: async () => {
      await model.session.release();
      if (source) await (await source).close();
    }
  };
}
var PACKAGE_MISSING_FIX = "The package does not allow missing values: if the model handles them (XGBoost, LightGBM and HistGradientBoosting read NaN), package it again with mlship serialize --allow-missing (the serialize action's allow-missing input); else fill or drop the row.";
var init = workerData?.mlshipPredict;
if (parentPort && init) {
  const port = parentPort;
  const fail = (index, err) => port.postMessage(workerFailure(index, err));
  let scorer;
  try {
    scorer = await chunkScorer(init);
    port.postMessage({ ready: true });
  } catch (err) {
    fail(-1, err);
    throw err;
  }
  port.on("message", (job) => {
    scorer.score(job).then((done) => port.postMessage({ done }), (err) => fail(job.index, err));
  });
}
async function scoreJsonLinesChunk(init2, m, job) {
  const buf = new Uint8Array(job.end - job.start);
  const fh = await open3(init2.dataPath, "r");
  try {
    await fh.read(buf, 0, buf.length, job.start);
  } finally {
    await fh.close();
  }
  const text = new TextDecoder().decode(buf);
  const strings = new Set(init2.stringColumns);
  const float32Columns = new Set(init2.bindings.filter((b) => b.type === "float32").flatMap((b) => b.columns));
  const rows = [];
  const kept = Object.fromEntries(init2.keep.map((k) => [k, []]));
  let rejects = "";
  let rejected = 0;
  let line = job.firstLine;
  for (const raw of text.split("\n")) {
    const here = line++;
    const t = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (t.trim() === "") continue;
    let row;
    let obj;
    try {
      try {
        obj = JSON.parse(t);
      } catch (err) {
        throw new InputError(`${init2.dataPath}: line ${here}: not valid JSON (${err.message}); each line must be one JSON object.`);
      }
      if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new InputError(`${init2.dataPath}: line ${here}: a JSON ${Array.isArray(obj) ? "array" : typeof obj}, expected an object {"column": value, …}.`);
      row = init2.features.map((c) => {
        const v = obj[c];
        if (v === void 0) throw new InputError(`${init2.dataPath}: line ${here}: no key "${c}", which the model takes.`);
        if (strings.has(c)) {
          if (typeof v !== "string") throw new InputError(`${init2.dataPath}: line ${here}, column "${c}": ${JSON.stringify(v)}, but the model takes a string here.`);
          return v;
        }
        if (v === null) {
          if (!init2.allowMissing) throw new InputError(`${init2.dataPath}: line ${here}, column "${c}": null (a missing value). ${PACKAGE_MISSING_FIX}`);
          return null;
        }
        if (typeof v !== "number") throw new InputError(`${init2.dataPath}: line ${here}, column "${c}": ${JSON.stringify(v)}, which is not a number, but the model's input takes numbers from this column.`);
        const unfit = unfitForModel(v, float32Columns.has(c));
        if (unfit) throw new InputError(`${init2.dataPath}: line ${here}, column "${c}": ${v}, ${unfit}`);
        return v;
      });
      for (const k of init2.keep) if (!(k in obj)) throw new InputError(`${init2.dataPath}: line ${here}: no key "${k}" to keep.`);
    } catch (err) {
      if (!init2.skipBadRows || !(err instanceof InputError)) throw err;
      rejects += `${JSON.stringify({ line: here, error: err.message, text: t })}
`;
      rejected++;
      continue;
    }
    rows.push(row);
    for (const k of init2.keep) {
      const v = obj[k];
      kept[k].push(typeof v === "string" ? v : v === null ? "" : JSON.stringify(v));
    }
  }
  let out = new Uint8Array(0);
  if (rows.length) {
    const outputs = await m.run(rowsBatch(rows, init2.features, init2.bindings), { outputs: init2.layout.fetch, batchSize: init2.batchSize });
    out = formatRows(init2.layout, outputs, rows.length, init2.keep, kept, init2.format);
  }
  const bytes = await writeDurable(chunkFile(init2.runDir, job.index, "out"), out);
  if (rejected) await writeDurable(chunkFile(init2.runDir, job.index, "rejects"), rejects);
  return { index: job.index, rows: rows.length, rejected, bytes };
}
async function rejectLines(path, job, bad) {
  const buf = new Uint8Array(job.end - job.start);
  const fh = await open3(path, "r");
  try {
    await fh.read(buf, 0, buf.length, job.start);
  } finally {
    await fh.close();
  }
  const wanted = new Map(bad.map((b) => [b.line, b.message]));
  const scanner = new RowScanner();
  const decoder = new TextDecoder();
  let out = "";
  let pos = 0;
  while (pos < buf.length) {
    const line = job.firstLine + scanner.lines;
    let end = scanner.nextBoundary(buf, pos, buf.length);
    if (end === -1) end = buf.length;
    const message = wanted.get(line);
    if (message !== void 0) {
      let e = end;
      if (e > pos && buf[e - 1] === 10) e--;
      if (e > pos && buf[e - 1] === 13) e--;
      out += `${decoder.decode(buf.subarray(pos, e))},${line},${csvField(renderOptionRefs(message, cliOptionName))}
`;
    }
    pos = end;
  }
  return out;
}
