import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { Counter, escapeLabelValue, exponentialBuckets, formatSampleValue, Gauge, Histogram, MetricsRegistry } from './metrics.ts';

interface Family { name: string; type: string; documentation: string; samples: Array<[string, Array<[string, string]>, number]> }

/** Same operations on our registry and on prometheus_client's; both texts parsed by prometheus_client. */
function compareWithPrometheusClient(spec: Array<{ type: 'counter' | 'gauge' | 'histogram'; name: string; help: string; labels?: string[]; buckets?: number[]; ops: Array<[Record<string, string>, number]> }>) {
  const registry = new MetricsRegistry();
  for (const m of spec) {
    if (m.type === 'counter') {
      const c = registry.register(new Counter(m.name, m.help, m.labels));
      for (const [l, v] of m.ops) c.inc(m.labels?.length ? l : undefined, v);
    } else if (m.type === 'gauge') {
      const g = registry.register(new Gauge(m.name, m.help, m.labels));
      for (const [l, v] of m.ops) g.set(v, m.labels?.length ? l : undefined);
    } else {
      const h = registry.register(new Histogram(m.name, m.help, m.buckets!, m.labels));
      for (const [l, v] of m.ops) h.observe(v, m.labels?.length ? l : undefined);
    }
  }
  const text = registry.expose();
  const out = runPythonJson<{ reference: Family[]; ours: Family[]; reference_text: string }>('prometheus_reference.py', [], JSON.stringify({ text, metrics: spec }));
  return { text, ...out };
}

describe('Prometheus text exposition (checked against prometheus_client 0.23 generate_latest + parser)', () => {
  it('counters, gauges and labelled histograms parse to the same families and samples as prometheus_client', () => {
    const { ours, reference } = compareWithPrometheusClient([
      { type: 'counter', name: 'requests_total', help: 'Requests by route and code.', labels: ['route', 'code'], ops: [[{ route: '/predict', code: '200' }, 1], [{ route: '/predict', code: '200' }, 2], [{ route: '/v2/models/{name}/infer', code: '400' }, 1]] },
      { type: 'gauge', name: 'in_flight', help: 'In flight.', ops: [[{}, 3], [{}, 2]] },
      { type: 'gauge', name: 'load_seconds', help: 'Load time.', labels: ['model'], ops: [[{ model: 'iris' }, 0.125]] },
      // 0.005 sits exactly on a bound: `le` is inclusive in Prometheus.
      { type: 'histogram', name: 'latency_seconds', help: 'Latency.', labels: ['route'], buckets: [0.001, 0.005, 0.025, 0.1], ops: [[{ route: 'a' }, 0.0004], [{ route: 'a' }, 0.005], [{ route: 'a' }, 0.02], [{ route: 'a' }, 3], [{ route: 'b' }, 0.05]] },
      { type: 'histogram', name: 'batch_size', help: 'Rows per run.', buckets: exponentialBuckets(1, 2, 5), ops: [[{}, 1], [{}, 3], [{}, 16], [{}, 17]] },
    ]);
    expect(ours).toEqual(reference);
    expect(ours.map((f) => f.name)).toContain('latency_seconds');
  });

  it('escapes label values and help text the way the parser reads them back', () => {
    const { ours, reference } = compareWithPrometheusClient([
      { type: 'counter', name: 'odd_total', help: 'Help with \\ backslash\nand newline.', labels: ['path'], ops: [[{ path: 'a "quoted" \\ path\nx' }, 1]] },
    ]);
    expect(ours).toEqual(reference);
    expect(ours[0]!.samples[0]![1]).toEqual([['path', 'a "quoted" \\ path\nx']]);
  });

  it('formats special values as Go does (+Inf, -Inf, NaN) and escapes', () => {
    expect([Infinity, -Infinity, NaN, 0.5, 3].map(formatSampleValue)).toEqual(['+Inf', '-Inf', 'NaN', '0.5', '3']);
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('refuses invalid names, missing labels and decreasing counters', () => {
    expect(() => new Counter('bad-name', 'x')).toThrow(/invalid metric name/);
    expect(() => new Histogram('h', 'x', [1], ['le'])).toThrow(/reserved/);
    const c = new Counter('c_total', 'x', ['a']);
    expect(() => c.inc({})).toThrow(/label a is missing/);
    expect(() => c.inc({ a: '1' }, -1)).toThrow(/only increase/);
    const r = new MetricsRegistry();
    r.register(new Gauge('g', 'x'));
    expect(() => r.register(new Gauge('g', 'y'))).toThrow(/twice/);
  });
});

describe('labelled children for hot paths', () => {
  it('labels(...).inc / .observe update the same series as inc(labels) / observe(v, labels)', () => {
    const c = new Counter('c_total', 'x', ['route']);
    const h = new Histogram('h', 'x', [1, 2], ['route']);
    const cc = c.labels({ route: 'a' });
    const hh = h.labels({ route: 'a' });
    cc.inc();
    cc.inc(2);
    c.inc({ route: 'a' });
    hh.observe(1.5);
    h.observe(3, { route: 'a' });
    expect(c.get({ route: 'a' })).toBe(4);
    expect(h.snapshot({ route: 'a' })).toEqual({ count: 2, sum: 4.5 });
    expect(h.expose()).toContain('h_bucket{route="a",le="2"} 1');
  });
});
