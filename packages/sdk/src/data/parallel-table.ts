import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { readCsvHeader } from './csv.ts';
import { readModelTable, type MissingCells, type ModelTable, type ReadModelTableOptions, type TableColumn, type TargetColumn } from './model-table.ts';
import { rowChunks, shardRange, type RowRange } from './row-ranges.ts';
import { runOrderedPool } from '../util/worker-pool.ts';
import { defaultWorkerCount } from '../util/cpu-limit.ts';

/**
 * The parallel CSV reader of evaluate (and of anything that needs a whole file as a ModelTable): the
 * file is cut into runs of whole rows by the row scanner (data/row-ranges.ts rowChunks: exact row
 * boundaries, quoted line breaks included, true line numbers), each run is parsed by readModelTable in
 * a worker thread (the one CSV parser, data/csv.ts, and the one cell rule, data/cell.ts), and the typed
 * columns come back transferred, not copied, to be joined in file order. The result is the
 * ModelTable readModelTable gives for the whole file, value for value.
 *
 * Lines: the scan cuts runs without counting lines (that would be most of its cost on the main thread);
 * each run's lines are counted by the parser as it reads it, and the runs are numbered from those counts
 * afterwards (readRuns), so missing-cell lines are lines of the whole file.
 *
 * Errors: the error reported is the one of the earliest run that failed, after every earlier run
 * finished without one — the first bad row in file order, whatever finished first — read again in this
 * thread with its true first line, so it names the file, the line in the whole file and the column.
 *
 * Memory: the runs' columns, then the joined table (one copy, the runs freed after it); at most two
 * runs are queued per worker. Small files (below `minParallelBytes`) are read in this thread.
 */
export interface ReadModelTableParallelOptions extends Omit<ReadModelTableOptions, 'range' | 'onBadRow' | 'maxRows'> {
  /** Worker threads (default: the machine's cores); 1 reads in this thread. */
  workers?: number;
  /** Files smaller than this (bytes) are read in this thread: starting workers costs more (default minParallelBytes()). */
  minParallelBytes?: number;
  /** Bytes per run (default: the data split in 4 runs per worker, at least 1 MiB). */
  runBytes?: number;
  /**
   * Each run's table (its rows only), in file order, as soon as it and every run before it are read —
   * while later runs are still parsing (evaluate scores them then: the main thread is idle during the
   * parse). The runs' features are then not joined: the result's `columns` is empty and it has no
   * `dense` (targets, text, missing counts and line numbers are joined as always). A file read in this
   * thread (small, or one worker) is not handed over: the result keeps its features.
   */
  onRun?: (run: ModelTable) => void | Promise<void>;
}

export const DEFAULT_MIN_PARALLEL_BYTES = 8 << 20;

/**
 * The smallest file read in parallel: MLSHIP_PARALLEL_READ_MIN_BYTES (bytes) when set, else 8 MiB
 * (0 reads every file in parallel: the tests use it to run the whole evaluate suite through the workers).
 */
export function minParallelBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.MLSHIP_PARALLEL_READ_MIN_BYTES;
  if (v === undefined || v === '') return DEFAULT_MIN_PARALLEL_BYTES;
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InputError(`MLSHIP_PARALLEL_READ_MIN_BYTES=${JSON.stringify(v)} is not a whole number of bytes.`);
  return Number(v);
}

/** What a reading worker is told once: the file, its header and readModelTable's options. */
export interface TableReadInit {
  path: string;
  columns: string[];
  targets: string[];
  stringColumns: string[];
  allowMissing: boolean;
  dense: boolean;
  features?: string[];
  keepText: string[];
}

/** One run of rows to read; `textTargets` forces target columns to text (see the join). */
export interface TableReadJob { index: number; start: number; end: number; firstLine: number; textTargets?: string[] }

/**
 * A run read by a worker: the ModelTable of its rows (typed arrays transferred), its string feature
 * columns sent as `strings` instead (packStrings) and put back by unpackStrings.
 */
export interface TableReadDone { index: number; table: ModelTable; strings?: Record<string, PackedStrings> }

/**
 * A string column as codes into its distinct values: a structured clone copies every string of an
 * array one by one (a million cells, a million strings to allocate and collect on the receiving
 * thread), while the codes are transferred and the distinct values are few.
 */
export interface PackedStrings { codes: Int32Array; values: string[] }

/** Moves the table's string feature columns out, as codes (the table keeps numbers only). */
export function packStrings(table: ModelTable): Record<string, PackedStrings> | undefined {
  let out: Record<string, PackedStrings> | undefined;
  for (const [name, col] of Object.entries(table.columns)) {
    if (col.kind !== 'string') continue;
    const index = new Map<string, number>();
    const values: string[] = [];
    const codes = new Int32Array(col.values.length);
    for (let i = 0; i < codes.length; i++) {
      const v = col.values[i]!;
      let c = index.get(v);
      if (c === undefined) { c = values.length; values.push(v); index.set(v, c); }
      codes[i] = c;
    }
    (out ??= {})[name] = { codes, values };
    col.values = [];
  }
  return out;
}

/** Puts packStrings' columns back into the table (one string per distinct value, shared by its cells). */
export function unpackStrings(table: ModelTable, strings: Record<string, PackedStrings> | undefined): ModelTable {
  for (const [name, { codes, values }] of Object.entries(strings ?? {})) {
    const col: string[] = new Array(codes.length);
    for (let i = 0; i < codes.length; i++) col[i] = values[codes[i]!]!;
    table.columns[name] = { kind: 'string', values: col };
  }
  return table;
}

/** Reads one run of rows as a ModelTable (what a worker does for each job). */
export function readTableRun(init: TableReadInit, job: TableReadJob): Promise<ModelTable> {
  return readModelTable(init.path, {
    targets: init.targets, stringColumns: new Set(init.stringColumns), allowMissing: init.allowMissing, dense: init.dense,
    ...(init.features ? { features: init.features } : {}), keepText: init.keepText,
    range: { start: job.start, end: job.end, columns: init.columns, firstLine: job.firstLine, firstRow: 0 },
    ...(job.textTargets ? { textTargets: job.textTargets } : {}),
  });
}

/** The typed arrays' buffers of a table (and of its packed string columns), for the transfer list. */
export function tableBuffers(table: ModelTable, strings?: Record<string, PackedStrings>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const p of Object.values(strings ?? {})) out.add(p.codes.buffer as ArrayBuffer);
  const add = (a: { buffer: ArrayBufferLike } | undefined) => { if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer); };
  add(table.dense);
  for (const c of Object.values(table.columns)) if (c.kind === 'number') add(c.values);
  for (const t of table.targets) if (t.kind === 'number') add(t.values);
  return [...out];
}

/**
 * The worker entry beside this module: `table-read.worker.js` next to a bundle (scripts/build.mjs),
 * table-read-worker.js in the published SDK, table-read-worker.ts from source.
 */
function workerEntry(): URL | undefined {
  for (const name of ['./table-read.worker.js', './table-read-worker.js', './table-read-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** readModelTable over the whole file, parsed on every core (see the module comment). */
export async function readModelTableParallel(path: string, options: ReadModelTableParallelOptions): Promise<ModelTable> {
  const workers = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
  const entry = workers > 1 ? workerEntry() : undefined;
  let size = 0;
  try { size = (await stat(path)).size; } catch { /* readModelTable reports it */ }
  if (!entry || size < (options.minParallelBytes ?? minParallelBytes())) return readModelTable(path, options);
  const columns = await readCsvHeader(path);
  const range = await shardRange(path, undefined);
  // No data rows: readModelTable says so, after its checks of the header (the same message either way).
  if (range.start === range.end) return readModelTable(path, options);
  const init: TableReadInit = {
    path, columns, targets: options.targets, stringColumns: [...(options.stringColumns ?? [])], allowMissing: options.allowMissing === true,
    dense: options.dense === true, ...(options.features ? { features: [...options.features] } : {}), keepText: [...(options.keepText ?? [])],
  };
  const runBytes = options.runBytes ?? Math.max(1 << 20, Math.ceil((range.end - range.start) / (4 * workers)));
  const parts = await readRuns(entry, init, range, runBytes, workers, options.logger, options.onRun);
  // A target that holds text in one run is text in the whole file: read the other runs' cells as text too.
  const textTargets = options.targets.filter((_, t) => parts.some((p) => p.table.targets[t]!.kind === 'string'));
  if (textTargets.length) {
    for (const p of parts) {
      if (textTargets.every((name) => p.table.targets.find((t) => t.name === name)!.kind === 'string')) continue;
      p.table = await readTableRun(init, { ...p.job, textTargets });
      if (options.onRun) dropFeatures(p.table); // handed over already
    }
  }
  return joinTables(path, parts.map((p) => p.table));
}

interface Part { job: TableReadJob; table: ModelTable }

/** A run's features, once onRun has had them: not joined. */
function dropFeatures(table: ModelTable): void {
  table.columns = {};
  delete table.dense;
}

/**
 * Reads the runs on `count` workers (util/worker-pool.ts). The scan does not count lines (that is most
 * of its cost): a run after the first is read as if it began on line 1, and numbered afterwards from
 * the lines each earlier run held (data/csv.ts' own count, `nextLine`). A run's missing-cell lines are
 * shifted by that; the earliest failed run is read again in this thread with its true first line, so
 * its error names the line in the whole file.
 */
async function readRuns(entry: URL, init: TableReadInit, range: RowRange, runBytes: number, count: number, logger: Logger | undefined, onRun: ReadModelTableParallelOptions['onRun']): Promise<Part[]> {
  const parts: Part[] = [];
  let handed = 0; // runs 0..handed−1 went to onRun
  const jobsByIndex: TableReadJob[] = [];
  const total = range.end - range.start;
  let readBytes = 0;
  async function* jobs(): AsyncGenerator<TableReadJob> {
    let index = 0;
    for await (const run of rowChunks(init.path, range, runBytes, 'csv', ',', { countLines: false })) {
      const job = { index: index++, ...run, firstLine: Number.isNaN(run.firstLine) ? 1 : run.firstLine };
      jobsByIndex.push(job);
      yield job;
    }
  }
  /** True first line of run k, from the runs before it (all read). */
  const trueFirstLine = (k: number) => {
    let line = range.firstLine;
    for (let j = 0; j < k; j++) line += parts[j]!.table.nextLine! - parts[j]!.job.firstLine;
    return line;
  };
  await runOrderedPool<TableReadJob, TableReadDone>({
    entry, workerData: { mlshipTableRead: init }, count, jobs: jobs(),
    async onDone(job, done) {
      parts[job.index] = { job, table: unpackStrings(done.table, done.strings) };
      readBytes += job.end - job.start;
      logger?.progress?.(`reading ${init.path}`, readBytes, total);
      for (; onRun && parts[handed]; handed++) {
        const t = parts[handed]!.table;
        await onRun(t);
        dropFeatures(t);
      }
    },
    async onFailure(index, error) {
      if (!(error instanceof InputError)) return error;
      try {
        await readTableRun(init, { ...jobsByIndex[index]!, firstLine: trueFirstLine(index) });
      } catch (err) {
        return err as Error;
      }
      return error;
    },
  });
  let line = range.firstLine;
  for (const p of parts) {
    const shift = line - p.job.firstLine;
    line += p.table.nextLine! - p.job.firstLine;
    if (shift) for (const m of Object.values(p.table.missing)) m.firstLine += shift;
    p.job = { ...p.job, firstLine: p.job.firstLine + shift };
  }
  return parts;
}

/** The runs' tables joined in order: one table for the whole file (what readModelTable returns). */
export function joinTables(path: string, tables: ModelTable[]): ModelTable {
  const first = tables[0]!;
  const rows = tables.reduce((a, t) => a + t.rows, 0);
  if (rows === 0) throw new InputError(`${path} has a header but no data rows.`);
  const featureNames = first.featureNames;
  const joinNumbers = (get: (t: ModelTable) => Float64Array) => {
    const out = new Float64Array(rows);
    let at = 0;
    for (const t of tables) { out.set(get(t), at); at += t.rows; }
    return out;
  };
  const joinStrings = (get: (t: ModelTable) => string[]) => {
    const out: string[] = new Array(rows);
    let at = 0;
    for (const t of tables) { const v = get(t); for (let i = 0; i < v.length; i++) out[at++] = v[i]!; }
    return out;
  };
  const columns: Record<string, TableColumn> = {};
  for (const name of Object.keys(first.columns)) {
    columns[name] = first.columns[name]!.kind === 'string'
      ? { kind: 'string', values: joinStrings((t) => t.columns[name]!.values as string[]) }
      : { kind: 'number', values: joinNumbers((t) => t.columns[name]!.values as Float64Array) };
  }
  const missing: Record<string, MissingCells> = {};
  // readModelTable lists missing columns in the order their first missing cell was met: keep file order.
  for (const t of tables) {
    for (const [name, m] of Object.entries(t.missing)) {
      const seen = missing[name];
      if (seen) seen.count += m.count;
      else missing[name] = { count: m.count, firstLine: m.firstLine };
    }
  }
  const targets: TargetColumn[] = first.targets.map((c, j) => (c.kind === 'number'
    ? { name: c.name, kind: 'number', values: joinNumbers((t) => t.targets[j]!.values as Float64Array) }
    : { name: c.name, kind: 'string', values: joinStrings((t) => t.targets[j]!.values as string[]) }));
  const text: Record<string, string[]> = {};
  for (const name of Object.keys(first.text)) text[name] = joinStrings((t) => t.text[name]!);
  let dense: Float32Array | undefined;
  if (first.dense) {
    dense = new Float32Array(rows * featureNames.length);
    let at = 0;
    for (const t of tables) { dense.set(t.dense!, at); at += t.dense!.length; }
  }
  return { path, featureNames, columns, missing, targets, rows, text, ...(dense ? { dense } : {}) };
}
