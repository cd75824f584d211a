export * from './manifests.ts';
export * from './kubectl.ts';
export * from './deploy.ts';
export * from './options.ts';
