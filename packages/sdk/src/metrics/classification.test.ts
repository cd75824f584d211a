import { describe, expect, it } from 'vitest';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { seededRandom } from '../evaluate/bootstrap.ts';
import {
  accuracyFromCounts, balancedAccuracyFromCounts, binaryScores, confusionMatrix, confusionRows, macroAverage,
  microAverage, perClassFromCounts, weightedAverage,
} from './classification.ts';
import { UndefinedMetricError } from './errors.ts';

// Expected values: scikit-learn 1.9 (python/ref_metrics.py arrays, "classification") on the same
// seeded arrays; compared with toBe — the counting metrics are bit-identical to sklearn's.

function scores(yTrue: number[], yPred: number[]) {
  const cm = confusionMatrix(yTrue, yPred);
  const k = cm.labels.length;
  const pc = perClassFromCounts(cm.counts, cm.labels);
  const out: Record<string, number> = {
    accuracy: accuracyFromCounts(cm.counts, k),
    balanced_accuracy: balancedAccuracyFromCounts(cm.counts, k),
  };
  if (k <= 2) {
    const b = binaryScores(pc, 1);
    Object.assign(out, { precision: b.precision, recall: b.recall, f1: b.f1 });
  }
  for (const [avg, s] of [['macro', macroAverage(pc)], ['micro', microAverage(cm.counts, k)], ['weighted', weightedAverage(pc)]] as const) {
    Object.assign(out, { [`precision_${avg}`]: s.precision, [`recall_${avg}`]: s.recall, [`f1_${avg}`]: s.f1 });
  }
  return out;
}

describe('counting metrics vs scikit-learn', () => {
  it('are bit-identical on random labels, including predicted-only classes and empty classes', () => {
    const r = seededRandom(21);
    const cases: Array<{ y: number[]; p: number[] }> = [];
    for (const [n, k, noise] of [[100, 2, 0.3], [1000, 3, 0.2], [500, 10, 0.5], [40, 7, 0.9], [20, 2, 1]] as const) {
      const y = Array.from({ length: n }, () => Math.floor(r() * k));
      // Noisy predictions, sometimes a label never seen in y_true (k), exercising zero_division.
      const p = y.map((t) => (r() < noise ? Math.floor(r() * (k + 1)) : t));
      cases.push({ y, p });
    }
    cases.push({ y: [0, 0, 0, 0], p: [0, 0, 0, 0] }); // one class: binary scores of label 1 are 0
    cases.push({ y: [1, 1, 0, 0], p: [0, 0, 0, 0] }); // nothing predicted positive: precision 0
    const ref = runPythonJson<{ values: Array<Record<string, number>> }>('ref_metrics.py', ['arrays'],
      JSON.stringify(cases.map((c) => ({ metric: 'classification', y_true: c.y, y_pred: c.p }))));
    cases.forEach((c, i) => {
      expect(scores(c.y, c.p)).toEqual(ref.values[i]);
    });
  });

  it('builds the confusion matrix with rows = true, columns = predicted, labels ascending (sklearn docstring example)', () => {
    // sklearn.metrics.confusion_matrix docstring: y_true=[2,0,2,2,0,1], y_pred=[0,0,2,2,0,2] → [[2,0,0],[0,0,1],[1,0,2]]
    const cm = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
    expect(cm.labels).toEqual([0, 1, 2]);
    expect(confusionRows(cm)).toEqual([[2, 0, 0], [0, 0, 1], [1, 0, 2]]);
  });

  it('refuses binary scores when neither label is 1 (sklearn raises for pos_label=1)', () => {
    const cm = confusionMatrix([0, 2, 2], [0, 2, 0]);
    expect(() => binaryScores(perClassFromCounts(cm.counts, cm.labels), 1)).toThrow(UndefinedMetricError);
  });
});
