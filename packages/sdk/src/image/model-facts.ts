import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { extractPackageArchive } from '../package/archive.ts';
import { verifyPackageFiles } from '../package/loader.ts';
import type { PackageManifest } from '../package/manifest.ts';
import type { ModelFacts } from './config.ts';

/** The facts image labels carry, from a verified package manifest. */
export function modelFacts(manifest: PackageManifest): ModelFacts {
  const file = manifest.files.find((f) => f.path === manifest.model);
  if (!file) throw new InputError(`mlship.json: the model file ${manifest.model} is not listed in files.`);
  return { name: manifest.name, version: manifest.version, sha256: file.sha256, ...(manifest.metrics ? { metrics: manifest.metrics } : {}) };
}

/**
 * Opens the model package to bake in: a directory is verified in place (every file's size and
 * SHA-256 against mlship.json, no unlisted files — the package domain's verifyPackageFiles); a
 * .tar.gz archive is safely extracted to a temporary directory first. `cleanup` removes that copy.
 */
export async function openPackageForImage(path: string): Promise<{ dir: string; manifest: PackageManifest; cleanup: () => Promise<void> }> {
  let st;
  try { st = await stat(path); } catch {
    throw new InputError(`Model package ${path} does not exist; pass a package directory or .tar.gz written by \`mlship serialize\`.`);
  }
  if (st.isDirectory()) {
    const dir = resolve(path);
    return { dir, manifest: await verifyPackageFiles(dir), cleanup: async () => {} };
  }
  const tmp = await mkdtemp(join(tmpdir(), 'mlship-image-package-'));
  const dir = join(tmp, 'package');
  try {
    await extractPackageArchive(path, dir);
    return { dir, manifest: await verifyPackageFiles(dir), cleanup: () => rm(tmp, { recursive: true, force: true }) };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
