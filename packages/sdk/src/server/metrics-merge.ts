import type { MetricSnapshot, SampleSnapshot } from './metrics.ts';

/** How one gauge's values from several worker processes become the server's value. */
export type GaugeMerge = 'sum' | 'max' | 'min';

/**
 * The gauges `mlship serve --workers N` adds up across its processes; every other gauge takes the
 * largest worker's value (`max`), except `min` ones. Counters and histograms are always summed (the
 * server's totals); docs/serve.md lists the rules.
 *  - sum: requests in flight, inference-log bytes waiting, and memory (each process's resident set and
 *    V8 heaps; shared pages are counted once per process, as `ps` does);
 *  - min: the start time (the primary's: when the server started) and readiness (0 while any worker is
 *    not ready; the primary also zeroes it while a worker is missing);
 *  - max: load and cold-start times (the slowest worker), event-loop delays (the worst worker), and
 *    the reference gauges every worker sets alike.
 */
export const GAUGE_MERGE: Readonly<Record<string, GaugeMerge>> = {
  mlship_http_requests_in_flight: 'sum',
  mlship_inference_log_buffered_bytes: 'sum',
  process_resident_memory_bytes: 'sum',
  nodejs_heap_size_used_bytes: 'sum',
  nodejs_heap_size_total_bytes: 'sum',
  nodejs_external_memory_bytes: 'sum',
  process_start_time_seconds: 'min',
  mlship_model_ready: 'min',
};

/** The rule for a gauge (GAUGE_MERGE, else max). */
export function gaugeMerge(name: string): GaugeMerge {
  return GAUGE_MERGE[name] ?? 'max';
}

/**
 * Merges the registries of several processes into one: families by name in first-seen order, samples
 * by label values; counters and histogram buckets, sums and counts added, gauges by `rule`. A
 * histogram whose bounds differ from the first process's is left out of the sum (never the case for
 * one model: every worker registers the same buckets).
 */
export function mergeMetricSnapshots(sets: readonly (readonly MetricSnapshot[])[], rule: (name: string) => GaugeMerge = gaugeMerge): MetricSnapshot[] {
  const families = new Map<string, { metric: MetricSnapshot; samples: Map<string, SampleSnapshot> }>();
  for (const set of sets) {
    for (const m of set) {
      let f = families.get(m.name);
      if (!f) {
        f = { metric: { ...m, samples: [] }, samples: new Map() };
        families.set(m.name, f);
      } else if (f.metric.type !== m.type || (m.type === 'histogram' && !sameBuckets(f.metric.buckets, m.buckets))) continue;
      for (const s of m.samples) {
        const key = s.labels.join('\u0000');
        const seen = f.samples.get(key);
        if (!seen) { f.samples.set(key, { ...s, labels: [...s.labels], ...(s.counts ? { counts: [...s.counts] } : {}) }); continue; }
        if (m.type === 'histogram') {
          s.counts!.forEach((c, i) => { seen.counts![i]! += c; });
          seen.sum! += s.sum!;
          seen.count! += s.count!;
        } else if (m.type === 'counter') seen.value! += s.value!;
        else {
          const how = rule(m.name);
          seen.value = how === 'sum' ? seen.value! + s.value! : how === 'min' ? Math.min(seen.value!, s.value!) : Math.max(seen.value!, s.value!);
        }
      }
    }
  }
  return [...families.values()].map((f) => ({ ...f.metric, samples: [...f.samples.values()] }));
}

function sameBuckets(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return a?.length === b?.length && (a ?? []).every((v, i) => v === b![i]);
}

/**
 * Counters and histograms only: what a worker that stopped had counted, kept by the primary and
 * merged into every later scrape so the server's totals never go down when a worker is replaced.
 */
export function monotonicPart(set: readonly MetricSnapshot[]): MetricSnapshot[] {
  return set.filter((m) => m.type !== 'gauge');
}
