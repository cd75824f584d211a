import { mkdtemp, writeFile, rm, truncate as truncateFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvSource, readCsv, readCsvHeader } from './csv.ts';
import { cellValue, MISSING, NOT_A_NUMBER, parseCell, scanPlainDecimal } from './cell.ts';
import { readLabelledTable } from './labelled-table.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures');
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-csv-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

/** Reads every field as text, for checking the tokenizer. */
async function readAll(path: string, chunkSize?: number) {
  const rows: string[][] = [];
  let header: string[] = [];
  const dec = new TextDecoder();
  await readCsv(path, {
    header(c) { header = c; },
    field(col, b, s, e, row) { (rows[row] ??= [])[col] = dec.decode(b.subarray(s, e)); },
  }, { chunkSize });
  return { header, rows };
}

describe('readCsv', () => {
  it('reads headers with spaces and ( ) /, CRLF line ends and a UTF-8 BOM', async () => {
    const p = await file('bom.csv', '\uFEFFsepal length (cm),od280/od315,target\r\n1.5,2,0\r\n3,4.25,1\r\n');
    const { header, rows } = await readAll(p);
    expect(header).toEqual(['sepal length (cm)', 'od280/od315', 'target']);
    expect(rows).toEqual([['1.5', '2', '0'], ['3', '4.25', '1']]);
  });

  it('handles quoted fields with separators, doubled quotes and line breaks, across chunk borders', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `${i},"a, ""b""\nline ${i}",x${i}`).join('\n');
    const p = await file('quoted.csv', `id,text,tag\n${body}\n`);
    for (const chunk of [7, 64, 1 << 20]) {
      const { rows } = await readAll(p, chunk);
      expect(rows).toHaveLength(200);
      expect(rows[123]).toEqual(['123', 'a, "b"\nline 123', 'x123']);
    }
  });

  it('gives the same rows whatever the chunk size (fixture file)', async () => {
    const p = join(FIXTURES, 'datasets/wine/test.csv');
    const a = await readAll(p, 13);
    const b = await readAll(p);
    expect(a).toEqual(b);
    expect(b.rows).toHaveLength(36);
  });

  it('skips blank lines and reads a last line without a line break', async () => {
    const p = await file('blank.csv', 'a,b\n1,2\n\n3,4');
    expect((await readAll(p)).rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it.each([
    ['empty.csv', '', /is empty/],
    ['header-only.csv', 'a,b,target\n', /has a header but no data rows/],
    ['ragged-short.csv', 'a,b,c\n1,2,3\n4,5\n', /line 3: row has 2 fields, the header has 3/],
    ['ragged-long.csv', 'a,b\n1,2\n3,4,5\n', /line 3: row has more than the header's 2 fields/],
    ['dup.csv', 'a,b,a\n1,2,3\n', /column "a" appears twice \(columns 1 and 3\)/],
    ['noname.csv', 'a,,c\n1,2,3\n', /column 2 has no name; give every column a name in the header row\.$/],
    // What pandas' df.to_csv(path) writes (the index first, unnamed): python -c "import pandas as pd; print(pd.DataFrame({'a':[1]}).to_csv())"
    ['index.csv', ',a\n0,1\n', /column 1 has no name; .*a pandas index: write the CSV with df\.to_csv\(path, index=False\)\./],
    ['unclosed.csv', 'a,b\n1,"2\n', /quoted field is not closed/],
  ])('rejects %s with a message naming the file and line', async (name, content, message) => {
    const p = await file(name, content);
    await expect(readAll(p)).rejects.toThrow(message);
    await expect(readAll(p)).rejects.toThrow(p);
  });

  it('says when the file does not exist', async () => {
    await expect(readAll(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: it does not exist/);
  });

  it('ranges read through one open CsvSource, two at a time, give what reads of the file give; a file that shrank is refused', async () => {
    // Quoted line breaks and commas; ranges on row boundaries (byte offsets of the lines below).
    const lines = ['a,b', '1,"x,y"', '2,"two\nlines"', '3,z', '4,"q ""quoted"""', '5,w'];
    const p = await file('source.csv', `${lines.join('\n')}\n`);
    const at = (row: number) => Buffer.byteLength(lines.slice(0, row).map((l) => `${l}\n`).join(''));
    const ranges = [[1, 3], [3, 5], [5, 6], [1, 6]].map(([a, b]) => ({ start: at(a!), end: at(b!), columns: ['a', 'b'], firstLine: 2, firstRow: 0 }));
    const read = async (range: (typeof ranges)[number], source?: CsvSource) => {
      const rows: string[][] = [];
      const dec = new TextDecoder();
      await readCsv(p, { header() {}, field(col, b, s, e, row) { (rows[row] ??= [])[col] = dec.decode(b.subarray(s, e)); } }, { range, ...(source ? { source } : {}) });
      return rows;
    };
    const expected = await Promise.all(ranges.map((r) => read(r)));
    expect(expected[3]).toEqual([['1', 'x,y'], ['2', 'two\nlines'], ['3', 'z'], ['4', 'q "quoted"'], ['5', 'w']]);
    const source = await CsvSource.open(p);
    try {
      for (let round = 0; round < 3; round++) expect(await Promise.all(ranges.map((r) => read(r, source)))).toEqual(expected);
      await truncateFile(p, at(4));
      await expect(read(ranges[3]!, source)).rejects.toThrow(/source\.csv is shorter than when it was opened/);
    } finally {
      await source.close();
    }
    // Without a source, a range past the end of the file says the file changed.
    await expect(read(ranges[3]!)).rejects.toThrow(/beyond its .* bytes; the file changed/);
  });

  it('reads only the header', async () => {
    expect(await readCsvHeader(join(FIXTURES, 'datasets/iris/train.csv'))).toEqual(
      ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'target']);
  });
});

describe('the number fast lane', () => {
  const enc = new TextEncoder();
  /** Every field as [column, value or text, lane used], with the lane on for `lane` columns. */
  async function readLane(path: string, lane: number[], chunkSize?: number) {
    const got: Array<[number, number | string, 'lane' | 'field']> = [];
    const texts: string[] = [];
    const dec = new TextDecoder();
    const visitor: Parameters<typeof readCsv>[1] = {
      header(c) { visitor.numberColumns = Uint8Array.from(c, (_, i) => (lane.includes(i) ? 1 : 0)); },
      field(col, b, s, e) { got.push([col, dec.decode(b.subarray(s, e)), 'field']); },
      numberField(col, v, _row, _line, b, s, e) { got.push([col, v, 'lane']); texts.push(dec.decode(b.subarray(s, e))); },
    };
    await readCsv(path, visitor, { chunkSize });
    return Object.assign(got, { texts });
  }

  it('gives parseCell\'s value for every plain decimal it takes (all of ≤ 15 significant digits, nearly all of 16–19), and refuses the rest', () => {
    const rand = (n: number) => Math.floor(Math.random() * n);
    let long = 0;
    let longTaken = 0;
    for (let k = 0; k < 40000; k++) {
      const int = Array.from({ length: rand(12) }, () => rand(10)).join('');
      const frac = Array.from({ length: rand(14) }, () => rand(10)).join('');
      const text = `${['', '-', '+'][rand(3)]}${int}${rand(4) ? `.${frac}` : ''}`;
      const b = enc.encode(`${text},`);
      const end = scanPlainDecimal(b, 0);
      const digits = (int + (text.includes('.') ? frac : '')).replace(/^0+/, '').length;
      const any = /[0-9]/.test(text);
      if (!any || digits > 19) { expect(end, text).toBe(-1); continue; }
      if (digits > 15) { long++; if (end === -1) continue; longTaken++; }
      expect(end, text).toBe(text.length);
      expect(Object.is(cellValue[0], parseCell(b, 0, text.length)), text).toBe(true);
    }
    expect(longTaken).toBeGreaterThan(long * 0.99);
    for (const text of ['1e5', '1.5E-3', '', '-', '.', '12345678901234567890', '0.00000000000000000000001']) expect(scanPlainDecimal(enc.encode(`${text}\n`), 0), text).toBe(-1);
  });

  it('reads exact midpoints between doubles (ties to even) and their neighbours as Number() does', () => {
    for (let k = 0; k < 20000; k++) {
      // Odd integers in [2^53, 2^54) lie halfway between two doubles; scaled by 10^-j they stay 16–19 digits.
      const odd = 2n ** 53n + 2n * BigInt(Math.floor(Math.random() * 2 ** 52)) + 1n + BigInt(k % 3) - 1n;
      const digits = odd.toString();
      const j = k % 8;
      const text = j === 0 ? digits : `${digits.slice(0, digits.length - j)}.${digits.slice(digits.length - j)}`;
      const b = enc.encode(`${text}\n`);
      expect(parseCell(b, 0, text.length), text).toBe(Number(text));
      const end = scanPlainDecimal(b, 0);
      if (end !== -1) expect(cellValue[0], text).toBe(Number(text));
    }
  });

  it('reads float64 as pandas writes it (repr, up to 17 digits) as Number() does', () => {
    for (let k = 0; k < 200000; k++) {
      const x = k % 2 ? Math.random() * 10 ** Math.floor(Math.random() * 12 - 4) : -Math.random();
      const text = String(x);
      if (text.includes('e')) continue;
      const b = enc.encode(`${text}\n`);
      const end = scanPlainDecimal(b, 0);
      if (end !== -1) expect(Object.is(cellValue[0], x), text).toBe(true);
      expect(parseCell(b, 0, text.length), text).toBe(x);
    }
  });

  it('takes plain decimals of the marked columns, hands everything else to field(), whatever the chunks', async () => {
    const body = ['1.5,-0,x', '"2",7,"y, z"', ' 3 ,1e3,w', ',1.2345678901234567,v', '-.25,+4.,u', '5,6,t'].join('\r\n');
    const p = await file('lane.csv', `a,b,c\n${body}`); // no line break after the last row
    const expected: Array<[number, number | string, 'lane' | 'field']> = [
      [0, 1.5, 'lane'], [1, -0, 'lane'], [2, 'x', 'field'],
      [0, '2', 'field'], [1, 7, 'lane'], [2, 'y, z', 'field'],
      [0, ' 3 ', 'field'], [1, '1e3', 'field'], [2, 'w', 'field'],
      [0, '', 'field'], [1, 1.2345678901234567, 'lane'], [2, 'v', 'field'],
      [0, -0.25, 'lane'], [1, 4, 'lane'], [2, 'u', 'field'],
      [0, 5, 'lane'], [1, 6, 'lane'], [2, 't', 'field'],
    ];
    for (const chunk of [5, 9, 64, 1 << 20]) {
      const got = await readLane(p, [0, 1], chunk);
      expect([...got], `chunk ${chunk}`).toEqual(expected);
      expect(got.texts).toEqual(['1.5', '-0', '7', '1.2345678901234567', '-.25', '+4.', '5', '6']);
      expect(Object.is(got[1]![1], -0)).toBe(true);
    }
    // Unmarked columns never use the lane.
    expect((await readLane(p, [])).every(([, , how]) => how === 'field')).toBe(true);
  });
});

describe('parseCell', () => {
  const enc = new TextEncoder();
  const parse = (s: string) => { const b = enc.encode(s); return parseCell(b, 0, b.length); };

  it('reads every float the way Number() does (correct rounding)', () => {
    const cases = ['0', '-0', '15.880000000000001', '0.07871', '1e-7', '-2.5E+3', '.5', '5.', '+3', '123456789012345678901234',
      '0.1234567890123456789', '9007199254740993', '1e308', '4.9e-324', '2.2250738585072014e-308', '0.000001', '-1.203991'];
    for (const c of cases) expect(parse(c), c).toBe(Number(c));
    // Random shortest-repr doubles round-trip exactly.
    for (let i = 0; i < 2000; i++) {
      const v = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20);
      expect(parse(String(v))).toBe(v);
    }
  });

  it("treats pandas' default NA spellings and the empty cell as missing", () => {
    for (const s of ['', 'NaN', 'nan', 'NA', 'N/A', 'null', 'NULL', '<NA>', 'None']) expect(parse(s), s).toBe(MISSING);
  });

  it('reads infinities and rejects text', () => {
    expect(parse('inf')).toBe(Infinity);
    expect(parse('-Infinity')).toBe(-Infinity);
    for (const s of ['abc', '1.2.3', '1e', '--1', '0x10', '-', 'A']) expect(parse(s), s).toBe(NOT_A_NUMBER);
  });

  it('reads padded decimals as pandas does, padded specials and blank cells as text', () => {
    // pandas 3.0 C parser (the .venv), per cell: pd.read_csv(io.StringIO('a,b\n' + cell + ',1\n'))['a'][0]
    //   ' 7 ' → 7, '7 ' → 7, '\t7\t' → 7, ' 7.5e1 ' → 75.0, '+7 ' → 7, ' -.5' → -0.5;
    //   ' inf ', '-inf ', ' nan ', ' NA ', '  ', ' 0x10 ', ' 1_000 ' → str (not numbers, not missing).
    for (const [text, v] of [[' 7 ', 7], ['7 ', 7], ['\t7\t', 7], [' 7.5e1 ', 75], ['+7 ', 7], [' -.5', -0.5], [' 1', 1], ['1 ', 1]] as const) expect(parse(text), JSON.stringify(text)).toBe(v);
    for (const text of [' inf ', '-inf ', ' nan ', ' NA ', '  ', '\t', ' 0x10 ', ' 1_000 ', ' - ', ' 1 2 ']) expect(parse(text), JSON.stringify(text)).toBe(NOT_A_NUMBER);
  });
});

describe('readLabelledTable', () => {
  it('reads the features in file order as float32 and the target as float64', async () => {
    const t = await readLabelledTable(join(FIXTURES, 'datasets/diabetes/test.csv'));
    expect(t.rows).toBe(89);
    expect(t.featureNames).toEqual(['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(t.features).toHaveLength(89 * 10);
    expect(t.features).toBeInstanceOf(Float32Array);
  });

  it('names the file, line and column of a non-numeric cell', async () => {
    const p = await file('bad-cell.csv', 'x,y,target\n1,2,0\n3,oops,1\n');
    await expect(readLabelledTable(p)).rejects.toThrow(/bad-cell\.csv: line 3, column "y": "oops", which is not a number/);
  });

  it('names the file, line and column of a missing cell', async () => {
    const p = await file('missing-cell.csv', 'x,y,target\n1,2,0\n3,NaN,1\n');
    await expect(readLabelledTable(p)).rejects.toThrow(/line 3, column "y": a missing value \("NaN"\)/);
  });

  it('says which columns exist when the target is absent', async () => {
    const p = await file('no-target.csv', 'x,y\n1,2\n');
    await expect(readLabelledTable(p)).rejects.toThrow(/no target column "target"; the columns are "x", "y"/);
  });
});
