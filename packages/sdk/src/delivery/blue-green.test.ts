import { describe, expect, it } from 'vitest';
import { renderDeploymentObjects } from '../k8s/manifests.ts';
import { COLOR_LABEL, colored } from './blue-green.ts';

describe('blue-green objects', () => {
  const rendered = renderDeploymentObjects({ name: 'iris', image: 'r/iris:1', autoscale: { minReplicas: 2, maxReplicas: 5 } }) as Array<Record<string, any>>;
  const of = (kind: string) => rendered.find((o) => o.kind === kind)!;

  it('a color\'s Deployment selects its color; the Service selects it; the rendered objects are not touched', () => {
    const d = colored(of('Deployment'), 'green', 'iris-green') as Record<string, any>;
    expect(d.metadata.name).toBe('iris-green');
    expect(d.spec.selector.matchLabels[COLOR_LABEL]).toBe('green');
    expect(d.spec.template.metadata.labels[COLOR_LABEL]).toBe('green');
    expect((colored(of('Service'), 'green', 'iris-preview') as Record<string, any>).spec.selector[COLOR_LABEL]).toBe('green');
    expect(of('Deployment').spec.selector.matchLabels[COLOR_LABEL]).toBeUndefined();
  });

  it('with autoscale each color gets its own HPA with the same bounds, targeting that color\'s Deployment', () => {
    const h = colored(of('HorizontalPodAutoscaler'), 'blue', 'iris-blue') as Record<string, any>;
    expect(h.metadata).toMatchObject({ name: 'iris-blue', labels: { [COLOR_LABEL]: 'blue' } });
    expect(h.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris-blue' } });
    expect(h.spec.selector).toBeUndefined();
    expect(of('HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('iris');
  });
});
