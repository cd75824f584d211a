import { jensenShannonDistance } from '../drift/stats.ts';
import { histogramQuantile, type Sample } from '../monitoring/exposition.ts';
import { PREDICTIONS_METRIC } from '../server/prediction-metric-names.ts';

/**
 * The analysis of a canary step: the canary pods' own /metrics against the stable pods', over the
 * same window of live traffic (the difference of two scrapes, summed over each group's pods).
 */
export interface TrafficSnapshot {
  /** Inference requests (/predict and OIP infer) and those answered 5xx. */
  requests: number;
  errors: number;
  /** Cumulative latency buckets of the inference routes (le → count). */
  latency: Map<number, number>;
  /** Predicted rows per class label. */
  classes: Map<string, number>;
}

const INFER_ROUTE = /^\/predict$|^\/v2\/models\/.+\/infer$/;

/** Sums one group's scrapes (one per pod) into a snapshot. */
export function snapshotOf(scrapes: Sample[][]): TrafficSnapshot {
  const s: TrafficSnapshot = { requests: 0, errors: 0, latency: new Map(), classes: new Map() };
  for (const samples of scrapes) {
    for (const x of samples) {
      if (x.name === 'mlship_http_requests_total' && INFER_ROUTE.test(x.labels.route ?? '')) {
        s.requests += x.value;
        if (/^5/.test(x.labels.code ?? '')) s.errors += x.value;
      } else if (x.name === 'mlship_http_request_duration_seconds_bucket' && INFER_ROUTE.test(x.labels.route ?? '')) {
        const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
        s.latency.set(le, (s.latency.get(le) ?? 0) + x.value);
      } else if (x.name === PREDICTIONS_METRIC) {
        const c = x.labels.class ?? '';
        s.classes.set(c, (s.classes.get(c) ?? 0) + x.value);
      }
    }
  }
  return s;
}

/** What happened between two snapshots of the same pods (counters only grow; a restarted pod restarts at 0, so a negative difference counts as the later value). */
export function snapshotDelta(after: TrafficSnapshot, before: TrafficSnapshot): TrafficSnapshot {
  const d = (a: number, b: number) => (a >= b ? a - b : a);
  const map = (a: Map<number | string, number>, b: Map<number | string, number>) => new Map([...a].map(([k, v]) => [k, d(v, b.get(k) ?? 0)]));
  return {
    requests: d(after.requests, before.requests), errors: d(after.errors, before.errors),
    latency: map(after.latency, before.latency) as Map<number, number>, classes: map(after.classes, before.classes) as Map<string, number>,
  };
}

export interface CanaryThresholds {
  /** The canary's 5xx share may exceed the stable's by at most this (default 0.01). */
  maxErrorRateIncrease: number;
  /** The canary's p99 may be at most this factor of the stable's, plus 10 ms (default 1.5). */
  maxP99Ratio: number;
  /** Jensen-Shannon distance between the canary's and the stable's predicted-class distributions (drift-check's jensenshannon statistic; default 0.1, its default threshold). */
  maxPredictionDistance: number;
  /** Fewer canary inference requests in the window than this: inconclusive (default 20). */
  minRequests: number;
}

export const DEFAULT_CANARY_THRESHOLDS: CanaryThresholds = { maxErrorRateIncrease: 0.01, maxP99Ratio: 1.5, maxPredictionDistance: 0.1, minRequests: 20 };

export interface CanaryCheck {
  name: 'error-rate' | 'p99-latency' | 'prediction-distance' | 'traffic';
  stable: number;
  canary: number;
  limit: number;
  passed: boolean;
  message: string;
}

export interface StepAnalysis {
  verdict: 'pass' | 'fail' | 'inconclusive';
  checks: CanaryCheck[];
}

const rate = (s: TrafficSnapshot) => (s.requests > 0 ? s.errors / s.requests : 0);
const p99 = (s: TrafficSnapshot) => histogramQuantile(0.99, [...s.latency].map(([le, count]) => ({ le, count })));

/** The class distributions of two snapshots over the union of their labels, as proportions. */
export function classDistributions(a: TrafficSnapshot, b: TrafficSnapshot): { labels: string[]; p: number[]; q: number[] } {
  const labels = [...new Set([...a.classes.keys(), ...b.classes.keys()])].sort();
  const norm = (m: Map<string, number>) => {
    const total = labels.reduce((s, l) => s + (m.get(l) ?? 0), 0);
    return labels.map((l) => (total > 0 ? (m.get(l) ?? 0) / total : 0));
  };
  return { labels, p: norm(a.classes), q: norm(b.classes) };
}

/** Compares the canary's window with the stable's (definitions in CanaryThresholds). */
export function analyseStep(stable: TrafficSnapshot, canary: TrafficSnapshot, t: CanaryThresholds = DEFAULT_CANARY_THRESHOLDS): StepAnalysis {
  const checks: CanaryCheck[] = [];
  const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));
  const traffic = canary.requests >= t.minRequests;
  checks.push({ name: 'traffic', stable: stable.requests, canary: canary.requests, limit: t.minRequests, passed: traffic, message: `canary answered ${canary.requests} inference requests in the window (stable ${stable.requests}; at least ${t.minRequests} needed)` });
  if (!traffic) return { verdict: 'inconclusive', checks };
  const er = { stable: rate(stable), canary: rate(canary) };
  const erLimit = er.stable + t.maxErrorRateIncrease;
  checks.push({ name: 'error-rate', ...er, limit: erLimit, passed: er.canary <= erLimit, message: `5xx share: canary ${fmt(er.canary)} vs stable ${fmt(er.stable)} (limit ${fmt(erLimit)})` });
  const lat = { stable: p99(stable), canary: p99(canary) };
  const latLimit = (Number.isFinite(lat.stable) ? lat.stable : 0) * t.maxP99Ratio + 0.01;
  checks.push({ name: 'p99-latency', ...lat, limit: latLimit, passed: !(lat.canary > latLimit), message: `p99 latency: canary ${fmt(lat.canary)} s vs stable ${fmt(lat.stable)} s (limit ${fmt(latLimit)} s)` });
  if (stable.classes.size || canary.classes.size) {
    const { p, q } = classDistributions(stable, canary);
    const both = p.some((x) => x > 0) && q.some((x) => x > 0);
    const dist = both ? jensenShannonDistance(p, q) : NaN;
    checks.push({ name: 'prediction-distance', stable: 0, canary: dist, limit: t.maxPredictionDistance, passed: both && dist < t.maxPredictionDistance, message: `Jensen-Shannon distance of the predicted classes, canary vs stable: ${fmt(dist)} (limit ${t.maxPredictionDistance})` });
  }
  return { verdict: checks.every((c) => c.passed) ? 'pass' : 'fail', checks };
}
