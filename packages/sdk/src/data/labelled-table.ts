import { InputError, opt } from '../errors.ts';
import { excerpt } from '../util/excerpt.ts';
import type { Logger } from '../log.ts';
import { MISSING, NOT_A_NUMBER, parseCell } from './cell.ts';
import { readCsv, type CsvVisitor } from './csv.ts';

/**
 * A labelled numeric table as models consume it: features = every column but the target, in file
 * order, as a row-major float32 [rows, features] matrix; the target as float64.
 */
export interface LabelledTable {
  path: string;
  /** Feature column names, in file order. */
  featureNames: string[];
  targetName: string;
  rows: number;
  /** Row-major float32 [rows × featureNames.length]. */
  features: Float32Array;
  target: Float64Array;
}

export interface ReadLabelledTableOptions {
  /** Target column name (default `target`). */
  target?: string;
  logger?: Logger;
}

/**
 * Reads a labelled CSV. Every feature and target cell must be a finite number: a missing or
 * non-numeric cell is an InputError naming the file, line and column (models cannot be scored on
 * rows we would have to drop or impute silently).
 */
export async function readLabelledTable(path: string, options: ReadLabelledTableOptions = {}): Promise<LabelledTable> {
  const targetName = options.target ?? 'target';
  let featureNames: string[] = [];
  let targetIndex = -1;
  let nf = 0;
  // Feature column index → position in the row (−1 for the target).
  let slot: Int32Array = new Int32Array(0);
  let features = new Float32Array(0);
  let target = new Float64Array(0);
  let capacity = 0;
  let names: string[] = [];

  const grow = (rows: number) => {
    const cap = Math.max(1024, capacity * 2, rows);
    const f = new Float32Array(cap * nf);
    f.set(features);
    features = f;
    const t = new Float64Array(cap);
    t.set(target);
    target = t;
    capacity = cap;
  };

  const visitor: CsvVisitor = {
    header(columns) {
      names = columns;
      targetIndex = columns.indexOf(targetName);
      if (targetIndex === -1) {
        throw new InputError(`${path}: no target column ${excerpt(targetName)}; the columns are ${preview(columns)}. Name the label column with ${opt('target')}.`);
      }
      featureNames = columns.filter((_, i) => i !== targetIndex);
      nf = featureNames.length;
      if (nf === 0) throw new InputError(`${path}: only the target column "${targetName}" is present; a model needs at least one feature column.`);
      slot = new Int32Array(columns.length);
      let k = 0;
      columns.forEach((_, i) => { slot[i] = i === targetIndex ? -1 : k++; });
      visitor.numberColumns = new Uint8Array(columns.length).fill(1);
    },
    // A plain decimal (≤ 15 digits): finite, in float32 too.
    numberField(column, v, row) {
      if (row >= capacity) grow(row + 1);
      const s = slot[column]!;
      if (s === -1) target[row] = v;
      else features[row * nf + s] = v;
    },
    field(column, bytes, start, end, row, line) {
      if (row >= capacity) grow(row + 1);
      const v = parseCell(bytes, start, end);
      const s = slot[column]!;
      // Features are float32 (the model's input type): 1e39 is as infinite there as `inf` is.
      if (typeof v !== 'number' || !Number.isFinite(s === -1 ? v : Math.fround(v))) {
        const text = new TextDecoder().decode(bytes.subarray(start, end));
        const what = v === MISSING ? `a missing value (${text === '' ? 'empty cell' : excerpt(text, 40)})`
          : v === NOT_A_NUMBER ? `${excerpt(text, 40)}, which is not a number`
            : Number.isFinite(v) ? `${excerpt(text, 40)}, which overflows float32 (|x| > 3.4028235e38), the model's input type` : `${excerpt(text, 40)}, which is not finite`;
        throw new InputError(`${path}: line ${line}, column ${excerpt(names[column]!)}: ${what}. Evaluation needs a finite number in every feature and target cell; fix or drop the row before evaluating.`);
      }
      if (s === -1) target[row] = v;
      else features[row * nf + s] = v;
    },
  };
  const result = await readCsv(path, visitor, { logger: options.logger, progressLabel: `reading ${path}` });

  return {
    path,
    featureNames,
    targetName,
    rows: result.rows,
    features: features.subarray(0, result.rows * nf),
    target: target.subarray(0, result.rows),
  };
}

function preview(columns: string[]): string {
  const shown = columns.slice(0, 8).map((c) => excerpt(c, 40)).join(', ');
  return columns.length > 8 ? `${shown}, … (${columns.length} in all)` : shown;
}

