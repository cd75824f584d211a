import { request } from 'node:http';
import { join } from 'node:path';
import { jsonLogger, ModelServer, OnnxModel, readLabelledTable, writePackage, type ServedModelOptions, type ServerOptions } from '@mlship/sdk';
import { REPO_ROOT } from '../harness/run-action.ts';

export interface Reply { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

/** One HTTP request over a fresh connection; resolves with status, headers and body (parsed when JSON). */
export function http(url: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const post = (url: string, path: string, body: unknown) => http(url, 'POST', path, typeof body === 'string' ? body : JSON.stringify(body));
export const get = (url: string, path: string) => http(url, 'GET', path);

/** Starts a server on 127.0.0.1:0, waits until ready; log lines are collected in `logs`. */
export async function startServer(model: ServedModelOptions, options: Partial<ServerOptions> = {}) {
  const logs: Array<Record<string, unknown>> = [];
  const logger = jsonLogger({ write: (line) => logs.push(JSON.parse(line)), level: 'debug' });
  const server = await ModelServer.start(model, {
    host: '127.0.0.1', port: 0, maxBatchSize: 64, maxWaitMs: 0, bodyLimitBytes: 1024 * 1024, drainTimeoutMs: 5000, accessLog: false, ...options,
  }, logger);
  await server.whenReady;
  return { server, logs, url: server.url };
}

/** An OIP V2 inference request body for `rows` float rows. */
export function inferBody(inputName: string, rows: number[][], extra: Record<string, unknown> = {}) {
  return { inputs: [{ name: inputName, shape: [rows.length, rows[0]!.length], datatype: 'FP32', data: rows.flat() }], ...extra };
}

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];

/**
 * A model package of the fixtures' iris RandomForest written by the package domain (writePackage),
 * with string class labels and the first `goldenRows` rows of iris/test.csv as golden examples.
 */
export async function writeIrisPackage(outDir: string, goldenRows = 3) {
  const table = await readLabelledTable(join(FIXTURES, 'datasets/iris/test.csv'));
  const rows = Array.from({ length: goldenRows }, (_, r) => Array.from(table.features.subarray(r * 4, r * 4 + 4)));
  const model = await OnnxModel.load(join(FIXTURES, 'models/iris_rf.onnx'));
  return writePackage({
    model, outDir, name: 'iris-rf', version: '1.2.0', featureNames: table.featureNames, task: 'classification',
    outputRoles: { label: 'label', probabilities: 'probabilities' }, classLabels: IRIS_CLASSES,
    goldenInputs: rows, source: 'onnx', createdAt: '2026-01-01T00:00:00Z',
  });
}

/** Rows of a fixture dataset as number[][] (features only) plus the table. */
export async function datasetRows(name: string) {
  const table = await readLabelledTable(join(FIXTURES, 'datasets', name, 'test.csv'));
  const F = table.featureNames.length;
  const rows = Array.from({ length: table.rows }, (_, r) => Array.from(table.features.subarray(r * F, (r + 1) * F)));
  return { table, rows };
}
