/**
 * The stattest table and Evidently's default-selection rules, as data.
 *
 * Records mirror Evidently 0.7's registry (evidently/legacy/calculations/stattests/*.py: name,
 * display_name, allowed_feature_types, default_threshold) and add the direction of the comparison each
 * stattest function applies: ks `p_value <= threshold` (ks_stattest.py), chisquare and z
 * `p_value < threshold` (chisquare_stattest.py, z_stattest.py), wasserstein, psi and jensenshannon
 * `score >= threshold` (wasserstein_distance_norm.py, psi.py, jensenshannon.py).
 */
import type { NumberRule } from '../util/number-option.ts';

export type ColumnKind = 'numerical' | 'categorical';
export type StattestName = 'ks' | 'wasserstein' | 'psi' | 'jensenshannon' | 'chisquare' | 'z';

export interface Stattest {
  name: StattestName;
  displayName: string;
  /** Column kinds Evidently allows the test on (its allowed_feature_types). */
  featureTypes: ColumnKind[];
  defaultThreshold: number;
  /** How the score is compared with the threshold to say "drift". */
  comparison: 'p<=' | 'p<' | 'score>=';
  /** True for distances (higher = more drift), false for p-values (lower = more drift). */
  higherMeansDrift: boolean;
  /**
   * The thresholds that can tell drift from no drift: a p-value's in (0, 1) (0 or 1 would call no or
   * every column drifted); a distance's > 0 and, when the distance is bounded, below its maximum
   * (Jensen–Shannon with the natural log, as scipy's default: at most √ln 2).
   */
  thresholdRange: NumberRule;
}

const P_VALUE: NumberRule = { min: 0, minExclusive: true, max: 1, maxExclusive: true };
const DISTANCE: NumberRule = { min: 0, minExclusive: true };
/** √ln 2, the largest Jensen–Shannon distance with the natural log (scipy.spatial.distance.jensenshannon's default base). */
const JS_MAX = 0.8325546111576977;

export const STATTESTS: readonly Stattest[] = [
  { name: 'ks', displayName: 'K-S p_value', featureTypes: ['numerical'], defaultThreshold: 0.05, comparison: 'p<=', higherMeansDrift: false, thresholdRange: P_VALUE },
  { name: 'wasserstein', displayName: 'Wasserstein distance (normed)', featureTypes: ['numerical'], defaultThreshold: 0.1, comparison: 'score>=', higherMeansDrift: true, thresholdRange: DISTANCE },
  { name: 'psi', displayName: 'PSI', featureTypes: ['categorical', 'numerical'], defaultThreshold: 0.1, comparison: 'score>=', higherMeansDrift: true, thresholdRange: DISTANCE },
  { name: 'jensenshannon', displayName: 'Jensen-Shannon distance', featureTypes: ['categorical', 'numerical'], defaultThreshold: 0.1, comparison: 'score>=', higherMeansDrift: true, thresholdRange: { min: 0, minExclusive: true, max: JS_MAX } },
  // Evidently registers chisquare and z for categorical columns only, yet its default rules pick them
  // for numerical columns with few values too; calling them that way is allowed here as there.
  { name: 'chisquare', displayName: 'chi-square p_value', featureTypes: ['categorical'], defaultThreshold: 0.05, comparison: 'p<', higherMeansDrift: false, thresholdRange: P_VALUE },
  { name: 'z', displayName: 'Z-test p_value', featureTypes: ['categorical'], defaultThreshold: 0.05, comparison: 'p<', higherMeansDrift: false, thresholdRange: P_VALUE },
];

export function stattestByName(name: string): Stattest {
  const t = STATTESTS.find((s) => s.name === name);
  if (!t) throw new RangeError(`unknown stattest "${name}"; available: ${STATTESTS.map((s) => s.name).join(', ')}`);
  return t;
}

/** True when `score` means drift for this test at `threshold`. */
export function isDrift(test: Stattest, score: number, threshold: number): boolean {
  switch (test.comparison) {
    case 'p<=': return score <= threshold;
    case 'p<': return score < threshold;
    case 'score>=': return score >= threshold;
  }
}

/**
 * Evidently's default choice (registry.py `_get_default_stattest`), first matching rule wins.
 * `nUnique` counts distinct non-missing values over reference and current together
 * (pd.concat([ref, cur]).nunique()); `refRows` is the reference size after dropping missing values.
 */
export interface SelectionRule {
  kind: ColumnKind;
  refRows: 'le1000' | 'gt1000';
  /** Inclusive bound on the pooled number of distinct values, or undefined for any. */
  maxUnique?: number;
  stattest: StattestName;
}

export const DEFAULT_SELECTION_RULES: readonly SelectionRule[] = [
  { kind: 'numerical', refRows: 'le1000', maxUnique: 2, stattest: 'z' },
  { kind: 'numerical', refRows: 'le1000', maxUnique: 5, stattest: 'chisquare' },
  { kind: 'numerical', refRows: 'le1000', stattest: 'ks' },
  { kind: 'categorical', refRows: 'le1000', maxUnique: 2, stattest: 'z' },
  { kind: 'categorical', refRows: 'le1000', stattest: 'chisquare' },
  { kind: 'numerical', refRows: 'gt1000', maxUnique: 5, stattest: 'jensenshannon' },
  { kind: 'numerical', refRows: 'gt1000', stattest: 'wasserstein' },
  { kind: 'categorical', refRows: 'gt1000', stattest: 'jensenshannon' },
];

export function defaultStattest(kind: ColumnKind, refRows: number, nUnique: number): Stattest {
  const size = refRows <= 1000 ? 'le1000' : 'gt1000';
  const rule = DEFAULT_SELECTION_RULES.find((r) => r.kind === kind && r.refRows === size && (r.maxUnique === undefined || nUnique <= r.maxUnique));
  return stattestByName(rule!.stattest);
}
