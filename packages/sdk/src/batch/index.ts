// The batch scoring domain: score a CSV of any size with a model package, on every core, sharded, resumable.
export * from './predict.ts';
export * from './merge.ts';
export * from './prediction-columns.ts';
export * from '../data/row-ranges.ts';
export { RowScanner } from '../data/row-scanner.ts';
export * from './shard-merge.ts';
export * from './options.ts';
