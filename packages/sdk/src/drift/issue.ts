import type { DriftReport } from './check.ts';
import { driftMarkdown, driftVerdict, mdName } from './report.ts';

/**
 * The drift issue lifecycle as a pure decision, so the GitHub adapter only executes it: one open issue
 * per monitor, found by its label and a hidden marker in the body; created on the first drift, updated
 * (body replaced, a comment added) on later drifts, closed when drift is gone (if asked).
 */
export interface DriftIssueOptions {
  /** Open or update an issue on dataset drift. */
  openIssue: boolean;
  /** Close the open issue when a run finds no dataset drift. */
  closeWhenResolved: boolean;
  label: string;
  /** Distinguishes monitors in one repository (several models, several datasets). */
  key: string;
  runUrl?: string;
  htmlReportName?: string;
  /**
   * Accuracy on late labels (evaluate/late-labels.ts), when checked in the same run: a failed gate
   * (an accuracy drop) opens or keeps the issue like dataset drift does; its Markdown joins the body.
   */
  accuracy?: { dropped: boolean; markdown: string; verdict: string };
}

export interface ExistingIssue {
  number: number;
  body: string | null;
}

export type DriftIssueAction =
  | { kind: 'create'; title: string; body: string; labels: string[] }
  | { kind: 'update'; number: number; title: string; body: string; comment: string }
  | { kind: 'close'; number: number; comment: string }
  | { kind: 'none'; reason: string };

/** Hidden marker that identifies the monitor's issue, e.g. `<!-- mlship:drift-check:churn-model -->`. */
export function driftIssueMarker(key: string): string {
  return `<!-- mlship:drift-check:${key} -->`;
}

/** Picks the monitor's open issue among the issues carrying the label (oldest first if several). */
export function findDriftIssue<T extends ExistingIssue>(issues: T[], key: string): T | undefined {
  const marker = driftIssueMarker(key);
  return issues.filter((i) => (i.body ?? '').includes(marker)).sort((a, b) => a.number - b.number)[0];
}

export function driftIssueTitle(report: DriftReport, key: string): string {
  const s = report.summary;
  return `Data drift${key === 'default' ? '' : ` (${key})`}: ${s.n_drifted} of ${s.n_columns} columns drifted`;
}

export function planDriftIssue(report: DriftReport, existing: ExistingIssue | undefined, options: DriftIssueOptions): DriftIssueAction {
  const drift = report.summary.dataset_drift;
  const dropped = options.accuracy?.dropped === true;
  const marker = driftIssueMarker(options.key);
  const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
  const verdict = () => [drift ? driftVerdict(report, mdName) : '', dropped ? options.accuracy!.verdict : ''].filter(Boolean).join(' ');
  if (drift || dropped) {
    if (!options.openIssue) return { kind: 'none', reason: `${drift ? 'dataset drift' : 'accuracy drop'}, but open-issue is false` };
    const body = [
      marker,
      ...(dropped ? [options.accuracy!.markdown, ''] : []),
      driftMarkdown(report, { title: drift ? 'Data drift detected' : 'Data drift', htmlReportName: options.htmlReportName, runUrl: options.runUrl }),
      '',
      `_Updated by mlship drift-check${run} on ${new Date().toISOString().slice(0, 10)}. This issue is reused while drift persists${options.closeWhenResolved ? ' and closed when it is gone' : ''}._`,
    ].join('\n');
    const title = drift ? driftIssueTitle(report, options.key) : `Accuracy drop${options.key === 'default' ? '' : ` (${options.key})`}: ${options.accuracy!.verdict}`.slice(0, 250);
    if (existing) {
      return { kind: 'update', number: existing.number, title, body, comment: `${drift ? 'Drift' : 'The accuracy drop'} is still present${run}: ${verdict()}` };
    }
    return { kind: 'create', title, body, labels: [options.label] };
  }
  const ok = options.accuracy ? `${driftVerdict(report, mdName)} ${options.accuracy.verdict}` : driftVerdict(report, mdName);
  if (!existing) return { kind: 'none', reason: 'no dataset drift and no open drift issue' };
  if (!options.closeWhenResolved) return { kind: 'none', reason: `no dataset drift; issue #${existing.number} left open (close-issue-when-resolved is false)` };
  return { kind: 'close', number: existing.number, comment: `Drift is gone${run}: ${ok} Closing.` };
}
