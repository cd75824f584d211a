import * as core from '@actions/core';
import { InputError } from '../errors.ts';
import { parseNumberOption, type NumberRule } from '../util/number-option.ts';

/**
 * Typed readers for action inputs (names as in action.yml, kebab-case). Empty means "not given":
 * the runner passes an input that has a default in action.yml even when the workflow omits it.
 */
export function inputString(name: string, options: { required?: boolean } = {}): string | undefined {
  const v = core.getInput(name, { required: options.required === true, trimWhitespace: true });
  return v === '' ? undefined : v;
}

export function inputRequired(name: string): string {
  return core.getInput(name, { required: true, trimWhitespace: true });
}

export function inputBoolean(name: string, fallback: boolean): boolean {
  const v = core.getInput(name).trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new InputError(`Input ${name} must be true or false, got "${v}".`);
}

/** A numeric input, parsed and checked by the SDK's one number parser (`parseNumberOption`). */
export function inputNumber(name: string, fallback?: number, rule: NumberRule = {}): number | undefined {
  return parseNumberOption(name, core.getInput(name), rule) ?? fallback;
}

/** A list input: one item per line or comma-separated; blank items dropped. */
export function inputList(name: string): string[] {
  return core.getInput(name).split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
}

/** A secret input: masked in the log (core.setSecret) before anything can print it; empty → undefined. */
export function inputSecret(name: string): string | undefined {
  const v = inputString(name);
  if (v) core.setSecret(v);
  return v;
}
