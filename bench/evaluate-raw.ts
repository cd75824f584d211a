// Baseline (b) of bench/evaluate.bench.ts: the same CSV parse as mlship (readLabelledTable) plus one
// raw onnxruntime-node run over the whole float32 tensor — no metrics, no report. Prints JSON timings.
//   node bench/evaluate-raw.ts MODEL.onnx TEST.csv
import { loadOnnxRuntime, readLabelledTable } from '../packages/sdk/src/index.ts';

const [model, data] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
const ort = await loadOnnxRuntime();
const table = await readLabelledTable(data);
const t1 = performance.now();
const session = await ort.InferenceSession.create(model);
const tensor = new ort.Tensor('float32', table.features, [table.rows, table.featureNames.length]);
const out = await session.run({ [session.inputNames[0]!]: tensor }, ['label', 'probabilities']);
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ rows: table.rows, labels: out.label!.data.length, seconds: { read_csv: (t1 - t0) / 1000, inference: (t2 - t1) / 1000 } })}\n`);
