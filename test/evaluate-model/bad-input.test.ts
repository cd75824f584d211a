import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';
import { CLI, runCli as runCliIn } from '../harness/cli.ts';

// Bad input through the CLI bundle as a user runs it (node packages/cli/dist/mlship.js evaluate …):
// every case must exit 2 with a message that names the problem, and write no output file.

const F = join(REPO_ROOT, 'test', 'fixtures');
const IRIS = join(F, 'models', 'iris_rf.onnx');
let dir: string;

function runCli(args: string[]) {
  return runCliIn(['evaluate', ...args], dir);
}

const HEADER = 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),target';
const CSV_CASES: Array<[string, string, RegExp]> = [
  ['ragged row', `${HEADER}\n5.1,3.5,1.4,0.2,0\n6.2,2.9,4.3,1\n`, /ragged-row\.csv: line 3: row has 4 fields, the header has 5/],
  ['non-numeric cell', `${HEADER}\n5.1,3.5,1.4,0.2,0\n6.2,abc,4.3,1.3,1\n`, /line 3, column "sepal width \(cm\)": "abc", which is not a number/],
  ['missing cell', `${HEADER}\n5.1,3.5,,0.2,0\n`, /line 2, column "petal length \(cm\)": a missing value \(empty cell\)/],
  ['NaN cell', `${HEADER}\n5.1,3.5,NaN,0.2,0\n`, /line 2, column "petal length \(cm\)": a missing value \("NaN"\)/],
  // pandas reads inf; /predict and scikit-learn's predict (check_array: "Input X contains infinity") refuse it, so does evaluate.
  ['inf cell', `${HEADER}\n5.1,3.5,1.4,0.2,0\n5.1,-inf,1.4,0.2,0\n`, /line 3, column "sepal width \(cm\)": "-inf", which is not finite; models get finite numbers/],
  ['float32 overflow', `${HEADER}\n5.1,3.5,1e39,0.2,0\n`, /line 2, column "petal length \(cm\)": "1e39", which is infinite in float32/],
  ['duplicate columns', 'a,b,a,c,target\n1,2,3,4,0\n', /column "a" appears twice \(columns 1 and 3\)/],
  ['empty file', '', /is empty: expected a header row and data rows/],
  ['header only', `${HEADER}\n`, /has a header but no data rows/],
  ['no target column', 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),label\n5.1,3.5,1.4,0.2,0\n', /no target column "target".*--target/],
  ['non-integer class', `${HEADER}\n5.1,3.5,1.4,0.2,0.5\n`, /the target has 0\.5 in data row 1, but .* is a classifier/],
];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (scripts/setup.sh does).`);
  dir = await mkdtemp(join(tmpdir(), 'mlship-evaluate-bad-'));
  for (const [name, text] of CSV_CASES) await writeFile(join(dir, `${name.replace(/ /g, '-')}.csv`), text);
  await writeFile(join(dir, 'garbage.onnx'), Buffer.from('this is not a protobuf at all \u0000\u0001\u0002 garbage'));
  const model = await readFile(IRIS);
  await writeFile(join(dir, 'truncated.onnx'), model.subarray(0, Math.floor(model.length / 2)));
  await copyFile(join(F, 'datasets', 'iris', 'test.csv'), join(dir, 'iris.csv'));
  await writeFile(join(dir, 'broken.json'), '{"metrics": {"accuracy": 0.9');
  await writeFile(join(dir, 'regression.json'), JSON.stringify({ task: 'regression', metrics: { rmse: 50 } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectRejected(args: string[], message: RegExp): Promise<void> {
  const res = await runCli([...args, '--out', 'out.json', '--bootstrap', '0']);
  expect(res.stderr, res.stderr).toMatch(message);
  expect(res.code).toBe(2);
  expect(existsSync(join(dir, 'out.json'))).toBe(false);
  // No temporary file left behind either.
  expect((await readdir(dir)).filter((f) => f.includes('out.json'))).toEqual([]);
}

describe('mlship evaluate rejects bad CSVs with exit 2 and no output', () => {
  it.each(CSV_CASES)('%s', async (name, _text, message) => {
    await expectRejected(['--model', IRIS, '--data', `${name.replace(/ /g, '-')}.csv`], message);
  });

  it('a data file that does not exist', async () => {
    await expectRejected(['--model', IRIS, '--data', 'nope.csv'], /Cannot read CSV file nope\.csv: it does not exist/);
  });
});

describe('mlship evaluate rejects bad models with exit 2 and no output', () => {
  it.each([
    ['missing model file', ['--model', 'missing.onnx', '--data', 'iris.csv'], /Model file missing\.onnx does not exist/],
    ['garbage bytes', ['--model', 'garbage.onnx', '--data', 'iris.csv'], /garbage\.onnx is not a model onnxruntime can load/],
    ['truncated model', ['--model', 'truncated.onnx', '--data', 'iris.csv'], /truncated\.onnx is not a model onnxruntime can load/],
    ['feature count mismatch', ['--model', IRIS, '--data', join(F, 'datasets', 'wine', 'test.csv')], /has 13 feature columns .* but .*iris_rf\.onnx takes 4/],
    ['--task regression on a classifier', ['--model', IRIS, '--data', 'iris.csv', '--task', 'regression'], /--task regression does not fit .*a classifier/],
    ['--task binary on a 3-class model', ['--model', IRIS, '--data', 'iris.csv', '--task', 'binary'], /--task binary does not fit: .* gives 3 class probabilities/],
    ['--task multiclass on a regressor', ['--model', join(F, 'models', 'diabetes_linreg.onnx'), '--data', join(F, 'datasets', 'diabetes', 'test.csv'), '--task', 'multiclass'], /--task multiclass does not fit .*a regressor/],
  ] as Array<[string, string[], RegExp]>)('%s', async (_name, args, message) => {
    await expectRejected(args, message);
  });
});

describe('mlship evaluate rejects bad options with exit 2 and no output', () => {
  it.each([
    ['unknown --task', ['--task', 'ranking'], /--task must be one of auto, binary, multiclass, regression/],
    ['misspelt metric', ['--threshold', 'acuracy>=0.9'], /unknown metric "acuracy" \(did you mean "accuracy"\?\)/],
    ['unreadable threshold', ['--threshold', 'accuracy=>0.9'], /cannot read "accuracy=>0.9"/],
    // Refused before the data is read: a classifier (task auto) reports no rmse, a multiclass evaluation no f1.
    ['metric of another task', ['--threshold', 'rmse<=3'], /--threshold "rmse<=3": rmse is not a binary or multiclass metric/],
    ['metric of the other classification task, --task given', ['--task', 'multiclass', '--threshold', 'f1>=0.5'], /--threshold "f1>=0.5": f1 is not a multiclass metric/],
    ['a bound outside the metric\'s range', ['--threshold', 'accuracy>=1e9'], /accuracy is from 0 to 1, so this rule fails every model/],
    ['a percentage for a share', ['--threshold', 'accuracy>=95'], /Write shares, not percentages: accuracy>=0.95/],
    ['--min-improvement without --baseline', ['--min-improvement', 'accuracy:+0.01'], /also pass --baseline/],
    ['unsigned improvement', ['--baseline', IRIS, '--min-improvement', 'accuracy:0.01'], /give the change a sign/],
    ['bad --batch-size', ['--batch-size', 'many'], /--batch-size must be an integer/],
    ['a baseline model that does not fit the data', ['--baseline', join(F, 'models', 'diabetes_linreg.onnx')], /Baseline model: iris\.csv has 4 feature columns .* takes 10/],
    ['a baseline JSON that does not exist', ['--baseline', 'champion.json'], /Baseline file champion\.json cannot be read/],
    ['a baseline JSON that is not JSON', ['--baseline', 'broken.json'], /Baseline broken\.json is not valid JSON/],
    ['a baseline JSON of another task', ['--baseline', 'regression.json'], /holds regression metrics but this evaluation is multiclass/],
  ] as Array<[string, string[], RegExp]>)('%s', async (_name, args, message) => {
    await expectRejected(['--model', IRIS, '--data', 'iris.csv', ...args], message);
  });

  it('a rule on another task\'s metric is refused before the data is read (the bad cell on line 3 is never reached)', async () => {
    await expectRejected(['--model', IRIS, '--data', 'non-numeric-cell.csv', '--threshold', 'rmse<=3'], /rmse is not a binary or multiclass metric/);
  });

  it('--help documents the options and exits 0', async () => {
    const res = await runCli(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/--min-improvement RULES/);
    expect(res.stdout).toMatch(/Exit codes: 0 passed, 1 the gate failed, 2 bad usage or input/);
  });
});
