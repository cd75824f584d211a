// Where the runtime layer comes from must not change the image: onnxruntime-node read from the repo's
// installed node_modules and from the npm registry's tarballs (`npm pack`, the path a fresh runner
// without the package takes) give byte-identical layers, for both architectures.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeEntries, runtimeEntriesFromNpm, writeLayer, type Logger } from '@mlship/sdk';

const cacheDir = join(homedir(), '.cache', 'mlship-test', 'runtime');
const logger: Logger = { debug() {}, info() {}, warn() {} };

describe('runtime layer sources', () => {
  it.each([['amd64', 'x64'], ['arm64', 'arm64']])('linux/%s: node_modules and npm tarballs give the same layer', async (oci, node) => {
    const fromNpm = await writeLayer('runtime', 'r', await runtimeEntriesFromNpm(node, { cacheDir, logger }), { mtime: 0 });
    const fromDir = await writeLayer('runtime', 'r', await runtimeEntries(oci, { cacheDir, logger }), { mtime: 0 });
    expect(fromNpm.diffId).toBe(fromDir.diffId);
    expect(fromNpm.digest).toBe(fromDir.digest);
  }, 180_000);
});
