import { batchDriftFailure, batchDriftOptions, DRIFT_SHARE, NON_NEGATIVE, parseOnBadRow, parseOutputFormat, parseShard, parseStattestName, predictBatch, predictMarkdown, type OnBadRow, type OutputFormat, type Shard, type StattestName } from '@mlship/sdk';
import { actionsLogger, batchScoreOutputs, inputBoolean, inputList, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  package: string;
  data: string;
  out: string;
  keep: string[];
  format?: OutputFormat;
  workers?: number;
  'on-error': OnBadRow;
  rejects?: string;
  shard?: Shard;
  resume: boolean;
  'drift-reference'?: string; 'drift-json-path'?: string; 'drift-html-path'?: string; 'drift-stattest'?: StattestName;
  'drift-threshold'?: number; 'drift-share'?: number; 'fail-on-drift': boolean;
}

export function readInputs(): Inputs {
  const format = parseOutputFormat(inputString('format'));
  const onError = parseOnBadRow(inputString('on-error')) ?? 'stop';
  const shard = inputString('shard');
  const stattest = inputString('drift-stattest');
  return {
    package: inputRequired('package'),
    data: inputRequired('data'),
    out: inputRequired('out'),
    keep: inputList('keep'),
    format,
    workers: inputNumber('workers'),
    'on-error': onError,
    rejects: inputString('rejects'),
    shard: shard === undefined ? undefined : parseShard(shard, 'input "shard"'),
    resume: inputBoolean('resume', false),
    'drift-reference': inputString('drift-reference'), 'drift-json-path': inputString('drift-json-path'), 'drift-html-path': inputString('drift-html-path'),
    'drift-stattest': stattest === undefined ? undefined : parseStattestName(stattest, 'input "drift-stattest"'),
    'drift-threshold': inputNumber('drift-threshold', undefined, NON_NEGATIVE), 'drift-share': inputNumber('drift-share', undefined, DRIFT_SHARE),
    'fail-on-drift': inputBoolean('fail-on-drift', false),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const result = await predictBatch({
    package: inputs.package, data: inputs.data, out: inputs.out, keep: inputs.keep,
    ...(inputs.format ? { format: inputs.format } : {}), ...(inputs.workers ? { workers: inputs.workers } : {}),
    onError: inputs['on-error'], ...(inputs.rejects ? { rejects: inputs.rejects } : {}), ...(inputs.shard ? { shard: inputs.shard } : {}),
    resume: inputs.resume, logger: actionsLogger(),
    drift: batchDriftOptions({ 'drift-reference': inputs['drift-reference'], 'drift-out': inputs['drift-json-path'], 'drift-html': inputs['drift-html-path'],
      'drift-stattest': inputs['drift-stattest'], 'drift-threshold': inputs['drift-threshold'], 'drift-share': inputs['drift-share'], 'fail-on-drift': inputs['fail-on-drift'] }),
  });
  setOutputs(batchScoreOutputs(result));
  await writeJobSummary(predictMarkdown(result));
  const drifted = batchDriftFailure(result, inputs['fail-on-drift']);
  if (drifted) throw drifted;
}
