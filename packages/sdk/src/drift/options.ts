import { InputError } from '../errors.ts';
import { stattestByName, type ColumnKind, type StattestName } from './stattests.ts';

/**
 * Text forms of the drift options shared by the CLI and the action: a column map is one `column=value`
 * per line or comma-separated (the last `=` splits, so names may contain spaces and brackets).
 */
export function parseColumnMap<T>(text: string | undefined, what: string, parseValue: (v: string, column: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  if (!text) return out;
  for (const item of text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw new InputError(`${what}: "${item}" is not column=value; write e.g. "age=ks".`);
    const column = item.slice(0, eq).trim();
    out[column] = parseValue(item.slice(eq + 1).trim(), column);
  }
  return out;
}

export function parseStattestName(value: string, where: string): StattestName {
  try {
    return stattestByName(value).name;
  } catch (err) {
    throw new InputError(`${where}: ${(err as Error).message}`);
  }
}

export function parseThreshold(value: string, where: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0) throw new InputError(`${where}: threshold must be a number ≥ 0, got "${value}".`);
  return n;
}

/** Column types from two lists (columns to treat as categorical / as numerical). */
export function columnTypesFrom(categorical: string[], numerical: string[]): Record<string, ColumnKind> {
  const both = categorical.filter((c) => numerical.includes(c));
  if (both.length) throw new InputError(`Column${both.length > 1 ? 's' : ''} ${both.map((c) => `"${c}"`).join(', ')} listed as both categorical and numerical.`);
  return { ...Object.fromEntries(categorical.map((c) => [c, 'categorical' as const])), ...Object.fromEntries(numerical.map((c) => [c, 'numerical' as const])) };
}
