import { InputError, opt } from '../errors.ts';
import { METRIC_RANGES, metricInfo, metricsForTask, suggestMetric, type Task } from '../metrics/registry.ts';

/**
 * Quality gates on metrics.
 *
 * Thresholds: `metric OP bound`, several separated by commas or new lines, OP one of >=, >, <=, <:
 *   `accuracy>=0.95, f1_macro>=0.9, rmse<=60`
 *
 * Champion/challenger (`--min-improvement`, with `--baseline`): `metric:CHANGE`, where CHANGE is the
 * signed change of the metric's value the challenger must reach relative to the champion (baseline),
 * absolute or in percent of the champion's value:
 *   `accuracy:+0.01`  accuracy ≥ champion + 0.01        (higher is better: a floor)
 *   `rmse:-2%`        rmse ≤ champion − 2% of champion   (lower is better: a ceiling)
 *   `log_loss:+0.005` log_loss may grow by 0.005 at most (a tolerated regression)
 *   `f1_macro:0`      no worse than the champion
 * For a higher-is-better metric the bound is a floor (value ≥ champion + change), for a lower-is-better
 * metric a ceiling (value ≤ champion + change). With a baseline and no rule, the default is
 * `<main metric>:0` — the challenger must not be worse on the main metric.
 */
export type ThresholdOp = '>=' | '>' | '<=' | '<';

export interface ThresholdRule {
  metric: string;
  op: ThresholdOp;
  bound: number;
  /** The rule as the user wrote it. */
  text: string;
}

export interface ImprovementRule {
  metric: string;
  /** Signed change: absolute, or percent of the champion's value when `relative`. */
  change: number;
  relative: boolean;
  text: string;
}

function splitRules(text: string): string[] {
  return text.split(/[,\n;]/).map((s) => s.trim()).filter((s) => s !== '');
}

function checkMetricName(name: string, where: string): void {
  const info = metricInfo(name);
  if (!info) {
    const hint = suggestMetric(name);
    throw new InputError(`${where}: unknown metric "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}. Metrics: classification — ${metricsForTask('binary').concat(metricsForTask('multiclass')).filter((v, i, a) => a.indexOf(v) === i).join(', ')}; regression — ${metricsForTask('regression').join(', ')}.`);
  }
}

/** `metric`'s range in words: "from 0 to 1", "≥ 0", "≤ 1". */
function rangeText(metric: string): string {
  const { min, max } = METRIC_RANGES[metric] ?? {};
  return min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `≥ ${min}` : max !== undefined ? `≤ ${max}` : 'any number';
}

/** Refuses a bound no value of the metric can meet or fail (METRIC_RANGES): `accuracy>=95`, `rmse<=-1`, `accuracy>1`. */
function checkBoundInRange(rule: string, metric: string, op: ThresholdOp, bound: number): void {
  const { min = -Infinity, max = Infinity } = METRIC_RANGES[metric] ?? {};
  const floor = op === '>=' || op === '>';
  const never = floor ? bound > max || (op === '>' && bound === max) : bound < min || (op === '<' && bound === min);
  const always = floor ? bound < min : bound > max;
  if (!never && !always) return;
  const percent = max === 1 && bound > 1 && bound <= 100 ? ` Write shares, not percentages: ${metric}${op}${bound / 100} for ${bound}%.` : '';
  throw new InputError(`${opt('threshold')} "${rule}": ${metric} is ${rangeText(metric)}, so this rule ${never ? 'fails every model' : 'passes every model'}.${percent}`);
}

/** Parses `--threshold`. Throws InputError naming the bad rule. */
export function parseThresholds(text: string | undefined): ThresholdRule[] {
  if (!text) return [];
  return splitRules(text).map((rule) => {
    const m = rule.match(/^([A-Za-z0-9_]+)\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/);
    if (!m) throw new InputError(`${opt('threshold')}: cannot read "${rule}"; write METRIC>=VALUE or METRIC<=VALUE (also > and <), e.g. "accuracy>=0.95, rmse<=60".`);
    checkMetricName(m[1]!, `${opt('threshold')} "${rule}"`);
    checkBoundInRange(rule, m[1]!, m[2] as ThresholdOp, Number(m[3]));
    return { metric: m[1]!, op: m[2] as ThresholdOp, bound: Number(m[3]), text: rule };
  });
}

/** Parses `--min-improvement`. Throws InputError naming the bad rule. */
export function parseMinImprovement(text: string | undefined): ImprovementRule[] {
  if (!text) return [];
  return splitRules(text).map((rule) => {
    const m = rule.match(/^([A-Za-z0-9_]+)\s*:\s*([-+]?)((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%?)$/);
    if (!m) throw new InputError(`${opt('min-improvement')}: cannot read "${rule}"; write METRIC:+CHANGE or METRIC:-CHANGE%, e.g. "accuracy:+0.01, rmse:-2%" (the signed change of the value versus the baseline).`);
    const magnitude = Number(m[3]);
    if (magnitude !== 0 && m[2] === '') {
      throw new InputError(`${opt('min-improvement')} "${rule}": give the change a sign — "+" to raise the value, "-" to lower it (e.g. "accuracy:+0.01", "rmse:-2%").`);
    }
    checkMetricName(m[1]!, `${opt('min-improvement')} "${rule}"`);
    const { min, max } = METRIC_RANGES[m[1]!] ?? {};
    if (m[4] !== '%' && min !== undefined && max !== undefined && magnitude > max - min) {
      throw new InputError(`${opt('min-improvement')} "${rule}": ${m[1]} is ${rangeText(m[1]!)}, so it cannot change by ${magnitude}.${max === 1 && magnitude <= 100 ? ` For ${magnitude} points write ${m[1]}:${m[2]}${magnitude / 100}, for a relative change ${m[1]}:${m[2]}${magnitude}%.` : ''}`);
    }
    return { metric: m[1]!, change: m[2] === '-' ? -magnitude : magnitude, relative: m[4] === '%', text: rule };
  });
}

/**
 * Rejects rules on metrics the task does not report (roc_auc on a regression, rmse on a classifier).
 * `task` may be the tasks still possible before the model runs (a classifier: binary or multiclass);
 * a rule must fit one of them.
 */
export function checkRulesFitTask(task: Task | readonly Task[], thresholds: ThresholdRule[], improvements: ImprovementRule[]): void {
  const tasks: readonly Task[] = typeof task === 'string' ? [task] : task;
  const names = tasks.flatMap(metricsForTask).filter((v, i, a) => a.indexOf(v) === i);
  const what = tasks.join(' or ');
  for (const r of [...thresholds, ...improvements]) {
    if (!names.includes(r.metric)) {
      const flag = thresholds.includes(r as ThresholdRule) ? opt('threshold') : opt('min-improvement');
      throw new InputError(`${flag} "${r.text}": ${r.metric} is not a ${what} metric. ${what} metrics: ${names.join(', ')}.`);
    }
  }
}

export interface GateCheck {
  kind: 'threshold' | 'improvement' | 'significance';
  metric: string;
  rule: string;
  /** The model's value (undefined when it could not be computed). */
  value?: number;
  /** The champion's value, for improvement checks. */
  baseline?: number;
  op: ThresholdOp;
  bound?: number;
  passed: boolean;
  message: string;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** One line per failed check (empty when passed). */
  failures: string[];
}

const compare = (v: number, op: ThresholdOp, b: number) => (op === '>=' ? v >= b : op === '>' ? v > b : op === '<=' ? v <= b : v < b);

export function formatMetricValue(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(4) : Number(x.toPrecision(6)).toString();
}

/**
 * `value` and `bound` as formatMetricValue writes them, with more significant digits when that would
 * print two different numbers alike ("roc_auc = 0.88796 fails roc_auc > 0.88796" for 0.8879598…).
 */
function formatValueAndBound(value: number, bound: number): [string, string] {
  let v = formatMetricValue(value);
  let b = formatMetricValue(bound);
  for (let digits = 7; v === b && value !== bound && digits <= 17; digits++) {
    v = Number(value.toPrecision(digits)).toString();
    b = Number(bound.toPrecision(digits)).toString();
  }
  return [v, b];
}

export interface GateInputs {
  values: Record<string, number>;
  notComputed: Record<string, string>;
  thresholds: ThresholdRule[];
  improvements: ImprovementRule[];
  baseline?: Record<string, number>;
  /** Difference interval (challenger − champion) of the main metric and the metric's name. */
  significance?: { metric: string; low: number; high: number; level: number; required: boolean };
}

/** `text` without its final period: check messages are clauses, joined with "; " and ended once by the caller. */
function sentenceBody(text: string): string {
  return text.replace(/\.+$/, '');
}

/** Applies thresholds and improvement rules; a metric that could not be computed fails its check. */
export function evaluateGate(input: GateInputs): GateResult {
  const checks: GateCheck[] = [];
  for (const t of input.thresholds) {
    const value = input.values[t.metric];
    if (value === undefined) {
      checks.push({ kind: 'threshold', metric: t.metric, rule: t.text, op: t.op, bound: t.bound, passed: false,
        message: `${t.metric} could not be computed, so "${t.text}" cannot pass: ${sentenceBody(input.notComputed[t.metric] ?? 'no value')}` });
      continue;
    }
    const passed = compare(value, t.op, t.bound);
    const [v, b] = formatValueAndBound(value, t.bound);
    checks.push({ kind: 'threshold', metric: t.metric, rule: t.text, value, op: t.op, bound: t.bound, passed,
      message: `${t.metric} = ${v} ${passed ? 'meets' : 'fails'} ${t.metric} ${t.op} ${b}` });
  }
  for (const r of input.improvements) {
    const higher = metricInfo(r.metric)!.higherIsBetter;
    const op: ThresholdOp = higher ? '>=' : '<=';
    const value = input.values[r.metric];
    const base = input.baseline?.[r.metric];
    if (value === undefined || base === undefined) {
      const why = value === undefined ? `this model's ${r.metric} could not be computed (${sentenceBody(input.notComputed[r.metric] ?? 'no value')})` : `the baseline has no ${r.metric}`;
      checks.push({ kind: 'improvement', metric: r.metric, rule: r.text, value, baseline: base, op, passed: false, message: `"${r.text}" cannot be checked: ${why}` });
      continue;
    }
    const bound = base + (r.relative ? (Math.abs(base) * r.change) / 100 : r.change);
    const passed = compare(value, op, bound);
    const [v, b] = formatValueAndBound(value, bound);
    checks.push({ kind: 'improvement', metric: r.metric, rule: r.text, value, baseline: base, op, bound, passed,
      message: `${r.metric} = ${v} vs baseline ${formatMetricValue(base)}: ${passed ? 'meets' : 'fails'} ${r.metric} ${op} ${b} (${r.text})` });
  }
  const sig = input.significance;
  if (sig?.required) {
    const higher = metricInfo(sig.metric)!.higherIsBetter;
    const passed = higher ? sig.low > 0 : sig.high < 0;
    checks.push({ kind: 'significance', metric: sig.metric, rule: 'require-significant', op: higher ? '>' : '<', bound: 0, passed,
      message: `${sig.metric} difference (challenger − champion) ${Math.round(sig.level * 100)}% CI [${formatMetricValue(sig.low)}, ${formatMetricValue(sig.high)}] ${passed ? 'shows a real improvement' : 'does not show a real improvement (it must lie entirely on the better side of 0)'}` });
  }
  const failures = checks.filter((c) => !c.passed).map((c) => c.message);
  return { passed: failures.length === 0, checks, failures };
}
