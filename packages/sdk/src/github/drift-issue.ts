import type { DriftReport } from '../drift/check.ts';
import { findDriftIssue, planDriftIssue, type DriftIssueAction, type DriftIssueOptions } from '../drift/issue.ts';
import type { Logger } from '../log.ts';
import { InputError, opt } from '../errors.ts';
import { currentRepo, octokitFor, runUrl, type Octokit, type RepoRef } from './context.ts';

/**
 * Executes the drift issue lifecycle (drift/issue.ts decides) against the GitHub REST API: lists the
 * open issues carrying the label, picks the one with the monitor's marker, then creates, updates
 * (body + comment) or closes it. Needs `issues: write`.
 */
export interface DriftIssueOutcome {
  action: DriftIssueAction['kind'];
  number?: number;
  url?: string;
  reason?: string;
}

export async function syncDriftIssue(octokit: Octokit, repo: RepoRef, report: DriftReport, options: DriftIssueOptions, log: Logger): Promise<DriftIssueOutcome> {
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', labels: options.label, per_page: 100 });
  const existing = findDriftIssue(open.filter((i) => !i.pull_request).map((i) => ({ number: i.number, body: i.body ?? null, html_url: i.html_url })), options.key);
  const plan = planDriftIssue(report, existing, options);
  switch (plan.kind) {
    case 'create': {
      await ensureLabel(octokit, repo, options.label);
      const res = await octokit.rest.issues.create({ ...repo, title: plan.title, body: plan.body, labels: plan.labels });
      log.info(`Opened drift issue #${res.data.number}: ${res.data.html_url}`);
      return { action: 'create', number: res.data.number, url: res.data.html_url };
    }
    case 'update': {
      await octokit.rest.issues.update({ ...repo, issue_number: plan.number, title: plan.title, body: plan.body });
      await octokit.rest.issues.createComment({ ...repo, issue_number: plan.number, body: plan.comment });
      log.info(`Updated drift issue #${plan.number}: ${existing!.html_url}`);
      return { action: 'update', number: plan.number, url: existing!.html_url };
    }
    case 'close': {
      await octokit.rest.issues.createComment({ ...repo, issue_number: plan.number, body: plan.comment });
      await octokit.rest.issues.update({ ...repo, issue_number: plan.number, state: 'closed', state_reason: 'completed' });
      log.info(`Closed drift issue #${plan.number}: drift is gone.`);
      return { action: 'close', number: plan.number, url: existing!.html_url };
    }
    case 'none':
      log.info(`Drift issue: nothing to do (${plan.reason}).`);
      return { action: 'none', reason: plan.reason, number: existing?.number, url: existing?.html_url };
  }
}

async function ensureLabel(octokit: Octokit, repo: RepoRef, name: string): Promise<void> {
  try {
    await octokit.rest.issues.createLabel({ ...repo, name, color: 'd93f0b', description: 'Opened by mlship drift-check' });
  } catch (err) {
    if ((err as { status?: number }).status !== 422) throw err; // 422: the label already exists
  }
}

/** Sends a repository_dispatch event (e.g. `retrain`) with the drift summary as client_payload. Needs `contents: write`. */
export async function dispatchDriftEvent(octokit: Octokit, repo: RepoRef, eventType: string, report: DriftReport, runUrl?: string): Promise<void> {
  await octokit.rest.repos.createDispatchEvent({
    ...repo,
    event_type: eventType,
    client_payload: {
      share_drifted: report.summary.share_drifted,
      drifted_columns: report.summary.drifted_columns.slice(0, 50),
      dataset_drift: report.summary.dataset_drift,
      run_url: runUrl ?? null,
    },
  });
}

/** What the drift-check action does on GitHub after the check (its inputs, by meaning). */
export interface DriftFollowUpOptions {
  /** Open, update or close the drift issue. */
  openIssue: boolean;
  closeWhenResolved: boolean;
  label: string;
  key: string;
  /** repository_dispatch event type sent when the dataset drifted (e.g. `retrain`). */
  dispatchEvent?: string;
  /** The HTML report's file name, linked from the issue. */
  htmlReportName?: string;
  token?: string;
  /** Accuracy on late labels: a drop opens or keeps the issue like dataset drift does (drift/issue.ts). */
  accuracy?: DriftIssueOptions['accuracy'];
}

/**
 * The GitHub side of a drift check: the issue lifecycle when asked (syncDriftIssue), then the
 * repository_dispatch event when the dataset drifted. Needs a token only when one of them applies.
 */
export async function driftFollowUp(report: DriftReport, o: DriftFollowUpOptions, log: Logger): Promise<{ issue?: DriftIssueOutcome; dispatched: boolean }> {
  const dispatch = report.summary.dataset_drift && o.dispatchEvent ? o.dispatchEvent : undefined;
  if (!o.openIssue && !dispatch) return { dispatched: false };
  if (!o.token) throw new InputError(`${opt('github-token')} is empty: ${opt('open-issue')} and ${opt('dispatch-event')} need a token (the default is github.token).`);
  const octokit = octokitFor(o.token);
  const repo = currentRepo();
  const issue = o.openIssue ? await syncDriftIssue(octokit, repo, report, {
    openIssue: true, closeWhenResolved: o.closeWhenResolved, label: o.label, key: o.key, runUrl: runUrl(), htmlReportName: o.htmlReportName, ...(o.accuracy ? { accuracy: o.accuracy } : {}),
  }, log) : undefined;
  if (dispatch) {
    await dispatchDriftEvent(octokit, repo, dispatch, report, runUrl());
    log.info(`Sent repository_dispatch "${dispatch}".`);
  }
  return { ...(issue ? { issue } : {}), dispatched: dispatch !== undefined };
}
