// Bundled to dist/drift-read.worker.js: the drift check's CSV-reading worker thread.
import '../../../packages/sdk/src/drift/read-worker.ts';
