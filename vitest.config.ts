import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they check (packages/*/src/**/*.test.ts); cross-package, action and
// end-to-end tests live in test/. Integration tests start real servers (registry, prometheus, the model
// server) from their own setup; they listen on 127.0.0.1 only and stop what they start.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'actions/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
