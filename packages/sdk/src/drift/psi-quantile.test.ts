// psiQuantileBins against numpy: every expected value is python/ref_drift.py `psi_quantile` (numpy.quantile,
// numpy.digitize, numpy.bincount) run live on the same numbers, sent as JSON (exact doubles both ways).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { readCsv } from '../data/csv.ts';
import { psiQuantileBins } from './stats.ts';

async function numericColumns(path: string): Promise<Record<string, number[]>> {
  const cols: Record<string, number[]> = {};
  let names: string[] = [];
  const dec = new TextDecoder();
  await readCsv(path, {
    header: (h) => { names = h; for (const n of h) cols[n] = []; },
    field: (col, bytes, start, end) => { cols[names[col]!]!.push(Number(dec.decode(bytes.subarray(start, end)))); },
  });
  return cols;
}

/** A deterministic sample: `counts[i]` copies of `values[i]`, in a scrambled order (the function sorts). */
function repeated(values: number[], counts: number[]): number[] {
  const out = values.flatMap((v, i) => Array.from({ length: counts[i]! }, () => v));
  return out.map((v, i) => [v, (i * 7919) % out.length] as const).sort((a, b) => a[1] - b[1]).map(([v]) => v);
}

const sorted = (x: number[]) => Float64Array.from(x).sort();
const cases: Array<[string, number[], number[]]> = [];
let numpy: number[];

beforeAll(async () => {
  const DATA = join(REPO_ROOT, 'test/fixtures/datasets/diabetes');
  const train = await numericColumns(join(DATA, 'train.csv'));
  const test = await numericColumns(join(DATA, 'test.csv'));
  for (const c of Object.keys(train)) cases.push([`diabetes ${c}`, train[c]!, test[c]!]);
  // Synthetic few-valued columns: two values, ≥ 10% of the reference at its minimum (a zero-inflated
  // column), a constant reference, and three values where a quantile falls between two of them.
  cases.push(['two values 0/1, 70/30 vs 60/40', repeated([0, 1], [700, 300]), repeated([0, 1], [480, 320])]);
  cases.push(['two values -1/1, 53/47 vs 54/46', repeated([-1, 1], [530, 470]), repeated([-1, 1], [540, 460])]);
  const tail = Array.from({ length: 600 }, (_, i) => Math.round(1000 * -Math.log(1 - (i + 0.5) / 600)) / 1000);
  cases.push(['40% zeros then a continuous tail vs 30% zeros', [...repeated([0], [400]), ...tail], [...repeated([0], [300]), ...tail.slice(0, 500)]]);
  cases.push(['constant reference, current half another value', repeated([5], [200]), repeated([5, 6], [100, 100])]);
  cases.push(['three values 1/2/3 (a quantile between two of them)', repeated([1, 2, 3], [45, 10, 46]), repeated([1, 2, 3], [30, 30, 40])]);
  numpy = runPythonJson<number[]>('ref_drift.py', ['psi_quantile'], JSON.stringify({ pairs: cases.map(([, r, c]) => [r, c]) }));
});

describe('psiQuantileBins equals numpy (ref_drift.py psi_quantile)', () => {
  it('on every diabetes column (fixtures train vs test) and the synthetic few-valued columns', () => {
    expect(cases.length).toBe(11 + 5); // 10 features + target, 5 synthetic
    for (const [i, [label, r, c]] of cases.entries()) {
      const got = psiQuantileBins(sorted(r), sorted(c));
      expect(Math.abs(got - numpy[i]!), `${label}: ${got} vs numpy ${numpy[i]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(numpy[i]!)));
    }
  });

  it('is not 0 on a two-valued column whose proportions differ: diabetes `sex`, the issue\'s 3.69e-4', () => {
    const i = cases.findIndex(([l]) => l === 'diabetes sex');
    expect(numpy[i]!.toPrecision(3)).toBe('0.000369'); // issue 9 item 7: "numpy gives 3.69e-4"
    expect(psiQuantileBins(sorted(cases[i]![1]), sorted(cases[i]![2]))).toBeCloseTo(numpy[i]!, 15);
    for (const [label, r, c] of cases.filter(([l]) => !l.startsWith('diabetes'))) {
      expect(psiQuantileBins(sorted(r), sorted(c)), label).toBeGreaterThan(1e-4);
    }
  });
});
