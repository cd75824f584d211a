import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
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
  const assembly = await OrderedAssembly.open(path, header);
  parts.forEach((part, i) => assembly.add(i, part.path, part.from));
  await assembly.finish(parts.length);
}

/**
 * assembleFile while the parts are still being made (a batch run's chunks, as they finish in any order):
 * `add(i, part)` queues part i, and each part is appended to the temporary file as soon as every part
 * before it is there, so the copy overlaps the scoring instead of following it. `finish(n)` waits for
 * parts 0..n−1, fsyncs and renames; `abort()` removes the temporary file. Errors surface in finish().
 */
export class OrderedAssembly {
  private readonly pending = new Map<number, { path: string; from: number }>();
  private next = 0;
  private pos = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly buf = Buffer.alloc(1 << 20);

  private readonly path: string;
  private readonly tmp: string;
  private readonly out: FileHandle;

  private constructor(path: string, tmp: string, out: FileHandle) {
    this.path = path;
    this.tmp = tmp;
    this.out = out;
  }

  /** `tmpDir` (default: beside `path`, on the same file system) holds the temporary file until finish(). */
  static async open(path: string, header: string, tmpDir = dirname(resolve(path))): Promise<OrderedAssembly> {
    await mkdir(dirname(resolve(path)), { recursive: true });
    const tmp = join(tmpDir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    const assembly = new OrderedAssembly(path, tmp, await open(tmp, 'w'));
    if (header) {
      const h = Buffer.from(header, 'utf8');
      assembly.chain = assembly.out.write(h, 0, h.length, 0).then(() => { assembly.pos = h.length; });
    }
    return assembly;
  }

  /** Queues part `index` (from byte `from` of its file); appended once parts 0..index−1 are. */
  add(index: number, path: string, from = 0): void {
    this.pending.set(index, { path, from });
    while (this.pending.has(this.next)) {
      const part = this.pending.get(this.next)!;
      this.pending.delete(this.next++);
      this.chain = this.chain.then(() => (this.failure === undefined ? this.append(part) : undefined)).catch((err) => { this.failure ??= err; });
    }
  }

  private async append(part: { path: string; from: number }): Promise<void> {
    const fh = await open(part.path, 'r');
    try {
      let at = part.from;
      for (;;) {
        const { bytesRead } = await fh.read(this.buf, 0, this.buf.length, at);
        if (bytesRead === 0) break;
        at += bytesRead;
        let written = 0;
        while (written < bytesRead) written += (await this.out.write(this.buf, written, bytesRead - written, this.pos + written)).bytesWritten;
        this.pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
  }

  /** Waits until parts 0..count−1 are appended, then makes the file durable under its name. */
  async finish(count: number): Promise<void> {
    await this.chain;
    if (this.failure === undefined && this.next !== count) this.failure = new Error(`assembling ${this.path}: ${this.next} of ${count} parts were given in order`);
    if (this.failure !== undefined) { await this.abort(); throw this.failure; }
    try {
      await this.out.sync();
    } catch (err) {
      await this.abort();
      throw err;
    }
    await this.out.close();
    await rename(this.tmp, this.path);
  }

  /** Removes the temporary file (the run failed: no output file). */
  async abort(): Promise<void> {
    this.failure ??= new Error(`assembling ${this.path}: aborted`);
    await this.chain;
    await this.out.close().catch(() => {});
    await rm(this.tmp, { force: true });
  }
}
