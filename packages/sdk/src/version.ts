/**
 * mlship's version: the one place it is written in code (the model server's metadata, the package
 * manifest's `tools.mlship`, `mlship --version`). packages/sdk/package.json and packages/cli/package.json
 * carry the same number for npm; test/packaging/pack-install.test.ts checks the three agree.
 */
export const MLSHIP_VERSION = '0.1.0';
