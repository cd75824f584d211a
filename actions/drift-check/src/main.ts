import { columnTypesFrom, driftVerdict, GateFailedError, lateLabelAccuracy, parseColumnMap, parseStattestName, parseThreshold, runDriftReport, type StattestName } from '@mlship/sdk';
import { accuracyOutputs, actionsLogger, driftFollowUp, driftOutputs, inputBoolean, inputList, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  reference: string; current: string; columns: string[]; exclude: string[]; categorical: string[]; numerical: string[];
  stattest?: StattestName; 'num-stattest'?: StattestName; 'cat-stattest'?: StattestName; 'per-column-stattest': Record<string, StattestName>;
  threshold?: number; 'num-threshold'?: number; 'cat-threshold'?: number; 'per-column-threshold': Record<string, number>;
  'drift-share'?: number; 'missing-share-alert'?: number; 'json-path': string; 'html-path': string; title?: string;
  'fail-on-drift': boolean; 'open-issue': boolean; 'issue-label': string; 'issue-key': string; 'close-issue-when-resolved': boolean;
  'dispatch-event'?: string; 'github-token'?: string; predictions?: string; labels?: string; 'join-on'?: string; window?: string;
  package?: string; 'accuracy-threshold'?: string; 'min-improvement'?: string;
}

export function readInputs(): Inputs {
  const stattest = (name: string) => { const v = inputString(name); return v === undefined ? undefined : parseStattestName(v, `Input ${name}`); };
  const perColumn = <T>(name: string, parse: (v: string, where: string) => T) => parseColumnMap(inputString(name), `Input ${name}`, (v, c) => parse(v, `Input ${name}, column "${c}"`));
  return {
    reference: inputRequired('reference'), current: inputRequired('current'), columns: inputList('columns'), exclude: inputList('exclude'),
    categorical: inputList('categorical'), numerical: inputList('numerical'),
    stattest: stattest('stattest'), 'num-stattest': stattest('num-stattest'), 'cat-stattest': stattest('cat-stattest'),
    'per-column-stattest': perColumn('per-column-stattest', parseStattestName),
    threshold: inputNumber('threshold'), 'num-threshold': inputNumber('num-threshold'), 'cat-threshold': inputNumber('cat-threshold'),
    'per-column-threshold': perColumn('per-column-threshold', parseThreshold),
    'drift-share': inputNumber('drift-share'), 'missing-share-alert': inputNumber('missing-share-alert'),
    'json-path': inputRequired('json-path'), 'html-path': inputRequired('html-path'), title: inputString('title'),
    'fail-on-drift': inputBoolean('fail-on-drift', false), 'open-issue': inputBoolean('open-issue', false),
    'issue-label': inputRequired('issue-label'), 'issue-key': inputRequired('issue-key'),
    'close-issue-when-resolved': inputBoolean('close-issue-when-resolved', true),
    'dispatch-event': inputString('dispatch-event'), 'github-token': inputString('github-token'),
    predictions: inputString('predictions'), labels: inputString('labels'), 'join-on': inputString('join-on'), window: inputString('window'),
    package: inputString('package'), 'accuracy-threshold': inputString('accuracy-threshold'), 'min-improvement': inputString('min-improvement'),
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const log = actionsLogger();
  const { report, markdown } = await runDriftReport({
    reference: i.reference, current: i.current, columns: i.columns.length ? i.columns : undefined, exclude: i.exclude,
    columnTypes: columnTypesFrom(i.categorical, i.numerical), stattest: i.stattest, numStattest: i['num-stattest'], catStattest: i['cat-stattest'],
    perColumnStattest: i['per-column-stattest'], threshold: i.threshold, numThreshold: i['num-threshold'], catThreshold: i['cat-threshold'],
    perColumnThreshold: i['per-column-threshold'], driftShare: i['drift-share'], missingShareAlert: i['missing-share-alert'],
    out: i['json-path'], html: i['html-path'], title: i.title, logger: log,
  });
  setOutputs(driftOutputs(report, { json: i['json-path'], html: i['html-path'] }));
  await writeJobSummary(markdown);
  log.info(driftVerdict(report));
  // Accuracy on late labels (the inference log joined with ground truth), when given: a failed gate is an accuracy drop.
  const accuracy = await lateLabelAccuracy({ predictions: i.predictions, labels: i.labels, joinOn: i['join-on'], window: i.window, package: i.package,
    threshold: i['accuracy-threshold'], minImprovement: i['min-improvement'], logger: log });
  if (accuracy) { setOutputs(accuracyOutputs(accuracy)); await writeJobSummary(accuracy.markdown); log.info(accuracy.verdict); }
  const { issue } = await driftFollowUp(report, {
    openIssue: i['open-issue'], closeWhenResolved: i['close-issue-when-resolved'], label: i['issue-label'], key: i['issue-key'],
    dispatchEvent: i['dispatch-event'], htmlReportName: i['html-path'].split('/').pop(), token: i['github-token'], accuracy,
  }, log);
  if (issue) setOutputs({ 'issue-number': issue.number });
  if (i['fail-on-drift'] && report.summary.dataset_drift) throw new GateFailedError(`Data drift: ${driftVerdict(report)}`);
}
