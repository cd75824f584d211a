import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar, writeTar, type TarEntry } from './tar.ts';

// Interop reference: GNU tar (Debian `tar`), which must list and extract what we write, and whose
// archives (ustar, pax and gnu formats) we must read.
let work: string;
beforeAll(async () => { work = await mkdtemp(join(tmpdir(), 'mlship-tar-')); });
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
const entries: TarEntry[] = [
  { path: 'dir', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 1700000000 },
  { path: 'dir/a.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1700000000, content: new TextEncoder().encode('hello\n') },
  { path: 'empty', type: 'file', mode: 0o600, uid: 1000, gid: 1000, mtime: 1700000001, content: new Uint8Array(0) },
  { path: 'link', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 1700000000, linkTarget: 'dir/a.txt' },
  { path: `${longDir}/model.onnx`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1700000000, content: new Uint8Array(1500).fill(7) },
  { path: `${'x'.repeat(120)}.bin`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1700000000, content: new Uint8Array([1, 2, 3]) },
];

describe('writeTar / readTar', () => {
  it('round-trips entries, including prefix-split and pax long names', () => {
    const back = readTar(writeTar(entries));
    expect(back.map((e) => ({ ...e, uname: undefined, gname: undefined }))).toEqual(entries.map((e) => ({ ...e, uname: undefined, gname: undefined })));
  });

  it('GNU tar lists and extracts what we write', async () => {
    const file = join(work, 'ours.tar');
    await writeFile(file, writeTar(entries));
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing).toContain('dir/a.txt');
    expect(listing).toContain(`${longDir}/model.onnx`);
    expect(listing).toContain(`${'x'.repeat(120)}.bin`);
    expect(listing).toMatch(/link -> dir\/a\.txt/);
    const out = join(work, 'extracted');
    await mkdir(out);
    execFileSync('tar', ['-xf', file, '-C', out]);
    expect(await readFile(join(out, 'dir', 'a.txt'), 'utf8')).toBe('hello\n');
    expect((await readFile(join(out, longDir, 'model.onnx'))).length).toBe(1500);
  });

  for (const format of ['ustar', 'pax', 'gnu']) {
    it(`reads GNU tar --format=${format}`, async () => {
      const src = join(work, `src-${format}`);
      await mkdir(join(src, 'sub'), { recursive: true });
      await writeFile(join(src, 'sub', 'f.txt'), 'content');
      const longName = format === 'ustar' ? 'short.txt' : `${'n'.repeat(130)}.txt`;
      await writeFile(join(src, longName), 'long');
      await symlink('sub/f.txt', join(src, 'ln'));
      const file = join(work, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', file, '-C', src, 'sub', longName, 'ln']);
      const got = readTar(await readFile(file));
      const byPath = Object.fromEntries(got.map((e) => [e.path, e]));
      expect(byPath.sub?.type).toBe('dir');
      expect(new TextDecoder().decode(byPath['sub/f.txt']?.content)).toBe('content');
      expect(new TextDecoder().decode(byPath[longName]?.content)).toBe('long');
      expect(byPath.ln).toMatchObject({ type: 'symlink', linkTarget: 'sub/f.txt' });
    });
  }

  it('refuses a damaged header naming the source', () => {
    const bytes = writeTar(entries.slice(1, 2));
    bytes[10] = 0x41;
    expect(() => readTar(bytes, 'x.tar')).toThrow(/x\.tar: tar header at byte 0 has a bad checksum/);
    expect(() => readTar(writeTar(entries.slice(1, 2)).subarray(0, 514), 'y.tar')).toThrow(/y\.tar: .*truncated/);
  });
});

describe('readTarStream', () => {
  it('gives the same entries as readTar, whatever the chunking', async () => {
    const { readTarStream } = await import('./tar.ts');
    const bytes = writeTar(entries);
    for (const chunkSize of [1, 7, 512, 4096, bytes.length]) {
      async function* chunks() { for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize); }
      const got: TarEntry[] = [];
      await readTarStream(chunks(), async (e) => {
        const parts: Uint8Array[] = [];
        const { size, ...meta } = e;
        return { write: (c) => { parts.push(Buffer.from(c)); }, end: () => { got.push({ ...meta, ...(e.type === 'file' ? { content: new Uint8Array(Buffer.concat(parts)) } : {}) }); expect(Buffer.concat(parts).length).toBe(size); } };
      });
      expect(got).toEqual(readTar(bytes));
    }
  });

  it('refuses a truncated stream', async () => {
    const { readTarStream } = await import('./tar.ts');
    const bytes = writeTar(entries.slice(1, 2)).subarray(0, 514);
    async function* one() { yield bytes; }
    await expect(readTarStream(one(), async () => undefined, 'z.tar')).rejects.toThrow(/z\.tar: tar entry "dir\/a\.txt" at byte 0 is truncated/);
  });
});
