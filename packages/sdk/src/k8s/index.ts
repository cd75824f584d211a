export * from './manifests.ts';
export * from './kubectl.ts';
export * from './deploy.ts';
export * from './options.ts';
export * from './service-proxy.ts';
export * from './kubeconfig.ts';
export * from './batch-job.ts';
export * from './batch-deploy.ts';
