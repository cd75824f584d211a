// Worker-thread entry of the parallel CSV reader (data/parallel-table.ts): reads runs of whole rows of
// one file into ModelTables and transfers their typed arrays back without copying. Bundled as
// table-read.worker.js beside the CLI and the actions that read CSVs in parallel.
import { parentPort, workerData } from 'node:worker_threads';
import { workerFailure, type PoolMessage } from '../util/worker-pool.ts';
import { packStrings, readTableRun, tableBuffers, type TableReadDone, type TableReadInit, type TableReadJob } from './parallel-table.ts';

const init = (workerData as { mlshipTableRead?: TableReadInit } | undefined)?.mlshipTableRead;
if (parentPort && init) {
  const port = parentPort;
  port.on('message', (job: TableReadJob) => {
    readTableRun(init, job).then(
      (table) => {
        const strings = packStrings(table);
        port.postMessage({ done: { index: job.index, table, ...(strings ? { strings } : {}) } } satisfies PoolMessage<TableReadDone>, tableBuffers(table, strings));
      },
      (err) => port.postMessage(workerFailure(job.index, err)),
    );
  });
  port.postMessage({ ready: true } satisfies PoolMessage<TableReadDone>);
}
