import { describeTensor } from '../model/signature.ts';
import type { PackageManifest } from '../package/manifest.ts';
import { formatParityNumber } from '../compare/outputs.ts';
import { renderComparisonTable } from '../compare/table.ts';
import type { ParityReport } from './serialize.ts';

/**
 * Markdown for people: what the package is (verdict line, signature table, facts) and, for a
 * native conversion, the parity table. Used for the job summary, `mlship serialize` and
 * `mlship package inspect`.
 */
export function renderPackageMarkdown(m: PackageManifest, extra: { modelSha256?: string; archivePath?: string; pushed?: string } = {}): string {
  const model = m.files.find((f) => f.path === m.model);
  const lines = [
    `### Model package \`${m.name}\` ${m.version}`,
    '',
    `${m.task === 'classification' ? `Classification${m.classLabels ? ` (${m.classLabels.length} classes: ${preview(m.classLabels.map(String), 10)})` : ''}` : 'Regression'}`
      + ` · ${m.featureNames.length} features · ONNX IR ${m.irVersion}, opsets ${Object.entries(m.opsets).map(([d, v]) => `${d} ${v}`).join(', ')}`
      + ` · ${m.golden.inputs.length} golden rows`,
    '',
    '| | Name | Type | Shape | Role |',
    '|---|---|---|---|---|',
    ...m.signature.inputs.map((t) => `| input | \`${t.name}\` | ${t.isTensor ? t.type : 'map/sequence'} | ${shape(t.shape)} | features |`),
    ...m.signature.outputs.map((t) => `| output | \`${t.name}\` | ${t.isTensor ? t.type : 'map/sequence'} | ${t.isTensor ? shape(t.shape) : '–'} | ${roleOf(m, t.name)} |`),
    '',
    `- Operators: ${m.operators.map((o) => `\`${o}\``).join(', ')}`,
    `- Features: ${preview(m.featureNames.map((f) => `\`${f}\``), 8)}`,
    ...(model ? [`- Model: \`${m.model}\` ${model.size} bytes, sha256 \`${extra.modelSha256 ?? model.sha256}\``] : []),
    `- Made from: ${m.provenance.source}${m.provenance.producer ? ` (${m.provenance.producer})` : ''}, ${m.provenance.createdAt}${m.provenance.gitCommit ? `, commit \`${m.provenance.gitCommit.slice(0, 12)}\`` : ''}`,
    ...(m.metrics ? [`- Metrics: ${Object.entries(m.metrics).filter(([, v]) => typeof v === 'number').slice(0, 8).map(([k, v]) => `${k} ${formatParityNumber(v as number)}`).join(', ')}`] : []),
    ...(extra.archivePath ? [`- Archive: \`${extra.archivePath}\``] : []),
    ...(extra.pushed ? [`- Pushed: \`${extra.pushed}\``] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The parity table: one row per compared output, with the verdict first. */
export function renderParityMarkdown(p: ParityReport): string {
  const t = p.tolerance;
  const lines = [
    `### Parity: ${p.passed ? '✅ passed' : '❌ failed'} — native model vs ONNX on ${p.rows} rows`,
    '',
    p.passed ? `Every output within atol ${t.atol}, rtol ${t.rtol}; labels must agree on ≥ ${(100 * t.minLabelAgreement).toFixed(1)}% of rows.` : `**${p.message}**`,
    '',
    ...renderComparisonTable(p.comparisons, { expected: 'native', actual: 'ONNX' }),
  ];
  if (p.explanations.length) lines.push('', ...p.explanations.map((e) => `> ${e}`));
  return `${lines.join('\n')}\n`;
}

/** One line per tensor: `float_input: float32[?, 4]; …` (action output `signature`). */
export function signatureSummary(m: PackageManifest): string {
  return `inputs: ${m.signature.inputs.map(describeTensor).join('; ')} | outputs: ${m.signature.outputs.map(describeTensor).join('; ')}`;
}

function roleOf(m: PackageManifest, name: string): string {
  const r = Object.entries(m.outputRoles).find(([, v]) => v === name);
  return r ? r[0] : '–';
}

function shape(dims: Array<number | string>): string {
  return `[${dims.map((d) => (d === '' ? '?' : String(d))).join(', ')}]`;
}

function preview(items: string[], n: number): string {
  return items.length > n ? `${items.slice(0, n).join(', ')}, … (${items.length})` : items.join(', ');
}
