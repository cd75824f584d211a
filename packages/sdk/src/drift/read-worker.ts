// Worker-thread entry of the drift check: reads the wanted columns of one CSV file (columns.ts), sorts
// the numeric ones, and transfers them back without copying. Started by readColumnsInWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { readColumns, type ColumnRead } from './columns.ts';
import { sortFloat64 } from '../util/sort-float64.ts';

interface Job {
  path: string;
  wanted: Array<[number, { text: boolean }]>;
  expectedRows?: number;
  progressLabel?: string;
  buffers?: ArrayBuffer[];
}

if (parentPort && (workerData as { mlshipDriftRead?: Job } | undefined)?.mlshipDriftRead) {
  const job = (workerData as { mlshipDriftRead: Job }).mlshipDriftRead;
  const port = parentPort;
  try {
    const res = await readColumns(job.path, {
      wanted: new Map(job.wanted),
      expectedRows: job.expectedRows,
      buffers: job.buffers,
      progressLabel: job.progressLabel,
      logger: { debug() {}, info() {}, warn() {}, progress: (label, done, total) => port.postMessage({ progress: [label, done, total] }) },
    });
    const transfer: ArrayBuffer[] = [];
    const columns: Array<[number, ColumnRead]> = [];
    for (const [idx, c] of res.columns) {
      if (c.values) {
        sortFloat64(c.values);
        c.sorted = true;
        transfer.push(c.values.buffer as ArrayBuffer);
      }
      columns.push([idx, c]);
    }
    port.postMessage({ result: { header: res.header, rows: res.rows, columns } }, transfer);
  } catch (err) {
    port.postMessage({ error: { name: (err as Error).name, message: (err as Error).message } });
  }
}
