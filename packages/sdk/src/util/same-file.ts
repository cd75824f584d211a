import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, opt } from '../errors.ts';

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
 * The first output (label, path; undefined paths are skipped) that is one of the inputs or an earlier
 * output, as [label of the input or earlier output, label of the output]; undefined when every output
 * has its own file. Inputs may name one file (reading it twice destroys nothing).
 */
export function firstSameFile(inputs: ReadonlyArray<readonly [string, string | undefined]>, outputs: ReadonlyArray<readonly [string, string | undefined]>): [string, string] | undefined {
  const named = (list: ReadonlyArray<readonly [string, string | undefined]>) => list.filter((p): p is readonly [string, string] => p[1] !== undefined);
  const ins = named(inputs);
  const outs = named(outputs);
  for (let j = 0; j < outs.length; j++) {
    const [label, path] = outs[j]!;
    const clash = [...ins, ...outs.slice(0, j)].find(([, other]) => sameFile(other, path));
    if (clash) return [clash[0], label];
  }
  return undefined;
}

/**
 * Throws an InputError naming the options (errors.ts opt keys) when an output is one of the inputs or
 * another output (firstSameFile): a command checks this before it reads or writes anything.
 */
export function refuseOutputOverInput(inputs: ReadonlyArray<readonly [string, string | undefined]>, outputs: ReadonlyArray<readonly [string, string | undefined]>): void {
  const clash = firstSameFile(inputs, outputs);
  if (!clash) return;
  const [first, output] = clash;
  const why = inputs.some(([label]) => label === first) ? `writing ${opt(output)} would destroy the input` : 'each output needs its own path';
  throw new InputError(`${opt(first)} and ${opt(output)} are the same file; ${why}. Name another path for ${opt(output)}.`);
}
