import { deployWithStrategy, kubeconfigSecrets, parseCanarySteps, renderCanaryMarkdown, parseAutoscale, parseKeyValueList, parseMonitoringParts, parseTolerations, renderDeployMarkdown, resolveKubeconfigSource, withKubeconfigFile } from '@mlship/sdk';
import { actionsLogger, inputBoolean, inputList, inputNumber, inputRequired, inputString, maskSecrets, runningInCI, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  name: string;
  image: string;
  namespace?: string;
  replicas?: number;
  autoscale?: string;
  'min-available'?: number;
  requests?: string;
  limits?: string;
  env?: string;
  'pod-labels'?: string;
  'pod-annotations'?: string;
  'node-selector'?: string;
  tolerations?: string;
  'service-account'?: string;
  'image-pull-secrets': string[];
  'registry-username'?: string;
  'registry-password'?: string;
  kubeconfig?: string;
  'use-runner-kubeconfig': boolean;
  context?: string;
  mode: string;
  timeout?: number;
  rollback: boolean;
  'create-namespace': boolean;
  monitoring?: string;
  'monitoring-selector'?: string;
  strategy?: string;
  'canary-steps'?: string;
  'analysis-window'?: number;
  package?: string;
  'switch-back': boolean;
}

export function readInputs(): Inputs {
  return {
    name: inputRequired('name'),
    image: inputRequired('image'),
    namespace: inputString('namespace'),
    replicas: inputNumber('replicas'),
    autoscale: inputString('autoscale'),
    'min-available': inputNumber('min-available'),
    requests: inputString('requests'),
    limits: inputString('limits'),
    env: inputString('env'),
    'pod-labels': inputString('pod-labels'),
    'pod-annotations': inputString('pod-annotations'),
    'node-selector': inputString('node-selector'),
    tolerations: inputString('tolerations'),
    'service-account': inputString('service-account'),
    'image-pull-secrets': inputList('image-pull-secrets'),
    'registry-username': inputString('registry-username'),
    'registry-password': inputString('registry-password'),
    kubeconfig: inputString('kubeconfig'),
    'use-runner-kubeconfig': inputBoolean('use-runner-kubeconfig', false),
    context: inputString('context'),
    mode: inputString('mode') ?? 'apply',
    timeout: inputNumber('timeout'),
    rollback: inputBoolean('rollback', true),
    'create-namespace': inputBoolean('create-namespace', true),
    monitoring: inputString('monitoring'),
    'monitoring-selector': inputString('monitoring-selector'),
    strategy: inputString('strategy'),
    'canary-steps': inputString('canary-steps'),
    'analysis-window': inputNumber('analysis-window'),
    package: inputString('package'),
    'switch-back': inputBoolean('switch-back', false),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  // Secrets: masked in logs before anything runs.
  if (inputs.kubeconfig) maskSecrets(kubeconfigSecrets(inputs.kubeconfig));
  if (inputs['registry-password']) maskSecrets([inputs['registry-password']]);
  const source = resolveKubeconfigSource({ content: inputs.kubeconfig, useMachineKubeconfig: inputs['use-runner-kubeconfig'], ci: runningInCI(), needed: inputs.mode !== 'render' });
  const result = await withKubeconfigFile(source === 'content' ? inputs.kubeconfig : undefined, (kubeconfig) => deployWithStrategy({
    name: inputs.name,
    image: inputs.image,
    namespace: inputs.namespace,
    replicas: inputs.replicas,
    autoscale: parseAutoscale(inputs.autoscale),
    minAvailable: inputs['min-available'],
    requests: parseKeyValueList(inputs.requests, 'requests'),
    limits: parseKeyValueList(inputs.limits, 'limits'),
    env: parseKeyValueList(inputs.env, 'env'),
    podLabels: parseKeyValueList(inputs['pod-labels'], 'pod-labels'),
    podAnnotations: parseKeyValueList(inputs['pod-annotations'], 'pod-annotations'),
    nodeSelector: parseKeyValueList(inputs['node-selector'], 'node-selector'),
    tolerations: parseTolerations(inputs.tolerations),
    serviceAccountName: inputs['service-account'],
    imagePullSecrets: inputs['image-pull-secrets'],
    registryCredentials: inputs['registry-username'] || inputs['registry-password']
      ? { username: inputs['registry-username'] ?? '', password: inputs['registry-password'] ?? '' }
      : undefined,
    target: { kubeconfig, context: inputs.context, namespace: inputs.namespace },
    outDir: process.env.GITHUB_WORKSPACE ? `${process.env.GITHUB_WORKSPACE}/.mlship` : '.mlship',
    mode: inputs.mode as 'render' | 'server-dry-run' | 'apply',
    rolloutTimeoutSeconds: inputs.timeout,
    rollbackOnFailure: inputs.rollback,
    createNamespace: inputs['create-namespace'],
    monitoring: parseMonitoringParts(inputs.monitoring),
    monitoringSelector: inputs['monitoring-selector'],
    strategy: inputs.strategy,
    canarySteps: parseCanarySteps(inputs['canary-steps']),
    analysisWindowSeconds: inputs['analysis-window'],
    package: inputs.package,
    switchBack: inputs['switch-back'],
    logger: actionsLogger(),
  }), process.env.RUNNER_TEMP);
  setOutputs({ manifest: result.manifestPath, objects: result.objects.join(','), 'rolled-out': result.rolledOut, changed: result.changed, monitoring: Object.values(result.monitoring ?? {}).join(',') });
  if (result.blueGreen) {
    const bg = result.blueGreen;
    setOutputs({ verdict: bg.switched ? 'promoted' : 'aborted', 'active-color': bg.active, 'previous-color': bg.previous ?? '' });
    await writeJobSummary(`### mlship deploy-k8s blue-green: ${inputs.name}\n\nService \`${inputs.name}\` selects **${bg.active}**${bg.previous ? ` (was ${bg.previous})` : ''}.${bg.smoke ? ` Smoke test of the new color: ${bg.smoke.message}` : ''}\n`);
    if (!bg.switched) throw new Error(`Blue-green: the new color did not pass its smoke test (${bg.smoke?.message}); service/${inputs.name} still selects ${bg.active}.`);
    return;
  }
  if (result.canary) {
    setOutputs({ verdict: result.canary.verdict, 'step-reached': result.canary.stepReached, 'canary-analysis': JSON.stringify(result.canary.steps.map((s) => ({ weight: s.weight, verdict: s.analysis?.verdict, checks: s.analysis?.checks }))) });
    await writeJobSummary(renderCanaryMarkdown(inputs.name, inputs.image, result.canary));
    if (result.canary.verdict !== 'promoted') throw new Error(`Canary ${result.canary.verdict} at step ${result.canary.stepReached}%: ${result.canary.reason}. deployment/${inputs.name} keeps the previous image.`);
    return;
  }
  await writeJobSummary(renderDeployMarkdown(inputs, result));
}
