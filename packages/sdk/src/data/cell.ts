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
 * ≤ 22, where one IEEE multiply or divide is correctly rounded) and Number() on the text otherwise.
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
  let fracDigits = 0;
  let sawDigit = false;
  let exact = true;
  while (i < end && (c = buf[i]!) >= 48 && c <= 57) {
    sawDigit = true;
    if (mantissa === 0 && c === 48) { i++; continue; }
    if (digits < 19) { mantissa = mantissa * 10 + (c - 48); digits++; } else { dropped++; exact = false; }
    i++;
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    while (i < end && (c = buf[i]!) >= 48 && c <= 57) {
      sawDigit = true;
      if (mantissa === 0 && c === 48) { fracDigits++; i++; continue; }
      if (digits < 19) { mantissa = mantissa * 10 + (c - 48); digits++; fracDigits++; } else { exact = false; }
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
  // Validated decimal text: Number() rounds it correctly.
  cellValue[0] = Number(latin1(buf, start, end));
  return CELL_NUMBER;
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
