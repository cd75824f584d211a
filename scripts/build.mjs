// Builds the SDK (tsc: JavaScript and .d.ts into packages/sdk/dist, what `npm pack` publishes), then the
// CLI and every action into single ESM bundles with esbuild.
//   node scripts/build.mjs           build
//   node scripts/build.mjs --bundles-only   the esbuild bundles alone (the SDK's tsc emit is the slow part)
//   node scripts/build.mjs --check   fail if actions/*/dist in the work tree differs from a fresh build
//   node scripts/build.mjs --check-committed   the same against the bundles committed at HEAD (what a
//                                    `uses: …@ref` download runs), whatever the work tree holds
// onnxruntime-node stays external: its native binding cannot be bundled, the SDK's loadOnnxRuntime()
// finds or installs it at run time (see docs/workflows.md, "How the actions get onnxruntime-node").
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from './esbuild-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const checkCommitted = process.argv.includes('--check-committed');
const check = checkCommitted || process.argv.includes('--check');

const common = { ...bundleOptions, absWorkingDir: root };

async function buildOne(entry, outfile) {
  const result = await build({ ...common, entryPoints: [entry], outfile, write: !check });
  return result;
}

// Worker-thread entries (`src/*.worker.ts` of the CLI and of each action) become `dist/*.worker.js`
// beside the main bundle, where the SDK finds them with new URL('./NAME.worker.js', import.meta.url).
function workerTargets(dir) {
  const src = join(root, dir, 'src');
  if (!existsSync(src)) return [];
  return readdirSync(src).filter((f) => f.endsWith('.worker.ts')).sort()
    .map((f) => ({ entry: join(src, f), outfile: join(root, dir, 'dist', f.replace(/\.ts$/, '.js')), committed: dir.startsWith('actions/') }));
}
// The CLI and its workers first: build-image ships them as assets (actions/build-image/assets.json), so
// they must exist before that action's assets are copied — on a clean clone too.
const targets = [];
targets.push({ entry: join(root, 'packages/cli/src/main.ts'), outfile: join(root, 'packages/cli/dist/mlship.js'), committed: false, assetsFile: join(root, 'packages/cli/assets.json') });
targets.push(...workerTargets('packages/cli'));
for (const name of (await readdir(join(root, 'actions'))).sort()) {
  const entry = join(root, 'actions', name, 'src', 'index.ts');
  if (existsSync(entry)) targets.push({ entry, outfile: join(root, 'actions', name, 'dist', 'index.js'), committed: true, action: name });
  targets.push(...workerTargets(`actions/${name}`));
}

/**
 * The publishable @mlship/sdk in packages/sdk/dist: tsc's JavaScript and declarations
 * (tsconfig.build.json: relative .ts imports rewritten to .js), the assets, and a package.json made
 * from packages/sdk/package.json with each export pointed at the built files. In the repository the
 * SDK's exports stay on its TypeScript sources (Node, vitest, tsc and esbuild run them as they are);
 * `npm pack packages/sdk/dist` (or publish) ships the build.
 */
function buildSdk() {
  const out = join(root, 'packages/sdk/dist');
  rmSync(out, { recursive: true, force: true });
  const res = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'packages/sdk/tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  for (const [from, to] of JSON.parse(readFileSync(join(root, 'packages/sdk/assets.json'), 'utf8'))) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    cpSync(join(root, from), join(out, to), { recursive: true });
  }
  const pkg = JSON.parse(readFileSync(join(root, 'packages/sdk/package.json'), 'utf8'));
  const built = (src) => src.replace(/^\.\/src\//, './').replace(/\.ts$/, '');
  pkg.exports = Object.fromEntries(Object.entries(pkg.exports).map(([k, src]) => [k, { types: `${built(src)}.d.ts`, default: `${built(src)}.js` }]));
  pkg.files = ['**/*.js', '**/*.d.ts', 'python'];
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

function committed(file) {
  const rel = file.slice(root.length + 1);
  const res = spawnSync('git', ['show', `HEAD:${rel}`], { cwd: root, maxBuffer: 1 << 28 });
  return res.status === 0 ? res.stdout : Buffer.alloc(0);
}

if (!check && !process.argv.includes('--bundles-only')) buildSdk();

const stale = [];
const freshOutputs = new Map(); // outfile → bytes of a fresh in-memory build (check mode)
const currentBytes = async (file) => (checkCommitted ? committed(file) : existsSync(file) ? await readFile(file) : Buffer.alloc(0));
for (const t of targets) {
  if (!existsSync(t.entry)) continue;
  if (check) {
    const res = await build({ ...common, entryPoints: [t.entry], outfile: t.outfile, write: false });
    const fresh = Buffer.from(res.outputFiles[0].contents);
    freshOutputs.set(t.outfile, fresh);
    if (!t.committed) continue;
    if (!fresh.equals(await currentBytes(t.outfile))) stale.push(t.outfile);
    // Committed assets too (e.g. build-image ships the CLI bundle): equal to their fresh source.
    const assets = t.action && join(root, 'actions', t.action, 'assets.json');
    if (assets && existsSync(assets)) {
      for (const [from, to] of JSON.parse(await readFile(assets, 'utf8'))) {
        const src = join(root, from);
        if ((await stat(src)).isDirectory()) continue;
        const expected = freshOutputs.get(src) ?? await readFile(src);
        const dest = join(dirname(t.outfile), to);
        if (!expected.equals(await currentBytes(dest))) stale.push(dest);
      }
    }
  } else {
    await buildOne(t.entry, t.outfile);
    // Files shipped beside a bundle (e.g. the Python converter script): <package or action>/assets.json
    // lists [from, to] pairs relative to the repo root and the bundle's dist folder.
    const assets = t.assetsFile ?? (t.action && join(root, 'actions', t.action, 'assets.json'));
    if (assets && existsSync(assets)) {
      for (const [from, to] of JSON.parse(await readFile(assets, 'utf8'))) {
        const dest = join(dirname(t.outfile), to);
        await rm(dest, { recursive: true, force: true });
        await mkdir(dirname(dest), { recursive: true });
        await cp(join(root, from), dest, { recursive: true });
      }
    }
  }
}
if (check) {
  if (stale.length) {
    console.error(`These ${checkCommitted ? 'committed ' : ''}bundles differ from a fresh build of the sources:\n  ${stale.join('\n  ')}\nRun \`npm run build\` and commit the result.`);
    process.exit(1);
  }
  console.log(`dist is up to date (${targets.filter((t) => t.committed).length} actions)`);
} else {
  console.log(`built ${targets.length} bundles`);
}
