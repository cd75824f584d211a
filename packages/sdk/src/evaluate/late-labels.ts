import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readCsv } from '../data/csv.ts';
import { DEFAULTS } from '../defaults.ts';
import { GateFailedError, InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Task } from '../metrics/registry.ts';
import { loadPackage } from '../package/loader.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { computeMetrics } from './compute.ts';
import { evaluateGate, parseMinImprovement, parseThresholds, checkRulesFitTask, type GateResult } from './gate.ts';

/**
 * Accuracy once the labels arrive: the server's inference log (rows with `prediction`, `id`, `time`;
 * server/inference-log.ts) joined on the row id with a CSV of ground truth that came later, scored per
 * time window with the same metric functions as `mlship evaluate` (scikit-learn's definitions), and
 * compared with the metrics recorded in the model package.
 */
export interface LateLabelOptions {
  /** The inference log: CSV with prediction, id and time columns, or JSONL. */
  predictions: string;
  /** Ground truth: a CSV with the join column and the label column. */
  labels: string;
  /** Join column in the labels CSV, matched with the log's row id (default `id`). */
  joinOn?: string;
  /** Label column in the labels CSV (default `target`). */
  target?: string;
  /** Window length, e.g. `1d`, `6h`, `30m` (UTC-aligned); absent: one window over everything. */
  window?: string;
  task?: Task | 'auto';
  /** A model package whose manifest metrics are the reference (`metrics`). */
  package?: string;
  /** Threshold rules (`accuracy>=0.9`), checked on every window and on all joined rows. */
  threshold?: string;
  /** Change versus the package's metrics, as evaluate's rules (`accuracy:-0.05` = at most 0.05 below), on every window and overall. */
  minImprovement?: string;
  /** Binary: the positive class of precision/recall/f1 (default: the package's classes_[1], else see positiveText). */
  posLabel?: string;
  /** Write the result JSON here. */
  out?: string;
  logger?: Logger;
}

export interface WindowResult {
  /** ISO 8601 start (inclusive) and end (exclusive) of the window; the whole span without --window. */
  start: string;
  end: string;
  n: number;
  metrics: Record<string, number>;
  not_computed: Record<string, string>;
  gate: GateResult;
}

export interface LateLabelReport {
  task: Task;
  join: { on: string; predictions: number; labels: number; joined: number; predictions_without_label: number; labels_without_prediction: number };
  window: string | null;
  windows: WindowResult[];
  overall: WindowResult;
  /** The package's recorded metrics (those of this task), when a package was given. */
  reference: Record<string, number> | null;
  /** Binary: the class precision, recall and f1 are for. */
  pos_label?: string | number;
  gate: { passed: boolean; failures: string[] };
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `6h`, `1d`, `1w` (also `s`) → milliseconds. */
export function parseWindow(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  if (!m || !(Number(m[1]) > 0)) throw new InputError(`${opt('window')}: "${text}" is not a duration; write a number and a unit s, m, h, d or w, e.g. 1d or 6h.`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

interface LoggedRow { id: string; time: number; prediction: string; line: number }

async function readLog(path: string): Promise<LoggedRow[]> {
  const rows: LoggedRow[] = [];
  if (path.toLowerCase().endsWith('.jsonl')) {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        let o: { id?: unknown; time?: unknown; prediction?: unknown };
        try { o = JSON.parse(text); } catch (err) { throw new InputError(`${path}: line ${line} is not JSON (${(err as Error).message}).`); }
        if (typeof o.id !== 'string' || typeof o.time !== 'string' || o.prediction === undefined) {
          throw new InputError(`${path}: line ${line} lacks "id", "time" or "prediction"; the server writes them from this version on (request ids).`);
        }
        rows.push({ id: o.id, time: parseTime(o.time, path, line), prediction: String(o.prediction), line });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${opt('predictions')} ${path} does not exist.`);
      throw err;
    }
    return rows;
  }
  const cols = { id: -1, time: -1, prediction: -1 };
  let cur: Partial<Record<'id' | 'time' | 'prediction', string>> = {};
  let curLine = 0;
  await readCsvOrFail(path, 'predictions', {
    header(columns) {
      for (const k of ['prediction', 'id', 'time'] as const) {
        cols[k] = columns.lastIndexOf(k);
        if (cols[k] < 0) throw new InputError(`${path} has no "${k}" column; write the inference log with predictions (MLSHIP_INFERENCE_LOG_PREDICTIONS=1: prediction, id and time columns).`);
      }
    },
    field(column, bytes, start, end, _row, line) {
      curLine = line;
      const k = column === cols.id ? 'id' : column === cols.time ? 'time' : column === cols.prediction ? 'prediction' : undefined;
      if (k) cur[k] = Buffer.from(bytes.subarray(start, end)).toString('utf8');
    },
    endRow() {
      if (!cur.id) throw new InputError(`${path}: line ${curLine} has an empty id; every logged row needs one.`);
      rows.push({ id: cur.id, time: parseTime(cur.time ?? '', path, curLine), prediction: cur.prediction ?? '', line: curLine });
      cur = {};
    },
  });
  return rows;
}

async function readCsvOrFail(path: string, option: string, visitor: Parameters<typeof readCsv>[1]): Promise<void> {
  try {
    await readCsv(path, visitor);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${opt(option)} ${path} does not exist.`);
    throw err;
  }
}

function parseTime(text: string, path: string, line: number): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new InputError(`${path}: line ${line}: time "${text}" is not an ISO 8601 time.`);
  return t;
}

async function readLabels(path: string, joinOn: string, target: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let key = -1;
  let label = -1;
  let cur: { id?: string; label?: string } = {};
  let curLine = 0;
  await readCsvOrFail(path, 'labels', {
    header(columns) {
      key = columns.indexOf(joinOn);
      label = columns.indexOf(target);
      if (key < 0) throw new InputError(`${path} has no column "${joinOn}" to join on; pass the id column's name with ${opt('join-on')} (columns: ${columns.slice(0, 8).join(', ')}).`);
      if (label < 0) throw new InputError(`${path} has no label column "${target}"; pass it with ${opt('target')} (columns: ${columns.slice(0, 8).join(', ')}).`);
    },
    field(column, bytes, start, end, _row, line) {
      curLine = line;
      if (column === key) cur.id = Buffer.from(bytes.subarray(start, end)).toString('utf8');
      else if (column === label) cur.label = Buffer.from(bytes.subarray(start, end)).toString('utf8');
    },
    endRow() {
      if (!cur.id) throw new InputError(`${path}: line ${curLine}: empty "${joinOn}".`);
      if (cur.label === undefined || cur.label === '') throw new InputError(`${path}: line ${curLine}: empty label "${target}" for id ${cur.id}; drop rows whose label has not arrived.`);
      if (out.has(cur.id)) throw new InputError(`${path}: line ${curLine}: id ${cur.id} appears twice; each row's ground truth must be given once.`);
      out.set(cur.id, cur.label);
      cur = {};
    },
  });
  return out;
}

/**
 * Turns label texts into the numbers the metric functions take: numbers as they are when every
 * label and prediction is a number, otherwise each distinct text by its rank in sorted order (the
 * metrics that do not depend on which class is "positive" are the same under any relabelling;
 * `classes`, the package's labels, are ranked too so that a class absent from the rows keeps a code).
 */
function encode(texts: string[], classes: readonly string[] = []): { values: Float64Array; numeric: boolean; codes?: Map<string, number> } {
  const nums = texts.map((t) => (t.trim() === '' ? NaN : Number(t)));
  if (nums.every(Number.isFinite)) return { values: Float64Array.from(nums), numeric: true };
  const sorted = [...new Set([...texts, ...classes])].sort();
  const codes = new Map(sorted.map((t, i) => [t, i]));
  return { values: Float64Array.from(texts, (t) => codes.get(t)!), numeric: false, codes };
}

/**
 * The positive class of a binary late-label evaluation, as evaluate picks it for a model: `posLabel`
 * if given, else the package's classes_[1] (the model's own order), else — labels alone — 1 for
 * numbers (scikit-learn's pos_label=1) and the greater of the two texts in sorted order (classes_[1]
 * of a model trained on them). One text class alone names no positive class: pass pos-label.
 */
function positiveText(seen: readonly string[], numeric: boolean, posLabel: string | undefined, classes: readonly string[] | undefined): string {
  if (posLabel !== undefined) {
    const known = new Set([...seen, ...(classes ?? [])]);
    if (!known.has(posLabel) && !(numeric && seen.some((t) => Number(t) === Number(posLabel)))) {
      throw new InputError(`${opt('pos-label')} "${posLabel}" is neither a label nor a prediction in the joined rows${classes ? ' nor a class of the package' : ''} (seen: ${[...known].slice(0, 10).map((t) => JSON.stringify(t)).join(', ')}).`);
    }
    return posLabel;
  }
  if (classes && classes.length === 2) return classes[1]!;
  if (numeric) return '1';
  const distinct = [...new Set(seen)].sort();
  if (distinct.length === 2) return distinct[1]!;
  throw new InputError(`Only the class ${JSON.stringify(distinct[0])} appears among the joined labels and predictions, so the positive class of precision/recall/f1 is unknown: pass ${opt('pos-label')} (or ${opt('package')}, whose classes name it).`);
}

/** Joins, windows, scores and gates (see LateLabelOptions). Bad input throws InputError before anything is written. */
export async function evaluateLateLabels(o: LateLabelOptions): Promise<LateLabelReport> {
  const logger = o.logger ?? silentLogger;
  const joinOn = o.joinOn ?? DEFAULTS.evaluate['join-on'];
  const target = o.target ?? DEFAULTS.evaluate.target;
  const windowMs = o.window === undefined ? undefined : parseWindow(o.window);
  const thresholds = parseThresholds(o.threshold);
  const drops = parseMinImprovement(o.minImprovement);
  const pkg = o.package ? await loadPackage(o.package, { logger, checkGolden: false }) : undefined;
  if (drops.length && !pkg) throw new InputError(`${opt('min-improvement')} with ${opt('predictions')} compares with the metrics recorded in the model package: pass it with ${opt('package')}.`);

  const logged = await readLog(o.predictions);
  const labels = await readLabels(o.labels, joinOn, target);
  // The last logged prediction of an id wins (a retried request is logged again).
  const byId = new Map<string, LoggedRow>();
  for (const r of logged) byId.set(r.id, r);
  const joined = [...byId.values()].filter((r) => labels.has(r.id)).sort((a, b) => a.time - b.time || a.line - b.line);
  if (joined.length === 0) {
    throw new InputError(`No logged prediction has a label: ${byId.size} ids in ${o.predictions}, ${labels.size} in ${o.labels}, none in common. Check ${opt('join-on')} (the labels' id column) and that the labels are for this log.`);
  }
  const texts = joined.map((r) => labels.get(r.id)!).concat(joined.map((r) => r.prediction));
  const packageClasses = pkg?.manifest.classLabels?.map(String);
  const yTrueAll = encode(texts, packageClasses);
  const n = joined.length;
  const yTrue = yTrueAll.values.subarray(0, n);
  const yPred = yTrueAll.values.subarray(n);

  const task = resolveTask(o.task ?? 'auto', pkg?.manifest.task, yTrueAll.numeric, yTrueAll.values);
  if (task === 'regression' && !yTrueAll.numeric) throw new InputError(`Regression needs numeric labels and predictions; ${o.labels} or ${o.predictions} holds text. Pass ${opt('task')} binary or multiclass for a classifier.`);
  checkRulesFitTask(task, thresholds, drops);
  const posText = task === 'binary' ? positiveText(texts, yTrueAll.numeric, o.posLabel, packageClasses) : undefined;
  const positive = posText === undefined ? undefined : yTrueAll.numeric ? Number(posText) : yTrueAll.codes!.get(posText)!;
  const reference = pkg?.manifest.metrics ? numericMetrics(pkg.manifest.metrics) : null;

  const score = (from: number, to: number, start: number, end: number): WindowResult => {
    const t = Float64Array.from(yTrue.subarray(from, to));
    const p = Float64Array.from(yPred.subarray(from, to));
    const m = computeMetrics(task, t, task === 'regression' ? { kind: 'regressor', values: p } : { kind: 'classifier', labels: p, noProbabilityReason: 'the inference log holds predicted labels only' }, undefined, positive === undefined ? {} : { positive });
    const gate = evaluateGate({ values: m.values, notComputed: m.notComputed, thresholds, improvements: drops, ...(reference ? { baseline: reference } : {}) });
    return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), n: to - from, metrics: m.values, not_computed: m.notComputed, gate };
  };
  const windows: WindowResult[] = [];
  if (windowMs !== undefined) {
    let from = 0;
    while (from < n) {
      const w = Math.floor(joined[from]!.time / windowMs);
      let to = from;
      while (to < n && Math.floor(joined[to]!.time / windowMs) === w) to++;
      windows.push(score(from, to, w * windowMs, (w + 1) * windowMs));
      from = to;
    }
  }
  const overall = score(0, n, joined[0]!.time, joined[n - 1]!.time + 1);
  const failures = [
    ...overall.gate.failures.map((f) => `all rows: ${f}`),
    ...windows.flatMap((w) => w.gate.failures.map((f) => `window ${w.start}: ${f}`)),
  ];
  const report: LateLabelReport = {
    task,
    join: {
      on: joinOn, predictions: byId.size, labels: labels.size, joined: n,
      predictions_without_label: byId.size - n, labels_without_prediction: labels.size - n,
    },
    window: o.window ?? null,
    windows,
    overall,
    reference: reference ? Object.fromEntries(Object.entries(reference).filter(([k]) => overall.metrics[k] !== undefined)) : null,
    ...(posText === undefined ? {} : { pos_label: yTrueAll.numeric ? Number(posText) : posText }),
    gate: { passed: failures.length === 0, failures },
  };
  logger.info(`joined ${n} of ${byId.size} logged predictions with ${labels.size} labels on ${joinOn}; ${windows.length || 1} window(s)`);
  if (o.out) await writeFileAtomic(o.out, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function resolveTask(requested: Task | 'auto', packageTask: string | undefined, numeric: boolean, values: Float64Array): Task {
  if (requested !== 'auto') return requested;
  const classes = () => (new Set(values).size <= 2 ? 'binary' : 'multiclass');
  if (packageTask === 'regression') return 'regression';
  if (packageTask === 'classification' || !numeric) return classes();
  return values.every(Number.isInteger) ? classes() : 'regression';
}

function numericMetrics(m: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * Which evaluation the options ask for: logged predictions scored with late labels (`predictions` +
 * `labels`), or a model on labelled data (`model` + `data`). A half-given pair, or both pairs, is an
 * error naming them.
 */
export function evaluationSource(o: { model?: string; data?: string; predictions?: string; labels?: string }): 'late-labels' | 'model' {
  if (o.predictions !== undefined || o.labels !== undefined) {
    if (o.model !== undefined || o.data !== undefined) throw new InputError(`${opt('predictions')}/${opt('labels')} score logged predictions; do not combine them with ${opt('model')}/${opt('data')}.`);
    if (!o.predictions || !o.labels) throw new InputError(`${opt('predictions')} and ${opt('labels')} go together: the inference log and the CSV of labels that arrived later.`);
    return 'late-labels';
  }
  if (!o.model || !o.data) throw new InputError(`${opt('model')} and ${opt('data')} are required (or ${opt('predictions')} and ${opt('labels')} to score logged predictions with late labels).`);
  return 'model';
}

/** The GateFailedError for a failed late-label gate (exit code 1), naming each failed window and metric. */
export function lateLabelGateFailure(r: LateLabelReport): GateFailedError | undefined {
  return r.gate.passed ? undefined : new GateFailedError(r.gate.failures.join('; '));
}

/** Accuracy on late labels as a monitor sees it: a failed gate is an accuracy drop (drift-check's issue and outputs). */
export interface LateLabelAccuracy {
  report: LateLabelReport;
  dropped: boolean;
  markdown: string;
  /** One sentence: passes, or the first failure (and how many more). */
  verdict: string;
}

/**
 * Scores late labels (evaluateLateLabels) and states whether accuracy dropped; undefined when neither
 * `predictions` nor `labels` is given (the check is optional), an error when only one is.
 */
export async function lateLabelAccuracy(o: Omit<LateLabelOptions, 'predictions' | 'labels'> & { predictions?: string; labels?: string }): Promise<LateLabelAccuracy | undefined> {
  if (o.predictions === undefined && o.labels === undefined) return undefined;
  evaluationSource(o);
  const report = await evaluateLateLabels({ ...o, predictions: o.predictions!, labels: o.labels! });
  const f = report.gate.failures;
  return {
    report, dropped: !report.gate.passed, markdown: renderLateLabelMarkdown(report),
    verdict: report.gate.passed ? 'Accuracy on late labels passes its gate.' : `Accuracy dropped: ${f[0]}${f.length > 1 ? ` (and ${f.length - 1} more)` : ''}.`,
  };
}

/** The report as Markdown: one row per window, the package's metrics as the last row. */
export function renderLateLabelMarkdown(r: LateLabelReport, metrics?: string[]): string {
  const names = metrics ?? Object.keys(r.overall.metrics).slice(0, 6);
  const fmt = (x: number | undefined) => (x === undefined ? '—' : Number(x.toPrecision(4)).toString());
  const lines = [
    `### mlship evaluate: accuracy with late labels (${r.task})`,
    '',
    `Joined ${r.join.joined} predictions with their labels on \`${r.join.on}\` (${r.join.predictions_without_label} predictions still without a label, ${r.join.labels_without_prediction} labels without a logged prediction).`,
    '',
    ...(r.pos_label !== undefined ? [`Positive class of precision, recall and f1: \`${r.pos_label}\`.`, ''] : []),
    `| window | rows | ${names.join(' | ')} | gate |`,
    `|---|---:|${names.map(() => '---:').join('|')}|---|`,
    ...[...r.windows, r.overall].map((w, i) => `| ${i === r.windows.length ? '**all rows**' : w.start} | ${w.n} | ${names.map((k) => fmt(w.metrics[k])).join(' | ')} | ${w.gate.passed ? '✅' : '❌'} |`),
    ...(r.reference ? [`| package (recorded) | | ${names.map((k) => fmt(r.reference![k])).join(' | ')} | |`] : []),
    '',
    r.gate.passed ? 'Gate passed.' : `Gate failed:\n${r.gate.failures.map((f) => `- ${f}`).join('\n')}`,
  ];
  return lines.join('\n');
}
