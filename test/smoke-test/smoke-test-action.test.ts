// The smoke-test action as the runner runs it, against a real model server on 127.0.0.1.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedModelFrom, type ModelServer } from '@mlship/sdk';
import { runAction } from '../harness/run-action.ts';
import { FIXTURES, startServer, writeIrisPackage } from '../server/helpers.ts';

let tmp: string;
let pkgServer: { server: ModelServer; url: string };
let bareServer: { server: ModelServer; url: string };

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-smoke-action-'));
  await writeIrisPackage(join(tmp, 'pkg'), 4);
  pkgServer = await startServer(await servedModelFrom(join(tmp, 'pkg')));
  bareServer = await startServer(await servedModelFrom(join(FIXTURES, 'models/iris_rf.onnx'), { name: 'iris-rf' }));
});
afterAll(async () => {
  await Promise.all([pkgServer?.server.close(), bareServer?.server.close()]);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('smoke-test action', () => {
  it('passes against the server of its package, with outputs and a summary table', async () => {
    const run = await runAction({ action: 'smoke-test', inputs: { url: pkgServer.url, package: join(tmp, 'pkg') } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.passed).toBe('true');
    expect(Number(run.outputs['ready-ms'])).toBeGreaterThanOrEqual(0);
    expect(run.outputs.message).toMatch(/4 golden rows reproduce/);
    expect(run.summary).toMatch(/Smoke test: ✅ passed/);
    expect(run.summary).toMatch(/\| `probabilities` \|/);
  });

  it('fails the step when the server runs another version of the model', async () => {
    const run = await runAction({ action: 'smoke-test', inputs: { url: bareServer.url, package: join(tmp, 'pkg') } });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.errors.join('\n')).toMatch(/expected 1\.2\.0/);
    expect(run.summary).toMatch(/Smoke test: ❌ failed/);
  });

  it('refuses a package that does not exist, naming it', async () => {
    const missing = join(tmp, 'no-such-package');
    const run = await runAction({ action: 'smoke-test', inputs: { url: pkgServer.url, package: missing } });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toContain(missing);
    expect(run.outputs.passed).toBeUndefined();
  });

  it('fails with the reason when nothing listens', async () => {
    const run = await runAction({ action: 'smoke-test', inputs: { url: 'http://127.0.0.1:9', package: join(tmp, 'pkg'), 'ready-timeout': '1' } });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/did not answer 200 within 1000 ms/);
  });

  it('a bad ready-timeout is named as this action\'s input, not the CLI\'s --ready-timeout-ms', async () => {
    const run = await runAction({ action: 'smoke-test', inputs: { url: pkgServer.url, package: join(tmp, 'pkg'), 'ready-timeout': '0.0001' } });
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(/^input "ready-timeout" \(seconds; the value shown is in ms\) must be an integer ≥ 1, got 0\.1\.$/);
  });

  it('needs exactly one of url and service, and in CI a kubeconfig for service', async () => {
    const neither = await runAction({ action: 'smoke-test', inputs: { package: join(tmp, 'pkg') } });
    expect(neither.code).toBe(1);
    expect(neither.errors.join('\n')).toMatch(/give exactly one of input "url" .* and input "service" .*, got neither/);
    const noKubeconfig = await runAction({ action: 'smoke-test', inputs: { service: 'models/iris-rf', package: join(tmp, 'pkg') } });
    expect(noKubeconfig.code).toBe(1);
    expect(noKubeconfig.errors.join('\n')).toMatch(/input "kubeconfig" is empty: .*input "use-runner-kubeconfig" to true/);
    const badService = await runAction({ action: 'smoke-test', inputs: { service: 'iris-rf', package: join(tmp, 'pkg'), 'use-runner-kubeconfig': 'true' } });
    expect(badService.errors.join('\n')).toMatch(/input "service": "iris-rf" is not NAMESPACE\/NAME/);
  });
});
