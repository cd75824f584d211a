import { deployOptionsFromFlags, deployWithStrategy, stderrLogger } from '@mlship/sdk';
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
  --pod-labels K=V,…      labels on the pods only; --pod-annotations K=V,… likewise
  --node-selector K=V,…   run only on nodes with these labels
  --tolerations T,…       key[=value][:Effect] each (e.g. dedicated=ml:NoSchedule)
  --service-account NAME  ServiceAccount of the pods
  --image-pull-secrets S,… existing dockerconfigjson Secrets to pull with
  --registry-username U   with the password in MLSHIP_REGISTRY_PASSWORD (never an argument): creates
                          the pull Secret NAME-registry for the image's registry
  --no-create-namespace   fail instead of creating a missing namespace
  --kubeconfig FILE       kubeconfig path; --context NAME
  --mode MODE             render | server-dry-run | apply (default apply)
  --timeout SECONDS       rollout wait (default 300; batch: the Job, default --active-deadline + 60)
  --rollback              kubectl rollout undo when the rollout fails
  --out DIR               where the manifest is written (default .)
  --monitoring PARTS      also write rules,dashboard: Prometheus alert rules (rules file + PrometheusRule)
                          and a Grafana dashboard (JSON + sidecar ConfigMap); see docs/monitoring.md
  --monitoring-selector M PromQL label matchers for them (default job="NAME")
  --strategy S            rolling (default) | canary: NAME-canary pods behind the same Service, analysed
                          per step on their own /metrics against the stable pods, promoted or aborted |
                          blue-green: NAME-blue/NAME-green, smoke-tested through NAME-preview, then the
                          Service selector switches (--package PKG for the smoke test's golden rows;
                          --switch-back to return to the previous color)
  --canary-steps P,…      canary weights in percent (default 10,50,100)
  --analysis-window SEC   live traffic analysed per step (default 60)

batch scoring (docs/batch.md, "On Kubernetes"): an Indexed Job of N pods, each running the image's
\`mlship predict --shard $(JOB_COMPLETION_INDEX)/N\`; the last shard to finish merges the parts
  --workload W            service (default: Deployment + Service) | batch
  --input PATH            the input file, a path inside the volume (CSV or JSON Lines)
  --output PATH           the merged output inside the volume; {run} becomes the run's Job name
                          (required in it with --schedule)
  --shards N              parts = pods (completions); --parallelism P pods at once (default N)
  --volume-claim PVC      the volume holding input and output (mounted at /data), or
  --volume-host-path DIR  a node directory instead (single-node clusters), writable by uid 65532
  --keep A,B              input columns copied to the output first (ids)
  --retries N             retries per shard (default 1; bad input, exit 2, is never retried)
  --active-deadline SEC   the run is stopped after this many seconds (default 3600)
  --workers N             scoring threads per pod (default: whole CPUs of --limits cpu)
  --schedule CRON         a CronJob running the same Job on this schedule (concurrencyPolicy Forbid)
`,
  async run(argv) {
    const { values: v } = parseCommandArgs('deploy', argv, {
      name: { type: 'string' }, image: { type: 'string' }, namespace: { type: 'string' },
      replicas: { type: 'string' }, autoscale: { type: 'string' }, 'min-available': { type: 'string' },
      requests: { type: 'string' }, limits: { type: 'string' }, env: { type: 'string' },
      kubeconfig: { type: 'string' }, context: { type: 'string' }, mode: { type: 'string' },
      timeout: { type: 'string' }, rollback: { type: 'boolean' }, out: { type: 'string' },
      monitoring: { type: 'string' }, 'monitoring-selector': { type: 'string' },
      'pod-labels': { type: 'string' }, 'pod-annotations': { type: 'string' }, 'node-selector': { type: 'string' },
      tolerations: { type: 'string' }, 'service-account': { type: 'string' }, 'image-pull-secrets': { type: 'string' },
      'registry-username': { type: 'string' }, 'no-create-namespace': { type: 'boolean' },
      strategy: { type: 'string' }, 'canary-steps': { type: 'string' }, 'analysis-window': { type: 'string' },
      package: { type: 'string' }, 'switch-back': { type: 'boolean' },
      workload: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, shards: { type: 'string' },
      parallelism: { type: 'string' }, keep: { type: 'string' }, retries: { type: 'string' }, 'active-deadline': { type: 'string' },
      workers: { type: 'string' }, schedule: { type: 'string' }, 'volume-claim': { type: 'string' }, 'volume-host-path': { type: 'string' },
    });
    const result = await deployWithStrategy(deployOptionsFromFlags({
      ...v,
      name: requireOption('deploy', 'name', v.name),
      image: requireOption('deploy', 'image', v.image),
      'image-pull-secrets': v['image-pull-secrets']?.split(',').map((x) => x.trim()).filter(Boolean),
      // The password never on the command line: MLSHIP_REGISTRY_PASSWORD.
      'registry-password': v['registry-username'] === undefined ? undefined : (process.env.MLSHIP_REGISTRY_PASSWORD ?? ''),
      rollback: v.rollback === true,
      'create-namespace': v['no-create-namespace'] !== true,
      'switch-back': v['switch-back'] === true,
    }, { target: { kubeconfig: v.kubeconfig, context: v.context, namespace: v.namespace }, outDir: v.out ?? '.', logger: stderrLogger() }));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.batch?.verdict === 'failed') {
      process.stderr.write(`error: batch run ${result.batch.job}: ${result.batch.reason}\n`);
      return 1;
    }
    return (result.canary && result.canary.verdict !== 'promoted') || (result.blueGreen && !result.blueGreen.switched) ? 1 : 0;
  },
};
