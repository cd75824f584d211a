import { describe, expect, it } from 'vitest';
import { startProcess } from './process.ts';

// Real child processes (this Node), no shell.
const node = process.execPath;

describe('startProcess', () => {
  it('resolves with the first match in stdout, and stop() ends a child that would run for a minute', async () => {
    const p = startProcess(node, ['-e', 'console.log("Starting to serve on 127.0.0.1:4321"); setTimeout(() => {}, 60000)']);
    const m = await p.waitForOutput(/serve on (\S+)/, 10_000);
    expect(m[1]).toBe('127.0.0.1:4321');
    await p.stop();
    expect(() => process.kill(p.pid!, 0)).toThrow();
  });

  it('rejects with the child\'s stderr when it exits before printing the pattern', async () => {
    const p = startProcess(node, ['-e', 'console.error("error: no kubeconfig"); process.exit(1)']);
    await expect(p.waitForOutput(/never/, 10_000)).rejects.toThrow(/exited \(code 1\): error: no kubeconfig/);
  });

  it('rejects when the program does not exist', async () => {
    const p = startProcess('/nonexistent/kubectl', []);
    await expect(p.waitForOutput(/x/, 10_000)).rejects.toThrow(/Cannot run \/nonexistent\/kubectl/);
  });
});
