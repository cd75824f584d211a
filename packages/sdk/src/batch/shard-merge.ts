import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { mergePredictions } from './merge.ts';
import type { OutputFormat } from './prediction-columns.ts';
import type { Shard } from '../data/row-ranges.ts';

export interface MergeWhenCompleteOptions {
  /** This process's shard and its output (one of `parts`, at the shard's index). */
  shard: Shard;
  own: string;
  /** Every shard's output, in shard order (n of them). */
  parts: string[];
  /** The merged output. */
  out: string;
  format?: OutputFormat;
  logger?: Logger;
}

/** Checks that `parts` lists n outputs with this shard's own at its index (before any scoring is spent). */
export function checkMergeParts(shard: Shard, own: string, parts: readonly string[]): void {
  if (parts.length !== shard.count) throw new InputError(`${opt('merge-parts')} lists ${parts.length} shard output(s), but ${opt('shard')} ${shard.index}/${shard.count} says there are ${shard.count}: list every shard's output in shard order.`);
  if (resolve(parts[shard.index]!) !== resolve(own)) throw new InputError(`${opt('merge-parts')}: entry ${shard.index} is ${parts[shard.index]}, but this shard writes ${opt('out')} ${own}; list the outputs in shard order.`);
}

/**
 * "The last shard to finish merges": called by each shard after its own output is written (renamed
 * into place whole, so an existing part is a complete one). When every part exists it merges them in
 * shard order into `out` (mergePredictions, atomically); otherwise it returns the missing ones and a
 * shard still running will merge. Two shards finishing together may both merge: they write the same
 * bytes, each through its own temporary file, so `out` is whole either way. A shard that never
 * succeeds leaves its part missing: no merged output. Parts must be distinct per run (e.g. a folder
 * named after the Job), or an older run's part would be taken for this run's.
 */
export async function mergeWhenComplete(o: MergeWhenCompleteOptions): Promise<{ merged: boolean; missing: string[] }> {
  const logger = o.logger ?? silentLogger;
  checkMergeParts(o.shard, o.own, o.parts);
  const missing = o.parts.filter((p) => !existsSync(p));
  if (missing.length) {
    logger.info(`Shard ${o.shard.index}/${o.shard.count} done; ${missing.length} shard output(s) not there yet (${missing.join(', ')}): the last shard to finish merges.`);
    return { merged: false, missing };
  }
  await mergePredictions({ parts: o.parts, out: o.out, ...(o.format ? { format: o.format } : {}), logger });
  return { merged: true, missing: [] };
}
