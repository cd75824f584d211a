import { evaluateLateLabels, evaluateModel, GateFailedError, gateFailure, InputError, renderEvaluationMarkdown, renderLateLabelMarkdown, type Task } from '@mlship/sdk';
import {
  actionsLogger, currentRepo, inputBoolean, inputNumber, inputString, octokitFor, pullRequestNumber,
  runUrl, setOutputs, upsertStickyComment, writeJobSummary,
} from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model?: string;
  data?: string;
  target: string;
  'input-map'?: string;
  'allow-missing': boolean;
  task: string;
  out: string;
  threshold?: string;
  baseline?: string;
  'min-improvement'?: string;
  'require-significant': boolean;
  'batch-size'?: number;
  bootstrap?: number;
  seed?: number;
  comment: boolean;
  'github-token'?: string;
  predictions?: string;
  labels?: string;
  'join-on'?: string;
  window?: string;
  package?: string;
}

export function readInputs(): Inputs {
  return {
    model: inputString('model'),
    data: inputString('data'),
    target: inputString('target') ?? 'target',
    'input-map': inputString('input-map'),
    'allow-missing': inputBoolean('allow-missing', false),
    task: inputString('task') ?? 'auto',
    out: inputString('out') ?? 'mlship-evaluation.json',
    threshold: inputString('threshold'),
    baseline: inputString('baseline'),
    'min-improvement': inputString('min-improvement'),
    'require-significant': inputBoolean('require-significant', false),
    'batch-size': inputNumber('batch-size'),
    bootstrap: inputNumber('bootstrap'),
    seed: inputNumber('seed'),
    comment: inputBoolean('comment', true),
    'github-token': inputString('github-token'),
    predictions: inputString('predictions'),
    labels: inputString('labels'),
    'join-on': inputString('join-on'),
    window: inputString('window'),
    package: inputString('package'),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const logger = actionsLogger();
  if (inputs.predictions || inputs.labels) return runLateLabels(inputs, logger);
  if (!inputs.model || !inputs.data) throw new InputError('Inputs "model" and "data" are required (or "predictions" and "labels" to score logged predictions with late labels).');
  const report = await evaluateModel({
    model: inputs.model,
    data: inputs.data,
    target: inputs.target,
    inputMap: inputs['input-map'],
    allowMissing: inputs['allow-missing'],
    task: inputs.task as Task | 'auto',
    out: inputs.out,
    threshold: inputs.threshold,
    baseline: inputs.baseline,
    minImprovement: inputs['min-improvement'],
    requireSignificant: inputs['require-significant'],
    batchSize: inputs['batch-size'],
    bootstrap: inputs.bootstrap,
    seed: inputs.seed,
    logger,
  });
  const markdown = renderEvaluationMarkdown(report, { title: 'evaluate-model' });
  const ci = report.main_metric.ci;
  let commentUrl: string | undefined;
  const pr = pullRequestNumber();
  if (inputs.comment && pr !== undefined && inputs['github-token']) {
    const link = runUrl();
    const body = `${markdown}${link ? `\n[Workflow run](${link})\n` : ''}`;
    try {
      const c = await upsertStickyComment(octokitFor(inputs['github-token']), currentRepo(), pr, `evaluate-model:${inputs.model}`, body);
      commentUrl = c.url;
      logger.info(`PR #${pr}: ${c.action} the evaluation comment ${c.url}`);
    } catch (err) {
      // A read-only token (e.g. a pull request from a fork) must not hide the evaluation itself.
      logger.warn(`Could not write the PR comment: ${(err as Error).message}. Grant \`permissions: pull-requests: write\` to the job, or set comment: false.`);
    }
  }
  setOutputs({
    passed: report.gate.passed,
    'metrics-file': inputs.out,
    task: report.task,
    'main-metric': report.main_metric.name,
    'main-metric-value': report.main_metric.value ?? '',
    'main-metric-ci-low': ci && ci.resamples > 0 ? ci.low : '',
    'main-metric-ci-high': ci && ci.resamples > 0 ? ci.high : '',
    'baseline-verdict': report.baseline?.difference?.verdict,
    metrics: JSON.stringify(Object.fromEntries(Object.entries(report.metrics).filter(([, v]) => typeof v === 'number'))),
    'comment-url': commentUrl,
  });
  await writeJobSummary(markdown);
  const failure = gateFailure(report);
  if (failure) throw failure;
}

/** Late labels: the inference log joined with ground truth, scored per window (evaluate/late-labels.ts). */
async function runLateLabels(inputs: Inputs, logger: ReturnType<typeof actionsLogger>): Promise<void> {
  if (!inputs.predictions || !inputs.labels) throw new InputError('Inputs "predictions" and "labels" go together: the inference log and the CSV of labels that arrived later.');
  const report = await evaluateLateLabels({
    predictions: inputs.predictions, labels: inputs.labels, joinOn: inputs['join-on'], target: inputs.target, window: inputs.window,
    task: inputs.task as Task | 'auto', package: inputs.package, threshold: inputs.threshold, minImprovement: inputs['min-improvement'],
    out: inputs.out, logger,
  });
  setOutputs({
    passed: report.gate.passed,
    'metrics-file': inputs.out,
    task: report.task,
    metrics: JSON.stringify(report.overall.metrics),
    windows: report.windows.length,
  });
  await writeJobSummary(renderLateLabelMarkdown(report));
  if (!report.gate.passed) throw new GateFailedError(report.gate.failures.join('; '));
}
