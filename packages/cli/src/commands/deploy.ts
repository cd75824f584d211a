import { deployModel, NON_NEGATIVE_INTEGER, parseAutoscale, parseKeyValueList, parseNumberOption, POSITIVE, stderrLogger } from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'render Kubernetes manifests for a model-server image and apply them with kubectl',
  usage: `
usage: mlship deploy --name NAME --image REF [options]

  --name NAME             Deployment/Service name (DNS label)
  --image REF             image reference, preferably pinned by digest (…@sha256:…)
  --namespace NS          namespace (default: the kubeconfig's)
  --replicas N            fixed replica count (default 2; ignored with --autoscale)
  --autoscale MIN:MAX     HorizontalPodAutoscaler on CPU (70%)
  --min-available N       PodDisruptionBudget
  --requests K=V,…        resource requests (default cpu=250m,memory=256Mi)
  --limits K=V,…          resource limits (default memory=1Gi)
  --env K=V,…             extra environment for the server (MLSHIP_MAX_BATCH=64, …)
  --kubeconfig FILE       kubeconfig path; --context NAME
  --mode MODE             render | server-dry-run | apply (default apply)
  --timeout SECONDS       rollout wait (default 300)
  --rollback              kubectl rollout undo when the rollout fails
  --out DIR               where the manifest is written (default .)
`,
  async run(argv) {
    const { values: v } = parseCommandArgs('deploy', argv, {
      name: { type: 'string' }, image: { type: 'string' }, namespace: { type: 'string' },
      replicas: { type: 'string' }, autoscale: { type: 'string' }, 'min-available': { type: 'string' },
      requests: { type: 'string' }, limits: { type: 'string' }, env: { type: 'string' },
      kubeconfig: { type: 'string' }, context: { type: 'string' }, mode: { type: 'string' },
      timeout: { type: 'string' }, rollback: { type: 'boolean' }, out: { type: 'string' },
    });
    const result = await deployModel({
      name: requireOption('deploy', 'name', v.name),
      image: requireOption('deploy', 'image', v.image),
      namespace: v.namespace,
      replicas: parseNumberOption('replicas', v.replicas, NON_NEGATIVE_INTEGER),
      autoscale: parseAutoscale(v.autoscale),
      minAvailable: parseNumberOption('min-available', v['min-available'], NON_NEGATIVE_INTEGER),
      requests: parseKeyValueList(v.requests, '--requests'),
      limits: parseKeyValueList(v.limits, '--limits'),
      env: parseKeyValueList(v.env, '--env'),
      target: { kubeconfig: v.kubeconfig, context: v.context, namespace: v.namespace },
      outDir: v.out ?? '.',
      mode: (v.mode ?? 'apply') as 'render' | 'server-dry-run' | 'apply',
      rolloutTimeoutSeconds: parseNumberOption('timeout', v.timeout, POSITIVE),
      rollbackOnFailure: v.rollback === true,
      logger: stderrLogger(),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
