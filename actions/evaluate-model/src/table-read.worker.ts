// Bundled to actions/evaluate-model/dist/table-read.worker.js: the parallel CSV reader's worker thread (evaluate).
import '@mlship/sdk/table-read-worker';
