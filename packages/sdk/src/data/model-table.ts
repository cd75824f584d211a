import { InputError, opt } from '../errors.ts';
import type { Logger } from '../log.ts';
import { MISSING, parseCell } from './cell.ts';
import { readCsv } from './csv.ts';

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
}

export interface ReadModelTableOptions {
  /** Target column names, in order (none for unlabelled data). */
  targets: string[];
  /** Feature columns read as strings (they feed string inputs); every other feature is a number. */
  stringColumns?: ReadonlySet<string>;
  /** Whether a missing numeric cell is allowed (becomes NaN, counted in `missing`); else an InputError naming it. */
  allowMissing?: boolean;
  logger?: Logger;
}

const utf8 = new TextDecoder('utf-8');

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
  let targetText: string[][] = [];
  let targetNumbers: Float64Array[] = [];
  let targetIsNumber: boolean[] = [];
  const missing: Record<string, MissingCells> = {};
  let capacity = 0;

  const grow = (rows: number) => {
    const cap = Math.max(1024, capacity * 2, rows);
    numbers = numbers.map((a, i) => { if (kinds[i] === 'string') return a; const b = new Float64Array(cap); b.set(a); return b; });
    targetNumbers = targetNumbers.map((a) => { const b = new Float64Array(cap); b.set(a); return b; });
    capacity = cap;
  };

  const result = await readCsv(path, {
    header(columns) {
      names = columns;
      checkTargetColumns(path, columns, options.targets);
      featureNames = columns.filter((c) => !options.targets.includes(c));
      if (featureNames.length === 0) throw new InputError(`${path}: only the target column(s) ${options.targets.map((t) => `"${t}"`).join(', ')} are present; a model needs at least one feature column.`);
      role = new Int32Array(columns.length);
      let k = 0;
      columns.forEach((c, i) => { const t = options.targets.indexOf(c); role[i] = t >= 0 ? -(1 + t) : k++; });
      kinds = featureNames.map((c) => (stringColumns.has(c) ? 'string' : 'number'));
      numbers = kinds.map(() => new Float64Array(0));
      strings = kinds.map(() => []);
      targetText = options.targets.map(() => []);
      targetNumbers = options.targets.map(() => new Float64Array(0));
      targetIsNumber = options.targets.map(() => true);
    },
    field(column, bytes, start, end, row, line) {
      if (row >= capacity) grow(row + 1);
      const r = role[column]!;
      if (r < 0) {
        const t = -1 - r;
        const text = utf8.decode(bytes.subarray(start, end));
        targetText[t]![row] = text;
        const v = parseCell(bytes, start, end);
        if (v === MISSING) throw new InputError(`${path}: line ${line}, target column "${names[column]}": a missing value (${text === '' ? 'empty cell' : `"${text}"`}). Every row needs its label; drop the row.`);
        if (typeof v === 'number' && Number.isFinite(v)) targetNumbers[t]![row] = v;
        else targetIsNumber[t] = false;
        return;
      }
      if (kinds[r] === 'string') {
        strings[r]![row] = utf8.decode(bytes.subarray(start, end));
        return;
      }
      const v = parseCell(bytes, start, end);
      if (typeof v === 'number' && !Number.isNaN(v)) { numbers[r]![row] = v; return; }
      const text = utf8.decode(bytes.subarray(start, end));
      if (v === MISSING) {
        if (!options.allowMissing) {
          throw new InputError(`${path}: line ${line}, column "${names[column]}": a missing value (${text === '' ? 'empty cell' : `"${text}"`}). Pass ${opt('allow-missing')} if the model handles missing values (XGBoost, LightGBM and HistGradientBoosting read NaN), or fill or drop the row.`);
        }
        numbers[r]![row] = NaN;
        const m = missing[names[column]!] ??= { count: 0, firstLine: line };
        m.count++;
        return;
      }
      throw new InputError(`${path}: line ${line}, column "${names[column]}": "${truncate(text)}", which is not a number, but the model's input takes numbers from this column. If it is a categorical column, the model needs a string input for it (export with StringTensorType, one input per column); else fix or drop the row.`);
    },
  }, { logger: options.logger, progressLabel: `reading ${path}` });

  const rows = result.rows;
  const columns: Record<string, TableColumn> = {};
  featureNames.forEach((c, i) => {
    columns[c] = kinds[i] === 'string' ? { kind: 'string', values: strings[i]!.slice(0, rows) } : { kind: 'number', values: numbers[i]!.subarray(0, rows) };
  });
  const targets: TargetColumn[] = options.targets.map((name, t) => (targetIsNumber[t]
    ? { name, kind: 'number', values: targetNumbers[t]!.subarray(0, rows) }
    : { name, kind: 'string', values: targetText[t]!.slice(0, rows) }));
  return { path, featureNames, columns, missing, targets, rows };
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
