import { evaluateModel, gateFailure, renderEvaluationMarkdown, type Task } from '@mlship/sdk';
import {
  actionsLogger, commentOnPullRequest, evaluationOutputs, inputBoolean, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary,
} from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model: string; data: string; target?: string; task?: string; out?: string; threshold?: string; baseline?: string;
  'min-improvement'?: string; 'require-significant': boolean; 'batch-size'?: number; bootstrap?: number; seed?: number;
  comment: boolean; 'github-token'?: string;
}

export function readInputs(): Inputs {
  return {
    model: inputRequired('model'), data: inputRequired('data'), target: inputString('target'), task: inputString('task'),
    out: inputString('out'), threshold: inputString('threshold'), baseline: inputString('baseline'),
    'min-improvement': inputString('min-improvement'), 'require-significant': inputBoolean('require-significant', false),
    'batch-size': inputNumber('batch-size'), bootstrap: inputNumber('bootstrap'), seed: inputNumber('seed'),
    comment: inputBoolean('comment', true), 'github-token': inputString('github-token'),
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const logger = actionsLogger();
  const report = await evaluateModel({
    model: i.model, data: i.data, target: i.target, task: i.task as Task | 'auto' | undefined, out: i.out,
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
