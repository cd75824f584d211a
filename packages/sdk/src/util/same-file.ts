import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Whether paths `a` and `b` name one file: the same path once resolved, or — when both exist — the same
 * device and inode (a symbolic or hard link, another spelling through `..`). An output that is one of
 * the inputs would destroy it, so callers refuse that before writing anything.
 */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one of them does not exist (yet)
  }
}

/**
 * The first pair of `paths` (label, path; undefined paths are skipped) that name one file, as
 * [label of the earlier, label of the later]; undefined when they are all distinct.
 */
export function firstSameFile(paths: ReadonlyArray<readonly [string, string | undefined]>): [string, string] | undefined {
  const named = paths.filter((p): p is readonly [string, string] => p[1] !== undefined);
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) if (sameFile(named[i]![1], named[j]![1])) return [named[i]![0], named[j]![0]];
  }
  return undefined;
}
