import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they check (packages/*/src/**/*.test.ts); cross-package, action and
// end-to-end tests live in test/. Three tiers, as vitest projects (`npm test` runs all three; pick one
// with `npm run test:unit` or `npm test -- --project reference`):
//  - unit: no Python, no servers, no build — seconds. Everything not listed below.
//  - reference: compares with the Python reference libraries (scikit-learn, scipy, Evidently, skl2onnx,
//    torch) through .venv/bin/python.
//  - integration: real servers and tools — the model server, a registry, the fake GitHub API, the
//    built CLI and action bundles, podman/skopeo, a cluster validator, npm pack, whole-tree tsc/TypeDoc.
// Servers listen on 127.0.0.1 only and stop what they start.
const REFERENCE = [
  'packages/sdk/src/compare/outputs.test.ts', 'packages/sdk/src/drift/check.test.ts', 'packages/sdk/src/drift/special.test.ts',
  'packages/sdk/src/evaluate/bootstrap.test.ts', 'packages/sdk/src/metrics/*.test.ts', 'packages/sdk/src/model/onnx-proto.test.ts',
  'packages/sdk/src/drift/psi-quantile.test.ts', 'packages/sdk/src/serialize/converter.test.ts', 'packages/sdk/src/serialize/serialize-*.test.ts', 'packages/sdk/src/server/metrics.test.ts',
  'test/evaluate-model/sklearn-reference.test.ts', 'test/serialize/manifest-schema.test.ts',
];
const INTEGRATION = [
  'packages/sdk/src/k8s/manifests.test.ts', // runs the Kubernetes schema validator (tools/k8s-validate)
  'test/actions/workflow-steps.test.ts', 'test/deploy-k8s/**/*.test.ts', 'test/drift-check/**/*.test.ts', 'test/evaluate-model/action.test.ts', 'test/evaluate-model/bad-input.test.ts',
  'test/evaluate-model/cli.test.ts', 'test/evaluate-model/late-labels.test.ts', 'test/example-repo/**/*.test.ts', 'test/image/**/*.test.ts', 'test/oci/**/*.test.ts', 'test/packaging/**/*.test.ts', 'test/serialize/cli.test.ts',
  'test/serialize/oci-artifact.test.ts', 'test/serialize/serialize-action.test.ts', 'test/server/**/*.test.ts', 'test/smoke-test/**/*.test.ts',
  // The model zoo (real libraries, servers, real OIP clients), batch scoring, hostile inputs, monitoring
  // (promtool, Prometheus), the real cluster and the workflow engine.
  'test/models/**/*.test.ts', 'test/batch/**/*.test.ts', 'test/batch-score/**/*.test.ts', 'test/delivery/**/*.test.ts', 'test/hostile/**/*.test.ts',
  'test/monitoring/**/*.test.ts', 'test/k8s/**/*.test.ts', 'test/engine/**/*.test.ts',
];
const ALL = ['packages/*/src/**/*.test.ts', 'actions/*/src/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ALL, exclude: [...REFERENCE, ...INTEGRATION, '**/node_modules/**'] } },
      { extends: true, test: { name: 'reference', include: REFERENCE } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
