import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionInputName, opt } from '../errors.ts';
import { actionsLogger, forAction, useInputNamer } from './action-logger.ts';

describe('actionsLogger', () => {
  afterEach(() => { vi.restoreAllMocks(); useInputNamer(actionInputName); });
  const capture = () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    return out;
  };

  it('names option references as action inputs in warning annotations', () => {
    const out = capture();
    actionsLogger().warn(`fed to the model as NaN (${opt('allow-missing')}).`);
    expect(out.join('')).toContain('::warning::fed to the model as NaN (input "allow-missing").');
    expect(out.join('')).not.toContain('\u2983');
  });

  it('uses the namer runAction was given (inputs named differently from the keys)', () => {
    useInputNamer((k) => actionInputName(k === 'platform' ? 'platforms' : k));
    expect(forAction(`set ${opt('platform')}`)).toBe('set input "platforms"');
  });
});
