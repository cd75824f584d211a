// The naive peer of `npm run bench -- serve`: node:http + onnxruntime-node with default session
// options, one session.run per request, the same OIP V2 request/response JSON as mlship. No batching,
// no validation beyond what the runtime does. Usage: node bench/naive-onnx-server.ts MODEL.onnx PORT
import { createServer } from 'node:http';
import { loadOnnxRuntime } from '../packages/sdk/src/model/onnxruntime.ts';

const [modelPath, port] = process.argv.slice(2);
const ort = await loadOnnxRuntime();
const session = await ort.InferenceSession.create(modelPath!);
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const input = JSON.parse(Buffer.concat(chunks).toString()).inputs[0];
      const feeds = { [input.name]: new ort.Tensor('float32', Float32Array.from(input.data.flat()), input.shape) };
      const out = await session.run(feeds);
      const outputs = Object.entries(out).map(([name, t]) => ({ name, shape: t.dims, datatype: t.type === 'int64' ? 'INT64' : 'FP32', data: Array.from(t.data as ArrayLike<number | bigint>, Number) }));
      const body = JSON.stringify({ model_name: 'model', model_version: '1', outputs });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
    }
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
