import type { Logger } from '../log.ts';
import { currentRepo, octokitFor, pullRequestNumber, runUrl, type Octokit, type RepoRef } from './context.ts';

/**
 * A pull-request comment that each run edits instead of adding another: the body carries a hidden
 * marker `<!-- mlship:KEY -->`; the comment with that marker, if any, is updated, else one is created.
 */
export function stickyMarker(key: string): string {
  return `<!-- mlship:${key} -->`;
}

export interface StickyCommentResult {
  id: number;
  url: string;
  action: 'created' | 'updated';
}

export async function upsertStickyComment(octokit: Octokit, repo: RepoRef, issueNumber: number, key: string, body: string): Promise<StickyCommentResult> {
  const marker = stickyMarker(key);
  const full = `${marker}\n${body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const existing = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
  if (existing) {
    const res = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: full });
    return { id: res.data.id, url: res.data.html_url, action: 'updated' };
  }
  const res = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: full });
  return { id: res.data.id, url: res.data.html_url, action: 'created' };
}

/**
 * Posts (or updates) the sticky comment `key` on the current pull request, with a link to the run.
 * Off a pull request, without a token or with `enabled` false it does nothing. A refused write (a
 * read-only token, e.g. a pull request from a fork) is a warning, never a failure: the evaluation
 * itself must not be hidden by its comment. Returns the comment's URL when one was written.
 */
export async function commentOnPullRequest(o: { enabled: boolean; token?: string; key: string; body: string; logger: Logger }): Promise<string | undefined> {
  const pr = pullRequestNumber();
  if (!o.enabled || pr === undefined || !o.token) return undefined;
  const link = runUrl();
  try {
    const c = await upsertStickyComment(octokitFor(o.token), currentRepo(), pr, o.key, `${o.body}${link ? `\n[Workflow run](${link})\n` : ''}`);
    o.logger.info(`PR #${pr}: ${c.action} the comment ${c.url}`);
    return c.url;
  } catch (err) {
    o.logger.warn(`Could not write the PR comment: ${(err as Error).message}. Grant \`permissions: pull-requests: write\` to the job, or set comment: false.`);
    return undefined;
  }
}
