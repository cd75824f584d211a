import { linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSameFile, refuseOutputOverInput, sameFile } from './same-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlship-same-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sameFile', () => {
  it('sees one file through another spelling, a symbolic link and a hard link; not two files or a file not there', () => {
    const a = join(dir, 'a.csv');
    writeFileSync(a, 'x\n');
    writeFileSync(join(dir, 'b.csv'), 'x\n');
    symlinkSync(a, join(dir, 'sym.csv'));
    linkSync(a, join(dir, 'hard.csv'));
    expect(sameFile(a, join(dir, 'sub', '..', 'a.csv'))).toBe(true);
    expect(sameFile(a, join(dir, 'sym.csv'))).toBe(true);
    expect(sameFile(join(dir, 'hard.csv'), a)).toBe(true);
    expect(sameFile(a, join(dir, 'b.csv'))).toBe(false);
    expect(sameFile(a, join(dir, 'new.csv'))).toBe(false);
    expect(firstSameFile([['data', a]], [['out', join(dir, 'o.csv')], ['rejects', undefined], ['report', join(dir, 'sym.csv')]])).toEqual(['data', 'report']);
    expect(firstSameFile([['data', a]], [['out', join(dir, 'o.csv')], ['rejects', join(dir, 'o.csv')]])).toEqual(['out', 'rejects']);
    expect(firstSameFile([['data', a]], [['out', join(dir, 'o.csv')]])).toBeUndefined();
    // Two inputs may be one file (the batch's drift against itself reads it twice).
    expect(firstSameFile([['data', a], ['reference', join(dir, 'hard.csv')]], [['out', join(dir, 'o.csv')]])).toBeUndefined();
    expect(() => refuseOutputOverInput([['data', a]], [['out', join(dir, 'sym.csv')]])).toThrow(/^--data and --out are the same file; writing --out would destroy the input\. Name another path for --out\.$/);
    expect(() => refuseOutputOverInput([['data', a]], [['out', join(dir, 'o.csv')], ['rejects', join(dir, 'o.csv')]])).toThrow(/--out and --rejects are the same file; each output needs its own path/);
    expect(() => refuseOutputOverInput([['data', a]], [['out', join(dir, 'o.csv')]])).not.toThrow();
  });
});
