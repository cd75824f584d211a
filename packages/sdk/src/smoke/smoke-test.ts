import { checkNumberOption, POSITIVE_INTEGER } from '../util/number-option.ts';
import { GateFailedError, InputError } from '../errors.ts';
import { SMOKE_HEADER } from '../server/request-ids.ts';
import { silentLogger, type Logger } from '../log.ts';
import { OIP_DATATYPES } from '../model/feeds.ts';
import { rowsBatch } from '../model/input-map.ts';
import { manifestBindings } from '../package/golden.ts';
import { modelSha256, type PackageManifest } from '../package/manifest.ts';
import { compareOutputSets, DEFAULT_PARITY_TOLERANCE, describeMismatch, tensorRows, type OutputComparison, type ParityTolerance } from '../compare/outputs.ts';

export interface SmokeTestOptions {
  /** Base URL of a running model server, e.g. http://127.0.0.1:8080 (or a Kubernetes Service URL). */
  url: string;
  /** How the server is named in messages (default the URL), e.g. `service models/iris-rf`. */
  label?: string;
  /** The package's manifest: name, version, model file hash, signature, golden rows and outputs. */
  manifest: Pick<PackageManifest, 'name' | 'version' | 'model' | 'files' | 'signature' | 'golden' | 'outputRoles' | 'inputs' | 'featureNames' | 'classLabels'>;
  /** Name the server serves the model under (default the manifest's). */
  modelName?: string;
  /** Wait this long for /v2/health/ready to answer 200 (default 30 s). */
  readyTimeoutMs?: number;
  /** Per-request timeout (default 10 s). */
  requestTimeoutMs?: number;
  /** Output tolerance (default: the parity gate's float32 defaults). */
  tolerance?: ParityTolerance;
  logger?: Logger;
}

export interface SmokeTestResult {
  passed: boolean;
  url: string;
  model: string;
  version: string;
  /** Golden rows sent in one infer request. */
  rows: number;
  /** Time to get ready (ms) and the infer round trip (ms). */
  readyMs: number;
  inferMs: number;
  comparisons: OutputComparison[];
  /** One sentence: what passed, or the first thing that failed. */
  message: string;
}

/**
 * Smoke-tests a running model server against its package: waits for GET /v2/health/ready, checks
 * GET /v2/models/{name} (name, version, the model file's sha256 in `parameters.sha256` — so a stale pod
 * or an old image serving the same version cannot pass —, input name, FP32 input), sends the golden rows
 * in one OIP V2 infer request and compares every golden output the server returns with the recorded
 * values: labels must all agree, numbers within the parity tolerance (compare/outputs.ts). Returns the
 * result; `assertSmokeTest` throws GateFailedError when it did not pass. Network failures and
 * timeouts count as failures with the reason.
 */
export async function smokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
  const logger = options.logger ?? silentLogger;
  const m = options.manifest;
  const name = options.modelName ?? m.name;
  const base = options.url.replace(/\/+$/, '');
  const timeout = options.requestTimeoutMs ?? 10_000;
  const tol = options.tolerance ?? DEFAULT_PARITY_TOLERANCE;
  const result: SmokeTestResult = { passed: false, url: options.label ?? base, model: name, version: m.version, rows: m.golden.inputs.length, readyMs: 0, inferMs: 0, comparisons: [], message: '' };
  const fail = (message: string) => ({ ...result, passed: false, message });
  checkNumberOption('ready-timeout-ms', options.readyTimeoutMs, POSITIVE_INTEGER);
  checkNumberOption('request-timeout-ms', options.requestTimeoutMs, POSITIVE_INTEGER);
  if (m.golden.inputs.length === 0) throw new InputError(`the package ${m.name} ${m.version} has no golden rows to smoke-test with; write it again with golden rows (mlship serialize --golden-rows).`);

  const started = performance.now();
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let lastReady = '';
  for (;;) {
    try {
      const r = await fetch(`${base}/v2/health/ready`, { signal: AbortSignal.timeout(timeout) });
      if (r.status === 200) break;
      lastReady = `HTTP ${r.status}`;
    } catch (err) {
      lastReady = (err as Error).message;
    }
    if (Date.now() > deadline) return fail(`${result.url}: /v2/health/ready did not answer 200 within ${options.readyTimeoutMs ?? 30_000} ms (last: ${lastReady})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  result.readyMs = performance.now() - started;
  logger.info(`${result.url} is ready (${result.readyMs.toFixed(0)} ms)`);

  const metaRes = await fetchJson(`${base}/v2/models/${encodeURIComponent(name)}`, { signal: AbortSignal.timeout(timeout) });
  if (metaRes.status !== 200) return fail(`GET /v2/models/${name} answered ${metaRes.status}: ${metaRes.error}`);
  const meta = metaRes.body as { name?: string; versions?: string[]; parameters?: { sha256?: string }; inputs?: Array<{ name: string; datatype: string }>; outputs?: Array<{ name: string }> };
  if (meta.name !== name) return fail(`the server reports model name ${JSON.stringify(meta.name)}, expected ${JSON.stringify(name)}`);
  if (!meta.versions?.includes(m.version)) return fail(`the server serves version(s) ${JSON.stringify(meta.versions)}, expected ${m.version}: an old or different image is running`);
  const sha256 = modelSha256(m);
  if (meta.parameters?.sha256 !== sha256) {
    return fail(meta.parameters?.sha256
      ? `the server serves a model with sha256 ${meta.parameters.sha256}, the package's is ${sha256}: a stale pod or another image is running`
      : `the server does not report its model's sha256 (parameters.sha256 in GET /v2/models/${name}); expected ${sha256}: not an mlship server serving this package`);
  }
  for (const input of m.inputs) {
    const datatype = OIP_DATATYPES[input.type];
    const served = meta.inputs?.find((i) => i.name === input.name);
    if (!served || served.datatype !== datatype) return fail(`the server's inputs are ${JSON.stringify(meta.inputs)}, expected ${input.name} ${datatype}`);
  }

  // The golden rows as one tensor per input (the package's column → input mapping); JSON null carries a missing value.
  const batch = rowsBatch(m.golden.inputs, m.featureNames, manifestBindings(m));
  const body = JSON.stringify({
    id: 'mlship-smoke',
    inputs: m.inputs.map((input) => {
      const data = batch.data[input.name]!;
      return { name: input.name, shape: [batch.rows, input.columns.length], datatype: OIP_DATATYPES[input.type], data: Array.from(data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' && Number.isNaN(v) ? null : v)) };
    }),
  });
  const t0 = performance.now();
  const inferRes = await fetchJson(`${base}/v2/models/${encodeURIComponent(name)}/infer`, { method: 'POST', body, headers: SMOKE_HEADERS, signal: AbortSignal.timeout(timeout) });
  result.inferMs = performance.now() - t0;
  if (inferRes.status !== 200) return fail(`POST /v2/models/${name}/infer answered ${inferRes.status}: ${inferRes.error}`);
  const outputs = (inferRes.body as { outputs?: Array<{ name: string; shape: number[]; data: Array<number | string> }> }).outputs ?? [];
  const served = Object.fromEntries(outputs.map((o) => [o.name, tensorRows({ dims: o.shape, data: o.data })]));
  const notServable = (name: string) => m.signature.outputs.find((s) => s.name === name)?.isTensor === false; // ZipMap
  const { comparisons, failed: bad } = compareOutputSets(m.golden.outputs, served, { labelOutput: m.outputRoles.label, tolerance: tol, skip: notServable });
  result.comparisons.push(...comparisons);
  const labelProblem = bad ? undefined : await checkServedLabels(base, m, timeout);
  if (labelProblem) return fail(labelProblem);
  result.passed = !bad;
  result.message = bad ? `golden output ${bad.output} differs: ${describeMismatch(bad)}` : `${result.rows} golden rows reproduce over HTTP (${result.comparisons.map((c) => c.output).join(', ')}), infer ${result.inferMs.toFixed(1)} ms`;
  logger.info(result.message);
  return result;
}

/** Throws GateFailedError (exit 1) with the smoke test's message when it did not pass. */
export function assertSmokeTest(result: SmokeTestResult): SmokeTestResult {
  if (!result.passed) throw new GateFailedError(`Smoke test of ${result.model} ${result.version} at ${result.url} failed: ${result.message}`);
  return result;
}

// Marks the smoke test's requests so the server keeps its golden rows out of the inference log and prediction metrics.
const SMOKE_HEADERS = { 'content-type': 'application/json', [SMOKE_HEADER]: '1' };

async function fetchJson(url: string, init: RequestInit): Promise<{ status: number; body: unknown; error: string }> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let body: unknown;
    try { body = JSON.parse(text); } catch { body = undefined; }
    const error = (body as { error?: string } | undefined)?.error ?? text.slice(0, 300);
    return { status: res.status, body, error };
  } catch (err) {
    return { status: 0, body: undefined, error: (err as Error).message };
  }
}

/**
 * The served labels are the package's: POST /predict with the golden rows (keyed by feature name) must
 * answer each row's golden label as a class label, and list the package's classes in order. Returns
 * what differs, or undefined.
 */
async function checkServedLabels(base: string, m: SmokeTestOptions['manifest'], timeout: number): Promise<string | undefined> {
  const labelOutput = m.outputRoles.label;
  if (!labelOutput || !m.golden.outputs[labelOutput]) return undefined;
  const classes = m.classLabels;
  const instances = m.golden.inputs.map((row) => Object.fromEntries(m.featureNames.map((f, j) => [f, row[j]])));
  const res = await fetchJson(`${base}/predict`, { method: 'POST', body: JSON.stringify({ instances }), headers: SMOKE_HEADERS, signal: AbortSignal.timeout(timeout) });
  if (res.status !== 200) return `POST /predict answered ${res.status}: ${res.error}`;
  const preds = (res.body as { predictions?: Array<{ label?: unknown; classes?: unknown[] }> }).predictions ?? [];
  const golden = m.golden.outputs[labelOutput]!;
  for (let r = 0; r < golden.length; r++) {
    const raw = golden[r] as number | string;
    // The label output holds the class itself, or (an encoded target named by classLabels) its index.
    const expected = typeof raw === 'string' || !classes || classes.includes(raw) ? raw : classes[raw] ?? raw;
    const got = preds[r]?.label;
    if (got !== expected) return `POST /predict row ${r} answered label ${JSON.stringify(got)}, but the package's golden label is ${JSON.stringify(expected)}: the server does not use the package's class labels`;
    if (classes && preds[r]?.classes && JSON.stringify(preds[r]!.classes) !== JSON.stringify(classes)) {
      return `POST /predict lists the classes ${JSON.stringify(preds[r]!.classes)}, but the package's are ${JSON.stringify(classes)}`;
    }
  }
  return undefined;
}
