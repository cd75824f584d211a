import { Worker, type ResourceLimits } from 'node:worker_threads';
import { InputError, MlshipError } from '../errors.ts';

/** A job's failure as a worker posts it: InputErrors keep their template (option references unrendered). */
export interface WorkerFailure { index: number; name: string; template: string; message: string; exitCode: number }

/** What a pool worker posts: once ready (after its set-up), then one `done` or `error` per job (`index` < 0: its set-up failed). */
export type PoolMessage<R extends { index: number }> = { ready: true } | { done: R } | { error: WorkerFailure };

/** The message a worker posts for a thrown value. */
export function workerFailure(index: number, err: unknown): { error: WorkerFailure } {
  return {
    error: {
      index, name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err),
      template: err instanceof MlshipError ? err.template : (err as Error).message ?? String(err), exitCode: err instanceof MlshipError ? err.exitCode : 2,
    },
  };
}

/** The error a failure stands for in this thread: an InputError again (exit 2, same message), else a plain Error. */
export function errorOfFailure(e: WorkerFailure): Error {
  return e.name === 'InputError' && e.exitCode === 2 ? new InputError(e.template) : new Error(e.message);
}

export interface OrderedPoolOptions<J extends { index: number }, R extends { index: number }> {
  /** The worker entry (its module reads `workerData`, posts `ready`, and answers each posted job). */
  entry: URL;
  workerData: unknown;
  count: number;
  /** Each worker's V8 heap limits (a small young generation keeps a streaming worker's memory flat). */
  resourceLimits?: ResourceLimits;
  /** The jobs, in order (indexes increasing). */
  jobs: AsyncIterable<J>;
  /** Jobs not to run (done in an earlier run). */
  skip?: (job: J) => boolean;
  /** Called once per finished job, one call after another in the order they finish (awaited before the next). */
  onDone: (job: J, result: R) => void | Promise<void>;
  /**
   * Called with the earliest failed job's index and error before the pool throws (every earlier job is
   * done then): clean-up, or an error to throw instead (one restated with what only the caller knows).
   */
  onFailure?: (index: number, error: Error) => Promise<Error | void>;
}

/**
 * Runs `jobs` on `count` worker threads, at most two queued per worker (memory stays bounded), the
 * least busy worker first. On a job's error it stops handing out jobs, waits for the ones in flight and
 * throws the error of the earliest failed job — the first failure in job order, deterministically,
 * whichever finished first. A worker that dies or fails its set-up stops the pool with its error.
 * The workers are terminated at the end.
 */
export async function runOrderedPool<J extends { index: number }, R extends { index: number }>(o: OrderedPoolOptions<J, R>): Promise<void> {
  const workers: Worker[] = [];
  const errors = new Map<number, Error>();
  const inFlight = new Map<Worker, Map<number, J>>();
  let wake: (() => void) | undefined;
  const notify = () => { const w = wake; wake = undefined; w?.(); };
  const wait = () => new Promise<void>((res) => { wake = res; });
  let fatal: Error | undefined;
  let chain = Promise.resolve();
  // Settled once a worker has finished its set-up (ready, failed or exited): terminating a worker
  // while it is still loading a native addon (onnxruntime-node) can abort the whole process.
  const settled: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < o.count; i++) {
      const w = new Worker(o.entry, { workerData: o.workerData, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}) });
      workers.push(w);
      inFlight.set(w, new Map());
      let setUp!: () => void;
      settled.push(new Promise<void>((res) => { setUp = res; }));
      w.on('message', (msg: PoolMessage<R>) => {
        if (!('done' in msg)) setUp();
        if ('ready' in msg) return;
        if ('done' in msg) {
          const job = inFlight.get(w)!.get(msg.done.index)!;
          inFlight.get(w)!.delete(job.index);
          chain = chain.then(() => o.onDone(job, msg.done)).then(notify, (err) => { fatal ??= err as Error; notify(); });
          // The worker has room for a job now: hand it one without waiting for onDone (a durable log write).
          notify();
          return;
        }
        const err = errorOfFailure(msg.error);
        if (msg.error.index < 0) fatal ??= err;
        else { inFlight.get(w)!.delete(msg.error.index); errors.set(msg.error.index, err); }
        notify();
      });
      w.on('error', (err) => { setUp(); fatal ??= err; notify(); });
      w.on('exit', (code) => { setUp(); if (code !== 0) { fatal ??= new Error(`a worker thread exited with code ${code}`); notify(); } });
    }
    for await (const job of o.jobs) {
      if (o.skip?.(job)) continue;
      for (;;) {
        if (fatal) throw fatal;
        if (errors.size) break;
        const free = workers.find((w) => inFlight.get(w)!.size < 2 && [...inFlight.values()].every((m) => m.size >= inFlight.get(w)!.size));
        if (free) { inFlight.get(free)!.set(job.index, job); free.postMessage(job); break; }
        await wait();
      }
      if (errors.size) break;
    }
    while ([...inFlight.values()].some((m) => m.size > 0)) {
      if (fatal) throw fatal;
      await wait();
    }
    await chain;
    if (fatal) throw fatal;
    if (errors.size) {
      const first = Math.min(...errors.keys());
      throw (await o.onFailure?.(first, errors.get(first)!)) ?? errors.get(first)!;
    }
  } finally {
    // A worker given no job (fewer jobs than workers) may still be setting up: let it finish first
    // (bounded: one that hangs in its set-up is terminated after SETUP_WAIT_MS all the same).
    await Promise.race([Promise.all(settled), new Promise((res) => setTimeout(res, SETUP_WAIT_MS).unref())]);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** How long the pool waits, at the end, for workers still in their set-up before terminating them. */
const SETUP_WAIT_MS = 30_000;
