import { InputError, opt } from '../errors.ts';

/** What a numeric option accepts. Bounds are inclusive unless `minExclusive` / `maxExclusive` say otherwise. */
export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** `min` itself is not accepted (e.g. a timeout must be > 0). */
  minExclusive?: boolean;
  /** `max` itself is not accepted (e.g. a p-value threshold must be < 1). */
  maxExclusive?: boolean;
}

/** Whole numbers ≥ 1 (counts, sizes, milliseconds). */
export const POSITIVE_INTEGER: NumberRule = { integer: true, min: 1 };
/** Whole numbers ≥ 0. */
export const NON_NEGATIVE_INTEGER: NumberRule = { integer: true, min: 0 };
/** Any finite number > 0. */
export const POSITIVE: NumberRule = { min: 0, minExclusive: true };
/** Any finite number ≥ 0. */
export const NON_NEGATIVE: NumberRule = { min: 0 };
/** A share: a number from 0 to 1. */
export const FRACTION: NumberRule = { min: 0, max: 1 };

/** The rule in words: "an integer ≥ 1", "a number > 0", "a number from 0 to 1", "a number". */
export function describeNumberRule(rule: NumberRule): string {
  const what = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined && !rule.minExclusive && !rule.maxExclusive) return `${what} from ${rule.min} to ${rule.max}`;
  const bounds = [
    rule.min !== undefined ? `${rule.minExclusive ? '>' : '≥'} ${rule.min}` : '',
    rule.max !== undefined ? `${rule.maxExclusive ? '<' : '≤'} ${rule.max}` : '',
  ].filter(Boolean);
  return [what, bounds.join(' and ')].filter(Boolean).join(' ');
}

/** True when `n` is a finite number that `rule` accepts. */
export function acceptsNumber(n: number, rule: NumberRule): boolean {
  if (!Number.isFinite(n) || (rule.integer && !Number.isInteger(n))) return false;
  if (rule.min !== undefined && (rule.minExclusive ? n <= rule.min : n < rule.min)) return false;
  return rule.max === undefined || (rule.maxExclusive ? n < rule.max : n <= rule.max);
}

/**
 * Checks a number the caller passed as option `key` (undefined passes: "not given"). Throws an
 * InputError naming the option (`opt(key)`: `--key` on the CLI, input "key" in an action); never
 * lets NaN or an out-of-range value through.
 */
export function checkNumberOption(key: string, value: number | undefined, rule: NumberRule = {}): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !acceptsNumber(value, rule)) throw new InputError(`${opt(key)} must be ${describeNumberRule(rule)}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}.`);
  return value;
}

/**
 * Parses option `key` from text (a CLI flag, an action input): decimal notation, surrounding spaces
 * ignored; undefined or empty means "not given". `abc`, `12px`, `Infinity` and values outside `rule`
 * throw an InputError naming the option — the one parser for numbers typed by users.
 */
export function parseNumberOption(key: string, text: string | undefined, rule: NumberRule = {}): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
  if (!acceptsNumber(n, rule)) throw new InputError(`${opt(key)} must be ${describeNumberRule(rule)}, got "${text}".`);
  return n;
}
