import { formatParityNumber, type OutputComparison } from './outputs.ts';

/**
 * One Markdown table row per compared output (serialize's parity gate, the smoke test). `sides`
 * names the reference and the compared values in the first-mismatch column.
 */
export function renderComparisonTable(comparisons: readonly OutputComparison[], sides: { expected: string; actual: string } = { expected: 'expected', actual: 'got' }): string[] {
  return [
    '| Output | Kind | Label agreement | Max abs error | Max rel error | Rows out of tolerance | First mismatch | |',
    '|---|---|---|---|---|---|---|---|',
    ...comparisons.map((c) => comparisonRow(c, sides)),
  ];
}

function comparisonRow(c: OutputComparison, sides: { expected: string; actual: string }): string {
  const m = c.firstMismatch;
  const first = c.problem ?? (m ? `row ${m.row}${m.column !== undefined ? ` col ${m.column}` : ''}: ${sides.expected} ${m.expected}, ${sides.actual} ${m.actual}` : '–');
  const agreement = c.labelAgreement === undefined ? '–' : `${(100 * c.labelAgreement).toFixed(2)}%`;
  const errs = c.kind === 'label' ? ['–', '–'] : [formatParityNumber(c.maxAbsError), formatParityNumber(c.maxRelError)];
  return `| \`${c.output}\` | ${c.kind === 'label' ? 'label' : (c.reference ?? 'numeric')} | ${agreement} | ${errs[0]} | ${errs[1]} | ${c.mismatchedRows} / ${c.rows} | ${first} | ${c.passed ? '✅' : '❌'} |`;
}
