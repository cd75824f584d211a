// Worker-thread entry of batch scoring: one onnxruntime session per worker; each job is a chunk of
// whole rows (bytes [start, end) of the input) that the worker reads, scores, formats and writes to
// its chunk file. Started by predictBatch (predict.ts); bundled as predict-score.worker.js.
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { readModelTable, type BadRow } from '../data/model-table.ts';
import { MlshipError } from '../errors.ts';
import { tableBatch, type InputBinding } from '../model/input-map.ts';
import { OnnxModel } from '../model/onnx-model.ts';
import { chunkFile, writeDurable } from './chunk-files.ts';
import { csvField, formatRows, type OutputFormat, type PredictionLayout } from './prediction-columns.ts';
import { RowScanner } from './row-scanner.ts';

export interface ScoreWorkerInit {
  modelPath: string;
  dataPath: string;
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
}

export interface ScoreJob { index: number; start: number; end: number; firstLine: number }
export type ScoreWorkerMessage =
  | { ready: true }
  | { done: { index: number; rows: number; rejected: number; bytes: number } }
  | { error: { index: number; name: string; template: string; message: string; exitCode: number } };

const init = (workerData as { mlshipPredict?: ScoreWorkerInit } | undefined)?.mlshipPredict;
if (parentPort && init) {
  const port = parentPort;
  const fail = (index: number, err: unknown) => port.postMessage({
    error: {
      index, name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err),
      template: err instanceof MlshipError ? err.template : (err as Error).message ?? String(err), exitCode: err instanceof MlshipError ? err.exitCode : 2,
    },
  } satisfies ScoreWorkerMessage);
  let model: OnnxModel;
  try {
    model = await OnnxModel.load(init.modelPath, { sessionOptions: { graphOptimizationLevel: 'all', executionMode: 'sequential', intraOpNumThreads: 1, interOpNumThreads: 1 } });
    port.postMessage({ ready: true } satisfies ScoreWorkerMessage);
  } catch (err) {
    fail(-1, err);
    throw err;
  }
  const stringColumns = new Set(init.stringColumns);
  port.on('message', (job: ScoreJob) => {
    scoreChunk(model, job).then((done) => port.postMessage({ done } satisfies ScoreWorkerMessage), (err) => fail(job.index, err));
  });

  async function scoreChunk(m: OnnxModel, job: ScoreJob): Promise<{ index: number; rows: number; rejected: number; bytes: number }> {
    const bad: BadRow[] = [];
    const table = await readModelTable(init!.dataPath, {
      targets: [], features: init!.features, stringColumns, allowMissing: init!.allowMissing, keepText: init!.keep,
      range: { start: job.start, end: job.end, columns: init!.columns, firstLine: job.firstLine, firstRow: 0 },
      ...(init!.skipBadRows ? { onBadRow: (b: BadRow) => { bad.push(b); } } : {}),
    });
    let text = '';
    if (table.rows > 0) {
      const outputs = await m.run(tableBatch(table, init!.bindings), { outputs: init!.layout.fetch, batchSize: init!.batchSize });
      text = formatRows(init!.layout, outputs, table.rows, init!.keep, table.text, init!.format);
    }
    const bytes = await writeDurable(chunkFile(init!.runDir, job.index, 'out'), text);
    if (bad.length) await writeDurable(chunkFile(init!.runDir, job.index, 'rejects'), await rejectLines(init!.dataPath, job, bad));
    return { index: job.index, rows: table.rows, rejected: bad.length, bytes };
  }
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
      out += `${decoder.decode(buf.subarray(pos, e))},${line},${csvField(message)}\n`;
    }
    pos = end;
  }
  return out;
}
