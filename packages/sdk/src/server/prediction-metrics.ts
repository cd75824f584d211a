import type { InputBatch } from '../model/feeds.ts';
import { columnSlots, type ColumnSlot } from '../model/input-map.ts';
import type { OutputTensor } from '../model/onnx-model.ts';
import { isFeatureCategories, isFeatureRange, predictedClasses, type MonitoringProfile } from '../package/monitoring-profile.ts';
import { Counter, Gauge, Histogram, type MetricsRegistry } from './metrics.ts';
import {
  MAX_CLASS_SERIES, OTHER_CLASS, OUT_OF_RANGE_METRIC, PREDICTION_VALUE_METRIC, PREDICTIONS_METRIC, REFERENCE_CLASS_RATIO_METRIC,
  REFERENCE_QUANTILES, REFERENCE_VALUE_QUANTILE_METRIC,
} from './prediction-metric-names.ts';
import type { ServedModel } from './served-model.ts';

type Inc = { inc(by?: number): void };

/**
 * What the model predicts and what it is asked about, as Prometheus metrics (names in
 * prediction-metric-names.ts, docs/monitoring.md):
 *  - classifiers: a counter per predicted class label (at most MAX_CLASS_SERIES labels, the rest under
 *    `__other__`), and the reference share of each class from the package's monitoring profile;
 *  - single-output regressors with a profile: a histogram of the predicted values whose buckets are
 *    the reference predictions' deciles, and the reference quantiles 0.1 / 0.5 / 0.9;
 *  - with a profile: a counter per feature and direction of values below the training minimum or
 *    above the training maximum of a numeric column (`below`, `above`), and of values a string column
 *    never took in training (`unseen`) — so 2 series per numeric feature and 1 per categorical one;
 *    the labels name the feature, never the value. Free-text string columns (more distinct values
 *    than the profile keeps) and missing values (NaN) are not counted.
 * Every series is created at start (at 0), so rates and ratios exist before the first prediction.
 */
export class PredictionMetrics {
  private readonly model: ServedModel;
  private readonly classes?: Map<string, Inc>;
  private readonly otherClass?: Inc;
  private readonly newClass?: (label: string) => Inc;
  private readonly values?: { observe(v: number): void };
  private readonly ranges: Array<{ slot: ColumnSlot; min: number; max: number; below: Inc; above: Inc }> = [];
  private readonly categories: Array<{ slot: ColumnSlot; known: ReadonlySet<string>; unseen: Inc }> = [];

  constructor(registry: MetricsRegistry, model: ServedModel, profile?: MonitoringProfile) {
    this.model = model;
    const base = { model: model.name, version: model.version };
    if (model.task === 'classification') {
      const counter = registry.register(new Counter(PREDICTIONS_METRIC, 'Predicted rows by class label.', ['model', 'version', 'class']));
      const known = [...(model.classLabels ?? []), ...(profile?.classShares ?? []).map((c) => c.label)].map(String);
      this.classes = new Map();
      for (const label of known) {
        if (this.classes.size >= MAX_CLASS_SERIES) break;
        if (!this.classes.has(label)) this.classes.set(label, counter.labels({ ...base, class: label }));
      }
      // Labels the manifest does not list (a bare .onnx): their own series while there is room.
      this.otherClass = { inc: (by = 1) => counter.inc({ ...base, class: OTHER_CLASS }, by) };
      this.newClass = (label) => counter.labels({ ...base, class: label });
      if (profile?.classShares) {
        const ratio = registry.register(new Gauge(REFERENCE_CLASS_RATIO_METRIC, "Share of each class in the package's reference predictions (on its training data).", ['model', 'version', 'class']));
        for (const c of profile.classShares) ratio.set(c.share, { ...base, class: String(c.label) });
      }
    } else if (profile?.valueQuantiles) {
      const bounds = [...new Set(profile.valueQuantiles)];
      this.values = registry.register(new Histogram(PREDICTION_VALUE_METRIC, "Predicted values; buckets at the deciles of the package's reference predictions.", bounds, ['model', 'version'])).labels(base);
      const q = registry.register(new Gauge(REFERENCE_VALUE_QUANTILE_METRIC, "Quantiles of the package's reference predictions (on its training data).", ['model', 'version', 'quantile']));
      for (const p of REFERENCE_QUANTILES) q.set(profile.valueQuantiles[Math.round(p * 10) - 1]!, { ...base, quantile: String(p) });
    }
    if (profile?.features.length && model.featureNames) {
      const counter = registry.register(new Counter(OUT_OF_RANGE_METRIC, 'Input values outside the training data, by feature: below the training minimum, above the maximum, or a category not seen in training.', ['model', 'version', 'feature', 'direction']));
      const slots = new Map(columnSlots(model.bindings, model.columns).map((s) => [s.column, s]));
      for (const f of profile.features) {
        const slot = slots.get(f.name);
        if (slot === undefined) continue;
        const at = (direction: string) => counter.labels({ ...base, feature: f.name, direction });
        if (isFeatureRange(f) && slot.type !== 'string') this.ranges.push({ slot, min: f.min, max: f.max, below: at('below'), above: at('above') });
        else if (isFeatureCategories(f) && slot.type === 'string') this.categories.push({ slot, known: new Set(f.categories), unseen: at('unseen') });
      }
    }
  }

  /** Counts one onnxruntime result: the rows of `batch` (every input) and the model's outputs for them. */
  observe(batch: InputBatch, out: Record<string, OutputTensor>): void {
    const rows = batch.rows;
    for (const r of this.ranges) {
      const data = batch.data[r.slot.input] as ArrayLike<number | bigint>;
      // bigint (int64) against a number compares exactly; NaN is neither below nor above.
      for (let row = 0, at = r.slot.offset, w = r.slot.width; row < rows; row++, at += w) {
        const v = data[at]!;
        if (v < r.min) r.below.inc();
        else if (v > r.max) r.above.inc();
      }
    }
    for (const c of this.categories) {
      const data = batch.data[c.slot.input] as string[];
      for (let row = 0, at = c.slot.offset, w = c.slot.width; row < rows; row++, at += w) if (!c.known.has(data[at]!)) c.unseen.inc();
    }
    if (this.classes) {
      const m = this.model;
      for (const label of predictedClasses(out, { label: m.labelOutput, probabilities: m.probabilityOutput }, rows, m.classLabels)) {
        const key = String(label);
        let c = this.classes.get(key);
        if (!c) {
          c = this.classes.size < MAX_CLASS_SERIES ? this.newClass!(key) : this.otherClass!;
          if (c !== this.otherClass) this.classes.set(key, c);
        }
        c.inc();
      }
    } else if (this.values) {
      const t = out[this.model.valueOutput]!;
      if (t.dims.slice(1).reduce((a, b) => a * b, 1) !== 1) return;
      for (let r = 0; r < rows; r++) this.values.observe(Number(t.data[r]));
    }
  }
}
