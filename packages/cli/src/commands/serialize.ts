import {
  cliOptionName, credentialsFromEnv, DEFAULTS, FRACTION, InputError, NON_NEGATIVE, NON_NEGATIVE_INTEGER, ParityFailedError, parseNumberOption, POSITIVE_INTEGER,
  parseClassLabels, registryOf, renderPackageMarkdown, renderOptionRefs, renderParityMarkdown, serialize, stderrLogger,
  type ModelFormat, type ModelTask, type SerializeOptions,
} from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

export const serializeUsage = `
usage: mlship serialize --model FILE --format FORMAT --name NAME --version V --out DIR [options]

Turns a model into a verified model package (a directory, and optionally a reproducible .tar.gz):
ONNX as is, or a native model converted by python/mlship_convert.py with the parity gate.

  --model FILE             .onnx, or scikit-learn joblib/pickle, torch.save() module, TorchScript (required)
  --format FORMAT          onnx | sklearn | torch | torchscript | xgboost | lightgbm (a Booster file)
                           (default: onnx)
  --name NAME              model name: lower-case letters, digits, . _ - (required)
  --version V              model version, e.g. 1.4.0 (required)
  --out DIR                package directory to write (required)
  --archive FILE           also write the package as one .tar.gz (byte-identical for the same inputs
                           and SOURCE_DATE_EPOCH)
  --features-from CSV      training CSV: its header (minus --target) gives the feature names in order
  --target NAME            target column (default: target)
  --sample CSV             rows for golden examples and the parity check (default: --features-from)
  --input-map FILE         JSON {"<model input>": ["column", …]}: which columns feed which input, where the
                           default rule cannot tell (a torch model with two inputs); recorded in the package
  --allow-missing          the model handles missing numeric values (XGBoost, LightGBM): sample rows may
                           have them and the package records it, so servers accept null
  --golden-rows N          golden examples stored (default 5)
  --parity-rows N          rows the parity gate compares (default 200)
  --atol X --rtol X        parity tolerances: |onnx − native| ≤ atol + rtol·|native| (default 1e-5, 1e-4)
  --min-label-agreement X  share of rows whose labels must agree, 0..1 (default 1)
  --task TASK              classification | regression (default: from the model's outputs)
  --class-labels A,B,…     class labels in probability-column order (default: from the model)
  --metrics-file FILE      evaluate-model's metrics JSON, stored in the package
  --python PATH            Python for native conversion (default: python3). It needs, for sklearn:
                           scikit-learn skl2onnx onnx joblib numpy; for torch/torchscript: torch onnx numpy
  --python-path DIR        where your own modules live (torch.save pickles your class); repeatable
  --import MODULE          import this module before loading the model; repeatable
  --output-names A,B       ONNX output names for torch exports (default: output, or output_0, …)
  --target-opset N         ONNX opset for the conversion
  --zipmap                 keep skl2onnx's ZipMap output (not recommended: onnxruntime-node cannot read it)
  --push-to REF            push the package to an OCI registry (registry/repo[:tag]; tag defaults to the
                           version); credentials from ~/.docker/config.json or MLSHIP_REGISTRY_USERNAME /
                           MLSHIP_REGISTRY_PASSWORD
  --json                   print the result as JSON instead of Markdown

Exit codes: 0 written, 1 the parity gate failed (nothing written), 2 bad usage or input.

example:
  mlship serialize --model model.joblib --format sklearn --features-from data/train.csv \\
    --sample data/test.csv --name iris-rf --version 1.0.0 --out dist/iris-rf --archive dist/iris-rf.tar.gz
`;

/** Parses `mlship serialize` arguments into SDK options (pure; tested). */
export function serializeOptionsFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SerializeOptions & { json: boolean } {
  const { values: v, positionals } = parseCommandArgs('serialize', argv, {
    model: { type: 'string' }, format: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' },
    archive: { type: 'string' }, 'features-from': { type: 'string' }, target: { type: 'string' }, sample: { type: 'string' },
    'input-map': { type: 'string' }, 'allow-missing': { type: 'boolean' },
    'golden-rows': { type: 'string' }, 'parity-rows': { type: 'string' }, atol: { type: 'string' }, rtol: { type: 'string' },
    'min-label-agreement': { type: 'string' }, task: { type: 'string' }, 'class-labels': { type: 'string' }, 'metrics-file': { type: 'string' },
    python: { type: 'string' }, 'python-path': { type: 'string', multiple: true }, import: { type: 'string', multiple: true },
    'output-names': { type: 'string' }, 'target-opset': { type: 'string' }, zipmap: { type: 'boolean' }, 'push-to': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw new InputError(`mlship serialize: unexpected argument "${positionals[0]}"; pass the model with --model. See \`mlship serialize --help\`.`);
  const format = (v.format ?? DEFAULTS.serialize.format) as ModelFormat;
  const task = v.task as ModelTask | undefined;
  const num = parseNumberOption;
  const tolerance = Object.fromEntries(Object.entries({ atol: num('atol', v.atol, NON_NEGATIVE), rtol: num('rtol', v.rtol, NON_NEGATIVE), minLabelAgreement: num('min-label-agreement', v['min-label-agreement'], FRACTION) })
    .filter(([, x]) => x !== undefined)) as SerializeOptions['tolerance'];
  const list = (text: string | undefined) => text?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const classLabels = parseClassLabels(list(v['class-labels']));
  const credentials = v['push-to'] ? credentialsFromEnv(registryOf(v['push-to']), env) : undefined;
  return {
    model: requireOption('serialize', 'model', v.model), format,
    name: requireOption('serialize', 'name', v.name), version: requireOption('serialize', 'version', v.version),
    out: requireOption('serialize', 'out', v.out), archive: v.archive, featuresFrom: v['features-from'], target: v.target, sample: v.sample,
    ...(v['input-map'] ? { inputMap: v['input-map'] } : {}), ...(v['allow-missing'] ? { allowMissing: true } : {}),
    goldenRows: num('golden-rows', v['golden-rows'], NON_NEGATIVE_INTEGER), parityRows: num('parity-rows', v['parity-rows'], POSITIVE_INTEGER), tolerance, task,
    classLabels, metricsFile: v['metrics-file'], python: v.python, pythonPath: v['python-path'], imports: v.import,
    outputNames: list(v['output-names']), targetOpset: num('target-opset', v['target-opset'], POSITIVE_INTEGER), zipmap: v.zipmap === true,
    pushTo: v['push-to'],
    ...(credentials ? { registry: { credentials } } : {}),
    json: v.json === true,
  };
}

export const serializeCommand: Command = {
  name: 'serialize',
  summary: 'make a verified model package from ONNX, scikit-learn or PyTorch (parity gate), optionally push it',
  usage: serializeUsage,
  async run(argv) {
    const { json, ...options } = serializeOptionsFromArgs(argv);
    try {
      const r = await serialize({ ...options, logger: stderrLogger() });
      if (json) {
        process.stdout.write(`${JSON.stringify({ dir: r.dir, archivePath: r.archivePath, modelSha256: r.modelSha256, pushed: r.pushed && { reference: r.pushed.reference, digest: r.pushed.digest }, parity: r.parity, warnings: r.warnings.map((w) => renderOptionRefs(w, cliOptionName)), manifest: r.manifest }, null, 2)}\n`);
      } else {
        process.stdout.write(renderPackageMarkdown(r.manifest, { archivePath: r.archivePath, pushed: r.pushed?.pinned }));
        if (r.parity) process.stdout.write(`\n${renderParityMarkdown(r.parity)}`);
      }
      return 0;
    } catch (err) {
      if (err instanceof ParityFailedError && !json) process.stdout.write(renderParityMarkdown(err.report));
      throw err;
    }
  },
};
