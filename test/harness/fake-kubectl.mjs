#!/usr/bin/env node
// A stand-in for kubectl, used only where no Kubernetes cluster can exist (these machines have no
// container engine for kind/k3s). It records each call's argv (one JSON line per call) in
// $FAKE_KUBECTL_LOG, answers `apply -o name` with the kind/name of every object in the manifest, and
// fails `rollout status` when $FAKE_KUBECTL_FAIL_ROLLOUT=1, as kubectl does when a rollout times out.
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_KUBECTL_LOG, `${JSON.stringify(args)}\n`);
const kubeconfig = args[args.indexOf('--kubeconfig') + 1];
if (args.includes('--kubeconfig')) readFileSync(kubeconfig, 'utf8'); // must exist and be readable
if (args.includes('apply')) {
  const manifest = readFileSync(args[args.indexOf('-f') + 1], 'utf8');
  const kinds = [...manifest.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
  const names = [...manifest.matchAll(/^  name: ([\w-]+)$/gm)].map((m) => m[1]);
  const group = { Deployment: 'deployment.apps', Service: 'service', HorizontalPodAutoscaler: 'horizontalpodautoscaler.autoscaling', PodDisruptionBudget: 'poddisruptionbudget.policy' };
  process.stdout.write(kinds.map((k, i) => `${group[k] ?? k.toLowerCase()}/${names[i]}`).join('\n') + '\n');
} else if (args.includes('rollout') && args.includes('status')) {
  if (process.env.FAKE_KUBECTL_FAIL_ROLLOUT === '1') {
    process.stderr.write('error: timed out waiting for the condition\n');
    process.exit(1);
  }
  process.stdout.write('deployment "x" successfully rolled out\n');
} else if (args.includes('rollout') && args.includes('undo')) {
  process.stdout.write('deployment.apps/x rolled back\n');
}
