import { afterEach, describe, expect, it, vi } from 'vitest';
import { opt } from './errors.ts';
import { stderrLogger } from './log.ts';

describe('stderrLogger', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  const capture = () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
    return lines;
  };

  it('names option references as CLI flags in warnings and info lines', () => {
    const lines = capture();
    const log = stderrLogger();
    log.warn(`fed to the model as NaN (${opt('allow-missing')}).`);
    log.info(`No ${opt('features-from')} given`);
    expect(lines).toEqual(['warning: fed to the model as NaN (--allow-missing).\n', 'No --features-from given\n']);
  });

  it('keeps only warnings when quiet', () => {
    const lines = capture();
    const log = stderrLogger({ quiet: true });
    log.info('progress words');
    log.debug('detail');
    log.progress?.('rows', 1, 2);
    log.warn(`pass ${opt('sample')}`);
    expect(lines).toEqual(['warning: pass --sample\n']);
  });
});
