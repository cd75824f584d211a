// Bundled to dist/drift-read.worker.js: the drift check's CSV-reading worker thread.
import '@mlship/sdk/drift-read-worker';
