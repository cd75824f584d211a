import { writeFile } from 'node:fs/promises';
import {
  batchDriftFailure, batchDriftOptions, checkMergeParts, DRIFT_SHARE, InputError, mergePredictions, mergeWhenComplete, MlshipError, NON_NEGATIVE, parseNumberOption, parseOnBadRow, parseOutputFormat, parseShard, parseStattestName, predictBatch, predictSummary,
  stderrLogger,
} from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

function workersOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`mlship predict: --workers must be a whole number ≥ 1, got "${text}".`);
  return n;
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'batch scoring: score a CSV of any size with a model package on every core (sharded, resumable)',
  usage: `
usage: mlship predict --package PKG --data IN.csv --out OUT [options]
       mlship predict merge --out OUT SHARD0 SHARD1 …

Verifies the package once (hashes, signature, golden rows), then scores every row of IN in worker
threads (one onnxruntime session each), in bounded memory, and writes OUT in input order: the --keep
columns, then the prediction (label and proba_<class> per class in the package's class order, or
prediction / prediction_<j> for regression). OUT appears only when the run is complete.

  --package PATH        model package directory or .tar.gz (required)
  --data PATH           input CSV with a header row, or JSON Lines (.jsonl / .ndjson) (required)
  --out PATH            output file (required)
  --keep A,B            input columns copied to the output first (ids)
  --format csv|jsonl    output format (default from --out: .jsonl / .ndjson → jsonl, else csv)
  --workers N           worker threads (default: the machine's cores)
  --on-error stop|skip  stop (default): the first bad row stops the run, nothing is written;
                        skip: bad rows go to --rejects with their line and reason
  --rejects PATH        the rejects file (required with --on-error skip)
  --shard i/n           score only the i-th of n contiguous parts of the input (0 ≤ i < n);
                        merge the n outputs with \`mlship predict merge\`, or with:
  --merge-into FINAL    with --shard and --merge-parts: once this shard's output is written, if every
  --merge-parts P0,…    shard's output exists, merge them (in shard order) into FINAL: the last shard
                        to finish merges (how deploy --workload batch's Indexed Job ends; docs/batch.md)
  --resume              continue an interrupted run with the same options (keeps its finished chunks)
  --chunk-bytes N       input bytes per chunk, the unit of work and of resuming (default 2097152)
  --summary-file F      also write the JSON summary line to F (the batch Job: /dev/termination-log)
  --quiet               no progress on stderr

Drift of the batch (the package's feature columns of the rows scored against a reference, by mlship
drift itself: the same statistics, thresholds and decisions, from the cells the scoring parsed — a CSV
is read once; not with --shard):
  --drift-reference REF  reference CSV (the training features)
  --drift-out PATH       drift JSON report        --drift-html PATH   drift HTML report
  --drift-stattest NAME  one test for every column (as mlship drift --stattest)
  --drift-threshold X    for every column (as mlship drift --threshold)
  --drift-share X        dataset drift when this share of columns drifted (default 0.5)
  --fail-on-drift        exit 1 when the batch drifted (the output is written all the same)

Exit codes: 0 done, 2 bad usage or input (no output written), 1 the batch drifted with --fail-on-drift,
or any other failure (an I/O error, a worker that died: it may pass on a retry; the batch Job retries it, not exit 2).

examples:
  mlship predict --package model/ --data customers.csv --out scores.csv --keep customer_id
  mlship predict --package model.tar.gz --data big.csv --out part-3.csv --shard 3/8 --resume
  mlship predict merge --out scores.csv part-0.csv part-1.csv … part-7.csv
`,
  async run(argv) {
    if (argv[0] === 'merge') {
      const { values: v, positionals } = parseCommandArgs('predict merge', argv.slice(1), { out: { type: 'string' }, format: { type: 'string' }, quiet: { type: 'boolean' } });
      const logger = stderrLogger({ quiet: v.quiet });
      const format = parseOutputFormat(v.format);
      await mergePredictions({ parts: positionals, out: requireOption('predict merge', 'out', v.out), ...(format ? { format } : {}), logger });
      return 0;
    }
    const { values: v, positionals } = parseCommandArgs('predict', argv, {
      package: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, keep: { type: 'string' }, format: { type: 'string' },
      workers: { type: 'string' }, 'on-error': { type: 'string' }, rejects: { type: 'string' }, shard: { type: 'string' },
      resume: { type: 'boolean' }, 'chunk-bytes': { type: 'string' }, quiet: { type: 'boolean' }, verbose: { type: 'boolean' },
      'drift-reference': { type: 'string' }, 'drift-out': { type: 'string' }, 'drift-html': { type: 'string' }, 'drift-stattest': { type: 'string' },
      'drift-threshold': { type: 'string' }, 'drift-share': { type: 'string' }, 'fail-on-drift': { type: 'boolean' },
      'merge-into': { type: 'string' }, 'merge-parts': { type: 'string' }, 'summary-file': { type: 'string' },
    });
    const drift = batchDriftOptions({
      'drift-reference': v['drift-reference'], 'drift-out': v['drift-out'], 'drift-html': v['drift-html'],
      'drift-stattest': v['drift-stattest'] === undefined ? undefined : parseStattestName(v['drift-stattest'], 'mlship predict: --drift-stattest'),
      'drift-threshold': parseNumberOption('drift-threshold', v['drift-threshold'], NON_NEGATIVE),
      'drift-share': parseNumberOption('drift-share', v['drift-share'], DRIFT_SHARE), 'fail-on-drift': v['fail-on-drift'],
    });
    if (positionals.length) throw new InputError(`mlship predict: unexpected argument "${positionals[0]}". See \`mlship predict --help\`.`);
    const onError = parseOnBadRow(v['on-error']);
    const chunkBytes = v['chunk-bytes'] === undefined ? undefined : Number(v['chunk-bytes']);
    if (chunkBytes !== undefined && !(Number.isInteger(chunkBytes) && chunkBytes >= 1)) throw new InputError(`mlship predict: --chunk-bytes must be a whole number ≥ 1, got "${v['chunk-bytes']}".`);
    const logger = stderrLogger({ quiet: v.quiet, verbose: v.verbose });
    const format = parseOutputFormat(v.format);
    const workers = workersOption(v.workers);
    const shard = v.shard ? parseShard(v.shard, 'mlship predict: --shard') : undefined;
    const out = requireOption('predict', 'out', v.out);
    const mergeParts = v['merge-parts']?.split(',').map((s) => s.trim()).filter(Boolean);
    if ((v['merge-into'] === undefined) !== (mergeParts === undefined) || (v['merge-into'] !== undefined && !shard)) {
      throw new InputError('mlship predict: --merge-into FINAL and --merge-parts P0,… go together, with --shard i/n.');
    }
    if (shard && mergeParts) checkMergeParts(shard, out, mergeParts);
    const scored = async () => {
      const res = await predictBatch({
        package: requireOption('predict', 'package', v.package), data: requireOption('predict', 'data', v.data), out,
        keep: (v.keep ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        ...(format ? { format } : {}), ...(workers ? { workers } : {}), ...(onError ? { onError } : {}), ...(v.rejects ? { rejects: v.rejects } : {}),
        ...(shard ? { shard } : {}), resume: v.resume === true,
        ...(chunkBytes ? { chunkBytes } : {}), ...(drift ? { drift } : {}), logger,
      });
      const merged = shard && mergeParts ? await mergeWhenComplete({ shard, own: out, parts: mergeParts, out: v['merge-into']!, ...(format ? { format } : {}), logger }) : undefined;
      return { res, merged };
    };
    // Bad usage and input exit 2 (errors.ts); anything else here (an I/O error, a worker that died) is
    // not the input's fault and may pass on a retry: exit 1, which the batch Job retries (exit 2 it does not).
    const { res, merged } = await scored().catch((err: unknown) => {
      throw err instanceof MlshipError ? err : new MlshipError(`mlship predict failed: ${(err as Error).message ?? String(err)}`, 1, { cause: err });
    });
    const summary = `${JSON.stringify({
      ...predictSummary(res), ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}), ...(merged ? { merged: merged.merged ? v['merge-into'] : null } : {}),
    })}\n`;
    process.stdout.write(summary);
    // Written in place, not renamed: Kubernetes' /dev/termination-log is a file mounted into the container.
    if (v['summary-file']) await writeFile(v['summary-file'], summary);
    const drifted = batchDriftFailure(res, v['fail-on-drift']);
    if (drifted) {
      process.stderr.write(`error: ${drifted.message}\n`);
      return drifted.exitCode;
    }
    return 0;
  },
};
