import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { InputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { excerpt } from '../util/excerpt.ts';
import { readTarStream, TAR_END, tarHeader, tarPadding, type TarEntry, type TarLimits, type TarStreamEntry } from '../util/tar.ts';
import { isSafeRelativePath, MANIFEST_FILE } from './manifest.ts';

/** Media type of the archive (also the OCI layer media type of a pushed package). */
export const PACKAGE_ARCHIVE_MEDIA_TYPE = 'application/vnd.mlship.model.package.v1.tar+gzip';

/** Largest archive content mlship extracts (sum of file sizes): guards against gzip bombs. */
export const MAX_EXTRACTED_BYTES = 4 * 1024 ** 3 - 1;

/**
 * Writes a package directory as one reproducible .tar.gz: the manifest first, then every other file
 * sorted by path, no directory entries, mode 0644, uid/gid 0 with empty owner names, every mtime set
 * to `mtime` (seconds; the manifest's createdAt), gzip level 6 (gzip's default) with no name and
 * mtime 0 in its header. The same files and mtime always give the same bytes. Files are streamed
 * (memory stays flat for large models) into a temporary file renamed into place when complete.
 */
export async function writePackageArchive(dir: string, outPath: string, mtime: number, logger?: Logger): Promise<{ bytes: number }> {
  const files = await listPackageFiles(dir);
  if (!files.includes(MANIFEST_FILE)) throw new InputError(`${dir} has no ${MANIFEST_FILE}; it is not a model package.`);
  const ordered = [MANIFEST_FILE, ...files.filter((f) => f !== MANIFEST_FILE).sort()];
  const sizes = await Promise.all(ordered.map(async (p) => (await stat(join(dir, p))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  async function* tarStream(): AsyncGenerator<Uint8Array> {
    let done = 0;
    for (let i = 0; i < ordered.length; i++) {
      const path = ordered[i]!;
      yield tarHeader({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime }, sizes[i]!);
      let read = 0;
      for await (const chunk of createReadStream(join(dir, path), { highWaterMark: 1 << 20 })) {
        read += (chunk as Buffer).length;
        if (read > sizes[i]!) break;
        yield chunk as Buffer;
        done += (chunk as Buffer).length;
        logger?.progress?.(`archiving ${dir}`, done, total);
      }
      if (read !== sizes[i]) throw new InputError(`${join(dir, path)} changed size while it was being archived; write the package again.`);
      yield tarPadding(sizes[i]!);
    }
    yield TAR_END;
  }
  await mkdir(dirname(resolve(outPath)), { recursive: true });
  const tmp = join(dirname(resolve(outPath)), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // Node's gzip header has MTIME 0 and OS 3 (Unix) regardless of the machine: nothing varies.
    await pipeline(Readable.from(tarStream()), createGzip({ level: 6 }), createWriteStream(tmp));
    await rename(tmp, outPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { bytes: (await stat(outPath)).size };
}

/**
 * Extracts a package archive into `targetDir` (which must not exist or be empty), streaming (memory
 * stays flat for large models). Every entry is checked before anything of it is written: absolute
 * paths, `..` segments, backslashes, symlinks, hard links, devices and FIFOs, duplicate paths, a file
 * used as a folder, invalid sizes, bodies on folders, more than MAX_PACKAGE_ENTRIES entries or more
 * than MAX_EXTRACTED_BYTES of (decompressed) tar data are refused (PACKAGE_TAR_LIMITS). Files go to a temporary
 * sibling folder that is renamed into place only when the whole archive was read; any failure
 * removes it, so nothing is left behind and nothing is ever written outside it.
 */
export async function extractPackageArchive(archivePath: string, targetDir: string): Promise<void> {
  try {
    const st = await stat(archivePath);
    if (!st.isFile()) throw new Error('not a file');
  } catch (err) {
    throw new InputError(`Cannot read package archive ${archivePath}: ${(err as Error).message}`);
  }
  const target = resolve(targetDir);
  await ensureEmptyDir(target);
  const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.extract.tmp`);
  const rules = new ArchiveRules(archivePath);
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  const input = createReadStream(archivePath, { highWaterMark: 1 << 20 }).pipe(gunzip);
  let gzipError: Error | undefined;
  gunzip.on('error', (e) => { gzipError = e; });
  try {
    await mkdir(tmp, { recursive: true });
    await readTarStream(guardGzip(input, () => gzipError, archivePath), async (raw) => {
      const e = rules.accept(raw);
      if (!e) return undefined;
      const dest = resolve(tmp, ...e.path.split('/'));
      if (!dest.startsWith(tmp + sep)) throw new InputError(`${archivePath}: entry "${e.path}" would be written outside ${targetDir}; refusing the archive.`);
      if (e.type === 'dir') {
        await mkdir(dest, { recursive: true, mode: 0o755 });
        return undefined;
      }
      await mkdir(dirname(dest), { recursive: true, mode: 0o755 });
      const handle = await open(dest, 'wx', 0o644);
      return {
        async write(chunk) { await handle.write(chunk); },
        async end() { await handle.close(); },
      };
    }, archivePath, PACKAGE_TAR_LIMITS);
    if (gzipError) throw gzipError;
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (err) {
    input.destroy();
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof InputError) throw err;
    if (gzipError) throw new InputError(`${archivePath} is not a gzip-compressed package archive (${gzipError.message}); pass a .tar.gz written by mlship serialize or a package directory.`);
    throw err;
  }
}

/** Re-throws a gunzip error as soon as the tar reader asks for more bytes. */
async function* guardGzip(input: AsyncIterable<Uint8Array>, error: () => Error | undefined, source: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of input) yield chunk;
  } catch (err) {
    throw new InputError(`${source} is not a gzip-compressed package archive (${(err as Error).message}); pass a .tar.gz written by mlship serialize or a package directory.`);
  }
  const e = error();
  if (e) throw new InputError(`${source} is not a gzip-compressed package archive (${e.message}); pass a .tar.gz written by mlship serialize or a package directory.`);
}

/**
 * The tar limits of a package archive: at most MAX_PACKAGE_ENTRIES entries and MAX_EXTRACTED_BYTES of
 * tar data (bodies, skipped ones included, headers and padding), paths of at most 1024 bytes.
 */
export const MAX_PACKAGE_ENTRIES = 10_000;
export const PACKAGE_TAR_LIMITS: TarLimits = { maxEntries: MAX_PACKAGE_ENTRIES, maxEntryBytes: MAX_EXTRACTED_BYTES, maxTotalBytes: MAX_EXTRACTED_BYTES, maxPathBytes: 1024 };

/**
 * The extraction rules, applied entry by entry as a stream arrives (see checkArchiveEntries). Linear
 * in the archive: every check is a Set lookup. `#dirs` holds every folder implied so far and, with
 * each folder, all of its parents, so walking up a new path stops at the first folder already known.
 */
class ArchiveRules {
  readonly #source: string;
  readonly #seen = new Set<string>();
  readonly #files = new Set<string>();
  readonly #dirs = new Set<string>();
  #total = 0;

  constructor(source: string) {
    this.#source = source;
  }

  /** The entry to extract (./ prefix stripped), undefined for the root `.` entry; throws on a refused one. */
  accept(e: TarStreamEntry): TarStreamEntry | undefined {
    const [norm] = withoutDotPrefix([e]);
    if (!norm) return undefined;
    checkEntry(norm, this.#source, this.#seen);
    const path = norm.path;
    if (norm.type === 'file' && this.#dirs.has(path)) throw new InputError(`${this.#source}: entry ${excerpt(path)} is a file but earlier entries use it as a folder; refusing to extract.`);
    // Parents, deepest first, until one is already a known folder (then all above it are too).
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const parent = path.slice(0, i);
      if (this.#files.has(parent)) throw new InputError(`${this.#source}: entry ${excerpt(path)} is inside ${excerpt(parent)}, which is a file; refusing to extract.`);
      if (this.#dirs.has(parent)) break;
      this.#dirs.add(parent);
    }
    if (norm.type === 'file') this.#files.add(path);
    else this.#dirs.add(path);
    if (!Number.isSafeInteger(norm.size) || norm.size < 0) throw new InputError(`${this.#source}: entry ${excerpt(path)} has an invalid size; refusing to extract.`);
    this.#total += norm.size;
    if (this.#total > MAX_EXTRACTED_BYTES) throw new InputError(`${this.#source}: entry ${excerpt(path)} takes the content past ${MAX_EXTRACTED_BYTES} bytes; refusing to extract.`);
    return norm;
  }
}

/**
 * `tar -czf pkg.tar.gz -C dir .` writes `./`-prefixed names and a `.` entry for the root: accept those
 * (drop the root entry, strip the prefix); every other rule still applies to what remains.
 */
export function withoutDotPrefix<T extends { path: string; type: string }>(entries: readonly T[]): T[] {
  return entries
    .filter((e) => !(e.type === 'dir' && /^(\.\/?)+$/.test(e.path)))
    .map((e) => (e.path.startsWith('./') ? { ...e, path: e.path.replace(/^(\.\/)+/, '') } : e));
}

/** The archive rules of extractPackageArchive as a pure check over parsed entries. */
export function checkArchiveEntries(entries: ReadonlyArray<Omit<TarEntry, 'content'> & { size?: number; content?: Uint8Array }>, source: string): void {
  const rules = new ArchiveRules(source);
  for (const e of entries) rules.accept({ ...e, size: e.size ?? e.content?.length ?? 0 } as TarStreamEntry);
}

function checkEntry(e: Omit<TarEntry, 'content'>, source: string, seen: Set<string>): void {
  const shown = excerpt(e.path);
  if (!isSafeRelativePath(e.path)) {
    throw new InputError(`${source}: entry ${shown} is an absolute path or leaves the package folder ("..", "\\"); refusing to extract this archive.`);
  }
  if (e.type === 'symlink' || e.type === 'hardlink') {
    throw new InputError(`${source}: entry ${shown} is a ${e.type === 'symlink' ? 'symbolic' : 'hard'} link (to ${excerpt(e.linkTarget ?? '')}); model packages hold only plain files, refusing to extract.`);
  }
  if (e.type !== 'file' && e.type !== 'dir') {
    throw new InputError(`${source}: entry ${shown} is a ${e.type}; model packages hold only plain files, refusing to extract.`);
  }
  const key = e.path.normalize('NFC');
  if (seen.has(key)) throw new InputError(`${source}: entry ${shown} appears twice; refusing an ambiguous archive.`);
  seen.add(key);
}

/** Every regular file under dir, as POSIX paths relative to it, sorted. Symlinks and other non-files are reported. */
export async function listPackageFiles(dir: string): Promise<string[]> {
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
