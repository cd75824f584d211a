import { evaluateLateLabels, evaluateModel, evaluationSource, gateFailure, lateLabelGateFailure, renderEvaluationMarkdown, renderLateLabelMarkdown, type Task } from '@mlship/sdk';
import {
  actionsLogger, commentOnPullRequest, evaluationOutputs, inputBoolean, inputNumber, inputString, lateLabelOutputs, setOutputs, writeJobSummary,
} from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model?: string; data?: string; target?: string; 'input-map'?: string; 'allow-missing': boolean; task?: string; 'pos-label'?: string; out?: string;
  threshold?: string; baseline?: string; 'min-improvement'?: string; 'require-significant': boolean; 'batch-size'?: number;
  bootstrap?: number; seed?: number; comment: boolean; 'github-token'?: string;
  predictions?: string; labels?: string; 'join-on'?: string; window?: string; package?: string;
}

export function readInputs(): Inputs {
  return {
    model: inputString('model'), data: inputString('data'), target: inputString('target'), 'input-map': inputString('input-map'),
    'allow-missing': inputBoolean('allow-missing', false), task: inputString('task'), 'pos-label': inputString('pos-label'), out: inputString('out'),
    threshold: inputString('threshold'), baseline: inputString('baseline'),
    'min-improvement': inputString('min-improvement'), 'require-significant': inputBoolean('require-significant', false),
    'batch-size': inputNumber('batch-size'), bootstrap: inputNumber('bootstrap'), seed: inputNumber('seed'),
    comment: inputBoolean('comment', true), 'github-token': inputString('github-token'),
    predictions: inputString('predictions'), labels: inputString('labels'), 'join-on': inputString('join-on'), window: inputString('window'), package: inputString('package'),
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const logger = actionsLogger();
  const task = i.task as Task | 'auto' | undefined;
  if (evaluationSource(i) === 'late-labels') {
    // Late labels: the inference log joined with ground truth, scored per window (evaluate/late-labels.ts).
    const late = await evaluateLateLabels({
      predictions: i.predictions!, labels: i.labels!, joinOn: i['join-on'], target: i.target, window: i.window, task, package: i.package,
      threshold: i.threshold, minImprovement: i['min-improvement'], posLabel: i['pos-label'], out: i.out, logger,
    });
    setOutputs(lateLabelOutputs(late, i.out));
    await writeJobSummary(renderLateLabelMarkdown(late));
    const failure = lateLabelGateFailure(late);
    if (failure) throw failure;
    return;
  }
  const report = await evaluateModel({
    model: i.model!, data: i.data!, target: i.target, inputMap: i['input-map'], allowMissing: i['allow-missing'], task, posLabel: i['pos-label'], out: i.out,
    threshold: i.threshold, baseline: i.baseline, minImprovement: i['min-improvement'], requireSignificant: i['require-significant'],
    batchSize: i['batch-size'], bootstrap: i.bootstrap, seed: i.seed, logger,
  });
  const markdown = renderEvaluationMarkdown(report, { title: 'evaluate-model' });
  const commentUrl = await commentOnPullRequest({ enabled: i.comment, token: i['github-token'], key: `evaluate-model:${i.model}`, body: markdown, logger });
  setOutputs(evaluationOutputs(report, i.out, commentUrl));
  await writeJobSummary(markdown);
  const failure = gateFailure(report);
  if (failure) throw failure;
}
