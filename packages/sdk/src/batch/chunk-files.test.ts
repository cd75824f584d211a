import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderedAssembly } from './chunk-files.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-assembly-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('OrderedAssembly', () => {
  it('writes the header, then the parts in index order whatever order they come in (one part from a byte offset)', async () => {
    const parts = await Promise.all(['a1\na2\n', 'b1\n', '', 'XXd1\n'].map(async (t, i) => { const p = join(dir, `part-${i}`); await writeFile(p, t); return p; }));
    const out = join(dir, 'out.csv');
    const asm = await OrderedAssembly.open(out, 'h\n', dir);
    asm.add(2, parts[2]!);
    asm.add(3, parts[3]!, 2);
    expect(existsSync(out)).toBe(false);
    asm.add(0, parts[0]!);
    asm.add(1, parts[1]!);
    await asm.finish(4);
    expect(readFileSync(out, 'utf8')).toBe('h\na1\na2\nb1\nd1\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing part or a gap fails finish() and leaves no output and no temporary file; abort() does the same', async () => {
    const out = join(dir, 'failed.csv');
    const missing = await OrderedAssembly.open(out, 'h\n', dir);
    missing.add(0, join(dir, 'no-such-part'));
    await expect(missing.finish(1)).rejects.toThrow(/no-such-part/);
    const gap = await OrderedAssembly.open(out, '', dir);
    gap.add(1, join(dir, 'part-1'));
    await expect(gap.finish(2)).rejects.toThrow(/0 of 2 parts/);
    const aborted = await OrderedAssembly.open(out, 'h\n', dir);
    aborted.add(0, join(dir, 'part-0'));
    await aborted.abort();
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
