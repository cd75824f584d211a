// Hostile package archives (issue 15, findings 1 and 2): every tampered archive is refused by the
// archive reader with a reason naming the archive and the entry, nothing is left on disk, and the
// checks stay linear in the number of entries.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArchiveEntries, InputError, loadPackage, MANIFEST_FILE, readTar, readTarStream } from '@mlship/sdk';
import { runCli } from '../harness/cli.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { fileEntry, hostileArchives, paxHeader, rawHeader, TAR_END } from './corpus.ts';

let work: string;
let manifest: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-hostile-tar-'));
  const pkg = await writeIrisPackage(join(work, 'iris'));
  manifest = await readFile(join(pkg.dir, MANIFEST_FILE), 'utf8');
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe('hostile package archives', () => {
  it('every case is refused with its reason, naming the archive; nothing is extracted', { timeout: 300_000 }, async () => {
    for (const c of hostileArchives(manifest)) {
      const archive = join(work, `${c.name}.tar.gz`);
      await writeFile(archive, gzipSync(c.tar(), { level: 1 }));
      const parent = join(work, `out-${c.name}`);
      const err = await loadPackage(archive, { extractTo: join(parent, 'pkg') }).then(() => undefined, (e: unknown) => e);
      expect(err, c.name).toBeInstanceOf(InputError);
      expect((err as Error).message, c.name).toMatch(c.refused);
      expect((err as Error).message, c.name).toContain(archive);
      expect((err as Error).message.length, c.name).toBeLessThan(600);
      expect(existsSync(join(parent, 'pkg')), c.name).toBe(false);
      expect(await readdir(parent).catch(() => []), c.name).toEqual([]);
    }
  });

  it('mlship package verify exits 2 with the reason (pax size NaN)', async () => {
    const c = hostileArchives(manifest).find((a) => a.name === 'pax-size-nan')!;
    const archive = join(work, 'cli-nan.tar.gz');
    await writeFile(archive, gzipSync(c.tar()));
    const run = await runCli(['package', 'verify', archive], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(c.refused);
  });

  it('skipped bodies, extension headers and padding count toward the byte limit', async () => {
    // 8 folders' worth of `.`-root entries are skipped by the package rules; here the reader itself
    // gets a 64 KiB limit and files whose content nobody reads (sink undefined).
    const tar = Buffer.concat([...Array.from({ length: 20 }, (_, i) => fileEntry(`f${i}`, Buffer.alloc(4096))), TAR_END]);
    async function* once() { yield tar; }
    await expect(readTarStream(once(), async () => undefined, 'skip.tar', { maxTotalBytes: 64 * 1024 })).rejects.toThrow(/skip\.tar: tar entry "f\d+" at byte \d+: the archive holds more than 65536 bytes of tar data/);
    expect(() => readTar(tar, 'skip.tar', { maxTotalBytes: 64 * 1024 })).toThrow(/more than 65536 bytes of tar data/);
    // The same limits hold for the in-memory reader (npm tarballs of the image's runtime layer).
    expect(() => readTar(Buffer.concat([paxHeader({ size: 'NaN' }), rawHeader({ name: 'x', flag: '0', size: '0' }), TAR_END]), 'npm.tgz')).toThrow(/npm\.tgz: tar entry "x" at byte 1024: pax size "NaN"/);
  });

  it('the path checks are linear: 200 000 entries in one folder tree', { timeout: 120_000 }, () => {
    // Before: each file scanned every path seen so far (40k entries took 75 s); now Set lookups.
    const entries = Array.from({ length: 200_000 }, (_, i) => ({ path: `d${i % 100}/sub/f${i}`, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 1 }));
    expect(() => checkArchiveEntries(entries, 'wide.tar')).not.toThrow();
    expect(() => checkArchiveEntries([...entries, { ...entries[0]!, path: 'd1/sub' }], 'wide.tar')).toThrow(/entry "d1\/sub" is a file but earlier entries use it as a folder/);
  });
});
