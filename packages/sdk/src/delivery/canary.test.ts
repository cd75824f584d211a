import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../monitoring/exposition.ts';
import { autoscaledCanaryReplicas, canaryDeployment, parseCanarySteps, replicaSplit, TRACK_LABEL } from './canary.ts';

describe('canary pieces', () => {
  it('steps: ascending percentages ending with 100', () => {
    expect(parseCanarySteps(undefined)).toEqual([10, 50, 100]);
    expect(parseCanarySteps('25, 100')).toEqual([25, 100]);
    for (const bad of ['50,10,100', '10,50', '0,100', '10,150', 'ten,100']) expect(() => parseCanarySteps(bad)).toThrow(/must be ascending whole percentages ending with 100/);
  });

  it('replica split keeps the total and at least one pod of each until 100%', () => {
    expect(replicaSplit(2, 10)).toEqual({ canary: 1, stable: 1 });
    expect(replicaSplit(4, 50)).toEqual({ canary: 2, stable: 2 });
    expect(replicaSplit(10, 10)).toEqual({ canary: 1, stable: 9 });
    expect(replicaSplit(4, 90)).toEqual({ canary: 3, stable: 1 });
  });

  it('autoscaled: the canary is the step\'s share beside the stable\'s current pods (stable untouched), 1 to maxReplicas', () => {
    // canary / (canary + stable) ≈ weight: 2 stable at 10% → round(2·10/90) = 0 → at least 1 (1/3 of the pods).
    expect(autoscaledCanaryReplicas(2, 10, 6)).toEqual({ canary: 1, stable: 2 });
    expect(autoscaledCanaryReplicas(9, 10, 6)).toEqual({ canary: 1, stable: 9 });
    expect(autoscaledCanaryReplicas(4, 50, 6)).toEqual({ canary: 4, stable: 4 });
    expect(autoscaledCanaryReplicas(3, 75, 6)).toEqual({ canary: 6, stable: 3 }); // round(3·75/25) = 9, capped at 6
  });

  it('the canary Deployment carries the track label in its selector and pods, under its own name', () => {
    const d = { metadata: { name: 'iris', labels: { a: '1' } }, spec: { replicas: 2, selector: { matchLabels: { a: '1' } }, template: { metadata: { labels: { a: '1' } } } } };
    const c = canaryDeployment(d, 1) as typeof d;
    expect(c.metadata.name).toBe('iris-canary');
    expect(c.spec.replicas).toBe(1);
    expect(c.spec.selector.matchLabels).toEqual({ a: '1', [TRACK_LABEL]: 'canary' });
    expect(c.spec.template.metadata.labels).toEqual({ a: '1', [TRACK_LABEL]: 'canary' });
    expect(d.spec.replicas).toBe(2); // the stable object is not touched
  });

  it('histogramQuantile interpolates as Prometheus (promtool gave 997.5ms for these buckets in test/monitoring/promtool.test.ts)', () => {
    expect(histogramQuantile(0.99, [{ le: 0.75, count: 0 }, { le: 1, count: 600 }, { le: Infinity, count: 600 }])).toBeCloseTo(0.9975, 12);
    expect(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: Infinity, count: 0 }])).toBeNaN();
    expect(histogramQuantile(0.99, [{ le: 1, count: 1 }, { le: Infinity, count: 10 }])).toBe(1); // rank in +Inf: the highest finite bound
  });
});
