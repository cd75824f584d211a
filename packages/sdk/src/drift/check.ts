import { DEFAULTS } from '../defaults.ts';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { acceptsNumber, checkNumberOption, describeNumberRule, FRACTION, NON_NEGATIVE, POSITIVE, type NumberRule } from '../util/number-option.ts';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readCsvHeader } from '../data/csv.ts';
import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { readColumns, readColumnsConcurrently, type ColumnRead } from './columns.ts';
import { isJsonLinesPath, jsonLinesToCsv } from './jsonl.ts';
import { ksFromExtremes } from './ks.ts';
import { sortFloat64 } from '../util/sort-float64.ts';
import {
  chiSquareGoodnessOfFit, chiSquareIndependence, floorEmptyBins, histogramSorted, jensenShannonDistance, mean,
  pooledWalk, populationStabilityIndex, psiQuantileBins, stdPopulation, sturgesEdges, twoProportionZTest,
} from './stats.ts';
import { defaultStattest, isDrift, STATTESTS, stattestByName, type ColumnKind, type Stattest, type StattestName } from './stattests.ts';

/**
 * The drift check over two CSV files: Evidently 0.7 DataDriftPreset's decisions (stattest per column,
 * thresholds, comparisons, dataset drift when the share of drifted columns ≥ drift share) plus every
 * statistic of issue 4 for every column, in one JSON-ready record.
 */
export interface DriftCheckOptions {
  reference: string;
  current: string;
  /** Only these columns (default: all shared columns). */
  columns?: string[];
  exclude?: string[];
  /** Force a column's type, e.g. a numeric code column as categorical. */
  columnTypes?: Record<string, ColumnKind>;
  /** Stattest for every column (Evidently `method`), per type (`num_method`, `cat_method`), per column. */
  stattest?: StattestName;
  numStattest?: StattestName;
  catStattest?: StattestName;
  perColumnStattest?: Record<string, StattestName>;
  threshold?: number;
  numThreshold?: number;
  catThreshold?: number;
  perColumnThreshold?: Record<string, number>;
  /** Dataset drift when share of drifted columns ≥ this (Evidently drift_share, default 0.5). */
  driftShare?: number;
  /**
   * A column whose share of missing values changes by at least this much (absolute, 0.05 = 5 points)
   * is listed in summary.missing_alert_columns: missing data is its own signal, reported beside drift
   * (Evidently's decisions drop missing values and are not affected). Default 0.05.
   */
  missingShareAlert?: number;
  /**
   * Read the two files in worker threads (in parallel, numeric columns sorted there): 'auto' (default)
   * for files of 16 MiB and more, 'always', or 'never'.
   */
  workers?: 'auto' | 'always' | 'never';
  /** Column data held in memory at once, in MiB (default 200); more columns are read in extra passes. */
  memoryBudgetMiB?: number;
  logger?: Logger;
}

export interface DriftHistogram {
  /** Bin edges (numerical, Evidently's binning) or category labels. */
  edges?: number[];
  labels?: string[];
  /** Proportions per bin / label. */
  reference: number[];
  current: number[];
}

export interface ColumnDrift {
  type: ColumnKind;
  n_ref: number;
  n_cur: number;
  n_missing_ref: number;
  n_missing_cur: number;
  stattest: StattestName;
  stattest_display: string;
  score: number;
  threshold: number;
  drift: boolean;
  stats: Record<string, number | string | string[] | number[] | null>;
  notes: string[];
  histogram: DriftHistogram;
}

export interface DriftReport {
  reference: { path: string; rows: number };
  current: { path: string; rows: number };
  columns: Record<string, ColumnDrift>;
  skipped: Record<string, string>;
  summary: {
    n_columns: number;
    n_drifted: number;
    share_drifted: number;
    drift_share: number;
    dataset_drift: boolean;
    drifted_columns: string[];
    /** Columns whose missing share changed by ≥ missing_share_alert (absolute). */
    missing_alert_columns: string[];
    missing_share_alert: number;
  };
}

interface Plan {
  name: string;
  refIdx: number;
  curIdx: number;
  forced?: ColumnKind;
}

/**
 * The current data's columns from somewhere other than its file: a batch run's scoring pass
 * (batch/drift-spill.ts) hands over the cells it parsed, so the batch is not read a second time.
 * `options.current` still names the data (the report's path, error messages).
 */
export interface CurrentColumns {
  /** The data's columns, as its CSV header names them. */
  header: string[];
  /** Its data rows (to plan the memory passes). */
  rows: number;
  /** The wanted columns by header index, read as readColumns reads a CSV's (drift/columns.ts ColumnCells). */
  read(wanted: Map<number, { text: boolean }>, options: { expectedRows: number; buffers: ArrayBuffer[]; progressLabel: string; logger: Logger }): Promise<{ rows: number; columns: Map<number, ColumnRead> }>;
}

/** The drift check; with `current`, the current data's columns come from it instead of reading `options.current`. */
export async function runDriftCheck(options: DriftCheckOptions, current?: CurrentColumns): Promise<DriftReport> {
  const convertCurrent = !current && isJsonLinesPath(options.current);
  if (!isJsonLinesPath(options.reference) && !convertCurrent) return runDriftCheckCsv(options, current);
  // JSON Lines in: stream to temporary CSV files, check those, report the original paths.
  const dir = await mkdtemp(join(tmpdir(), 'mlship-drift-'));
  try {
    const asCsv = async (path: string, name: string) => {
      if (!isJsonLinesPath(path)) return path;
      const csv = join(dir, name);
      await jsonLinesToCsv(path, csv);
      return csv;
    };
    const reference = await asCsv(options.reference, 'reference.csv');
    const currentCsv = convertCurrent ? await asCsv(options.current, 'current.csv') : options.current;
    let report: DriftReport;
    try {
      report = await runDriftCheckCsv({ ...options, reference, current: currentCsv }, current);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const msg = err.message.replaceAll(reference, options.reference).replaceAll(currentCsv, options.current);
      throw new InputError(msg === err.message ? msg : `${msg} (line numbers count the header line of the converted CSV: line N is record N−1)`);
    }
    report.reference.path = options.reference;
    report.current.path = options.current;
    return report;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The share of drifted columns that makes the dataset drifted: in (0, 1]. */
export const DRIFT_SHARE: NumberRule = { min: 0, minExclusive: true, max: 1 };

async function runDriftCheckCsv(options: DriftCheckOptions, current?: CurrentColumns): Promise<DriftReport> {
  const log = options.logger ?? silentLogger;
  const driftShare = checkNumberOption('drift-share', options.driftShare, DRIFT_SHARE) ?? DEFAULTS.drift['drift-share'];
  for (const [key, t] of [['threshold', options.threshold], ['num-threshold', options.numThreshold], ['cat-threshold', options.catThreshold]] as const) checkNumberOption(key, t, NON_NEGATIVE);
  checkNumberOption('missing-share-alert', options.missingShareAlert, FRACTION);
  checkNumberOption('memory-budget', options.memoryBudgetMiB, POSITIVE);
  for (const s of [options.stattest, options.numStattest, options.catStattest, ...Object.values(options.perColumnStattest ?? {})]) {
    if (s !== undefined) checkStattestName(s);
  }
  // A threshold whose stattest is already known must fit it (the others are checked once the data picks the test).
  for (const [kind, own, test] of [['num', options.numThreshold, options.numStattest], ['cat', options.catThreshold, options.catStattest]] as const) {
    const chosen = test ?? options.stattest;
    if (chosen === undefined) continue;
    if (own !== undefined) checkThresholdFits(stattestByName(chosen), own, opt(`${kind}-threshold`));
    else if (options.threshold !== undefined) checkThresholdFits(stattestByName(chosen), options.threshold, opt('threshold'));
  }
  for (const [column, t] of Object.entries(options.perColumnThreshold ?? {})) {
    const test = options.perColumnStattest?.[column];
    if (test !== undefined) checkThresholdFits(stattestByName(test), t, `${opt('column-threshold')} for column ${q(column)}:`);
  }
  const refHeader = await readCsvHeader(options.reference);
  const curHeader = current ? current.header : await readCsvHeader(options.current);
  const curSet = new Set(curHeader);
  const refSet = new Set(refHeader);
  // Only the columns to compare must be in both files: --columns picks them, --exclude drops some
  // (a served model's inference log lacks the reference's extra columns, for example).
  const excluded = new Set(options.exclude ?? []);
  const compared = (c: string) => (options.columns ? options.columns.includes(c) : !excluded.has(c));
  const onlyRef = refHeader.filter((c) => !curSet.has(c) && compared(c));
  const onlyCur = curHeader.filter((c) => !refSet.has(c) && compared(c));
  if (onlyRef.length || onlyCur.length) {
    const parts = [];
    if (onlyRef.length) parts.push(`only in the reference ${options.reference}: ${onlyRef.map(q).join(', ')}`);
    if (onlyCur.length) parts.push(`only in the current ${options.current}: ${onlyCur.map(q).join(', ')}`);
    throw new InputError(`The reference and current files have different columns (${parts.join('; ')}). Give both files the same columns, or compare a subset with ${opt('columns')} or ${opt('exclude')}.`);
  }
  const typed = (kind: 'categorical' | 'numerical') => Object.entries(options.columnTypes ?? {}).filter(([, k]) => k === kind).map(([c]) => c);
  for (const [what, list] of [[opt('columns'), options.columns], [opt('exclude'), options.exclude], [opt('categorical'), typed('categorical')], [opt('numerical'), typed('numerical')], [opt('column-stattest'), Object.keys(options.perColumnStattest ?? {})], [opt('column-threshold'), Object.keys(options.perColumnThreshold ?? {})]] as const) {
    // An excluded column may exist in one file only (e.g. the inference log's `prediction`).
    const unknown = (list ?? []).filter((c) => !refSet.has(c) && !(what === opt('exclude') && curSet.has(c)));
    if (unknown.length) throw new InputError(`${what}: no column named ${unknown.map(q).join(', ')} in ${options.reference}; its columns are ${refHeader.map(q).join(', ')}.`);
  }
  const exclude = new Set(options.exclude ?? []);
  const selected = (options.columns ?? refHeader).filter((c) => !exclude.has(c));
  if (selected.length === 0) throw new InputError(`No columns left to compare: ${opt('columns')}/${opt('exclude')} removed them all.`);
  const plans: Plan[] = selected.map((name) => ({ name, refIdx: refHeader.indexOf(name), curIdx: curHeader.indexOf(name), forced: options.columnTypes?.[name] }));

  const refRowsEstimate = await estimateRows(options.reference);
  const curRowsEstimate = current ? current.rows : await estimateRows(options.current);
  const passes = planPasses(options, plans, refRowsEstimate + curRowsEstimate);
  if (passes.length > 1) log.info(`Reading the columns in ${passes.length} passes to stay within the memory budget.`);
  const columns: Record<string, ColumnDrift> = {};
  const skipped: Record<string, string> = {};
  let refRows = 0;
  let curRows = 0;
  const timing = { read: 0, analyse: 0 };
  let tested = 0;
  const spareRef: ArrayBuffer[] = [];
  const spareCur: ArrayBuffer[] = [];
  const t0 = performance.now();
  for (let p = 0; p < passes.length; p++) {
    const group = passes[p]!;
    const suffix = passes.length > 1 ? ` (pass ${p + 1}/${passes.length})` : '';
    const refWanted = new Map(group.map((c) => [c.refIdx, { text: c.forced === 'categorical' }]));
    const curWanted = new Map(group.map((c) => [c.curIdx, { text: c.forced === 'categorical' }]));
    let t = performance.now();
    const [ref, cur] = await Promise.all([
      readColumnsConcurrently(options.reference, { wanted: refWanted, expectedRows: Math.ceil(refRowsEstimate * 1.02), buffers: spareRef, workers: options.workers, logger: log, progressLabel: `reading ${basename(options.reference)}${suffix}` }),
      current
        ? current.read(curWanted, { expectedRows: curRowsEstimate, buffers: spareCur, logger: log, progressLabel: `reading the scored columns of ${basename(options.current)}${suffix}` })
        : readColumnsConcurrently(options.current, { wanted: curWanted, expectedRows: Math.ceil(curRowsEstimate * 1.02), buffers: spareCur, workers: options.workers, logger: log, progressLabel: `reading ${basename(options.current)}${suffix}` }),
    ]);
    timing.read += performance.now() - t;
    refRows = ref.rows;
    curRows = cur.rows;
    // Columns with text in both files were read as numbers: read them again as labels.
    // (Not a column declared numerical: its text is an error below.)
    const retext = group.filter((c) => c.forced === undefined && ref.columns.get(c.refIdx)!.firstText && cur.columns.get(c.curIdx)!.firstText);
    for (const c of group) {
      const r = ref.columns.get(c.refIdx)!;
      const k = cur.columns.get(c.curIdx)!;
      if (c.forced === 'categorical' || retext.includes(c)) continue;
      if (r.firstText && !k.firstText && k.count > 0) throw mixedTypes(c.name, options.reference, r, options.current, k);
      if (k.firstText && !r.firstText && r.count > 0) throw mixedTypes(c.name, options.current, k, options.reference, r);
      if (c.forced === 'numerical' && (r.firstText || k.firstText)) {
        const [file, bad] = r.firstText ? [options.reference, r.firstText] : [options.current, k.firstText!];
        throw new InputError(`${file}: line ${bad.line}: column ${q(c.name)} is declared numerical but holds the text "${bad.text}"; fix the data or declare it categorical.`);
      }
    }
    if (retext.length) {
      const ref2 = await readColumns(options.reference, { wanted: new Map(retext.map((c) => [c.refIdx, { text: true }])), logger: log, progressLabel: `reading ${basename(options.reference)} (text columns)` });
      const curText = new Map(retext.map((c) => [c.curIdx, { text: true }]));
      const cur2 = current
        ? await current.read(curText, { expectedRows: 0, buffers: [], logger: log, progressLabel: `reading the scored columns of ${basename(options.current)} (text columns)` })
        : await readColumns(options.current, { wanted: curText, logger: log, progressLabel: `reading ${basename(options.current)} (text columns)` });
      for (const c of retext) { ref.columns.set(c.refIdx, ref2.columns.get(c.refIdx)!); cur.columns.set(c.curIdx, cur2.columns.get(c.curIdx)!); }
    }
    t = performance.now();
    for (const c of group) {
      const r = ref.columns.get(c.refIdx)!;
      const k = cur.columns.get(c.curIdx)!;
      ref.columns.delete(c.refIdx);
      cur.columns.delete(c.curIdx);
      if (r.count === 0) throw allMissing(c.name, options.reference, ref.rows);
      if (k.count === 0) throw allMissing(c.name, options.current, cur.rows);
      const refBuffer = r.values?.buffer;
      const curBuffer = k.values?.buffer;
      const result = analyseColumn(c, r, k, options);
      // The column's buffers hold nothing needed any more: the next pass fills them again.
      if (refBuffer instanceof ArrayBuffer) spareRef.push(refBuffer);
      if (curBuffer instanceof ArrayBuffer) spareCur.push(curBuffer);
      if (typeof result === 'string') skipped[c.name] = result;
      else columns[c.name] = result;
      log.progress?.('testing columns', ++tested, plans.length);
    }
    timing.analyse += performance.now() - t;
  }
  log.debug(`timing: total ${sec(performance.now() - t0)} s, reading CSV (and sorting, when in worker threads) ${sec(timing.read)} s, statistics ${sec(timing.analyse)} s, ${passes.length} pass(es)`);
  // Keep file order.
  const ordered: Record<string, ColumnDrift> = {};
  for (const name of selected) if (columns[name]) ordered[name] = columns[name]!;
  const names = Object.keys(ordered);
  const drifted = names.filter((n) => ordered[n]!.drift);
  const share = names.length ? drifted.length / names.length : 0;
  for (const [name, why] of Object.entries(skipped)) log.warn(`column ${q(name)} not tested: ${why}`);
  const missingAlert = options.missingShareAlert ?? DEFAULTS.drift['missing-share-alert'];
  const missingAlerts = names.filter((n) => Math.abs(ordered[n]!.stats.missing_share_change as number) >= missingAlert);
  return {
    reference: { path: options.reference, rows: refRows },
    current: { path: options.current, rows: curRows },
    columns: ordered,
    skipped,
    summary: { n_columns: names.length, n_drifted: drifted.length, share_drifted: share, drift_share: driftShare, dataset_drift: names.length > 0 && share >= driftShare, drifted_columns: drifted, missing_alert_columns: missingAlerts, missing_share_alert: missingAlert },
  };
}

function sec(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function q(name: string): string {
  return `"${name}"`;
}

function checkStattestName(name: string): void {
  try { stattestByName(name); } catch (err) { throw new InputError((err as Error).message); }
}

function mixedTypes(name: string, textFile: string, textCol: ColumnRead, numFile: string, numCol: ColumnRead): InputError {
  return new InputError(`Column ${q(name)} is text in ${textFile} (line ${textCol.firstText!.line}: "${textCol.firstText!.text}") but numeric in ${numFile} (line ${numCol.firstNumber?.line}: ${numCol.firstNumber?.text}); `
    + `a column must have one type in both files. Fix the data, or pass ${opt('categorical')} ` + name + ' to compare it as labels.');
}

function allMissing(name: string, file: string, rows: number): InputError {
  return new InputError(`Column ${q(name)} has no values in ${file}: all ${rows} cells are missing. Drift cannot be tested on it; exclude it with ${opt('exclude')} "${name}" or fix the data.`);
}

/** Splits the columns into passes so numeric data held at once stays near the memory budget. */
function planPasses(options: DriftCheckOptions, plans: Plan[], rows: number): Plan[][] {
  const budget = (options.memoryBudgetMiB ?? 200) * 2 ** 20;
  const perColumn = rows * 8 * 1.05;
  const perPass = Math.max(1, Math.floor(budget / Math.max(perColumn, 1)));
  const passes: Plan[][] = [];
  for (let i = 0; i < plans.length; i += perPass) passes.push(plans.slice(i, i + perPass));
  // Balance the passes.
  if (passes.length > 1) {
    const n = passes.length;
    const size = Math.ceil(plans.length / n);
    passes.length = 0;
    for (let i = 0; i < plans.length; i += size) passes.push(plans.slice(i, i + size));
  }
  return passes;
}

/** Rows estimated from the first MiB of the file and its size. */
async function estimateRows(path: string): Promise<number> {
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(Math.min(size, 1 << 20));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
    if (bytesRead === size) return lines;
    return Math.ceil((size / bytesRead) * Math.max(lines, 1));
  } finally {
    await fh.close();
  }
}

/** Distinct values and their counts of a sorted array. */
function runs(sorted: Float64Array): { values: number[]; counts: number[] } {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length;) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    values.push(v);
    counts.push(j - i);
    i = j;
  }
  return { values, counts };
}

function countDistinct(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

interface Categorical {
  labels: string[];
  ref: number[];
  cur: number[];
}

/** Aligns two label→count maps on the sorted union of labels. */
function alignLabels(r: Map<string, number>, k: Map<string, number>): Categorical {
  const labels = [...new Set([...r.keys(), ...k.keys()])].sort(compareLabels);
  return { labels, ref: labels.map((l) => r.get(l) ?? 0), cur: labels.map((l) => k.get(l) ?? 0) };
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numericRunsAsCategorical(a: Float64Array, b: Float64Array): Categorical & { values: number[] } {
  const ra = runs(a);
  const rb = runs(b);
  const all = [...new Set([...ra.values, ...rb.values])].sort((x, y) => x - y);
  const ma = new Map(ra.values.map((v, i) => [v, ra.counts[i]!]));
  const mb = new Map(rb.values.map((v, i) => [v, rb.counts[i]!]));
  return { values: all, labels: all.map((v) => String(v)), ref: all.map((v) => ma.get(v) ?? 0), cur: all.map((v) => mb.get(v) ?? 0) };
}

function pickStattest(name: string, kind: ColumnKind, options: DriftCheckOptions, refRows: number, nUnique: number): Stattest {
  const own = options.perColumnStattest?.[name];
  const byKind = kind === 'numerical' ? options.numStattest : options.catStattest;
  const chosen = own ?? byKind ?? options.stattest;
  if (!chosen) return defaultStattest(kind, refRows, nUnique);
  const t = stattestByName(chosen);
  // Asked for by name, a test must accept the column's kind, as Evidently requires (its
  // StatTestInvalidFeatureTypeError): chi-square and z on a numerical column would take each distinct
  // float for a category and call a shifted column "ok". (Evidently's default rules may still pick them
  // for a numerical column of few values: defaultStattest.)
  if (!t.featureTypes.includes(kind)) {
    const flag = own !== undefined ? opt('column-stattest') : byKind !== undefined ? opt(kind === 'numerical' ? 'num-stattest' : 'cat-stattest') : opt('stattest');
    const fits = STATTESTS.filter((x) => x.featureTypes.includes(kind)).map((x) => x.name).join(', ');
    throw new InputError(`${flag}: stattest ${t.name} (${t.displayName}) tests ${t.featureTypes.join(' and ')} columns only, and column ${q(name)} is ${kind}. Choose one of ${fits} for it${kind === 'numerical' ? `, or declare it categorical with ${opt('categorical')} ${name}` : ''}.`);
  }
  return t;
}

function pickThreshold(name: string, kind: ColumnKind, options: DriftCheckOptions, test: Stattest): number {
  const own = options.perColumnThreshold?.[name];
  if (own !== undefined) return checkThresholdFits(test, own, `${opt('column-threshold')} for column ${q(name)}:`);
  const byKind = kind === 'numerical' ? options.numThreshold : options.catThreshold;
  if (byKind !== undefined) return checkThresholdFits(test, byKind, `${opt(kind === 'numerical' ? 'num-threshold' : 'cat-threshold')} (column ${q(name)}):`);
  if (options.threshold !== undefined) return checkThresholdFits(test, options.threshold, `${opt('threshold')} (column ${q(name)}):`);
  return test.defaultThreshold;
}

/**
 * Returns `threshold` when `test` can decide with it (Stattest.thresholdRange); otherwise throws an
 * InputError naming `where` (the option it came from): a p-value threshold of 5 would call every
 * column drifted.
 */
function checkThresholdFits(test: Stattest, threshold: number, where: string): number {
  if (acceptsNumber(threshold, test.thresholdRange)) return threshold;
  const meaning = test.higherMeansDrift
    ? 'a distance: drift when the score ≥ the threshold'
    : `a p-value: drift when p ${test.comparison === 'p<=' ? '≤' : '<'} the threshold`;
  throw new InputError(`${where} ${threshold} does not fit stattest ${test.name} (${test.displayName}, ${meaning}): its threshold must be ${describeNumberRule(test.thresholdRange)}.`);
}

function proportions(counts: ArrayLike<number>, n: number): number[] {
  return Array.from(counts, (c) => c / n);
}

/** Evidently's get_binned_data (stattests/utils.py) before zero filling. */
function evidentlyBins(kind: ColumnKind, refNUnique: number, ref: Float64Array | null, cur: Float64Array | null, cat: Categorical | null): DriftHistogram {
  if (kind === 'numerical' && refNUnique > 20 && ref && cur) {
    const edges = sturgesEdges(Math.min(ref[0]!, cur[0]!), Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!), ref.length + cur.length);
    return { edges: Array.from(edges), reference: proportions(histogramSorted(ref, edges), ref.length), current: proportions(histogramSorted(cur, edges), cur.length) };
  }
  const c = cat!;
  const nr = c.ref.reduce((a, b) => a + b, 0);
  const nc = c.cur.reduce((a, b) => a + b, 0);
  return { labels: c.labels, reference: proportions(c.ref, nr), current: proportions(c.cur, nc) };
}

function analyseColumn(plan: Plan, r: ColumnRead, k: ColumnRead, options: DriftCheckOptions): ColumnDrift | string {
  const notes: string[] = [];
  let kind: ColumnKind;
  let cat: Categorical | null = null;
  let refSorted: Float64Array | null = null;
  let curSorted: Float64Array | null = null;
  if (r.labels && k.labels) {
    cat = alignLabels(r.labels, k.labels);
    // Evidently 0.7 infer_column_type (evidently/core/datasets.py) — applied, like Evidently, to the
    // CURRENT data (Report.run takes the data definition from the current dataset): a string column
    // whose distinct values exceed half its non-missing count is Text, tested with a text-content
    // classifier we do not offer.
    if (plan.forced !== 'categorical' && k.labels.size > 0.5 * k.count) {
      return `free text (${k.labels.size} distinct values in ${k.count} current rows, more than half), which Evidently types as Text; declare it categorical to test its label frequencies`;
    }
    kind = 'categorical';
  } else {
    refSorted = r.sorted ? r.values! : sortFloat64(r.values!);
    curSorted = k.sorted ? k.values! : sortFloat64(k.values!);
    r.values = null;
    k.values = null;
    if (plan.forced) kind = plan.forced;
    else if (k.intSyntax && countDistinct(curSorted) <= 10) {
      // Evidently 0.7 infer_column_type: an int column (pandas int dtype: integers, nothing missing) with
      // ≤ 10 distinct values (INTEGER_CARDINALITY_LIMIT) is categorical — judged on the current data.
      kind = 'categorical';
      notes.push(`integer column with ${countDistinct(curSorted)} distinct values in the current data: categorical, as Evidently infers it (override with --numerical)`);
    } else kind = 'numerical';
    if (kind === 'categorical') cat = numericRunsAsCategorical(refSorted, curSorted);
  }
  const nRef = r.count;
  const nCur = k.count;
  const stats: ColumnDrift['stats'] = {};
  const missShareRef = r.missing / (r.missing + r.count);
  const missShareCur = k.missing / (k.missing + k.count);
  stats.missing_share_ref = missShareRef;
  stats.missing_share_cur = missShareCur;
  stats.missing_share_change = missShareCur - missShareRef;
  if (k.missing > 0 || r.missing > 0) notes.push(`missing values dropped before testing: ${r.missing} in reference (${pct(missShareRef)}), ${k.missing} in current (${pct(missShareCur)})`);

  let nUnique: number;
  let refNUnique: number;
  if (kind === 'numerical') {
    const walk = pooledWalk(refSorted!, curSorted!);
    nUnique = walk.distinct;
    refNUnique = countDistinct(refSorted!);
    if (nUnique <= 5) cat = numericRunsAsCategorical(refSorted!, curSorted!);
    const ks = ksFromExtremes(walk.maxDiff, walk.minDiff, refSorted!.length, curSorted!.length);
    const muR = mean(refSorted!);
    const muC = mean(curSorted!);
    const sdR = stdPopulation(refSorted!, muR);
    const sdC = stdPopulation(curSorted!, muC);
    const wd = walk.wasserstein;
    stats.ks_statistic = ks.statistic;
    stats.ks_p_value = ks.pValue;
    stats.ks_method = ks.method;
    stats.wasserstein = wd;
    stats.wasserstein_norm = wd / Math.max(sdR, 0.001);
    stats.psi_quantile = psiQuantileBins(refSorted!, curSorted!);
    stats.mean_ref = muR;
    stats.mean_cur = muC;
    stats.std_ref = sdR;
    stats.std_cur = sdC;
    if (sdR === 0) notes.push(`constant in the reference (every value ${refSorted![0]}); the normed Wasserstein distance divides by the 0.001 floor`);
  } else {
    nUnique = cat!.labels.length;
    refNUnique = cat!.ref.filter((c) => c > 0).length;
    const newCats = cat!.labels.filter((_, i) => cat!.ref[i] === 0);
    const gone = cat!.labels.filter((_, i) => cat!.cur[i] === 0);
    stats.categories = cat!.labels;
    stats.counts_ref = cat!.ref;
    stats.counts_cur = cat!.cur;
    stats.new_categories = newCats;
    stats.vanished_categories = gone;
    if (newCats.length) notes.push(`new in current: ${newCats.join(', ')}`);
    if (gone.length) notes.push(`absent from current: ${gone.join(', ')}`);
    if (refNUnique === 1) notes.push(`constant in the reference (only ${cat!.labels[cat!.ref.findIndex((c) => c > 0)]})`);
  }
  // A count-based test chosen for a numerical column with many values tests its value counts.
  const chosenName = options.perColumnStattest?.[plan.name] ?? (kind === 'numerical' ? options.numStattest : options.catStattest) ?? options.stattest;
  if (!cat && kind === 'numerical' && (chosenName === 'chisquare' || chosenName === 'z')) cat = numericRunsAsCategorical(refSorted!, curSorted!);
  if (cat) {
    const gof = chiSquareGoodnessOfFit(cat.ref, cat.cur);
    const ind = chiSquareIndependence(cat.ref, cat.cur);
    stats.chisquare_statistic = gof.statistic;
    stats.chisquare_p_value = gof.pValue;
    stats.chi2_independence_statistic = ind.statistic;
    stats.chi2_independence_p_value = ind.pValue;
    if (cat.labels.length <= 2) {
      const ones = (counts: number[]) => counts.reduce((a, b) => a + b, 0) - counts[0]!;
      const refVals = cat.labels.filter((_, i) => cat!.ref[i]! > 0);
      const curVals = cat.labels.filter((_, i) => cat!.cur[i]! > 0);
      const same = refVals.length === 1 && curVals.length === 1 && refVals[0] === curVals[0];
      const z = twoProportionZTest(ones(cat.ref), nRef, ones(cat.cur), nCur, same);
      stats.z_statistic = z.statistic;
      stats.z_p_value = z.pValue;
    }
  }
  const binCat = cat ?? (kind === 'numerical' && refNUnique <= 20 ? numericRunsAsCategorical(refSorted!, curSorted!) : null);
  const bins = evidentlyBins(kind, refNUnique, refSorted, curSorted, binCat);
  stats.psi = populationStabilityIndex(floorEmptyBins(bins.reference), floorEmptyBins(bins.current));
  stats.jensenshannon = jensenShannonDistance(bins.reference, bins.current);

  const test = pickStattest(plan.name, kind, options, nRef, nUnique);
  const threshold = pickThreshold(plan.name, kind, options, test);
  let score: number;
  switch (test.name) {
    case 'ks': score = stats.ks_p_value as number; break;
    case 'wasserstein': score = stats.wasserstein_norm as number; break;
    case 'psi': score = stats.psi as number; break;
    case 'jensenshannon': score = stats.jensenshannon as number; break;
    case 'chisquare': score = stats.chisquare_p_value as number; break;
    case 'z': {
      if (stats.z_p_value === undefined) {
        // Evidently's z-test compares the first sorted category against all the others.
        const c = cat!;
        const ones = (counts: number[]) => counts.reduce((a, b) => a + b, 0) - counts[0]!;
        const z = twoProportionZTest(ones(c.ref), nRef, ones(c.cur), nCur, false);
        stats.z_statistic = z.statistic;
        stats.z_p_value = z.pValue;
      }
      score = stats.z_p_value as number;
      break;
    }
  }
  if (stats.chisquare_statistic === Infinity) stats.chisquare_statistic = 'Infinity';
  return {
    type: kind, n_ref: nRef, n_cur: nCur, n_missing_ref: r.missing, n_missing_cur: k.missing,
    stattest: test.name, stattest_display: test.displayName, score, threshold, drift: isDrift(test, score, threshold),
    stats, notes, histogram: reportHistogram(kind, refSorted, curSorted, bins),
  };
}

/** The histogram the HTML report draws: Evidently's bins, or at most 40 equal bins for long numeric ranges. */
function reportHistogram(kind: ColumnKind, ref: Float64Array | null, cur: Float64Array | null, bins: DriftHistogram): DriftHistogram {
  if (kind === 'numerical' && ref && cur && bins.edges && bins.edges.length > 41) {
    const edges = sturgesEdges(Math.min(ref[0]!, cur[0]!), Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!), 2 ** 39);
    return { edges: Array.from(edges), reference: proportions(histogramSorted(ref, edges), ref.length), current: proportions(histogramSorted(cur, edges), cur.length) };
  }
  if (bins.labels && bins.labels.length > MAX_REPORT_CATEGORIES) {
    // Many categories: draw the largest ones and one "(other)" bar, so the report stays readable and small.
    const order = bins.labels.map((_, i) => i).sort((a, b) => Math.max(bins.reference[b]!, bins.current[b]!) - Math.max(bins.reference[a]!, bins.current[a]!));
    const keep = order.slice(0, MAX_REPORT_CATEGORIES - 1);
    const rest = order.slice(MAX_REPORT_CATEGORIES - 1);
    const sum = (xs: number[], idx: number[]) => idx.reduce((acc, i) => acc + xs[i]!, 0);
    return {
      labels: [...keep.map((i) => bins.labels![i]!), `(other ${rest.length})`],
      reference: [...keep.map((i) => bins.reference[i]!), sum(bins.reference, rest)],
      current: [...keep.map((i) => bins.current[i]!), sum(bins.current, rest)],
    };
  }
  return bins;
}

const MAX_REPORT_CATEGORIES = 30;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
