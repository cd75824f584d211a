import * as core from '@actions/core';
import {
  InputError, MODEL_FORMATS, ParityFailedError, renderPackageMarkdown, renderParityMarkdown, serialize, signatureSummary,
  type ModelFormat, type ModelTask,
} from '@mlship/sdk';
import { actionsLogger, inputBoolean, inputList, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model: string;
  format: ModelFormat;
  name: string;
  version: string;
  'features-from'?: string;
  target: string;
  sample?: string;
  'input-map'?: string;
  'allow-missing': boolean;
  'golden-rows'?: number;
  'parity-rows'?: number;
  atol?: number;
  rtol?: number;
  'min-label-agreement'?: number;
  task?: ModelTask;
  'class-labels': string[];
  'metrics-file'?: string;
  python: string;
  'python-path': string[];
  import: string[];
  'output-names': string[];
  'target-opset'?: number;
  out: string;
  archive?: string;
  'push-to'?: string;
  'registry-username'?: string;
  'registry-password'?: string;
}

export function readInputs(): Inputs {
  const format = (inputString('format') ?? 'onnx') as ModelFormat;
  if (!MODEL_FORMATS.includes(format)) throw new InputError(`Input format must be one of ${MODEL_FORMATS.join(', ')}, got "${format}".`);
  const task = inputString('task') as ModelTask | undefined;
  if (task !== undefined && task !== 'classification' && task !== 'regression') throw new InputError(`Input task must be classification or regression, got "${task}".`);
  const password = inputString('registry-password');
  if (password) core.setSecret(password);
  return {
    model: inputRequired('model'), format, name: inputRequired('name'), version: inputRequired('version'),
    'features-from': inputString('features-from'), target: inputString('target') ?? 'target', sample: inputString('sample'),
    'input-map': inputString('input-map'), 'allow-missing': inputBoolean('allow-missing', false),
    'golden-rows': inputNumber('golden-rows'), 'parity-rows': inputNumber('parity-rows'),
    atol: inputNumber('atol'), rtol: inputNumber('rtol'), 'min-label-agreement': inputNumber('min-label-agreement'),
    task, 'class-labels': inputList('class-labels'), 'metrics-file': inputString('metrics-file'),
    python: inputString('python') ?? 'python3', 'python-path': inputList('python-path'), import: inputList('import'),
    'output-names': inputList('output-names'), 'target-opset': inputNumber('target-opset'),
    out: inputString('out') ?? 'mlship-package', archive: inputString('archive'),
    'push-to': inputString('push-to'), 'registry-username': inputString('registry-username'), 'registry-password': password,
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const registryHost = i['push-to']?.split('/')[0];
  try {
    const r = await serialize({
      model: i.model, format: i.format, name: i.name, version: i.version, out: i.out, archive: i.archive,
      featuresFrom: i['features-from'], target: i.target, sample: i.sample, inputMap: i['input-map'], allowMissing: i['allow-missing'], goldenRows: i['golden-rows'], parityRows: i['parity-rows'],
      tolerance: {
        ...(i.atol !== undefined ? { atol: i.atol } : {}), ...(i.rtol !== undefined ? { rtol: i.rtol } : {}),
        ...(i['min-label-agreement'] !== undefined ? { minLabelAgreement: i['min-label-agreement'] } : {}),
      },
      task: i.task, classLabels: i['class-labels'].length ? i['class-labels'].map((s) => (/^-?\d+$/.test(s) ? Number(s) : s)) : undefined,
      metricsFile: i['metrics-file'], python: i.python, pythonPath: i['python-path'], imports: i.import,
      outputNames: i['output-names'].length ? i['output-names'] : undefined, targetOpset: i['target-opset'],
      pushTo: i['push-to'],
      ...(registryHost && i['registry-username'] && i['registry-password']
        ? { registry: { credentials: { [registryHost]: { username: i['registry-username'], password: i['registry-password'] } } } } : {}),
      logger: actionsLogger(),
    });
    setOutputs({
      'package-path': r.dir, 'archive-path': r.archivePath, 'model-sha256': r.modelSha256, name: r.manifest.name, version: r.manifest.version,
      signature: signatureSummary(r.manifest), parity: r.parity ? 'passed' : 'skipped',
      'pushed-ref': r.pushed?.pinned, 'pushed-digest': r.pushed?.digest,
    });
    await writeJobSummary([
      renderPackageMarkdown(r.manifest, { archivePath: r.archivePath, pushed: r.pushed?.pinned }),
      r.parity ? renderParityMarkdown(r.parity) : '',
      ...r.warnings.map((w) => `> ⚠️ ${w}\n`),
    ].filter(Boolean).join('\n'));
  } catch (err) {
    if (err instanceof ParityFailedError) {
      setOutputs({ parity: 'failed' });
      await writeJobSummary(renderParityMarkdown(err.report));
    }
    throw err;
  }
}
