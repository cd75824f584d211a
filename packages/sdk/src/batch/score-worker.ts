// Worker-thread entry of batch scoring: one onnxruntime session per worker; each job is a chunk of
// whole rows (bytes [start, end) of the input) that the worker reads, scores, formats and writes to
// its chunk file. Started by predictBatch (predict.ts); bundled as predict-score.worker.js.
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { readModelTable, type BadRow } from '../data/model-table.ts';
import { CsvSource } from '../data/csv.ts';
import { unfitForModel } from '../data/cell.ts';
import { workerFailure, type PoolMessage } from '../util/worker-pool.ts';
import { cliOptionName, InputError, renderOptionRefs } from '../errors.ts';
import { isDenseBinding, rowsBatch, tableBatch, type ColumnRow, type InputBinding } from '../model/input-map.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { chunkFile, writeDurable } from './chunk-files.ts';
import { csvField, formatRows, type OutputFormat, type PredictionLayout } from './prediction-columns.ts';
import type { InputFormat } from '../data/row-ranges.ts';
import { RowScanner } from '../data/row-scanner.ts';
import { driftSpillParts, type DriftSpillSpec } from './drift-spill.ts';

export interface ScoreWorkerInit {
  modelPath: string;
  dataPath: string;
  /** csv: rows parsed by data/csv.ts; jsonl: one JSON object per line, keyed by column name. */
  inputFormat: InputFormat;
  columns: string[];
  features: string[];
  stringColumns: string[];
  bindings: InputBinding[];
  allowMissing: boolean;
  keep: string[];
  layout: PredictionLayout;
  format: OutputFormat;
  skipBadRows: boolean;
  runDir: string;
  /** Rows per onnxruntime run. */
  batchSize: number;
  /** Spill each chunk's feature columns for the batch's drift check (batch/drift-spill.ts; CSV input only). */
  driftSpill?: DriftSpillSpec;
}

export interface ScoreJob { index: number; start: number; end: number; firstLine: number }
export interface ChunkDone { index: number; rows: number; rejected: number; bytes: number }

/** Loads the model (one session, one intra-op thread) and returns the function that scores a chunk and writes its file. */
export async function chunkScorer(init: ScoreWorkerInit): Promise<{ score(job: ScoreJob): Promise<ChunkDone>; release(): Promise<void> }> {
  const model = await OnnxModel.load(init.modelPath, { sessionOptions: { graphOptimizationLevel: 'all', executionMode: 'sequential', intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const stringColumns = new Set(init.stringColumns);
  // The classic single float32 input of every feature in file order: cells are parsed straight into the
  // tensor (readModelTable dense), without a float64 column per feature and the copy into float32.
  const dense = isDenseBinding(init.bindings, init.columns.filter((c) => init.features.includes(c)));
  // The drift spill's text columns that the model reads as numbers: their cells' text is kept as well.
  const keepText = [...new Set([...init.keep, ...(init.driftSpill?.texts ?? []).filter((c) => !stringColumns.has(c))])];
  // The float32 matrix's buffer (and, with the spill, the float64 columns') are reused from chunk to chunk,
  // given back once the chunk is written: a chunk's few MB of typed arrays are freed only when V8 collects
  // their small wrappers, which the lean parse lane makes rare (peak RSS at 10M rows: ~315 MB fresh, ~217 MB reused).
  const buffers: ArrayBuffer[] = [];
  // The input held open from chunk to chunk, with its read buffers (a chunk is ~2 MiB: the per-chunk
  // stat, open, close and zeroed buffer cost ~0.3 CPU-s per worker over 10M rows).
  let source: Promise<CsvSource> | undefined;
  async function scoreChunk(m: OnnxModel, job: ScoreJob): Promise<ChunkDone> {
    if (init.inputFormat === 'jsonl') return scoreJsonLinesChunk(init, m, job);
    const bad: BadRow[] = [];
    const table = await readModelTable(init.dataPath, {
      targets: [], features: init.features, stringColumns, dense, allowMissing: init.allowMissing, keepText, cellFacts: init.driftSpill !== undefined, buffers,
      source: await (source ??= CsvSource.open(init.dataPath)), missingFix: PACKAGE_MISSING_FIX,
      range: { start: job.start, end: job.end, columns: init.columns, firstLine: job.firstLine, firstRow: 0 },
      ...(init.skipBadRows ? { onBadRow: (b: BadRow) => { bad.push(b); } } : {}),
    });
    let text: Uint8Array = new Uint8Array(0);
    if (table.rows > 0) {
      const outputs = await m.run(tableBatch(table, init.bindings), { outputs: init.layout.fetch, batchSize: init.batchSize });
      text = formatRows(init.layout, outputs, table.rows, init.keep, table.text, init.format);
    }
    const bytes = await writeDurable(chunkFile(init.runDir, job.index, 'out'), text);
    if (init.driftSpill) await writeDurable(chunkFile(init.runDir, job.index, 'drift'), driftSpillParts(table, init.driftSpill));
    if (bad.length) await writeDurable(chunkFile(init.runDir, job.index, 'rejects'), await rejectLines(init.dataPath, job, bad));
    if (table.dense) buffers.push(table.dense.buffer as ArrayBuffer);
    for (const v of Object.values(table.facts?.numbers ?? {})) buffers.push(v.buffer as ArrayBuffer);
    // Bounded: the largest few per feature and matrix (two chunks may be in flight).
    buffers.sort((a, b) => b.byteLength - a.byteLength).length = Math.min(buffers.length, 4 * init.features.length + 4);
    return { index: job.index, rows: table.rows, rejected: bad.length, bytes };
  }
  return {
    score: (job) => scoreChunk(model, job),
    release: async () => { await model.session.release(); if (source) await (await source).close(); },
  };
}

/** A missing cell for a package that does not allow them: its setting is made when it is packaged, not here. */
const PACKAGE_MISSING_FIX = 'The package does not allow missing values: if the model handles them (XGBoost, LightGBM and HistGradientBoosting read NaN), package it again with mlship serialize --allow-missing (the serialize action\'s allow-missing input); else fill or drop the row.';

const init = (workerData as { mlshipPredict?: ScoreWorkerInit } | undefined)?.mlshipPredict;
if (parentPort && init) {
  const port = parentPort;
  const fail = (index: number, err: unknown) => port.postMessage(workerFailure(index, err));
  let scorer: Awaited<ReturnType<typeof chunkScorer>>;
  try {
    scorer = await chunkScorer(init);
    port.postMessage({ ready: true } satisfies PoolMessage<ChunkDone>);
  } catch (err) {
    fail(-1, err);
    throw err;
  }
  port.on('message', (job: ScoreJob) => {
    scorer.score(job).then((done) => port.postMessage({ done } satisfies PoolMessage<ChunkDone>), (err) => fail(job.index, err));
  });
}

/**
 * A chunk of JSON Lines: each non-blank line must be a JSON object with every feature column as a key
 * — a number (or null = missing, where the package allows it) for numeric inputs, a string for string
 * inputs — converted by the model layer's row rule (rowsBatch). A bad line stops the run or, with
 * skip, goes to the rejects file as `{"line", "error", "text"}`.
 */
async function scoreJsonLinesChunk(init: ScoreWorkerInit, m: OnnxModel, job: ScoreJob): Promise<{ index: number; rows: number; rejected: number; bytes: number }> {
  const buf = new Uint8Array(job.end - job.start);
  const fh = await open(init.dataPath, 'r');
  try { await fh.read(buf, 0, buf.length, job.start); } finally { await fh.close(); }
  const text = new TextDecoder().decode(buf);
  const strings = new Set(init.stringColumns);
  const float32Columns = new Set(init.bindings.filter((b) => b.type === 'float32').flatMap((b) => b.columns));
  const rows: ColumnRow[] = [];
  const kept: Record<string, string[]> = Object.fromEntries(init.keep.map((k) => [k, []]));
  let rejects = '';
  let rejected = 0;
  let line = job.firstLine;
  for (const raw of text.split('\n')) {
    const here = line++;
    const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (t.trim() === '') continue;
    let row: ColumnRow;
    let obj: Record<string, unknown>;
    try {
      try { obj = JSON.parse(t) as Record<string, unknown>; } catch (err) { throw new InputError(`${init.dataPath}: line ${here}: not valid JSON (${(err as Error).message}); each line must be one JSON object.`); }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new InputError(`${init.dataPath}: line ${here}: a JSON ${Array.isArray(obj) ? 'array' : typeof obj}, expected an object {"column": value, …}.`);
      row = init.features.map((c) => {
        const v = obj[c];
        if (v === undefined) throw new InputError(`${init.dataPath}: line ${here}: no key "${c}", which the model takes.`);
        if (strings.has(c)) {
          if (typeof v !== 'string') throw new InputError(`${init.dataPath}: line ${here}, column "${c}": ${JSON.stringify(v)}, but the model takes a string here.`);
          return v;
        }
        if (v === null) {
          if (!init.allowMissing) throw new InputError(`${init.dataPath}: line ${here}, column "${c}": null (a missing value). ${PACKAGE_MISSING_FIX}`);
          return null;
        }
        if (typeof v !== 'number') throw new InputError(`${init.dataPath}: line ${here}, column "${c}": ${JSON.stringify(v)}, which is not a number, but the model's input takes numbers from this column.`);
        // The CSV cell's rule (data/cell.ts): JSON.parse reads 1e400 as Infinity, and float32 overflows past 3.4e38.
        const unfit = unfitForModel(v, float32Columns.has(c));
        if (unfit) throw new InputError(`${init.dataPath}: line ${here}, column "${c}": ${v}, ${unfit}`);
        return v;
      });
      for (const k of init.keep) if (!(k in obj)) throw new InputError(`${init.dataPath}: line ${here}: no key "${k}" to keep.`);
    } catch (err) {
      if (!init.skipBadRows || !(err instanceof InputError)) throw err;
      rejects += `${JSON.stringify({ line: here, error: err.message, text: t })}\n`;
      rejected++;
      continue;
    }
    rows.push(row);
    for (const k of init.keep) { const v = obj[k]; kept[k]!.push(typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v)); }
  }
  let out: Uint8Array = new Uint8Array(0);
  if (rows.length) {
    const outputs = await m.run(rowsBatch(rows, init.features, init.bindings), { outputs: init.layout.fetch, batchSize: init.batchSize });
    out = formatRows(init.layout, outputs, rows.length, init.keep, kept, init.format);
  }
  const bytes = await writeDurable(chunkFile(init.runDir, job.index, 'out'), out);
  if (rejected) await writeDurable(chunkFile(init.runDir, job.index, 'rejects'), rejects);
  return { index: job.index, rows: rows.length, rejected, bytes };
}

/** The raw text of each bad row (as in the input), then its line and the reason: the rejects file's rows. */
async function rejectLines(path: string, job: ScoreJob, bad: BadRow[]): Promise<string> {
  const buf = new Uint8Array(job.end - job.start);
  const fh = await open(path, 'r');
  try { await fh.read(buf, 0, buf.length, job.start); } finally { await fh.close(); }
  const wanted = new Map(bad.map((b) => [b.line, b.message]));
  const scanner = new RowScanner();
  const decoder = new TextDecoder();
  let out = '';
  let pos = 0;
  while (pos < buf.length) {
    const line = job.firstLine + scanner.lines;
    let end = scanner.nextBoundary(buf, pos, buf.length);
    if (end === -1) end = buf.length;
    const message = wanted.get(line);
    if (message !== undefined) {
      let e = end;
      if (e > pos && buf[e - 1] === 10) e--;
      if (e > pos && buf[e - 1] === 13) e--;
      // A message may hold option references (errors.ts opt()): the file gets them named as the CLI names them.
      out += `${decoder.decode(buf.subarray(pos, e))},${line},${csvField(renderOptionRefs(message, cliOptionName))}\n`;
    }
    pos = end;
  }
  return out;
}
