import { describe, expect, it } from 'vitest';
import { actionInputName, messageFor } from '../errors.ts';
import { checkNumberOption, describeNumberRule, FRACTION, NON_NEGATIVE, parseNumberOption, POSITIVE, POSITIVE_INTEGER } from './number-option.ts';

describe('parseNumberOption', () => {
  it('reads decimal numbers; empty or missing is "not given"', () => {
    expect(parseNumberOption('atol', '1e-4')).toBe(1e-4);
    expect(parseNumberOption('atol', ' 0.5 ')).toBe(0.5);
    expect(parseNumberOption('seed', '-3', { integer: true })).toBe(-3);
    expect(parseNumberOption('seed', undefined)).toBeUndefined();
    expect(parseNumberOption('seed', '  ')).toBeUndefined();
  });

  it('rejects text that is not a number, naming the option as the CLI flag', () => {
    for (const bad of ['abc', '12px', 'Infinity', 'NaN', '0x10', '1,5', '--3']) {
      expect(() => parseNumberOption('ready-timeout-ms', bad, POSITIVE_INTEGER)).toThrow(`--ready-timeout-ms must be an integer ≥ 1, got "${bad}".`);
    }
  });

  it('enforces integer and range rules, and names the option as an action input there', () => {
    expect(() => parseNumberOption('replicas', '1.5', POSITIVE_INTEGER)).toThrow('--replicas must be an integer ≥ 1, got "1.5".');
    expect(() => parseNumberOption('replicas', '0', POSITIVE_INTEGER)).toThrow('--replicas must be an integer ≥ 1, got "0".');
    expect(() => parseNumberOption('drift-share', '1.2', FRACTION)).toThrow('--drift-share must be a number from 0 to 1, got "1.2".');
    expect(() => parseNumberOption('timeout', '0', POSITIVE)).toThrow('--timeout must be a number > 0, got "0".');
    try {
      parseNumberOption('min-available', 'x', { integer: true, min: 0 });
    } catch (err) {
      expect(messageFor(err, actionInputName)).toBe('input "min-available" must be an integer ≥ 0, got "x".');
    }
    expect.assertions(5);
  });
});

describe('checkNumberOption', () => {
  it('passes valid numbers and undefined; throws on NaN and out-of-range values', () => {
    expect(checkNumberOption('atol', 0, NON_NEGATIVE)).toBe(0);
    expect(checkNumberOption('atol', undefined, NON_NEGATIVE)).toBeUndefined();
    expect(() => checkNumberOption('ready-timeout-ms', Number.NaN, POSITIVE_INTEGER)).toThrow('--ready-timeout-ms must be an integer ≥ 1, got NaN.');
    expect(() => checkNumberOption('atol', -1, NON_NEGATIVE)).toThrow('--atol must be a number ≥ 0, got -1.');
  });
});

describe('describeNumberRule', () => {
  it('says the rule in words', () => {
    expect(describeNumberRule({})).toBe('a number');
    expect(describeNumberRule({ integer: true, min: 1, max: 10 })).toBe('an integer from 1 to 10');
    expect(describeNumberRule({ min: 0, minExclusive: true, max: 1 })).toBe('a number > 0 and ≤ 1');
    expect(describeNumberRule({ max: 5 })).toBe('a number ≤ 5');
    expect(describeNumberRule({ min: 0, minExclusive: true, max: 1, maxExclusive: true })).toBe('a number > 0 and < 1');
    expect(describeNumberRule({ min: 0, max: 1, maxExclusive: true })).toBe('a number ≥ 0 and < 1');
  });

  it('maxExclusive refuses the bound itself', () => {
    const P = { min: 0, minExclusive: true, max: 1, maxExclusive: true };
    expect(checkNumberOption('threshold', 0.999, P)).toBe(0.999);
    expect(() => checkNumberOption('threshold', 1, P)).toThrow('--threshold must be a number > 0 and < 1, got 1.');
  });
});
