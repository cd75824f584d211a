import {
  columnTypesFrom, DRIFT_SHARE, driftVerdict, FRACTION, InputError, NON_NEGATIVE, parseNumberOption, POSITIVE, parseColumnMap, parseStattestName, parseThreshold, runDriftReport, stderrLogger,
} from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function workersOption(text: string | undefined): 'auto' | 'always' | 'never' | undefined {
  if (text === undefined) return undefined;
  if (text === 'auto' || text === 'always' || text === 'never') return text;
  throw new InputError(`mlship drift: --workers must be auto, always or never, got "${text}". See \`mlship drift --help\`.`);
}

export const driftCommand: Command = {
  name: 'drift',
  summary: 'compare current data with the reference: Evidently-exact drift tests, JSON + HTML reports',
  usage: `
usage: mlship drift --reference REF.csv --current CUR.csv [options]

Tests every shared column for drift the way Evidently 0.7's DataDriftPreset does (K-S, chi-square or
z-test up to 1000 reference rows; normed Wasserstein or Jensen-Shannon above), with the same thresholds
and the same dataset verdict (share of drifted columns ≥ 0.5). Prints a Markdown summary on stdout,
progress on stderr.

  --reference PATH         reference CSV (the training features) (required)
  --current PATH           current CSV with the same columns (required)
  --out PATH               JSON report (written atomically, only on success)
  --html PATH              standalone HTML report with a histogram per column
  --columns A,B            only these columns          --exclude A,B     leave these out
  --categorical A,B        compare these as categories --numerical A,B   compare these as numbers
  --stattest NAME          one test for every column: ks, wasserstein, psi, jensenshannon, chisquare, z
  --num-stattest NAME      for numerical columns       --cat-stattest NAME   for categorical columns
  --column-stattest C=NAME,...   per column
  --threshold X            for every column            --num-threshold X / --cat-threshold X
  --column-threshold C=X,...     per column
  --drift-share X          dataset drift when this share of columns drifted (default 0.5)
  --missing-share-alert X  flag columns whose missing share changes by ≥ X (default 0.05)
  --memory-budget MIB      column data held at once (default 200); larger inputs are read in passes
  --workers MODE           read both files in parallel worker threads: auto (files ≥ 16 MiB), always, never
  --fail-on-drift          exit 1 when the dataset drifted
  --quiet                  no progress on stderr
  --verbose                debug lines on stderr (timings of the reading and statistics phases)

Exit codes: 0 done (or no drift with --fail-on-drift), 1 dataset drift with --fail-on-drift,
2 bad usage or input (nothing written).

example:
  mlship drift --reference data/reference.csv --current data/current.csv \\
    --out drift.json --html drift.html --fail-on-drift
`,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs('drift', argv, {
      reference: { type: 'string' }, current: { type: 'string' }, out: { type: 'string' }, html: { type: 'string' },
      columns: { type: 'string' }, exclude: { type: 'string' }, categorical: { type: 'string' }, numerical: { type: 'string' },
      stattest: { type: 'string' }, 'num-stattest': { type: 'string' }, 'cat-stattest': { type: 'string' }, 'column-stattest': { type: 'string' },
      threshold: { type: 'string' }, 'num-threshold': { type: 'string' }, 'cat-threshold': { type: 'string' }, 'column-threshold': { type: 'string' },
      'drift-share': { type: 'string' }, 'missing-share-alert': { type: 'string' }, 'memory-budget': { type: 'string' }, workers: { type: 'string' },
      'fail-on-drift': { type: 'boolean' }, quiet: { type: 'boolean' }, verbose: { type: 'boolean' }, title: { type: 'string' },
    });
    if (positionals.length) throw new InputError(`mlship drift: unexpected argument "${positionals[0]}"; pass files with --reference and --current. See \`mlship drift --help\`.`);
    const stattest = (name: string) => (v[name as 'stattest'] === undefined ? undefined : parseStattestName(v[name as 'stattest']!, `mlship drift: --${name}`));
    const logger = stderrLogger({ quiet: v.quiet, verbose: v.verbose });
    const columns = list(v.columns);
    const { report, markdown } = await runDriftReport({
      reference: requireOption('drift', 'reference', v.reference),
      current: requireOption('drift', 'current', v.current),
      out: v.out,
      html: v.html,
      title: v.title,
      columns: columns.length ? columns : undefined,
      exclude: list(v.exclude),
      columnTypes: columnTypesFrom(list(v.categorical), list(v.numerical)),
      stattest: stattest('stattest'),
      numStattest: stattest('num-stattest'),
      catStattest: stattest('cat-stattest'),
      perColumnStattest: parseColumnMap(v['column-stattest'], 'mlship drift: --column-stattest', (x, c) => parseStattestName(x, `mlship drift: --column-stattest, column "${c}"`)),
      threshold: parseNumberOption('threshold', v.threshold, NON_NEGATIVE),
      numThreshold: parseNumberOption('num-threshold', v['num-threshold'], NON_NEGATIVE),
      catThreshold: parseNumberOption('cat-threshold', v['cat-threshold'], NON_NEGATIVE),
      perColumnThreshold: parseColumnMap(v['column-threshold'], 'mlship drift: --column-threshold', (x, c) => parseThreshold(x, `mlship drift: --column-threshold, column "${c}"`)),
      driftShare: parseNumberOption('drift-share', v['drift-share'], DRIFT_SHARE),
      missingShareAlert: parseNumberOption('missing-share-alert', v['missing-share-alert'], FRACTION),
      memoryBudgetMiB: parseNumberOption('memory-budget', v['memory-budget'], POSITIVE),
      workers: workersOption(v.workers),
      logger,
    });
    process.stdout.write(`${markdown}\n`);
    if (v['fail-on-drift'] && report.summary.dataset_drift) {
      process.stderr.write(`error: ${driftVerdict(report)}\n`);
      return 1;
    }
    return 0;
  },
};
