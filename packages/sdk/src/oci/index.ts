// OCI Distribution client: image references, registry auth, blobs and manifests.
export * from './reference.ts';
export * from './auth.ts';
export * from './manifest.ts';
export * from './client.ts';
export * from './proxy.ts';
