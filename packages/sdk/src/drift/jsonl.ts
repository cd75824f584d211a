import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { once } from 'node:events';
import { maxLineBytes } from '../data/csv.ts';
import { InputError } from '../errors.ts';
import { excerpt } from '../util/excerpt.ts';
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
  throw new InputError(`${path}: line ${line}: ${excerpt(key)} is ${Array.isArray(v) ? 'an array' : 'an object'}; drift-check needs a number, a string or null per feature.`);
}

/**
 * The lines of a stream (LF or CRLF), each decoded as UTF-8, holding at most `max` bytes of one line:
 * a longer line is an InputError naming it, never an unbounded buffer.
 */
async function* boundedLines(input: ReadStream, path: string, max: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let parts: Buffer[] = [];
  let pending = 0;
  let lineNo = 1;
  const line = (tail: Buffer) => {
    const bytes = parts.length ? Buffer.concat([...parts, tail]) : tail;
    parts = [];
    pending = 0;
    const end = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return decoder.decode(bytes.subarray(0, end));
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      if (pending + nl - from > max) throw tooLong(path, lineNo, max);
      yield line(chunk.subarray(from, nl));
      lineNo++;
      from = nl + 1;
    }
    if (from < chunk.length) {
      pending += chunk.length - from;
      if (pending > max) throw tooLong(path, lineNo, max);
      parts.push(chunk.subarray(from));
    }
  }
  if (pending > 0) yield line(Buffer.alloc(0));
}

function tooLong(path: string, line: number, max: number): InputError {
  return new InputError(`${path}: line ${line} is longer than ${max} bytes, the most mlship reads (MLSHIP_MAX_LINE_BYTES); each line must be one JSON object.`);
}

/** Converts a JSON Lines file to a CSV file at `csvPath`. Returns the number of records. */
export async function jsonLinesToCsv(path: string, csvPath: string, options: { maxLineBytes?: number } = {}): Promise<number> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const failed = once(input, 'error').then(([err]) => {
    throw new InputError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  });
  const out = createWriteStream(csvPath);
  const lines = boundedLines(input, path, options.maxLineBytes ?? maxLineBytes());
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
          if (!keySet.has(k)) throw new InputError(`${path}: line ${lineNo}: feature ${excerpt(k)} is not in the first record (${excerpt(keys.join(', '), 200)}); every record needs the same features.`);
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
