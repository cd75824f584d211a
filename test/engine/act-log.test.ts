// parseActLog on lines captured from act 0.2.89 --json (host mode): a run step that set an output,
// wrote a summary and failed; a node action's ::error:: annotation; padded job names.
import { describe, expect, it } from 'vitest';
import { actArgs, parseActLog } from '../harness/act.ts';

const CAPTURED = [
  '{"dryrun":false,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"⭐ Run Main echo hi","stage":"Main","step":"echo hi","stepID":["0"],"time":"2026-12-01T22:10:17Z"}',
  '{"dryrun":false,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"hi\\n","raw_output":true,"stage":"Main","step":"echo hi","stepID":["0"],"time":"2026-12-01T22:10:17Z"}',
  '{"dryrun":false,"executionTime":3285827,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"  ❌  Failure - Main echo hi [3.285827ms]","stage":"Main","step":"echo hi","stepID":["0"],"stepResult":"failure","time":"2026-12-01T22:10:17Z"}',
  '{"arg":"1","command":"set-output","dryrun":false,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"  ⚙  ::set-output:: y=1","name":"y","stage":"Main","step":"echo hi","stepID":["0"],"time":"2026-12-01T22:10:17Z"}',
  '{"command":"summary","content":"### failed summary\\n","dryrun":false,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"  ⚙  Summary - ### failed summary\\n","stage":"Main","step":"echo hi","stepID":["0"],"time":"2026-12-01T22:10:35Z"}',
  '{"arg":"Input required and not supplied: url","command":"error","dryrun":false,"job":"smoke/smoke","jobID":"smoke","kvPairs":{},"level":"error","matrix":{},"msg":"  ❗  ::error::Input required and not supplied: url\\n","raw":"::error::Input required and not supplied: url\\n","stage":"Main","step":"mlship/mlship/actions/smoke-test@v0","stepID":["smoke"],"time":"2026-12-01T22:11:02Z"}',
  '{"dryrun":false,"job":"smoke/smoke","jobID":"smoke","level":"info","matrix":{},"msg":"  ❌  Failure - Main mlship/mlship/actions/smoke-test@v0 [97ms]","stage":"Main","step":"mlship/mlship/actions/smoke-test@v0","stepID":["smoke"],"stepResult":"failure","time":"2026-12-01T22:11:02Z"}',
  '{"dryrun":false,"job":"t/b             ","jobID":"b","level":"info","matrix":{},"msg":"  ✅  Success - Complete job","step":"Complete job","stepResult":"success","stepid":["--complete-job"],"time":"2026-12-01T22:10:18Z"}',
  '{"dryrun":false,"job":"t/b             ","jobID":"b","jobResult":"failure","level":"info","matrix":{},"msg":"🏁  Job failed","time":"2026-12-01T22:10:18Z"}',
  'Error: Job \'b\' failed',
].join('\n');

describe('parseActLog', () => {
  const { jobs } = parseActLog(CAPTURED);
  it('groups Main-stage events by trimmed job name and step id; set-up/complete-job steps are not steps', () => {
    expect(Object.keys(jobs)).toEqual(['t/b', 'smoke/smoke']);
    expect(jobs['t/b']!.result).toBe('failure');
    expect(jobs['t/b']!.steps).toEqual([{ id: '0', name: 'echo hi', result: 'failure', outputs: { y: '1' }, summary: '### failed summary\n', log: 'hi\n', errors: [] }]);
  });
  it('keeps ::error:: annotations of a step', () => {
    expect(jobs['smoke/smoke']!.steps[0]).toMatchObject({ id: 'smoke', result: 'failure', errors: ['Input required and not supplied: url'] });
  });
});

describe('actArgs', () => {
  it('host mode, checkout run, private cache, every mapping; values only through files and --env', () => {
    const args = actArgs({
      event: 'push', repoDir: '/r', workflow: '.github/workflows/ml.yml', eventFile: '/t/e.json', varFile: '/t/v', secretFile: '/t/s',
      cache: '/c', mlship: '/a/mlship', standIns: { checkout: '/s/c', 'setup-python': '/s/p', 'upload-artifact': '/s/u', 'download-artifact': '/s/d' },
      env: { GITHUB_API_URL: 'http://127.0.0.1:1' },
    });
    expect(args.slice(0, 2)).toEqual(['push', '--json']);
    for (const pair of [['-P', 'ubuntu-latest=-self-hosted'], ['--action-cache-path', '/c'], ['--secret-file', '/t/s'], ['--var-file', '/t/v'], ['-W', '/r/.github/workflows/ml.yml'],
      ['--local-repository', 'mlship/mlship@v0=/a/mlship'], ['--local-repository', 'actions/checkout@v4=/s/c'], ['--env', 'GITHUB_API_URL=http://127.0.0.1:1']]) {
      const i = args.findIndex((a, k) => a === pair[0] && args[k + 1] === pair[1]);
      expect(i, pair.join(' ')).toBeGreaterThanOrEqual(0);
    }
    expect(args).toContain('--no-skip-checkout');
  });
});
