import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergePredictions } from './merge.ts';
import { checkMergeParts, mergeWhenComplete } from './shard-merge.ts';
import { writeShardRecord } from './shard-record.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-shard-merge-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** A shard output as predict --shard writes it: the file and its record (input bytes [start, end) of 30). */
async function part(path: string, index: number, count: number, text: string, start: number, end: number, model = 'm1'): Promise<string> {
  await writeShardRecord(path, { index, count }, { data: { size: 30, start, end }, modelSha256: model, format: 'csv', keep: ['id'], rows: text.split('\n').length - 2, bytes: Buffer.byteLength(text) });
  writeFileSync(path, text);
  return path;
}

describe('mergeWhenComplete (the last shard to finish merges)', () => {
  it('merges nothing while a part is missing, then the whole in shard order once every part is there', async () => {
    const parts = [0, 1, 2].map((i) => join(dir, `shard-${i}.csv`));
    const out = join(dir, 'merged.csv');
    await part(parts[2]!, 2, 3, 'id,label\n5,b\n', 20, 30);
    expect(await mergeWhenComplete({ shard: { index: 2, count: 3 }, own: parts[2]!, parts, out })).toEqual({ merged: false, missing: parts.slice(0, 2) });
    await part(parts[0]!, 0, 3, 'id,label\n1,a\n2,b\n', 5, 12);
    await part(parts[1]!, 1, 3, 'id,label\n3,c\n', 12, 20);
    expect(existsSync(out)).toBe(false);
    // Two shards finishing together both merge: the same bytes, each through its own temporary file.
    const both = await Promise.all([0, 1].map((i) => mergeWhenComplete({ shard: { index: i, count: 3 }, own: parts[i]!, parts, out })));
    expect(both.map((r) => r.merged)).toEqual([true, true]);
    expect(readFileSync(out, 'utf8')).toBe('id,label\n1,a\n2,b\n3,c\n5,b\n');
  });

  it('refuses a parts list that does not match the shard', () => {
    expect(() => checkMergeParts({ index: 1, count: 3 }, 'b.csv', ['a.csv', 'b.csv'])).toThrow(/--merge-parts lists 2 shard output\(s\), but --shard 1\/3 says there are 3/);
    expect(() => checkMergeParts({ index: 1, count: 2 }, 'b.csv', ['b.csv', 'a.csv'])).toThrow(/entry 1 is a.csv, but this shard writes --out b.csv/);
  });
});

describe('mergePredictions checks the parts by their shard records', () => {
  it('puts the parts in shard order (a glob sorts part-10 before part-2); refuses gaps, repeats, other runs, changed parts, and merging into a part', async () => {
    const p = (name: string) => join(dir, `checks-${name}.csv`);
    const a = await part(p('0'), 0, 3, 'id,label\n1,a\n', 5, 12);
    const b = await part(p('1'), 1, 3, 'id,label\n2,b\n', 12, 20);
    const c = await part(p('2'), 2, 3, 'id,label\n3,c\n', 20, 30);
    await mergePredictions({ parts: [c, a, b], out: p('merged') });
    expect(readFileSync(p('merged'), 'utf8')).toBe('id,label\n1,a\n2,b\n3,c\n');
    await expect(mergePredictions({ parts: [a, c], out: p('x') })).rejects.toThrow(/shard 1\/3 is missing: the merge needs all 3 shards' outputs \(2 given\)/);
    await expect(mergePredictions({ parts: [a, a, b, c], out: p('x') })).rejects.toThrow(/checks-0\.csv and .*checks-0\.csv are both shard 0\/3/);
    const other = await part(p('other-1'), 1, 2, 'id,label\n2,b\n', 12, 30);
    await expect(mergePredictions({ parts: [a, other, c], out: p('x') })).rejects.toThrow(/checks-other-1\.csv is shard 1\/2 of another run/);
    const model2 = await part(p('m2-1'), 1, 3, 'id,label\n2,b\n', 12, 20, 'm2');
    await expect(mergePredictions({ parts: [a, model2, c], out: p('x') })).rejects.toThrow(/of another run/);
    const gap = await part(p('gap-1'), 1, 3, 'id,label\n2,b\n', 13, 20);
    await expect(mergePredictions({ parts: [a, gap, c], out: p('x') })).rejects.toThrow(/does not start where shard 0\/3 ends/);
    writeFileSync(p('plain'), 'id,label\n9,z\n');
    await expect(mergePredictions({ parts: [a, p('plain'), c], out: p('x') })).rejects.toThrow(/checks-plain\.csv has no shard record/);
    await expect(mergePredictions({ parts: [a, b, c], out: b })).rejects.toThrow(/--out .*checks-1\.csv is one of the shard outputs/);
    appendFileSync(b, '4,d\n');
    await expect(mergePredictions({ parts: [a, b, c], out: p('x') })).rejects.toThrow(/checks-1\.csv is 17 bytes, but shard 1\/3 wrote 13: it was changed since/);
    expect(existsSync(p('x'))).toBe(false);
  });
});
