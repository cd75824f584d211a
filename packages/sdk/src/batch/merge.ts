import { open } from 'node:fs/promises';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { assembleFile } from './chunk-files.ts';
import { formatFor } from './predict.ts';
import type { OutputFormat } from './prediction-columns.ts';
import { RowScanner } from '../data/row-scanner.ts';
import { sameFile } from '../util/same-file.ts';
import { orderShardParts } from './shard-record.ts';

export interface MergePredictionsOptions {
  /** Every shard's output (put in shard order by their records, whatever order they are given in). */
  parts: string[];
  out: string;
  /** Default from `out`'s extension (predict.ts formatFor). */
  format?: OutputFormat;
  logger?: Logger;
}

/**
 * Concatenates shard outputs in shard order into `out` (atomically), once their records
 * (shard-record.ts) show they are every shard of one run: JSON Lines as they are; CSV
 * with the first part's header once, every part's own header (which must be the same) left out. The
 * shards of `predictBatch` partition the rows in input order, so shards 0…n−1 merged equal one
 * unsharded run byte for byte.
 */
export async function mergePredictions(options: MergePredictionsOptions): Promise<{ out: string; parts: number }> {
  const logger = options.logger ?? silentLogger;
  if (options.parts.length === 0) throw new InputError(`mlship predict merge: give the shard outputs to merge, in shard order.`);
  const into = options.parts.find((p) => sameFile(p, options.out));
  if (into) throw new InputError(`${opt('out')} ${options.out} is one of the shard outputs (${into}); merging into it would destroy that shard's rows. Name another path.`);
  // Each part's record (batch/shard-record.ts): all shards of one run, each once, put in shard order.
  const ordered = await orderShardParts(options.parts);
  if (ordered.some((p, i) => p !== options.parts[i])) logger.info(`Merging in shard order: ${ordered.join(', ')}`);
  const format = options.format ?? formatFor(options.out);
  if (format === 'jsonl') {
    await assembleFile(options.out, '', ordered.map((path) => ({ path })));
  } else {
    let header: string | undefined;
    const parts: Array<{ path: string; from: number }> = [];
    for (const path of ordered) {
      const h = await headerOf(path);
      if (header !== undefined && h !== header) throw new InputError(`${path}: its header differs from ${ordered[0]}'s; merge only the shards of one run (same package, ${opt('keep')} and format).`);
      header = h;
      parts.push({ path, from: Buffer.byteLength(h) });
    }
    await assembleFile(options.out, header!, parts);
  }
  logger.info(`Merged ${ordered.length} shard output(s) into ${options.out}`);
  return { out: options.out, parts: ordered.length };
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
