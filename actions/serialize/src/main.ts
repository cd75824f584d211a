import { credentialsForReference, ParityFailedError, parseClassLabels, renderPackageMarkdown, renderParityMarkdown, serialize, type ModelFormat, type ModelTask } from '@mlship/sdk';
import { actionsLogger, forAction, inputBoolean, inputList, inputNumber, inputRequired, inputSecret, inputString, packageOutputs, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  model: string; format: string; name: string; version: string; 'features-from'?: string; target?: string; sample?: string;
  'input-map'?: string; 'allow-missing': boolean;
  'golden-rows'?: number; 'parity-rows'?: number; atol?: number; rtol?: number; 'min-label-agreement'?: number; task?: string;
  'class-labels': string[]; 'metrics-file'?: string; python?: string; 'python-path': string[]; import: string[]; 'output-names': string[];
  'target-opset'?: number; out: string; archive?: string; 'push-to'?: string; 'registry-username'?: string; 'registry-password'?: string;
}

export function readInputs(): Inputs {
  return {
    model: inputRequired('model'), format: inputRequired('format'), name: inputRequired('name'), version: inputRequired('version'),
    'features-from': inputString('features-from'), target: inputString('target'), sample: inputString('sample'),
    'input-map': inputString('input-map'), 'allow-missing': inputBoolean('allow-missing', false),
    'golden-rows': inputNumber('golden-rows'), 'parity-rows': inputNumber('parity-rows'), atol: inputNumber('atol'), rtol: inputNumber('rtol'),
    'min-label-agreement': inputNumber('min-label-agreement'), task: inputString('task'), 'class-labels': inputList('class-labels'),
    'metrics-file': inputString('metrics-file'), python: inputString('python'), 'python-path': inputList('python-path'), import: inputList('import'),
    'output-names': inputList('output-names'), 'target-opset': inputNumber('target-opset'), out: inputRequired('out'), archive: inputString('archive'),
    'push-to': inputString('push-to'), 'registry-username': inputString('registry-username'), 'registry-password': inputSecret('registry-password'),
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const login = { username: i['registry-username'], password: i['registry-password'] };
  try {
    const r = await serialize({
      model: i.model, format: i.format as ModelFormat, name: i.name, version: i.version, out: i.out, archive: i.archive,
      featuresFrom: i['features-from'], target: i.target, sample: i.sample, inputMap: i['input-map'], allowMissing: i['allow-missing'], goldenRows: i['golden-rows'], parityRows: i['parity-rows'],
      tolerance: { atol: i.atol, rtol: i.rtol, minLabelAgreement: i['min-label-agreement'] }, task: i.task as ModelTask | undefined,
      classLabels: parseClassLabels(i['class-labels']), metricsFile: i['metrics-file'], python: i.python, pythonPath: i['python-path'],
      imports: i.import, outputNames: i['output-names'].length ? i['output-names'] : undefined, targetOpset: i['target-opset'], pushTo: i['push-to'],
      registry: { credentials: i['push-to'] ? credentialsForReference(i['push-to'], login, { username: 'registry-username', password: 'registry-password' }) : undefined },
      logger: actionsLogger(),
    });
    setOutputs(packageOutputs(r));
    await writeJobSummary([renderPackageMarkdown(r.manifest, { archivePath: r.archivePath, pushed: r.pushed?.pinned }),
      r.parity ? renderParityMarkdown(r.parity) : '', ...r.warnings.map((w) => `> ⚠️ ${forAction(w)}\n`)].filter(Boolean).join('\n'));
  } catch (err) {
    if (err instanceof ParityFailedError) {
      setOutputs({ parity: 'failed' });
      await writeJobSummary(renderParityMarkdown(err.report));
    }
    throw err;
  }
}
