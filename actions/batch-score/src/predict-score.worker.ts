// Bundled to dist/predict-score.worker.js: batch scoring's worker thread (one onnxruntime session).
import '../../../packages/sdk/src/batch/score-worker.ts';
