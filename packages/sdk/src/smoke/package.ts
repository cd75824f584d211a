import { silentLogger, type Logger } from '../log.ts';
import { loadPackage } from '../package/loader.ts';
import { renderComparisonTable } from '../compare/table.ts';
import { smokeTest, type SmokeTestOptions, type SmokeTestResult } from './smoke-test.ts';

export interface SmokeTestPackageOptions extends Omit<SmokeTestOptions, 'manifest'> {
  /** The model package (directory or .tar.gz) the server should be serving; it is verified first. */
  package: string;
}

/** Verifies the package (hashes, signature) and smoke-tests the server against its golden rows. */
export async function smokeTestPackage(options: SmokeTestPackageOptions): Promise<SmokeTestResult> {
  const logger = options.logger ?? silentLogger;
  const pkg = await loadPackage(options.package, { logger, checkGolden: false });
  await pkg.model.session.release();
  const { package: _path, ...rest } = options;
  return smokeTest({ ...rest, manifest: pkg.manifest, logger: logger as Logger });
}

/** The job-summary block: verdict, timings and the per-output comparison table. */
export function renderSmokeTestMarkdown(r: SmokeTestResult): string {
  return [
    `### Smoke test: ${r.passed ? '✅ passed' : '❌ failed'} — ${r.model} ${r.version} at ${r.url}`,
    '',
    r.message,
    '',
    ...timingLines(r),
    ...(r.comparisons.length ? renderComparisonTable(r.comparisons) : []),
    '',
  ].join('\n');
}

/** Only what was measured: nothing when the server never got ready, no infer time when none was sent. */
function timingLines(r: SmokeTestResult): string[] {
  if (r.readyMs <= 0) return [];
  const infer = r.inferMs > 0 ? `; ${r.rows} golden row${r.rows === 1 ? '' : 's'} answered in ${r.inferMs.toFixed(0)} ms` : '';
  return [`Ready after ${r.readyMs.toFixed(0)} ms${infer}.`, ''];
}
