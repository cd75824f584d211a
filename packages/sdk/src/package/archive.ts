import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { readTar, writeTar, type TarEntry } from '../util/tar.ts';
import { isSafeRelativePath, MANIFEST_FILE } from './manifest.ts';

/** Media type of the archive (also the OCI layer media type of a pushed package). */
export const PACKAGE_ARCHIVE_MEDIA_TYPE = 'application/vnd.mlship.model.package.v1.tar+gzip';

/** Largest archive content mlship extracts (sum of file sizes): guards against gzip bombs. */
export const MAX_EXTRACTED_BYTES = 4 * 1024 ** 3 - 1;

/**
 * Writes a package directory as one reproducible .tar.gz: the manifest first, then every other file
 * sorted by path, no directory entries, mode 0644, uid/gid 0 with empty owner names, every mtime set
 * to `mtime` (seconds; the manifest's createdAt), gzip level 6 (gzip's default) with no name and mtime 0 in its
 * header. The same files and mtime always give the same bytes.
 */
export async function writePackageArchive(dir: string, outPath: string, mtime: number): Promise<{ bytes: number }> {
  const files = await listFiles(dir);
  if (!files.includes(MANIFEST_FILE)) throw new InputError(`${dir} has no ${MANIFEST_FILE}; it is not a model package.`);
  const ordered = [MANIFEST_FILE, ...files.filter((f) => f !== MANIFEST_FILE).sort()];
  const entries: TarEntry[] = [];
  for (const path of ordered) {
    entries.push({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime, content: await readFile(join(dir, path)) });
  }
  // Node's gzip header has MTIME 0 and OS 3 (Unix) regardless of the machine: nothing varies.
  const gz = gzipSync(writeTar(entries), { level: 6 });
  await writeFileAtomic(outPath, gz);
  return { bytes: gz.length };
}

/**
 * Extracts a package archive into `targetDir` (which must not exist or be empty) and refuses, before
 * writing anything, an archive that could write outside it or smuggle in something that is not a
 * plain file: absolute paths, `..` segments, backslashes, symlinks, hard links, devices and FIFOs,
 * duplicate paths, or more than MAX_EXTRACTED_BYTES. Files go to a temporary sibling folder renamed
 * into place, so a failure leaves nothing behind.
 */
export async function extractPackageArchive(archivePath: string, targetDir: string): Promise<void> {
  let gz: Buffer;
  try {
    gz = await readFile(archivePath);
  } catch (err) {
    throw new InputError(`Cannot read package archive ${archivePath}: ${(err as Error).message}`);
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_EXTRACTED_BYTES });
  } catch (err) {
    throw new InputError(`${archivePath} is not a gzip-compressed package archive (${(err as Error).message}); pass a .tar.gz written by mlship serialize or a package directory.`);
  }
  const entries = withoutDotPrefix(readTar(tar, archivePath));
  checkArchiveEntries(entries, archivePath);
  const target = resolve(targetDir);
  await ensureEmptyDir(target);
  const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.extract.tmp`);
  try {
    await mkdir(tmp, { recursive: true });
    for (const e of entries) {
      const dest = resolve(tmp, ...e.path.split('/'));
      if (!dest.startsWith(tmp + sep)) throw new InputError(`${archivePath}: entry "${e.path}" would be written outside ${targetDir}; refusing the archive.`);
      if (e.type === 'dir') {
        await mkdir(dest, { recursive: true, mode: 0o755 });
      } else {
        await mkdir(dirname(dest), { recursive: true, mode: 0o755 });
        await writeFile(dest, e.content ?? new Uint8Array(0), { mode: 0o644, flag: 'wx' });
      }
    }
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * `tar -czf pkg.tar.gz -C dir .` writes `./`-prefixed names and a `.` entry for the root: accept those
 * (drop the root entry, strip the prefix); every other rule still applies to what remains.
 */
export function withoutDotPrefix(entries: readonly TarEntry[]): TarEntry[] {
  return entries
    .filter((e) => !(e.type === 'dir' && /^(\.\/?)+$/.test(e.path)))
    .map((e) => (e.path.startsWith('./') ? { ...e, path: e.path.replace(/^(\.\/)+/, '') } : e));
}

/** The archive rules of extractPackageArchive as a pure check over parsed entries. */
export function checkArchiveEntries(entries: readonly TarEntry[], source: string): void {
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const shown = JSON.stringify(e.path);
    if (!isSafeRelativePath(e.path)) {
      throw new InputError(`${source}: entry ${shown} is an absolute path or leaves the package folder ("..", "\\"); refusing to extract this archive.`);
    }
    if (e.type === 'symlink' || e.type === 'hardlink') {
      throw new InputError(`${source}: entry ${shown} is a ${e.type === 'symlink' ? 'symbolic' : 'hard'} link (to ${JSON.stringify(e.linkTarget ?? '')}); model packages hold only plain files, refusing to extract.`);
    }
    if (e.type !== 'file' && e.type !== 'dir') {
      throw new InputError(`${source}: entry ${shown} is a ${e.type}; model packages hold only plain files, refusing to extract.`);
    }
    const key = e.path.normalize('NFC');
    if (seen.has(key)) throw new InputError(`${source}: entry ${shown} appears twice; refusing an ambiguous archive.`);
    seen.add(key);
    total += e.content?.length ?? 0;
    if (total > MAX_EXTRACTED_BYTES) throw new InputError(`${source}: more than ${MAX_EXTRACTED_BYTES} bytes of content; refusing to extract.`);
  }
  // A file and a directory of the same name, or a file used as a parent folder.
  const files = new Set(entries.filter((e) => e.type === 'file').map((e) => e.path));
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (files.has(parent)) throw new InputError(`${source}: entry ${JSON.stringify(e.path)} is inside ${JSON.stringify(parent)}, which is a file; refusing to extract.`);
    }
  }
}

/** Every regular file under dir, as POSIX paths relative to it, sorted. Symlinks and other non-files are reported. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
      else throw new InputError(`${join(dir, p)} is ${e.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a model package holds only plain files.`);
    }
  };
  await walk('');
  return out.sort();
}

async function ensureEmptyDir(dir: string): Promise<void> {
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) throw new InputError(`${dir} exists and is not a directory; choose another extraction folder.`);
    if ((await readdir(dir)).length > 0) throw new InputError(`${dir} is not empty; extract into a new or empty folder.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
