import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { Shard } from '../data/row-ranges.ts';
import type { OutputFormat } from './prediction-columns.ts';

/**
 * What `predict --shard i/n` records beside its output (`.OUT.mlship-shard.json`, written before the
 * output is renamed into place, so a shard output that exists has its record): which shard of which
 * run it is. `predict merge` reads the records of the parts it is given and merges only a complete,
 * consistent set — every shard 0…n−1 once, of one input, package, format and `--keep`, their byte
 * ranges tiling the input, each output as long as when it was written — in shard order, whatever
 * order the paths came in (a shell glob sorts part-10 before part-2).
 */
export interface ShardRecord {
  mlshipShard: 1;
  index: number;
  count: number;
  /** The input's size and this shard's rows in it: bytes [start, end). */
  data: { size: number; start: number; end: number };
  modelSha256: string;
  format: OutputFormat;
  keep: string[];
  rows: number;
  /** The output file's length when written. */
  bytes: number;
}

export function shardRecordPath(out: string): string {
  return join(dirname(resolve(out)), `.${basename(out)}.mlship-shard.json`);
}

export async function writeShardRecord(out: string, shard: Shard, record: Omit<ShardRecord, 'mlshipShard' | 'index' | 'count'>): Promise<void> {
  await writeFileAtomic(shardRecordPath(out), `${JSON.stringify({ mlshipShard: 1, index: shard.index, count: shard.count, ...record } satisfies ShardRecord)}\n`);
}

/** The parts in shard order, once their records show they are one complete run's shards (else an InputError saying what is wrong). */
export async function orderShardParts(parts: readonly string[]): Promise<string[]> {
  const records: Array<{ path: string; r: ShardRecord }> = [];
  for (const path of parts) {
    if (!existsSync(path)) throw new InputError(`Cannot read shard output ${path}: it does not exist.`);
    const recordPath = shardRecordPath(path);
    let r: ShardRecord;
    try {
      r = JSON.parse(await readFile(recordPath, 'utf8')) as ShardRecord;
    } catch {
      throw new InputError(`${path} has no shard record (${recordPath}): merge only the outputs of mlship predict --shard i/n, as it wrote them.`);
    }
    if (r.mlshipShard !== 1) throw new InputError(`${recordPath} is not a shard record of this mlship version.`);
    const size = (await stat(path)).size;
    if (size !== r.bytes) throw new InputError(`${path} is ${size} bytes, but shard ${r.index}/${r.count} wrote ${r.bytes}: it was changed since; score that shard again.`);
    records.push({ path, r });
  }
  const first = records[0]!.r;
  const n = first.count;
  for (const { path, r } of records) {
    const same = r.count === n && r.data.size === first.data.size && r.modelSha256 === first.modelSha256 && r.format === first.format && r.keep.join('\0') === first.keep.join('\0');
    if (!same) throw new InputError(`${path} is shard ${r.index}/${r.count} of another run than ${records[0]!.path} (shard ${first.index}/${n}): a different input, package, shard count, format or --keep. Merge the shards of one run only.`);
  }
  const byIndex: Array<{ path: string; r: ShardRecord } | undefined> = new Array(n);
  for (const e of records) {
    const had = byIndex[e.r.index];
    if (had) throw new InputError(`${had.path} and ${e.path} are both shard ${e.r.index}/${n}: give each shard's output once.`);
    byIndex[e.r.index] = e;
  }
  const missing = [...byIndex.keys()].filter((i) => !byIndex[i]);
  if (missing.length) throw new InputError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: the merge needs all ${n} shards' outputs (${records.length} given).`);
  for (let i = 1; i < n; i++) {
    if (byIndex[i]!.r.data.start !== byIndex[i - 1]!.r.data.end) throw new InputError(`${byIndex[i]!.path} (shard ${i}/${n}) does not start where shard ${i - 1}/${n} ends in the input: they were cut from different inputs. Score every shard of one input.`);
  }
  if (byIndex[n - 1]!.r.data.end !== first.data.size) throw new InputError(`shard ${n - 1}/${n} ends at byte ${byIndex[n - 1]!.r.data.end} of an input of ${first.data.size} bytes: score every shard of one input.`);
  return byIndex.map((e) => e!.path);
}
