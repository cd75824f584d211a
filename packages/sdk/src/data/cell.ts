/**
 * Reading one CSV cell as a number, straight from the bytes.
 *
 * Missing: a cell is missing when it is empty or one of pandas' default `na_values` (read_csv's list:
 * '', 'NaN', 'nan', '-NaN', '-nan', 'NA', 'N/A', 'n/a', 'NULL', 'null', '<NA>', '#N/A', '#N/A N/A',
 * '#NA', '-1.#IND', '-1.#QNAN', '1.#IND', '1.#QNAN', 'None'), so a file reads the way our Python users'
 * pandas reads it.
 *
 * Surrounding spaces and tabs: pandas' C parser reads a padded decimal (` 7 `, `"\t1e3 "`) as the
 * number, but a padded special (` inf `, ` NA `) or a blank cell (`  `) as text — so here too.
 *
 * Numbers: the decimal grammar `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, plus
 * `inf`, `-inf`, `Infinity` (any case). The value is the float64 nearest to the decimal, as JavaScript's
 * Number() and Python's float() give it: a fast exact path (Clinger: mantissa < 2^53 and |exponent|
 * ≤ 22, where one IEEE multiply or divide is correctly rounded), exact double-double arithmetic for
 * 16–19 significant digits (nearestDouble), and Number() on the text otherwise (longer mantissas,
 * larger exponents, and the rare value too near a rounding midpoint for nearestDouble to decide).
 */

export const NA_VALUES: ReadonlySet<string> = new Set([
  '', 'NaN', 'nan', '-NaN', '-nan', 'NA', 'N/A', 'n/a', 'NULL', 'null', '<NA>', '#N/A', '#N/A N/A',
  '#NA', '-1.#IND', '-1.#QNAN', '1.#IND', '1.#QNAN', 'None',
]);

/** Result of parseCell when the text is neither a number nor missing. */
export const NOT_A_NUMBER = Symbol('not-a-number');
/** Result of parseCell for a missing cell (see NA_VALUES). */
export const MISSING = Symbol('missing');

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 2 ** 53;

const isPad = (c: number | undefined) => c === 32 /* space */ || c === 9 /* tab */;

/** What parseCellInto found: a number (in `cellValue[0]`), a missing cell, or text that is neither. */
export const CELL_NUMBER = 0;
export const CELL_MISSING = 1;
export const CELL_NOT_A_NUMBER = 2;
/** parseCellInto's number: a typed-array slot, so that a hot loop gets a float64 without a boxed number per cell. */
export const cellValue = new Float64Array(1);

/** Parses bytes [start, end) of `buf` as a number, or says it is missing or not a number. */
export function parseCell(buf: Uint8Array, start: number, end: number): number | typeof MISSING | typeof NOT_A_NUMBER {
  const kind = parseCellInto(buf, start, end);
  return kind === CELL_NUMBER ? cellValue[0]! : kind === CELL_MISSING ? MISSING : NOT_A_NUMBER;
}

/**
 * parseCell without allocating: returns CELL_NUMBER (the value is then in `cellValue[0]`), CELL_MISSING
 * or CELL_NOT_A_NUMBER. Same rules as parseCell (which is this, wrapped).
 */
export function parseCellInto(buf: Uint8Array, start: number, end: number): number {
  if (start === end) return CELL_MISSING;
  if (isPad(buf[start]) || isPad(buf[end - 1])) return parsePadded(buf, start, end);
  return parseBare(buf, start, end);
}

/** A cell with spaces or tabs around it: a decimal number only (see the module comment). */
function parsePadded(buf: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && isPad(buf[s])) s++;
  while (e > s && isPad(buf[e - 1])) e--;
  if (s === e) return CELL_NOT_A_NUMBER;
  const c = buf[s] === 45 || buf[s] === 43 ? buf[s + 1] : buf[s]; // after the sign: a digit or the decimal point
  if (c === undefined || !((c >= 48 && c <= 57) || c === 46)) return CELL_NOT_A_NUMBER;
  const kind = parseBare(buf, s, e);
  return kind === CELL_MISSING ? CELL_NOT_A_NUMBER : kind;
}

function parseBare(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = buf[i]!;
  let negative = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    i++;
    if (i === end) return CELL_NOT_A_NUMBER;
    c = buf[i]!;
  }
  // Fast path: digits, optional fraction, optional exponent.
  let mantissa = 0;
  let digits = 0; // significant digits accumulated into mantissa
  let dropped = 0; // integer digits that did not fit (scale up by 10 each)
  let head = 0; // the first 15 significant digits (exact: < 10^15)
  let tail = 0; // significant digits 16 to 19 (exact: < 10^4); mantissa = head × 10^(digits − 15) + tail
  let fracDigits = 0;
  let sawDigit = false;
  let exact = true;
  while (i < end && (c = buf[i]!) >= 48 && c <= 57) {
    sawDigit = true;
    if (mantissa === 0 && c === 48) { i++; continue; }
    if (digits < 19) {
      mantissa = mantissa * 10 + (c - 48);
      if (digits < 15) head = head * 10 + (c - 48); else tail = tail * 10 + (c - 48);
      digits++;
    } else { dropped++; exact = false; }
    i++;
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    while (i < end && (c = buf[i]!) >= 48 && c <= 57) {
      sawDigit = true;
      if (mantissa === 0 && c === 48) { fracDigits++; i++; continue; }
      if (digits < 19) {
        mantissa = mantissa * 10 + (c - 48);
        if (digits < 15) head = head * 10 + (c - 48); else tail = tail * 10 + (c - 48);
        digits++;
        fracDigits++;
      } else { exact = false; }
      i++;
    }
  }
  if (!sawDigit) return parseSpecial(buf, start, end);
  let exp = 0;
  if (i < end && (buf[i] === 101 || buf[i] === 69) /* e E */) {
    i++;
    let expNeg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) { expNeg = buf[i] === 45; i++; }
    let expDigits = 0;
    while (i < end && (c = buf[i]!) >= 48 && c <= 57) {
      if (exp < 100000) exp = exp * 10 + (c - 48);
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
    const v = e10 >= 0 ? mantissa * POW10[e10]! : mantissa / POW10[-e10]!;
    cellValue[0] = negative ? -v : v;
    return CELL_NUMBER;
  }
  if (exact && e10 >= -22 && e10 <= 22) {
    // 16–19 digits (pandas writes float64 with up to 17): exact double-double arithmetic, or NaN
    // when the value lies too near a rounding midpoint to decide — then Number() below.
    const v = nearestDouble(head, tail, digits - 15, e10);
    if (!Number.isNaN(v)) {
      cellValue[0] = negative ? -v : v;
      return CELL_NUMBER;
    }
  }
  // Validated decimal text: Number() rounds it correctly.
  cellValue[0] = Number(latin1(buf, start, end));
  return CELL_NUMBER;
}

/** Veltkamp's splitting constant 2^27 + 1: a double's high and low 26-bit halves, for exact products. */
const SPLIT = 134217729;
/** Relative nudge of the rounding test in nearestDouble: far above the double-double error (~2^-104). */
const NUDGE = 2 ** -40;

/**
 * The double nearest to (head × 10^tailDigits + tail) × 10^e10 — head < 10^15, tail < 10^tailDigits,
 * 1 ≤ tailDigits ≤ 4, |e10| ≤ 22 (10^|e10| is then exact) — or NaN when it cannot tell.
 *
 * The mantissa M < 10^19 is held exactly as a sum of two doubles (Dekker's exact product by splitting,
 * Knuth's exact sum), multiplied or divided by 10^|e10| in double-double arithmetic, which leaves the
 * quotient Q = x + t + δ with x = fl(Q's estimate), t the estimate's exact remainder and |δ| ≲ 2^-104 |Q|.
 * x is Q correctly rounded unless x + t lies within |δ| of a midpoint between doubles; x + t·(1 ± 2^-40)
 * both rounding to x rules that out (2^-40 |t| ≫ |δ| whenever |t| is near half an ulp), else NaN.
 */
function nearestDouble(head: number, tail: number, tailDigits: number, e10: number): number {
  // M = head × 10^tailDigits + tail = mh + ml exactly.
  const P = POW10[tailDigits]!;
  let p = head * P;
  let c = SPLIT * head;
  const ah = c - (c - head);
  const al = head - ah;
  c = SPLIT * P;
  const bh = c - (c - P);
  const bl = P - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  let s = p + tail;
  let z = s - p;
  const se = (p - (s - z)) + (tail - z);
  // pe and se are integers below 2^12: their sum is exact; renormalize (Knuth's two-sum).
  p = s;
  const lo = pe + se;
  s = p + lo;
  z = s - p;
  const mh = s;
  const ml = (p - (s - z)) + (lo - z);
  const D = POW10[e10 < 0 ? -e10 : e10]!;
  let x: number;
  let t: number;
  if (e10 < 0) {
    // Q = M / D: q1 = mh / D, then the remainder mh − q1·D (exact product again) + ml, divided.
    const q1 = mh / D;
    c = SPLIT * q1;
    const qh = c - (c - q1);
    const ql = q1 - qh;
    c = SPLIT * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const prod = q1 * D;
    const perr = ((qh * dh - prod) + qh * dl + ql * dh) + ql * dl;
    const q2 = (((mh - prod) - perr) + ml) / D;
    x = q1 + q2;
    t = q2 - (x - q1);
  } else {
    // Q = M × D: the exact product of mh and D, plus ml × D (a small term).
    const prod = mh * D;
    c = SPLIT * mh;
    const hh = c - (c - mh);
    const hl = mh - hh;
    c = SPLIT * D;
    const dh = c - (c - D);
    const dl = D - dh;
    const q2 = (((hh * dh - prod) + hh * dl + hl * dh) + hl * dl) + ml * D;
    x = prod + q2;
    t = q2 - (x - prod);
  }
  return x + t * (1 + NUDGE) === x && x + t * (1 - NUDGE) === x ? x : NaN;
}

/**
 * The readers' fast lane (data/csv.ts CsvVisitor.numberField): scans a plain decimal
 * `[+-]? digits [. digits?]` of at most 19 significant digits and 22 after the point from `buf[start]`,
 * stopping at the first other byte (which must lie inside `buf`: the caller ends the last field with a
 * sentinel), and returns that byte's index with the value in `cellValue[0]` — or −1 when the text
 * there is not such a decimal (no digit, too many digits, an exponent…) or lies too near a rounding
 * midpoint (nearestDouble): the caller then takes the general path, parseCellInto. The caller checks
 * that the stop byte ends the field.
 *
 * The value is parseCell's for the same text: up to 15 significant digits, parseBare's exact path (one
 * correctly rounded division by 10^k, k ≤ 22); 16 to 19 (pandas writes float64 with up to 17),
 * nearestDouble, as parseBare does.
 */
export function scanPlainDecimal(buf: Uint8Array, start: number): number {
  // No bound checks: the caller guarantees a byte that is neither a digit nor '.' ends the field
  // inside `buf` (csv.ts: every row ends in a line feed, the last one of the file in a sentinel).
  let i = start;
  let c = buf[i]!;
  let negative = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    c = buf[++i]!;
  }
  let mantissa = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = buf[++i]!;
  }
  let frac = 0;
  if (c === 46 /* . */) {
    c = buf[++i]!;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      frac++;
      c = buf[++i]!;
    }
  }
  if (digits + frac === 0 || c === 101 || c === 69 /* e E: the general path */) return -1;
  // More than 15 digits (leading zeros counted): exact here only up to 15; count the significant ones.
  if (digits + frac > 15) return scanLongDecimal(buf, start, i, negative);
  const v = frac === 0 ? mantissa : mantissa / POW10[frac]!;
  cellValue[0] = negative ? -v : v;
  return i;
}

/** scanPlainDecimal's text of more than 15 digits, bytes [start, end): its significant digits read again, for nearestDouble. */
function scanLongDecimal(buf: Uint8Array, start: number, end: number, negative: boolean): number {
  let head = 0; // the first 15 significant digits
  let tail = 0; // significant digits 16 to 19
  let sig = 0;
  let frac = 0;
  let afterPoint = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 46) { afterPoint = true; continue; }
    if (c < 48 || c > 57) continue; // the sign
    if (afterPoint) frac++;
    if (sig === 0 && c === 48) continue;
    if (sig < 15) head = head * 10 + (c - 48);
    else if (sig < 19) tail = tail * 10 + (c - 48);
    else return -1;
    sig++;
  }
  if (frac > 22) return -1;
  const v = sig <= 15 ? head / POW10[frac]! : nearestDouble(head, tail, sig - 15, -frac);
  if (Number.isNaN(v)) return -1;
  cellValue[0] = negative ? -v : v;
  return end;
}

function parseSpecial(buf: Uint8Array, start: number, end: number): number {
  if (end - start > 12) return CELL_NOT_A_NUMBER;
  const text = latin1(buf, start, end);
  if (NA_VALUES.has(text)) return CELL_MISSING;
  switch (text.toLowerCase()) {
    case 'inf': case '+inf': case 'infinity': case '+infinity': cellValue[0] = Infinity; return CELL_NUMBER;
    case '-inf': case '-infinity': cellValue[0] = -Infinity; return CELL_NUMBER;
    default: return CELL_NOT_A_NUMBER;
  }
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  // A Buffer (csv.ts reads into one) makes the string natively: the slow path of every 16–17 digit
  // number (pandas writes float64 that way) is then Number() on it, not a string built byte by byte.
  if (buf instanceof Buffer) return buf.toString('latin1', start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/**
 * The cell is written as an integer: an optional sign and digits only (`7`, `-12`; not `7.0`, `1e3` or
 * ` 7`). A column of such cells and no missing one is what pandas reads with an int dtype.
 */
export function isIntSyntax(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (bytes[i] === 45 || bytes[i] === 43) i++;
  if (i === end) return false;
  for (; i < end; i++) { const c = bytes[i]!; if (c < 48 || c > 57) return false; }
  return true;
}

/**
 * Why the number `v` cannot go to a model input, or undefined when it can: ±inf, and for a float32 input
 * a finite double beyond float32's range (infinite once rounded). Refused as /predict refuses them and
 * scikit-learn's check_array does ("Input X contains infinity"), though pandas and JSON.parse read them.
 * The clause follows the cell as the message shows it ("…: 1e39, which is …").
 */
export function unfitForModel(v: number, float32: boolean): string | undefined {
  if (Number.isFinite(float32 ? Math.fround(v) : v)) return undefined;
  return `which is ${Number.isFinite(v) ? 'infinite in float32 (|x| > 3.4028235e38), the model\'s input type' : 'not finite'}; models get finite numbers (as /predict and scikit-learn's predict require). Fix or drop the row.`;
}
