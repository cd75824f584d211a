/**
 * The defaults users see, one place for each: the SDK applies them when an option is not given, the
 * CLI's help and the actions' `action.yml` state the same values (test/actions/defaults.test.ts checks
 * every action.yml default against this table), and docs link here rather than copy them. Keys are
 * the option keys (kebab-case: the CLI flag and the action input).
 */
export const DEFAULTS = {
  evaluate: { target: 'target', task: 'auto', 'batch-size': 65536, seed: 42, 'join-on': 'id' },
  drift: { 'drift-share': 0.5, 'missing-share-alert': 0.05, 'join-on': 'id' },
  serialize: { format: 'onnx', target: 'target', 'golden-rows': 5, 'parity-rows': 200, atol: 1e-5, rtol: 1e-4, 'min-label-agreement': 1, python: 'python3' },
  image: { base: 'docker.io/library/node:24-bookworm-slim', platforms: 'linux/amd64', builder: 'mlship' },
} as const;
