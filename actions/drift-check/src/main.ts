import {
  columnTypesFrom, evaluateLateLabels, GateFailedError, parseColumnMap, parseStattestName, parseThreshold, renderLateLabelMarkdown, runDriftReport, driftVerdict,
  type StattestName,
} from '@mlship/sdk';
import {
  actionsLogger, currentRepo, dispatchDriftEvent, inputBoolean, inputList, inputNumber, inputRequired, inputString,
  octokitFor, runUrl, setOutputs, syncDriftIssue, writeJobSummary,
} from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  reference: string;
  current: string;
  columns: string[];
  exclude: string[];
  categorical: string[];
  numerical: string[];
  stattest?: StattestName;
  'num-stattest'?: StattestName;
  'cat-stattest'?: StattestName;
  'per-column-stattest': Record<string, StattestName>;
  threshold?: number;
  'num-threshold'?: number;
  'cat-threshold'?: number;
  'per-column-threshold': Record<string, number>;
  'drift-share': number;
  'missing-share-alert': number;
  'json-path': string;
  'html-path': string;
  title?: string;
  'fail-on-drift': boolean;
  'open-issue': boolean;
  'issue-label': string;
  'issue-key': string;
  'close-issue-when-resolved': boolean;
  'dispatch-event'?: string;
  'github-token'?: string;
  predictions?: string;
  labels?: string;
  'join-on'?: string;
  window?: string;
  package?: string;
  'accuracy-threshold'?: string;
  'min-improvement'?: string;
}

export function readInputs(): Inputs {
  const stattest = (name: string) => {
    const v = inputString(name);
    return v === undefined ? undefined : parseStattestName(v, `Input ${name}`);
  };
  return {
    reference: inputRequired('reference'),
    current: inputRequired('current'),
    columns: inputList('columns'),
    exclude: inputList('exclude'),
    categorical: inputList('categorical'),
    numerical: inputList('numerical'),
    stattest: stattest('stattest'),
    'num-stattest': stattest('num-stattest'),
    'cat-stattest': stattest('cat-stattest'),
    'per-column-stattest': parseColumnMap(inputString('per-column-stattest'), 'Input per-column-stattest', (v, c) => parseStattestName(v, `Input per-column-stattest, column "${c}"`)),
    threshold: inputNumber('threshold'),
    'num-threshold': inputNumber('num-threshold'),
    'cat-threshold': inputNumber('cat-threshold'),
    'per-column-threshold': parseColumnMap(inputString('per-column-threshold'), 'Input per-column-threshold', (v, c) => parseThreshold(v, `Input per-column-threshold, column "${c}"`)),
    'drift-share': inputNumber('drift-share', 0.5)!,
    'missing-share-alert': inputNumber('missing-share-alert', 0.05)!,
    'json-path': inputString('json-path') ?? 'drift-report.json',
    'html-path': inputString('html-path') ?? 'drift-report.html',
    title: inputString('title'),
    'fail-on-drift': inputBoolean('fail-on-drift', false),
    'open-issue': inputBoolean('open-issue', false),
    'issue-label': inputString('issue-label') ?? 'data-drift',
    'issue-key': inputString('issue-key') ?? 'default',
    'close-issue-when-resolved': inputBoolean('close-issue-when-resolved', true),
    'dispatch-event': inputString('dispatch-event'),
    'github-token': inputString('github-token'),
    predictions: inputString('predictions'),
    labels: inputString('labels'),
    'join-on': inputString('join-on'),
    window: inputString('window'),
    package: inputString('package'),
    'accuracy-threshold': inputString('accuracy-threshold'),
    'min-improvement': inputString('min-improvement'),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const log = actionsLogger();
  const { report, markdown } = await runDriftReport({
    reference: inputs.reference,
    current: inputs.current,
    columns: inputs.columns.length ? inputs.columns : undefined,
    exclude: inputs.exclude,
    columnTypes: columnTypesFrom(inputs.categorical, inputs.numerical),
    stattest: inputs.stattest,
    numStattest: inputs['num-stattest'],
    catStattest: inputs['cat-stattest'],
    perColumnStattest: inputs['per-column-stattest'],
    threshold: inputs.threshold,
    numThreshold: inputs['num-threshold'],
    catThreshold: inputs['cat-threshold'],
    perColumnThreshold: inputs['per-column-threshold'],
    driftShare: inputs['drift-share'],
    missingShareAlert: inputs['missing-share-alert'],
    out: inputs['json-path'],
    html: inputs['html-path'],
    title: inputs.title,
    logger: log,
  });
  const s = report.summary;
  setOutputs({
    drift: s.dataset_drift,
    'share-drifted': s.share_drifted,
    'drifted-columns': s.drifted_columns.join(','),
    'missing-alert-columns': s.missing_alert_columns.join(','),
    'report-json': inputs['json-path'],
    'report-html': inputs['html-path'],
  });
  await writeJobSummary(markdown);
  log.info(driftVerdict(report));
  // Accuracy on late labels (the inference log joined with ground truth), when given: a failed gate is an accuracy drop.
  let accuracy: { dropped: boolean; markdown: string; verdict: string } | undefined;
  if (inputs.predictions || inputs.labels) {
    const late = await evaluateLateLabels({
      predictions: inputs.predictions ?? '', labels: inputs.labels ?? '', joinOn: inputs['join-on'], window: inputs.window, package: inputs.package,
      threshold: inputs['accuracy-threshold'], minImprovement: inputs['min-improvement'], logger: log,
    });
    const lateMarkdown = renderLateLabelMarkdown(late);
    accuracy = { dropped: !late.gate.passed, markdown: lateMarkdown, verdict: late.gate.passed ? 'Accuracy on late labels passes its gate.' : `Accuracy dropped: ${late.gate.failures[0]}${late.gate.failures.length > 1 ? ` (and ${late.gate.failures.length - 1} more)` : ''}.` };
    setOutputs({ 'accuracy-drop': accuracy.dropped, 'accuracy-metrics': JSON.stringify(late.overall.metrics) });
    await writeJobSummary(lateMarkdown);
    log.info(accuracy.verdict);
  }
  const needsApi = inputs['open-issue'] || (s.dataset_drift && inputs['dispatch-event']);
  if (needsApi) {
    if (!inputs['github-token']) throw new Error('Input github-token is empty: open-issue and dispatch-event need a token (the default is github.token).');
    const octokit = octokitFor(inputs['github-token']);
    const repo = currentRepo();
    if (inputs['open-issue']) {
      const outcome = await syncDriftIssue(octokit, repo, report, {
        openIssue: true, closeWhenResolved: inputs['close-issue-when-resolved'], label: inputs['issue-label'], key: inputs['issue-key'],
        runUrl: runUrl(), htmlReportName: inputs['html-path'].split('/').pop(), ...(accuracy ? { accuracy } : {}),
      }, log);
      setOutputs({ 'issue-number': outcome.number });
    }
    if (s.dataset_drift && inputs['dispatch-event']) {
      await dispatchDriftEvent(octokit, repo, inputs['dispatch-event'], report, runUrl());
      log.info(`Sent repository_dispatch "${inputs['dispatch-event']}".`);
    }
  }
  if (inputs['fail-on-drift'] && s.dataset_drift) throw new GateFailedError(`Data drift: ${driftVerdict(report)}`);
}
