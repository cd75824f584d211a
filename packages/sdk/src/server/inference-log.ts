import { createWriteStream, type WriteStream } from 'node:fs';
import { isJsonLinesPath } from '../data/json-lines.ts';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';
import type { Prediction } from './codec.ts';

export interface InferenceLogOptions {
  /** `.csv` (default), or JSON Lines for `.jsonl` / `.ndjson`. */
  path: string;
  featureNames: string[];
  model: string;
  version: string;
  /** Fraction of rows kept, 0..1 (each row independently). */
  sampleRate: number;
  /** CSV: add a `prediction` column after the features (default false: the header is exactly the features). */
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
 * CSV (any path not ending in .jsonl or .ndjson): a header with exactly the model's feature names in input order
 * (the training CSV's header minus the target), one row per logged input, so the file goes straight to
 * drift-check as `current` against a reference CSV of training features (drift-check wants the same
 * columns in both files unless --columns/--exclude narrow the comparison). With `predictions`, a last
 * `prediction` column holds the class label or regression value (for prediction drift give the
 * reference the same column, or `--exclude prediction`). RFC 4180 quoting, values as the shortest
 * decimal that reads back as the same float32 the model saw.
 *
 * JSONL: one `{"time", "model", "version", "features": {name: value}, "prediction"}` object per row.
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
    const format = isJsonLinesPath(options.path) ? 'jsonl' : 'csv';
    const header = `${[...options.featureNames, ...(options.predictions ? ['prediction'] : [])].map(csvField).join(',')}\n`;
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
          throw new InputError(`Inference log ${options.path} exists with a different header than this model's (${options.featureNames.length} features${options.predictions ? ' + prediction' : ''}); point MLSHIP_INFERENCE_LOG at a new file.`);
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

  /** Logs a sample of `rows` rows of `features` with their predictions. */
  record(features: Float32Array, rows: number, predictions: Prediction[]): void {
    if (this.failed) return;
    const F = this.options.featureNames.length;
    const rate = this.options.sampleRate;
    let text = '';
    for (let r = 0; r < rows; r++) {
      if (rate < 1 && !(this.random() < rate)) continue;
      const p = predictionValue(predictions[r]!);
      if (this.format === 'csv') {
        const cells = new Array<string>(this.options.predictions ? F + 1 : F);
        for (let c = 0; c < F; c++) cells[c] = shortestFloat32(features[r * F + c]!);
        if (this.options.predictions) cells[F] = csvField(String(p));
        text += `${cells.join(',')}\n`;
      } else {
        const obj: Record<string, number> = {};
        for (let c = 0; c < F; c++) obj[this.options.featureNames[c]!] = Number(shortestFloat32(features[r * F + c]!));
        text += `${JSON.stringify({ time: new Date().toISOString(), model: this.options.model, version: this.options.version, features: obj, prediction: p })}\n`;
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
