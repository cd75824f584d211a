import { assertSmokeTest, DEFAULT_PARITY_TOLERANCE, kubeconfigSecrets, renderSmokeTestMarkdown, resolveKubeconfigSource, smokeTestPackage, withKubeconfigFile } from '@mlship/sdk';
import { actionsLogger, inputBoolean, inputNumber, inputRequired, inputString, maskSecrets, runningInCI, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  url?: string;
  service?: string;
  kubeconfig?: string;
  'use-runner-kubeconfig': boolean;
  context?: string;
  package: string;
  'model-name'?: string;
  'ready-timeout': number;
  atol: number;
  rtol: number;
}

export function readInputs(): Inputs {
  return {
    url: inputString('url'),
    service: inputString('service'),
    kubeconfig: inputString('kubeconfig'),
    'use-runner-kubeconfig': inputBoolean('use-runner-kubeconfig', false),
    context: inputString('context'),
    package: inputRequired('package'),
    'model-name': inputString('model-name'),
    'ready-timeout': inputNumber('ready-timeout', 60)!,
    atol: inputNumber('atol', DEFAULT_PARITY_TOLERANCE.atol)!,
    rtol: inputNumber('rtol', DEFAULT_PARITY_TOLERANCE.rtol)!,
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.kubeconfig) maskSecrets(kubeconfigSecrets(inputs.kubeconfig));
  const source = resolveKubeconfigSource({ content: inputs.kubeconfig, useMachineKubeconfig: inputs['use-runner-kubeconfig'], ci: runningInCI(), needed: inputs.service !== undefined });
  const result = await withKubeconfigFile(source === 'content' ? inputs.kubeconfig : undefined, (kubeconfig) => smokeTestPackage({
    url: inputs.url,
    service: inputs.service,
    kubectl: { kubeconfig, context: inputs.context },
    package: inputs.package,
    modelName: inputs['model-name'],
    readyTimeoutMs: inputs['ready-timeout'] * 1000,
    tolerance: { ...DEFAULT_PARITY_TOLERANCE, atol: inputs.atol, rtol: inputs.rtol },
    logger: actionsLogger(),
  }), process.env.RUNNER_TEMP);
  setOutputs({ passed: result.passed, 'ready-ms': Math.round(result.readyMs), 'infer-ms': Math.round(result.inferMs), message: result.message });
  await writeJobSummary(renderSmokeTestMarkdown(result));
  assertSmokeTest(result);
}
