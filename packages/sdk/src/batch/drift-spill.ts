import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ModelTable } from '../data/model-table.ts';
import type { CurrentColumns } from '../drift/check.ts';
import { ColumnCells, type ColumnRead } from '../drift/columns.ts';
import { sortFloat64 } from '../util/sort-float64.ts';
import type { ColumnKind } from '../drift/stattests.ts';
import { chunkFile } from './chunk-files.ts';

/**
 * The batch's drift from its scoring pass: each score worker already parsed every feature cell of its
 * chunk, so it spills the kept rows' feature columns to `chunk-N.drift` in the run folder (durably,
 * before the chunk is logged as done, so a resumed run keeps them with the chunk), and the drift check
 * reads the current data from those files (drift/check.ts CurrentColumns) instead of parsing the CSV again.
 *
 * A numeric feature (a model input of numbers: every kept cell is a finite number or missing) is spilled
 * as float64, NaN where missing, with whether all its numbers are written as integers and its first
 * number — the facts drift-check keeps beside the values (data/model-table.ts cellFacts). A string
 * feature, and a feature the drift options declare categorical, is spilled as its cells' text (UTF-8)
 * with each row's line, and the drift check applies its own cell rule to it (drift/columns.ts
 * ColumnCells): numbers or labels, missing cells, decided from the data exactly as when it reads a CSV.
 *
 * File: `MLSD1\n`, the header's byte length (u32 LE), the header (JSON: rows, the spill spec, each
 * column's kind and section offsets), zero padding to a multiple of 8, then the sections: float64 values
 * (numbers), u32 cell byte lengths then the cells' bytes (text), i32 lines (once, when a column is text).
 */
export interface DriftSpillSpec {
  /** Features spilled as float64. */
  numbers: string[];
  /** Features spilled as text. */
  texts: string[];
}

/** Which features are spilled how: text for the model's string inputs and for columns declared categorical. */
export function driftSpillSpec(features: readonly string[], stringColumns: readonly string[], columnTypes: Record<string, ColumnKind> = {}): DriftSpillSpec {
  const text = (c: string) => stringColumns.includes(c) || columnTypes[c] === 'categorical';
  return { numbers: features.filter((c) => !text(c)), texts: features.filter(text) };
}

const MAGIC = 'MLSD1\n';

type SpilledColumn = { kind: 'number'; offset: number; intSyntax: boolean; first?: { line: number; text: string } } | { kind: 'text'; offset: number; cells: number; bytes: number };

interface SpillHeader {
  rows: number;
  spec: string;
  columns: Record<string, SpilledColumn>;
  /** Offset of the rows' lines (i32), when a column is text. */
  lines?: number;
}

const PAD = new Uint8Array(8);

/**
 * A chunk's spill file, as parts to write in order (views of the table's columns, not copies), from the
 * chunk's table (read with `cellFacts`, and `keepText` for the text features that are model numbers).
 */
export function driftSpillParts(table: ModelTable, spec: DriftSpillSpec): Uint8Array[] {
  const rows = table.rows;
  const facts = table.facts;
  if (!facts || !table.lines) throw new Error('driftSpillParts: the chunk was read without cellFacts');
  const parts: Uint8Array[] = [];
  let at = 0;
  const add = (bytes: Uint8Array) => { parts.push(bytes); const o = at; at += bytes.length; const pad = (8 - (at % 8)) % 8; if (pad) { parts.push(PAD.subarray(0, pad)); at += pad; } return o; };
  const header: SpillHeader = { rows, spec: JSON.stringify(spec), columns: {} };
  for (const c of spec.numbers) {
    const values = facts.numbers[c]!;
    const first = facts.firstNumber[c];
    header.columns[c] = { kind: 'number', offset: add(new Uint8Array(values.buffer, values.byteOffset, rows * 8)), intSyntax: facts.intSyntax[c]!, ...(first ? { first } : {}) };
  }
  const encoder = new TextEncoder();
  for (const c of spec.texts) {
    const col = table.columns[c];
    const cells = col?.kind === 'string' ? col.values : table.text[c];
    if (!cells) throw new Error(`driftSpillParts: no text for column ${c}`);
    const lengths = new Uint32Array(rows);
    let bytes = new Uint8Array(Math.max(64, rows * 8));
    let p = 0;
    for (let i = 0; i < rows; i++) {
      const t = cells[i]!;
      if (p + 3 * t.length > bytes.length) { const bigger = new Uint8Array(2 * bytes.length + 3 * t.length); bigger.set(bytes.subarray(0, p)); bytes = bigger; }
      const { written } = encoder.encodeInto(t, bytes.subarray(p));
      lengths[i] = written;
      p += written;
    }
    header.columns[c] = { kind: 'text', offset: add(new Uint8Array(lengths.buffer)), cells: add(bytes.subarray(0, p)), bytes: p };
  }
  if (spec.texts.length) header.lines = add(new Uint8Array(table.lines.buffer, table.lines.byteOffset, rows * 4));
  const json = encoder.encode(JSON.stringify(header));
  const headLength = MAGIC.length + 4 + json.length;
  const head = new Uint8Array(headLength + ((8 - (headLength % 8)) % 8));
  encoder.encodeInto(MAGIC, head);
  new DataView(head.buffer).setUint32(MAGIC.length, json.length, true);
  head.set(json, MAGIC.length + 4);
  return [head, ...parts];
}

type Handle = Awaited<ReturnType<typeof open>>;

/** Fills `buf` from `position` (a short file is a torn spill: an error). */
async function readFully(fh: Handle, buf: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error('a drift spill file ends early');
    done += bytesRead;
  }
}

async function readHeader(fh: Handle, path: string): Promise<{ header: SpillHeader; base: number }> {
  const head = new Uint8Array(MAGIC.length + 4);
  await readFully(fh, head, 0);
  if (new TextDecoder().decode(head.subarray(0, MAGIC.length)) !== MAGIC) throw new Error(`${path} is not a drift spill file`);
  const n = new DataView(head.buffer).getUint32(MAGIC.length, true);
  const json = new Uint8Array(n);
  await readFully(fh, json, head.length);
  const headLength = head.length + n;
  return { header: JSON.parse(new TextDecoder().decode(json)) as SpillHeader, base: headLength + ((8 - (headLength % 8)) % 8) };
}

/** Whether chunk `index`'s spill file is there, whole and of this spec (a resumed run keeps the chunk only then). */
export async function driftSpillMatches(runDir: string, index: number, spec: DriftSpillSpec): Promise<boolean> {
  const path = chunkFile(runDir, index, 'drift');
  if (!existsSync(path)) return false;
  const fh = await open(path, 'r');
  try {
    return (await readHeader(fh, path)).header.spec === JSON.stringify(spec);
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/**
 * The scored batch as the drift check's current data: the spill files of `chunks` (in input order),
 * `header` the features. Each read (one memory pass of the check) reads only its columns' sections.
 */
export function spilledColumns(runDir: string, chunks: ReadonlyArray<{ index: number; rows: number }>, header: string[], spec: DriftSpillSpec): CurrentColumns {
  const rows = chunks.reduce((a, c) => a + c.rows, 0);
  return {
    header,
    rows,
    async read(wanted, options) {
      const cells = new Map<number, ColumnCells>();
      for (const [idx, mode] of wanted) {
        if (mode.text && !spec.texts.includes(header[idx]!)) throw new Error(`the column ${header[idx]} was spilled as numbers, not as text`);
        cells.set(idx, new ColumnCells(mode.text, options.expectedRows, options.buffers));
      }
      for (const [i, chunk] of chunks.entries()) {
        options.logger.progress?.(options.progressLabel, i, chunks.length);
        const path = chunkFile(runDir, chunk.index, 'drift');
        const fh = await open(path, 'r');
        try {
          const { header: h, base } = await readHeader(fh, path);
          let lines: Int32Array | undefined;
          for (const [idx, c] of cells) {
            const s = h.columns[header[idx]!]!;
            if (s.kind === 'number') {
              await c.numbers(h.rows, (into) => readFully(fh, new Uint8Array(into.buffer, into.byteOffset, into.byteLength), base + s.offset), s.intSyntax, s.first);
              continue;
            }
            if (!lines) {
              lines = new Int32Array(h.rows);
              await readFully(fh, new Uint8Array(lines.buffer), base + h.lines!);
            }
            const lengths = new Uint32Array(h.rows);
            await readFully(fh, new Uint8Array(lengths.buffer), base + s.offset);
            const bytes = new Uint8Array(s.bytes);
            await readFully(fh, bytes, base + s.cells);
            let p = 0;
            for (let i = 0; i < h.rows; i++) { c.cell(bytes, p, p + lengths[i]!, lines[i]!); p += lengths[i]!; }
          }
        } finally {
          await fh.close();
        }
      }
      const columns = new Map<number, ColumnRead>();
      options.logger.progress?.(options.progressLabel, chunks.length, chunks.length);
      // Sorted here (drift-check's sort, as its reading worker does), while the reference is still being read.
      for (const [idx, c] of cells) {
        const read = c.finish();
        if (read.values) { sortFloat64(read.values); read.sorted = true; }
        columns.set(idx, read);
      }
      return { rows, columns };
    },
  };
}
