// Hostile HTTP requests for the model server, generated (the big ones at test time). Each case says
// what the server must answer: a 4xx (optionally the exact status and the reason's pattern).
export interface HostileRequest {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status?: number;
  error?: RegExp;
}

const deep = (n: number, leaf = '1') => `${'['.repeat(n)}${leaf}${']'.repeat(n)}`;
const deepObj = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** The cases, for a model `model` with one FP32 input `input` of `features` columns. */
export function hostileRequests(model: string, input: string, features: number): HostileRequest[] {
  const infer = `/v2/models/${model}/infer`;
  const tensor = (t: Record<string, unknown>) => JSON.stringify({ inputs: [{ name: input, shape: [1, features], datatype: 'FP32', data: Array(features).fill(1), ...t }] });
  const megabyte = 'x'.repeat(1 << 20);
  const cases: HostileRequest[] = [
    { name: 'deep-shape', method: 'POST', path: infer, body: tensor({}).replace(`"shape":[1,${features}]`, `"shape":${deep(100_000)}`), status: 400, error: /deeper than 64 levels/ },
    { name: 'deep-name', method: 'POST', path: infer, body: tensor({}).replace(`"name":"${input}"`, `"name":${deep(100_000)}`), status: 400, error: /deeper than 64 levels/ },
    { name: 'deep-datatype', method: 'POST', path: infer, body: tensor({}).replace('"datatype":"FP32"', `"datatype":${deepObj(100_000)}`), status: 400, error: /deeper than 64 levels/ },
    { name: 'deep-data', method: 'POST', path: infer, body: tensor({}).replace(/"data":\[[^\]]*\]/, `"data":${deep(100_000)}`), status: 400, error: /deeper than 64 levels/ },
    { name: 'deep-outputs', method: 'POST', path: infer, body: `{"inputs":[],"outputs":${deep(100_000)}}`, status: 400 },
    { name: 'deep-id', method: 'POST', path: infer, body: `{"id":${deep(100_000)}}`, status: 400 },
    { name: 'deep-predict', method: 'POST', path: '/predict', body: `{"instances":${deep(100_000)}}`, status: 400, error: /deeper than 64 levels/ },
    { name: 'deep-predict-object', method: 'POST', path: '/predict', body: `{"instances":[${deepObj(100_000)}]}`, status: 400 },
    { name: 'nested-65', method: 'POST', path: '/predict', body: `{"instances":${deep(64)}}`, status: 400, error: /deeper than 64 levels/ },
    { name: 'brackets-in-strings-are-not-nesting', method: 'POST', path: '/predict', body: JSON.stringify({ instances: [[`${'['.repeat(1000)}\\"`, 1, 2, 3]] }), status: 400, error: /instances\[0\]\[0\] is a string/ },
    { name: 'megabyte-name', method: 'POST', path: infer, body: tensor({ name: megabyte }), status: 400, error: /inputs\[0\]\.name is "x{80}…" \(1048576 chars\)/ },
    { name: 'megabyte-datatype', method: 'POST', path: infer, body: tensor({ datatype: megabyte }), status: 400, error: /\(1048576 chars\)/ },
    { name: 'megabyte-shape-string', method: 'POST', path: infer, body: tensor({ shape: [megabyte] }), status: 400, error: /shape must be an array of non-negative integers/ },
    { name: 'huge-shape-array', method: 'POST', path: infer, body: tensor({ shape: Array(200_000).fill(1) }), status: 400, error: /…\(200000 items\)/ },
    { name: 'megabyte-feature-key', method: 'POST', path: '/predict', body: JSON.stringify({ instances: [{ [megabyte]: 1 }] }), status: 400, error: /unknown feature "x{80}…" \(1048576 chars\)/ },
    { name: 'megabyte-output-name', method: 'POST', path: infer, body: JSON.stringify({ ...JSON.parse(tensor({})), outputs: [{ name: megabyte }] }), status: 400, error: /\(1048576 chars\)/ },
    { name: 'megabyte-model-name', method: 'GET', path: `/v2/models/${'m'.repeat(8000)}`, status: 404, error: /model "m{80}…" \(8000 chars\) is not served here/ },
    { name: 'megabyte-version', method: 'GET', path: `/v2/models/${model}/versions/${'v'.repeat(8000)}`, status: 404, error: /\(8000 chars\)/ },
    { name: 'long-unknown-path', method: 'GET', path: `/${'p'.repeat(8000)}`, status: 404 },
    { name: 'bad-percent-encoding', method: 'GET', path: '/v2/models/%E0%A4%A', status: 404 },
    { name: 'not-json', method: 'POST', path: infer, body: '{"inputs": [', status: 400, error: /not valid JSON/ },
    { name: 'empty-body', method: 'POST', path: '/predict', body: '', status: 400 },
    { name: 'json-scalar', method: 'POST', path: infer, body: '1e999', status: 400 },
    { name: 'nan-literal', method: 'POST', path: '/predict', body: '[[NaN,1,2,3]]', status: 400 },
    { name: 'string-number', method: 'POST', path: '/predict', body: '[["1",1,2,3]]', status: 400 },
    { name: 'float32-overflow', method: 'POST', path: '/predict', body: '[[1e39,1,2,3]]', status: 400, error: /not finite in float32/ },
    { name: 'claimed-billion-rows', method: 'POST', path: infer, body: tensor({ shape: [1e9, features] }), status: 400, error: /needs/ },
    { name: 'negative-shape', method: 'POST', path: infer, body: tensor({ shape: [-1, features] }), status: 400 },
    { name: 'proto-key', method: 'POST', path: '/predict', body: '{"instances":[{"__proto__":1}]}', status: 400 },
    { name: 'too-large', method: 'POST', path: '/predict', body: `[${'1,'.repeat(2_500_000)}1]`, status: 413 },
    { name: 'content-length-lies-high', method: 'POST', path: '/predict', body: '[[1,2,3,4]]', headers: { 'content-length': String(1 << 30) }, status: 413 },
    { name: 'wrong-method', method: 'DELETE', path: infer, status: 405 },
    { name: 'get-infer', method: 'GET', path: infer, status: 405 },
    { name: 'post-health', method: 'POST', path: '/v2/health/ready', body: deep(100_000), status: 405 },
    { name: 'post-metrics', method: 'POST', path: '/metrics', body: deep(100_000), status: 405 },
    { name: 'post-metadata', method: 'POST', path: `/v2/models/${model}`, body: deep(100_000), status: 405 },
  ];
  return cases;
}
