import type { PredictBatchResult } from '../batch/predict.ts';
import type { StrategyDeployResult } from '../delivery/strategy.ts';
import type { DriftReport } from '../drift/check.ts';
import type { EvaluationReport } from '../evaluate/evaluate.ts';
import type { LateLabelAccuracy, LateLabelReport } from '../evaluate/late-labels.ts';
import type { ImageBuildOutcome } from '../image/outcome.ts';
import { signatureSummary } from '../serialize/report.ts';
import type { SerializeResult } from '../serialize/serialize.ts';

/**
 * The actions' outputs (names as in each action.yml) from the SDK's results: what each output means
 * is decided here once, so an action's main only sets them.
 */
export type ActionOutputs = Record<string, string | number | boolean | undefined>;

/** evaluate-model: the gate, the main metric with its bootstrap interval (empty without resamples). */
export function evaluationOutputs(report: EvaluationReport, metricsFile: string | undefined, commentUrl?: string): ActionOutputs {
  const ci = report.main_metric.ci;
  const withCi = ci !== undefined && ci !== null && ci.resamples > 0;
  return {
    passed: report.gate.passed,
    'metrics-file': metricsFile,
    task: report.task,
    'main-metric': report.main_metric.name,
    'main-metric-value': report.main_metric.value ?? '',
    'main-metric-ci-low': withCi ? ci.low : '',
    'main-metric-ci-high': withCi ? ci.high : '',
    'baseline-verdict': report.baseline?.difference?.verdict,
    metrics: JSON.stringify(Object.fromEntries(Object.entries(report.metrics).filter(([, v]) => typeof v === 'number'))),
    'comment-url': commentUrl,
  };
}

/** evaluate-model with predictions + labels: the gate over every window, the metrics on all joined rows. */
export function lateLabelOutputs(report: LateLabelReport, metricsFile: string | undefined): ActionOutputs {
  return { passed: report.gate.passed, 'metrics-file': metricsFile, task: report.task, metrics: JSON.stringify(report.overall.metrics), windows: report.windows.length };
}

/** drift-check with predictions + labels: whether accuracy dropped, and the metrics on all joined rows. */
export function accuracyOutputs(accuracy: LateLabelAccuracy): ActionOutputs {
  return { 'accuracy-drop': accuracy.dropped, 'accuracy-metrics': JSON.stringify(accuracy.report.overall.metrics) };
}

/** drift-check: the verdict and where the reports are. */
export function driftOutputs(report: DriftReport, paths: { json: string; html: string }): ActionOutputs {
  const s = report.summary;
  return {
    drift: s.dataset_drift, 'share-drifted': s.share_drifted, 'drifted-columns': s.drifted_columns.join(','),
    'missing-alert-columns': s.missing_alert_columns.join(','), 'report-json': paths.json, 'report-html': paths.html,
  };
}

/**
 * batch-score: rows scored and rejected, the output; with a drift reference, drift-check's outputs of
 * the batch's drift (same names and meanings: drift, share-drifted, …, report-json, report-html).
 */
export function batchScoreOutputs(result: PredictBatchResult): ActionOutputs {
  const d = result.drift;
  return {
    rows: result.rows, rejected: result.rejected, out: result.out,
    ...(d ? driftOutputs(d.report, { json: d.out ?? '', html: d.html ?? '' }) : {}),
  };
}

/** build-image: the pinned image, its digest, size, tags and layers (mlship builder). */
export function imageOutputs(outcome: ImageBuildOutcome): ActionOutputs {
  const r = outcome.result;
  return {
    image: outcome.image, reference: outcome.reference, digest: outcome.digest, size: r?.size, tags: r?.tags.join(','),
    layers: r ? JSON.stringify(r.platforms.flatMap((p) => p.layers.map((l) => ({ platform: p.platform, role: l.role, digest: l.digest, size: l.size })))) : undefined,
  };
}

/** serialize: the package, its model hash and signature, the parity verdict and where it was pushed. */
export function packageOutputs(r: SerializeResult): ActionOutputs {
  return {
    'package-path': r.dir, 'archive-path': r.archivePath, 'model-sha256': r.modelSha256, name: r.manifest.name, version: r.manifest.version,
    signature: signatureSummary(r.manifest), parity: r.parity ? 'passed' : 'skipped', 'pushed-ref': r.pushed?.pinned, 'pushed-digest': r.pushed?.digest,
  };
}

/** deploy-k8s: what was applied and, for canary / blue-green, the verdict and its evidence. */
export function deployOutputs(r: StrategyDeployResult): ActionOutputs {
  const bg = r.blueGreen;
  const c = r.canary;
  return {
    manifest: r.manifestPath,
    objects: r.objects.join(','),
    'rolled-out': r.rolledOut,
    changed: r.changed,
    monitoring: Object.values(r.monitoring ?? {}).join(','),
    verdict: bg ? (bg.switched ? 'promoted' : 'aborted') : c?.verdict ?? r.batch?.verdict,
    ...(r.batch ? {
      rows: r.batch.rows, shards: r.batch.shardCount, output: r.batch.output, job: r.batch.job,
      'shard-status': JSON.stringify(r.batch.shards.map(({ logTail: _, ...s }) => s)),
    } : {}),
    'step-reached': c?.stepReached,
    'canary-analysis': c ? JSON.stringify(c.steps.map((s) => ({ weight: s.weight, verdict: s.analysis?.verdict, checks: s.analysis?.checks }))) : undefined,
    'active-color': bg?.active,
    'previous-color': bg ? (bg.previous ?? '') : undefined,
  };
}
