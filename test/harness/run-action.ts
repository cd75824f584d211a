import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Runs an action's entry point the way the GitHub runner does: `node <action>/dist/index.js` (the
 * `runs.main` of action.yml) with every input as INPUT_<NAME> (upper-cased, spaces to `_`, dashes
 * kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_EVENT_NAME/GITHUB_EVENT_PATH with a real
 * event payload, GITHUB_REPOSITORY and GITHUB_API_URL (the fake API). Returns the exit code, the parsed
 * outputs, the summary and the log.
 */
export interface RunActionOptions {
  /** Action folder name under actions/, or an absolute path to an action folder. */
  action: string;
  inputs?: Record<string, string | number | boolean>;
  eventName?: string;
  payload?: unknown;
  apiUrl?: string;
  repository?: string;
  workspace?: string;
  env?: Record<string, string>;
  /** The entry file relative to the action folder (default: action.yml's runs.main, i.e. dist/index.js). */
  entry?: string;
}

export interface ActionRun {
  code: number;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  /** `::error::` / `::warning::` lines the action printed. */
  errors: string[];
  warnings: string[];
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'mlship-runner-'));
  try {
    const outputFile = join(dir, 'output');
    const summaryFile = join(dir, 'summary');
    const eventFile = join(dir, 'event.json');
    await Promise.all([writeFile(outputFile, ''), writeFile(summaryFile, ''), writeFile(eventFile, JSON.stringify(options.payload ?? {}))]);
    const env: Record<string, string> = {
      // The machine's network settings reach actions on a runner too (proxy, extra CA certificates).
      ...passThrough(process.env),
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REPOSITORY: options.repository ?? 'octo-org/ml-repo',
      GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_WORKFLOW: 'mlship-test',
      GITHUB_WORKSPACE: options.workspace ?? REPO_ROOT,
      RUNNER_TEMP: dir,
      RUNNER_OS: 'Linux',
      ...options.env,
    };
    const actionDir = options.action.startsWith('/') ? options.action : join(REPO_ROOT, 'actions', options.action);
    // The runner passes every input's action.yml default when the workflow omits it (expressions such
    // as `${{ github.token }}` it evaluates; here they stay unset).
    const declared = (yaml.load(await readFile(join(actionDir, 'action.yml'), 'utf8')) as { inputs?: Record<string, { default?: unknown }> }).inputs ?? {};
    const given = { ...Object.fromEntries(Object.entries(declared).filter(([, d]) => d.default !== undefined && !String(d.default).includes('${{')).map(([k, d]) => [k, String(d.default)])), ...options.inputs };
    for (const [name, value] of Object.entries(given)) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value);
    }
    const entry = join(actionDir, options.entry ?? 'dist/index.js');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
      const child = spawn(process.execPath, [entry], { cwd: env.GITHUB_WORKSPACE, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => { out += b; });
      child.stderr.on('data', (b) => { err += b; });
      child.on('error', reject);
      child.on('close', (c) => resolvePromise({ code: c ?? 1, stdout: out, stderr: err }));
    });
    const outputs = parseOutputFile(await readFile(outputFile, 'utf8'));
    const summary = await readFile(summaryFile, 'utf8');
    const lines = stdout.split('\n');
    return {
      code, outputs, summary, stdout, stderr,
      errors: lines.filter((l) => l.startsWith('::error')).map((l) => l.replace(/^::error[^:]*::/, '')),
      warnings: lines.filter((l) => l.startsWith('::warning')).map((l) => l.replace(/^::warning[^:]*::/, '')),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const NETWORK_ENV = /^(https?_proxy|no_proxy|all_proxy|node_extra_ca_certs|ssl_cert_file|ssl_cert_dir|pip_cert|requests_ca_bundle|curl_ca_bundle|git_ssl_cainfo)$/i;

/** The machine's proxy and CA settings, which reach the steps on a real runner too. */
export function passThrough(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => NETWORK_ENV.test(e[0]) && e[1] !== undefined));
}

/** Parses GITHUB_OUTPUT as @actions/core writes it: `name<<DELIM\nvalue\nDELIM\n` (or `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const k = line.indexOf('=');
      out[line.slice(0, k)] = line.slice(k + 1);
    }
  }
  return out;
}

/** A minimal but real-shaped pull_request event payload (docs.github.com webhook-events#pull_request). */
export function pullRequestEvent(number: number, options: { owner?: string; repo?: string } = {}): unknown {
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'ml-repo';
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number, state: 'open', title: 'Retrain with more data', html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
      head: { ref: 'retrain', sha: '0123456789abcdef0123456789abcdef01234567' },
      base: { ref: 'main', sha: 'fedcba9876543210fedcba9876543210fedcba98' },
      user: { login: 'ml-engineer' },
    },
    repository: { name: repo, full_name: `${owner}/${repo}`, owner: { login: owner } },
    sender: { login: 'ml-engineer' },
  };
}
