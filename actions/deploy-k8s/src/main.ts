import { deployOptionsFromFlags, deployOutcome, deployWithStrategy, kubeconfigSecrets, resolveKubeconfigSource, withKubeconfigFile, type DeployFlags } from '@mlship/sdk';
import { actionsLogger, deployOutputs, inputBoolean, inputList, inputRequired, inputString, maskSecrets, runningInCI, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml: deploy's flags (the SDK's DeployFlags) plus the kubeconfig ones. */
export interface Inputs extends DeployFlags {
  name: string; image: string; namespace?: string; replicas?: string; autoscale?: string; 'min-available'?: string;
  requests?: string; limits?: string; env?: string; 'pod-labels'?: string; 'pod-annotations'?: string; 'node-selector'?: string;
  tolerations?: string; 'service-account'?: string; 'image-pull-secrets': string[]; 'registry-username'?: string; 'registry-password'?: string;
  kubeconfig?: string; 'use-runner-kubeconfig': boolean; context?: string; mode?: string; timeout?: string; rollback: boolean;
  'create-namespace': boolean; monitoring?: string; 'monitoring-selector'?: string; strategy?: string; 'canary-steps'?: string;
  'analysis-window'?: string; package?: string; 'switch-back': boolean; workload?: string; input?: string; output?: string; shards?: string;
  parallelism?: string; keep?: string; retries?: string; 'active-deadline'?: string; workers?: string; schedule?: string; 'volume-claim'?: string; 'volume-host-path'?: string;
}

const TEXT_INPUTS = ['namespace', 'replicas', 'autoscale', 'min-available', 'requests', 'limits', 'env', 'pod-labels', 'pod-annotations',
  'node-selector', 'tolerations', 'service-account', 'registry-username', 'registry-password', 'kubeconfig', 'context', 'mode', 'timeout',
  'monitoring', 'monitoring-selector', 'strategy', 'canary-steps', 'analysis-window', 'package', 'workload', 'input', 'output', 'shards',
  'parallelism', 'keep', 'retries', 'active-deadline', 'workers', 'schedule', 'volume-claim', 'volume-host-path'] as const;

export function readInputs(): Inputs {
  return {
    name: inputRequired('name'),
    image: inputRequired('image'),
    ...Object.fromEntries(TEXT_INPUTS.map((k) => [k, inputString(k)])),
    'image-pull-secrets': inputList('image-pull-secrets'),
    'use-runner-kubeconfig': inputBoolean('use-runner-kubeconfig', false),
    rollback: inputBoolean('rollback', true),
    'create-namespace': inputBoolean('create-namespace', true),
    'switch-back': inputBoolean('switch-back', false),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  // Secrets: masked in logs before anything runs.
  if (inputs.kubeconfig) maskSecrets(kubeconfigSecrets(inputs.kubeconfig));
  if (inputs['registry-password']) maskSecrets([inputs['registry-password']]);
  const source = resolveKubeconfigSource({ content: inputs.kubeconfig, useMachineKubeconfig: inputs['use-runner-kubeconfig'], ci: runningInCI(), needed: inputs.mode !== 'render' });
  const result = await withKubeconfigFile(source === 'content' ? inputs.kubeconfig : undefined, (kubeconfig) => deployWithStrategy(deployOptionsFromFlags(inputs, {
    target: { kubeconfig, context: inputs.context, namespace: inputs.namespace },
    outDir: process.env.GITHUB_WORKSPACE ? `${process.env.GITHUB_WORKSPACE}/.mlship` : '.mlship',
    logger: actionsLogger(),
  })), process.env.RUNNER_TEMP);
  const outcome = deployOutcome(inputs, result);
  setOutputs(deployOutputs(result));
  await writeJobSummary(outcome.markdown);
  if (outcome.failure) throw new Error(outcome.failure);
}
