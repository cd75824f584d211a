// `npm run bench -- package`: the model package path on a large model, mlship against its peers in one run.
//
// Model: python/make_large_onnx.py — an MLP 512 → 4096 → 4096 → 10 (≈ 76 MB ONNX, float32 weights).
// Steps (median of 3 wall-clock runs each, on a local docker-registry on 127.0.0.1):
//   archive — mlship writePackageArchive (reproducible tar.gz, in-process zlib level 6)
//             vs GNU tar in reproducible mode (`tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -czf`);
//   verify  — mlship loadPackage(archive): safe extraction, every SHA-256, onnxruntime load + signature,
//             golden rows — vs `tar -xzf` + `sha256sum -c` (extraction and hashes only: the peer does less);
//   push    — mlship pushPackage of the archive (verifies the package first) vs `oras push` of it;
//   pull    — mlship pullPackage (digest checks + full verification) vs `oras pull`.
// Writes bench/out/package.md and bench/out/package.json.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadPackage, pullPackage, pushPackage, serialize, writePackageArchive, MODEL_ARTIFACT_TYPE, PACKAGE_ARCHIVE_MEDIA_TYPE } from '../packages/sdk/src/index.ts';
import { startRegistry } from '../test/harness/registry.ts';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const ORAS = join(ROOT, '.tools', 'bin', 'oras');
const PY = join(ROOT, '.venv', 'bin', 'python');
const RUNS = 3;

async function median(f: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f(i);
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const registry = await startRegistry();
const work = await mkdtemp(join(tmpdir(), 'mlship-package-bench-'));
try {
  await exec(PY, [join(ROOT, 'python', 'make_large_onnx.py'), join(work, 'src'), '4096']);
  const modelBytes = (await stat(join(work, 'src', 'large.onnx'))).size;
  const pkg = join(work, 'pkg');
  await serialize({
    model: join(work, 'src', 'large.onnx'), format: 'onnx', out: pkg, name: 'large-mlp', version: '1.0.0',
    featuresFrom: join(work, 'src', 'sample.csv'), goldenRows: 5, createdAt: '2026-01-01T00:00:00Z',
  });

  const rows: Array<{ step: string; mlship: number; peer: number; peerName: string; note: string }> = [];
  const archive = (i: number) => join(work, `a${i}.tar.gz`);
  const mArchive = await median((i) => writePackageArchive(pkg, archive(i), 1767225600));
  const mSize = (await stat(archive(0))).size;
  const pArchive = await median((i) => exec('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-czf', join(work, `t${i}.tar.gz`), '-C', pkg, '.']));
  const pSize = (await stat(join(work, 't0.tar.gz'))).size;
  rows.push({ step: 'archive (tar.gz)', mlship: mArchive, peer: pArchive, peerName: 'GNU tar -cz (reproducible flags)', note: `${(mSize / 1e6).toFixed(1)} MB vs ${(pSize / 1e6).toFixed(1)} MB` });

  const mVerify = await median(async (i) => { const p = await loadPackage(archive(0), { extractTo: join(work, `v${i}`) }); await rm(p.dir, { recursive: true }); });
  const sums = `${(await exec('sha256sum', ['model.onnx'], { cwd: pkg })).stdout}`;
  await writeFile(join(work, 'SHA256SUMS'), sums);
  const pVerify = await median(async (i) => {
    const d = join(work, `pv${i}`);
    await mkdir(d);
    await exec('tar', ['-xzf', archive(0), '-C', d]);
    await exec('sha256sum', ['-c', join(work, 'SHA256SUMS')], { cwd: d });
    await rm(d, { recursive: true });
  });
  rows.push({ step: 'verify', mlship: mVerify, peer: pVerify, peerName: 'tar -xz + sha256sum -c', note: 'mlship also loads the model in onnxruntime, checks the signature and runs 5 golden rows' });

  const mPush = await median((i) => pushPackage(archive(0), `${registry.host}/bench/mlship${i}:r${i}`));
  const pPush = await median((i) => exec(ORAS, ['push', '--plain-http', '--artifact-type', MODEL_ARTIFACT_TYPE, `${registry.host}/bench/oras${i}:r${i}`, `a0.tar.gz:${PACKAGE_ARCHIVE_MEDIA_TYPE}`], { cwd: work }));
  rows.push({ step: 'push (new repository)', mlship: mPush, peer: pPush, peerName: 'oras push', note: 'the same archive; mlship verifies the package before uploading' });

  const mPull = await median((i) => pullPackage(`${registry.host}/bench/mlship0:r0`, join(work, `pull${i}`)));
  const pPull = await median((i) => exec(ORAS, ['pull', '--plain-http', '-o', join(work, `opull${i}`), `${registry.host}/bench/mlship0:r0`]));
  rows.push({ step: 'pull', mlship: mPull, peer: pPull, peerName: 'oras pull', note: 'mlship extracts and fully verifies; oras writes the archive' });

  const table = [
    `Model package on a ${(modelBytes / 1e6).toFixed(0)} MB ONNX model (MLP 512→4096→4096→10), median of ${RUNS} runs, local docker-registry. Lower is better.`,
    '',
    '| Step | mlship (s) | Peer | Peer (s) | mlship / peer | Notes |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.step} | ${r.mlship.toFixed(2)} | ${r.peerName} | ${r.peer.toFixed(2)} | ${(r.mlship / r.peer).toFixed(2)}× | ${r.note} |`),
  ].join('\n');
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'package.md'), `${table}\n`);
  await writeFile(join(OUT, 'package.json'), `${JSON.stringify({ modelBytes, runs: RUNS, rows }, null, 2)}\n`);
  console.log(table);
} finally {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
