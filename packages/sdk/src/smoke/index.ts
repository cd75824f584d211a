// Smoke tests of a running model server against its package's golden rows.
export * from './smoke-test.ts';
export * from './package.ts';
