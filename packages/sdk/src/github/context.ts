import * as github from '@actions/github';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The repository the workflow runs in (GITHUB_REPOSITORY). */
export function currentRepo(): RepoRef {
  return github.context.repo;
}

/** The pull request number when the event is a pull_request (or pull_request_target); else undefined. */
export function pullRequestNumber(): number | undefined {
  const pr = github.context.payload.pull_request as { number?: number } | undefined;
  return pr?.number;
}

/** Links back to the run, for reports and issues. */
export function runUrl(): string | undefined {
  const { serverUrl, runId } = github.context;
  const { owner, repo } = github.context.repo;
  return runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined;
}

export type Octokit = ReturnType<typeof github.getOctokit>;

/** An Octokit for GITHUB_API_URL (github.com or GHES; the test harness points it at 127.0.0.1). */
export function octokitFor(token: string): Octokit {
  return github.getOctokit(token);
}

/** True on a CI runner: GitHub Actions (GITHUB_ACTIONS=true) or any CI that sets CI=true. */
export function runningInCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true' || env.CI === 'true';
}
