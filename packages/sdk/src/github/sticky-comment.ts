import type { Octokit, RepoRef } from './context.ts';

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
