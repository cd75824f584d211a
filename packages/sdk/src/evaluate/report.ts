import { metricInfo } from '../metrics/registry.ts';
import type { EvaluationReport } from './evaluate.ts';
import { formatMetricValue } from './gate.ts';

/**
 * The evaluation as Markdown for people: a one-line verdict, the metrics table (with the baseline and
 * the change when there is one), the bootstrap intervals, the gate checks, the confusion matrix and
 * per-class scores, and notes on anything that could not be computed. The CLI prints it, the action
 * writes it to the job summary and the sticky PR comment.
 */
export function renderEvaluationMarkdown(r: EvaluationReport, options: { title?: string } = {}): string {
  const out: string[] = [];
  const verdict = r.gate.passed ? '✅ passed' : '❌ failed';
  out.push(`### ${options.title ?? 'Model evaluation'}: \`${r.model.path}\` — ${verdict}`);
  out.push('');
  const m = r.main_metric;
  const ci = m.ci && m.ci.resamples > 0 ? ` (${Math.round(m.ci.level * 100)}% CI ${formatMetricValue(m.ci.low)} – ${formatMetricValue(m.ci.high)})` : '';
  out.push(`**${r.task}** on \`${r.data.path}\` (${r.n} rows, target \`${r.data.target}\`) · main metric **${m.name} = ${formatMetricValue(m.value ?? undefined)}**${ci}`);
  const pos = r.pos_label;
  if (pos !== undefined) {
    out.push('');
    out.push(`Positive class **${JSON.stringify(pos)}**: precision, recall, f1 and roc_auc are for it (the model's second class, scikit-learn's \`classes_[1]\`, unless \`--pos-label\` (action input \`pos-label\`) names another).`);
  }
  if (r.baseline?.difference) {
    const d = r.baseline.difference;
    const dci = d.ci && d.ci.resamples > 0 ? `, ${Math.round(d.ci.level * 100)}% CI ${signed(d.ci.low)} – ${signed(d.ci.high)}` : '';
    const words = { better: 'a real improvement', worse: 'a real regression', inconclusive: 'not distinguishable from noise', 'not-tested': 'not tested (no bootstrap)' }[d.verdict];
    out.push('');
    out.push(`Versus baseline \`${r.baseline.path}\`: ${m.name} ${signed(d.estimate)}${dci} — ${words}.`);
  }
  out.push('');

  // Gate.
  if (r.gate.checks.length) {
    out.push('| Gate check | Value | Bound | Result |');
    out.push('|---|---:|---:|:---:|');
    for (const c of r.gate.checks) {
      const bound = c.bound === undefined ? 'n/a' : `${c.op} ${formatMetricValue(c.bound)}`;
      out.push(`| \`${escapeTableCell(c.rule)}\` | ${formatMetricValue(c.value)} | ${bound} | ${c.passed ? '✅' : '❌'} |`);
    }
    out.push('');
    if (!r.gate.passed) {
      for (const f of r.gate.failures) out.push(`- ❌ ${escapeTableCell(f)}`);
      out.push('');
    }
  } else {
    out.push('_No gate configured (pass thresholds or a baseline to gate on metrics)._');
    out.push('');
  }

  // Metrics table.
  const values = Object.entries(r.metrics).filter((e): e is [string, number] => typeof e[1] === 'number');
  const base = r.baseline?.metrics;
  out.push(base ? '| Metric | Value | Baseline | Change |' : '| Metric | Value |');
  out.push(base ? '|---|---:|---:|---:|' : '|---|---:|');
  for (const [name, v] of values) {
    const label = name === m.name ? `**${name}**` : name;
    const dir = metricInfo(name)?.higherIsBetter ? '↑' : '↓';
    if (base) {
      const b = base[name];
      const change = b === undefined ? '' : `${signed(v - b)} ${arrow(v - b, metricInfo(name)?.higherIsBetter ?? true)}`;
      out.push(`| ${label} ${dir} | ${formatMetricValue(v)} | ${formatMetricValue(b)} | ${change} |`);
    } else {
      out.push(`| ${label} ${dir} | ${formatMetricValue(v)} |`);
    }
  }
  for (const name of Object.keys(r.not_computed)) {
    out.push(base ? `| ${name} | not computed | ${formatMetricValue(base[name])} | |` : `| ${name} | not computed |`);
  }
  out.push('');
  out.push('↑ higher is better, ↓ lower is better. Definitions: scikit-learn `sklearn.metrics` (zero_division=0).');
  out.push('');

  const cm = r.metrics.confusion_matrix as { labels: number[]; matrix: number[][] } | undefined;
  if (cm && cm.labels.length <= 20) {
    out.push('<details><summary>Confusion matrix (rows = true class, columns = predicted)</summary>');
    out.push('');
    out.push(`| true \\ pred | ${cm.labels.join(' | ')} |`);
    out.push(`|---|${cm.labels.map(() => '---:').join('|')}|`);
    cm.matrix.forEach((row, i) => {
      out.push(`| **${cm.labels[i]}** | ${row.map((c, j) => (i === j ? `**${c}**` : String(c))).join(' | ')} |`);
    });
    out.push('');
    const pc = r.metrics.per_class as { labels: number[]; precision: number[]; recall: number[]; f1: number[]; support: number[] } | undefined;
    if (pc) {
      out.push('| class | precision | recall | f1 | support |');
      out.push('|---|---:|---:|---:|---:|');
      pc.labels.forEach((l, i) => out.push(`| ${l} | ${formatMetricValue(pc.precision[i])} | ${formatMetricValue(pc.recall[i])} | ${formatMetricValue(pc.f1[i])} | ${pc.support[i]} |`));
      out.push('');
    }
    out.push('</details>');
    out.push('');
  }

  // Metrics that share a reason (e.g. every probability metric of a ZipMap model) share one line.
  const byReason = new Map<string, string[]>();
  for (const [name, why] of Object.entries(r.not_computed)) {
    const reason = why.replace(/^not computed: /, '');
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  }
  const notes = [...[...byReason].map(([why, names]) => `${names.map((n) => `\`${n}\``).join(', ')} not computed: ${why}`), ...r.notes];
  if (notes.length) {
    out.push('**Notes**');
    out.push('');
    for (const n of notes) out.push(`- ${n}`);
    out.push('');
  }
  if (r.bootstrap) {
    out.push(`<sub>Intervals: percentile bootstrap, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}${r.baseline?.source === 'model' ? ', paired with the baseline on the same resampled rows' : ''}. Model sha256 \`${r.model.sha256.slice(0, 12)}\`, data sha256 \`${r.data.sha256.slice(0, 12)}\`.</sub>`);
    out.push('');
  }
  return out.join('\n');
}

function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${formatMetricValue(Math.abs(x))}`;
}

function arrow(delta: number, higherIsBetter: boolean): string {
  if (delta === 0) return '';
  return (delta > 0) === higherIsBetter ? '🟢' : '🔴';
}

/** A Markdown table cell: `|` escaped. */
function escapeTableCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}
