// `mlship serve PACKAGE` verifies the package on the session it then serves with: the model file is
// hashed and loaded once. A different thread setting gets a fresh session of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServedModel, servedModelFrom } from '@mlship/sdk';
import { writeIrisPackage } from './helpers.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-model-source-'));
  await writeIrisPackage(join(tmp, 'pkg'), 3);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('servedModelFrom + ServedModel.load', () => {
  it('serves on the session that verified the package', async () => {
    const options = await servedModelFrom(join(tmp, 'pkg'), { intraOpThreads: 1 });
    const verified = options.preloaded!.model;
    const served = await ServedModel.load(options);
    expect(served.onnx).toBe(verified);
    expect((await served.verifyGolden()).rows).toBe(3);
    // The load time reported (mlship_model_load_seconds, load_ms) is the session's creation, done by
    // the package loader here — it read ≈ 0 when only the ServedModel constructor was timed.
    expect(served.loadSeconds).toBe(verified.loadSeconds);
    expect(verified.loadSeconds).toBeGreaterThan(0);
  });

  it('loads a fresh session when the server asks for other thread settings; the preloaded one still serves', async () => {
    const options = await servedModelFrom(join(tmp, 'pkg'), { intraOpThreads: 1 });
    const verified = options.preloaded!.model;
    const served = await ServedModel.load({ ...options, intraOpThreads: 2 });
    expect(served.onnx).not.toBe(verified);
    expect((await served.verifyGolden()).rows).toBe(3);
    expect((await (await ServedModel.load(options)).verifyGolden()).rows).toBe(3);
  });
});
