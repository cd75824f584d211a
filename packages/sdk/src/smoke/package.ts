import { InputError, opt } from '../errors.ts';
import { openServiceProxy, parseServiceRef, type KubectlTarget } from '../k8s/index.ts';
import { silentLogger, type Logger } from '../log.ts';
import { loadPackage } from '../package/loader.ts';
import { renderComparisonTable } from '../compare/table.ts';
import { smokeTest, type SmokeTestOptions, type SmokeTestResult } from './smoke-test.ts';

export interface SmokeTestPackageOptions extends Omit<SmokeTestOptions, 'manifest' | 'url' | 'label'> {
  /** The model package (directory or .tar.gz) the server should be serving; it is verified first. */
  package: string;
  /** The server's base URL. Give this or `service`. */
  url?: string;
  /**
   * A Kubernetes Service, `namespace/name[:port]`, reached through the API server's service proxy
   * (`kubectl proxy` with `kubectl`'s kubeconfig): no port-forward, no ingress. Give this or `url`.
   */
  service?: string;
  /** The cluster for `service` (kubeconfig path, context). */
  kubectl?: KubectlTarget;
}

/** Verifies the package (hashes, signature) and smoke-tests the server against its golden rows. */
export async function smokeTestPackage(options: SmokeTestPackageOptions): Promise<SmokeTestResult> {
  const logger = options.logger ?? silentLogger;
  const { package: path, url, service, kubectl, ...rest } = options;
  if ((url ? 1 : 0) + (service ? 1 : 0) !== 1) {
    throw new InputError(`give exactly one of ${opt('url')} (a running server, e.g. http://127.0.0.1:8080) and ${opt('service')} (a Kubernetes Service, NAMESPACE/NAME), got ${url && service ? 'both' : 'neither'}.`);
  }
  const ref = service ? parseServiceRef(service) : undefined;
  const pkg = await loadPackage(path, { logger, checkGolden: false });
  await pkg.model.session.release();
  if (!ref) return smokeTest({ ...rest, url: url!, manifest: pkg.manifest, logger: logger as Logger });
  const proxy = await openServiceProxy(kubectl ?? {}, ref, logger);
  try {
    return await smokeTest({ ...rest, url: proxy.url, label: `service ${ref.namespace}/${ref.name} (API server proxy)`, manifest: pkg.manifest, logger });
  } finally {
    await proxy.close();
  }
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
