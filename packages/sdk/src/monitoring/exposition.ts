/** One sample of the Prometheus text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the text exposition format 0.0.4 (what server/metrics.ts writes): comment lines skipped,
 * label values unescaped (`\\`, `\"`, `\n`), values `+Inf`, `-Inf`, `NaN` or decimals. Timestamps,
 * which our server never writes, are not supported.
 */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line of the Prometheus text format: ${line.slice(0, 120)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const v = m[3]!;
    out.push({ name: m[1]!, labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return out;
}

/**
 * Quantile q of a cumulative histogram as Prometheus' histogram_quantile computes it: find the first
 * bucket whose cumulative count reaches q·total, interpolate linearly inside it (from 0 for the first
 * bucket); a rank in the +Inf bucket returns the highest finite bound. NaN without observations.
 */
export function histogramQuantile(q: number, buckets: ReadonlyArray<{ le: number; count: number }>): number {
  const b = [...buckets].sort((x, y) => x.le - y.le);
  const total = b.at(-1)?.count ?? 0;
  if (b.length < 2 || total === 0 || b.at(-1)!.le !== Infinity) return NaN;
  const rank = q * total;
  const i = b.findIndex((x) => x.count >= rank);
  if (i === b.length - 1) return b[b.length - 2]!.le;
  const lower = i === 0 ? 0 : b[i - 1]!.le;
  const before = i === 0 ? 0 : b[i - 1]!.count;
  const inBucket = b[i]!.count - before;
  return inBucket === 0 ? b[i]!.le : lower + (b[i]!.le - lower) * ((rank - before) / inBucket);
}
