// Request and row ids (server/request-ids.ts): accepted from the client (X-Request-Id, OIP id, /predict
// ids), assigned otherwise, returned, and written to the inference log beside each prediction.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedModelFrom } from '@mlship/sdk';
import { http, inferBody, startServer, writeIrisPackage } from './helpers.ts';

let tmp: string;
let served: Awaited<ReturnType<typeof startServer>>;
const row = [5.1, 3.5, 1.4, 0.2];
const named = { 'sepal length (cm)': 5.1, 'sepal width (cm)': 3.5, 'petal length (cm)': 1.4, 'petal width (cm)': 0.2 };
const send = (path: string, body: unknown, headers: Record<string, string> = {}) => http(served.url, 'POST', path, JSON.stringify(body), headers);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-ids-'));
  await writeIrisPackage(join(tmp, 'pkg'));
  served = await startServer(await servedModelFrom(join(tmp, 'pkg')), { inferenceLog: join(tmp, 'log.jsonl'), inferenceLogSample: 1 });
});
afterAll(async () => {
  await served?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('request ids', () => {
  it('/predict: X-Request-Id names the rows (ID-0, ID-1) and comes back as a header', async () => {
    const r = await send('/predict', { instances: [row, row] }, { 'X-Request-Id': 'batch-9' });
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toBe('batch-9');
    expect(r.json.ids).toEqual(['batch-9-0', 'batch-9-1']);
    const one = await send('/predict', { instances: [row] }, { 'X-Request-Id': 'single' });
    expect(one.json.ids).toEqual(['single']);
  });

  it('/predict: ids per row from an "id" key in object instances or an "ids" array', async () => {
    const keyed = await send('/predict', { instances: [{ ...named, id: 'a-1' }, named, { ...named, id: 42 }] }, { 'X-Request-Id': 'req' });
    expect(keyed.status).toBe(200);
    expect(keyed.json.ids).toEqual(['a-1', 'req-1', '42']);
    const listed = await send('/predict', { instances: [row, row], ids: ['x', 'y'] });
    expect(listed.json.ids).toEqual(['x', 'y']);
    expect(listed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/); // assigned
  });

  it('OIP infer: the body id, else the X-Request-Id, else a new one, in the response id', async () => {
    const given = await send('/v2/models/iris-rf/infer', inferBody('float_input', [row], { id: 'oip-1' }), { 'X-Request-Id': 'hdr' });
    expect(given.json.id).toBe('oip-1');
    const fromHeader = await send('/v2/models/iris-rf/infer', inferBody('float_input', [row]), { 'X-Request-Id': 'hdr-2' });
    expect(fromHeader.json.id).toBe('hdr-2');
    const assigned = await send('/v2/models/iris-rf/infer', inferBody('float_input', [row]));
    expect(assigned.json.id).toBe(assigned.headers['x-request-id']);
  });

  it.each([
    ['/predict', { instances: [row, row], ids: ['only-one'] }, {}, /"ids" must be an array of 2 row ids/],
    ['/predict', { instances: [{ ...named, id: '' }] }, {}, /instances\[0\]\.id must be a non-empty string/],
    ['/predict', { instances: [row] }, { 'X-Request-Id': 'x'.repeat(300) }, /the X-Request-Id header must be a non-empty string .* at most 256/],
  ])('rejects a bad id (%s) with 400 and the reason', async (path, body, headers, message) => {
    const r = await send(path, body, headers as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(message);
  });

  it('writes each row id to the inference log with its prediction', async () => {
    await served.server.close();
    const lines = (await readFile(join(tmp, 'log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; prediction: unknown });
    expect(lines.map((l) => l.id)).toEqual(['batch-9-0', 'batch-9-1', 'single', 'a-1', 'req-1', '42', 'x', 'y', 'oip-1', 'hdr-2', expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(lines.every((l) => typeof l.prediction === 'string')).toBe(true);
  });
});
