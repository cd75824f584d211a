export * from './errors.ts';
export * from './sum.ts';
export * from './labels.ts';
export * from './classification.ts';
export * from './ranking.ts';
export * from './log-loss.ts';
export * from './regression.ts';
export * from './registry.ts';
