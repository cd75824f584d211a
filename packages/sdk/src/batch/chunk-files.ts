import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A file of chunk `index` in a run folder: its output, its rejects, its spilled drift columns (batch/drift-spill.ts). */
export function chunkFile(runDir: string, index: number, kind: 'out' | 'rejects' | 'drift'): string {
  return join(runDir, `chunk-${String(index).padStart(8, '0')}.${kind}`);
}

/**
 * Writes `text` (a string as UTF-8, bytes, or parts of bytes in order) durably under `path`: to `path.tmp`, fsync'd, then renamed
 * over `path`. A process killed at any point leaves either no `path` or the whole of it.
 */
export async function writeDurable(path: string, text: string | Uint8Array | Uint8Array[]): Promise<number> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  let bytes = 0;
  try {
    // Parts (Uint8Array[]) are written in one writev, without joining them first.
    const parts = typeof text === 'string' ? [Buffer.from(text, 'utf8')] : Array.isArray(text) ? text : [text];
    const total = parts.reduce((a, b) => a + b.length, 0);
    let written = parts.length === 1 ? (await fh.write(parts[0]!, 0, total, 0)).bytesWritten : (await fh.writev(parts, 0)).bytesWritten;
    // A short write (rare for a regular file): the rest, part by part.
    for (let i = 0, at = 0; written < total && i < parts.length; at += parts[i]!.length, i++) {
      const p = parts[i]!;
      while (written < at + p.length) written += (await fh.write(p, written - at, at + p.length - written, written)).bytesWritten;
    }
    bytes = total;
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  return bytes;
}

/**
 * Writes `header` and then each part's bytes (from byte `from`), in order, to a temporary file beside `path`, fsyncs it
 * and renames it to `path`: readers see no file or the whole one. The temporary name is unique per call (not only
 * per process: the pods of a Kubernetes Job are all pid 1), so two merges of the same shards into one path never mix.
 */
export async function assembleFile(path: string, header: string, parts: ReadonlyArray<{ path: string; from?: number }>): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const tmp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const out = await open(tmp, 'w');
  try {
    let pos = 0;
    if (header) {
      const h = Buffer.from(header, 'utf8');
      await out.write(h, 0, h.length, pos);
      pos += h.length;
    }
    const buf = Buffer.alloc(1 << 20);
    for (const part of parts) {
      const fh = await open(part.path, 'r');
      try {
        let at = part.from ?? 0;
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, at);
          at += bytesRead;
          if (bytesRead === 0) break;
          await out.write(buf, 0, bytesRead, pos);
          pos += bytesRead;
        }
      } finally {
        await fh.close();
      }
    }
    await out.sync();
  } catch (err) {
    await out.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  await rename(tmp, path);
}
