import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);

// packages/sdk/src/data/table-read-worker.ts
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

// packages/sdk/src/data/row-ranges.ts
var BLOCK = 1 << 20;

// packages/sdk/src/data/parallel-table.ts
var DEFAULT_MIN_PARALLEL_BYTES = 8 << 20;
function packStrings(table) {
  let out;
  for (const [name, col] of Object.entries(table.columns)) {
    if (col.kind !== "string") continue;
    const index = /* @__PURE__ */ new Map();
    const values = [];
    const codes = new Int32Array(col.values.length);
    for (let i = 0; i < codes.length; i++) {
      const v = col.values[i];
      let c = index.get(v);
      if (c === void 0) {
        c = values.length;
        values.push(v);
        index.set(v, c);
      }
      codes[i] = c;
    }
    (out ??= {})[name] = { codes, values };
    col.values = [];
  }
  return out;
}
function readTableRun(init2, job) {
  return readModelTable(init2.path, {
    targets: init2.targets,
    stringColumns: new Set(init2.stringColumns),
    allowMissing: init2.allowMissing,
    dense: init2.dense,
    ...init2.features ? { features: init2.features } : {},
    keepText: init2.keepText,
    range: { start: job.start, end: job.end, columns: init2.columns, firstLine: job.firstLine, firstRow: 0 },
    ...job.textTargets ? { textTargets: job.textTargets } : {}
  });
}
function tableBuffers(table, strings) {
  const out = /* @__PURE__ */ new Set();
  for (const p of Object.values(strings ?? {})) out.add(p.codes.buffer);
  const add = (a) => {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  add(table.dense);
  for (const c of Object.values(table.columns)) if (c.kind === "number") add(c.values);
  for (const t of table.targets) if (t.kind === "number") add(t.values);
  return [...out];
}

// packages/sdk/src/data/table-read-worker.ts
var init = workerData?.mlshipTableRead;
if (parentPort && init) {
  const port = parentPort;
  port.on("message", (job) => {
    readTableRun(init, job).then(
      (table) => {
        const strings = packStrings(table);
        port.postMessage({ done: { index: job.index, table, ...strings ? { strings } : {} } }, tableBuffers(table, strings));
      },
      (err) => port.postMessage(workerFailure(job.index, err))
    );
  });
  port.postMessage({ ready: true });
}
