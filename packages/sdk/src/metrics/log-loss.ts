import { UndefinedMetricError } from './errors.ts';
import { CompensatedSum } from './sum.ts';

/** float64 machine epsilon, `np.finfo(np.float64).eps` = 2^-52. */
export const FLOAT64_EPS = 2 ** -52;

/**
 * Log loss (cross-entropy) of class probabilities, as `sklearn.metrics.log_loss(y_true, y_prob,
 * labels=[0, …, K-1])` defines it in scikit-learn 1.2–1.4 (the version the fixtures were made with),
 * on float64 values:
 *
 *   q_ij = clip(p_ij, eps, 1 − eps),  eps = float64 machine epsilon (2^-52)
 *   log_loss = −(1/n) Σ_i ln( q_{i,y_i} / Σ_j q_ij )            (each clipped row renormalised)
 *
 * Why not 1.9's variant: scikit-learn ≥ 1.5 stopped renormalising and raises when any probability
 * exceeds 1 — and float32 tree-ensemble outputs routinely hold 1.0000001 (iris_rf.onnx does), which
 * would make the metric uncomputable for ordinary models. On rows that sum to 1 the two definitions
 * agree; the reference test applies this clip-and-renormalise step and then calls scikit-learn 1.9's
 * log_loss. Probabilities below −1e-6 or above 1 + 1e-6 (not float rounding) are refused, as are true
 * labels outside the K columns. `trueClass[i]` is the column of row i's true class; `prob` is
 * row-major [n, k].
 */
export function logLoss(trueClass: ArrayLike<number>, prob: Float64Array, k: number): number {
  const n = trueClass.length;
  if (n === 0) throw new RangeError('log_loss: no samples.');
  if (prob.length !== n * k) throw new RangeError(`log_loss: y_prob has ${prob.length} values, expected ${n} rows × ${k} columns.`);
  const sum = new CompensatedSum();
  const hi = 1 - FLOAT64_EPS;
  for (let i = 0; i < n; i++) {
    const c = trueClass[i]!;
    if (!(c >= 0 && c < k)) throw new UndefinedMetricError('log_loss', `y_true has a label outside the ${k} probability columns (row ${i}).`);
    let rowSum = 0;
    let mine = 0;
    for (let j = 0; j < k; j++) {
      const p = prob[i * k + j]!;
      if (!(p >= -1e-6 && p <= 1 + 1e-6)) throw new UndefinedMetricError('log_loss', `probabilities must lie in [0, 1]; row ${i} has ${p}.`);
      const q = p < FLOAT64_EPS ? FLOAT64_EPS : p > hi ? hi : p;
      rowSum += q;
      if (j === c) mine = q;
    }
    sum.add(Math.log(mine / rowSum));
  }
  return -sum.value / n;
}
