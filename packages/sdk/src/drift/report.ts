import type { ColumnDrift, DriftReport, DriftHistogram } from './check.ts';
import { stattestByName } from './stattests.ts';

/** Human reports of a drift check: a Markdown job summary and a standalone HTML page with SVG histograms. */

/**
 * One-line verdict, e.g. "Dataset drift: 17 of 31 columns drifted (54.8% ≥ 50%)". `name` writes a
 * column name (Markdown passes mdName, so no name can inject markup into a job summary).
 */
export function driftVerdict(report: DriftReport, name: (n: string) => string = (n) => n): string {
  const s = report.summary;
  const missing = s.missing_alert_columns.length
    ? ` Missing values changed by ≥ ${fmtPct(s.missing_share_alert)} in ${s.missing_alert_columns.map((n) => `${name(n)} (${signedPts(report.columns[n]!.stats.missing_share_change as number)})`).join(', ')}.`
    : '';
  return driftOnlyVerdict(report, name) + missing;
}

function signedPts(change: number): string {
  return `${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)} pts`;
}

function driftOnlyVerdict(report: DriftReport, name: (n: string) => string): string {
  const s = report.summary;
  const share = `${fmtPct(s.share_drifted)} ${s.dataset_drift ? '≥' : '<'} ${fmtPct(s.drift_share)}`;
  if (s.dataset_drift) return `Dataset drift: ${s.n_drifted} of ${s.n_columns} columns drifted (${share}).`;
  if (s.n_drifted > 0) return `No dataset drift, but ${s.n_drifted} of ${s.n_columns} column${s.n_columns === 1 ? '' : 's'} drifted (${share}): ${s.drifted_columns.map(name).join(', ')}.`;
  return `No drift: none of ${s.n_columns} columns drifted.`;
}

function fmtPct(x: number): string {
  return `${(100 * x).toFixed(1).replace(/\.0$/, '')}%`;
}

/** A score as people read it: p-values with 3 significant digits (or "< 1e-16"), distances with 4 decimals. */
export function formatScore(value: number, isPValue: boolean): string {
  if (!Number.isFinite(value)) return String(value);
  if (isPValue) {
    if (value === 0) return '0';
    if (value < 1e-16) return '< 1e-16';
    return value < 0.001 ? value.toExponential(2) : value.toPrecision(3);
  }
  return value.toFixed(4);
}

/** Columns with drifted ones first (most severe first), then the rest in file order. */
export function orderedColumns(report: DriftReport): Array<[string, ColumnDrift]> {
  const entries = Object.entries(report.columns);
  const severity = (c: ColumnDrift) => {
    const t = stattestByName(c.stattest);
    return t.higherMeansDrift ? c.score / Math.max(c.threshold, 1e-300) : Math.max(c.threshold, 1e-300) / Math.max(c.score, 1e-300);
  };
  const drifted = entries.filter(([, c]) => c.drift).sort((a, b) => severity(b[1]) - severity(a[1]));
  return [...drifted, ...entries.filter(([, c]) => !c.drift)];
}

function comparisonText(c: ColumnDrift): string {
  const t = stattestByName(c.stattest);
  const score = formatScore(c.score, !t.higherMeansDrift);
  const op = t.comparison === 'p<=' ? (c.drift ? '≤' : '>') : t.comparison === 'p<' ? (c.drift ? '<' : '≥') : (c.drift ? '≥' : '<');
  return `${score} ${op} ${c.threshold}`;
}

/** Markdown text that renders as itself: markup characters backslash-escaped, `&` as an entity, line breaks as spaces. */
export function mdEscape(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/[|\\`*_<>[\]#~]/g, (ch) => `\\${ch}`);
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}… (${s.length} chars)` : s);

/** A column name (or other input text) in Markdown: at most 120 characters, escaped. */
export function mdName(s: string): string {
  return mdEscape(clip(s));
}

/** Input text as a Markdown code span (nothing inside one is markup): no backticks or line breaks inside, at most 120 characters. */
export function mdCode(s: string): string {
  return `\`${clip(s).replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
}

function missingNote(c: ColumnDrift): string {
  const change = c.stats.missing_share_change as number;
  if (c.n_missing_ref === 0 && c.n_missing_cur === 0) return '';
  return `missing ${fmtPct(c.stats.missing_share_ref as number)} → ${fmtPct(c.stats.missing_share_cur as number)} (${signedPts(change)})`;
}

/** GitHub caps a job summary at 1 MiB and an issue body at 65,536 characters: at most 150 rows per table. */
const MAX_MARKDOWN_ROWS = 150;

/** Markdown for the job summary / the drift issue. */
export function driftMarkdown(report: DriftReport, options: { title?: string; htmlReportName?: string; runUrl?: string } = {}): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`## ${options.title ?? 'Data drift check'}`);
  lines.push('');
  lines.push(`${s.dataset_drift ? '🔴' : s.n_drifted || s.missing_alert_columns.length ? '🟡' : '🟢'} **${driftVerdict(report, mdName)}**`);
  lines.push('');
  lines.push(`Reference ${mdCode(report.reference.path)} (${report.reference.rows} rows) vs current ${mdCode(report.current.path)} (${report.current.rows} rows). Tests and thresholds as Evidently 0.7's DataDriftPreset picks them.`);
  lines.push('');
  const row = ([name, c]: [string, ColumnDrift]) => {
    const notes = [missingNote(c), ...c.notes.filter((n) => !n.startsWith('missing values dropped'))].filter(Boolean).join('; ');
    return `| ${c.drift ? '**' + mdName(name) + '**' : mdName(name)} | ${c.type} | ${c.stattest_display} | ${comparisonText(c)} | ${c.drift ? '**drift**' : 'ok'} | ${mdEscape(notes)} |`;
  };
  const header = ['| Column | Type | Test | Score vs threshold | Verdict | Notes |', '|---|---|---|---|---|---|'];
  const ordered = orderedColumns(report);
  const drifted = ordered.filter(([, c]) => c.drift);
  const rest = ordered.filter(([, c]) => !c.drift);
  if (drifted.length) {
    lines.push(...header, ...drifted.slice(0, MAX_MARKDOWN_ROWS).map(row), '');
    if (drifted.length > MAX_MARKDOWN_ROWS) lines.push(`…and ${drifted.length - MAX_MARKDOWN_ROWS} more drifted columns (all in the JSON and HTML reports).`, '');
  }
  if (rest.length) {
    if (drifted.length) lines.push(`<details><summary>${rest.length} column${rest.length === 1 ? '' : 's'} without drift</summary>`, '');
        const shown = rest.slice(0, MAX_MARKDOWN_ROWS);
    lines.push(...header, ...shown.map(row), '');
    if (rest.length > shown.length) lines.push(`…and ${rest.length - shown.length} more columns without drift (all in the JSON and HTML reports).`, '');
    if (drifted.length) lines.push('</details>', '');
  }
  const skipped = Object.entries(report.skipped);
  if (skipped.length) {
    lines.push(`Not tested: ${skipped.map(([n, why]) => `${mdCode(n)} (${mdEscape(why)})`).join('; ')}.`, '');
  }
  if (options.htmlReportName) lines.push(`Full report with histograms: ${mdCode(options.htmlReportName)}${options.runUrl ? ` in the [run's artifacts](${options.runUrl})` : ''}.`, '');
  return lines.join('\n');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]!));
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function shortNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

/** An SVG overlay of the reference (grey, filled) and current (orange, outlined) proportions per bin. */
export function histogramSvg(h: DriftHistogram, width = 520, height = 180): string {
  const n = h.reference.length;
  const padL = 40, padR = 10, padT = 10, padB = h.labels ? 40 : 24;
  const w = width - padL - padR;
  const ht = height - padT - padB;
  const max = Math.max(...h.reference, ...h.current, 1e-12);
  const bw = w / n;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`);
  parts.push(`<line x1="${padL}" y1="${padT + ht}" x2="${padL + w}" y2="${padT + ht}" stroke="#888"/>`);
  parts.push(`<text x="${padL - 4}" y="${padT + 8}" text-anchor="end" class="ax">${(100 * max).toFixed(0)}%</text><text x="${padL - 4}" y="${padT + ht}" text-anchor="end" class="ax">0</text>`);
  for (let i = 0; i < n; i++) {
    const x = padL + i * bw;
    const hr = (h.reference[i]! / max) * ht;
    const hc = (h.current[i]! / max) * ht;
    parts.push(`<rect x="${num(x + 1)}" y="${num(padT + ht - hr)}" width="${num(Math.max(bw - 2, 1))}" height="${num(hr)}" class="r"><title>reference ${(100 * h.reference[i]!).toFixed(1)}%</title></rect>`);
    parts.push(`<rect x="${num(x + bw * 0.2)}" y="${num(padT + ht - hc)}" width="${num(Math.max(bw * 0.6, 1))}" height="${num(hc)}" class="c"><title>current ${(100 * h.current[i]!).toFixed(1)}%</title></rect>`);
    if (h.labels && n <= 30) {
      parts.push(`<text x="${num(x + bw / 2)}" y="${padT + ht + 14}" text-anchor="middle" class="ax">${esc(h.labels[i]!.slice(0, 10))}</text>`);
    }
  }
  if (h.edges) {
    parts.push(`<text x="${padL}" y="${padT + ht + 16}" class="ax">${shortNumber(h.edges[0]!)}</text>`);
    parts.push(`<text x="${padL + w}" y="${padT + ht + 16}" text-anchor="end" class="ax">${shortNumber(h.edges[h.edges.length - 1]!)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 6px}.verdict{font-size:17px;padding:10px 14px;border-radius:6px;margin:12px 0}
.bad{background:#ffebe9;border:1px solid #ff8182}.warn{background:#fff8c5;border:1px solid #d4a72c}.good{background:#dafbe1;border:1px solid #4ac26b}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa}td.num{font-variant-numeric:tabular-nums}tr.drift td{background:#fff5f5}.pill{padding:1px 8px;border-radius:10px;font-size:12px}
.pill.d{background:#cf222e;color:#fff}.pill.o{background:#1a7f37;color:#fff}.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(530px,1fr));gap:14px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:10px 12px}.card.drift{border-color:#cf222e}.card h3{margin:0 0 4px;font-size:15px}
.meta{color:#57606a;font-size:12px}.ax{font-size:10px;fill:#57606a}rect.r{fill:#8c959f;fill-opacity:.55}rect.c{fill:#fb8f44;fill-opacity:.75;stroke:#bc4c00}
.legend span{display:inline-block;width:12px;height:10px;margin:0 4px 0 10px;vertical-align:middle}`;

/** A standalone HTML report: verdict, table (drifted first), a card with a histogram overlay per column. */
export function driftHtml(report: DriftReport, options: { title?: string; generatedAt?: string } = {}): string {
  const s = report.summary;
  const cls = s.dataset_drift ? 'bad' : s.n_drifted || s.missing_alert_columns.length ? 'warn' : 'good';
  const ordered = orderedColumns(report);
  const rows = ordered.map(([name, c]) => `<tr class="${c.drift ? 'drift' : ''}"><td><a href="#col-${esc(encodeURIComponent(name))}">${esc(name)}</a></td><td>${c.type}</td><td>${esc(c.stattest_display)}</td><td class="num">${esc(comparisonText(c))}</td><td><span class="pill ${c.drift ? 'd' : 'o'}">${c.drift ? 'drift' : 'ok'}</span></td><td class="num">${c.n_ref} / ${c.n_cur}</td><td>${esc(missingNote(c))}</td></tr>`).join('\n');
  const cards = ordered.map(([name, c]) => {
    const extra: string[] = [];
    if (c.type === 'numerical') extra.push(`mean ${shortNumber(c.stats.mean_ref as number)} → ${shortNumber(c.stats.mean_cur as number)}, std ${shortNumber(c.stats.std_ref as number)} → ${shortNumber(c.stats.std_cur as number)}`);
    extra.push(...c.notes);
    return `<div class="card${c.drift ? ' drift' : ''}" id="col-${esc(encodeURIComponent(name))}"><h3>${esc(name)} <span class="pill ${c.drift ? 'd' : 'o'}">${c.drift ? 'drift' : 'ok'}</span></h3>`
      + `<div class="meta">${c.type} · ${esc(c.stattest_display)} ${esc(comparisonText(c))} · PSI ${(c.stats.psi as number).toFixed(3)} · JS ${(c.stats.jensenshannon as number).toFixed(3)}</div>`
      + histogramSvg(c.histogram)
      + (extra.length ? `<div class="meta">${extra.map(esc).join('<br>')}</div>` : '') + '</div>';
  }).join('\n');
  const skipped = Object.entries(report.skipped);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(options.title ?? 'Data drift report')}</title><style>${CSS}</style></head>
<body>
<h1>${esc(options.title ?? 'Data drift report')}</h1>
<div class="meta">Reference <code>${esc(report.reference.path)}</code> (${report.reference.rows} rows) · current <code>${esc(report.current.path)}</code> (${report.current.rows} rows)${options.generatedAt ? ` · ${esc(options.generatedAt)}` : ''}</div>
<div class="verdict ${cls}">${esc(driftVerdict(report))}</div>
<table><thead><tr><th>Column</th><th>Type</th><th>Test</th><th>Score vs threshold</th><th>Verdict</th><th>Rows ref / cur</th><th>Missing</th></tr></thead><tbody>
${rows}
</tbody></table>
${skipped.length ? `<p class="meta">Not tested: ${skipped.map(([n, why]) => `${esc(n)} (${esc(why)})`).join('; ')}</p>` : ''}
<p class="legend meta">Histograms: share of rows per bin (Evidently's bins) —<span style="background:#8c959f"></span>reference<span style="background:#fb8f44"></span>current</p>
<div class="cols">
${cards}
</div>
<p class="meta">Generated by mlship drift-check. Tests, thresholds and dataset verdict follow Evidently 0.7's DataDriftPreset.</p>
</body></html>
`;
}
