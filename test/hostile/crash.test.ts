// The inference log survives crashes (issue 15, finding 5), on a real `mlship serve` process:
// kill -9 under load keeps every answered request's rows as whole lines; a torn last record (power
// loss, full disk) is moved aside on restart; drift-check then reads the log with 0 corrupt lines.
import { readFile, appendFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLinesToCsv, runDriftCheck } from '@mlship/sdk';
import { FIXTURES, writeIrisPackage } from '../server/helpers.ts';
import { buildCliBundle, serve, type Served } from './serve-process.ts';

let tmp: string;
let cli: Awaited<ReturnType<typeof buildCliBundle>>;
const running: Served[] = [];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mlship-crash-'));
  cli = await buildCliBundle('crash');
  await writeIrisPackage(join(tmp, 'pkg'));
});
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await cli?.remove();
  await rm(tmp, { recursive: true, force: true });
});

function predict(agent: Agent, port: number, row: number[]): Promise<number> {
  const body = JSON.stringify({ instances: [row] });
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Clients sending back to back until `stop()`; resolves with the number of 200 answers. */
function load(port: number, clients: number, maxEach: number): { stop: () => void; answered: Promise<number> } {
  let stopped = false;
  let ok = 0;
  const all = Array.from({ length: clients }, async (_, c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < maxEach && !stopped; i++) if ((await predict(agent, port, [5 + (i % 10) / 10, 3, 1.4 + c / 10, 0.2])) === 200) ok++;
    agent.destroy();
  });
  return { stop: () => { stopped = true; }, answered: Promise.all(all).then(() => ok) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const format of ['jsonl', 'csv'] as const) {
  describe(`inference log (${format}) under kill -9`, () => {
    it('keeps every answered row as a whole line, repairs a torn tail on restart, drift reads it with 0 corrupt lines', { timeout: 180_000 }, async () => {
      const log = join(tmp, `inference.${format}`);
      const env = { MLSHIP_HOST: '127.0.0.1', MLSHIP_INFERENCE_LOG: log, MLSHIP_SHUTDOWN_DELAY: '0' };
      const first = serve(cli.bundle, ['serve', join(tmp, 'pkg')], env);
      running.push(first);
      const port = (await first.waitFor('listening')).port as number;
      await first.waitFor('ready');
      const traffic = load(port, 6, 5000);
      await sleep(1500);
      first.child.kill('SIGKILL'); // mid-log: clients are still sending
      traffic.stop();
      const answered = await traffic.answered;
      expect((await first.exit).signal).toBe('SIGKILL');
      expect(answered).toBeGreaterThan(50);

      const text = await readFile(log, 'utf8');
      expect(text.endsWith('\n'), 'the log ends in a whole line').toBe(true);
      const lines = text.trimEnd().split('\n').slice(format === 'csv' ? 1 : 0);
      // Answered ⇒ logged: every row the clients got an answer for is in the file.
      expect(lines.length).toBeGreaterThanOrEqual(answered);
      if (format === 'jsonl') for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      else for (const l of lines) expect(l).toMatch(/^[\d.]+,[\d.]+,[\d.]+,[\d.]+$/);

      // A torn last record, as a power loss or a full disk leaves it (what finding 5 saw).
      const torn = format === 'jsonl' ? '{"time":"2026-12-01T00:00:00.000Z","model":"iris-rf","features":{"sepal length (cm)":5.1,"sep' : '5.1,3.5';
      await appendFile(log, torn);
      const second = serve(cli.bundle, ['serve', join(tmp, 'pkg')], env);
      running.push(second);
      const warn = await second.waitFor('inference log ended in a torn record; moved it aside');
      expect(warn).toMatchObject({ level: 'warn', torn_bytes: torn.length, moved_to: `${log}.torn` });
      const port2 = (await second.waitFor('listening')).port as number;
      await second.waitFor('ready');
      const more = load(port2, 2, 20);
      const answered2 = await more.answered;
      second.child.kill('SIGTERM');
      expect((await second.exit).code).toBe(0);
      expect(await readFile(`${log}.torn`, 'utf8')).toBe(`${torn}\n`);

      const after = (await readFile(log, 'utf8')).trimEnd().split('\n').slice(format === 'csv' ? 1 : 0);
      expect(after.length).toBeGreaterThanOrEqual(lines.length + answered2);
      // drift-check reads the whole log: not one corrupt line.
      if (format === 'jsonl') expect(await jsonLinesToCsv(log, join(tmp, 'log-as.csv'))).toBe(after.length);
      const report = await runDriftCheck({ reference: join(FIXTURES, 'datasets/iris/train.csv'), current: log, exclude: ['target'] });
      expect(Object.keys(report.columns)).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
    });
  });
}
