import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';
import type { Prediction } from './codec.ts';

export interface InferenceLogOptions {
  /** `.csv` (default) or `.jsonl`. */
  path: string;
  featureNames: string[];
  model: string;
  version: string;
  /** Fraction of rows kept, 0..1 (each row independently). */
  sampleRate: number;
  /** CSV: add `prediction`, `id` and `time` columns after the features (default false: the header is exactly the features). */
  predictions?: boolean;
  /** Uniform [0, 1) source (tests pass a fixed one). */
  random?: () => number;
  /** A write failed (disk full, file removed…): logging stops, serving goes on. */
  onError?: (err: Error) => void;
}

/**
 * The inference log: a sample of the rows the server predicted, for drift-check to read as its
 * *current* data.
 *
 * CSV (any path not ending in .jsonl): a header with exactly the model's feature names in input order
 * (the training CSV's header minus the target), one row per logged input, so the file goes straight to
 * drift-check as `current` against a reference CSV of training features (drift-check wants the same
 * columns in both files unless --columns/--exclude narrow the comparison). With `predictions`, three
 * more columns follow: `prediction` (the class label or regression value), `id` (the row id,
 * server/request-ids.ts) and `time` (ISO 8601 UTC) — what `mlship evaluate --predictions` joins with
 * labels that arrive later (for drift-check, `--exclude prediction,id,time`). RFC 4180 quoting, values
 * as the shortest decimal that reads back as the same float32 the model saw.
 *
 * JSONL: one `{"time", "model", "version", "id", "features": {name: value}, "prediction"}` object per row.
 *
 * The file is appended to across restarts; an existing CSV must have the same header. Writes are
 * buffered by a stream and each batch of rows is one write, so a line is never half-written by us.
 */
export class InferenceLog {
  readonly path: string;
  readonly format: 'csv' | 'jsonl';
  private readonly options: InferenceLogOptions;
  private readonly stream: WriteStream;
  private readonly random: () => number;
  private failed = false;
  rowsWritten = 0;

  private constructor(options: InferenceLogOptions, format: 'csv' | 'jsonl', stream: WriteStream) {
    this.options = options;
    this.path = options.path;
    this.format = format;
    this.stream = stream;
    this.random = options.random ?? Math.random;
    stream.on('error', (err) => {
      this.failed = true;
      options.onError?.(err);
    });
  }

  static async open(options: InferenceLogOptions): Promise<InferenceLog> {
    const format = options.path.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'csv';
    const header = `${[...options.featureNames, ...(options.predictions ? PREDICTION_COLUMNS : [])].map(csvField).join(',')}\n`;
    let existing = 0;
    try {
      existing = (await stat(options.path)).size;
    } catch { /* new file */ }
    if (format === 'csv' && existing > 0) {
      const fh = await open(options.path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(existing, header.length + 1));
        await fh.read(buf, 0, buf.length, 0);
        if (!buf.toString('utf8').startsWith(header)) {
          throw new InputError(`Inference log ${options.path} exists with a different header than this model's (${options.featureNames.length} features${options.predictions ? ` + ${PREDICTION_COLUMNS.join(', ')}` : ''}); point MLSHIP_INFERENCE_LOG at a new file.`);
        }
      } finally {
        await fh.close();
      }
    }
    await mkdir(dirname(options.path), { recursive: true });
    const stream = createWriteStream(options.path, { flags: 'a' });
    await new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', (e) => reject(new InputError(`Cannot write the inference log ${options.path}: ${e.message}`))); });
    const log = new InferenceLog(options, format, stream);
    if (format === 'csv' && existing === 0) stream.write(header);
    return log;
  }

  /** Logs a sample of `rows` rows of `features` with their predictions and row ids. */
  record(features: Float32Array, rows: number, predictions: Prediction[], ids?: readonly string[]): void {
    if (this.failed) return;
    const F = this.options.featureNames.length;
    const rate = this.options.sampleRate;
    const time = new Date().toISOString();
    let text = '';
    for (let r = 0; r < rows; r++) {
      if (rate < 1 && !(this.random() < rate)) continue;
      const p = predictionValue(predictions[r]!);
      if (this.format === 'csv') {
        const cells = new Array<string>(this.options.predictions ? F + PREDICTION_COLUMNS.length : F);
        for (let c = 0; c < F; c++) cells[c] = shortestFloat32(features[r * F + c]!);
        if (this.options.predictions) {
          cells[F] = csvField(String(p));
          cells[F + 1] = csvField(ids?.[r] ?? '');
          cells[F + 2] = time;
        }
        text += `${cells.join(',')}\n`;
      } else {
        const obj: Record<string, number> = {};
        for (let c = 0; c < F; c++) obj[this.options.featureNames[c]!] = Number(shortestFloat32(features[r * F + c]!));
        text += `${JSON.stringify({ time, model: this.options.model, version: this.options.version, ...(ids ? { id: ids[r] } : {}), features: obj, prediction: p })}\n`;
      }
      this.rowsWritten++;
    }
    if (text) this.stream.write(text);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    if (this.failed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
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

/** The shortest decimal that reads back (through Math.fround) as the same float32: 5.1, not 5.099999904632568. */
export function shortestFloat32(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}
