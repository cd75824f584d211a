import { open } from 'node:fs/promises';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { assembleFile } from './chunk-files.ts';
import { formatFor } from './predict.ts';
import type { OutputFormat } from './prediction-columns.ts';
import { RowScanner } from '../data/row-scanner.ts';

export interface MergePredictionsOptions {
  /** Shard outputs in shard order (0/n, 1/n, …). */
  parts: string[];
  out: string;
  /** Default from `out`'s extension (predict.ts formatFor). */
  format?: OutputFormat;
  logger?: Logger;
}

/**
 * Concatenates shard outputs in the order given into `out` (atomically): JSON Lines as they are; CSV
 * with the first part's header once, every part's own header (which must be the same) left out. The
 * shards of `predictBatch` partition the rows in input order, so shards 0…n−1 merged equal one
 * unsharded run byte for byte.
 */
export async function mergePredictions(options: MergePredictionsOptions): Promise<{ out: string; parts: number }> {
  const logger = options.logger ?? silentLogger;
  if (options.parts.length === 0) throw new InputError(`mlship predict merge: give the shard outputs to merge, in shard order.`);
  const format = options.format ?? formatFor(options.out);
  if (format === 'jsonl') {
    await assembleFile(options.out, '', options.parts.map((path) => ({ path })));
  } else {
    let header: string | undefined;
    const parts: Array<{ path: string; from: number }> = [];
    for (const path of options.parts) {
      const h = await headerOf(path);
      if (header !== undefined && h !== header) throw new InputError(`${path}: its header differs from ${options.parts[0]}'s; merge only the shards of one run (same package, ${opt('keep')} and format).`);
      header = h;
      parts.push({ path, from: Buffer.byteLength(h) });
    }
    await assembleFile(options.out, header!, parts);
  }
  logger.info(`Merged ${options.parts.length} shard output(s) into ${options.out}`);
  return { out: options.out, parts: options.parts.length };
}

/** The header line of a CSV output, with its line break (quote-aware: a column name may hold one). */
async function headerOf(path: string): Promise<string> {
  let fh;
  try { fh = await open(path, 'r'); } catch { throw new InputError(`Cannot read shard output ${path}: it does not exist.`); }
  try {
    const buf = new Uint8Array(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const end = new RowScanner().nextBoundary(buf, 0, bytesRead);
    if (end === -1) throw new InputError(`${path} has no complete header line; it is not a CSV output of mlship predict.`);
    return new TextDecoder().decode(buf.subarray(0, end));
  } finally {
    await fh.close();
  }
}
