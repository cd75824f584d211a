// What a process leaves in $TMPDIR (issue 15, finding 7): `mlship serve PKG.tar.gz` removes the
// copy it extracted when it stops, and onnxruntime's empty telemetry log (mat-debug-<pid>.log) is removed.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePackageArchive } from '@mlship/sdk';
import { writeIrisPackage } from '../server/helpers.ts';
import { buildCliBundle, serve } from './serve-process.ts';

let tmp: string;
let cli: Awaited<ReturnType<typeof buildCliBundle>>;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-leftovers-'));
  cli = await buildCliBundle('leftovers');
  const pkg = await writeIrisPackage(join(tmp, 'pkg'));
  await writePackageArchive(pkg.dir, join(tmp, 'pkg.tar.gz'), 0);
});
afterAll(async () => {
  await cli?.remove();
  await rm(tmp, { recursive: true, force: true });
});

describe('temporary files', () => {
  it('serve PKG.tar.gz leaves nothing in TMPDIR after SIGTERM: no extracted copy, no mat-debug log', { timeout: 120_000 }, async () => {
    const own = await mkdtemp(join(tmp, 'tmpdir-'));
    const s = serve(cli.bundle, ['serve', join(tmp, 'pkg.tar.gz')], { TMPDIR: own, MLSHIP_SHUTDOWN_DELAY: '0' });
    await s.waitFor('ready');
    expect((await readdir(own)).some((n) => n.startsWith('mlship-package-')), 'extracted while serving').toBe(true);
    s.child.kill('SIGTERM');
    expect((await s.exit).code).toBe(0);
    // onnxruntime's telemetry keeps a 51-byte `.ses` marker shared by every process; nothing per process remains.
    expect((await readdir(own)).filter((n) => n !== '.ses')).toEqual([]);
  });

  it('a package that fails to serve is removed too', { timeout: 120_000 }, async () => {
    const own = await mkdtemp(join(tmp, 'tmpdir-'));
    const s = serve(cli.bundle, ['serve', join(tmp, 'pkg.tar.gz')], { TMPDIR: own, MLSHIP_HOST: '203.0.113.1' }); // cannot listen: fails after the extraction
    expect((await s.exit).code).toBe(2);
    expect((await readdir(own)).filter((n) => n !== '.ses')).toEqual([]);
  });
});
