// Every drift fixture scenario (test/fixtures/drift: breast_cancer, diabetes, synthetic) against
// Evidently 0.7's own DataDriftPreset and scipy, computed live by python/ref_drift.py `scenarios`:
// the stattest per column, the drift decisions and the dataset verdict must be identical, every
// statistic within 1e-9 (relative for values above 1).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { runDriftCheck } from './check.ts';

interface RefColumn {
  type: string; stattest: string; threshold: number; score: number; drift: boolean;
  n_ref: number; n_cur: number; n_missing_ref: number; n_missing_cur: number;
  stats: Record<string, number | string | string[]>;
}
interface RefScenario { reference: string; current: string; columns: Record<string, RefColumn>; summary: { n_drifted: number; share_drifted: number; dataset_drift: boolean } }

const DRIFT = join(REPO_ROOT, 'test/fixtures/drift');
const scenarios: Array<[string, string]> = [];
for (const set of ['breast_cancer', 'diabetes', 'synthetic']) {
  for (const f of readdirSync(join(DRIFT, set)).filter((f) => f.startsWith('current_')).sort()) {
    scenarios.push([join(DRIFT, set, 'reference.csv'), join(DRIFT, set, f)]);
  }
}
// The labelled datasets' train vs test split too: integer columns (digits pixels, class targets) exercise
// Evidently's type inference (int with ≤ 10 distinct values → categorical) and > 1000-row references.
const DATASETS = join(REPO_ROOT, 'test/fixtures/datasets');
for (const set of ['breast_cancer', 'diabetes', 'digits', 'iris', 'wine']) scenarios.push([join(DATASETS, set, 'train.csv'), join(DATASETS, set, 'test.csv')]);
const expected = runPythonJson<RefScenario[]>('ref_drift.py', ['scenarios', ...scenarios.flat()]);

function num(v: number | string): number {
  return v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number);
}

function close(actual: unknown, want: number | string, what: string): void {
  const a = typeof actual === 'string' ? num(actual) : (actual as number);
  const e = num(want);
  if (!Number.isFinite(e)) { expect(a, what).toBe(e); return; }
  expect(Math.abs(a - e), `${what}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
}

describe('drift check vs Evidently 0.7 DataDriftPreset and scipy, every fixture scenario', () => {
  it('covers the 19 drift scenarios and 5 train/test splits', () => expect(scenarios.length).toBe(24));
  for (const [i, [refPath, curPath]] of scenarios.entries()) {
    const label = curPath.slice(REPO_ROOT.length + 'test/fixtures/'.length + 1);
    it(label, async () => {
      const want = expected[i]!;
      const got = await runDriftCheck({ reference: refPath, current: curPath });
      expect(Object.keys(got.columns).sort()).toEqual(Object.keys(want.columns).sort());
      for (const [name, w] of Object.entries(want.columns)) {
        const g = got.columns[name]!;
        const where = `${label} ${name}`;
        expect(g.type, `${where} type`).toBe(w.type);
        expect(g.stattest, `${where} stattest`).toBe(w.stattest);
        expect(g.threshold, `${where} threshold`).toBe(w.threshold);
        expect(g.drift, `${where} drift`).toBe(w.drift);
        close(g.score, w.score, `${where} score`);
        expect([g.n_ref, g.n_cur, g.n_missing_ref, g.n_missing_cur], `${where} counts`).toEqual([w.n_ref, w.n_cur, w.n_missing_ref, w.n_missing_cur]);
        for (const [stat, value] of Object.entries(w.stats)) {
          if (Array.isArray(value)) expect(g.stats[stat], `${where} ${stat}`).toEqual(value);
          else if (value === 'NaN') {
            // scipy returns NaN for a goodness-of-fit test over one category (dof 0); we return p = 1,
            // documented in chiSquareGoodnessOfFit, and the column carries a "constant" note.
            expect([stat, g.stats[stat], g.notes.join(' ')], where).toEqual(['chisquare_p_value', 1, expect.stringContaining('constant')]);
          }
          else close(g.stats[stat], value, `${where} ${stat}`);
        }
      }
      expect(got.summary.n_drifted).toBe(want.summary.n_drifted);
      close(got.summary.share_drifted, want.summary.share_drifted, `${label} share`);
      expect(got.summary.dataset_drift).toBe(want.summary.dataset_drift);
    });
  }
});

describe('reading in worker threads (read-worker.ts from source)', () => {
  it('gives the same report as the main thread, with several passes reusing the buffers', async () => {
    const [refPath, curPath] = scenarios.find(([, c]) => c.endsWith('synthetic/current_scale_change.csv'))!;
    const main = await runDriftCheck({ reference: refPath, current: curPath, workers: 'never' });
    const threaded = await runDriftCheck({ reference: refPath, current: curPath, workers: 'always', memoryBudgetMiB: 0.2 });
    expect(threaded).toEqual(main);
  });
});
