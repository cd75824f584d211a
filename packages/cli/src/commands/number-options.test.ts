// Numbers typed on the command line go through the SDK's one parser: text that is not a number, or a
// number out of range, is a usage error naming the flag (exit 2) before anything runs — it used to be
// NaN (`mlship smoke --ready-timeout-ms abc` waited forever; `--min-available x` rendered a PDB with NaN).
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '@mlship/sdk';
import { commands } from './index.ts';

const command = (name: string) => commands.find((c) => c.name === name)!;

async function failure(name: string, argv: string[]): Promise<{ code: number; message: string }> {
  try {
    await command(name).run(argv);
  } catch (err) {
    return { code: exitCodeOf(err), message: (err as Error).message };
  }
  throw new Error(`mlship ${name} ${argv.join(' ')} did not fail`);
}

describe('number options', () => {
  it.each([
    ['smoke', ['--url', 'http://127.0.0.1:9', 'pkg', '--ready-timeout-ms', 'abc'], '--ready-timeout-ms must be an integer ≥ 1, got "abc".'],
    ['smoke', ['--url', 'http://127.0.0.1:9', 'pkg', '--ready-timeout-ms', '0'], '--ready-timeout-ms must be an integer ≥ 1, got "0".'],
    ['deploy', ['--name', 'm', '--image', 'r/m:1', '--mode', 'render', '--min-available', 'x'], '--min-available must be an integer ≥ 0, got "x".'],
    ['deploy', ['--name', 'm', '--image', 'r/m:1', '--mode', 'render', '--replicas', '1.5'], '--replicas must be an integer ≥ 0, got "1.5".'],
    ['deploy', ['--name', 'm', '--image', 'r/m:1', '--mode', 'render', '--timeout=-3'], '--timeout must be a number > 0, got "-3".'],
    ['evaluate', ['--model', 'm.onnx', '--data', 'd.csv', '--bootstrap', '1e9x'], '--bootstrap must be an integer ≥ 0, got "1e9x".'],
    ['drift', ['--reference', 'a.csv', '--current', 'b.csv', '--drift-share', '0'], '--drift-share must be a number > 0 and ≤ 1, got "0".'],
    ['drift', ['--reference', 'a.csv', '--current', 'b.csv', '--memory-budget', 'lots'], '--memory-budget must be a number > 0, got "lots".'],
    ['serialize', ['--model', 'm', '--name', 'n', '--version', '1', '--out', 'o', '--parity-rows', '0'], '--parity-rows must be an integer ≥ 1, got "0".'],
  ])('mlship %s %j', async (name, argv, message) => {
    expect(await failure(name, argv)).toEqual({ code: 2, message });
  });
});
