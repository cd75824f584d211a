import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { REPO_ROOT, runAction } from '../harness/run-action.ts';

/**
 * `uses: OWNER/REPO/actions/evaluate-model@v1` on a fresh runner: the runner downloads the repository
 * at that ref into _actions/OWNER/REPO/v1 and runs action.yml's `runs.main` with its own Node 24 —
 * no `npm install`, no node_modules. We copy only what is committed for the action (action.yml and
 * dist/) to a temporary folder outside this repo (so no node_modules above it can be found), point
 * RUNNER_TOOL_CACHE and HOME at empty folders, and run it twice: the first run installs
 * onnxruntime-node into the tool cache, the second reuses it.
 */
const ACTIONS_NEEDING_ONNXRUNTIME = ['evaluate-model'];

describe.each(ACTIONS_NEEDING_ONNXRUNTIME)('%s from a clean copy of the action folder', (action) => {
  let runner: string;
  let actionDir: string;
  let toolCache: string;

  beforeAll(async () => {
    runner = await mkdtemp(join(tmpdir(), 'mlship-fresh-runner-'));
    actionDir = join(runner, '_actions', 'octo-org', 'mlship', 'v1', 'actions', action);
    toolCache = join(runner, 'tool-cache');
    const src = join(REPO_ROOT, 'actions', action);
    await cp(join(src, 'action.yml'), join(actionDir, 'action.yml'));
    await cp(join(src, 'dist'), join(actionDir, 'dist'), { recursive: true });
  });
  afterAll(async () => { await rm(runner, { recursive: true, force: true }); });

  it('declares node24 and a main that exists in the committed dist', async () => {
    const meta = yaml.load(await readFile(join(actionDir, 'action.yml'), 'utf8')) as { runs: { using: string; main: string } };
    expect(meta.runs.using).toBe('node24');
    expect(existsSync(join(actionDir, meta.runs.main))).toBe(true);
  });

  const run = () => runAction({
    action: actionDir,
    inputs: {
      model: join(REPO_ROOT, 'test/fixtures/models/iris_rf.onnx'),
      data: join(REPO_ROOT, 'test/fixtures/datasets/iris/test.csv'),
      threshold: 'accuracy>=0.8',
      comment: 'false',
    },
    env: { RUNNER_TOOL_CACHE: toolCache, HOME: join(runner, 'home'), RUNNER_TEMP: join(runner, 'temp') },
    workspace: runner,
  });

  it('installs onnxruntime-node into the tool cache on the first run and evaluates', async () => {
    const first = await run();
    expect(first.stderr + first.stdout).toContain('installing it from the npm registry');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.outputs.passed).toBe('true');
    const cached = join(toolCache, 'mlship-onnxruntime-node', '1.30.0', `${process.platform}-${process.arch}`);
    expect(existsSync(join(cached, '.complete'))).toBe(true);
    // Trimmed to this platform: one OS folder with one arch folder.
    const bin = join(cached, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
    expect(await readdir(bin)).toEqual([process.platform]);
    expect(await readdir(join(bin, process.platform))).toEqual([process.arch]);
  }, 300_000);

  it('reuses the cached copy on the next run', async () => {
    const second = await run();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout + second.stderr).toContain('using the cached copy');
    expect(second.stdout + second.stderr).not.toContain('installing it from the npm registry');
  }, 120_000);
});
