// `npm run bench` — runs every benchmark suite (bench/<suite>.bench.ts), each of which compares mlship
// with its named peer in the same run and writes bench/out/<suite>.md (a Markdown table + verdict) and
// bench/out/<suite>.json. `npm run bench -- drift evaluate` runs only the named suites.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', '')).sort();
const run = wanted.length ? suites.filter((s) => wanted.includes(s)) : suites;
if (wanted.length && run.length !== wanted.length) {
  console.error(`unknown suite(s): ${wanted.filter((w) => !suites.includes(w)).join(', ')}; available: ${suites.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const suite of run) {
  console.log(`\n=== bench: ${suite} ===`);
  const res = spawnSync(process.execPath, [join(here, `${suite}.bench.ts`)], { stdio: 'inherit' });
  if (res.status !== 0) { failed++; console.error(`bench ${suite} failed (exit ${res.status})`); }
}
// bench/README.md: every suite's latest table (bench/out/SUITE.md) between the latest-run markers.
const out = join(here, 'out');
const tables = [];
for (const suite of suites) {
  const file = join(out, `${suite}.md`);
  if (existsSync(file)) tables.push(`### ${suite}\n\n${(await readFile(file, 'utf8')).trim()}\n`);
}
const readmePath = join(here, 'README.md');
const readme = await readFile(readmePath, 'utf8');
const updated = readme.replace(/<!-- latest-run -->[\s\S]*<!-- \/latest-run -->/, `<!-- latest-run -->\n${tables.join('\n')}<!-- /latest-run -->`);
await writeFile(readmePath, updated);
console.log(`\nbenchmark tables: bench/out/*.md, copied into bench/README.md`);
process.exit(failed ? 1 : 0);
