// `mlship drift` as a user runs it (node packages/cli/dist/mlship.js drift …): the fixture scenarios
// say what they changed, and every bad input exits 2 with a message naming the file/column/line and
// writes neither the JSON nor the HTML report.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';
import { runCli as runCliIn } from '../harness/cli.ts';

const DRIFT = join(REPO_ROOT, 'test', 'fixtures', 'drift');
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-drift-cli-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function runCli(args: string[]) {
  return runCliIn(['drift', '--quiet', ...args], dir);
}

async function scenario(set: string, current: string, extra: string[] = []) {
  const res = await runCli(['--reference', join(DRIFT, set, 'reference.csv'), '--current', join(DRIFT, set, current), '--out', 'r.json', ...extra]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return { ...res, json: JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) };
}

describe('mlship drift on the fixture scenarios', () => {
  it('synthetic mean shift: exactly the shifted columns f0, f1 drift (normed Wasserstein, > 1000 rows)', async () => {
    const { json, stdout } = await scenario('synthetic', 'current_mean_shift.csv');
    expect(json.summary.drifted_columns).toEqual(['f0', 'f1']);
    expect(json.columns.f0.stattest).toBe('wasserstein');
    expect(json.columns.segment.stattest).toBe('jensenshannon');
    expect(stdout).toMatch(/^## Data drift check/);
    expect(stdout.indexOf('**f0**')).toBeLessThan(stdout.indexOf('| f2 |'));
  });
  it('synthetic small shift (0.05 std on f2) stays below the threshold', async () => {
    const { json } = await scenario('synthetic', 'current_small_shift.csv');
    expect(json.summary.n_drifted).toBe(0);
    expect(json.columns.f2.score).toBeGreaterThan(0);
    expect(json.columns.f2.score).toBeLessThan(0.1);
  });
  it('unseen category: D is listed as new, chi-square goodness of fit is infinite', async () => {
    const { json } = await scenario('breast_cancer', 'current_new_category.csv');
    expect(json.columns.segment.stats.new_categories).toEqual(['D']);
    expect(json.columns.segment.stats.chisquare_statistic).toBe('Infinity');
    expect(json.columns.segment.stats.chisquare_p_value).toBe(0);
    expect(json.columns.segment.drift).toBe(true);
  });
  it('missing values: counted, dropped, and flagged as their own signal', async () => {
    const { json, stdout } = await scenario('synthetic', 'current_missing.csv');
    expect(json.columns.f5.n_missing_cur).toBe(574);
    expect(json.columns.f5.n_cur).toBe(3000 - 574);
    expect(json.columns.f5.stats.missing_share_change).toBeCloseTo(574 / 3000, 15);
    expect(json.summary.missing_alert_columns).toEqual(['f5']);
    expect(stdout).toContain('Missing values changed by ≥ 5% in f5 (+19.1 pts)');
  });
  it('overrides: stattest per type and per column, thresholds, drift share, column types', async () => {
    const { json } = await scenario('diabetes', 'current_mean_shift.csv', ['--num-stattest', 'psi', '--column-stattest', 'bmi=wasserstein', '--column-threshold', 'bmi=0.2',
      '--categorical', 'sex', '--exclude', 'segment', '--drift-share', '0.2']);
    expect(json.columns.age.stattest).toBe('psi');
    expect(json.columns.age.threshold).toBe(0.1);
    expect([json.columns.bmi.stattest, json.columns.bmi.threshold]).toEqual(['wasserstein', 0.2]);
    expect(json.columns.sex.type).toBe('categorical');
    expect(json.columns.sex.stattest).toBe('z');
    expect(json.columns.segment).toBeUndefined();
    expect(json.summary.drift_share).toBe(0.2);
    // Asked for by name on a numerical column, chi-square and z are refused, as Evidently refuses them
    // (StatTestInvalidFeatureTypeError): they would take each float for a category.
    const files = ['--reference', join(DRIFT, 'diabetes', 'reference.csv'), '--current', join(DRIFT, 'diabetes', 'current_mean_shift.csv')];
    const chi = await runCli([...files, '--column-stattest', 'bmi=chisquare']);
    expect([chi.code, chi.stderr]).toEqual([2, expect.stringMatching(/--column-stattest: stattest chisquare \(chi-square p_value\) tests categorical columns only, and column "bmi" is numerical\. Choose one of ks, wasserstein, psi, jensenshannon for it, or declare it categorical with --categorical bmi/)]);
    const z = await runCli([...files, '--num-stattest', 'z']);
    expect([z.code, z.stderr]).toEqual([2, expect.stringMatching(/--num-stattest: stattest z .* tests categorical columns only, and column "\w+" is numerical/)]);
  });
  it('JSON Lines current (the model server\'s inference log records) gives the same report as the CSV', async () => {
    const csv = (await readFile(join(DRIFT, 'breast_cancer', 'current_missing.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    const jsonl = csv.slice(1).map((line, i) => {
      const cells = line.split(',');
      const features = Object.fromEntries(header.map((h, j) => [h, h === 'segment' ? cells[j] : cells[j] === '' || cells[j] === 'NaN' ? null : Number(cells[j])]));
      return JSON.stringify({ time: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, model: 'bc', version: '1', features, prediction: 1 });
    }).join('\n');
    await writeFile(join(dir, 'current.jsonl'), `${jsonl}\n`);
    const fromCsv = await scenario('breast_cancer', 'current_missing.csv');
    const res = await runCli(['--reference', join(DRIFT, 'breast_cancer', 'reference.csv'), '--current', join(dir, 'current.jsonl'), '--out', 'jl.json']);
    expect(res.code).toBe(0);
    const fromJsonl = JSON.parse(await readFile(join(dir, 'jl.json'), 'utf8'));
    expect(fromJsonl.current.path).toBe(join(dir, 'current.jsonl'));
    expect(fromJsonl.columns).toEqual(fromCsv.json.columns);
    expect(fromJsonl.summary).toEqual(fromCsv.json.summary);
  });
  it('reading in worker threads gives the same report as reading in the main thread, also across passes', async () => {
    const args = (out: string, workers: string, budget: string) => ['--reference', join(DRIFT, 'synthetic', 'reference.csv'), '--current', join(DRIFT, 'synthetic', 'current_missing.csv'),
      '--out', out, '--workers', workers, '--memory-budget', budget];
    const a = await runCli(args('w-never.json', 'never', '200'));
    const b = await runCli(args('w-always.json', 'always', '0.1')); // 0.1 MiB: one column per pass
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    expect(await readFile(join(dir, 'w-always.json'), 'utf8')).toBe(await readFile(join(dir, 'w-never.json'), 'utf8'));
  });
  it('--fail-on-drift exits 1 on dataset drift and still writes the reports', async () => {
    const res = await runCli(['--reference', join(DRIFT, 'synthetic', 'reference.csv'), '--current', join(DRIFT, 'synthetic', 'current_mean_shift.csv'),
      '--drift-share', '0.25', '--fail-on-drift', '--out', 'fail.json', '--html', 'fail.html']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Dataset drift: 2 of 7 columns drifted (28.6% ≥ 25%)');
    expect(JSON.parse(await readFile(join(dir, 'fail.json'), 'utf8')).summary.dataset_drift).toBe(true);
  });
});

const BAD: Array<[string, string | null, string | null, RegExp]> = [
  ['missing file', null, 'a,b\n1,2\n', /ref\.csv: it does not exist/],
  ['empty file', '', 'a,b\n1,2\n', /ref\.csv is empty/],
  ['header only', 'a,b\n', 'a,b\n1,2\n', /ref\.csv has a header but no data rows/],
  ['different column sets', 'a,b,c\n1,2,3\n', 'a,b,d\n1,2,3\n', /different columns \(only in the reference .*ref\.csv: "c"; only in the current .*cur\.csv: "d"\)/],
  ['numeric in one file, text in the other', 'a,b\n1,2\n3,4\n', 'a,b\n1,x\n3,y\n', /Column "b" is text in .*cur\.csv \(line 2: "x"\) but numeric in .*ref\.csv \(line 2: 2\)/],
  ['all-missing column', 'a,b\n1,2\n3,4\n', 'a,b\n1,\n3,NaN\n', /Column "b" has no values in .*cur\.csv: all 2 cells are missing/],
  ['ragged row', 'a,b\n1,2\n3\n', 'a,b\n1,2\n', /ref\.csv: line 3: row has 1 field, the header has 2/],
  ['bad JSON line', 'a,b\n1,2\n', '{"a": 1, "b": 2}\n{"a": 1, "b": \n', /cur\.jsonl: line 2: not valid JSON/],
  ['JSON record with a new feature', 'a,b\n1,2\n', '{"a": 1, "b": 2}\n{"a": 1, "c": 2}\n', /cur\.jsonl: line 2: feature "c" is not in the first record/],
];

describe('mlship drift bad input', () => {
  for (const [name, ref, cur, message] of BAD) {
    it(`${name}: exit 2, clear message, no report`, async () => {
      const sub = await mkdtemp(join(dir, 'bad-'));
      if (ref !== null) await writeFile(join(sub, 'ref.csv'), ref);
      const curName = name.includes('JSON') ? 'cur.jsonl' : 'cur.csv';
      if (cur !== null) await writeFile(join(sub, curName), cur);
      const before = await readdir(sub);
      const res = await runCli(['--reference', join(sub, 'ref.csv'), '--current', join(sub, curName), '--out', join(sub, 'out.json'), '--html', join(sub, 'out.html')]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(await readdir(sub)).toEqual(before);
    });
  }
  it('columns only in one file are fine when --exclude or --columns leaves them out', async () => {
    const sub = await mkdtemp(join(dir, 'subset-'));
    await writeFile(join(sub, 'ref.csv'), 'a,b,target\n1,2,0\n3,4,1\n5,6,0\n');
    await writeFile(join(sub, 'cur.csv'), 'a,b,prediction\n1,2,1\n3,4,1\n5,7,0\n');
    const ex = await runCli(['--reference', join(sub, 'ref.csv'), '--current', join(sub, 'cur.csv'), '--exclude', 'target,prediction', '--out', join(sub, 'ex.json')]);
    expect([ex.code, ex.stderr]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(await readFile(join(sub, 'ex.json'), 'utf8')).columns)).toEqual(['a', 'b']);
    const only = await runCli(['--reference', join(sub, 'ref.csv'), '--current', join(sub, 'cur.csv'), '--columns', 'b', '--out', join(sub, 'only.json')]);
    expect([only.code, only.stderr]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(await readFile(join(sub, 'only.json'), 'utf8')).columns)).toEqual(['b']);
  });
  it('unknown stattest and a numerical-only test on a categorical column are usage errors', async () => {
    const ref = join(DRIFT, 'diabetes', 'reference.csv');
    const cur = join(DRIFT, 'diabetes', 'current_no_drift.csv');
    const a = await runCli(['--reference', ref, '--current', cur, '--stattest', 'kolmogorov']);
    expect([a.code, a.stderr]).toEqual([2, expect.stringMatching(/unknown stattest "kolmogorov"; available: ks, wasserstein/)]);
    const b = await runCli(['--reference', ref, '--current', cur, '--column-stattest', 'segment=ks']);
    expect([b.code, b.stderr]).toEqual([2, expect.stringMatching(/--column-stattest: stattest ks .* tests numerical columns only, and column "segment" is categorical/)]);
    // A column declared numerical that holds text in both files is an error, not silently compared as labels.
    const c = await runCli(['--reference', ref, '--current', cur, '--numerical', 'segment']);
    expect([c.code, c.stderr]).toEqual([2, expect.stringMatching(/line \d+: column "segment" is declared numerical but holds the text "\w+"; fix the data or declare it categorical/)]);
    // A report path that is one of the data files is refused before the check (the file stays as it was).
    const copy = join(dir, 'current-copy.csv');
    await writeFile(copy, await readFile(cur));
    const e = await runCli(['--reference', ref, '--current', copy, '--html', copy]);
    expect([e.code, e.stderr]).toEqual([2, expect.stringMatching(/--current and --html are the same file; writing --html would destroy the input\. Name another path for --html/)]);
    expect((await readFile(copy)).equals(await readFile(cur))).toBe(true);
    const d = await runCli(['--reference', ref, '--current', cur, '--numerical', 'nope']);
    expect([d.code, d.stderr]).toEqual([2, expect.stringMatching(/--numerical: no column named "nope"/)]);
  });
  it('a threshold the stattest cannot decide with is a usage error naming the option (a p-value of 5, a distance of 0)', async () => {
    const ref = join(DRIFT, 'diabetes', 'reference.csv');
    const cur = join(DRIFT, 'diabetes', 'current_no_drift.csv');
    // ≤ 1000 reference rows: Evidently's defaults pick p-value tests (ks, chisquare, z), so 5 would call every column drifted.
    const a = await runCli(['--reference', ref, '--current', cur, '--threshold', '5', '--out', 'thr-a.json']);
    expect([a.code, a.stderr]).toEqual([2, expect.stringMatching(/^error: --threshold \(column "\w+"\): 5 does not fit stattest (ks|chisquare|z) .*a p-value.*must be a number > 0 and < 1\.\n$/)]);
    // Known before reading: the stattest is given.
    const b = await runCli(['--reference', ref, '--current', cur, '--stattest', 'ks', '--threshold', '1', '--out', 'thr-b.json']);
    expect([b.code, b.stderr]).toEqual([2, 'error: --threshold 1 does not fit stattest ks (K-S p_value, a p-value: drift when p ≤ the threshold): its threshold must be a number > 0 and < 1.\n']);
    const c = await runCli(['--reference', ref, '--current', cur, '--column-stattest', 'age=wasserstein', '--column-threshold', 'age=0', '--out', 'thr-c.json']);
    expect([c.code, c.stderr]).toEqual([2, expect.stringMatching(/^error: --column-threshold for column "age": 0 does not fit stattest wasserstein .*must be a number > 0\.\n$/)]);
    expect((await readdir(dir)).filter((f) => f.startsWith('thr-'))).toEqual([]);
    // A distance may exceed 1: wasserstein (normed) on the numerical columns with threshold 5 runs.
    const ok = await runCli(['--reference', ref, '--current', cur, '--num-stattest', 'wasserstein', '--num-threshold', '5', '--out', 'ok5.json']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });
  it('a constant column and a one-row current file are handled, with a note', async () => {
    const sub = await mkdtemp(join(dir, 'edge-'));
    await writeFile(join(sub, 'ref.csv'), 'k,x\n' + Array.from({ length: 30 }, (_, i) => `5,${i}.5`).join('\n') + '\n');
    await writeFile(join(sub, 'cur.csv'), 'k,x\n5,3.5\n');
    const res = await runCli(['--reference', join(sub, 'ref.csv'), '--current', join(sub, 'cur.csv'), '--out', join(sub, 'o.json'), '--categorical', 'k']);
    expect(res.code).toBe(0);
    const json = JSON.parse(await readFile(join(sub, 'o.json'), 'utf8'));
    expect(json.columns.k.notes.join(' ')).toContain('constant in the reference');
    expect(json.columns.k.stats.z_p_value).toBe(1);
    expect(json.columns.x.n_cur).toBe(1);
    expect(json.columns.x.stattest).toBe('ks');
  });
});
