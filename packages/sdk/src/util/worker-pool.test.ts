import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runOrderedPool } from './worker-pool.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlship-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A worker whose set-up takes 300 ms (as loading onnxruntime-node does), then marks it done and answers jobs.
const entry = join(dir, 'slow-setup.mjs');
writeFileSync(entry, `
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
await new Promise((r) => setTimeout(r, 300));
writeFileSync(workerData.dir + '/set-up-' + threadId, '');
parentPort.postMessage({ ready: true });
parentPort.on('message', (job) => parentPort.postMessage({ done: { index: job.index, twice: job.value * 2 } }));
`);

describe('runOrderedPool', () => {
  it('gives every result in job order, and lets workers with no job finish their set-up before terminating them', async () => {
    const marks = join(dir, 'marks');
    mkdirSync(marks);
    const results: number[] = [];
    async function* jobs() { yield { index: 0, value: 21 }; }
    await runOrderedPool<{ index: number; value: number }, { index: number; twice: number }>({
      entry: pathToFileURL(entry), workerData: { dir: marks }, count: 6, jobs: jobs(),
      onDone: (_job, r) => { results.push(r.twice); },
    });
    expect(results).toEqual([42]);
    // Terminating a worker mid set-up (loading a native addon) can abort the process (a new-user trial saw
    // exit 134 with 64 workers on a one-chunk file): every worker got to the end of its set-up first.
    expect(readdirSync(marks).length).toBe(6);
  });
});
