// The model server over real HTTP on 127.0.0.1: every endpoint, every bad-input case, a little fuzzing.
// Expected predictions come from onnxruntime-node's own session over the same rows (OnnxModel.predict,
// one run, no batching), i.e. the served numbers must be exactly what the runtime computes.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxModel, readCsv, servedModelFrom, type ModelServer } from '@mlship/sdk';
import { datasetRows, FIXTURES, get, http, inferBody, IRIS_CLASSES, post, startServer, writeIrisPackage } from './helpers.ts';

let tmp: string;
let iris: { server: ModelServer; url: string; logs: Array<Record<string, unknown>> };
let digits: { server: ModelServer; url: string };
let diabetes: { server: ModelServer; url: string };
let small: { server: ModelServer; url: string };
let irisRows: number[][];
let irisFeatureNames: string[];
let irisRef: { label: number[]; probabilities: number[] };
let loggedRows = 0;

async function reference(modelFile: string, rows: number[][]) {
  const model = await OnnxModel.load(join(FIXTURES, 'models', modelFile));
  const out = await model.predict(new Float32Array(rows.flat()), rows.length);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-server-'));
  await writeIrisPackage(join(tmp, 'iris-pkg'));
  const ds = await datasetRows('iris');
  irisRows = ds.rows;
  irisFeatureNames = ds.table.featureNames;
  irisRef = (await reference('iris_rf.onnx', irisRows)) as typeof irisRef;
  iris = await startServer(await servedModelFrom(join(tmp, 'iris-pkg')), { inferenceLog: join(tmp, 'inference.csv'), inferenceLogSample: 1, inferenceLogPredictions: true });
  digits = await startServer(await servedModelFrom(join(FIXTURES, 'models/digits_mlp.onnx')));
  diabetes = await startServer(await servedModelFrom(join(FIXTURES, 'models/diabetes_linreg.onnx')));
  small = await startServer(await servedModelFrom(join(FIXTURES, 'models/iris_rf.onnx')), { bodyLimitBytes: 1024 });
});

afterAll(async () => {
  await Promise.all([iris?.server.close(), digits?.server.close(), diabetes?.server.close(), small?.server.close()]);
  await rm(tmp, { recursive: true, force: true });
});

describe('health and metadata (Open Inference Protocol V2)', () => {
  it('answers live, ready, server metadata and model ready', async () => {
    expect((await get(iris.url, '/v2/health/live')).status).toBe(200);
    expect((await get(iris.url, '/v2/health/ready')).status).toBe(200);
    expect((await get(iris.url, '/v2/models/iris-rf/ready')).status).toBe(200);
    expect((await get(iris.url, '/v2/models/iris-rf/versions/1.2.0/ready')).status).toBe(200);
    const meta = await get(iris.url, '/v2');
    expect(meta.json).toEqual({ name: 'mlship', version: '0.1.0', extensions: ['binary_tensor_data'] });
    expect((await http(iris.url, 'HEAD', '/v2/health/ready')).status).toBe(200);
  });

  it('describes the model: name, versions, platform, inputs and outputs with OIP datatypes and -1 for the batch, and the model file\'s sha256', async () => {
    const expected = {
      name: 'iris-rf', versions: ['1.2.0'], platform: 'onnxruntime',
      inputs: [{ name: 'float_input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
      // Hashed here from the package's model file (the manifest records the same).
      parameters: { sha256: createHash('sha256').update(await readFile(join(tmp, 'iris-pkg', 'model.onnx'))).digest('hex') },
    };
    expect((await get(iris.url, '/v2/models/iris-rf')).json).toEqual(expected);
    expect((await get(iris.url, '/v2/models/iris-rf/versions/1.2.0')).json).toEqual(expected);
    // torch names its batch dimension ("batch"): still -1.
    expect((await get(digits.url, '/v2/models/digits_mlp')).json.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 64] }]);
  });
});

describe('inference', () => {
  it('POST /v2/models/{name}/infer returns exactly the runtime\'s outputs for all 30 iris test rows', async () => {
    const r = await post(iris.url, '/v2/models/iris-rf/infer', inferBody('float_input', irisRows, { id: 'req-1' }));
    loggedRows += irisRows.length;
    expect(r.status).toBe(200);
    expect(r.json.model_name).toBe('iris-rf');
    expect(r.json.model_version).toBe('1.2.0');
    expect(r.json.id).toBe('req-1');
    const [label, proba] = r.json.outputs;
    expect(label).toEqual({ name: 'label', shape: [30], datatype: 'INT64', data: irisRef.label });
    expect(proba.name).toBe('probabilities');
    expect(proba.shape).toEqual([30, 3]);
    expect(proba.datatype).toBe('FP32');
    proba.data.forEach((p: number, i: number) => expect(p).toBeCloseTo(irisRef.probabilities[i]!, 6));
  });

  it('accepts nested data, a versioned URL, a single row without batch dimension and an outputs selection', async () => {
    const nested = { inputs: [{ name: 'float_input', shape: [2, 4], datatype: 'FP32', data: irisRows.slice(0, 2) }], outputs: [{ name: 'label' }] };
    const r = await post(iris.url, '/v2/models/iris-rf/versions/1.2.0/infer', nested);
    loggedRows += 2;
    expect(r.status).toBe(200);
    expect(r.json.outputs).toEqual([{ name: 'label', shape: [2], datatype: 'INT64', data: irisRef.label.slice(0, 2) }]);
    const one = await post(iris.url, '/v2/models/iris-rf/infer', { inputs: [{ name: 'float_input', shape: [4], datatype: 'FP32', data: irisRows[5] }] });
    loggedRows += 1;
    expect(one.json.outputs[0].data).toEqual([irisRef.label[5]]);
  });

  it('POST /predict maps labels to class labels and reports probabilities per class, rows as arrays or objects', async () => {
    const rows = irisRows.slice(0, 6);
    const asArrays = await post(iris.url, '/predict', { instances: rows });
    const asObjects = await post(iris.url, '/predict', { instances: rows.map((r) => Object.fromEntries(irisFeatureNames.map((n, j) => [n, r[j]]))) });
    const bare = await post(iris.url, '/predict', rows);
    loggedRows += 18;
    for (const r of [asArrays, asObjects, bare]) {
      expect(r.status).toBe(200);
      expect(r.json.predictions).toHaveLength(6);
      r.json.predictions.forEach((p: { label: string; classes: string[]; probabilities: number[] }, i: number) => {
        expect(p.label).toBe(IRIS_CLASSES[irisRef.label[i]!]);
        expect(p.classes).toEqual(IRIS_CLASSES);
        IRIS_CLASSES.forEach((_, j) => expect(p.probabilities[j]).toBeCloseTo(irisRef.probabilities[i * 3 + j]!, 6));
      });
    }
  });

  it('a model without a label output (torch MLP) predicts the argmax of its probabilities', async () => {
    const { rows } = await datasetRows('digits');
    const sample = rows.slice(0, 20);
    const ref = await reference('digits_mlp.onnx', sample);
    const r = await post(digits.url, '/predict', { instances: sample });
    expect(r.status).toBe(200);
    r.json.predictions.forEach((p: { label: number; classes: number[]; probabilities: number[] }, i: number) => {
      const probs = ref.probabilities!.slice(i * 10, i * 10 + 10);
      expect(p.label).toBe(probs.indexOf(Math.max(...probs)));
      expect(p.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      probs.forEach((q, j) => expect(p.probabilities[j]).toBeCloseTo(q, 6));
    });
  });

  it('a regressor returns values', async () => {
    const { rows } = await datasetRows('diabetes');
    const ref = await reference('diabetes_linreg.onnx', rows);
    const r = await post(diabetes.url, '/predict', { instances: rows });
    expect(r.status).toBe(200);
    expect(r.json.predictions).toHaveLength(rows.length);
    r.json.predictions.forEach((v: number, i: number) => expect(v).toBeCloseTo(ref.variable![i]!, 4));
  });

  it('splits merged runs back correctly: 120 concurrent requests each get their own row\'s answer', async () => {
    const before = iris.server.metrics.batchRequests.snapshot();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => post(iris.url, '/v2/models/iris-rf/infer', inferBody('float_input', [irisRows[i % 30]!], { id: String(i) }))));
    loggedRows += 120;
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.json.id).toBe(String(i));
      expect(r.json.outputs[0].data).toEqual([irisRef.label[i % 30]]);
    });
    const after = iris.server.metrics.batchRequests.snapshot();
    expect(after.sum - before.sum).toBe(120); // every request went through exactly one run
  });
});

describe('bad input → 4xx with a reason, never a crash', () => {
  const row = [5.1, 3.5, 1.4, 0.2];
  const infer = (over: Record<string, unknown>) => ({ inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: row, ...over }] });
  const cases: Array<[string, string, unknown, number, RegExp]> = [
    ['invalid JSON', '/v2/models/iris-rf/infer', '{"inputs": [', 400, /not valid JSON/],
    ['empty body', '/v2/models/iris-rf/infer', '', 400, /body is empty/],
    ['not an object', '/v2/models/iris-rf/infer', [1, 2], 400, /must be a JSON object/],
    ['no inputs', '/v2/models/iris-rf/infer', { id: 'x' }, 400, /"inputs" must be a non-empty array/],
    ['two inputs', '/v2/models/iris-rf/infer', { inputs: [infer({}).inputs[0], infer({}).inputs[0]] }, 400, /takes exactly one/],
    ['wrong input name', '/v2/models/iris-rf/infer', infer({ name: 'x' }), 400, /has one input, "float_input"/],
    ['wrong datatype', '/v2/models/iris-rf/infer', infer({ datatype: 'INT64' }), 400, /datatype is "INT64"; input "float_input" is FP32/],
    ['wrong shape', '/v2/models/iris-rf/infer', infer({ shape: [1, 3], data: [1, 2, 3] }), 400, /does not fit input "float_input" \[-1, 4\]/],
    ['bad shape value', '/v2/models/iris-rf/infer', infer({ shape: [1, -4] }), 400, /non-negative integers/],
    ['zero rows', '/v2/models/iris-rf/infer', infer({ shape: [0, 4], data: [] }), 400, /has no rows/],
    ['huge claimed shape, few values (nothing allocated)', '/v2/models/iris-rf/infer', infer({ shape: [100000000, 4] }), 400, /has 4 values but shape \[100000000,4\] needs 400000000/],
    ['data length vs shape', '/v2/models/iris-rf/infer', infer({ shape: [2, 4] }), 400, /has 4 values but shape \[2,4\] needs 8/],
    ['string value', '/v2/models/iris-rf/infer', infer({ data: [5.1, 3.5, 'x', 0.2] }), 400, /data\[2\] is a string; expected a finite number/],
    ['null (missing) value', '/v2/models/iris-rf/infer', infer({ data: [5.1, null, 1.4, 0.2] }), 400, /data\[1\] is null/],
    ['float32 overflow', '/v2/models/iris-rf/infer', infer({ data: [5.1, 1e39, 1.4, 0.2] }), 400, /data\[1\] = 1e\+39 is not finite in float32/],
    ['nested row too short', '/v2/models/iris-rf/infer', infer({ data: [[5.1, 3.5, 1.4]] }), 400, /data\[0\] has 3 values/],
    ['data not an array', '/v2/models/iris-rf/infer', infer({ data: 'abc' }), 400, /data must be an array/],
    ['unknown output', '/v2/models/iris-rf/infer', { ...infer({}), outputs: [{ name: 'nope' }] }, 400, /"nope" is not an output of model iris-rf/],
    ['id not a string', '/v2/models/iris-rf/infer', { ...infer({}), id: 7 }, 400, /"id" must be a string/],
    ['predict: wrong row length', '/predict', { instances: [[1, 2, 3]] }, 400, /instances\[0\] has 3 values; model iris-rf takes 4 features/],
    ['predict: unknown feature', '/predict', { instances: [{ 'sepal length (cm)': 1, 'sepal width (cm)': 1, 'petal length (cm)': 1, 'petal width (cm)': 1, colour: 2 }] }, 400, /unknown feature "colour"/],
    ['predict: missing feature', '/predict', { instances: [{ 'sepal length (cm)': 1, 'sepal width (cm)': 1, 'petal length (cm)': 1 }] }, 400, /missing feature\(s\) "petal width \(cm\)"/],
    ['predict: non-finite', '/predict', { instances: [[1, 2, 3, '4']] }, 400, /instances\[0\]\[3\] is a string/],
    ['predict: no instances', '/predict', { rows: [] }, 400, /\{"instances": \[\.\.\.\]\} or an array of rows/],
    ['predict: empty', '/predict', { instances: [] }, 400, /is empty/],
    ['predict: scalar row', '/predict', { instances: [3] }, 400, /instances\[0\] is number/],
  ];
  it.each(cases)('%s', async (_name, path, body, status, reason) => {
    const r = await http(iris.url, 'POST', path, typeof body === 'string' ? body : JSON.stringify(body));
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json.error).toMatch(reason);
  });

  it('rows as objects need feature names: a bare .onnx model says so', async () => {
    const r = await post(small.url, '/predict', { instances: [{ a: 1 }] });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/served without feature names; send rows as arrays of 4 numbers/);
  });

  it('413 for a body over the limit, declared or streamed (chunked)', async () => {
    const big = JSON.stringify(inferBody('float_input', Array.from({ length: 300 }, () => [1, 2, 3, 4])));
    const declared = await http(small.url, 'POST', '/v2/models/iris_rf/infer', big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toMatch(/exceeds the limit of 1024 bytes/);
    const chunked = await http(small.url, 'POST', '/v2/models/iris_rf/infer', big, { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect((await get(small.url, '/v2/health/ready')).status).toBe(200);
  });

  it('404 for an unknown model, version or route; 405 for a wrong method', async () => {
    const model = await post(iris.url, '/v2/models/other/infer', inferBody('float_input', [[1, 2, 3, 4]]));
    expect(model.status).toBe(404);
    expect(model.json.error).toMatch(/model "other" is not served here; this server serves "iris-rf"/);
    expect((await get(iris.url, '/v2/models/other')).status).toBe(404);
    const version = await post(iris.url, '/v2/models/iris-rf/versions/9/infer', inferBody('float_input', [[1, 2, 3, 4]]));
    expect(version.status).toBe(404);
    expect(version.json.error).toMatch(/no version "9"; served version: "1.2.0"/);
    const route = await get(iris.url, '/v3/anything');
    expect(route.status).toBe(404);
    expect(route.json.error).toMatch(/no route GET \/v3\/anything/);
    const method = await get(iris.url, '/v2/models/iris-rf/infer');
    expect(method.status).toBe(405);
    expect(method.headers.allow).toBe('POST');
    const live = await http(iris.url, 'POST', '/v2/health/live', '{}');
    expect(live.status).toBe(405);
    expect(live.headers.allow).toBe('GET, HEAD');
    expect((await http(iris.url, 'DELETE', '/predict')).status).toBe(405);
  });

  it('malformed HTTP gets 400 and the connection closes', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(small.server.port, '127.0.0.1');
      let text = '';
      s.on('data', (d) => { text += d.toString(); });
      s.on('end', () => resolve(text));
      s.on('error', reject);
      s.write('THIS IS NOT HTTP\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });

  it('fuzz: 400 random bodies to /infer and /predict never produce a 5xx, and the server stays ready', async () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const value = (depth: number): unknown => {
      const kind = Math.floor(rand() * (depth > 2 ? 5 : 8));
      switch (kind) {
        case 0: return rand() * 1e6 - 5e5;
        case 1: return pick(['', 'NaN', 'float_input', 'FP32', '\u0000', 'é']);
        case 2: return null;
        case 3: return rand() < 0.5;
        case 4: return pick([0, -1, 4, 1e308, -1e-320, 2 ** 53]);
        case 5: return Array.from({ length: Math.floor(rand() * 6) }, () => value(depth + 1));
        case 6: return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [pick(['inputs', 'name', 'shape', 'datatype', 'data', 'id', 'outputs', 'instances', 'x']), value(depth + 1)]));
        default: return { inputs: [{ name: pick(['float_input', 'x']), shape: pick([[1, 4], [2, 4], [4], [1, 3], 'x']), datatype: pick(['FP32', 'FP64', 3]), data: value(depth + 1) }] };
      }
    };
    const statuses = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const body = rand() < 0.15 ? Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))) : JSON.stringify(value(0));
      const path = rand() < 0.5 ? '/v2/models/iris_rf/infer' : '/predict';
      const r = await http(small.url, 'POST', path, body);
      statuses.add(r.status);
      expect(r.status, `${path} ${String(body).slice(0, 200)}`).toBeLessThan(500);
    }
    expect(statuses.has(400)).toBe(true);
    expect((await get(small.url, '/v2/health/ready')).status).toBe(200);
  });
});

describe('readiness and the golden rows', () => {
  it('a package whose golden rows do not reproduce never turns ready, and says why', async () => {
    const model = await servedModelFrom(join(tmp, 'iris-pkg'));
    const probs = model.golden!.outputs.probabilities as number[][];
    probs[0]![0] = probs[0]![0]! + 0.5;
    const { ModelServer, jsonLogger } = await import('@mlship/sdk');
    const server = await ModelServer.start(model, { host: '127.0.0.1', port: 0, maxBatchSize: 8, maxWaitMs: 0, bodyLimitBytes: 1e6, drainTimeoutMs: 1000, accessLog: false }, jsonLogger({ write: () => {} }));
    await expect(server.whenReady).rejects.toThrow(/golden rows do not reproduce on the serving session: .*probabilities/);
    expect((await get(server.url, '/v2/health/live')).status).toBe(200);
    const ready = await get(server.url, '/v2/health/ready');
    expect(ready.status).toBe(503);
    const inferR = await post(server.url, '/v2/models/iris-rf/infer', inferBody('float_input', [[1, 2, 3, 4]]));
    expect(inferR.status).toBe(503);
    expect(inferR.json.error).toMatch(/not loadable/);
    await server.close();
  });

  it('logs "ready" as JSON with the load time and golden rows checked', () => {
    const ready = iris.logs.find((l) => l.msg === 'ready')!;
    expect(ready).toMatchObject({ level: 'info', model: 'iris-rf', version: '1.2.0', golden_rows: 3, features: 4 });
    expect(typeof ready.time).toBe('string');
    expect(typeof ready.load_ms).toBe('number');
  });
});

describe('package sources and access log', () => {
  it('serves from a .tar.gz package archive as from its directory', async () => {
    const { writePackage, OnnxModel: Onnx } = await import('@mlship/sdk');
    const model = await Onnx.load(join(FIXTURES, 'models/diabetes_gbr.onnx'));
    const { rows, table } = await datasetRows('diabetes');
    await writePackage({
      model, outDir: join(tmp, 'diabetes-pkg'), archivePath: join(tmp, 'diabetes.tar.gz'), name: 'diabetes-gbr', version: '3.0.0',
      featureNames: table.featureNames, task: 'regression', outputRoles: { value: 'variable' }, goldenInputs: rows.slice(0, 2), source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
    });
    const fromArchive = await servedModelFrom(join(tmp, 'diabetes.tar.gz'));
    expect(fromArchive).toMatchObject({ name: 'diabetes-gbr', version: '3.0.0', featureNames: table.featureNames, task: 'regression' });
    const s = await startServer(fromArchive, { accessLog: true });
    try {
      const r = await post(s.url, '/predict', { instances: rows.slice(0, 3).map((row) => Object.fromEntries(table.featureNames.map((n, j) => [n, row[j]]))) });
      expect(r.status).toBe(200);
      const ref = await reference('diabetes_gbr.onnx', rows.slice(0, 3));
      r.json.predictions.forEach((v: number, i: number) => expect(v).toBeCloseTo(ref.variable![i]!, 4));
      expect(s.logs.find((l) => l.msg === 'request')).toMatchObject({ level: 'info', method: 'POST', path: '/predict', status: 200 });
      expect(s.logs.find((l) => l.msg === 'ready')).toMatchObject({ golden_rows: 2 });
    } finally {
      await s.server.close();
    }
  });
});

describe('/metrics', () => {
  it('counts requests by route and code and exposes batch sizes, in-flight and load time', async () => {
    await post(iris.url, '/predict', { instances: [[1, 2, 3, 4]] });
    loggedRows += 1;
    await post(iris.url, '/predict', { instances: [] });
    const r = await get(iris.url, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const predict200 = iris.server.metrics.requests.get({ route: '/predict', method: 'POST', code: '200' });
    expect(predict200).toBeGreaterThanOrEqual(4);
    expect(r.text).toContain(`mlship_http_requests_total{route="/predict",method="POST",code="200"} ${predict200}`);
    expect(r.text).toMatch(/mlship_http_requests_total\{route="\/predict",method="POST",code="400"\} [1-9]/);
    expect(r.text).toMatch(/mlship_http_request_duration_seconds_bucket\{route="\/predict",le="\+Inf"\} [1-9]/);
    expect(r.text).toMatch(/mlship_inference_batch_size_count [1-9]/);
    expect(r.text).toContain('mlship_http_requests_in_flight 1'); // this scrape itself
    expect(r.text).toMatch(/mlship_model_load_seconds\{model="iris-rf",version="1.2.0"\} 0\.\d+/);
    expect(r.text).toContain('mlship_model_ready{model="iris-rf",version="1.2.0"} 1');
    expect(r.text).toMatch(/process_resident_memory_bytes \d+/);
    // Heap and event-loop delay (prom-client's names), the inference log's counters.
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(r.text)?.[1]);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6);
    expect(value('nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(value('nodejs_heap_size_used_bytes'));
    for (const lag of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds']) expect(value(lag), lag).toBeGreaterThanOrEqual(0);
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0); // the 10 ms monitor has run
    expect(value('mlship_inference_log_rows_total')).toBeGreaterThan(0);
    expect(value('mlship_inference_log_dropped_rows_total')).toBe(0);
  });
});

describe('inference log', () => {
  it('is a CSV with the feature-name header and (asked for) prediction, id and time columns, one line per predicted row', async () => {
    await iris.server.close();
    const header: string[] = [];
    const cells: string[][] = [];
    await readCsv(join(tmp, 'inference.csv'), {
      header: (cols) => header.push(...cols),
      field: (c, bytes, s, e, row) => { (cells[row] ??= [])[c] = Buffer.from(bytes.subarray(s, e)).toString(); },
    });
    expect(header).toEqual([...irisFeatureNames, 'prediction', 'id', 'time']);
    expect(cells).toHaveLength(loggedRows);
    // The first request logged all 30 test rows, in order, with the values the model saw (float32).
    cells.slice(0, 30).forEach((row, r) => {
      row.slice(0, 4).forEach((v, j) => expect(Math.fround(Number(v))).toBe(Math.fround(irisRows[r]![j]!)));
      expect(row[4]).toBe(IRIS_CLASSES[irisRef.label[r]!]);
      expect(row[5]).toBe(`req-1-${r}`); // the first logged request is the OIP one with id req-1: its row ids
      expect(Date.parse(row[6]!)).not.toBeNaN();
    });
    // Written as the shortest decimal of the float32: iris/test.csv's first row reads 4.4,3.0,1.3,0.2.
    expect(cells[0]!.slice(0, 4)).toEqual(['4.4', '3', '1.3', '0.2']);
  });
});

describe('aborted requests', () => {
  it('a client that hangs up mid-body does not stay in flight', async () => {
    const before = small.server.metrics.inFlight.get();
    const s = connect(small.server.port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"instances":');
    const until = async (check: () => boolean) => { while (!check()) await new Promise((r) => setTimeout(r, 10)); };
    await until(() => small.server.metrics.inFlight.get() === before + 1);
    s.destroy();
    await until(() => small.server.metrics.inFlight.get() === before);
    expect((await get(small.url, '/v2/health/ready')).status).toBe(200);
  });
});
