export * from './interpret.ts';
export * from './compute.ts';
export * from './bootstrap.ts';
export * from './gate.ts';
export * from './evaluate.ts';
export * from './report.ts';
export * from './late-labels.ts';
