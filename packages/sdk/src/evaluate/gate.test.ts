import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { checkRulesFitTask, evaluateGate, parseMinImprovement, parseThresholds } from './gate.ts';
import { gateFailure, type EvaluationReport } from './evaluate.ts';

describe('parseThresholds', () => {
  it('reads comma- and newline-separated rules with every operator', () => {
    expect(parseThresholds('accuracy>=0.95, f1_macro >= .9\nrmse<=60; log_loss<1e-1,r2>0')).toEqual([
      { metric: 'accuracy', op: '>=', bound: 0.95, text: 'accuracy>=0.95' },
      { metric: 'f1_macro', op: '>=', bound: 0.9, text: 'f1_macro >= .9' },
      { metric: 'rmse', op: '<=', bound: 60, text: 'rmse<=60' },
      { metric: 'log_loss', op: '<', bound: 0.1, text: 'log_loss<1e-1' },
      { metric: 'r2', op: '>', bound: 0, text: 'r2>0' },
    ]);
    expect(parseThresholds(undefined)).toEqual([]);
    expect(parseThresholds('  ')).toEqual([]);
  });

  it('names the bad rule and suggests the metric', () => {
    expect(() => parseThresholds('accuracy>=0.9, f1macro>=0.8')).toThrow(/unknown metric "f1macro" \(did you mean "f1_macro"\?\)/);
    expect(() => parseThresholds('accuracy=0.9')).toThrow(InputError);
    expect(() => parseThresholds('accuracy>=high')).toThrow(/cannot read "accuracy>=high"/);
  });

  it('refuses bounds outside the metric\'s range (metrics/registry.ts METRIC_RANGES) before any run', () => {
    expect(() => parseThresholds('accuracy>=1e9')).toThrow('--threshold "accuracy>=1e9": accuracy is from 0 to 1, so this rule fails every model.');
    expect(() => parseThresholds('f1_macro>=95')).toThrow('f1_macro is from 0 to 1, so this rule fails every model. Write shares, not percentages: f1_macro>=0.95 for 95%.');
    expect(() => parseThresholds('roc_auc>1')).toThrow(/fails every model/);
    expect(() => parseThresholds('rmse<=-1')).toThrow('--threshold "rmse<=-1": rmse is ≥ 0, so this rule fails every model.');
    expect(() => parseThresholds('log_loss<0')).toThrow(/fails every model/);
    expect(() => parseThresholds('accuracy<=5')).toThrow(/passes every model/);
    expect(() => parseThresholds('r2>=2')).toThrow('r2 is ≤ 1, so this rule fails every model.');
    // The ends themselves are reachable: accuracy 1, r2 1, rmse 0; a negative r2 is a real value.
    expect(parseThresholds('accuracy>=1, r2<=1, rmse<=0, r2>=-5, accuracy>=0').map((r) => r.bound)).toEqual([1, 1, 0, -5, 0]);
  });

  it('refuses an absolute change larger than the metric\'s range', () => {
    expect(() => parseMinImprovement('accuracy:+2')).toThrow('--min-improvement "accuracy:+2": accuracy is from 0 to 1, so it cannot change by 2. For 2 points write accuracy:+0.02, for a relative change accuracy:+2%.');
    expect(parseMinImprovement('accuracy:+2%, rmse:-50, accuracy:-1').map((r) => r.change)).toEqual([2, -50, -1]);
  });
});

describe('parseMinImprovement', () => {
  it('reads signed absolute and relative changes', () => {
    expect(parseMinImprovement('accuracy:+0.01, rmse:-2%, log_loss:+0.005, f1_macro:0')).toEqual([
      { metric: 'accuracy', change: 0.01, relative: false, text: 'accuracy:+0.01' },
      { metric: 'rmse', change: -2, relative: true, text: 'rmse:-2%' },
      { metric: 'log_loss', change: 0.005, relative: false, text: 'log_loss:+0.005' },
      { metric: 'f1_macro', change: 0, relative: false, text: 'f1_macro:0' },
    ]);
  });

  it('requires a sign on a non-zero change', () => {
    expect(() => parseMinImprovement('accuracy:0.01')).toThrow(/give the change a sign/);
    expect(() => parseMinImprovement('accuracy>+0.01')).toThrow(/cannot read/);
  });
});

describe('checkRulesFitTask', () => {
  it('rejects a metric the task does not report', () => {
    expect(() => checkRulesFitTask('multiclass', parseThresholds('roc_auc>=0.9'), [])).toThrow(/roc_auc is not a multiclass metric/);
    expect(() => checkRulesFitTask('regression', [], parseMinImprovement('accuracy:+0.01'))).toThrow(/--min-improvement "accuracy:\+0.01"/);
    expect(() => checkRulesFitTask('binary', parseThresholds('roc_auc>=0.9, f1>=0.5'), [])).not.toThrow();
  });
});

describe('evaluateGate', () => {
  const values = { accuracy: 0.9, rmse: 50, log_loss: 0.3 };

  it('checks thresholds and names metric, value and bound', () => {
    const g = evaluateGate({ values, notComputed: {}, thresholds: parseThresholds('accuracy>=0.95, rmse<=60, accuracy>0.9'), improvements: [] });
    expect(g.passed).toBe(false);
    expect(g.checks.map((c) => c.passed)).toEqual([false, true, false]);
    expect(g.failures).toEqual(['accuracy = 0.9 fails accuracy >= 0.95', 'accuracy = 0.9 fails accuracy > 0.9']);
  });

  it('prints a value and its bound with the digits that tell them apart', () => {
    const g = evaluateGate({ values: { roc_auc: 0.8879598123 }, notComputed: {}, thresholds: parseThresholds('roc_auc>0.88796'), improvements: [] });
    expect(g.failures).toEqual(['roc_auc = 0.8879598 fails roc_auc > 0.88796']);
  });

  it('turns an improvement rule into a floor (higher is better) or a ceiling (lower is better)', () => {
    const baseline = { accuracy: 0.88, rmse: 52, log_loss: 0.29 };
    const g = evaluateGate({ values, notComputed: {}, thresholds: [], baseline, improvements: parseMinImprovement('accuracy:+0.02, rmse:-4%, log_loss:+0.005') });
    expect(g.checks.map((c) => [c.metric, c.op, c.bound, c.passed])).toEqual([
      ['accuracy', '>=', 0.88 + 0.02, true], // 0.9 ≥ 0.9
      ['rmse', '<=', 52 - 0.04 * 52, false], // 50 > 49.92
      ['log_loss', '<=', 0.29 + 0.005, false], // 0.3 > 0.295
    ]);
  });

  it('fails a check whose metric could not be computed, with the reason', () => {
    const g = evaluateGate({ values, notComputed: { roc_auc: 'not computed: no probabilities' }, thresholds: parseThresholds('roc_auc>=0.9'), improvements: [] });
    expect(g.passed).toBe(false);
    expect(g.failures[0]).toMatch(/roc_auc could not be computed.*no probabilities/);
  });

  it('the gate error ends in one period when the reason is a sentence (was "…not defined..")', () => {
    const reason = 'roc_auc is not defined here: only one class is present in y_true, so ROC AUC is not defined.';
    const g = evaluateGate({ values, notComputed: { roc_auc: reason }, thresholds: parseThresholds('roc_auc>=0.9'), improvements: parseMinImprovement('roc_auc:0'), baseline: { roc_auc: 0.9 } });
    const err = gateFailure({ gate: g, model: { path: 'm.onnx' } } as EvaluationReport)!;
    expect(err.message).toBe('Evaluation gate failed for m.onnx: roc_auc could not be computed, so "roc_auc>=0.9" cannot pass: roc_auc is not defined here: only one class is present in y_true, so ROC AUC is not defined; '
      + '"roc_auc:0" cannot be checked: this model\'s roc_auc could not be computed (roc_auc is not defined here: only one class is present in y_true, so ROC AUC is not defined).');
  });

  it('with require-significant, passes only when the difference interval is on the better side of 0', () => {
    const sig = (low: number, high: number, metric = 'accuracy') => evaluateGate({ values, notComputed: {}, thresholds: [], improvements: [], significance: { metric, low, high, level: 0.95, required: true } }).passed;
    expect(sig(0.01, 0.05)).toBe(true);
    expect(sig(-0.01, 0.05)).toBe(false);
    expect(sig(-3, -1, 'rmse')).toBe(true);
    expect(sig(-3, 1, 'rmse')).toBe(false);
  });
});
