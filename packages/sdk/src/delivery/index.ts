// Progressive delivery without a controller: canary analysis on the pods' own metrics.
export * from './analysis.ts';
export * from './canary.ts';
export * from './strategy.ts';
export * from './blue-green.ts';
export * from './flags.ts';
