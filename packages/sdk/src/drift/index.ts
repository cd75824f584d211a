// Drift detection: Evidently-exact statistics and decisions over two CSV files, reports, issue lifecycle.
export * from './special.ts';
export * from './ks.ts';
export * from './stats.ts';
export * from './stattests.ts';
export * from './columns.ts';
export * from './check.ts';
export * from './report.ts';
export * from './issue.ts';
export * from './run.ts';
export * from './options.ts';
export * from './jsonl.ts';
