import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvHeader } from '../data/csv.ts';
import { GateFailedError, InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { runDriftCheck } from '../drift/check.ts';
import { driftVerdict } from '../drift/report.ts';
import { writeDriftReports, type DriftRunOptions, type DriftRunResult } from '../drift/run.ts';
import type { StattestName } from '../drift/stattests.ts';
import { allocInput, type InputBatch } from '../model/feeds.ts';
import { rowsBatch, stringColumnsOf, type InputBinding } from '../model/input-map.ts';
import type { OnnxModel } from '../model/onnx-model.ts';
import type { PackageManifest } from '../package/manifest.ts';
import { loadPackage } from '../package/loader.ts';
import { manifestBindings } from '../package/golden.ts';
import { assembleFile, chunkFile, OrderedAssembly } from './chunk-files.ts';
import { driftSpillMatches, driftSpillSpec, spilledColumns, type DriftSpillSpec } from './drift-spill.ts';
import { outputHeader, predictionLayout, valueOutputOf, type OutputFormat } from './prediction-columns.ts';
import { rowChunks, shardRange, type InputFormat, type RowRange, type Shard } from '../data/row-ranges.ts';
import { runOrderedPool } from '../util/worker-pool.ts';
import { chunkScorer, type ChunkDone, type ScoreJob, type ScoreWorkerInit } from './score-worker.ts';
import { refuseOutputOverInput } from '../util/same-file.ts';
import { writeShardRecord } from './shard-record.ts';
import { defaultWorkerCount } from '../util/cpu-limit.ts';

export interface PredictBatchOptions {
  /** A model package (directory or .tar.gz), verified once before scoring (hashes, signature, golden rows). */
  package: string;
  /** Input: a CSV with a header row (data/csv.ts), or JSON Lines (one object per line) for .jsonl / .ndjson. */
  data: string;
  /** Input format (default from `data`'s extension, as formatFor). */
  dataFormat?: InputFormat;
  /** Output file; written only when every row is scored (or rejected with `onError: 'skip'`). */
  out: string;
  /** Input columns copied to the output before the prediction (ids). */
  keep?: string[];
  /** Output format (default: jsonl for .jsonl/.ndjson `out`, else csv). */
  format?: OutputFormat;
  /** Worker threads, each with its own onnxruntime session (default: the machine's cores). */
  workers?: number;
  /** stop (default): the first bad row stops the run, no output; skip: bad rows go to `rejects`. */
  onError?: 'stop' | 'skip';
  /** The rejects file (required with `onError: 'skip'`): each bad row as in the input, its line and the reason. */
  rejects?: string;
  /** Score only shard i of n (row-ranges.ts shardRange). */
  shard?: Shard;
  /** Continue a killed run with the same inputs and options (its chunks already written are kept). */
  resume?: boolean;
  /** Bytes of input per chunk (default 2 MiB): the unit of work, of ordering and of resuming. */
  chunkBytes?: number;
  /**
   * Also check the scored batch for drift: the package's feature columns of the rows scored against
   * `drift.reference`, by drift-check itself (drift/check.ts runDriftCheck: its statistics, thresholds
   * and decisions, its options, its memory budget), with its JSON (`out`) and HTML (`html`) reports.
   * CSV input is parsed once: the score workers spill the feature cells they parsed (batch/drift-spill.ts)
   * and the check reads those; JSON Lines input is read a second time by the check. Rows rejected with
   * `onError: 'skip'` are not in the batch's drift. Not with `shard` (one shard's drift is not the batch's).
   */
  drift?: PredictDriftOptions;
  logger?: Logger;
}

/** drift-check's options for the batch's drift (the current data is the scored input, the columns the package's features). */
export type PredictDriftOptions = Omit<DriftRunOptions, 'current' | 'columns' | 'logger'>;

/** A batch run's drift settings as its options name them (CLI --drift-*; batch-score's inputs, some renamed by its index.ts). */
export interface BatchDriftFlags {
  'drift-reference'?: string;
  'drift-out'?: string;
  'drift-html'?: string;
  'drift-stattest'?: StattestName;
  'drift-threshold'?: number;
  'drift-share'?: number;
  'fail-on-drift'?: boolean;
}

/** predictBatch's `drift` option from the flags; a drift setting without the reference is an error naming both. */
export function batchDriftOptions(f: BatchDriftFlags): PredictDriftOptions | undefined {
  const reference = f['drift-reference'];
  if (reference === undefined) {
    const orphan = (Object.keys(f) as Array<keyof BatchDriftFlags>).find((k) => f[k] !== undefined && f[k] !== false);
    if (orphan) throw new InputError(`${opt(orphan)} goes with ${opt('drift-reference')} (the reference the batch is checked against).`);
    return undefined;
  }
  return {
    reference, out: f['drift-out'], html: f['drift-html'], stattest: f['drift-stattest'], threshold: f['drift-threshold'], driftShare: f['drift-share'],
  };
}

/** With fail-on-drift, the failure (exit 1) of a run whose scored batch drifted; its output is written all the same. */
export function batchDriftFailure(r: PredictBatchResult, failOnDrift: boolean | undefined): GateFailedError | undefined {
  return failOnDrift && r.drift?.report.summary.dataset_drift ? new GateFailedError(`the batch drifted: ${r.drift.verdict}`) : undefined;
}

export interface PredictBatchResult {
  out: string;
  rows: number;
  rejected: number;
  rejects?: string;
  chunks: number;
  /** Chunks kept from the interrupted run (`resume`). */
  resumedChunks: number;
  workers: number;
  seconds: number;
  /** The batch's drift report (with `drift`): drift-check's report, its Markdown summary and verdict. */
  drift?: DriftRunResult & { verdict: string; out?: string; html?: string };
}

/**
 * The run in one JSON-ready record (what `mlship predict` prints): rows, rejects, chunks, workers,
 * seconds and, with a drift reference, the batch's drift verdict (drift-check's summary).
 */
export function predictSummary(r: PredictBatchResult): Record<string, unknown> {
  const s = r.drift?.report.summary;
  return {
    out: r.out, rows: r.rows, rejected: r.rejected, chunks: r.chunks, resumedChunks: r.resumedChunks, workers: r.workers, seconds: Number(r.seconds.toFixed(3)),
    ...(s ? { drift: { dataset_drift: s.dataset_drift, share_drifted: s.share_drifted, drifted_columns: s.drifted_columns, missing_alert_columns: s.missing_alert_columns, verdict: r.drift!.verdict } } : {}),
  };
}

/** The job summary of a run (Markdown): rows scored, where, and the batch's drift report when checked. */
export function predictMarkdown(r: PredictBatchResult): string {
  const head = `### Batch scoring\n\n${r.rows} rows scored → \`${r.out}\` (${r.chunks} chunks on ${r.workers} workers, ${r.seconds.toFixed(1)} s)${r.rejected ? `; ${r.rejected} bad rows in \`${r.rejects}\`` : ''}.\n`;
  return r.drift ? `${head}\n**Drift of the batch:** ${r.drift.verdict}\n\n${r.drift.markdown}\n` : head;
}

/** What a run folder records about its run; a resume must match it exactly. */
interface RunIdentity {
  version: 1;
  data: { path: string; format: InputFormat; size: number; mtimeMs: number };
  modelSha256: string;
  format: OutputFormat;
  keep: string[];
  onError: 'stop' | 'skip';
  shard: Shard | null;
  chunkBytes: number;
  range: RowRange;
}

interface DoneChunk { index: number; start: number; end: number; rows: number; rejected: number; bytes: number }

const RUN_FILE = 'run.json';
const DONE_LOG = 'done.log';
export const DEFAULT_CHUNK_BYTES = 2 << 20;
const WORKER_YOUNG_GENERATION_MB = 4;

/** The folder beside `out` where a run keeps its chunk files until the final assembly. */
export function runFolderFor(out: string): string {
  return join(dirname(resolve(out)), `.${basename(out)}.mlship-predict`);
}

/** jsonl for .jsonl / .ndjson paths, else csv. */
export function formatFor(path: string): OutputFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

/**
 * Scores a CSV (or JSON Lines) with a model package, in bounded memory, on every core.
 *
 * The input (or its shard) is cut into chunks of whole rows (row-ranges.ts); each worker thread has its
 * own onnxruntime session and reads, converts (the model layer's column → input rule, data/model-table.ts
 * cells), scores and formats a chunk, then writes it durably to `chunk-N.out` in the run folder beside
 * `out` (fsync, rename). The main thread appends `{index, start, end, rows, …}` to `done.log` and fsyncs
 * it only after the chunk file is durable. At the end the chunks are concatenated in input order into a
 * temporary file beside `out`, which is fsync'd and renamed to `out`; then the run folder is removed.
 *
 * Resume (`resume: true`): the chunks are a pure function of the input bytes, the shard and
 * `chunkBytes` (all recorded in run.json and compared), so the resumed run cuts the same chunks. A
 * chunk listed in done.log whose file has the logged size is kept; every other chunk is scored again
 * and its file replaced. A chunk's file is written before its log line, so a listed chunk is complete,
 * and an unlisted one is redone: every row's prediction is in the output exactly once. A torn last log
 * line (killed while appending) is ignored.
 *
 * Bad rows: with `onError: 'stop'` the run stops at the first bad row in input order (the error names
 * file, line and column), no output is written and the run folder is removed. With 'skip', a row with a
 * bad cell is left out and written to `rejects`; malformed CSV structure (a wrong field count, an
 * unclosed quote) still stops the run.
 */
export async function predictBatch(options: PredictBatchOptions): Promise<PredictBatchResult> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const keep = options.keep ?? [];
  const onError = options.onError ?? 'stop';
  const format = options.format ?? formatFor(options.out);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (onError === 'skip' && !options.rejects) throw new InputError(`${opt('on-error')} skip needs ${opt('rejects')} FILE, where the bad rows and their reasons go.`);
  if (options.rejects && onError !== 'skip') throw new InputError(`${opt('rejects')} is only written with ${opt('on-error')} skip (by default the first bad row stops the run); add ${opt('on-error')} skip or drop ${opt('rejects')}.`);
  if (options.drift && options.shard) throw new InputError(`${opt('drift-reference')} checks the whole batch; one shard's drift is not the batch's. Check the merged input with mlship drift, or score it without ${opt('shard')}.`);
  // No file written may be the input, the drift reference or another output (a link or another spelling included).
  refuseOutputOverInput([['data', options.data], ['drift-reference', options.drift?.reference]], [
    ['out', options.out], ['rejects', options.rejects], ['drift-out', options.drift?.out], ['drift-html', options.drift?.html],
  ]);
  const entry = workerEntry();
  const workersAsked = entry ? Math.max(1, Math.floor(options.workers ?? defaultWorkerCount())) : 1;

  const inputFormat = options.dataFormat ?? formatFor(options.data);
  const columns = inputFormat === 'csv' ? await readCsvHeader(options.data) : undefined;
  if (inputFormat === 'jsonl' && !existsSync(options.data)) throw new InputError(`Cannot read ${options.data}: it does not exist.`);
  if (columns) for (const k of keep) if (!columns.includes(k)) throw new InputError(`${options.data}: no column "${k}" to keep (${opt('keep')}); the columns are ${columns.slice(0, 8).map((c) => `"${c}"`).join(', ')}.`);

  const pkg = await loadPackage(options.package, { logger });
  try {
    const manifest = pkg.manifest;
    const bindings = manifestBindings(manifest);
    const valueWidth = manifest.task === 'regression' ? await probeValueWidth(pkg.model, manifest, bindings) : undefined;
    await pkg.model.session.release();
    const features = [...new Set(bindings.flatMap((b) => b.columns))];
    const absent = columns ? features.filter((c) => !columns.includes(c)) : [];
    if (absent.length) throw new InputError(`${options.data}: no column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `"${c}"`).join(', ')}, which model ${manifest.name} takes (its inputs ${bindings.map((b) => `${b.name} ← ${b.columns.length} column(s)`).join(', ')}). ${columnsHint(columns!, absent)}`);
    // The batch's drift compares the package's features with the reference's: a reference that cannot
    // be read or lacks one is refused now, not after every row is scored.
    if (options.drift) {
      const ref = options.drift.reference;
      let refColumns: string[];
      try { refColumns = await readCsvHeader(ref); } catch (err) { throw new InputError(`${opt('drift-reference')} ${ref}: ${err instanceof Error ? err.message : String(err)}`); }
      const lacking = features.filter((c) => !refColumns.includes(c));
      if (lacking.length) throw new InputError(`${opt('drift-reference')} ${ref} has no column${lacking.length > 1 ? 's' : ''} ${lacking.slice(0, 8).map((c) => `"${c}"`).join(', ')}${lacking.length > 8 ? ` (and ${lacking.length - 8} more)` : ''}, which model ${manifest.name} takes: the batch's drift compares the model's feature columns, so the reference needs them all (it has ${refColumns.slice(0, 8).map((c) => `"${c}"`).join(', ')}${refColumns.length > 8 ? ', …' : ''}). Use the model's training data, or a sample of it.`);
    }
    const layout = predictionLayout(manifest, keep, valueWidth);
    const range = await shardRange(options.data, options.shard, inputFormat);
    // No more workers than chunks: every chunk but the last holds at least chunkBytes (row-ranges.ts rowChunks).
    const workerCount = Math.min(workersAsked, Math.max(1, Math.ceil((range.end - range.start) / chunkBytes)));
    if (!options.shard && range.start === range.end) throw new InputError(inputFormat === 'jsonl' ? `${options.data} holds no records: JSON Lines needs one JSON object per line.` : `${options.data} has a header but no data rows.`);
    const st = await stat(options.data);
    const identity: RunIdentity = {
      version: 1, data: { path: resolve(options.data), format: inputFormat, size: st.size, mtimeMs: st.mtimeMs }, modelSha256: pkg.model.sha256, format, keep,
      onError, shard: options.shard ?? null, chunkBytes, range: { start: range.start, end: range.end, firstLine: range.firstLine },
    };
    const runDir = runFolderFor(options.out);

    const stringColumns = [...stringColumnsOf(bindings)];
    // CSV input: the workers spill the feature columns they parse, and the drift check reads those (JSON
    // Lines: drift-check converts and reads the file itself, a second pass).
    const spill = options.drift && inputFormat === 'csv' ? driftSpillSpec(features, stringColumns, options.drift.columnTypes) : undefined;
    const done = await openRun(runDir, identity, options.resume === true, spill, logger);

    const init: ScoreWorkerInit = {
      modelPath: pkg.modelPath, dataPath: resolve(options.data), inputFormat, columns: columns ?? [...new Set([...features, ...keep])], features, stringColumns, bindings,
      allowMissing: manifest.allowMissing, keep, layout, format, skipBadRows: onError === 'skip', runDir, batchSize: 8192, ...(spill ? { driftSpill: spill } : {}),
    };
    // The output is assembled while the chunks are scored: each chunk's file is appended as soon as
    // every chunk before it is done (chunk-files.ts OrderedAssembly), not all of them after the last.
    // Its temporary file is in the run folder (beside the output): a killed run leaves it there, and
    // the run folder goes when a run completes.
    const assembly = await OrderedAssembly.open(options.out, outputHeader(layout, keep, format), runDir);
    const addChunk = (index: number) => assembly.add(index, chunkFile(runDir, index, 'out'));
    let assembled = false;
    try {
      for (const index of done.keys()) addChunk(index);
      const chunks = await scoreChunks(entry, init, options.data, range, chunkBytes, workerCount, done, runDir, logger, addChunk);
      const all = [...chunks.values()].sort((a, b) => a.index - b.index);
      // Every row scored: the batch's drift, by drift-check over the rows scored (a failure here leaves the
      // scored chunks and their spilled columns for --resume).
      const drift = options.drift ? await runDriftCheck({ ...options.drift, current: options.data, columns: features, logger }, spill ? spilledColumns(runDir, all, features, spill) : undefined) : undefined;
      const rows = all.reduce((a, c) => a + c.rows, 0);
      const rejected = all.reduce((a, c) => a + c.rejected, 0);
      // A shard's record goes first: a shard output that exists has it (the merge checks the parts by it).
      if (options.shard) {
        const bytes = Buffer.byteLength(outputHeader(layout, keep, format)) + all.reduce((a, c) => a + c.bytes, 0);
        await writeShardRecord(options.out, options.shard, { data: { size: st.size, start: range.start, end: range.end }, modelSha256: pkg.model.sha256, format, keep, rows, bytes });
      }
      await assembly.finish(all.length);
      assembled = true;
      if (options.rejects) {
        await assembleFile(options.rejects, columns ? `${columns.map((c) => csvQuote(c)).join(',')},mlship_line,mlship_error\n` : '', all.filter((c) => c.rejected > 0).map((c) => ({ path: chunkFile(runDir, c.index, 'rejects') })));
      }
      await rm(runDir, { recursive: true, force: true });
      const driftResult = drift && options.drift ? { ...(await writeDriftReports(drift, options.drift)), verdict: driftVerdict(drift), ...(options.drift.out ? { out: options.drift.out } : {}), ...(options.drift.html ? { html: options.drift.html } : {}) } : undefined;
      if (driftResult) logger.info(`Drift of ${options.data} against ${options.drift!.reference}: ${driftResult.verdict}`);
      if (rejected) logger.warn(`${rejected} bad row${rejected === 1 ? '' : 's'} skipped; ${options.rejects} lists them with their reasons.`);
      const resumedChunks = done.size;
      logger.info(`Scored ${rows} row${rows === 1 ? '' : 's'} of ${options.data}${options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : ''} with ${manifest.name} ${manifest.version} on ${workerCount} worker${workerCount === 1 ? '' : 's'} → ${options.out}${resumedChunks ? ` (${resumedChunks} chunk(s) kept from the interrupted run)` : ''}`);
      return { out: options.out, rows, rejected, ...(options.rejects ? { rejects: options.rejects } : {}), chunks: all.length, resumedChunks, workers: workerCount, seconds: (performance.now() - started) / 1000, ...(driftResult ? { drift: driftResult } : {}) };
    } finally {
      // A failed run (a bad row, a failed drift check, a kill) leaves no output file, only the run folder for --resume.
      if (!assembled) await assembly.abort();
    }
  } finally {
    await pkg.cleanup();
  }
}

/** Values per row of the regression output on one golden row (or a row of zeros): what the model really returns. */
async function probeValueWidth(model: OnnxModel, manifest: PackageManifest, bindings: InputBinding[]): Promise<number> {
  let batch: InputBatch;
  if (manifest.golden.inputs.length) batch = rowsBatch(manifest.golden.inputs.slice(0, 1), manifest.featureNames, bindings);
  else {
    batch = { rows: 1, data: {} };
    for (const b of bindings) batch.data[b.name] = allocInput(b.type, b.columns.length);
  }
  const name = valueOutputOf(manifest);
  const out = await model.run(batch, { outputs: [name] });
  return out[name]!.data.length;
}

function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * What the file's header has, and what may be wrong with it: the same names in another case or with
 * spaces around them, or one column whose name holds a tab or a semicolon (the file is not comma-separated).
 */
function columnsHint(columns: readonly string[], absent: readonly string[]): string {
  const shown = `Its columns are ${columns.slice(0, 12).map((c) => `"${c}"`).join(', ')}${columns.length > 12 ? `, … (${columns.length})` : ''}.`;
  const norm = (c: string) => c.trim().toLowerCase();
  const near = absent.map((a) => [a, columns.find((c) => c !== a && norm(c) === norm(a))] as const).filter(([, c]) => c !== undefined);
  if (near.length) return `${shown} ${near.map(([a, c]) => `"${c}" differs from "${a}" only in case or spaces`).join('; ')}: rename the columns as the model was trained.`;
  if (columns.length === 1 && /[\t;|]/.test(columns[0]!)) return `${shown} That one column's name holds ${columns[0]!.includes('\t') ? 'tabs' : columns[0]!.includes(';') ? 'semicolons' : 'bars'}: the file is not comma-separated; write it as CSV with commas (or as JSON Lines).`;
  return shown;
}

/** What each field of run.json stands for, to say why a resume does not match. */
const RUN_FIELDS: Record<string, string> = {
  version: 'the run folder\'s format (another mlship version)', data: 'the input file (its path, size or modification time)', modelSha256: 'the package\'s model',
  format: opt('format'), keep: opt('keep'), onError: opt('on-error'), shard: opt('shard'), chunkBytes: opt('chunk-bytes'), range: 'the rows of the shard (the input changed)',
};

/** Creates the run folder, or (resume) checks it belongs to this run and returns its completed chunks. */
async function openRun(runDir: string, identity: RunIdentity, resume: boolean, spill: DriftSpillSpec | undefined, logger: Logger): Promise<Map<number, DoneChunk>> {
  const done = new Map<number, DoneChunk>();
  const runFile = join(runDir, RUN_FILE);
  if (resume && existsSync(runFile)) {
    const recorded = await readFile(runFile, 'utf8');
    if (recorded !== JSON.stringify(identity)) {
      let before: Record<string, unknown> = {};
      try { before = JSON.parse(recorded) as Record<string, unknown>; } catch { /* a torn run.json: every field differs */ }
      const now = identity as unknown as Record<string, unknown>;
      const differ = Object.keys(now).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k])).map((k) => RUN_FIELDS[k] ?? k);
      throw new InputError(`${runDir} holds a run with another ${differ.join(', ')} than this one (${RUN_FILE} differs); run again without ${opt('resume')} to start over, or with the same input, package and options to continue it.`);
    }
    const log = existsSync(join(runDir, DONE_LOG)) ? await readFile(join(runDir, DONE_LOG), 'utf8') : '';
    for (const line of log.split('\n')) {
      if (!line) continue;
      let c: DoneChunk;
      try { c = JSON.parse(line) as DoneChunk; } catch { continue; } // a torn last line
      const file = chunkFile(runDir, c.index, 'out');
      // With a drift check, a chunk is kept with its spilled columns only (a run begun without one scores it again).
      if (existsSync(file) && (await stat(file)).size === c.bytes && (c.rejected === 0 || existsSync(chunkFile(runDir, c.index, 'rejects'))) && (!spill || await driftSpillMatches(runDir, c.index, spill))) done.set(c.index, c);
    }
    logger.info(`Resuming the run in ${runDir}: ${done.size} chunk(s) already scored.`);
    return done;
  }
  if (resume) logger.info(`No interrupted run in ${runDir}: starting from the beginning.`);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  await writeDurableSmall(runFile, JSON.stringify(identity));
  return done;
}

async function writeDurableSmall(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  const fh = await open(`${path}.tmp`, 'r+');
  try { await fh.sync(); } finally { await fh.close(); }
  await rename(`${path}.tmp`, path);
}

/** The worker entry beside this module: the bundle's predict-score.worker.js, or score-worker.ts from source. */
function workerEntry(): URL | undefined {
  for (const name of ['./predict-score.worker.js', './score-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** The chunks of the run, numbered in input order (rowChunks: the same chunks in every run over the same bytes). */
async function* chunkJobs(dataPath: string, range: RowRange, chunkBytes: number, format: InputFormat): AsyncGenerator<ScoreJob> {
  let index = 0;
  for await (const chunk of rowChunks(dataPath, range, chunkBytes, format)) yield { index: index++, ...chunk };
}

/**
 * Runs every chunk not yet done on the workers (util/worker-pool.ts: at most two queued per worker, so
 * memory stays bounded), appending each finished chunk to done.log (fsync'd) before counting it. With
 * errors, it stops handing out chunks, waits for those in flight, and throws the error of the earliest
 * chunk (the first bad row in input order); the run folder is removed then. Without the worker file (a
 * bundle copied alone) the same chunks are scored one after another in this thread.
 */
async function scoreChunks(entry: URL | undefined, init: ScoreWorkerInit, dataPath: string, range: RowRange, chunkBytes: number, workerCount: number, done: Map<number, DoneChunk>, runDir: string, logger: Logger, onChunk: (index: number) => void): Promise<Map<number, DoneChunk>> {
  const log = await open(join(runDir, DONE_LOG), 'a');
  const results = new Map(done);
  const total = range.end - range.start;
  let scoredBytes = [...done.values()].reduce((a, c) => a + (c.end - c.start), 0);
  const record = async (job: ScoreJob, r: ChunkDone) => {
    const c: DoneChunk = { index: job.index, start: job.start, end: job.end, rows: r.rows, rejected: r.rejected, bytes: r.bytes };
    await log.write(`${JSON.stringify(c)}\n`);
    await log.datasync();
    results.set(c.index, c);
    onChunk(c.index);
    scoredBytes += job.end - job.start;
    logger.progress?.(`scoring ${dataPath}`, scoredBytes, total);
  };
  const removeRun = async () => { await rm(runDir, { recursive: true, force: true }); };
  try {
    if (entry) {
      await runOrderedPool<ScoreJob, ChunkDone>({
        entry, workerData: { mlshipPredict: init }, count: workerCount, jobs: chunkJobs(dataPath, range, chunkBytes, init.inputFormat),
        // A small young generation: each chunk's cells and output text are short-lived, and V8's default
        // (tens of MB per isolate) is what held a worker's memory above the chunk size (RSS 330 → 250 MB at 2M rows).
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
        skip: (job) => results.has(job.index), onDone: record, onFailure: removeRun,
      });
      return results;
    }
    logger.warn('predict-score.worker.js is not beside the bundle: scoring in one thread (copy it next to mlship.js to use every core).');
    const scorer = await chunkScorer(init);
    try {
      for await (const job of chunkJobs(dataPath, range, chunkBytes, init.inputFormat)) {
        if (results.has(job.index)) continue;
        let r: ChunkDone;
        try { r = await scorer.score(job); } catch (err) { await removeRun(); throw err; }
        await record(job, r);
      }
    } finally {
      await scorer.release();
    }
    return results;
  } finally {
    await log.close().catch(() => {});
  }
}
