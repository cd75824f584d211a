import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.ts';
export { isJsonLinesPath } from '../data/json-lines.ts';

/**
 * JSON Lines input for the drift check: one object per line, either the model server's inference log
 * record `{"time", "model", "version", "features": {name: value}, "prediction"}` (its `features` are the
 * columns) or a flat `{name: value}` object. Columns are the first record's keys, in order; later
 * records must not add keys (a missing key is a missing value). Numbers keep their float64 value
 * (written in the shortest round-trip form), strings are categories, null is missing. The records are
 * streamed into a CSV file that the normal reader then reads (`isJsonLinesPath` says which paths).
 */

function csvCell(v: unknown, path: string, line: number, key: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  throw new InputError(`${path}: line ${line}: "${key}" is ${Array.isArray(v) ? 'an array' : 'an object'}; drift-check needs a number, a string or null per feature.`);
}

/** Converts a JSON Lines file to a CSV file at `csvPath`. Returns the number of records. */
export async function jsonLinesToCsv(path: string, csvPath: string): Promise<number> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const failed = once(input, 'error').then(([err]) => {
    throw new InputError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  });
  const out = createWriteStream(csvPath);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let keys: string[] | null = null;
  let keySet = new Set<string>();
  let lineNo = 0;
  let records = 0;
  const work = (async () => {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (err) {
        throw new InputError(`${path}: line ${lineNo}: not valid JSON (${(err as Error).message}); each line must be one JSON object.`);
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new InputError(`${path}: line ${lineNo}: expected a JSON object per line.`);
      const rec = (obj as Record<string, unknown>).features;
      const row = (rec !== null && typeof rec === 'object' && !Array.isArray(rec) ? rec : obj) as Record<string, unknown>;
      if (keys === null) {
        keys = Object.keys(row);
        if (keys.length === 0) throw new InputError(`${path}: line ${lineNo}: the first record has no features.`);
        keySet = new Set(keys);
        out.write(`${keys.map((k) => csvCell(k, path, lineNo, k)).join(',')}\n`);
      } else {
        for (const k of Object.keys(row)) {
          if (!keySet.has(k)) throw new InputError(`${path}: line ${lineNo}: feature "${k}" is not in the first record (${keys.join(', ')}); every record needs the same features.`);
        }
      }
      if (!out.write(`${keys.map((k) => csvCell(row[k], path, lineNo, k)).join(',')}\n`)) await once(out, 'drain');
      records++;
    }
  })();
  try {
    await Promise.race([work, failed]);
  } finally {
    out.end();
    await once(out, 'close');
    input.destroy();
  }
  if (records === 0) throw new InputError(`${path} has no records: expected one JSON object per line.`);
  return records;
}
