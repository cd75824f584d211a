import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, MlshipError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { ONNXRUNTIME_NODE_VERSION } from '../model/onnxruntime.ts';
import { runProcess } from '../util/process.ts';
import { DEFAULT_TAR_LIMITS, readTar, type TarEntry } from '../util/tar.ts';
import { directoryEntries } from './layer.ts';

/** OCI architecture → Node's `process.arch` (the folder name under onnxruntime-node/bin/napi-v6/linux/). */
export function nodeArch(ociArch: string): string {
  const map: Record<string, string> = { amd64: 'x64', arm64: 'arm64' };
  const arch = map[ociArch];
  if (!arch) throw new InputError(`Platform linux/${ociArch} is not supported: onnxruntime-node ships Linux binaries for amd64 and arm64 only.`);
  return arch;
}

/**
 * Which files of onnxruntime-node and onnxruntime-common a Linux server on `arch` needs: the package
 * manifests, the compiled JS (dist/), the licence, and the native binding for that one platform
 * (bin/napi-v6/linux/<arch>/). Everything else (other OSes and CPUs, install scripts, TypeScript
 * sources, maps) stays out — ≈25–45 MB instead of ≈290 MB.
 */
export function keepRuntimeFile(pkg: 'onnxruntime-node' | 'onnxruntime-common', rel: string, arch: string): boolean {
  if (rel === 'package.json' || /^(LICENSE|LICENCE|NOTICE|ThirdPartyNotices)(\.\w+)?$/i.test(rel)) return true;
  if (rel.endsWith('.map') || rel.endsWith('.d.ts') || rel.endsWith('.d.cts') || rel.endsWith('.d.mts')) return false;
  if (rel === 'dist' || rel.startsWith('dist/')) return true;
  if (pkg === 'onnxruntime-node') {
    const bin = `bin/napi-v6/linux/${arch}`;
    return rel === 'bin' || rel === 'bin/napi-v6' || rel === 'bin/napi-v6/linux' || rel === bin || rel.startsWith(`${bin}/`);
  }
  return false;
}

/** Folders that may hold onnxruntime-node with its sibling onnxruntime-common (a node_modules). */
function candidateNodeModules(explicit?: string): string[] {
  const out: string[] = [];
  if (explicit) out.push(explicit);
  if (process.env.MLSHIP_ONNXRUNTIME_DIR) out.push(join(process.env.MLSHIP_ONNXRUNTIME_DIR, 'node_modules'));
  try {
    const req = createRequire(import.meta.url);
    out.push(dirname(dirname(req.resolve('onnxruntime-node/package.json'))));
  } catch { /* not resolvable from here (bundled action) */ }
  return out;
}

async function packageVersion(dir: string): Promise<string | undefined> {
  try { return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string }).version; } catch { return undefined; }
}

/**
 * The runtime-dependency entries for `/app/node_modules` on linux/<arch>. Takes them from an
 * installed onnxruntime-node of the pinned version that still has that platform's binary (the repo's
 * node_modules, `MLSHIP_ONNXRUNTIME_DIR`); otherwise downloads the npm tarballs once (`npm pack`, the
 * npm registry only) into `cacheDir` and reads them from there.
 */
export async function runtimeEntries(ociArch: string, options: { nodeModules?: string; cacheDir: string; logger: Logger }): Promise<TarEntry[]> {
  const arch = nodeArch(ociArch);
  for (const nm of candidateNodeModules(options.nodeModules)) {
    const ortDir = join(nm, 'onnxruntime-node');
    const commonDir = join(nm, 'onnxruntime-common');
    if (!existsSync(join(ortDir, 'bin', 'napi-v6', 'linux', arch, 'onnxruntime_binding.node')) || !existsSync(commonDir)) continue;
    if ((await packageVersion(ortDir)) !== ONNXRUNTIME_NODE_VERSION) continue;
    options.logger.debug(`runtime layer: onnxruntime-node from ${ortDir}`);
    return [
      ...(await directoryEntries(ortDir, 'app/node_modules/onnxruntime-node', (rel) => keepRuntimeFile('onnxruntime-node', rel, arch) || isParentOfKept(rel))),
      ...(await directoryEntries(commonDir, 'app/node_modules/onnxruntime-common', (rel) => keepRuntimeFile('onnxruntime-common', rel, arch))),
    ].filter((e) => e.type !== 'dir');
  }
  return runtimeEntriesFromNpm(arch, options);
}

/** Decompresses an npm tarball, refusing more than the tar limit of output (a gzip bomb in the cache). */
function gunzipTarball(data: Buffer, source: string): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: DEFAULT_TAR_LIMITS.maxTotalBytes });
  } catch (err) {
    throw new InputError(`${source} cannot be decompressed (${(err as Error).message}); delete it so it is downloaded again.`);
  }
}

function isParentOfKept(rel: string): boolean {
  return rel === 'bin' || rel === 'bin/napi-v6' || rel === 'bin/napi-v6/linux';
}

/** The runtime entries read from the npm tarballs (`npm pack`, cached in `cacheDir/npm`). */
export async function runtimeEntriesFromNpm(arch: string, options: { cacheDir: string; logger: Logger }): Promise<TarEntry[]> {
  const dir = join(options.cacheDir, 'npm');
  await mkdir(dir, { recursive: true });
  const wanted = ['onnxruntime-node', 'onnxruntime-common'] as const;
  const tgz = (name: string) => join(dir, `${name}-${ONNXRUNTIME_NODE_VERSION}.tgz`);
  const missing = wanted.filter((n) => !existsSync(tgz(n)));
  if (missing.length) {
    options.logger.info(`runtime layer: fetching ${missing.map((n) => `${n}@${ONNXRUNTIME_NODE_VERSION}`).join(', ')} from the npm registry (cached in ${dir})`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const res = await runProcess(npm, ['pack', '--silent', '--pack-destination', dir, ...missing.map((n) => `${n}@${ONNXRUNTIME_NODE_VERSION}`)], { cwd: dir, logger: options.logger });
    if (res.code !== 0) throw new MlshipError(`npm pack onnxruntime-node@${ONNXRUNTIME_NODE_VERSION} failed (exit ${res.code}); make the npm registry reachable or pass the folder of an installed onnxruntime-node.\n${res.stderr.slice(-1500)}`);
  }
  const out: TarEntry[] = [];
  for (const name of wanted) {
    // npm tarballs put everything under package/.
    for (const e of readTar(gunzipTarball(await readFile(tgz(name)), tgz(name)), tgz(name))) {
      const rel = e.path.replace(/^package\//, '');
      if (e.type !== 'file' || !keepRuntimeFile(name, rel, arch)) continue;
      out.push({ ...e, path: `app/node_modules/${name}/${rel}`, mode: e.mode & 0o111 ? 0o755 : 0o644 });
    }
  }
  if (!out.some((e) => e.path.endsWith(`linux/${arch}/onnxruntime_binding.node`))) throw new MlshipError(`onnxruntime-node ${ONNXRUNTIME_NODE_VERSION} from npm has no linux/${arch} binding.`);
  return out;
}
