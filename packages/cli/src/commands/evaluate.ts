import { evaluateModel, gateFailure, InputError, NON_NEGATIVE_INTEGER, parseNumberOption, POSITIVE_INTEGER, renderEvaluationMarkdown, stderrLogger, TASKS, writeFileAtomic, type Task } from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'evaluate an ONNX model on a labelled CSV: scikit-learn metrics, gates, champion/challenger',
  usage: `
usage: mlship evaluate --model MODEL.onnx --data TEST.csv [options]

Runs the model on the CSV (features = every column but the target, in file order, as float32) and
computes scikit-learn's metrics for its task. Prints a Markdown report on stdout, progress on stderr.

  --model PATH            the ONNX model to evaluate (required)
  --data PATH             labelled CSV (required)
  --target NAME           target column (default: target)
  --task TASK             auto | binary | multiclass | regression (default: auto — from the model's
                          outputs and the target)
  --out PATH              write the metrics JSON here (written atomically; not written on error)
  --report PATH           also write the Markdown report here
  --threshold RULES       e.g. 'accuracy>=0.95, f1_macro>=0.9' or 'rmse<=60' (>=, >, <=, <)
  --baseline PATH         champion: an ONNX model (scored on the same data) or a metrics JSON from --out
  --min-improvement RULES per-metric change versus the baseline, signed as the value moves:
                          'accuracy:+0.01' (≥ champion + 0.01), 'rmse:-2%' (≤ champion − 2%),
                          'log_loss:+0.005' (may worsen by 0.005). Default with --baseline: main metric :0
  --require-significant   also fail unless the paired-bootstrap interval of (challenger − champion) on
                          the main metric lies entirely on the better side of 0
  --batch-size N          rows per onnxruntime run (default 65536)
  --bootstrap N           bootstrap resamples for the main metric's 95% interval (default 1000, fewer
                          above 100k rows so that rows × resamples ≈ 1e8, at least 200; 0 = off)
  --seed S                bootstrap seed (default 42)
  --quiet                 no progress on stderr

Main metric: roc_auc (binary; f1 without probabilities), f1_macro (multiclass), rmse (regression).
Exit codes: 0 passed, 1 the gate failed, 2 bad usage or input (nothing written).

example:
  mlship evaluate --model models/iris_rf.onnx --data data/iris/test.csv \\
    --threshold 'accuracy>=0.9' --out metrics.json
`,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs('evaluate', argv, {
      model: { type: 'string' }, data: { type: 'string' }, target: { type: 'string' }, task: { type: 'string' },
      out: { type: 'string' }, report: { type: 'string' }, threshold: { type: 'string' }, baseline: { type: 'string' },
      'min-improvement': { type: 'string' }, 'require-significant': { type: 'boolean' },
      'batch-size': { type: 'string' }, bootstrap: { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' },
    });
    if (positionals.length) throw new InputError(`mlship evaluate: unexpected argument "${positionals[0]}"; pass files with --model and --data. See \`mlship evaluate --help\`.`);
    const task = v.task ?? 'auto';
    if (!(TASKS as readonly string[]).includes(task)) throw new InputError(`mlship evaluate: --task must be one of ${TASKS.join(', ')}, got "${task}".`);
    const logger = v.quiet ? { debug() {}, info() {}, warn: (m: string) => process.stderr.write(`warning: ${m}\n`) } : stderrLogger();
    const report = await evaluateModel({
      model: requireOption('evaluate', 'model', v.model),
      data: requireOption('evaluate', 'data', v.data),
      target: v.target,
      task: task as Task | 'auto',
      out: v.out,
      threshold: v.threshold,
      baseline: v.baseline,
      minImprovement: v['min-improvement'],
      requireSignificant: v['require-significant'],
      batchSize: parseNumberOption('batch-size', v['batch-size'], POSITIVE_INTEGER),
      bootstrap: parseNumberOption('bootstrap', v.bootstrap, NON_NEGATIVE_INTEGER),
      seed: parseNumberOption('seed', v.seed, { integer: true }),
      logger,
    });
    const markdown = renderEvaluationMarkdown(report);
    if (v.report) await writeFileAtomic(v.report, `${markdown}\n`);
    process.stdout.write(`${markdown}\n`);
    const failure = gateFailure(report);
    if (failure) {
      process.stderr.write(`error: ${failure.message}\n`);
      return failure.exitCode;
    }
    return 0;
  },
};
