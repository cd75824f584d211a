import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { deployModel, parseAutoscale, parseKeyValueList, parseMonitoringParts } from '@mlship/sdk';
import { actionsLogger, inputBoolean, inputNumber, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

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
  kubeconfig?: string;
  context?: string;
  mode: string;
  timeout?: number;
  rollback: boolean;
  monitoring?: string;
  'monitoring-selector'?: string;
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
    kubeconfig: inputString('kubeconfig'),
    context: inputString('context'),
    mode: inputString('mode') ?? 'apply',
    timeout: inputNumber('timeout'),
    rollback: inputBoolean('rollback', true),
    monitoring: inputString('monitoring'),
    'monitoring-selector': inputString('monitoring-selector'),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const temp = await mkdtemp(join(process.env.RUNNER_TEMP ?? tmpdir(), 'mlship-deploy-'));
  let kubeconfig: string | undefined;
  try {
    if (inputs.kubeconfig) {
      // A secret: masked in logs, kept in a file only this user can read, deleted afterwards.
      for (const secret of kubeconfigSecrets(inputs.kubeconfig)) core.setSecret(secret);
      kubeconfig = join(temp, 'kubeconfig');
      await writeFile(kubeconfig, inputs.kubeconfig, { mode: 0o600 });
      await chmod(kubeconfig, 0o600);
    }
    const result = await deployModel({
      name: inputs.name,
      image: inputs.image,
      namespace: inputs.namespace,
      replicas: inputs.replicas,
      autoscale: parseAutoscale(inputs.autoscale),
      minAvailable: inputs['min-available'],
      requests: parseKeyValueList(inputs.requests, 'requests'),
      limits: parseKeyValueList(inputs.limits, 'limits'),
      env: parseKeyValueList(inputs.env, 'env'),
      target: { kubeconfig, context: inputs.context, namespace: inputs.namespace },
      outDir: process.env.GITHUB_WORKSPACE ? join(process.env.GITHUB_WORKSPACE, '.mlship') : '.mlship',
      mode: inputs.mode as 'render' | 'server-dry-run' | 'apply',
      rolloutTimeoutSeconds: inputs.timeout,
      rollbackOnFailure: inputs.rollback,
      monitoring: parseMonitoringParts(inputs.monitoring),
      monitoringSelector: inputs['monitoring-selector'],
      logger: actionsLogger(),
    });
    setOutputs({ manifest: result.manifestPath, objects: result.objects.join(','), 'rolled-out': result.rolledOut, monitoring: Object.values(result.monitoring ?? {}).join(',') });
    await writeJobSummary([
      `### mlship deploy-k8s: ${inputs.name}`,
      '',
      `| | |`,
      `|---|---|`,
      `| image | \`${inputs.image}\` |`,
      `| mode | ${inputs.mode} |`,
      `| objects | ${result.objects.map((o) => `\`${o}\``).join(', ') || '—'} |`,
      `| rolled out | ${result.rolledOut ? 'yes' : 'no'} |`,
      `| manifest | \`${result.manifestPath}\` |`,
      ...(result.monitoring ? [`| monitoring | ${Object.values(result.monitoring).map((p) => `\`${p}\``).join(', ')} |`] : []),
      '',
    ].join('\n'));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * What to mask from a kubeconfig: the whole text (masks only where it appears whole) and each
 * credential value on its own, since the runner masks line by line.
 */
export function kubeconfigSecrets(kubeconfig: string): string[] {
  const values = [...kubeconfig.matchAll(/(?:token|key-data|certificate-data|password|secret|client-key)\s*:\s*["']?([^\s"']{4,})/gi)].map((m) => m[1]!);
  return [kubeconfig, ...new Set(values)];
}
