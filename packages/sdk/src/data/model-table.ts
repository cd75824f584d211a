import { InputError, opt } from '../errors.ts';
import type { Logger } from '../log.ts';
import { CELL_MISSING, CELL_NUMBER, cellValue, isIntSyntax, MISSING, parseCell, parseCellInto, unfitForModel } from './cell.ts';
import { readCsv, type CsvRange, type CsvSource, type CsvVisitor } from './csv.ts';

/** One feature column: numbers (float64, NaN where missing) or strings (the cell text as read). */
export type TableColumn = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: string[] };

/** Where a column's cells were missing: how many, and the first one's CSV line (for messages). */
export interface MissingCells { count: number; firstLine: number }

/** A target column: its numbers when every cell is a finite number, else its cells as strings. */
export type TargetColumn = { name: string; kind: 'number'; values: Float64Array } | { name: string; kind: 'string'; values: string[] };

/**
 * A CSV read for a model: every feature column typed as the model's input it feeds needs it (numbers
 * or strings: data/cell.ts decides what a number and a missing cell are), and the target column(s).
 */
export interface ModelTable {
  path: string;
  /** Feature columns (every column but the targets), in file order. */
  featureNames: string[];
  columns: Record<string, TableColumn>;
  /** Missing cells per numeric feature column that has any (NaN in `values`). */
  missing: Record<string, MissingCells>;
  targets: TargetColumn[];
  rows: number;
  /**
   * With `dense: true`: every feature as one row-major float32 [rows × features] matrix (the classic
   * single float input), and `columns` empty — read straight into the tensor, no per-column copy.
   */
  dense?: Float32Array;
  /** Raw cell text of the `keepText` columns, per kept row. */
  text: Record<string, string[]>;
  /** The CSV line of each kept row (only with `onBadRow`: rows may be dropped). */
  lines?: Int32Array;
  /** With `range`: the line after the range (data/csv.ts counts lines), so the next range can be numbered. */
  nextLine?: number;
  /** With `cellFacts`: what the drift check needs of the numeric features' cells (kept rows only). */
  facts?: CellFacts;
}

/**
 * The numeric feature columns of the kept rows as the drift check reads cells (drift/columns.ts): the
 * float64 values (NaN where missing; also with `dense`), whether every number is written as an integer
 * (`7`, not `7.0`: pandas' int dtype), and the first number's line and text. The rows' lines are in `lines`.
 */
export interface CellFacts {
  numbers: Record<string, Float64Array>;
  intSyntax: Record<string, boolean>;
  firstNumber: Record<string, { line: number; text: string } | undefined>;
}

/** A row left out of the table (with `onBadRow`): its line and why. */
export interface BadRow { line: number; row: number; message: string }

export interface ReadModelTableOptions {
  /** Target column names, in order (none for unlabelled data). */
  targets: string[];
  /** Feature columns read as strings (they feed string inputs); every other feature is a number. */
  stringColumns?: ReadonlySet<string>;
  /** Whether a missing numeric cell is allowed (becomes NaN, counted in `missing`); else an InputError naming it. */
  allowMissing?: boolean;
  /** Read every feature (all numeric) into one row-major float32 matrix (`dense`) instead of columns. */
  dense?: boolean;
  /**
   * Only these columns are features (default: every column but the targets); the others are not
   * read, except `keepText`. An error names a feature the file lacks.
   */
  features?: readonly string[];
  /** Columns whose raw text is kept in `text` (ids passed through beside predictions). */
  keepText?: readonly string[];
  /**
   * Called for a row with a bad cell instead of throwing: the row is left out of the table (its
   * `message` is the InputError's). Without it the first bad cell throws.
   */
  onBadRow?: (bad: BadRow) => void;
  /** Read only these rows (data/csv.ts CsvRange). */
  range?: CsvRange;
  /**
   * Target columns read as text whatever their cells hold (the parallel reader asks for this when another
   * part of the file showed a target holds text: a column has one kind in the whole file).
   */
  textTargets?: readonly string[];
  /** Keep only the first `maxRows` data rows (the rest of the file is still scanned, not stored). */
  maxRows?: number;
  /** Also return `facts` and `lines` (a batch run's drift check of the rows it scores: batch/drift-spill.ts). */
  cellFacts?: boolean;
  /**
   * Buffers for the float32 matrix (`dense`) and the float64 feature columns, taken from (and outgrown
   * ones given back to) this array: a caller reading chunk after chunk returns each table's buffers here,
   * so they are reused rather than left to the garbage collector (off-heap memory it frees late). A
   * reused buffer holds old values past the rows read; the table's arrays cover the rows read only.
   */
  buffers?: ArrayBuffer[];
  /**
   * What the message of a missing cell (when missing values are not allowed) tells the caller to do;
   * default: pass --allow-missing (evaluate's option). A package's caller names the package's setting.
   */
  missingFix?: string;
  /** The file held open across reads of its ranges (data/csv.ts CsvSource). */
  source?: CsvSource;
  logger?: Logger;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A cell's text. Short ASCII cells (categoricals: "lyon", "01000") are built directly and interned per
 * column — TextDecoder's per-call cost dominates for millions of tiny strings; anything else is decoded.
 */
function cellText(bytes: Uint8Array, start: number, end: number, intern: Map<number, string>): string {
  const n = end - start;
  if (n > 24) return utf8.decode(bytes.subarray(start, end));
  let h = n;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
    h = (Math.imul(h, 31) + c) | 0;
  }
  const hit = intern.get(h);
  if (hit !== undefined && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) if (hit.charCodeAt(i) !== bytes[start + i]) { same = false; break; }
    if (same) return hit;
  }
  const s = String.fromCharCode(...bytes.subarray(start, end));
  if (intern.size < 65536) intern.set(h, s);
  return s;
}

/**
 * Reads a CSV (data/csv.ts) into typed columns. A numeric feature cell must be a number, or missing
 * when `allowMissing` (pandas' na_values, data/cell.ts); a string feature cell is kept as its text.
 * A target column is numbers when all its cells are finite numbers, strings otherwise (a target with
 * a missing cell is an error: a row without a label cannot be scored).
 */
export async function readModelTable(path: string, options: ReadModelTableOptions): Promise<ModelTable> {
  const stringColumns = options.stringColumns ?? new Set<string>();
  let names: string[] = [];
  let featureNames: string[] = [];
  // Per file column: feature column slot, or −(1 + target index).
  let role: Int32Array = new Int32Array(0);
  let kinds: Array<'number' | 'string'> = [];
  let numbers: Float64Array[] = [];
  let strings: string[][] = [];
  let interned: Array<Map<number, string>> = [];
  let targetText: string[][] = [];
  let targetNumbers: Float64Array[] = [];
  let targetIsNumber: boolean[] = [];
  const missing: Record<string, MissingCells> = {};
  let capacity = 0;
  // A range's row count is near its bytes / (bytes per row): start there instead of growing from 1024.
  let initialRows = 1024;
  const keepText = options.keepText ?? [];
  let textSlot: Int32Array = new Int32Array(0); // per file column: slot in `kept`, or −1
  let kept: string[][] = [];
  const facts = options.cellFacts === true;
  let lines: Int32Array | undefined = options.onBadRow || facts ? new Int32Array(0) : undefined;
  let csvRowOf: Int32Array | undefined = options.onBadRow ? new Int32Array(0) : undefined;
  let out = 0; // rows kept so far (= the CSV row index without onBadRow)
  let bad: string | undefined; // the first bad cell's message in the current row
  const fail = (message: string) => {
    if (!options.onBadRow) throw new InputError(message);
    bad ??= message;
  };
  const IGNORED = -(1 << 30);
  const dense = options.dense === true && stringColumns.size === 0;
  const maxRows = options.maxRows ?? Infinity;
  let matrix = new Float32Array(0);
  // The float64 columns: always, except for a dense read without facts.
  const keepNumbers = !dense || facts;
  // cellFacts, per feature: the first kept row with a number not written as an integer (−1: none), and the
  // first number. A bad row's slot is refilled by the next row, so a tracker pointing at the row being
  // written is replaced; one pointing at or past the last row at the end is ignored.
  let nonIntRow = new Int32Array(0);
  let firstNumber: Array<{ row: number; line: number; text: string } | undefined> = [];

  const pool = options.buffers;
  /** A buffer of at least `bytes` from the pool, else a new one. */
  const pooled = (bytes: number) => {
    const i = pool ? pool.findIndex((b) => b.byteLength >= bytes) : -1;
    return i >= 0 ? pool!.splice(i, 1)[0]! : new ArrayBuffer(bytes);
  };
  const float64 = (n: number) => new Float64Array(pooled(n * 8), 0, n);
  const float32 = (n: number) => new Float32Array(pooled(n * 4), 0, n);
  const grow = (rows: number) => {
    const cap = Math.max(initialRows, capacity * 2, rows);
    if (lines) { const b = new Int32Array(cap); b.set(lines); lines = b; }
    if (csvRowOf) { const b = new Int32Array(cap); b.set(csvRowOf); csvRowOf = b; }
    if (dense) { const m = float32(cap * featureNames.length); m.set(matrix); if (matrix.byteLength) pool?.push(matrix.buffer as ArrayBuffer); matrix = m; }
    if (keepNumbers) numbers = numbers.map((a, i) => { if (kinds[i] === 'string') return a; const b = float64(cap); b.set(a); if (a.byteLength) pool?.push(a.buffer as ArrayBuffer); return b; });
    targetNumbers = targetNumbers.map((a) => { const b = new Float64Array(cap); b.set(a); return b; });
    capacity = cap;
  };

  /** A finite number of feature slot `r` in kept row `row` (its text bytes[start, end), for cellFacts). */
  const putNumber = (r: number, row: number, v: number, line: number, bytes: Uint8Array, start: number, end: number) => {
    if (dense) matrix[row * featureNames.length + r] = v;
    if (keepNumbers) numbers[r]![row] = v;
    if (facts) {
      const ni = nonIntRow[r]!;
      if (ni === -1 || ni === row) nonIntRow[r] = isIntSyntax(bytes, start, end) ? -1 : row;
      const fn = firstNumber[r];
      if (fn === undefined || fn.row === row) firstNumber[r] = { row, line, text: utf8.decode(bytes.subarray(start, end)) };
    }
  };
  const visitor: CsvVisitor = {
    header(columns) {
      names = columns;
      checkTargetColumns(path, columns, options.targets);
      if (options.features) {
        const absent = options.features.filter((c) => !columns.includes(c));
        if (absent.length) throw new InputError(`${path}: no column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `"${c}"`).join(', ')}, which the model takes; the columns are ${preview(columns)}.`);
      }
      for (const c of keepText) if (!columns.includes(c)) throw new InputError(`${path}: no column "${c}" to keep; the columns are ${preview(columns)}.`);
      featureNames = columns.filter((c) => !options.targets.includes(c) && (!options.features || options.features.includes(c)));
      if (featureNames.length === 0) throw new InputError(`${path}: only the target column(s) ${options.targets.map((t) => `"${t}"`).join(', ')} are present; a model needs at least one feature column.`);
      role = new Int32Array(columns.length);
      let k = 0;
      columns.forEach((c, i) => { const t = options.targets.indexOf(c); role[i] = t >= 0 ? -(1 + t) : featureNames.includes(c) ? k++ : IGNORED; });
      textSlot = Int32Array.from(columns, (c) => keepText.indexOf(c));
      kept = keepText.map(() => []);
      if (options.range) initialRows = Math.max(1024, Math.ceil((options.range.end - options.range.start) / (4 * columns.length)));
      kinds = featureNames.map((c) => (stringColumns.has(c) ? 'string' : 'number'));
      numbers = kinds.map(() => new Float64Array(0));
      if (!keepNumbers) numbers = [];
      nonIntRow = new Int32Array(featureNames.length).fill(-1);
      firstNumber = featureNames.map(() => undefined);
      strings = kinds.map(() => []);
      interned = kinds.map(() => new Map());
      targetText = options.targets.map(() => []);
      targetNumbers = options.targets.map(() => new Float64Array(0));
      targetIsNumber = options.targets.map((t) => !options.textTargets?.includes(t));
      // The fast lane (numberField) for numeric features and targets whose text is not kept.
      visitor.numberColumns = Uint8Array.from(columns, (_, i) => (textSlot[i]! < 0 && (role[i]! < 0 ? role[i] !== IGNORED : kinds[role[i]!] === 'number') ? 1 : 0));
      // The plain dense read (evaluate, predict without a drift spill or skipped rows): the lane's
      // number goes straight into the matrix or the target, nothing else to record (~25% of the parse).
      if (dense && !keepNumbers && !lines && !csvRowOf && maxRows === Infinity) {
        const nf = featureNames.length;
        visitor.numberField = (column, v) => {
          const row = out;
          if (row >= capacity) grow(row + 1);
          const r = role[column]!;
          if (r < 0) targetNumbers[-1 - r]![row] = v;
          else matrix[row * nf + r] = v;
        };
      }
    },
    numberField(column, v, csvRow, line, bytes, start, end) {
      // A plain decimal of at most 19 significant digits and no exponent: finite, also in float32 (no
      // refusal to make, see field()).
      if (csvRow >= maxRows) return;
      const row = out;
      if (row >= capacity) grow(row + 1);
      if (lines) lines[row] = line;
      if (csvRowOf) csvRowOf[row] = csvRow;
      const r = role[column]!;
      if (r < 0) targetNumbers[-1 - r]![row] = v;
      else putNumber(r, row, v, line, bytes, start, end);
    },
    field(column, bytes, start, end, csvRow, line) {
      if (csvRow >= maxRows) return;
      const row = out;
      if (row >= capacity) grow(row + 1);
      if (lines) lines[row] = line;
      if (csvRowOf) csvRowOf[row] = csvRow;
      const ks = textSlot[column]!;
      if (ks >= 0) kept[ks]![row] = utf8.decode(bytes.subarray(start, end));
      const r = role[column]!;
      if (r === IGNORED) return;
      if (r < 0) {
        // Numbers here; the text is read in a second pass only when a target turns out to hold text.
        const t = -1 - r;
        const v = parseCell(bytes, start, end);
        if (v === MISSING) {
          const text = utf8.decode(bytes.subarray(start, end));
          fail(`${path}: line ${line}, target column "${names[column]}": a missing value (${text === '' ? 'empty cell' : `"${text}"`}). Every row needs its label; drop the row.`);
          return;
        }
        if (typeof v === 'number' && Number.isFinite(v)) targetNumbers[t]![row] = v;
        else targetIsNumber[t] = false;
        return;
      }
      if (kinds[r] === 'string') {
        strings[r]![row] = cellText(bytes, start, end, interned[r]!);
        return;
      }
      // parseCellInto, not parseCell: the value comes in a float64 slot, not as a boxed number per cell.
      const kind = parseCellInto(bytes, start, end);
      if (kind === CELL_NUMBER) {
        const v = cellValue[0]!;
        // inf, and in the float32 matrix 1e39 (inf there): cell.ts unfitForModel.
        const unfit = unfitForModel(v, dense);
        if (unfit) {
          fail(`${path}: line ${line}, column "${names[column]}": "${truncate(utf8.decode(bytes.subarray(start, end)))}", ${unfit}`);
          return;
        }
        putNumber(r, row, v, line, bytes, start, end);
        return;
      }
      const text = utf8.decode(bytes.subarray(start, end));
      if (kind === CELL_MISSING) {
        if (!options.allowMissing) {
          fail(`${path}: line ${line}, column "${names[column]}": a missing value (${text === '' ? 'empty cell' : `"${text}"`}). ${options.missingFix ?? `Pass ${opt('allow-missing')} if the model handles missing values (XGBoost, LightGBM and HistGradientBoosting read NaN), or fill or drop the row.`}`);
          return;
        }
        if (dense) matrix[row * featureNames.length + r] = NaN;
        if (keepNumbers) numbers[r]![row] = NaN;
        if (facts) {
          if (nonIntRow[r] === row) nonIntRow[r] = -1;
          if (firstNumber[r]?.row === row) firstNumber[r] = undefined;
        }
        const m = missing[names[column]!] ??= { count: 0, firstLine: line };
        m.count++;
        return;
      }
      fail(`${path}: line ${line}, column "${names[column]}": "${truncate(text)}", which is not a number, but the model's input takes numbers from this column. If it is a categorical column, the model needs a string input for it (export with StringTensorType, one input per column); else fix or drop the row.`);
    },
    endRow(csvRow) {
      if (csvRow >= maxRows) return;
      if (bad === undefined) { out++; return; }
      // A row with a bad cell: its missing counts stand (rare); its slot is reused by the next row.
      options.onBadRow!({ line: lines![out]!, row: csvRow, message: bad });
      bad = undefined;
    },
  };
  const result = await readCsv(path, visitor, { logger: options.logger, progressLabel: `reading ${path}`, ...(options.range ? { range: options.range } : {}), ...(options.source ? { source: options.source } : {}) });

  const rows = out;
  if (targetIsNumber.some((x) => !x)) {
    const textColumns = new Map(options.targets.map((t, i) => [names.indexOf(t), i] as const).filter(([, i]) => !targetIsNumber[i]));
    let p = 0; // kept row being filled (rows left out by onBadRow are skipped)
    await readCsv(path, {
      header() {},
      field(column, bytes, start, end, csvRow) {
        const t = textColumns.get(column);
        if (t === undefined || csvRow >= maxRows) return;
        if (csvRowOf) { while (p < rows && csvRowOf[p]! < csvRow) p++; if (p >= rows || csvRowOf[p] !== csvRow) return; }
        targetText[t]![csvRowOf ? p : csvRow] = utf8.decode(bytes.subarray(start, end));
      },
    }, { ...(options.range ? { range: options.range } : {}), ...(options.source ? { source: options.source } : {}) });
  }
  const columns: Record<string, TableColumn> = {};
  if (!dense) featureNames.forEach((c, i) => {
    columns[c] = kinds[i] === 'string' ? { kind: 'string', values: strings[i]!.slice(0, rows) } : { kind: 'number', values: numbers[i]!.subarray(0, rows) };
  });
  const targets: TargetColumn[] = options.targets.map((name, t) => (targetIsNumber[t]
    ? { name, kind: 'number', values: targetNumbers[t]!.subarray(0, rows) }
    : { name, kind: 'string', values: targetText[t]!.slice(0, rows) }));
  const text: Record<string, string[]> = {};
  keepText.forEach((c, i) => { text[c] = kept[i]!.slice(0, rows); });
  let cellFacts: CellFacts | undefined;
  if (facts) {
    cellFacts = { numbers: {}, intSyntax: {}, firstNumber: {} };
    featureNames.forEach((c, i) => {
      if (kinds[i] === 'string') return;
      cellFacts!.numbers[c] = numbers[i]!.subarray(0, rows);
      const ni = nonIntRow[i]!;
      cellFacts!.intSyntax[c] = ni === -1 || ni >= rows;
      const fn = firstNumber[i];
      cellFacts!.firstNumber[c] = fn && fn.row < rows ? { line: fn.line, text: fn.text } : undefined;
    });
  }
  return {
    ...(cellFacts ? { facts: cellFacts } : {}),
    path, featureNames, columns, missing, targets, rows, text, ...(lines ? { lines: lines.subarray(0, rows) } : {}),
    ...(dense ? { dense: matrix.subarray(0, rows * featureNames.length) } : {}), ...(options.range ? { nextLine: result.nextLine } : {}),
  };
}

/** Every target must be a column of the header; the error lists the columns. */
export function checkTargetColumns(path: string, columns: readonly string[], targets: readonly string[]): void {
  for (const t of targets) {
    if (!columns.includes(t)) throw new InputError(`${path}: no target column "${t}"; the columns are ${preview(columns)}. Name the label column with ${opt('target')}.`);
  }
}

function preview(columns: readonly string[]): string {
  const shown = columns.slice(0, 8).map((c) => `"${c}"`).join(', ');
  return columns.length > 8 ? `${shown}, … (${columns.length} in all)` : shown;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

