import { describe, expect, it } from 'vitest';
import { createdAtFrom, workflowRunUrl } from './writer.ts';
import { isSafeRelativePath } from './manifest.ts';

describe('provenance helpers', () => {
  it('createdAt honours SOURCE_DATE_EPOCH (reproducible-builds.org) and refuses junk', () => {
    expect(createdAtFrom({ SOURCE_DATE_EPOCH: '1767225600' })).toBe('2026-01-01T00:00:00Z');
    expect(createdAtFrom({ SOURCE_DATE_EPOCH: '0' })).toBe('1970-01-01T00:00:00Z');
    expect(() => createdAtFrom({ SOURCE_DATE_EPOCH: '2026-01-01' })).toThrow(/SOURCE_DATE_EPOCH must be whole seconds/);
    expect(createdAtFrom({})).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('workflow run URL from the runner variables, with the attempt when it is not the first', () => {
    const env = { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '99' };
    expect(workflowRunUrl(env)).toBe('https://ghe.example.com/o/r/actions/runs/99');
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ATTEMPT: '1' })).toBe('https://ghe.example.com/o/r/actions/runs/99');
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ATTEMPT: '3' })).toBe('https://ghe.example.com/o/r/actions/runs/99/attempts/3');
    expect(workflowRunUrl({ GITHUB_REPOSITORY: 'o/r' })).toBeUndefined();
  });

  it('safe relative paths', () => {
    for (const ok of ['model.onnx', 'a/b.json', '.hidden']) expect(isSafeRelativePath(ok), ok).toBe(true);
    for (const bad of ['', '/abs', '../x', 'a/../b', './a', 'a//b', 'a/', 'a\\b', 'C:x', 'a\0b', '..']) expect(isSafeRelativePath(bad), bad).toBe(false);
  });
});
