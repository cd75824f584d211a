import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they check (packages/*/src/**/*.test.ts); cross-package, action and
// end-to-end tests live in test/. Integration tests start real servers (registry, prometheus, the model
// server) from their own setup; they listen on 127.0.0.1 only and stop what they start.
// `@mlship/source`: @mlship/sdk's exports map sends this condition to its TypeScript sources, so tests
// run the code as it is, not the last build (packages/sdk/package.json).
const conditions = ['@mlship/source', 'node', 'import', 'default'];
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'actions/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
