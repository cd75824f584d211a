import { InputError } from '../errors.ts';

/**
 * Parses `key=value` lists as given on the command line or in an action input
 * (`cpu=500m,memory=512Mi`, one per line or comma-separated). Used for resources, env, labels.
 */
export function parseKeyValueList(text: string | undefined, what: string): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const item of text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InputError(`${what}: "${item}" is not key=value (example: cpu=500m,memory=512Mi).`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}
