import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { InputError } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { sha256 as sha256Hex } from '../util/hash.ts';
import { writeTar, type TarEntry } from '../util/tar.ts';

const gzip = promisify(gzipCb);

/** gzip level of every layer mlship writes: fixed, so the same tar always compresses to the same bytes. */
export const LAYER_GZIP_LEVEL = 6;

/** A finished layer: the uncompressed tar's digest (config `diff_ids`) and the gzip blob pushed. */
export interface Layer {
  /** What the layer holds, for history and reports: `runtime`, `server`, `model`, or `base`. */
  role: string;
  /** sha256 of the uncompressed tar: `rootfs.diff_ids` in the image config. */
  diffId: string;
  /** sha256 of the gzip blob: the manifest's layer digest. */
  digest: string;
  /** Bytes of the gzip blob. */
  size: number;
  mediaType: string;
  /** The gzip blob (undefined for base layers not downloaded). */
  blob?: Buffer;
  /** Human description used in the history entry. */
  createdBy: string;
}

/**
 * Makes a layer reproducible: adds every missing parent directory (mode 0755), sorts entries by
 * path bytes (parents before children), forces uid/gid 0 with empty owner names and one mtime.
 * Throws on duplicates, absolute paths and `..` segments.
 */
export function normaliseLayerEntries(entries: readonly TarEntry[], mtime: number): TarEntry[] {
  const byPath = new Map<string, TarEntry>();
  for (const e of entries) {
    const path = e.path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (path === '' || path.split('/').some((s) => s === '..' || s === '.' || s === '')) throw new InputError(`Layer entry "${e.path}" is not a clean relative path.`);
    if (byPath.has(path)) throw new InputError(`Layer entry "${path}" appears twice.`);
    byPath.set(path, { ...e, path, uid: 0, gid: 0, uname: '', gname: '', mtime });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { path: parent, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime, uname: '', gname: '' });
    }
  }
  return [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

/**
 * Reads a directory tree into layer entries under `prefix` (e.g. `model`): regular files keep only
 * "executable or not" (0755 / 0644), directories are 0755, symlinks are kept as links if they stay
 * inside the tree. Anything else (devices, sockets) is refused.
 */
export async function directoryEntries(root: string, prefix: string, filter: (rel: string) => boolean = () => true): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = rel === '' ? root : join(root, rel);
    for (const name of (await readdir(abs)).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (!filter(childRel)) continue;
      const childAbs = join(root, childRel);
      const st = await lstat(childAbs);
      const path = posix.join(prefix, childRel);
      if (st.isDirectory()) {
        out.push({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 });
        await walk(childRel);
      } else if (st.isFile()) {
        out.push({ path, type: 'file', mode: st.mode & 0o111 ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 0, content: await readFile(childAbs) });
      } else if (st.isSymbolicLink()) {
        const target = await readlink(childAbs);
        const resolved = posix.normalize(posix.join(posix.dirname(childRel), target));
        if (target.startsWith('/') || resolved.startsWith('..')) throw new InputError(`${childAbs} is a symlink pointing outside ${root} (${target}); the image would not contain its target.`);
        out.push({ path, type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, linkTarget: target });
      } else {
        throw new InputError(`${childAbs} is not a regular file, directory or symlink; it cannot go into an image layer.`);
      }
    }
  }
  if (!existsSync(root)) throw new InputError(`${root} does not exist.`);
  await walk('');
  return out;
}


/** Where compressed layers are cached between builds, by diff_id (default ~/.cache/mlship/image-layers). */
export function layerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'mlship', 'image-layers');
}

/**
 * Writes entries as a reproducible gzip layer. The compressed blob is cached by the tar's digest, so
 * a rebuild with unchanged content skips the compression (the expensive part for the runtime layer).
 */
export async function writeLayer(role: string, createdBy: string, entries: readonly TarEntry[], options: { mtime: number; cacheDir?: string }): Promise<Layer> {
  const tar = writeTar(normaliseLayerEntries(entries, options.mtime));
  const diffHex = sha256Hex(tar);
  const cacheFile = options.cacheDir ? join(options.cacheDir, `${diffHex}.gz${LAYER_GZIP_LEVEL}`) : undefined;
  let blob: Buffer | undefined;
  if (cacheFile && existsSync(cacheFile)) blob = await readFile(cacheFile);
  if (!blob) {
    // Node's gzip header carries MTIME 0, no file name and OS 3: the output depends only on the input and the level.
    blob = await gzip(tar, { level: LAYER_GZIP_LEVEL });
    if (cacheFile) { await mkdir(options.cacheDir!, { recursive: true }); await writeFileAtomic(cacheFile, blob); }
  }
  return { role, createdBy, diffId: `sha256:${diffHex}`, digest: `sha256:${sha256Hex(blob)}`, size: blob.length, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', blob };
}
