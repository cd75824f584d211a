import { describe, expect, it } from 'vitest';
import { parseByteSize, resolveServeConfig } from './config.ts';
import { defaultWorkerCount } from '../util/cpu-limit.ts';

describe('resolveServeConfig', () => {
  it('has safe defaults: loopback, 8080, batching on, 1 MiB bodies', () => {
    const c = resolveServeConfig({}, {});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, maxBatchSize: 64, maxWaitMs: 0, bodyLimitBytes: 1048576, inferenceLogSample: 1, accessLog: false, logLevel: 'info', intraOpThreads: 1 });
  });

  it('reads the MLSHIP_* environment and lets flags win', () => {
    const env = { MLSHIP_HOST: '0.0.0.0', MLSHIP_PORT: '9000', MLSHIP_MAX_BATCH: '16', MLSHIP_MAX_WAIT_MS: '2', MLSHIP_BODY_LIMIT: '64kb', MLSHIP_INFERENCE_LOG: '/tmp/x.csv', MLSHIP_INFERENCE_LOG_SAMPLE: '0.25', MLSHIP_ACCESS_LOG: '1', MLSHIP_LOG_LEVEL: 'warn' };
    expect(resolveServeConfig({}, env)).toMatchObject({ host: '0.0.0.0', port: 9000, maxBatchSize: 16, maxWaitMs: 2, bodyLimitBytes: 65536, inferenceLog: '/tmp/x.csv', inferenceLogSample: 0.25, accessLog: true, logLevel: 'warn' });
    expect(resolveServeConfig({ port: '7000', 'max-batch': '1' }, env)).toMatchObject({ port: 7000, maxBatchSize: 1, host: '0.0.0.0' });
  });

  it('names the flag or variable of a malformed value', () => {
    expect(() => resolveServeConfig({}, { MLSHIP_PORT: 'http' })).toThrow(/MLSHIP_PORT="http" is not a whole number between 0 and 65535/);
    expect(() => resolveServeConfig({ port: '70000' }, {})).toThrow(/--port="70000"/);
    expect(() => resolveServeConfig({ 'max-batch': '0' }, {})).toThrow(/--max-batch/);
    expect(() => resolveServeConfig({}, { MLSHIP_INFERENCE_LOG_SAMPLE: '2' })).toThrow(/fraction between 0 and 1/);
    expect(() => resolveServeConfig({}, { MLSHIP_BODY_LIMIT: 'lots' })).toThrow(/MLSHIP_BODY_LIMIT="lots" is not a size/);
    expect(() => resolveServeConfig({}, { MLSHIP_LOG_LEVEL: 'loud' })).toThrow(/MLSHIP_LOG_LEVEL: log level "loud"/);
    expect(resolveServeConfig({ workers: '3' }, { MLSHIP_WORKERS: '2' }).workers).toBe(3);
    expect(resolveServeConfig({}, { MLSHIP_WORKERS: '1' }).workers).toBe(1);
    expect(resolveServeConfig({}, {}).workers).toBe(defaultWorkerCount()); // the cgroup limit, else the cores
    expect(() => resolveServeConfig({}, { MLSHIP_WORKERS: '0' })).toThrow(/MLSHIP_WORKERS="0" is not a whole number between 1 and 256/);
  });

  it('shutdown: a 5 s delay and a 25 s drain by default (30 s, the pod grace period); durations with units', () => {
    expect(resolveServeConfig({}, {})).toMatchObject({ shutdownDelayMs: 5000, drainTimeoutMs: 25000, requestTimeoutMs: 60000, inferenceLogMaxBytes: 256 * 1024 ** 2, inferenceLogMaxAgeMs: 0, inferenceLogKeep: 10, inferenceLogBufferBytes: 8 * 1024 ** 2 });
    expect(resolveServeConfig({ 'shutdown-delay': '500ms' }, { MLSHIP_SHUTDOWN_DELAY: '9s' }).shutdownDelayMs).toBe(500);
    expect(resolveServeConfig({}, { MLSHIP_SHUTDOWN_DELAY: '3' }).shutdownDelayMs).toBe(3000);
    expect(resolveServeConfig({}, { MLSHIP_INFERENCE_LOG_MAX_AGE: '1d', MLSHIP_INFERENCE_LOG_MAX_BYTES: '0' })).toMatchObject({ inferenceLogMaxAgeMs: 86_400_000, inferenceLogMaxBytes: 0 });
    expect(() => resolveServeConfig({}, { MLSHIP_SHUTDOWN_DELAY: 'soon' })).toThrow(/MLSHIP_SHUTDOWN_DELAY="soon" is not a duration/);
    expect(() => resolveServeConfig({ 'shutdown-delay': '2h' }, {})).toThrow(/--shutdown-delay="2h" is not a duration of at most 3600s/);
  });

  it('parses byte sizes with binary units', () => {
    expect(parseByteSize('1048576', 'x')).toBe(1048576);
    expect(parseByteSize('512kb', 'x')).toBe(524288);
    expect(parseByteSize('1.5MiB', 'x')).toBe(1572864);
    expect(parseByteSize('2m', 'x')).toBe(2097152);
  });
});
