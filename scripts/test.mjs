// `npm test`: vitest on Node 24, then one plain closing line `N passed, N failed, N skipped` that any
// CI can read. Extra arguments go to vitest (`npm test -- test/server`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './require-node24.mjs'; // exits with the fix when this is not Node 24

const dir = mkdtempSync(join(tmpdir(), 'mlship-vitest-'));
const report = join(dir, 'report.json');
const res = spawnSync('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = '';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
} catch {
  summary = '';
}
rmSync(dir, { recursive: true, force: true });
if (summary) console.log(`\n${summary}`);
process.exit(res.status ?? 1);
