import { monitorEventLoopDelay } from 'node:perf_hooks';
/**
 * A small Prometheus metrics registry and its text exposition (format 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/), as prometheus_client (Python) and
 * prom-client (Node) write it:
 *  - `# HELP name text` (backslash and newline escaped) and `# TYPE name counter|gauge|histogram`;
 *  - one sample per line, `name{label="value",…} number`, label values escaping `\`, `"` and newline;
 *  - a histogram is cumulative `name_bucket{le="…"}` samples ending with `le="+Inf"`, plus `name_sum`
 *    and `name_count` (count = the +Inf bucket);
 *  - numbers in Go's float formatting: `+Inf`, `-Inf`, `NaN`, otherwise the shortest decimal.
 * Written by hand (≈150 lines) rather than pulling in prom-client: we need three metric types, and the
 * exposition is checked against prometheus_client's parser and a real Prometheus scrape in the tests.
 */

export type LabelValues = Record<string, string>;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** The metric's current values (collected at call time), plain data: what a worker sends its primary. */
  read(): MetricSnapshot;
  /** The metric's lines in the text format, without a trailing newline. */
  expose(): string;
}

/** One label set's value: `value` for counters and gauges; per-bucket (not cumulative) `counts`, `sum` and `count` for histograms. */
export interface SampleSnapshot { labels: string[]; value?: number; counts?: number[]; sum?: number; count?: number }

/** A metric as plain, serialisable data (the text exposition is made from it: exposeSnapshot). */
export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  labelNames: string[];
  /** Histogram upper bounds, without +Inf. */
  buckets?: number[];
  samples: SampleSnapshot[];
}

/** The text-format lines of one metric snapshot (format 0.0.4), without a trailing newline. */
export function exposeSnapshot(m: MetricSnapshot): string {
  const lines = [`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`];
  for (const s of m.samples) {
    if (m.type !== 'histogram') { lines.push(`${m.name}${labelText(m.labelNames, s.labels)} ${formatSampleValue(s.value!)}`); continue; }
    const buckets = m.buckets!;
    let cumulative = 0;
    for (let i = 0; i <= buckets.length; i++) {
      cumulative += s.counts![i]!;
      const le = i < buckets.length ? formatSampleValue(buckets[i]!) : '+Inf';
      lines.push(`${m.name}_bucket${labelText(m.labelNames, s.labels, ['le', le])} ${formatSampleValue(cumulative)}`);
    }
    const lt = labelText(m.labelNames, s.labels);
    lines.push(`${m.name}_sum${lt} ${formatSampleValue(s.sum!)}`);
    lines.push(`${m.name}_count${lt} ${formatSampleValue(s.count!)}`);
  }
  return lines.join('\n');
}

/** Several registries' snapshots in the text format (ends with a newline, as the format requires). */
export function exposeSnapshots(metrics: readonly MetricSnapshot[]): string {
  return metrics.map(exposeSnapshot).join('\n') + '\n';
}

/** `+Inf`, `-Inf`, `NaN` or the shortest decimal that reads back as the same double. */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabelValue(values[i]!)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function checkNames(name: string, labelNames: readonly string[]): void {
  if (!NAME_RE.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
  for (const l of labelNames) {
    if (!LABEL_RE.test(l) || l.startsWith('__')) throw new Error(`invalid label name ${JSON.stringify(l)} on ${name}`);
  }
}

/** Keyed children of a labelled metric; the key is the label values joined by a NUL. */
abstract class Labelled<C> implements Metric {
  readonly name: string;
  readonly help: string;
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  protected readonly children = new Map<string, { values: string[]; child: C }>();

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    checkNames(name, labelNames);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  protected abstract create(): C;

  protected child(labels: LabelValues = {}): C {
    const values = this.labelNames.map((n) => {
      const v = labels[n];
      if (v === undefined) throw new Error(`metric ${this.name}: label ${n} is missing`);
      return v;
    });
    const key = values.join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      entry = { values, child: this.create() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  abstract read(): MetricSnapshot;

  expose(): string { return exposeSnapshot(this.read()); }

  /** The snapshot's header fields and, for a label-less metric never touched, its zero sample. */
  protected base(): MetricSnapshot {
    if (this.labelNames.length === 0 && this.children.size === 0) this.child();
    return { name: this.name, help: this.help, type: this.type, labelNames: [...this.labelNames], samples: [] };
  }
}

/** A monotonically increasing count (name should end in `_total`). */
export class Counter extends Labelled<{ value: number }> {
  readonly type = 'counter' as const;
  private readonly collect?: () => number;
  /** `collect` (unlabelled counters only) reads the value at scrape time, e.g. CPU seconds from the OS. */
  constructor(name: string, help: string, labelNames: readonly string[] = [], collect?: () => number) {
    super(name, help, labelNames);
    this.collect = collect;
  }
  protected create() { return { value: 0 }; }
  inc(labels?: LabelValues, by = 1): void {
    if (!(by >= 0)) throw new Error(`counter ${this.name} can only increase (got ${by})`);
    this.child(labels).value += by;
  }
  get(labels?: LabelValues): number { return this.child(labels).value; }
  /** The child for one label set, to keep on a hot path (no label lookup per increment). */
  labels(labels: LabelValues): { inc(by?: number): void } {
    const c = this.child(labels);
    return { inc: (by = 1) => { c.value += by; } };
  }
  read(): MetricSnapshot {
    if (this.collect) this.child().value = this.collect();
    const m = this.base();
    for (const { values, child } of this.children.values()) m.samples.push({ labels: values, value: child.value });
    return m;
  }
}

/** A value that goes up and down; `collect` (if given) refreshes it at scrape time. */
export class Gauge extends Labelled<{ value: number }> {
  readonly type = 'gauge' as const;
  private readonly collect?: (gauge: Gauge) => void;
  constructor(name: string, help: string, labelNames: readonly string[] = [], collect?: (gauge: Gauge) => void) {
    super(name, help, labelNames);
    this.collect = collect;
  }
  protected create() { return { value: 0 }; }
  set(value: number, labels?: LabelValues): void { this.child(labels).value = value; }
  inc(labels?: LabelValues, by = 1): void { this.child(labels).value += by; }
  dec(labels?: LabelValues, by = 1): void { this.child(labels).value -= by; }
  get(labels?: LabelValues): number { return this.child(labels).value; }
  /** The child for one label set, to keep on a hot path (inc(-1) decrements). */
  labels(labels: LabelValues): { inc(by?: number): void } {
    const c = this.child(labels);
    return { inc: (by = 1) => { c.value += by; } };
  }
  read(): MetricSnapshot {
    this.collect?.(this);
    const m = this.base();
    for (const { values, child } of this.children.values()) m.samples.push({ labels: values, value: child.value });
    return m;
  }
}

/** One label set of a histogram: bucket counts, sum and count. */
export interface HistogramChild { counts: Float64Array; sum: number; count: number }

/**
 * Observations counted into buckets by upper bound (`le`, inclusive, as Prometheus defines it), with
 * their sum and count. Buckets are stored per bucket and made cumulative when exposed.
 */
export class Histogram extends Labelled<HistogramChild> {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];
  constructor(name: string, help: string, buckets: readonly number[], labelNames: readonly string[] = []) {
    super(name, help, labelNames);
    if (labelNames.includes('le')) throw new Error(`histogram ${name}: "le" is reserved`);
    const sorted = [...buckets].filter((b) => b !== Infinity).sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`histogram ${name}: buckets must be distinct finite numbers`);
    }
    this.buckets = sorted;
  }
  protected create(): HistogramChild { return { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 }; }
  observe(value: number, labels?: LabelValues): void {
    const c = this.child(labels);
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    c.counts[i]!++;
    c.sum += value;
    c.count++;
  }
  /** The child for one label set, to keep on a hot path (no label lookup per observation). */
  labels(labels: LabelValues): { observe(value: number): void } {
    const c = this.child(labels);
    const buckets = this.buckets;
    return {
      observe: (value: number) => {
        let i = 0;
        while (i < buckets.length && value > buckets[i]!) i++;
        c.counts[i]!++;
        c.sum += value;
        c.count++;
      },
    };
  }

  /** Count and sum for one label set (for tests and logs). */
  snapshot(labels?: LabelValues): { count: number; sum: number } {
    const c = this.child(labels);
    return { count: c.count, sum: c.sum };
  }
  read(): MetricSnapshot {
    const m = { ...this.base(), buckets: [...this.buckets] };
    for (const { values, child } of this.children.values()) m.samples.push({ labels: values, counts: Array.from(child.counts), sum: child.sum, count: child.count });
    return m;
  }
}

/** The metrics a server exposes, in registration order. */
export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.push(metric);
    return metric;
  }

  /** Every metric's current values, in registration order. */
  read(): MetricSnapshot[] {
    return this.metrics.map((m) => m.read());
  }

  /** The whole registry in text format 0.0.4 (ends with a newline, as the format requires). */
  expose(): string {
    return exposeSnapshots(this.read());
  }
}

/** The Content-Type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Bucket bounds `start, start·factor, …` (count of them), as prometheus_client's exponential buckets. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, v = start; i < count; i++, v *= factor) out.push(Number(v.toPrecision(12)));
  return out;
}

/** prometheus_client's default latency buckets (seconds), extended down to 0.5 ms for a fast server. */
export const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Standard process metrics (names as prometheus_client's ProcessCollector): memory, CPU, start time. */
let sharedDelay: ReturnType<typeof monitorEventLoopDelay> | undefined;
/** One event-loop delay monitor per process (a timer every 10 ms), whatever the number of registries. */
function eventLoopDelay(): ReturnType<typeof monitorEventLoopDelay> {
  if (!sharedDelay) { sharedDelay = monitorEventLoopDelay({ resolution: 10 }); sharedDelay.enable(); }
  return sharedDelay;
}

export function registerProcessMetrics(registry: MetricsRegistry): void {
  const start = Date.now() / 1000 - process.uptime();
  registry.register(new Counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', [], () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }));
  registry.register(new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], (g) => g.set(process.memoryUsage.rss())));
  registry.register(new Gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.')).set(Math.round(start * 1000) / 1000);
  // V8 heap and event-loop delay, with prom-client's names (what Node dashboards already chart).
  registry.register(new Gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes (process.memoryUsage().heapUsed).', [], (g) => g.set(process.memoryUsage().heapUsed)));
  registry.register(new Gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved, in bytes (process.memoryUsage().heapTotal).', [], (g) => g.set(process.memoryUsage().heapTotal)));
  registry.register(new Gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript (Buffers, onnxruntime tensors), in bytes.', [], (g) => g.set(process.memoryUsage().external)));
  const delay = eventLoopDelay();
  // Each scrape reports the delays seen since the previous one, then starts afresh (as prom-client does).
  let p99 = 0;
  let max = 0;
  registry.register(new Gauge('nodejs_eventloop_lag_seconds', 'Mean event-loop delay since the previous scrape, in seconds (perf_hooks.monitorEventLoopDelay, 10 ms resolution).', [], (g) => {
    const mean = Number.isFinite(delay.mean) ? delay.mean : 0;
    p99 = delay.count ? delay.percentile(99) : 0;
    max = delay.count ? delay.max : 0;
    delay.reset();
    g.set(mean / 1e9);
  }));
  registry.register(new Gauge('nodejs_eventloop_lag_p99_seconds', '99th percentile of the event-loop delay since the previous scrape, in seconds.', [], (g) => g.set(p99 / 1e9)));
  registry.register(new Gauge('nodejs_eventloop_lag_max_seconds', 'Largest event-loop delay since the previous scrape, in seconds.', [], (g) => g.set(max / 1e9)));
}
