// The model package domain: manifest schema, writer, loader/verifier, archive.
export * from './manifest.ts';
export * from './archive.ts';
export * from './golden.ts';
export * from './loader.ts';
export * from './writer.ts';
export * from './oci-artifact.ts';
export * from './monitoring-profile.ts';
