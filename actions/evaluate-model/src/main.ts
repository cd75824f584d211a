import { evaluateModel, gateFailure, renderEvaluationMarkdown, type Task } from '@mlship/sdk';
import {
  actionsLogger, currentRepo, inputBoolean, inputNumber, inputRequired, inputString, octokitFor, pullRequestNumber,
  runUrl, setOutputs, upsertStickyComment, writeJobSummary,
} from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model: string;
  data: string;
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
}

export function readInputs(): Inputs {
  return {
    model: inputRequired('model'),
    data: inputRequired('data'),
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
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const logger = actionsLogger();
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
