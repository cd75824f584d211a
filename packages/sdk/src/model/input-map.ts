import { readFile } from 'node:fs/promises';
import { InputError, opt } from '../errors.ts';
import type { ModelTable } from '../data/model-table.ts';
import { allocInput, inputWidth, isFeedType, FEEDABLE_TYPES, type FeedType, type InputBatch, type InputData } from './feeds.ts';
import { describeTensor, type TensorSpec } from './signature.ts';

/** Which data columns feed one model input, in the order they fill its row. */
export interface InputBinding {
  name: string;
  type: FeedType;
  columns: string[];
}

/** `{"<input name>": ["col", …]}`: how columns group into inputs where the default rule cannot tell (an input-map file). */
export type InputMap = Record<string, string[]>;

export interface BindColumnsOptions {
  inputMap?: InputMap;
  /** For messages: the model and the data. */
  modelPath: string;
  dataPath: string;
}

/** skl2onnx and torch make input names from column names by replacing what is not a letter, digit or `_`. */
function sanitized(name: string): string {
  return name.replace(/[^\p{L}\p{N}_]/gu, '_');
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 6).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 6 ? `${shown}, … (${names.length})` : shown;
}

/**
 * Maps data columns (the feature columns, in file order) to the model's inputs. The rule, in order:
 *  1. `inputMap` (an input-map file) binds the inputs it names to the columns it lists;
 *  2. an input named like a remaining column (exactly, or once both are sanitised to letters, digits
 *     and `_`) that takes one value per row takes that column (skl2onnx's one input per column);
 *  3. a per-column input (one value per row) of a model with several inputs that no column names is an
 *     error naming the inputs without a column and the columns matched to no input: such an input is
 *     never fed by position (a renamed or reordered CSV would feed `income` into `age` silently);
 *  4. the other inputs, in the model's order, take as many consecutive remaining columns (in file order)
 *     as their shape says: `[N, k]` takes k; an input whose width is dynamic takes all that remain when
 *     it is the last one — the positional rule of a single `[N, K]` tensor input (its name, like
 *     `float_input`, matches no column by design) and of multi-column inputs `[N, k]`;
 *  5. every column must end up in exactly one input.
 * A single float `[N, F]` input (the classic export) thus takes every feature column in order. Any
 * other outcome is an InputError naming the input, the columns and the fix (an input-map). The one
 * rule of evaluate, serialize (the package's input map, which /predict and mlship predict follow) and
 * the server.
 */
export function bindColumns(inputs: readonly TensorSpec[], columns: readonly string[], options: BindColumnsOptions): InputBinding[] {
  const { modelPath, dataPath } = options;
  for (const i of inputs) {
    if (!i.isTensor || !isFeedType(i.type)) {
      throw new InputError(`${modelPath}: input ${describeTensor(i)} has a type mlship cannot feed; inputs must be tensors of ${FEEDABLE_TYPES.join(', ')}.`);
    }
  }
  const only = inputs.length === 1 && !options.inputMap ? inputs[0]! : undefined;
  const onlyWidth = only ? inputWidth(only) : null;
  if (only && onlyWidth !== null && onlyWidth !== columns.length && !(onlyWidth === 1 && columns.includes(only.name))) {
    throw new InputError(`${dataPath} has ${columns.length} feature columns (${list(columns)}) but ${modelPath} takes ${onlyWidth} (input ${describeTensor(only)}). Check ${opt('target')} names the label column and that the CSV has the training features in training order.`);
  }
  const remaining = [...columns];
  const take = (cols: string[]) => { for (const c of cols) remaining.splice(remaining.indexOf(c), 1); };
  const bound = new Map<string, string[]>();
  for (const [name, cols] of Object.entries(options.inputMap ?? {})) {
    const spec = inputs.find((i) => i.name === name);
    if (!spec) throw new InputError(`${opt('input-map')} names input "${name}", but ${modelPath} has inputs ${list(inputs.map((i) => i.name))}.`);
    if (!Array.isArray(cols) || cols.length === 0 || !cols.every((c) => typeof c === 'string')) throw new InputError(`${opt('input-map')}: input "${name}" must map to a non-empty list of column names.`);
    for (const c of cols) {
      if (!columns.includes(c)) throw new InputError(`${opt('input-map')} maps column "${c}" to input "${name}", but ${dataPath} has no such feature column (columns: ${list(columns)}).`);
      if (!remaining.includes(c)) throw new InputError(`${opt('input-map')} maps column "${c}" to more than one input; each column feeds one input.`);
    }
    const w = inputWidth(spec);
    if (w !== null && w !== cols.length) throw new InputError(`${opt('input-map')} maps ${cols.length} column(s) to input ${describeTensor(spec)}, which takes ${w} per row.`);
    take(cols);
    bound.set(name, [...cols]);
  }
  for (const spec of inputs) {
    if (bound.has(spec.name) || !(inputWidth(spec) === 1 || (inputWidth(spec) === null && inputs.length > 1))) continue;
    const c = remaining.find((col) => col === spec.name) ?? remaining.find((col) => sanitized(col) === sanitized(spec.name));
    if (c !== undefined) { take([c]); bound.set(spec.name, [c]); }
  }
  const open = inputs.filter((i) => !bound.has(i.name));
  const unnamed = inputs.length > 1 ? open.filter((i) => inputWidth(i) === 1) : [];
  if (unnamed.length) {
    const example = `{${unnamed.slice(0, 2).map((i) => `"${i.name}": ["<its column>"]`).join(', ')}}`;
    throw new InputError(`${modelPath} takes one input per column, named like the training columns, but ${dataPath} has no column for input(s) ${list(unnamed.map((i) => i.name))}${remaining.length ? `; column(s) ${list(remaining)} match no input` : ''}. mlship does not feed a named input by position. Rename the columns to the model's input names, or map them with ${opt('input-map')} (a JSON file ${example}).`);
  }
  open.forEach((spec, n) => {
    const w = inputWidth(spec);
    const last = n === open.length - 1;
    const k = w ?? (last ? remaining.length : undefined);
    if (k === undefined) throw new InputError(`${modelPath}: input ${describeTensor(spec)} takes a dynamic number of values per row and is not the last input, so mlship cannot tell which columns feed it; map them with ${opt('input-map')} (a JSON file {"${spec.name}": ["col", …]}).`);
    if (remaining.length < k || k === 0) {
      throw new InputError(`${dataPath} has ${columns.length} feature column(s) (${list(columns)}) but ${modelPath} takes ${describeInputs(inputs)}; ${remaining.length} column(s) are left for input "${spec.name}", which takes ${k || 'at least 1'}. Check ${opt('target')} names the label column(s) and that the CSV has the training features in training order, or map columns with ${opt('input-map')}.`);
    }
    bound.set(spec.name, remaining.splice(0, k));
  });
  if (remaining.length) {
    throw new InputError(`${dataPath} has ${columns.length} feature columns but ${modelPath} takes ${describeInputs(inputs)}: column(s) ${list(remaining)} feed no input. Check ${opt('target')} names the label column(s), drop the extra columns, or map them with ${opt('input-map')}.`);
  }
  return inputs.map((spec) => ({ name: spec.name, type: spec.type as FeedType, columns: bound.get(spec.name)! }));
}

function describeInputs(inputs: readonly TensorSpec[]): string {
  return inputs.length === 1 ? `input ${describeTensor(inputs[0]!)}` : `${inputs.length} inputs (${inputs.map(describeTensor).join('; ')})`;
}

/** The columns that feed string inputs (read them as strings). */
export function stringColumnsOf(bindings: readonly InputBinding[]): Set<string> {
  return new Set(bindings.filter((b) => b.type === 'string').flatMap((b) => b.columns));
}

/** True when the bindings are the classic single float32 input fed by every column in file order (a dense table fits). */
export function isDenseBinding(bindings: readonly InputBinding[], columns: readonly string[]): boolean {
  return bindings.length === 1 && bindings[0]!.type === 'float32' && bindings[0]!.columns.length === columns.length && bindings[0]!.columns.every((c, i) => c === columns[i]);
}

/**
 * Rows [start, start + rows) of a table as the model's inputs: each input's columns interleaved
 * row-major in its element type (float32 rounds the float64 cell to nearest; NaN stays NaN where
 * missing cells were allowed; integer and bool inputs need integer cells).
 */
export function tableBatch(table: ModelTable, bindings: readonly InputBinding[], start = 0, rows = table.rows - start): InputBatch {
  if (table.dense) {
    // Read as one float32 matrix (readModelTable dense): only the classic input of every column in order.
    const F = table.featureNames.length;
    if (!isDenseBinding(bindings, table.featureNames)) throw new Error('a dense table feeds only one float32 input of every column in order');
    return { rows, data: { [bindings[0]!.name]: table.dense.subarray(start * F, (start + rows) * F) } };
  }
  const data: Record<string, InputData> = {};
  for (const b of bindings) {
    const w = b.columns.length;
    const out = allocInput(b.type, rows * w);
    b.columns.forEach((name, j) => {
      const col = table.columns[name]!;
      if (b.type === 'string') {
        if (col.kind !== 'string') throw new Error(`column ${name} was not read as strings`);
        const s = out as string[];
        for (let r = 0; r < rows; r++) s[r * w + j] = col.values[start + r]!;
        return;
      }
      if (col.kind !== 'number') throw new Error(`column ${name} was not read as numbers`);
      const v = col.values;
      if (b.type === 'float32' || b.type === 'float64') {
        const f = out as Float32Array | Float64Array;
        for (let r = 0; r < rows; r++) f[r * w + j] = v[start + r]!;
        return;
      }
      for (let r = 0; r < rows; r++) {
        const x = v[start + r]!;
        if (!Number.isInteger(x)) throw new InputError(`${table.path}: data row ${start + r + 1}, column "${name}": ${Number.isNaN(x) ? 'a missing value' : x}, but input "${b.name}" is ${b.type} and takes whole numbers; fix the column or export the model with a float input.`);
        if (b.type === 'int64') (out as BigInt64Array)[r * w + j] = BigInt(x);
        else if (b.type === 'bool') (out as Uint8Array)[r * w + j] = x !== 0 ? 1 : 0;
        else (out as Int32Array)[r * w + j] = x;
      }
    });
    data[b.name] = out;
  }
  return { rows, data };
}

/** Parses an input-map JSON text `{"<input>": ["col", …]}`; the error names `source`. */
export function parseInputMap(text: string, source: string): InputMap {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source} (${opt('input-map')}) is not valid JSON: ${(err as Error).message}.`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((c) => Array.isArray(c) && c.every((x) => typeof x === 'string'))) {
    throw new InputError(`${source} (${opt('input-map')}) must be a JSON object {"<input name>": ["column", …]}.`);
  }
  return v as InputMap;
}

/** Reads an input-map file (see parseInputMap). */
export async function readInputMapFile(path: string): Promise<InputMap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read ${opt('input-map')} file ${path}: ${(err as Error).message}.`);
  }
  return parseInputMap(text, path);
}

/** One row of values in column order: numbers (null = missing), or strings for columns feeding string inputs. */
export type ColumnRow = Array<number | string | null>;

/**
 * Rows of values in `columns` order (a package's golden rows, a sample) as the model's inputs: each
 * binding takes its columns. A string for a numeric input or a number for a string input is an
 * InputError naming the row and column; null becomes NaN (missing) for float inputs only.
 */
export function rowsBatch(rows: readonly ColumnRow[], columns: readonly string[], bindings: readonly InputBinding[]): InputBatch {
  const index = new Map(columns.map((c, i) => [c, i]));
  const data: Record<string, InputData> = {};
  for (const b of bindings) {
    const w = b.columns.length;
    const out = allocInput(b.type, rows.length * w);
    b.columns.forEach((name, j) => {
      const c = index.get(name);
      if (c === undefined) throw new InputError(`input "${b.name}" takes column "${name}", which is not among the columns ${list(columns)}.`);
      rows.forEach((row, r) => {
        const v = row[c];
        const at = r * w + j;
        if (b.type === 'string') {
          if (typeof v !== 'string') throw new InputError(`row ${r}, column "${name}": ${JSON.stringify(v)} for string input "${b.name}"; expected a string.`);
          (out as string[])[at] = v;
        } else if (v === null && (b.type === 'float32' || b.type === 'float64')) {
          (out as Float32Array)[at] = NaN;
        } else if (typeof v !== 'number') {
          throw new InputError(`row ${r}, column "${name}": ${JSON.stringify(v)} for ${b.type} input "${b.name}"; expected a number.`);
        } else if (b.type === 'float32' || b.type === 'float64') (out as Float32Array)[at] = v;
        else if (b.type === 'int64') (out as BigInt64Array)[at] = BigInt(Math.trunc(v));
        else if (b.type === 'bool') (out as Uint8Array)[at] = v !== 0 ? 1 : 0;
        else (out as Int32Array)[at] = Math.trunc(v);
      });
    });
    data[b.name] = out;
  }
  return { rows: rows.length, data };
}

/** The bindings as an input map (every input with its columns): what a package records. */
export function inputMapOf(bindings: readonly InputBinding[]): InputMap {
  return Object.fromEntries(bindings.map((b) => [b.name, [...b.columns]]));
}

/** Where one column's values sit in an InputBatch: input `input` holds `width` values per row, the column's at `offset`. */
export interface ColumnSlot {
  column: string;
  input: string;
  type: FeedType;
  width: number;
  offset: number;
}

/** Each of `columns` (in that order) located in the batches the bindings make (the inverse of rowsBatch / tableBatch). */
export function columnSlots(bindings: readonly InputBinding[], columns: readonly string[]): ColumnSlot[] {
  return columns.map((column) => {
    const b = bindings.find((x) => x.columns.includes(column));
    if (!b) throw new Error(`column ${column} feeds no input`);
    return { column, input: b.name, type: b.type, width: b.columns.length, offset: b.columns.indexOf(column) };
  });
}
