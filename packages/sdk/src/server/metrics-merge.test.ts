import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Counter, exposeSnapshots, Gauge, Histogram, MetricsRegistry } from './metrics.ts';
import { mergeMetricSnapshots, monotonicPart } from './metrics-merge.ts';

function worker(requests: number, inFlight: number, rss: number, lag: number, latencies: number[]): MetricsRegistry {
  const r = new MetricsRegistry();
  r.register(new Counter('mlship_http_requests_total', 'Requests.', ['code'])).inc({ code: '200' }, requests);
  r.register(new Gauge('mlship_http_requests_in_flight', 'In flight.')).set(inFlight);
  r.register(new Gauge('process_resident_memory_bytes', 'RSS.')).set(rss);
  r.register(new Gauge('nodejs_eventloop_lag_seconds', 'Lag.')).set(lag);
  const h = r.register(new Histogram('mlship_http_request_duration_seconds', 'Latency.', [0.001, 0.01]));
  for (const v of latencies) h.observe(v);
  return r;
}

describe('merging the workers\' metrics', () => {
  it('sums counters, histograms and the summed gauges; takes the max of the others', () => {
    const a = worker(3, 1, 100, 0.002, [0.0005, 0.005]);
    const b = worker(4, 2, 50, 0.007, [0.02]);
    b.register(new Counter('mlship_second_worker_only_total', 'A series only one worker has.')).inc(undefined, 5);
    const merged = mergeMetricSnapshots([a.read(), b.read()]);
    const byName = Object.fromEntries(merged.map((m) => [m.name, m]));
    expect(byName.mlship_http_requests_total!.samples).toEqual([{ labels: ['200'], value: 7 }]);
    expect(byName.mlship_http_requests_in_flight!.samples[0]!.value).toBe(3);
    expect(byName.process_resident_memory_bytes!.samples[0]!.value).toBe(150);
    expect(byName.nodejs_eventloop_lag_seconds!.samples[0]!.value).toBe(0.007);
    expect(byName.mlship_http_request_duration_seconds!.samples[0]).toMatchObject({ counts: [1, 1, 1], count: 3 });
    expect(byName.mlship_http_request_duration_seconds!.samples[0]!.sum).toBeCloseTo(0.0255, 12);
    expect(byName.mlship_second_worker_only_total!.samples[0]!.value).toBe(5);
    // The inputs are left as they were (the primary keeps each worker's last snapshot).
    expect(a.read()[0]!.samples[0]!.value).toBe(3);
    // Valid exposition: Prometheus' own checker (Debian's prometheus package) accepts the merged text.
    const text = exposeSnapshots(merged);
    expect(text).toContain('mlship_http_request_duration_seconds_bucket{le="+Inf"} 3\n');
    execFileSync('promtool', ['check', 'metrics'], { input: text });
  });

  it('keeps a stopped worker\'s counters and histograms, not its gauges', () => {
    const kept = monotonicPart(worker(3, 1, 100, 0.002, [0.0005]).read());
    expect(kept.map((m) => m.name)).toEqual(['mlship_http_requests_total', 'mlship_http_request_duration_seconds']);
    const merged = mergeMetricSnapshots([worker(1, 0, 10, 0, []).read(), kept]);
    expect(merged.find((m) => m.name === 'mlship_http_requests_total')!.samples[0]!.value).toBe(4);
  });
});
