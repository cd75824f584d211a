import { randomUUID } from 'node:crypto';
import { HttpError } from './http-error.ts';

/**
 * Request and row ids, so a prediction can be joined later with its ground truth (mlship evaluate
 * --predictions LOG --labels LABELS.csv --join-on id):
 *  - the request id is the `X-Request-Id` header when the client sends one, else a random UUID; the
 *    response always carries it back in `X-Request-Id`;
 *  - OIP /infer: the body's `id` when given, else the request id (returned as the response `id`);
 *  - /predict: per row, `"id"` inside an object instance (unless the model has a feature named `id`)
 *    or the `"ids"` array beside `"instances"`; rows without one get an id from the request id;
 *  - a request of one row: its row id is the request (or OIP) id; of n rows: `ID-0` … `ID-(n-1)`.
 * The inference log writes each row's id with its prediction; /predict returns them as `"ids"`.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A request with this header (any value) is a smoke test's (mlship smoke sends `X-Mlship-Smoke: 1`):
 * it is answered and counted in the request, latency and row counters, but kept out of the data the
 * model is monitored on — the inference log (drift-check's "current" data) and the prediction metrics.
 */
export const SMOKE_HEADER = 'x-mlship-smoke';
export const ROW_ID_KEY = 'id';
const MAX_ID_LENGTH = 256;

function checkId(v: unknown, where: string): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v === '' || v.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(v)) {
    throw new HttpError(400, `${where} must be a non-empty string (or number) of at most ${MAX_ID_LENGTH} characters without control characters, got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return v;
}

/** The request's id: its X-Request-Id header (checked), else a new random UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  if (header === undefined) return randomUUID();
  return checkId(Array.isArray(header) ? header[0] : header, 'the X-Request-Id header');
}

/** Ids for `rows` rows from one id: the id itself for one row, `id-0` … for more. */
export function derivedRowIds(id: string, rows: number): string[] {
  return rows === 1 ? [id] : Array.from({ length: rows }, (_, r) => `${id}-${r}`);
}

/** Row ids of a /predict body (already validated by parsePredictRequest): given ones kept, the rest derived from `requestId`. */
export function predictRowIds(body: unknown, rows: number, requestId: string, featureNames?: readonly string[]): string[] {
  const ids = derivedRowIds(requestId, rows);
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? body as Record<string, unknown> : undefined;
  if (obj?.ids !== undefined) {
    if (!Array.isArray(obj.ids) || obj.ids.length !== rows) throw new HttpError(400, `"ids" must be an array of ${rows} row ids, one per instance`);
    return obj.ids.map((v, r) => checkId(v, `ids[${r}]`));
  }
  if (featureNames?.includes(ROW_ID_KEY)) return ids;
  const instances = Array.isArray(body) ? body : obj?.instances as unknown[];
  for (let r = 0; r < rows; r++) {
    const row = instances[r];
    if (typeof row === 'object' && row !== null && !Array.isArray(row) && ROW_ID_KEY in row) ids[r] = checkId((row as Record<string, unknown>)[ROW_ID_KEY], `instances[${r}].${ROW_ID_KEY}`);
  }
  return ids;
}
