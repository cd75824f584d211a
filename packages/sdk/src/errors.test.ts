import { describe, expect, it } from 'vitest';
import { actionInputName, cliOptionName, GateFailedError, InputError, messageFor, opt } from './errors.ts';

describe('option references in error messages', () => {
  const err = new InputError(`${opt('threshold')}: cannot read "acc>"; see ${opt('min-improvement')} too.`);

  it('renders CLI flags in err.message', () => {
    expect(err.message).toBe('--threshold: cannot read "acc>"; see --min-improvement too.');
    expect(messageFor(err, cliOptionName)).toBe(err.message);
  });

  it('renders action input names for actions', () => {
    expect(messageFor(err, actionInputName)).toBe('input "threshold": cannot read "acc>"; see input "min-improvement" too.');
  });

  it('lets an adapter map keys whose names differ', () => {
    const name = (k: string) => (k === 'ready-timeout-ms' ? 'input "ready-timeout" (seconds)' : actionInputName(k));
    expect(messageFor(new GateFailedError(`${opt('ready-timeout-ms')} passed`), name)).toBe('input "ready-timeout" (seconds) passed');
  });

  it('leaves other errors as they are', () => {
    expect(messageFor(new Error('boom ⦃x⦄'), actionInputName)).toBe('boom ⦃x⦄');
    expect(messageFor('text')).toBe('text');
  });
});
