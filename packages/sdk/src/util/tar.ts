import { InputError } from '../errors.ts';
import { excerpt } from './excerpt.ts';

/**
 * POSIX tar (pax interchange format, IEEE 1003.1-2001 `ustar` headers plus `x` extended headers for
 * long names), the one tar implementation of mlship: model package archives and image layers.
 *
 * Writing is deterministic: entries are written in the order given with exactly the metadata given
 * (callers pass fixed mtimes, uid/gid 0 and normalised modes for reproducible output), empty
 * uname/gname, and no pax fields beyond the ones a long path or link target needs.
 * Reading understands ustar, pax `x`/`g` headers (path, linkpath, size) and GNU `L`/`K` long names,
 * and reports every entry type (including hard links and devices) so callers can refuse them.
 */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'blockdev' | 'fifo';

export interface TarEntry {
  /** POSIX path as stored (directories without the trailing '/'). */
  path: string;
  type: TarEntryType;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** File content (type 'file'); empty for other types. */
  content?: Uint8Array;
  /** Target of a symlink or hard link. */
  linkTarget?: string;
  uname?: string;
  gname?: string;
}

const BLOCK = 512;
const TYPE_FLAG: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', chardev: '3', blockdev: '4', dir: '5', fifo: '6' };
const FLAG_TYPE: Record<string, TarEntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'chardev', '4': 'blockdev', '5': 'dir', '6': 'fifo' };
const MAX_OCTAL_SIZE = 0o77777777777;

/** Serialises entries into an uncompressed tar stream ending with two zero blocks. */
export function writeTar(entries: readonly TarEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const e of entries) {
    const content = e.type === 'file' ? (e.content ?? new Uint8Array(0)) : new Uint8Array(0);
    chunks.push(tarHeader(e, content.length));
    if (content.length) chunks.push(content, tarPadding(content.length));
  }
  chunks.push(TAR_END);
  return Buffer.concat(chunks);
}

/** Two zero blocks: the end of a tar stream. */
export const TAR_END: Uint8Array = new Uint8Array(BLOCK * 2);

/**
 * The header block(s) of one entry whose content is `size` bytes (a pax `x` header first when the
 * path or link target does not fit ustar): write this, then the content, then tarPadding(size).
 * For streaming writers that never hold the content in memory.
 */
export function tarHeader(e: Omit<TarEntry, 'content'>, size: number): Uint8Array {
  if (e.type !== 'file' && size !== 0) throw new Error(`tar entry ${e.path}: only files have content`);
  const chunks: Uint8Array[] = [];
  const name = e.type === 'dir' ? `${e.path.replace(/\/+$/, '')}/` : e.path;
  const link = e.linkTarget ?? '';
  const split = splitUstarName(name);
  const pax: Array<[string, string]> = [];
  if (!split) pax.push(['path', name]);
  if (Buffer.byteLength(link) > 100) pax.push(['linkpath', link]);
  if (size > MAX_OCTAL_SIZE) pax.push(['size', String(size)]);
  if (pax.length) {
    const body = Buffer.from(pax.map(([k, v]) => paxRecord(k, v)).join(''), 'utf8');
    const paxName = `PaxHeaders/${(split?.name ?? name).slice(-80).replace(/^\/+/, '')}`;
    chunks.push(header({ name: paxName.slice(0, 100), prefix: '', mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: e.mtime, flag: 'x', link: '', uname: '', gname: '' }));
    chunks.push(body, tarPadding(body.length));
  }
  chunks.push(header({
    name: split ? split.name : name.slice(-100), prefix: split ? split.prefix : '', mode: e.mode, uid: e.uid, gid: e.gid,
    size: size > MAX_OCTAL_SIZE ? 0 : size, mtime: e.mtime, flag: TYPE_FLAG[e.type],
    link: Buffer.byteLength(link) > 100 ? '' : link, uname: e.uname ?? '', gname: e.gname ?? '',
  }));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Zero bytes that round `size` up to a whole block. */
export function tarPadding(size: number): Uint8Array {
  const rem = size % BLOCK;
  return new Uint8Array(rem === 0 ? 0 : BLOCK - rem);
}

/** Verifies a header block's checksum (bytes 148–155 counted as spaces) and returns its type flag. */
function checkHeader(h: Uint8Array, offset: number, source: string): string {
  const stored = parseOctal(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  if (stored !== sum) throw new InputError(`${source}: tar header at byte ${offset} has a bad checksum; the archive is damaged or not a tar file.`);
  return String.fromCharCode(h[156]!);
}

/**
 * Limits every tar read enforces. They bound the work a hostile archive can cause, whatever its
 * headers claim: sizes are validated before use, and the byte count includes skipped bodies,
 * extension headers and padding (everything read from the — possibly decompressed — stream).
 */
export interface TarLimits {
  /** Most entries (files, folders, links…); pax/GNU extension headers count too. */
  maxEntries: number;
  /** Largest content of one entry, in bytes. */
  maxEntryBytes: number;
  /** Most bytes of tar stream read in all. */
  maxTotalBytes: number;
  /** Longest entry path or link target, in bytes (PATH_MAX on Linux). */
  maxPathBytes: number;
}

/** Defaults: 100 000 entries, 4 GiB per entry and in all, 4096-byte paths. */
export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntries: 100_000, maxEntryBytes: 4 * 1024 ** 3, maxTotalBytes: 4 * 1024 ** 3, maxPathBytes: 4096 };

/** Largest pax / GNU long-name extension header read (1 MiB). */
const MAX_EXTENSION_BYTES = 1 << 20;
const EXTENSION_FLAGS = new Set(['x', 'g', 'L', 'K']);

/** How an archive and one of its entries are named in errors. */
function where(source: string, offset: number, name: string | undefined): string {
  return `${source}: tar entry ${name ? `${excerpt(name, 120)} ` : ''}at byte ${offset}`;
}

/**
 * The header state machine shared by readTar and readTarStream: checksum, pax and GNU extensions,
 * validated sizes (a non-negative safe integer from strict octal, base-256 or a pax `size` record),
 * no body on anything but a file or an extension header, and the limits.
 */
class TarHeaderReader {
  readonly #source: string;
  readonly #limits: TarLimits;
  #pending: Record<string, string> = {};
  #globalPax: Record<string, string> = {};
  #entries = 0;

  constructor(source: string, limits: Partial<TarLimits> | undefined) {
    this.#source = source;
    this.#limits = { ...DEFAULT_TAR_LIMITS, ...limits };
  }

  /** Checks the running byte count (everything read so far, `bytes`). */
  checkTotal(bytes: number, offset: number, name?: string): void {
    if (bytes > this.#limits.maxTotalBytes) {
      throw new InputError(`${where(this.#source, offset, name)}: the archive holds more than ${this.#limits.maxTotalBytes} bytes of tar data; refusing it (a decompression bomb, or an archive too large for mlship).`);
    }
  }

  /** One header block: its flag, validated size, and (for an entry) its metadata. */
  header(h: Uint8Array, offset: number): { flag: string; size: number; meta?: Omit<TarEntry, 'content'> } {
    const flag = checkHeader(h, offset, this.#source);
    const fields = { ...this.#globalPax, ...this.#pending };
    const name = fields.path ?? ustarName(h);
    if (++this.#entries > this.#limits.maxEntries) {
      throw new InputError(`${where(this.#source, offset, name)}: the archive has more than ${this.#limits.maxEntries} entries (extension headers included); refusing it.`);
    }
    const size = entrySize(h, fields, () => where(this.#source, offset, name));
    if (EXTENSION_FLAGS.has(flag)) {
      if (size > MAX_EXTENSION_BYTES) throw new InputError(`${where(this.#source, offset, name)}: extended tar header of ${size} bytes (the most read is ${MAX_EXTENSION_BYTES}); refusing.`);
      return { flag, size };
    }
    const meta = entryMeta(h, flag, fields, offset, this.#source);
    if (meta.type !== 'file' && size !== 0) {
      throw new InputError(`${where(this.#source, offset, meta.path)}: a ${meta.type} entry with a ${size}-byte body; only files have content, the archive is malformed or hostile.`);
    }
    if (size > this.#limits.maxEntryBytes) {
      throw new InputError(`${where(this.#source, offset, meta.path)}: ${size} bytes, more than the ${this.#limits.maxEntryBytes} bytes allowed for one file; refusing the archive.`);
    }
    for (const [what, value] of [['path', meta.path], ['link target', meta.linkTarget ?? '']] as const) {
      if (Buffer.byteLength(value) > this.#limits.maxPathBytes) throw new InputError(`${where(this.#source, offset, meta.path)}: the ${what} is longer than ${this.#limits.maxPathBytes} bytes; refusing the archive.`);
    }
    this.#pending = {};
    return { flag, size, meta };
  }

  /** Applies an extension header's body (pax `x`/`g`, GNU `L`/`K`). */
  extension(flag: string, body: Buffer): void {
    if (flag === 'x') this.#pending = { ...this.#pending, ...parsePax(body, this.#source) };
    else if (flag === 'g') this.#globalPax = { ...this.#globalPax, ...parsePax(body, this.#source) };
    else this.#pending[flag === 'L' ? 'path' : 'linkpath'] = cString(body);
  }
}

function ustarName(h: Uint8Array): string {
  const prefix = h[257] === 0x75 /* 'u' of ustar */ ? cString(h.subarray(345, 500)) : '';
  const shortName = cString(h.subarray(0, 100));
  return prefix ? `${prefix}/${shortName}` : shortName;
}

/**
 * Content size of the entry: the header's (strict octal, or GNU base-256), unless a pax `size` record
 * (decimal digits) overrides it. Anything else — NaN, negative, fractional, beyond 2^53 — is refused,
 * so no running total can ever become NaN or shrink.
 */
function entrySize(h: Uint8Array, fields: Record<string, string>, at: () => string): number {
  let size: number;
  if (fields.size !== undefined) {
    if (!/^[0-9]{1,16}$/.test(fields.size)) throw new InputError(`${at()}: pax size ${excerpt(fields.size, 40)} is not a non-negative whole number; the archive is malformed.`);
    size = Number(fields.size);
  } else {
    size = parseNumeric(h.subarray(124, 136), true);
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new InputError(`${at()}: the size field is not a valid non-negative number; the archive is malformed.`);
  return size;
}

/** An entry's metadata from its header and the pax / GNU long-name fields that apply to it. */
function entryMeta(h: Uint8Array, flag: string, fields: Record<string, string>, offset: number, source: string): Omit<TarEntry, 'content'> {
  const type = FLAG_TYPE[flag];
  if (!type) throw new InputError(`${where(source, offset, fields.path ?? ustarName(h))}: type flag ${excerpt(flag)}, which mlship does not read.`);
  let path = fields.path ?? ustarName(h);
  if (type === 'dir' || path.endsWith('/')) path = path.replace(/\/+$/, '');
  const linkTarget = fields.linkpath ?? cString(h.subarray(157, 257));
  const mtime = fields.mtime !== undefined ? Math.floor(Number(fields.mtime)) : parseNumeric(h.subarray(136, 148));
  return {
    path, type, mode: parseNumeric(h.subarray(100, 108)) & 0o7777, uid: parseNumeric(h.subarray(108, 116)), gid: parseNumeric(h.subarray(116, 124)),
    mtime: Number.isFinite(mtime) ? mtime : 0,
    ...(type === 'symlink' || type === 'hardlink' ? { linkTarget } : {}),
    uname: cString(h.subarray(265, 297)), gname: cString(h.subarray(297, 329)),
  };
}

/**
 * Parses a tar stream held in memory. Throws InputError (naming `source` and the entry) on a bad
 * checksum, a truncated entry, an invalid size, a body on a non-file, a limit exceeded, or an
 * unknown non-extension type flag; pax/GNU extension headers are applied, not returned.
 */
export function readTar(data: Uint8Array, source = 'archive', limits?: Partial<TarLimits>): TarEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const reader = new TarHeaderReader(source, limits);
  const out: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= buf.length) {
    const h = buf.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const { flag, size, meta } = reader.header(h, offset);
    const start = offset + BLOCK;
    const end = start + size;
    reader.checkTotal(start + Math.ceil(size / BLOCK) * BLOCK, offset, meta?.path);
    if (end > buf.length) throw new InputError(`${where(source, offset, meta?.path)} is truncated (needs ${size} bytes); the archive is incomplete.`);
    const body = buf.subarray(start, end);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (!meta) { reader.extension(flag, body); continue; }
    out.push({ ...meta, ...(meta.type === 'file' ? { content: new Uint8Array(body) } : {}) });
  }
  return out;
}

interface HeaderFields {
  name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; flag: string; link: string; uname: string; gname: string;
}

function header(f: HeaderFields): Uint8Array {
  const h = Buffer.alloc(BLOCK);
  h.write(f.name, 0, 100, 'utf8');
  octal(h, 100, 8, f.mode & 0o7777);
  octal(h, 108, 8, f.uid);
  octal(h, 116, 8, f.gid);
  octal(h, 124, 12, f.size);
  octal(h, 136, 12, Math.max(0, Math.floor(f.mtime)));
  h.fill(32, 148, 156);
  h.write(f.flag, 156, 1, 'latin1');
  h.write(f.link, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'latin1');
  h.write(f.uname, 265, 32, 'utf8');
  h.write(f.gname, 297, 32, 'utf8');
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.write(f.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return h;
}

/** ustar splits a path over prefix (155 bytes) and name (100 bytes) at a '/'; null when it cannot. */
function splitUstarName(path: string): { prefix: string; name: string } | null {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  const trailing = path.endsWith('/');
  const body = trailing ? path.slice(0, -1) : path;
  for (let i = body.lastIndexOf('/'); i > 0; i = body.lastIndexOf('/', i - 1)) {
    const prefix = body.slice(0, i);
    const name = body.slice(i + 1) + (trailing ? '/' : '');
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
    if (Buffer.byteLength(prefix) <= 155) break;
  }
  return null;
}

/** A pax record "LEN key=value\n" where LEN counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restLen = Buffer.byteLength(rest);
  let len = restLen + 1;
  while (String(len).length + restLen !== len) len = String(len).length + restLen;
  return `${len}${rest}`;
}

/** The pax keys mlship applies; others are ignored (and not kept, so no header can grow the state). */
const PAX_KEYS = new Set(['path', 'linkpath', 'size', 'mtime']);

function parsePax(body: Buffer, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(body.subarray(i, sp).toString('latin1'));
    if (!Number.isSafeInteger(len) || len <= sp - i + 1 || i + len > body.length) throw new InputError(`${source}: malformed pax extended header.`);
    const record = body.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && PAX_KEYS.has(record.slice(0, eq))) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

/** An octal field: digits after optional leading spaces, ending at a NUL or space. NaN when malformed. */
function parseOctal(b: Uint8Array): number {
  const s = Buffer.from(b).toString('latin1').replace(/[\0 ]+$/s, '').replace(/\0.*$/s, '').trimStart();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN;
}

/**
 * Octal, or GNU base-256 when the high bit of the first byte is set (sizes ≥ 8 GiB; 0xff starts a
 * negative number). `strict` (sizes): NaN for malformed or negative values; otherwise 0.
 */
function parseNumeric(b: Uint8Array, strict = false): number {
  let v: number;
  if (b[0] === 0xff) v = NaN; // base-256 negative
  else if ((b[0]! & 0x80) !== 0) {
    v = b[0]! & 0x7f;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i]!;
  } else v = parseOctal(b);
  return strict || Number.isFinite(v) ? v : 0;
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return Buffer.from(end < 0 ? b : b.subarray(0, end)).toString('utf8');
}

/** An entry of a streamed tar: metadata and content size (the content goes to the entry's sink). */
export type TarStreamEntry = Omit<TarEntry, 'content'> & { size: number };

/** Where a streamed entry's content goes, chunk by chunk. */
export interface TarContentSink {
  write(chunk: Uint8Array): Promise<void> | void;
  end(): Promise<void> | void;
}

/**
 * Reads a tar stream entry by entry without holding it in memory: for each entry `onEntry` gets the
 * metadata and size before any content and returns a sink for the content, or undefined to skip it
 * (a skipped body is still read and counted). Same format rules, limits and errors as readTar; memory
 * stays bounded (one block, one chunk, or one extension header of at most 1 MiB).
 */
export async function readTarStream(input: AsyncIterable<Uint8Array>, onEntry: (e: TarStreamEntry) => Promise<TarContentSink | undefined>, source = 'archive', limits?: Partial<TarLimits>): Promise<void> {
  const reader = new ByteReader(input[Symbol.asyncIterator]());
  const headers = new TarHeaderReader(source, limits);
  let offset = 0;
  for (;;) {
    const h = await reader.read(BLOCK);
    if (h.length === 0) break;
    if (h.length < BLOCK) throw new InputError(`${source}: tar header at byte ${offset} is truncated; the archive is incomplete.`);
    if (h.every((b) => b === 0)) break;
    const { flag, size, meta } = headers.header(h, offset);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const at = offset;
    offset += BLOCK + padded;
    // Refused before a byte of the body is read: what the header claims counts.
    headers.checkTotal(offset, at, meta?.path);
    if (!meta) {
      const body = await reader.read(padded);
      if (body.length < padded) throw new InputError(`${where(source, at, undefined)} is truncated (needs ${size} bytes); the archive is incomplete.`);
      headers.extension(flag, body.subarray(0, size));
      continue;
    }
    const sink = await onEntry({ ...meta, size });
    let remaining = padded;
    let content = size;
    for await (const chunk of reader.stream(padded)) {
      remaining -= chunk.length;
      const useful = Math.min(chunk.length, content);
      if (useful > 0 && sink) await sink.write(chunk.subarray(0, useful));
      content -= useful;
    }
    if (remaining > 0) throw new InputError(`${where(source, at, meta.path)} is truncated (needs ${size} bytes); the archive is incomplete.`);
    if (sink) await sink.end();
  }
}

/** Pulls exact byte counts from an async iterator of chunks. */
class ByteReader {
  readonly #it: AsyncIterator<Uint8Array>;
  #chunks: Buffer[] = [];
  #length = 0;
  #done = false;

  constructor(it: AsyncIterator<Uint8Array>) {
    this.#it = it;
  }

  async #fill(n: number): Promise<void> {
    while (this.#length < n && !this.#done) {
      const r = await this.#it.next();
      if (r.done) { this.#done = true; break; }
      const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      if (b.length) { this.#chunks.push(b); this.#length += b.length; }
    }
  }

  #take(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0 && this.#chunks.length) {
      const first = this.#chunks[0]!;
      if (first.length <= need) { out.push(first); this.#chunks.shift(); need -= first.length; }
      else { out.push(first.subarray(0, need)); this.#chunks[0] = first.subarray(need); need = 0; }
    }
    const taken = n - need;
    this.#length -= taken;
    return out.length === 1 ? out[0]! : Buffer.concat(out, taken);
  }

  /** Exactly n bytes, or fewer at the end of the input. */
  async read(n: number): Promise<Buffer> {
    await this.#fill(n);
    return this.#take(Math.min(n, this.#length));
  }

  /** Up to n bytes as they arrive (fewer only at the end of the input). */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.#length === 0) await this.#fill(1);
      if (this.#length === 0) return;
      const piece = this.#take(Math.min(left, this.#chunks[0]!.length));
      left -= piece.length;
      yield piece;
    }
  }
}
