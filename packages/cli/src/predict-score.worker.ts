// Bundled to packages/cli/dist/predict-score.worker.js: batch scoring's worker thread (one onnxruntime session).
import '../../sdk/src/batch/score-worker.ts';
