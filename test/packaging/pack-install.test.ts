// @mlship/sdk and the mlship CLI as a user gets them: `npm pack` of both workspaces, `npm install` of
// the two tarballs into a fresh project outside the repository (dependencies — onnxruntime-node,
// @actions/*, js-yaml — from the npm registry), then plain Node 24 and tsc against what was installed.
// Nothing here resolves into the repository: the script runs from the temporary project.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLSHIP_VERSION } from '@mlship/sdk';
import { REPO_ROOT } from '../harness/run-action.ts';

const sdkPkg = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/sdk/package.json'), 'utf8'));
const cliPkg = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
const FIXTURES = join(REPO_ROOT, 'test/fixtures');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let project: string;

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // ONNXRUNTIME_NODE_INSTALL=skip: the CPU binaries are in the npm package; no optional CUDA download.
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false' }, maxBuffer: 1 << 26 });
}
function ok(res: SpawnSyncReturns<string>): string {
  if (res.status !== 0) throw new Error(`exit ${res.status}\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'mlship-pack-install-'));
  // The published files are the build's output: build the SDK (tsc) and the CLI bundle first.
  ok(run(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs')], REPO_ROOT));
  // packages/sdk/dist is the SDK as published (its own package.json, made by the build); the CLI
  // package is its folder (bin + the bundle).
  const packed = JSON.parse(ok(run(npm, ['pack', '--json', '--pack-destination', project, './packages/sdk/dist', './packages/cli'], REPO_ROOT)));
  const tarballs = (packed as Array<{ filename: string }>).map((p) => join(project, p.filename));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'mlship-user', private: true, type: 'module' }));
  ok(run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, '@types/node@24', `typescript@${readTsVersion()}`], project));
}, 600_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function readTsVersion(): string {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/typescript/package.json'), 'utf8')).version;
}

describe('npm pack + npm install outside the repository', () => {
  it('the versions agree with the one owner (MLSHIP_VERSION): the CLI is released with the SDK of its own version', () => {
    expect(sdkPkg.version).toBe(MLSHIP_VERSION);
    expect(cliPkg.version).toBe(sdkPkg.version);
    expect(cliPkg.dependencies['@mlship/sdk']).toBe(sdkPkg.version);
  });

  it('installs only built JavaScript, declarations and the converter script (no TypeScript sources)', () => {
    const files = ok(run('find', ['node_modules/@mlship/sdk', '-type', 'f'], project)).split('\n').filter(Boolean);
    expect(files).toContain('node_modules/@mlship/sdk/index.js');
    expect(files).toContain('node_modules/@mlship/sdk/index.d.ts');
    expect(files).toContain('node_modules/@mlship/sdk/github/index.js');
    expect(files).toContain('node_modules/@mlship/sdk/python/mlship_convert.py');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('`npx mlship --help` and `--version` run the installed CLI', () => {
    const help = ok(run(npm, ['exec', '--offline', '--', 'mlship', '--help'], project));
    expect(help).toMatch(/usage: mlship <command>/);
    expect(help).toMatch(/evaluate/);
    expect(ok(run(npm, ['exec', '--offline', '--', 'mlship', '--version'], project)).trim()).toBe(cliPkg.version);
  });

  it('an .mjs script imports the SDK and evaluates, checks drift, loads a package and smoke-tests a server it starts', () => {
    const script = `
import { evaluateModel, runDriftCheck, smokeTest, loadPackage, writePackage, OnnxModel, ModelServer, servedModelFrom, jsonLogger, InputError } from '@mlship/sdk';
import { readFileSync } from 'node:fs';
const F = ${JSON.stringify(FIXTURES)};
const report = await evaluateModel({ model: F + '/models/iris_rf.onnx', data: F + '/datasets/iris/test.csv', threshold: 'accuracy>=0.5' });
const drift = await runDriftCheck({ reference: F + '/drift/synthetic/reference.csv', current: F + '/drift/synthetic/current_mean_shift.csv' });
const csv = readFileSync(F + '/datasets/iris/test.csv', 'utf8').trim().split('\\n');
const header = csv[0].split(',');
const rows = csv.slice(1, 4).map((l) => l.split(',').slice(0, -1).map(Number));
await writePackage({ model: await OnnxModel.load(F + '/models/iris_rf.onnx'), outDir: 'pkg', name: 'iris-rf', version: '1.0.0',
  featureNames: header.slice(0, -1), task: 'classification', outputRoles: { label: 'label', probabilities: 'probabilities' },
  classLabels: [0, 1, 2], goldenInputs: rows, source: 'onnx', createdAt: '2026-01-01T00:00:00Z' });
const pkg = await loadPackage('pkg');
const server = await ModelServer.start(await servedModelFrom('pkg'), { host: '127.0.0.1', port: 0, maxBatchSize: 8, maxWaitMs: 0,
  bodyLimitBytes: 1 << 20, drainTimeoutMs: 2000, accessLog: false }, jsonLogger({ write: () => {} }));
let smoke;
try { await server.whenReady; smoke = await smokeTest({ url: server.url, manifest: pkg.manifest }); } finally { await server.close(); }
let bad;
try { await evaluateModel({ model: F + '/models/iris_rf.onnx', data: F + '/datasets/iris/test.csv', threshold: 'accuracy>=' }); } catch (e) { bad = e instanceof InputError; }
console.log(JSON.stringify({ accuracy: report.metrics.accuracy, task: report.task, passed: report.gate.passed,
  drift: drift.summary,
  pkg: pkg.manifest.name + '@' + pkg.manifest.version, smoke: smoke.passed, badIsInputError: bad }));
`;
    writeFileSync(join(project, 'use-sdk.mjs'), script);
    const out = JSON.parse(ok(run(process.execPath, ['use-sdk.mjs'], project)).trim().split('\n').pop()!);
    // The same numbers as the repository's CLI gives for the same files (its suites check those against
    // scikit-learn and Evidently): the published build computes what the sources compute.
    const cli = (args: string[], out: string) => {
      ok(run(process.execPath, [join(REPO_ROOT, 'packages/cli/dist/mlship.js'), ...args, '--out', join(project, out)], project));
      return JSON.parse(readFileSync(join(project, out), 'utf8'));
    };
    const evaluation = cli(['evaluate', '--model', join(FIXTURES, 'models/iris_rf.onnx'), '--data', join(FIXTURES, 'datasets/iris/test.csv')], 'cli-eval.json');
    const drift = cli(['drift', '--reference', join(FIXTURES, 'drift/synthetic/reference.csv'), '--current', join(FIXTURES, 'drift/synthetic/current_mean_shift.csv')], 'cli-drift.json');
    expect(out).toEqual({
      accuracy: evaluation.metrics.accuracy, task: 'multiclass', passed: true,
      drift: drift.summary, pkg: 'iris-rf@1.0.0', smoke: true, badIsInputError: true,
    });
    expect(out.drift.drifted_columns.length).toBeGreaterThan(0);
  });

  it('a .ts script type-checks against the published declarations (and a wrong use does not)', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
      files: ['check.ts'],
    }));
    const good = `import { evaluateModel, runDriftCheck, smokeTest, loadPackage, type EvaluationReport, type DriftReport } from '@mlship/sdk';
import { runAction } from '@mlship/sdk/github';
const r: EvaluationReport = await evaluateModel({ model: 'm.onnx', data: 'd.csv', threshold: 'accuracy>=0.9' });
const passed: boolean = r.gate.passed;
const d: DriftReport = await runDriftCheck({ reference: 'a.csv', current: 'b.csv' });
const share: number = d.summary.share_drifted;
const p = await loadPackage('pkg');
const s = await smokeTest({ url: 'http://127.0.0.1:8080', manifest: p.manifest });
const ok: boolean = s.passed;
void runAction; void passed; void share; void ok;
`;
    writeFileSync(join(project, 'check.ts'), good);
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const res = run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
    writeFileSync(join(project, 'check.ts'), `import { evaluateModel } from '@mlship/sdk';\nconst n: number = (await evaluateModel({ model: 'm.onnx', data: 'd.csv' })).gate.passed;\n`);
    const bad = run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(bad.stdout).toMatch(/check\.ts\(2,7\): error TS2322: Type 'boolean' is not assignable to type 'number'/);
  });
});
