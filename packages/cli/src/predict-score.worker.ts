// Bundled to packages/cli/dist/predict-score.worker.js: batch scoring's worker thread (one onnxruntime session).
import '@mlship/sdk/batch-score-worker';
