// The hostile-input corpus: every case is generated here (small and deterministic; the bombs are made
// at test time, never committed). `node test/hostile/corpus.ts OUTDIR` writes the small cases to files
// for trying them by hand (`mlship package verify OUTDIR/archives/pax-size-nan.tar.gz`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeTar, type TarEntry } from '../../packages/sdk/src/util/tar.ts';

const BLOCK = 512;

/** One raw ustar header block with a correct checksum; `size` is written verbatim into the size field. */
export function rawHeader(o: { name: string; flag: string; size: string | Buffer; link?: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(o.name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 8, 'latin1');
  h.write('0000000\0', 108, 8, 'latin1');
  h.write('0000000\0', 116, 8, 'latin1');
  if (typeof o.size === 'string') h.write(o.size, 124, 12, 'latin1');
  else o.size.copy(h, 124, 0, 12);
  h.write('00000000000\0', 136, 12, 'latin1');
  h.fill(32, 148, 156);
  h.write(o.flag, 156, 1, 'latin1');
  if (o.link) h.write(o.link, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'latin1');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return h;
}

const octalSize = (n: number) => `${n.toString(8).padStart(11, '0')}\0`;
const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** A pax `x` header carrying `records` (key → value), as a header block plus its body. */
export function paxHeader(records: Record<string, string>): Buffer {
  const body = Buffer.from(Object.entries(records).map(([k, v]) => {
    const rest = ` ${k}=${v}\n`;
    let len = rest.length + 1;
    while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
    return `${len}${rest}`;
  }).join(''));
  return Buffer.concat([rawHeader({ name: 'PaxHeaders/x', flag: 'x', size: octalSize(body.length) }), body, pad(body.length)]);
}

/** A file entry (header, content, padding) with an honest size. */
export function fileEntry(name: string, content: Buffer | string): Buffer {
  const c = Buffer.from(content);
  return Buffer.concat([rawHeader({ name, flag: '0', size: octalSize(c.length) }), c, pad(c.length)]);
}

export const TAR_END = Buffer.alloc(BLOCK * 2);

export interface HostileArchive {
  name: string;
  /** The uncompressed tar (made on demand: some are bombs). */
  tar: () => Buffer;
  /** What the refusal must say. */
  refused: RegExp;
}

/**
 * Tampered package archives. `manifest` is a real package's mlship.json (so a case that slipped
 * through would otherwise verify); each case is refused by the archive reader with the reason.
 */
export function hostileArchives(manifest: string): HostileArchive[] {
  const m = fileEntry('mlship.json', manifest);
  const zeros = (n: number) => Buffer.alloc(n);
  return [
    // Finding 1: a pax size of NaN or below zero made the running total NaN / negative.
    { name: 'pax-size-nan', tar: () => Buffer.concat([m, paxHeader({ size: 'NaN' }), rawHeader({ name: 'big', flag: '0', size: octalSize(0) }), TAR_END]), refused: /pax size "NaN" is not a non-negative whole number/ },
    { name: 'pax-size-negative', tar: () => Buffer.concat([m, paxHeader({ size: '-1048576' }), rawHeader({ name: 'big', flag: '0', size: octalSize(0) }), TAR_END]), refused: /pax size "-1048576" is not a non-negative whole number/ },
    { name: 'pax-size-fraction', tar: () => Buffer.concat([m, paxHeader({ size: '1.5' }), rawHeader({ name: 'f', flag: '0', size: octalSize(0) }), TAR_END]), refused: /pax size "1.5"/ },
    { name: 'ustar-size-garbage', tar: () => Buffer.concat([m, rawHeader({ name: 'f', flag: '0', size: '12x45\0' }), TAR_END]), refused: /tar entry "f" at byte \d+: the size field is not a valid non-negative number/ },
    { name: 'base256-negative', tar: () => Buffer.concat([m, rawHeader({ name: 'f', flag: '0', size: Buffer.alloc(12, 0xff) }), TAR_END]), refused: /tar entry "f" at byte \d+: the size field is not a valid non-negative number/ },
    // 5 GiB claimed in base-256: refused from the header, before a byte of the body is read.
    { name: 'base256-5gib', tar: () => Buffer.concat([m, rawHeader({ name: 'f', flag: '0', size: Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 1, 0x40, 0, 0, 0]) }), TAR_END]), refused: /"f" at byte \d+: 5368709120 bytes, more than the \d+ bytes allowed/ },
    // Directory, symlink and FIFO entries carrying a body (a 64 MiB one for the directory: a bomb).
    { name: 'dir-with-body', tar: () => Buffer.concat([m, rawHeader({ name: 'd/', flag: '5', size: octalSize(64 << 20) }), zeros(64 << 20), TAR_END]), refused: /tar entry "d" at byte \d+: a dir entry with a 67108864-byte body/ },
    { name: 'symlink-with-body', tar: () => Buffer.concat([m, rawHeader({ name: 'l', flag: '2', size: octalSize(512), link: 'mlship.json' }), zeros(512), TAR_END]), refused: /a symlink entry with a 512-byte body/ },
    { name: 'fifo-with-body', tar: () => Buffer.concat([m, rawHeader({ name: 'p', flag: '6', size: octalSize(10) }), zeros(512), TAR_END]), refused: /a fifo entry with a 10-byte body/ },
    // Entry-count limit, for entries and for extension headers alike.
    { name: 'many-entries', tar: () => Buffer.concat([m, ...Array.from({ length: 10_050 }, (_, i) => rawHeader({ name: `d${i}/`, flag: '5', size: octalSize(0) })), TAR_END]), refused: /more than 10000 entries/ },
    { name: 'many-pax-headers', tar: () => Buffer.concat([m, ...Array.from({ length: 10_050 }, () => paxHeader({ comment: 'x' })), fileEntry('f', 'x'), TAR_END]), refused: /more than 10000 entries \(extension headers included\)/ },
    { name: 'long-path', tar: () => Buffer.concat([m, paxHeader({ path: `${'a/'.repeat(600)}f` }), rawHeader({ name: 'f', flag: '0', size: octalSize(0) }), TAR_END]), refused: /the path is longer than 1024 bytes/ },
    { name: 'huge-extension-header', tar: () => Buffer.concat([m, rawHeader({ name: 'PaxHeaders/x', flag: 'x', size: octalSize(2 << 20) }), zeros(2 << 20), TAR_END]), refused: /extended tar header of 2097152 bytes/ },
    { name: 'file-then-folder', tar: () => Buffer.concat([m, fileEntry('a', 'x'), fileEntry('a/b', 'y'), TAR_END]), refused: /entry "a\/b" is inside "a", which is a file/ },
    { name: 'folder-then-file', tar: () => Buffer.concat([m, fileEntry('a/b', 'x'), fileEntry('a', 'y'), TAR_END]), refused: /entry "a" is a file but earlier entries use it as a folder/ },
    { name: 'traversal-long-name', tar: () => Buffer.concat([m, fileEntry(`../${'x'.repeat(90)}`, 'x'), TAR_END]), refused: /entry "\.\.\/x+…" \(93 chars\) is an absolute path or leaves the package folder/ },
  ];
}

/** A gzip-compressed package archive from well-formed entries (the writer's own format). */
export function packageArchive(entries: TarEntry[]): Buffer {
  return gzipSync(writeTar(entries));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) { process.stderr.write('usage: node test/hostile/corpus.ts OUTDIR\n'); process.exit(2); }
  mkdirSync(join(out, 'archives'), { recursive: true });
  for (const a of hostileArchives('{}')) writeFileSync(join(out, 'archives', `${a.name}.tar.gz`), gzipSync(a.tar()));
  process.stdout.write(`wrote ${hostileArchives('{}').length} archives to ${join(out, 'archives')}\n`);
}
