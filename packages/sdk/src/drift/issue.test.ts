// The drift issue lifecycle decisions (the GitHub adapter only executes them; the action test runs
// them against the local GitHub API).
import { describe, expect, it } from 'vitest';
import type { DriftReport } from './check.ts';
import { driftIssueMarker, findDriftIssue, planDriftIssue } from './issue.ts';

function report(drifted: string[], n = 4): DriftReport {
  const columns: DriftReport['columns'] = {};
  for (let i = 0; i < n; i++) {
    const name = `c${i}`;
    columns[name] = {
      type: 'numerical', n_ref: 100, n_cur: 100, n_missing_ref: 0, n_missing_cur: 0, stattest: 'ks', stattest_display: 'K-S p_value',
      score: drifted.includes(name) ? 0.001 : 0.5, threshold: 0.05, drift: drifted.includes(name),
      stats: { missing_share_ref: 0, missing_share_cur: 0, missing_share_change: 0, mean_ref: 0, mean_cur: 0, std_ref: 1, std_cur: 1, psi: 0, jensenshannon: 0 }, notes: [],
      histogram: { edges: [0, 1], reference: [1], current: [1] },
    };
  }
  const share = drifted.length / n;
  return {
    reference: { path: 'ref.csv', rows: 100 }, current: { path: 'cur.csv', rows: 100 }, columns, skipped: {},
    summary: { n_columns: n, n_drifted: drifted.length, share_drifted: share, drift_share: 0.5, dataset_drift: share >= 0.5, drifted_columns: drifted, missing_alert_columns: [], missing_share_alert: 0.05 },
  };
}

const opts = { openIssue: true, closeWhenResolved: true, label: 'data-drift', key: 'default', runUrl: 'https://github.com/o/r/actions/runs/1' };

describe('planDriftIssue', () => {
  it('creates an issue carrying the marker and the label on the first dataset drift', () => {
    const plan = planDriftIssue(report(['c0', 'c1']), undefined, opts);
    expect(plan.kind).toBe('create');
    if (plan.kind !== 'create') return;
    expect(plan.labels).toEqual(['data-drift']);
    expect(plan.title).toBe('Data drift: 2 of 4 columns drifted');
    expect(plan.body.startsWith(driftIssueMarker('default'))).toBe(true);
    expect(plan.body).toContain('[run](https://github.com/o/r/actions/runs/1)');
  });
  it('updates the open issue (body + comment) while drift persists', () => {
    const plan = planDriftIssue(report(['c0', 'c1', 'c2']), { number: 7, body: driftIssueMarker('default') }, opts);
    expect(plan).toMatchObject({ kind: 'update', number: 7, title: 'Data drift: 3 of 4 columns drifted' });
    if (plan.kind === 'update') expect(plan.comment).toMatch(/^Drift is still present/);
  });
  it('closes it when drift is gone, only if asked', () => {
    expect(planDriftIssue(report([]), { number: 7, body: '' }, opts)).toMatchObject({ kind: 'close', number: 7 });
    expect(planDriftIssue(report([]), { number: 7, body: '' }, { ...opts, closeWhenResolved: false }).kind).toBe('none');
  });
  it('does nothing without dataset drift and without an issue, or when open-issue is off', () => {
    expect(planDriftIssue(report(['c0']), undefined, opts).kind).toBe('none');
    expect(planDriftIssue(report(['c0', 'c1']), undefined, { ...opts, openIssue: false }).kind).toBe('none');
  });
  it('findDriftIssue picks the oldest issue with this monitor\'s marker and ignores others', () => {
    const issues = [
      { number: 9, body: driftIssueMarker('default') },
      { number: 3, body: 'manual triage' },
      { number: 5, body: `${driftIssueMarker('default')}\nolder` },
      { number: 4, body: driftIssueMarker('churn') },
    ];
    expect(findDriftIssue(issues, 'default')?.number).toBe(5);
    expect(findDriftIssue(issues, 'churn')?.number).toBe(4);
    expect(findDriftIssue(issues, 'other')).toBeUndefined();
  });
});
