// Daemonless, reproducible model-server images (and the Dockerfile alternative).
export * from './config.ts';
export * from './layer.ts';
export * from './runtime.ts';
export * from './local-output.ts';
export * from './build.ts';
export * from './dockerfile.ts';
export * from './outcome.ts';
