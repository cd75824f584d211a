import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING, parseCell } from './cell.ts';
import { readModelTable } from './model-table.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-model-table-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function csv(name: string, text: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('readModelTable', () => {
  it('keeps string columns verbatim (leading zeros, unicode, quoted commas; repeated values interned) and numbers as float64', async () => {
    const p = await csv('mixed.csv', 'age,zip,city,target\n35,01000,lyon,cat\n,13008,"città, nord",dog\n41.5,01000,lyon,cat\n');
    const t = await readModelTable(p, { targets: ['target'], stringColumns: new Set(['zip', 'city']), allowMissing: true });
    expect(t.featureNames).toEqual(['age', 'zip', 'city']);
    expect(t.columns.zip).toEqual({ kind: 'string', values: ['01000', '13008', '01000'] });
    expect(t.columns.city).toEqual({ kind: 'string', values: ['lyon', 'città, nord', 'lyon'] });
    expect(Array.from((t.columns.age as { values: Float64Array }).values)).toEqual([35, NaN, 41.5]);
    expect(t.missing).toEqual({ age: { count: 1, firstLine: 3 } });
    // A target with text is read as strings (second pass), in file order.
    expect(t.targets).toEqual([{ name: 'target', kind: 'string', values: ['cat', 'dog', 'cat'] }]);
  });

  it('refuses a missing number without allowMissing, and text in a numeric column, naming line and column', async () => {
    const p = await csv('bad.csv', 'a,b,target\n1,2,0\n3,,1\n');
    await expect(readModelTable(p, { targets: ['target'] })).rejects.toThrow(/line 3, column "b": a missing value \(empty cell\)\. Pass --allow-missing/);
    const q = await csv('text.csv', 'a,b,target\n1,x,0\n');
    await expect(readModelTable(q, { targets: ['target'] })).rejects.toThrow(/line 2, column "b": "x", which is not a number/);
  });

  it('dense: the classic float input as one row-major float32 matrix; numeric targets', async () => {
    const p = await csv('dense.csv', 'a,target,b\n1,0,2\n3,1,4\n');
    const t = await readModelTable(p, { targets: ['target'], dense: true });
    expect(Array.from(t.dense!)).toEqual([1, 2, 3, 4]);
    expect(t.targets[0]!.kind).toBe('number');
    expect(Array.from(t.targets[0]!.values as Float64Array)).toEqual([0, 1]);
  });

  it('cellFacts: float64 columns also when dense, lines, integer syntax and first number of the kept rows only (a bad row\'s slot is refilled)', async () => {
    // Line 2 is bad (b = x) but holds the only non-integer a (1.5) and the first number of both columns; line 4
    // is bad with a missing a; line 6 (the last) is bad and holds 2.5 in a.
    const p = await csv('facts.csv', 'a,b\n1.5,x\n,7\n9,y\n3,"8"\n2.5,z\n');
    for (const dense of [false, true]) {
      const bad: number[] = [];
      const t = await readModelTable(p, { targets: [], dense, allowMissing: true, cellFacts: true, onBadRow: (b) => { bad.push(b.line); } });
      expect(bad).toEqual([2, 4, 6]);
      expect(t.rows).toBe(2);
      expect(Array.from(t.lines!)).toEqual([3, 5]);
      expect(Array.from(t.facts!.numbers.a!)).toEqual([NaN, 3]);
      expect(Array.from(t.facts!.numbers.b!)).toEqual([7, 8]);
      expect(t.facts!.intSyntax).toEqual({ a: true, b: true });
      expect(t.facts!.firstNumber).toEqual({ a: { line: 5, text: '3' }, b: { line: 3, text: '7' } });
    }
    const q = await csv('facts2.csv', 'a\n2\n2.0\n');
    const t = await readModelTable(q, { targets: [], dense: true, cellFacts: true });
    expect(t.facts!.intSyntax).toEqual({ a: false });
    expect(Array.from(t.dense!)).toEqual([2, 2]);
  });

  it('maxRows keeps the first rows only (a bad cell after them is not read); text targets too', async () => {
    const p = await csv('limit.csv', 'a,city,target\n1,lyon,cat\n2,paris,dog\n,x,bird\n');
    const t = await readModelTable(p, { targets: ['target'], stringColumns: new Set(['city']), maxRows: 2 });
    expect(t.rows).toBe(2);
    expect(Array.from((t.columns.a as { values: Float64Array }).values)).toEqual([1, 2]);
    expect(t.columns.city).toEqual({ kind: 'string', values: ['lyon', 'paris'] });
    expect(t.targets).toEqual([{ name: 'target', kind: 'string', values: ['cat', 'dog'] }]);
  });

  it('every number as parseCell reads its text, by columns, dense and with a kept column, whatever its syntax (lane or not)', async () => {
    const spell = (v: number, k: number) => [String(v), v.toFixed(6), v.toExponential(3), ` ${v} `, `"${v}"`, v.toPrecision(17), `+${Math.abs(v)}`, '', 'NA'][k % 9]!;
    const rows = Array.from({ length: 3000 }, (_, r) => Array.from({ length: 4 }, (_, c) => spell((r * 7.31 - c * 1000.5) / 3, r * 3 + c)));
    const p = await csv('syntax.csv', `a,b,c,d,target\n${rows.map((cells, r) => `${cells.join(',')},${r % 2}`).join('\n')}\n`);
    const enc = new TextEncoder();
    const expected = rows.map((cells) => cells.map((text) => {
      const raw = text.startsWith('"') ? text.slice(1, -1) : text;
      const b = enc.encode(raw);
      const v = parseCell(b, 0, b.length);
      return v === MISSING ? NaN : (v as number);
    }));
    const byColumns = await readModelTable(p, { targets: ['target'], allowMissing: true, keepText: ['b'] });
    for (const [c, name] of ['a', 'b', 'c', 'd'].entries()) expect(Array.from((byColumns.columns[name] as { values: Float64Array }).values), name).toEqual(expected.map((r) => r[c]));
    expect(byColumns.text.b).toEqual(rows.map((r) => (r[1]!.startsWith('"') ? r[1]!.slice(1, -1) : r[1])));
    expect(Array.from(byColumns.targets[0]!.values as Float64Array)).toEqual(rows.map((_, r) => r % 2));
    const dense = await readModelTable(p, { targets: ['target'], allowMissing: true, dense: true });
    expect(Array.from(dense.dense!)).toEqual(expected.flat().map((v) => Math.fround(v)));
  });
});
