import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from './csv.ts';
import { rowChunks, shardRange, parseShard } from './row-ranges.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlship-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows (fields as text, with their line) as data/csv.ts reads bytes [start, end) — or the whole file. */
async function rows(path: string, range?: { start: number; end: number; firstLine: number; columns: string[] }) {
  const out: Array<{ line: number; fields: string[] }> = [];
  const dec = new TextDecoder();
  await readCsv(path, {
    header() {},
    field(col, b, s, e, _row, line) { if (col === 0) out.push({ line, fields: [] }); out.at(-1)!.fields.push(dec.decode(b.subarray(s, e))); },
  }, range ? { range: { ...range, firstRow: 0 } } : {});
  return out;
}

/** A seeded random CSV whose fields hold quotes, commas, LF and CRLF inside quotes, with blank lines and CRLF row ends. */
function randomCsv(seed: number, nrows: number): string {
  let s = seed >>> 0;
  const rand = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const pieces = ['a', '1', '2.5', ',', '"', '\n', '\r\n', 'x y', '""', 'é'];
  const field = () => {
    if (rand() < 0.5) return String(Math.floor(rand() * 1000));
    let t = '';
    for (let i = 0, n = 1 + Math.floor(rand() * 6); i < n; i++) t += pieces[Math.floor(rand() * pieces.length)];
    return `"${t.replace(/"/g, '""')}"`;
  };
  let text = 'id,"a\nb",c\n';
  for (let r = 0; r < nrows; r++) {
    text += `${field()},${field()},${field()}${rand() < 0.2 ? '\r\n' : '\n'}`;
    if (rand() < 0.05) text += '\n';
  }
  return text;
}

describe('shardRange / rowChunks: row boundaries exact under any quoting', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every shard count and chunk size partitions the rows exactly as one read of the file`, async () => {
      const path = join(dir, `r${seed}.csv`);
      writeFileSync(path, randomCsv(seed, 400));
      const whole = await rows(path);
      const columns = ['id', 'a\nb', 'c'];
      for (const n of [1, 2, 3, 7, 50, 1000]) {
        const got: typeof whole = [];
        for (let i = 0; i < n; i++) {
          const r = await shardRange(path, { index: i, count: n });
          got.push(...await rows(path, { ...r, columns }));
        }
        expect(got, `${n} shards`).toEqual(whole);
      }
      for (const chunkBytes of [1, 37, 4096]) {
        const all = await shardRange(path, undefined);
        const got: typeof whole = [];
        for await (const c of rowChunks(path, all, chunkBytes)) got.push(...await rows(path, { ...c, columns }));
        expect(got, `chunks of ${chunkBytes}`).toEqual(whole);
      }
    });
  }

  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/8', '--shard')).toEqual({ index: 2, count: 8 });
    for (const bad of ['8/8', '1', '-1/2', 'a/b', '1/0']) expect(() => parseShard(bad, '--shard')).toThrow(/--shard must be i\/n/);
  });
});
