import { InputError, opt } from '../errors.ts';
import type { ColumnRow } from '../model/input-map.ts';
import type { Logger } from '../log.ts';
import { MISSING, NOT_A_NUMBER, parseCell } from '../data/cell.ts';
import { readCsv, readCsvHeader } from '../data/csv.ts';

/**
 * Feature names from a training CSV header: every column but the target, in file order (the
 * mlship convention for the model input). The target must be present, so a typo is caught here.
 */
export async function featureNamesFromCsv(path: string, target: string): Promise<string[]> {
  const columns = await readCsvHeader(path);
  const i = columns.indexOf(target);
  if (i === -1) {
    throw new InputError(`${path}: no target column "${target}" (columns: ${columns.slice(0, 8).map((c) => `"${c}"`).join(', ')}${columns.length > 8 ? ', …' : ''}). Name the label column with ${opt('target')}.`);
  }
  const names = columns.filter((_, k) => k !== i);
  if (names.length === 0) throw new InputError(`${path}: only the target column "${target}" is present; a model needs at least one feature column.`);
  return names;
}

export interface FeatureRows {
  path: string;
  /** Rows in featureNames order, as float64 (the CSV's values; the model sees them as float32). */
  rows: number[][];
}

/**
 * Reads the first `limit` rows of a CSV, picking the `featureNames` columns by name in that order
 * (other columns, such as the target, are ignored). Every picked cell must be a finite number; the
 * error names the file, line and column.
 */
export async function readFeatureRows(path: string, featureNames: readonly string[], limit: number, logger?: Logger): Promise<FeatureRows> {
  const rows: number[][] = [];
  let slot = new Int32Array(0);
  let names: string[] = [];
  await readCsv(path, {
    header(columns) {
      names = columns;
      slot = featureSlots(path, columns, featureNames);
    },
    field(column, bytes, start, end, row, line) {
      if (row >= limit) return;
      const k = slot[column]!;
      if (k < 0) return;
      rows[row] ??= new Array(featureNames.length);
      const v = parseCell(bytes, start, end);
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const text = new TextDecoder().decode(bytes.subarray(start, end));
        const what = v === MISSING ? 'a missing value' : v === NOT_A_NUMBER ? `"${text.slice(0, 40)}", which is not a number` : `${v}, which is not finite`;
        throw new InputError(`${path}: line ${line}, column "${names[column]}": ${what}. Golden and parity rows must be complete; use rows without missing values.`);
      }
      rows[row]![k] = v;
    },
  }, { logger, progressLabel: `reading ${path}` });
  if (rows.length === 0) throw new InputError(`${path} has no data rows; golden examples and the parity check need at least one.`);
  return { path, rows };
}

/** Row-major float32 matrix. */
export function toFloat32(rows: readonly number[][]): Float32Array {
  const nf = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * nf);
  rows.forEach((r, i) => out.set(r, i * nf));
  return out;
}

/** The raw cells of sample rows (feature columns in featureNames order), typed later by the columns' kinds. */
export interface SampleCells {
  path: string;
  /** Cell text per row, featureNames order. */
  text: string[][];
  /** CSV line of each row (for messages). */
  lines: number[];
}

/** Reads the first `limit` rows' feature cells as text, picking `featureNames` by name (other columns ignored). */
export async function readSampleCells(path: string, featureNames: readonly string[], limit: number, logger?: Logger): Promise<SampleCells> {
  const text: string[][] = [];
  const lines: number[] = [];
  let slot = new Int32Array(0);
  const decoder = new TextDecoder();
  await readCsv(path, {
    header(columns) {
      slot = featureSlots(path, columns, featureNames);
    },
    field(column, bytes, start, end, row, line) {
      if (row >= limit) return;
      const k = slot[column]!;
      if (k < 0) return;
      if (!text[row]) { text[row] = new Array(featureNames.length); lines[row] = line; }
      text[row]![k] = decoder.decode(bytes.subarray(start, end));
    },
  }, { logger, progressLabel: `reading ${path}` });
  if (text.length === 0) throw new InputError(`${path} has no data rows; golden examples and the parity check need at least one.`);
  return { path, text, lines };
}

const encoder = new TextEncoder();

function cellNumber(t: string): number | typeof MISSING | typeof NOT_A_NUMBER {
  const b = encoder.encode(t);
  return parseCell(b, 0, b.length);
}

/**
 * Which sample columns hold text, for a native model whose inputs are not known yet: a column is a
 * string column when one of its cells is not a number (data/cell.ts), or is written with a leading zero
 * ("01000": an identifier such as a zip code, which a number would lose).
 */
export function detectStringColumns(cells: SampleCells, featureNames: readonly string[]): Set<string> {
  const out = new Set<string>();
  featureNames.forEach((name, k) => {
    for (const row of cells.text) {
      const t = row[k]!;
      const v = cellNumber(t);
      if (v === NOT_A_NUMBER || (typeof v === 'number' && /^[+-]?0\d/.test(t))) { out.add(name); return; }
    }
  });
  return out;
}

/**
 * Types the sample cells: text for `stringColumns`, numbers for the rest (null where missing, when
 * `allowMissing`; else the error names the line and column).
 */
export function typeSampleRows(cells: SampleCells, featureNames: readonly string[], stringColumns: ReadonlySet<string>, allowMissing: boolean): ColumnRow[] {
  return cells.text.map((row, r) => row.map((t, k) => {
    const name = featureNames[k]!;
    if (stringColumns.has(name)) return t;
    const v = cellNumber(t);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v === MISSING && allowMissing) return null;
    const what = v === MISSING ? 'a missing value' : v === NOT_A_NUMBER ? `"${t.slice(0, 40)}", which is not a number` : `${v}, which is not finite`;
    throw new InputError(`${cells.path}: line ${cells.lines[r]}, column "${name}": ${what}, but the model takes numbers from this column. ${v === MISSING ? `Pass ${opt('allow-missing')} if the model handles missing values (XGBoost, LightGBM), or use complete rows.` : 'Use rows with numbers in it, or export the model with a string input for it.'}`);
  }));
}

/**
 * For each CSV column, the index of the feature it holds (-1: not a feature), so rows come out in the
 * model's feature order whatever the file's column order. Throws naming the missing feature columns.
 */
function featureSlots(path: string, columns: readonly string[], featureNames: readonly string[]): Int32Array<ArrayBuffer> {
  const missing = featureNames.filter((f) => !columns.includes(f));
  if (missing.length) {
    throw new InputError(`${path} lacks feature column${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).map((m) => `"${m}"`).join(', ')}${missing.length > 5 ? ', …' : ''} that the model takes; use a CSV with the training columns.`);
  }
  const slot = new Int32Array(columns.length).fill(-1);
  featureNames.forEach((f, k) => { slot[columns.indexOf(f)] = k; });
  return slot;
}
