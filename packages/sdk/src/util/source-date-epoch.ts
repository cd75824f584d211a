import { InputError } from '../errors.ts';

/**
 * `SOURCE_DATE_EPOCH` (reproducible-builds.org: whole seconds since 1970-01-01 UTC) from `env`, or
 * undefined when it is unset or empty. The one reader of it: the package's `created` and the image's
 * timestamps both come from here. Anything but digits is an InputError.
 */
export function readSourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim())) throw new InputError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 (digits only), got "${v}".`);
  return Number(v.trim());
}
