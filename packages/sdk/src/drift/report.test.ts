// Report text and option parsing: what people read in the job summary and type on the command line.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import type { DriftReport } from './check.ts';
import { columnTypesFrom, parseColumnMap, parseStattestName, parseThreshold } from './options.ts';
import { driftMarkdown, driftVerdict, formatScore, histogramSvg, orderedColumns } from './report.ts';

function col(score: number, drift: boolean, stattest: 'ks' | 'wasserstein' = 'ks'): DriftReport['columns'][string] {
  return {
    type: 'numerical', n_ref: 10, n_cur: 10, n_missing_ref: 0, n_missing_cur: 2, stattest, stattest_display: stattest === 'ks' ? 'K-S p_value' : 'Wasserstein distance (normed)',
    score, threshold: stattest === 'ks' ? 0.05 : 0.1, drift, stats: { missing_share_ref: 0, missing_share_cur: 2 / 12, missing_share_change: 2 / 12, psi: 0, jensenshannon: 0, mean_ref: 0, mean_cur: 0, std_ref: 1, std_cur: 1 },
    notes: [], histogram: { labels: ['a', 'b'], reference: [0.5, 0.5], current: [0.2, 0.8] },
  };
}

const report: DriftReport = {
  reference: { path: 'ref.csv', rows: 10 }, current: { path: 'cur.csv', rows: 12 },
  columns: { ok_col: col(0.7, false), weak: col(0.01, true), strong: col(1e-20, true), far: col(0.8, true, 'wasserstein') },
  skipped: { comment: 'free text' },
  summary: { n_columns: 4, n_drifted: 3, share_drifted: 0.75, drift_share: 0.5, dataset_drift: true, drifted_columns: ['weak', 'strong', 'far'], missing_alert_columns: ['ok_col'], missing_share_alert: 0.05 },
};

describe('drift report text', () => {
  it('verdict states the share against the drift share and the missing-value signal', () => {
    expect(driftVerdict(report)).toBe('Dataset drift: 3 of 4 columns drifted (75% ≥ 50%). Missing values changed by ≥ 5% in ok_col (+16.7 pts).');
  });
  it('Markdown escapes column names and input text: no raw HTML or markup reaches the job summary', () => {
    const evil = '<script>alert(1)</script>';
    const hostile: DriftReport = {
      ...report, reference: { path: 'a`<img src=x onerror=alert(1)>`.csv', rows: 10 },
      columns: { [evil]: col(0.01, true), ['x'.repeat(5000)]: col(0.7, false), '# head\n|pipe|': col(0.02, true) },
      skipped: { '`</code><b>': 'free text <i>' },
      summary: { ...report.summary, drifted_columns: [evil, '# head\n|pipe|'], missing_alert_columns: [evil] },
    };
    const md = driftMarkdown(hostile);
    // Outside code spans, no tag but the report's own <details>/<summary>.
    expect(md.replace(/`[^`\n]*`/g, '').replace(/<\/?(details|summary)>/g, '')).not.toMatch(/(^|[^\\])<[a-z/]/im); // `\<` is a literal <
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('`a\'<img src=x onerror=alert(1)>\'.csv`'); // inside a code span: shown, not rendered
    expect(md).toContain(`${'x'.repeat(120)}… (5000 chars)`);
    expect(md).not.toContain('x'.repeat(121));
    expect(md).toContain('| **\\# head \\|pipe\\|** |'); // one table row, not a heading and two cells
    const noDatasetDrift = driftMarkdown({ ...hostile, summary: { ...hostile.summary, dataset_drift: false } });
    expect(noDatasetDrift).toContain('drifted (75% < 50%): \\<script\\>alert(1)\\</script\\>, \\# head \\|pipe\\|.');
  });
  it('orders drifted columns first, most severe first', () => {
    expect(orderedColumns(report).map(([n]) => n)).toEqual(['strong', 'far', 'weak', 'ok_col']);
  });
  it('formats p-values and distances for people', () => {
    expect([formatScore(0.123456, true), formatScore(0.000123, true), formatScore(1e-20, true), formatScore(0, true), formatScore(0.123456, false)])
      .toEqual(['0.123', '1.23e-4', '< 1e-16', '0', '0.1235']);
  });
  it('Markdown: drifted rows first with score vs threshold, the others folded, skipped columns named', () => {
    const md = driftMarkdown(report);
    expect(md).toContain('| **strong** | numerical | K-S p_value | < 1e-16 ≤ 0.05 | **drift** |');
    expect(md).toContain('| **far** | numerical | Wasserstein distance (normed) | 0.8000 ≥ 0.1 | **drift** |');
    expect(md).toContain('<details><summary>1 column without drift</summary>');
    expect(md.indexOf('**weak**')).toBeLessThan(md.indexOf('| ok\\_col |'));
    expect(md).toContain('Not tested: `comment` (free text).');
  });
  it('SVG histogram escapes labels and draws one reference and one current bar per bin', () => {
    const svg = histogramSvg({ labels: ['<b>', 'x'], reference: [0.5, 0.5], current: [1, 0] });
    expect(svg).toContain('&lt;b&gt;');
    expect(svg.match(/class="r"/g)).toHaveLength(2);
    expect(svg.match(/class="c"/g)).toHaveLength(2);
  });
});

describe('drift option parsing', () => {
  it('column maps split on the last "=" so names may hold spaces and brackets', () => {
    expect(parseColumnMap('mean radius (mm)=ks, age = psi\nsex=z', 'x', (v) => v)).toEqual({ 'mean radius (mm)': 'ks', age: 'psi', sex: 'z' });
    expect(() => parseColumnMap('age', 'Input per-column-stattest', (v) => v)).toThrow(/Input per-column-stattest: "age" is not column=value/);
  });
  it('stattest names, thresholds and type lists are validated with the input named', () => {
    expect(parseStattestName('jensenshannon', 'x')).toBe('jensenshannon');
    expect(() => parseStattestName('t-test', '--stattest')).toThrow(InputError);
    expect(() => parseThreshold('-1', '--threshold')).toThrow(/--threshold: threshold must be a number ≥ 0, got "-1"/);
    expect(columnTypesFrom(['a'], ['b'])).toEqual({ a: 'categorical', b: 'numerical' });
    expect(() => columnTypesFrom(['a'], ['a'])).toThrow(/"a" listed as both categorical and numerical/);
  });
});
