import { appendFile, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { isJsonLinesPath } from '../data/json-lines.ts';
import { InputError } from '../errors.ts';
import type { InputBatch } from '../model/feeds.ts';
import type { ColumnSlot } from '../model/input-map.ts';
import type { Prediction } from './codec.ts';

/** What a log's records are made of: the feature columns (in the model's inputs) and the model; plain data, sent from a worker to the primary. */
export type InferenceLogSpec = Pick<InferenceLogOptions, 'columns' | 'model' | 'version'>;

export interface InferenceLogOptions {
  /** `.csv` (default), or JSON Lines for `.jsonl` / `.ndjson`. */
  path: string;
  /** The feature columns in order (the header), each located in the model's inputs (model/input-map.ts columnSlots). */
  columns: ColumnSlot[];
  model: string;
  version: string;
  /** Fraction of rows kept, 0..1 (each row independently). */
  sampleRate: number;
  /** CSV: add `prediction`, `id` and `time` columns after the features (default false: the header is exactly the features). */
  predictions?: boolean;
  /** Rotate when the file reaches this many bytes (0 or absent: never). */
  maxBytes?: number;
  /** Rotate when the current file is this old, in ms (0 or absent: never). */
  maxAgeMs?: number;
  /** Rotated files kept (default 10); older ones are deleted. */
  keep?: number;
  /** Records waiting for the disk, at most this many bytes (default 8 MiB); beyond it rows are dropped and counted. */
  bufferBytes?: number;
  /** A write taking longer than this (ms, default 1000) counts as a stalled disk: responses stop waiting for it. */
  stallMs?: number;
  /** Uniform [0, 1) source (tests pass a fixed one). */
  random?: () => number;
  /** Clock (ms since the epoch; tests pass a fixed one). */
  now?: () => number;
  /** A write failed (disk full, file removed…): the batch is dropped and the file cut back to its last whole line; serving goes on. */
  onError?: (err: Error) => void;
  /** Something was repaired or rotated (a torn last record moved aside, a file rotated). */
  onWarn?: (message: string, fields: Record<string, unknown>) => void;
}

interface Pending { text: string; rows: number; done: () => void }

/**
 * The inference log: a sample of the rows the server predicted, for drift-check to read as its
 * *current* data.
 *
 * CSV (any path not ending in .jsonl or .ndjson): a header with exactly the model's feature names in input order
 * (the training CSV's header minus the target), one row per logged input, whatever inputs the columns feed
 * (model/input-map.ts), so the file goes straight to
 * drift-check as `current` against a reference CSV of training features (drift-check wants the same
 * columns in both files unless --columns/--exclude narrow the comparison). With `predictions`, three
 * more columns follow: `prediction` (the class label or regression value), `id` (the row id,
 * server/request-ids.ts) and `time` (ISO 8601 UTC) — what `mlship evaluate --predictions` joins with
 * labels that arrive later (for drift-check, `--exclude prediction,id,time`). RFC 4180 quoting; values as the
 * model saw them: a float32 input's as the shortest decimal that reads back as the same float32, a
 * float64's as the shortest that reads back as the same double, integers as integers, bool as 0/1,
 * strings as they came.
 *
 * JSONL: one `{"time", "model", "version", "id", "features": {name: value}, "prediction"}` object per row
 * (numbers as JSON numbers, strings as strings).
 *
 * Crash safety: records are appended only as whole lines, each batch one write(2) to an O_APPEND
 * file, so a killed process (kill -9) leaves whole lines; `record` resolves once its rows are in the
 * kernel, and the server answers after that, so an answered request's rows survive the process. A
 * short or failed write (full disk) is cut back to the last whole line. On open, a torn last record
 * (power loss, or a file written by something else) is moved aside to `<path>.torn` with a warning:
 * nothing is ever appended to a partial line. An existing CSV must have the same header.
 *
 * Bounded: records waiting for the disk take at most `bufferBytes`; beyond it rows are dropped and
 * counted (`rowsDropped`, the server's `mlship_inference_log_dropped_rows_total`). A write stalled
 * for `stallMs` releases the waiting responses: serving never waits long on the log.
 *
 * Rotation: at `maxBytes` or `maxAgeMs` the file is renamed `<name>.<UTC time>.<ext>` and a new one
 * (with the CSV header) started; the newest `keep` rotated files are kept.
 */
export class InferenceLog {
  readonly path: string;
  readonly format: 'csv' | 'jsonl';
  private readonly options: InferenceLogOptions;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly header: string;
  private fh: FileHandle;
  /** Bytes of whole lines in the file: where a failed write is cut back to. */
  private size: number;
  private openedAt: number;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private stalled = false;
  private failing = false;
  private closed = false;
  rowsWritten = 0;
  rowsDropped = 0;

  private constructor(options: InferenceLogOptions, format: 'csv' | 'jsonl', header: string, fh: FileHandle, size: number) {
    this.options = options;
    this.path = options.path;
    this.format = format;
    this.header = header;
    this.fh = fh;
    this.size = size;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.openedAt = this.now();
  }

  /** Bytes of records waiting for the disk. */
  get bufferedBytes(): number { return this.queuedBytes; }

  static async open(options: InferenceLogOptions): Promise<InferenceLog> {
    const format = inferenceLogFormat(options.path);
    const header = `${[...options.columns.map((c) => c.column), ...(options.predictions ? PREDICTION_COLUMNS : [])].map(csvField).join(',')}\n`;
    await mkdir(dirname(options.path), { recursive: true });
    let fh: FileHandle;
    try {
      fh = await open(options.path, 'a+');
    } catch (err) {
      throw new InputError(`Cannot write the inference log ${options.path}: ${(err as Error).message}`);
    }
    try {
      let size = await repairTornTail(fh, options);
      if (format === 'csv' && size > 0) {
        const buf = Buffer.alloc(Math.min(size, Buffer.byteLength(header)));
        await fh.read(buf, 0, buf.length, 0);
        if (size < Buffer.byteLength(header) || !buf.equals(Buffer.from(header).subarray(0, buf.length))) {
          throw new InputError(`Inference log ${options.path} exists with a different header than this model's (${options.columns.length} features${options.predictions ? ` + ${PREDICTION_COLUMNS.join(', ')}` : ''}); point MLSHIP_INFERENCE_LOG at a new file.`);
        }
      }
      if (format === 'csv' && size === 0) {
        await fh.write(header);
        size = Buffer.byteLength(header);
      }
      return new InferenceLog(options, format, header, fh, size);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /**
   * Logs a sample of the rows of `batch` (every input) with their predictions and row ids. Resolves when those rows are
   * written (or were dropped, or the disk is stalled); never rejects.
   */
  record(batch: InputBatch, predictions: Prediction[], ids?: readonly string[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    const { text, rows } = formatInferenceRecords(this.options, this.format, batch, predictions, ids, this.random, this.now);
    return this.append(text, rows);
  }

  /**
   * Appends records made by formatInferenceRecords (here or in another process: the workers of
   * `mlship serve --workers N` format their rows and the primary appends them to the one file).
   * Resolves as `record` does.
   */
  append(text: string, rows: number): Promise<void> {
    if (this.closed || !rows) return Promise.resolve();
    const bytes = Buffer.byteLength(text);
    if (this.queuedBytes + bytes > (this.options.bufferBytes ?? 8 * 1024 * 1024)) {
      this.rowsDropped += rows;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.queue.push({ text, rows, done: resolve });
      this.queuedBytes += bytes;
      if (this.stalled) resolve();
      this.pump();
    });
  }

  /** One write at a time; what queued meanwhile goes out together in the next one (group commit). */
  private pump(): void {
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
      this.pump();
    });
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const data = Buffer.from(batch.map((p) => p.text).join(''));
    const rows = batch.reduce((a, p) => a + p.rows, 0);
    const stall = setTimeout(() => {
      this.stalled = true;
      for (const p of batch) p.done();
      for (const p of this.queue) p.done();
    }, this.options.stallMs ?? 1000);
    try {
      await this.rotateIfDue();
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await this.fh.write(data, off, data.length - off);
        if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
        off += bytesWritten;
      }
      this.size += data.length;
      this.rowsWritten += rows;
      this.failing = false;
    } catch (err) {
      this.rowsDropped += rows;
      // Cut a partial record off (ENOSPC mid-write): the file ends in a whole line again.
      await this.fh.truncate(this.size).catch(() => {});
      if (!this.failing) this.options.onError?.(err as Error);
      this.failing = true;
    } finally {
      clearTimeout(stall);
      this.stalled = false;
      this.queuedBytes -= data.length;
      for (const p of batch) p.done();
    }
  }

  private async rotateIfDue(): Promise<void> {
    const { maxBytes = 0, maxAgeMs = 0 } = this.options;
    const headerBytes = this.format === 'csv' ? Buffer.byteLength(this.header) : 0;
    const due = (maxBytes > 0 && this.size >= maxBytes) || (maxAgeMs > 0 && this.now() - this.openedAt >= maxAgeMs);
    if (!due || this.size <= headerBytes) return;
    const ext = extname(this.path);
    const stem = this.path.slice(0, this.path.length - ext.length);
    const rotated = `${stem}.${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}${ext}`;
    await this.fh.close();
    await rename(this.path, rotated);
    this.fh = await open(this.path, 'a+');
    this.size = 0;
    this.openedAt = this.now();
    if (this.format === 'csv') {
      await this.fh.write(this.header);
      this.size = headerBytes;
    }
    this.options.onWarn?.('inference log rotated', { path: this.path, rotated_to: rotated });
    await pruneRotated(this.path, this.options.keep ?? 10);
  }

  /**
   * Writes what is queued and closes the file, within `timeoutMs` (default: no limit); rows still
   * queued at the deadline are dropped and counted. Resolves with whether everything was written.
   */
  async close(timeoutMs?: number): Promise<{ flushed: boolean }> {
    if (this.closed) return { flushed: true };
    this.closed = true;
    const flushed = (async () => {
      while (this.writing || this.queue.length) { this.pump(); await this.writing; }
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = timeoutMs === undefined ? new Promise<boolean>(() => {}) : new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs); });
    const ok = await Promise.race([flushed, deadline]);
    clearTimeout(timer);
    if (!ok) {
      for (const p of this.queue) { this.rowsDropped += p.rows; p.done(); }
      this.queue = [];
    }
    // A write still stuck in the kernel would hold FileHandle.close until it returns: do not wait for it.
    if (ok) await this.fh.close().catch(() => {});
    else void this.fh.close().catch(() => {});
    return { flushed: ok };
  }
}

/**
 * A file that does not end in a line break ends in a torn record (power loss, a full disk under
 * another writer): the partial line is appended to `<path>.torn` and cut off, with a warning. Returns
 * the size of the file of whole lines.
 */
async function repairTornTail(fh: FileHandle, options: InferenceLogOptions): Promise<number> {
  const size = (await fh.stat()).size;
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  // Find the last line break, reading backwards in 64 KiB steps.
  let end = size;
  let cut = 0;
  const chunk = Buffer.alloc(64 * 1024);
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const i = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (i >= 0) { cut = start + i + 1; break; }
    end = start;
  }
  const torn = Buffer.alloc(Math.min(size - cut, 16 * 1024 * 1024));
  await fh.read(torn, 0, torn.length, cut);
  await appendFile(`${options.path}.torn`, Buffer.concat([torn, Buffer.from('\n')]));
  await fh.truncate(cut);
  options.onWarn?.('inference log ended in a torn record; moved it aside', { path: options.path, torn_bytes: size - cut, moved_to: `${options.path}.torn`, kept_bytes: cut });
  return cut;
}

/** Deletes rotated files of `path` beyond the newest `keep` (names sort by their UTC time). */
async function pruneRotated(path: string, keep: number): Promise<void> {
  const ext = extname(path);
  const stem = basename(path, ext);
  const dir = dirname(path);
  const re = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z${ext.replace(/\./g, '\\.')}$`);
  const rotated = (await readdir(dir)).filter((n) => re.test(n)).sort();
  for (const n of rotated.slice(0, Math.max(0, rotated.length - keep))) await rm(join(dir, n), { force: true });
}

/** The log's format for a path: JSON Lines for .jsonl / .ndjson, CSV otherwise. */
export function inferenceLogFormat(path: string): 'csv' | 'jsonl' {
  return isJsonLinesPath(path) ? 'jsonl' : 'csv';
}

/**
 * The log records (whole lines) for a sample of the rows of `batch` — each row kept with probability
 * `sampleRate` — and how many were kept; InferenceLog.append writes them. Pure but for `random`.
 */
export function formatInferenceRecords(
  options: Pick<InferenceLogOptions, 'columns' | 'model' | 'version' | 'sampleRate' | 'predictions'>, format: 'csv' | 'jsonl',
  batch: InputBatch, predictions: Prediction[], ids: readonly string[] | undefined, random: () => number = Math.random, now: () => number = Date.now,
): { text: string; rows: number } {
  const cols = options.columns;
  const F = cols.length;
  const rows = batch.rows;
  const data = cols.map((c) => batch.data[c.input]!);
  const width = Int32Array.from(cols, (c) => c.width);
  const offset = Int32Array.from(cols, (c) => c.offset);
  // 0: float32 (shortest float32 decimal), 1: string, 2: other numbers (as JavaScript prints them).
  const kind = Uint8Array.from(cols, (c) => (c.type === 'float32' ? 0 : c.type === 'string' ? 1 : 2));
  const rate = options.sampleRate;
  const time = new Date(now()).toISOString();
  let text = '';
  let kept = 0;
  for (let r = 0; r < rows; r++) {
    if (rate < 1 && !(random() < rate)) continue;
    const p = predictionValue(predictions[r]!);
    if (format === 'csv') {
      const cells = new Array<string>(options.predictions ? F + PREDICTION_COLUMNS.length : F);
      for (let c = 0; c < F; c++) {
        const v = data[c]![r * width[c]! + offset[c]!]!;
        const k = kind[c];
        cells[c] = k === 0 ? shortestFloat32(v as number) : k === 1 ? csvField(v as string) : String(v);
      }
      if (options.predictions) {
        cells[F] = csvField(String(p));
        cells[F + 1] = csvField(ids?.[r] ?? '');
        cells[F + 2] = time;
      }
      text += `${cells.join(',')}\n`;
    } else {
      const obj: Record<string, number | string | null> = {};
      for (let c = 0; c < F; c++) {
        const v = cellValue(data[c]![r * width[c]! + offset[c]!]!, cols[c]!.type);
        obj[cols[c]!.column] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
      }
      text += `${JSON.stringify({ time, model: options.model, version: options.version, ...(ids ? { id: ids[r] } : {}), features: obj, prediction: p })}\n`;
    }
    kept++;
  }
  return { text, rows: kept };
}

/** The columns a CSV log with predictions adds after the features. */
export const PREDICTION_COLUMNS = ['prediction', 'id', 'time'];

function predictionValue(p: Prediction): string | number {
  if (typeof p === 'number') return p;
  if (Array.isArray(p)) return p.join(' ');
  return p.label;
}

/** RFC 4180: quote a field holding a separator, quote or line break; double inner quotes. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One input value for a JSON Lines record: a float32 as its shortest float32 decimal, int64 exactly (as a string beyond 2^53), strings as they are. */
function cellValue(v: number | bigint | string, type: ColumnSlot['type']): number | string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  return type === 'float32' ? Number(shortestFloat32(v)) : v;
}

/** The shortest decimal that reads back (through Math.fround) as the same float32: 5.1, not 5.099999904632568. */
export function shortestFloat32(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}
