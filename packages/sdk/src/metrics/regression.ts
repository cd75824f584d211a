import { checkSameLength, UndefinedMetricError } from './errors.ts';
import { CompensatedSum } from './sum.ts';
import { FLOAT64_EPS } from './log-loss.ts';

/**
 * Regression metrics, defined exactly as scikit-learn 1.x (`sklearn.metrics`, single output, no
 * sample weights, force_finite=True), on float64 values. e_i = y_i − ŷ_i.
 */

function checkFinite(metric: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  checkSameLength(metric, yTrue, yPred);
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i]!) || !Number.isFinite(yPred[i]!)) {
      throw new RangeError(`${metric}: row ${i} has y_true ${yTrue[i]} and y_pred ${yPred[i]}; both must be finite.`);
    }
  }
}

function sum(values: (i: number) => number, n: number): number {
  const s = new CompensatedSum();
  for (let i = 0; i < n; i++) s.add(values(i));
  return s.value;
}

function mean(values: (i: number) => number, n: number): number {
  return sum(values, n) / n;
}

/** Mean squared error, `mean_squared_error`: (1/n) Σ e_i². */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('mse', yTrue, yPred);
  return mean((i) => (yTrue[i]! - yPred[i]!) ** 2, yTrue.length);
}

/** Root mean squared error, `root_mean_squared_error`: √mse. */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Mean absolute error, `mean_absolute_error`: (1/n) Σ |e_i|. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('mae', yTrue, yPred);
  return mean((i) => Math.abs(yTrue[i]! - yPred[i]!), yTrue.length);
}

/**
 * Coefficient of determination, `r2_score`: 1 − Σ e_i² / Σ (y_i − ȳ)². With force_finite=True a
 * constant y_true gives 1 when every prediction is exact and 0 otherwise. Undefined (sklearn: a
 * warning and nan) with fewer than two samples.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('r2', yTrue, yPred);
  const n = yTrue.length;
  if (n < 2) throw new UndefinedMetricError('r2', 'R² is not well-defined with fewer than two samples.');
  const ybar = mean((i) => yTrue[i]!, n);
  const ssRes = sum((i) => (yTrue[i]! - yPred[i]!) ** 2, n);
  const ssTot = sum((i) => (yTrue[i]! - ybar) ** 2, n);
  return fractionOfExplained(ssRes, ssTot);
}

/**
 * Explained variance, `explained_variance_score`: 1 − Var(e) / Var(y), population variances
 * (Var(x) = (1/n) Σ (x_i − x̄)²), with the same force_finite rule as r2.
 */
export function explainedVariance(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('explained_variance', yTrue, yPred);
  const n = yTrue.length;
  const ebar = mean((i) => yTrue[i]! - yPred[i]!, n);
  const ybar = mean((i) => yTrue[i]!, n);
  const num = mean((i) => (yTrue[i]! - yPred[i]! - ebar) ** 2, n);
  const den = mean((i) => (yTrue[i]! - ybar) ** 2, n);
  return fractionOfExplained(num, den);
}

function fractionOfExplained(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? 1 : 0;
  return 1 - numerator / denominator;
}

/** Maximum residual error, `max_error`: max_i |e_i|. */
export function maxError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('max_error', yTrue, yPred);
  let m = 0;
  for (let i = 0; i < yTrue.length; i++) m = Math.max(m, Math.abs(yTrue[i]! - yPred[i]!));
  return m;
}

/**
 * Mean absolute percentage error, `mean_absolute_percentage_error`, a fraction (not ×100):
 * (1/n) Σ |e_i| / max(|y_i|, eps), eps = float64 machine epsilon — so a zero target gives a huge, not
 * an infinite, term, as in scikit-learn.
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkFinite('mape', yTrue, yPred);
  return mean((i) => Math.abs(yPred[i]! - yTrue[i]!) / Math.max(Math.abs(yTrue[i]!), FLOAT64_EPS), yTrue.length);
}
