import { InputError, parseShard, predictBatch, type OutputFormat, type Shard } from '@mlship/sdk';
import { actionsLogger, inputBoolean, inputList, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  package: string;
  data: string;
  out: string;
  keep: string[];
  format?: OutputFormat;
  workers?: number;
  'on-error': 'stop' | 'skip';
  rejects?: string;
  shard?: Shard;
  resume: boolean;
}

export function readInputs(): Inputs {
  const format = inputString('format');
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new InputError(`input "format" must be csv or jsonl, got "${format}".`);
  const onError = inputString('on-error') ?? 'stop';
  if (onError !== 'stop' && onError !== 'skip') throw new InputError(`input "on-error" must be stop or skip, got "${onError}".`);
  const shard = inputString('shard');
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
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const result = await predictBatch({
    package: inputs.package, data: inputs.data, out: inputs.out, keep: inputs.keep,
    ...(inputs.format ? { format: inputs.format } : {}), ...(inputs.workers ? { workers: inputs.workers } : {}),
    onError: inputs['on-error'], ...(inputs.rejects ? { rejects: inputs.rejects } : {}), ...(inputs.shard ? { shard: inputs.shard } : {}),
    resume: inputs.resume, logger: actionsLogger(),
  });
  setOutputs({ rows: result.rows, rejected: result.rejected, out: result.out });
  await writeJobSummary(`### Batch scoring\n\n${result.rows} rows scored → \`${result.out}\` (${result.chunks} chunks on ${result.workers} workers, ${result.seconds.toFixed(1)} s)${result.rejected ? `; ${result.rejected} bad rows in \`${result.rejects}\`` : ''}.\n`);
}
