import { assertSmokeTest, DEFAULT_PARITY_TOLERANCE, renderSmokeTestMarkdown, smokeTestPackage } from '@mlship/sdk';
import { actionsLogger, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  url: string;
  package: string;
  'model-name'?: string;
  'ready-timeout': number;
  atol: number;
  rtol: number;
}

export function readInputs(): Inputs {
  return {
    url: inputRequired('url'),
    package: inputRequired('package'),
    'model-name': inputString('model-name'),
    'ready-timeout': inputNumber('ready-timeout', 60)!,
    atol: inputNumber('atol', DEFAULT_PARITY_TOLERANCE.atol)!,
    rtol: inputNumber('rtol', DEFAULT_PARITY_TOLERANCE.rtol)!,
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const result = await smokeTestPackage({
    url: inputs.url,
    package: inputs.package,
    modelName: inputs['model-name'],
    readyTimeoutMs: inputs['ready-timeout'] * 1000,
    tolerance: { ...DEFAULT_PARITY_TOLERANCE, atol: inputs.atol, rtol: inputs.rtol },
    logger: actionsLogger(),
  });
  setOutputs({ passed: result.passed, 'ready-ms': Math.round(result.readyMs), 'infer-ms': Math.round(result.inferMs), message: result.message });
  await writeJobSummary(renderSmokeTestMarkdown(result));
  assertSmokeTest(result);
}
