import { InputError } from '../errors.ts';

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

/** Content size of the entry: the header's, unless a pax `size` record overrides it. */
function entrySize(h: Uint8Array, fields: Record<string, string>): number {
  return fields.size !== undefined ? Number(fields.size) : parseNumeric(h.subarray(124, 136));
}

/** An entry's metadata from its header and the pax / GNU long-name fields that apply to it. */
function entryMeta(h: Uint8Array, flag: string, fields: Record<string, string>, offset: number, source: string): Omit<TarEntry, 'content'> {
  const type = FLAG_TYPE[flag];
  if (!type) throw new InputError(`${source}: tar entry at byte ${offset} has type flag "${flag}", which mlship does not read.`);
  const prefix = h[257] === 0x75 /* 'u' of ustar */ ? cString(h.subarray(345, 500)) : '';
  const shortName = cString(h.subarray(0, 100));
  let path = fields.path ?? (prefix ? `${prefix}/${shortName}` : shortName);
  if (type === 'dir' || path.endsWith('/')) path = path.replace(/\/+$/, '');
  const linkTarget = fields.linkpath ?? cString(h.subarray(157, 257));
  return {
    path, type, mode: parseNumeric(h.subarray(100, 108)) & 0o7777, uid: parseNumeric(h.subarray(108, 116)), gid: parseNumeric(h.subarray(116, 124)),
    mtime: fields.mtime !== undefined ? Math.floor(Number(fields.mtime)) : parseNumeric(h.subarray(136, 148)),
    ...(type === 'symlink' || type === 'hardlink' ? { linkTarget } : {}),
    uname: cString(h.subarray(265, 297)), gname: cString(h.subarray(297, 329)),
  };
}

/**
 * Parses a tar stream. Throws InputError (naming `source`) on a bad checksum, a truncated entry or
 * an unknown non-extension type flag; pax/GNU extension headers are applied, not returned.
 */
export function readTar(data: Uint8Array, source = 'archive'): TarEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: TarEntry[] = [];
  let offset = 0;
  let pending: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  while (offset + BLOCK <= buf.length) {
    const h = buf.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const flag = checkHeader(h, offset, source);
    const fields = { ...globalPax, ...pending };
    const size = entrySize(h, fields);
    const start = offset + BLOCK;
    const end = start + size;
    if (end > buf.length) throw new InputError(`${source}: tar entry at byte ${offset} is truncated (needs ${size} bytes); the archive is incomplete.`);
    const body = buf.subarray(start, end);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'g') {
      const parsed = parsePax(body, source);
      if (flag === 'x') pending = { ...pending, ...parsed };
      else globalPax = { ...globalPax, ...parsed };
      continue;
    }
    if (flag === 'L' || flag === 'K') {
      pending[flag === 'L' ? 'path' : 'linkpath'] = cString(body);
      continue;
    }
    const meta = entryMeta(h, flag, fields, offset, source);
    out.push({ ...meta, ...(meta.type === 'file' ? { content: new Uint8Array(body) } : {}) });
    pending = {};
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

function parsePax(body: Buffer, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(body.subarray(i, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > body.length) throw new InputError(`${source}: malformed pax extended header.`);
    const record = body.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

function parseOctal(b: Uint8Array): number {
  const s = Buffer.from(b).toString('latin1').replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** Octal, or GNU base-256 when the high bit of the first byte is set (sizes ≥ 8 GiB). */
function parseNumeric(b: Uint8Array): number {
  if ((b[0]! & 0x80) !== 0) {
    let v = b[0]! & 0x7f;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i]!;
    return v;
  }
  return parseOctal(b);
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
 * metadata and size before any content and returns a sink for the content, or undefined to skip it.
 * Same format rules and errors as readTar (pax / GNU long names applied, bad checksums and
 * truncation refused, naming `source`).
 */
export async function readTarStream(input: AsyncIterable<Uint8Array>, onEntry: (e: TarStreamEntry) => Promise<TarContentSink | undefined>, source = 'archive'): Promise<void> {
  const reader = new ByteReader(input[Symbol.asyncIterator]());
  let offset = 0;
  let pending: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  for (;;) {
    const h = await reader.read(BLOCK);
    if (h.length === 0) break;
    if (h.length < BLOCK) throw new InputError(`${source}: tar header at byte ${offset} is truncated; the archive is incomplete.`);
    if (h.every((b) => b === 0)) break;
    const flag = checkHeader(h, offset, source);
    const fields = { ...globalPax, ...pending };
    const size = entrySize(h, fields);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const at = offset;
    offset += BLOCK + padded;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > 1 << 20) throw new InputError(`${source}: extended tar header at byte ${at} is ${size} bytes; refusing.`);
      const body = await reader.read(padded);
      if (body.length < padded) throw new InputError(`${source}: tar entry at byte ${at} is truncated (needs ${size} bytes); the archive is incomplete.`);
      if (flag === 'x') pending = { ...pending, ...parsePax(body.subarray(0, size), source) };
      else if (flag === 'g') globalPax = { ...globalPax, ...parsePax(body.subarray(0, size), source) };
      else pending[flag === 'L' ? 'path' : 'linkpath'] = cString(body.subarray(0, size));
      continue;
    }
    const meta = entryMeta(h, flag, fields, at, source);
    const sink = await onEntry({ ...meta, size: meta.type === 'file' ? size : 0 });
    let remaining = padded;
    let content = size;
    for await (const chunk of reader.stream(padded)) {
      remaining -= chunk.length;
      const useful = Math.min(chunk.length, content);
      if (useful > 0 && sink) await sink.write(chunk.subarray(0, useful));
      content -= useful;
    }
    if (remaining > 0) throw new InputError(`${source}: tar entry at byte ${at} is truncated (needs ${size} bytes); the archive is incomplete.`);
    if (sink) await sink.end();
    pending = {};
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
