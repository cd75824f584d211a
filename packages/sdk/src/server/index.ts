// The model server: OIP V2 + /predict over node:http, dynamic batching, Prometheus metrics, JSON logs.
export * from './batcher.ts';
export * from './codec.ts';
export * from './http-error.ts';
export * from './config.ts';
export * from './inference-log.ts';
export * from './json-log.ts';
export * from './metrics.ts';
export * from './prediction-metric-names.ts';
export * from './served-model.ts';
export * from './server.ts';
export * from './model-source.ts';
export * from './run.ts';
export * from './json-limits.ts';
export * from './metrics-merge.ts';
export * from './workers.ts';
