import { evaluateLateLabels, evaluateModel, evaluationSource, gateFailure, InputError, lateLabelGateFailure, NON_NEGATIVE_INTEGER, parseNumberOption, POSITIVE_INTEGER, renderEvaluationMarkdown, renderLateLabelMarkdown, stderrLogger, TASKS, writeFileAtomic, type Task } from '@mlship/sdk';
import { parseCommandArgs, type Command } from '../command.ts';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'evaluate an ONNX model on a labelled CSV: scikit-learn metrics, gates, champion/challenger',
  usage: `
usage: mlship evaluate --model MODEL.onnx --data TEST.csv [options]
       mlship evaluate --predictions LOG --labels LABELS.csv [--join-on id] [--window 1d] [options]

Runs the model on the CSV (features = every column but the target, fed to the model's inputs by
name or in file order: docs/models.md) and computes scikit-learn's metrics for its task. Prints a Markdown report on stdout, progress on stderr.

  --model PATH            the ONNX model to evaluate (required)
  --data PATH             labelled CSV (required)
  --target NAME           target column (default: target): numbers or strings; NAME1,NAME2 for a
                          multi-output regressor
  --input-map FILE        JSON {"<model input>": ["column", …]}: which columns feed which input, where
                          the default rule (an input named like a column, then columns in order) cannot tell
  --allow-missing         missing numeric cells become NaN (XGBoost, LightGBM handle it); counted and
                          reported. Without it a missing cell is an error
  --task TASK             auto | binary | multiclass | regression (default: auto — from the model's
                          outputs and the target)
  --pos-label CLASS       binary: the positive class of precision/recall/f1 and roc_auc (default: the
                          model's second class, scikit-learn's classes_[1]; the report says which)
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

Late labels (production accuracy): --predictions is the server's inference log (CSV written with
MLSHIP_INFERENCE_LOG_PREDICTIONS=1, or .jsonl), --labels a CSV of ground truth that arrived later; rows
are joined on the row id and scored per window with the same metrics (labels only: no probability
metrics). --threshold applies to every window and to all rows.
  --predictions PATH      inference log with prediction, id and time
  --labels PATH           CSV with the id column and the label column (--target, default target)
  --join-on NAME          id column of the labels CSV (default id)
  --window DURATION       window length: 30m, 6h, 1d, 1w (UTC-aligned; default one window)
  --package PATH          model package: its recorded metrics are the reference, and the baseline of
                          --min-improvement (e.g. 'accuracy:-0.05' = at most 0.05 below the package's)

Main metric: roc_auc (binary; f1 without probabilities), f1_macro (multiclass), rmse (regression).
Exit codes: 0 passed, 1 the gate failed, 2 bad usage or input (nothing written).

example:
  mlship evaluate --model models/iris_rf.onnx --data data/iris/test.csv \\
    --threshold 'accuracy>=0.9' --out metrics.json
`,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs('evaluate', argv, {
      model: { type: 'string' }, data: { type: 'string' }, target: { type: 'string' }, task: { type: 'string' }, 'pos-label': { type: 'string' },
      'input-map': { type: 'string' }, 'allow-missing': { type: 'boolean' },
      out: { type: 'string' }, report: { type: 'string' }, threshold: { type: 'string' }, baseline: { type: 'string' },
      'min-improvement': { type: 'string' }, 'require-significant': { type: 'boolean' },
      'batch-size': { type: 'string' }, bootstrap: { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' },
      predictions: { type: 'string' }, labels: { type: 'string' }, 'join-on': { type: 'string' }, window: { type: 'string' }, package: { type: 'string' },
    });
    if (positionals.length) throw new InputError(`mlship evaluate: unexpected argument "${positionals[0]}"; pass files with --model and --data. See \`mlship evaluate --help\`.`);
    const task = v.task ?? 'auto';
    if (!(TASKS as readonly string[]).includes(task)) throw new InputError(`mlship evaluate: --task must be one of ${TASKS.join(', ')}, got "${task}".`);
    const logger = stderrLogger({ quiet: v.quiet });
    if (evaluationSource(v) === 'late-labels') {
      const late = await evaluateLateLabels({
        predictions: v.predictions!, labels: v.labels!,
        joinOn: v['join-on'], target: v.target, window: v.window, task: task as Task | 'auto', package: v.package,
        threshold: v.threshold, minImprovement: v['min-improvement'], posLabel: v['pos-label'], out: v.out, logger,
      });
      const markdown = renderLateLabelMarkdown(late);
      if (v.report) await writeFileAtomic(v.report, `${markdown}\n`);
      process.stdout.write(`${markdown}\n`);
      const lateFailure = lateLabelGateFailure(late);
      if (lateFailure) {
        process.stderr.write(`error: ${lateFailure.message}\n`);
        return lateFailure.exitCode;
      }
      return 0;
    }
    const report = await evaluateModel({
      model: v.model!,
      data: v.data!,
      target: v.target,
      inputMap: v['input-map'],
      allowMissing: v['allow-missing'],
      task: task as Task | 'auto',
      posLabel: v['pos-label'],
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
