import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelTable, type ReadModelTableOptions } from './model-table.ts';
import { readModelTableParallel } from './parallel-table.ts';

// The parallel reader must give readModelTable's table for the whole file, value for value, and its
// error for the first bad row in file order. Every case cuts the file into many small runs (runBytes)
// read by 2 worker threads (minParallelBytes 0), and compares with the one-thread read of the same file.
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-parallel-table-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function csv(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

const parallel = { workers: 2, minParallelBytes: 0, runBytes: 512 };

/** Rows with numbers, missing cells, strings with quoted commas, quotes and line breaks (so runs end inside no row). */
function mixedRows(n: number, target: (i: number) => string): string {
  let s = '\ufeffage,"city, name",x,target\n';
  for (let i = 0; i < n; i++) {
    const age = i % 17 === 0 ? '' : i % 13 === 0 ? 'NA' : String((i * 7.25) % 90);
    const city = i % 5 === 0 ? `"line ${i}\nsecond ""quoted"", line"` : i % 3 === 0 ? `"a, b ${i % 4}"` : `c${i % 7}`;
    s += `${age},${city},${(i * 1e-3).toExponential(3)},${target(i)}\n`;
    if (i % 50 === 0) s += '\n'; // blank lines are skipped, but counted as lines
  }
  return s;
}

async function expectSame(path: string, options: ReadModelTableOptions): Promise<void> {
  const one = await readModelTable(path, options);
  const many = await readModelTableParallel(path, { ...options, ...parallel });
  expect(many).toEqual(one);
}

describe('readModelTableParallel', () => {
  it('gives the one-thread table: numbers, NaN for missing cells and their counts, strings with quoted line breaks, a numeric target', async () => {
    const p = await csv('mixed.csv', mixedRows(2000, (i) => String(i % 3)));
    const opts: ReadModelTableOptions = { targets: ['target'], stringColumns: new Set(['city, name']), allowMissing: true, keepText: ['x'] };
    await expectSame(p, opts);
    const t = await readModelTableParallel(p, { ...opts, ...parallel });
    expect(t.rows).toBe(2000);
    expect(t.missing.age!.firstLine).toBe(2);
    expect((t.columns['city, name']!.values as string[])[5]).toBe('line 5\nsecond "quoted", line');
  });

  it('a column whose first missing cell is in a late run: its line in the whole file (runs are numbered after the scan)', async () => {
    let s = 'a,b,c,target\n';
    for (let i = 0; i < 4000; i++) s += `${i},${i === 3210 || i === 3900 ? '' : `"${i}"`},"${i % 7 === 0 ? 'x\n\ny' : i}",${i % 2}\n`;
    const p = await csv('late-missing.csv', s);
    await expectSame(p, { targets: ['target'], allowMissing: true, stringColumns: new Set(['c']) });
    const t = await readModelTableParallel(p, { targets: ['target'], allowMissing: true, stringColumns: new Set(['c']), ...parallel });
    // Line of row 3210: the header, 3210 rows before it, and two extra lines in every 7th row's quoted cell.
    expect(t.missing.b).toEqual({ count: 2, firstLine: 1 + 3210 + 2 * Math.ceil(3210 / 7) + 1 });
  });

  it('dense float32 matrix, as one thread reads it', async () => {
    let s = 'a,b,target,c\n';
    for (let i = 0; i < 5000; i++) s += `${i * 0.1},${-i},${i % 2},${(i * 1.7) % 3}\n`;
    await expectSame(await csv('dense.csv', s), { targets: ['target'], dense: true });
  });

  it('onRun: every run\'s table in file order, together the one-thread features; the result then has none (dense)', async () => {
    let s = 'a,b,target\n';
    for (let i = 0; i < 3000; i++) s += `${i},${(i * 0.37).toFixed(3)},${i % 2}\n`;
    const p = await csv('dense-runs.csv', s);
    const one = await readModelTable(p, { targets: ['target'], dense: true });
    const runs: Array<{ matrix: Float32Array; rows: number }> = [];
    // Each call waits a little, so later runs finish while earlier ones are handed over: the order is the file's anyway.
    const t = await readModelTableParallel(p, { targets: ['target'], dense: true, ...parallel, onRun: async (run) => { runs.push({ matrix: run.dense!.slice(), rows: run.rows }); await new Promise((r) => setTimeout(r, 2)); } });
    expect(runs.length).toBeGreaterThan(4);
    expect(t.dense).toBeUndefined();
    expect(t.rows).toBe(3000);
    expect(runs.reduce((a, r) => a + r.rows, 0)).toBe(3000);
    const joined = new Float32Array(3000 * 2);
    let at = 0;
    for (const r of runs) { expect(r.matrix.length).toBe(r.rows * 2); joined.set(r.matrix, at); at += r.matrix.length; }
    expect(Array.from(joined)).toEqual(Array.from(one.dense!));
    expect(Array.from(t.targets[0]!.values as Float64Array)).toEqual(Array.from(one.targets[0]!.values as Float64Array));
  });

  it('onRun with string and number columns (strings sent packed as codes): the runs\' columns are the one-thread ones; the result has none, its targets and missing counts stay', async () => {
    const p = await csv('mixed-runs.csv', mixedRows(2000, (i) => String(i % 3)));
    const opts: ReadModelTableOptions = { targets: ['target'], stringColumns: new Set(['city, name']), allowMissing: true, keepText: ['x'] };
    const one = await readModelTable(p, opts);
    const cities: string[] = [];
    const ages: number[] = [];
    const t = await readModelTableParallel(p, { ...opts, ...parallel, onRun: (run) => { cities.push(...(run.columns['city, name']!.values as string[])); ages.push(...(run.columns.age!.values as Float64Array)); } });
    expect(cities).toEqual(one.columns['city, name']!.values);
    expect(ages).toEqual(Array.from(one.columns.age!.values as Float64Array));
    expect(t.columns).toEqual({});
    expect(t.targets).toEqual(one.targets);
    expect(t.missing).toEqual(one.missing);
    expect(t.text).toEqual(one.text);
  });

  it('a target that is numbers in the first runs and text in a later one is text throughout (cells as written)', async () => {
    const p = await csv('target.csv', mixedRows(1500, (i) => (i < 1400 ? `${i % 2}.0` : 'yes')));
    await expectSame(p, { targets: ['target'], stringColumns: new Set(['city, name']), allowMissing: true });
    const t = await readModelTableParallel(p, { targets: ['target'], stringColumns: new Set(['city, name']), allowMissing: true, ...parallel });
    expect(t.targets[0]!.kind).toBe('string');
    expect(t.targets[0]!.values[1]).toBe('1.0');
  });

  it('reports the first bad row in file order with its line in the whole file, whichever run fails first', async () => {
    const rows = (bad: number[]) => {
      let s = 'a,b,target\n';
      for (let i = 0; i < 3000; i++) s += `${bad.includes(i) ? 'oops' : i},"${i % 9 === 0 ? 'x\ny' : i}",${i % 2}\n`;
      return s;
    };
    for (const bad of [[2900], [40, 2900], [1500, 1501]]) {
      const p = await csv(`bad-${bad[0]}.csv`, rows(bad));
      const opts: ReadModelTableOptions = { targets: ['target'], stringColumns: new Set(['b']) };
      const expected = await readModelTable(p, opts).then(() => null, (err: Error) => err.message);
      expect(expected).toMatch(/line \d+, column "a": "oops", which is not a number/);
      await expect(readModelTableParallel(p, { ...opts, ...parallel })).rejects.toThrow(expected!);
    }
  });

  it('a structural error (wrong field count) and a header-only file: the one-thread messages', async () => {
    let s = 'a,target\n';
    for (let i = 0; i < 2000; i++) s += i === 1234 ? '1,2,3\n' : `${i},${i % 2}\n`;
    const p = await csv('fields.csv', s);
    await expect(readModelTableParallel(p, { targets: ['target'], ...parallel })).rejects.toThrow(/line 1236: row has more than the header's 2 fields/);
    const h = await csv('header.csv', 'a,target\n');
    await expect(readModelTableParallel(h, { targets: ['target'], ...parallel })).rejects.toThrow('has a header but no data rows');
    await expect(readModelTableParallel(h, { targets: ['nope'], ...parallel })).rejects.toThrow('no target column "nope"');
  });
});
