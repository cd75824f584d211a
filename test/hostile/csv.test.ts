// Hostile CSV and JSON Lines inputs (issue 15, finding 4): a line longer than the limit is a clear
// error naming the file and line (exit 2 from the CLI), with bounded memory — never a buffer that
// doubles until Node aborts.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, InputError, jsonLinesToCsv, readCsv, readLabelledTable } from '@mlship/sdk';
import { runCli } from '../harness/cli.ts';
import { FIXTURES } from '../server/helpers.ts';

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'mlship-hostile-csv-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

/** `head`, then one line of `bytes` bytes of `fill` (written in 1 MiB pieces), then `tail`. */
async function longLineFile(path: string, head: string, bytes: number, fill: string, tail = ''): Promise<void> {
  const out = createWriteStream(path);
  out.write(head);
  const piece = Buffer.alloc(1 << 20, fill);
  for (let left = bytes; left > 0; left -= piece.length) if (!out.write(left >= piece.length ? piece : piece.subarray(0, left))) await once(out, 'drain');
  out.end(tail);
  await once(out, 'close');
}

const visitor = { header() {}, field() {} };

describe('line length limits', () => {
  it('a CSV row longer than the default 64 MiB is refused naming the file and line', { timeout: 120_000 }, async () => {
    const path = join(tmp, 'long-row.csv');
    await longLineFile(path, 'a,b\n1,2\n', DEFAULT_MAX_LINE_BYTES + (8 << 20), '7', '\n3,4\n');
    const before = process.memoryUsage().rss;
    const err = await readCsv(path, visitor).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${path}: line 3: the row starting here is longer than ${DEFAULT_MAX_LINE_BYTES} bytes, the most mlship reads (MLSHIP_MAX_LINE_BYTES); check the file is CSV with line breaks between rows, and that every quote is closed.`);
    // Bounded: the reader never held more than the limit (plus its chunk), not the whole 72 MiB line twice.
    expect(process.memoryUsage().rss - before).toBeLessThan(3 * DEFAULT_MAX_LINE_BYTES);
  });

  it('an unclosed quote running to the end of a big file hits the same limit', async () => {
    const path = join(tmp, 'open-quote.csv');
    await longLineFile(path, 'a,b\n"', 3 << 20, 'x');
    await expect(readCsv(path, visitor, { maxRowBytes: 1 << 20 })).rejects.toThrow(/open-quote\.csv: line 2: the row starting here is longer than 1048576 bytes/);
  });

  it('the CLI exits 2 with the reason; MLSHIP_MAX_LINE_BYTES sets the limit', async () => {
    const path = join(tmp, 'data.csv');
    await longLineFile(path, 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),target\n', 3 << 20, '1', ',1,1,1,0\n');
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      process.env.MLSHIP_MAX_LINE_BYTES = String(1 << 20);
      runCli(['evaluate', '--model', join(FIXTURES, 'models/iris_rf.onnx'), '--data', path], tmp).then(resolve);
      delete process.env.MLSHIP_MAX_LINE_BYTES;
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/data\.csv: line 2: the row starting here is longer than 1048576 bytes/);
    const bad = await new Promise<{ code: number; stderr: string }>((resolve) => {
      process.env.MLSHIP_MAX_LINE_BYTES = 'lots';
      runCli(['evaluate', '--model', join(FIXTURES, 'models/iris_rf.onnx'), '--data', path], tmp).then(resolve);
      delete process.env.MLSHIP_MAX_LINE_BYTES;
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/MLSHIP_MAX_LINE_BYTES="lots" is not a whole number of bytes/);
  });

  it('a JSON Lines record longer than the limit is refused naming the line', async () => {
    const path = join(tmp, 'long.jsonl');
    await longLineFile(path, '{"a":1}\n{"a":"', 3 << 20, 'y', '"}\n');
    await expect(jsonLinesToCsv(path, join(tmp, 'out.csv'), { maxLineBytes: 1 << 20 })).rejects.toThrow(/long\.jsonl: line 2 is longer than 1048576 bytes/);
    // CRLF and a last line without a break still read.
    await writeFile(join(tmp, 'crlf.jsonl'), '{"a":1}\r\n{"a":2}');
    expect(await jsonLinesToCsv(join(tmp, 'crlf.jsonl'), join(tmp, 'crlf.csv'))).toBe(2);
  });

  it('float32 overflow is refused like inf: 1e39, Inf, -inf and Infinity alike (as scikit-learn check_array refuses them)', async () => {
    for (const cell of ['1e39', '-1e39', 'Inf', '-inf', 'inf', 'Infinity', '3.5e38']) {
      const path = join(tmp, 'overflow.csv');
      await writeFile(path, `a,b,target\n1,2,0\n1,${cell},1\n`);
      await expect(readLabelledTable(path), cell).rejects.toThrow(new RegExp(`line 3, column "b": "${cell.replace('+', '\\+')}", which (overflows float32|is not finite)`));
    }
    // The largest float32 is fine; a float64 target beyond float32 is fine too (targets stay float64).
    await writeFile(join(tmp, 'edge.csv'), 'a,target\n3.4028234e38,1e39\n-3.4028234e38,0\n');
    expect((await readLabelledTable(join(tmp, 'edge.csv'))).rows).toBe(2);
  });

  it('column names in errors are excerpted, whatever their length', async () => {
    const name = 'c'.repeat(1 << 20);
    await writeFile(join(tmp, 'long-name.csv'), `${name},target\nx,1\n`);
    const err = await readLabelledTable(join(tmp, 'long-name.csv')).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/column "c{80}…" \(1048576 chars\): "x", which is not a number/);
    expect(err!.message.length).toBeLessThan(500);
    await writeFile(join(tmp, 'dup-name.csv'), `${name},${name}\n1,2\n`);
    const dup = await readCsv(join(tmp, 'dup-name.csv'), visitor).then(() => undefined, (e: Error) => e);
    expect(dup?.message).toMatch(/column "c{80}…" \(1048576 chars\) appears twice/);
    expect(dup!.message.length).toBeLessThan(500);
    await writeFile(join(tmp, 'no-target.csv'), `${name}\n1\n`);
    const none = await readLabelledTable(join(tmp, 'no-target.csv')).then(() => undefined, (e: Error) => e);
    expect(none!.message.length).toBeLessThan(500);
  });
});
