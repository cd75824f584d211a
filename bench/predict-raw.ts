// Baseline of bench/predict.bench.ts: raw onnxruntime-node, ONE session with one intra-op thread, over
// the same float32 tensor mlship predict scores (parsed first with the SDK's readLabelledTable, not
// timed as inference), in runs of 8192 rows as mlship runs them. Prints JSON timings.
//   node bench/predict-raw.ts MODEL.onnx DATA.csv
import { loadOnnxRuntime, readLabelledTable } from '../packages/sdk/src/index.ts';

const [model, data] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
const ort = await loadOnnxRuntime();
const table = await readLabelledTable(data);
const t1 = performance.now();
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const nf = table.featureNames.length;
const t2 = performance.now();
let labels = 0;
for (let start = 0; start < table.rows; start += 8192) {
  const n = Math.min(8192, table.rows - start);
  const tensor = new ort.Tensor('float32', table.features.subarray(start * nf, (start + n) * nf), [n, nf]);
  const out = await session.run({ [session.inputNames[0]!]: tensor }, ['label', 'probabilities']);
  labels += out.label!.data.length;
}
const t3 = performance.now();
process.stdout.write(`${JSON.stringify({ rows: table.rows, labels, seconds: { read_csv: (t1 - t0) / 1000, inference: (t3 - t2) / 1000 } })}\n`);
