import { concatBatches, type InputBatch } from '../model/feeds.ts';
import type { OutputTensor } from '../model/onnx-model.ts';

export interface BatcherOptions {
  /** Most rows merged into one run (1 = no batching: every request runs alone, at once). */
  maxBatchSize: number;
  /** Once busy, how long a run may wait for more rows before it starts (0 = never wait). */
  maxWaitMs: number;
  /** Called after every run with the rows and the number of requests it merged (for metrics). */
  onBatch?: (rows: number, requests: number) => void;
}

/** Runs a batch of rows (every model input, model/feeds.ts) and returns every output with a leading row dimension. */
export type RunBatch = (batch: InputBatch) => Promise<Record<string, OutputTensor>>;

interface Pending {
  batch: InputBatch;
  rows: number;
  resolve: (out: Record<string, OutputTensor>) => void;
  reject: (err: unknown) => void;
}

/**
 * Dynamic batching: merges concurrent requests into one model run and splits the outputs back.
 *
 * - Idle (no run executing, the last run carried one request): a lone request is dispatched at once,
 *   so low-load latency is that of a plain `session.run`. Once runs carry several requests, dispatch
 *   moves to the end of the current event-loop turn (`setImmediate`), merging every request parsed
 *   in that turn.
 * - Busy: requests that arrive while a run executes wait in a queue; when the run finishes, up to
 *   `maxBatchSize` rows of them go into the next run (a request larger than that runs alone, never
 *   split). With `maxWaitMs` > 0 and the last run having merged several requests, a run that is not
 *   full waits up to `maxWaitMs` for more rows.
 * - One run at a time: onnxruntime-node executes `session.run` synchronously on the event-loop
 *   thread, so parallel runs would only interleave; merging is what saves work.
 */
export class DynamicBatcher {
  private readonly run: RunBatch;
  private readonly options: BatcherOptions;
  private readonly queue: Pending[] = [];
  private queuedRows = 0;
  private running = false;
  private scheduled: { kind: 'now'; handle: NodeJS.Immediate } | { kind: 'wait'; handle: NodeJS.Timeout } | null = null;
  private lastRequests = 0;

  constructor(run: RunBatch, options: BatcherOptions) {
    if (!(options.maxBatchSize >= 1)) throw new Error(`maxBatchSize must be ≥ 1, got ${options.maxBatchSize}`);
    this.run = run;
    this.options = options;
  }

  /** Queues a request's rows and resolves with this request's slice of every output. */
  submit(batch: InputBatch): Promise<Record<string, OutputTensor>> {
    const rows = batch.rows;
    if (this.options.maxBatchSize === 1) {
      return this.run(batch).then((out) => { this.options.onBatch?.(rows, 1); return out; });
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, rows, resolve, reject });
      this.queuedRows += rows;
      this.schedule();
    });
  }

  /** Rows waiting for a run. */
  get pendingRows(): number { return this.queuedRows; }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const full = this.queuedRows >= this.options.maxBatchSize;
    if (this.scheduled) {
      if (full && this.scheduled.kind === 'wait') {
        clearTimeout(this.scheduled.handle);
        this.scheduled = { kind: 'now', handle: setImmediate(() => this.flush()) };
      }
      return;
    }
    if (this.lastRequests <= 1 && this.queue.length === 1) {
      // Low load (the last run carried a single request and this one is alone): dispatch now, no turn lost.
      this.flush();
    } else if (!full && this.options.maxWaitMs > 0 && this.lastRequests > 1) {
      this.scheduled = { kind: 'wait', handle: setTimeout(() => this.flush(), this.options.maxWaitMs) };
    } else {
      this.scheduled = { kind: 'now', handle: setImmediate(() => this.flush()) };
    }
  }

  private flush(): void {
    this.scheduled = null;
    if (this.running || this.queue.length === 0) return;
    const max = this.options.maxBatchSize;
    let take = 0;
    let rows = 0;
    while (take < this.queue.length && (take === 0 || rows + this.queue[take]!.rows <= max)) rows += this.queue[take++]!.rows;
    const batch = this.queue.splice(0, take);
    this.queuedRows -= rows;
    this.running = true;
    const merged = batch.length === 1 ? batch[0]!.batch : concatBatches(batch.map((p) => p.batch));
    this.run(merged).then((out) => {
      this.options.onBatch?.(rows, batch.length);
      if (batch.length === 1) { batch[0]!.resolve(out); return; }
      let start = 0;
      for (const p of batch) {
        p.resolve(sliceRows(out, start, p.rows));
        start += p.rows;
      }
    }, (err) => {
      for (const p of batch) p.reject(err);
    }).finally(() => {
      this.running = false;
      this.lastRequests = batch.length;
      this.schedule();
    });
  }
}

/** Rows [start, start+rows) of every output (views of typed arrays; string outputs are copied). */
export function sliceRows(outputs: Record<string, OutputTensor>, start: number, rows: number): Record<string, OutputTensor> {
  const out: Record<string, OutputTensor> = {};
  for (const [name, t] of Object.entries(outputs)) {
    const inner = t.dims.slice(1).reduce((a, b) => a * b, 1);
    const data = t.data as Float32Array;
    const part = Array.isArray(data) ? data.slice(start * inner, (start + rows) * inner) : data.subarray(start * inner, (start + rows) * inner);
    out[name] = { type: t.type, dims: [rows, ...t.dims.slice(1)], data: part as OutputTensor['data'] };
  }
  return out;
}
