import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDriftCheck } from '@mlship/sdk';
import { loadZoo } from '../harness/zoo.ts';

// Issue 9: drift runs on every zoo model's data (train as reference, test as current): string
// categoricals, unicode / quoted / comma column names, empty cells. Every feature column is checked
// (none skipped); the statistics themselves are tested against Evidently/scipy in test/drift.
describe('drift on the zoo data', async () => {
  const { dir, models } = await loadZoo();
  for (const m of models) {
    it(`${m.name}`, async () => {
      const report = await runDriftCheck({ reference: join(dir, m.train), current: join(dir, m.test) });
      for (const f of m.features) expect(Object.keys(report.columns), `${m.name}: column ${f}`).toContain(f);
      expect(report.skipped).toEqual({});
      expect(report.summary.n_columns).toBeGreaterThanOrEqual(m.features.length);
    });
  }
});
