import { writeFileAtomic } from '../util/atomic-write.ts';
import { refuseOutputOverInput } from '../util/same-file.ts';
import { runDriftCheck, type DriftCheckOptions, type DriftReport } from './check.ts';
import { driftHtml, driftMarkdown } from './report.ts';

export interface DriftRunOptions extends DriftCheckOptions {
  /** JSON report path (the output contract of issue 4). */
  out?: string;
  /** Standalone HTML report path. */
  html?: string;
  title?: string;
}

export interface DriftRunResult {
  report: DriftReport;
  markdown: string;
}

/** The JSON the `--out` file holds: the report without the histograms (those are for the HTML). */
export function driftJson(report: DriftReport): string {
  const columns = Object.fromEntries(Object.entries(report.columns).map(([n, c]) => {
    const { histogram: _h, stattest_display: _d, ...rest } = c;
    return [n, rest];
  }));
  return `${JSON.stringify({ ...report, columns }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

/** Runs the check and, only once it succeeded, writes the JSON and HTML reports atomically. */
export async function runDriftReport(options: DriftRunOptions): Promise<DriftRunResult> {
  // A report written over a data file would destroy it: refused before the check (a link or another spelling too).
  refuseOutputOverInput([['reference', options.reference], ['current', options.current]], [['out', options.out], ['html', options.html]]);
  const report = await runDriftCheck(options);
  return writeDriftReports(report, options);
}

/** The report's Markdown summary, and its JSON (`out`) and HTML (`html`) files written atomically. */
export async function writeDriftReports(report: DriftReport, options: Pick<DriftRunOptions, 'out' | 'html' | 'title'>): Promise<DriftRunResult> {
  const markdown = driftMarkdown(report, { title: options.title, htmlReportName: options.html ? options.html.split('/').pop() : undefined });
  const json = driftJson(report);
  const html = options.html ? driftHtml(report, { title: options.title, generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }) : undefined;
  if (options.out) await writeFileAtomic(options.out, json);
  if (options.html && html) await writeFileAtomic(options.html, html);
  return { report, markdown };
}
