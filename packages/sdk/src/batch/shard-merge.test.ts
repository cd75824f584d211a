import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMergeParts, mergeWhenComplete } from './shard-merge.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-shard-merge-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('mergeWhenComplete (the last shard to finish merges)', () => {
  it('merges nothing while a part is missing, then the whole in shard order once every part is there', async () => {
    const parts = [0, 1, 2].map((i) => join(dir, `shard-${i}.csv`));
    const out = join(dir, 'merged.csv');
    writeFileSync(parts[2]!, 'id,label\n5,b\n');
    expect(await mergeWhenComplete({ shard: { index: 2, count: 3 }, own: parts[2]!, parts, out })).toEqual({ merged: false, missing: parts.slice(0, 2) });
    writeFileSync(parts[0]!, 'id,label\n1,a\n2,b\n');
    writeFileSync(parts[1]!, 'id,label\n3,c\n');
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
