// The canary analysis (delivery/analysis.ts) on real servers: a stable iris server and three candidates
// get the same live traffic (iris rows, skewed to setosa as real traffic may be); the analysis of their own
// /metrics passes an identical model, fails a model trained on shifted labels (Jensen-Shannon distance of
// the predicted classes, checked against scipy) and fails a model that answers 500.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseStep, classDistributions, parseExposition, servedModelFrom, snapshotDelta, snapshotOf, type ModelServer } from '@mlship/sdk';
import { writeFailingPackage, writeShiftedIrisPackage } from '../harness/canary-models.ts';
import { writeIrisPackage } from '../harness/model-package.ts';
import { pythonBin } from '../harness/python.ts';
import { execFileSync } from 'node:child_process';
import { datasetRows, get, http, inferBody, startServer } from '../server/helpers.ts';

let work: string;
const servers: Record<string, { server: ModelServer; url: string }> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-canary-'));
  const pkgs = {
    stable: (await writeIrisPackage(join(work, 'stable'), '1.0.0')).dir,
    good: (await writeIrisPackage(join(work, 'good'), '1.1.0')).dir,
    shifted: (await writeShiftedIrisPackage(join(work, 'shifted'), '1.2.0')).dir,
    failing: (await writeFailingPackage(join(work, 'failing'), '1.3.0')).dir,
  };
  for (const [k, dir] of Object.entries(pkgs)) servers[k] = await startServer(await servedModelFrom(dir));
});
afterAll(async () => {
  for (const s of Object.values(servers)) await s.server.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const scrape = async (url: string) => snapshotOf([parseExposition((await get(url, '/metrics')).text)]);

describe('canary analysis on live traffic', () => {
  it('passes an identical model, fails shifted predictions and 5xx answers', async () => {
    const before = Object.fromEntries(await Promise.all(Object.entries(servers).map(async ([k, s]) => [k, await scrape(s.url)] as const)));
    const { rows } = await datasetRows('iris');
    // Live traffic: every test row once, then the first (setosa) row 30 more times; one row per request.
    const traffic = [...rows, ...Array.from({ length: 30 }, () => rows[0]!)];
    for (const s of Object.values(servers)) {
      for (const row of traffic) await http(s.url, 'POST', '/v2/models/iris-rf/infer', JSON.stringify(inferBody('float_input', [row])));
    }
    const delta = Object.fromEntries(await Promise.all(Object.entries(servers).map(async ([k, s]) => [k, snapshotDelta(await scrape(s.url), before[k]!)] as const)));
    for (const d of Object.values(delta)) expect(d.requests).toBe(traffic.length);

    const good = analyseStep(delta.stable!, delta.good!);
    expect(good.verdict).toBe('pass');
    expect(good.checks.find((c) => c.name === 'prediction-distance')!.canary).toBe(0);

    const shifted = analyseStep(delta.stable!, delta.shifted!);
    expect(shifted.verdict).toBe('fail');
    const dist = shifted.checks.find((c) => c.name === 'prediction-distance')!;
    expect(dist.passed).toBe(false);
    const { p, q } = classDistributions(delta.stable!, delta.shifted!);
    const scipy = Number(execFileSync(pythonBin(), ['-c', `from scipy.spatial.distance import jensenshannon; print(repr(float(jensenshannon(${JSON.stringify(p)}, ${JSON.stringify(q)}))))`], { encoding: 'utf8' }));
    expect(dist.canary).toBeCloseTo(scipy, 12);
    expect(shifted.checks.find((c) => c.name === 'error-rate')!.passed).toBe(true);

    const failing = analyseStep(delta.stable!, delta.failing!);
    expect(failing.verdict).toBe('fail');
    const er = failing.checks.find((c) => c.name === 'error-rate')!;
    expect(er).toMatchObject({ stable: 0, canary: 1, passed: false });
  });

  it('too little canary traffic is inconclusive, not a pass', () => {
    const empty = { requests: 3, errors: 0, latency: new Map([[Infinity, 3]]), classes: new Map([['0', 3]]) };
    expect(analyseStep(empty, empty).verdict).toBe('inconclusive');
  });
});
