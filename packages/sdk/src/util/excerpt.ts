/**
 * Short, safe quotations of untrusted input for error messages: a 1 MB column name or a JSON value
 * nested 10^5 levels deep must never be echoed whole (or serialised recursively) into a message,
 * a log line or an HTTP response.
 */

/** Longest excerpt, in characters, quoted by default. */
export const EXCERPT_CHARS = 80;

/**
 * `text` as a JSON string literal of at most about `max` characters: longer text keeps its start and
 * says how long it was (`"aaaa…" (1048576 chars)`). Control characters are escaped by JSON.stringify,
 * so the excerpt is one line.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  // Do not split a surrogate pair.
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${JSON.stringify(`${text.slice(0, cut)}…`)} (${text.length} chars)`;
}

/**
 * Any JSON value as a short one-line excerpt, without recursion: scalars as JSON, strings through
 * `excerpt`, arrays and objects written breadth-limited (at most `max` characters in all; deeper
 * levels than 3 shown as `[…]` / `{…}`).
 */
export function excerptValue(value: unknown, max = EXCERPT_CHARS): string {
  if (typeof value === 'string') return excerpt(value, max);
  let out = '';
  let truncated = false;
  // Explicit stack of pieces still to write: values, or literal text.
  const stack: Array<{ v: unknown; depth: number } | string> = [{ v: value, depth: 0 }];
  while (stack.length) {
    if (out.length > max) { truncated = true; break; }
    const item = stack.pop()!;
    if (typeof item === 'string') { out += item; continue; }
    const { v, depth } = item;
    if (typeof v === 'string') out += excerpt(v, Math.max(8, Math.min(max, max - out.length)));
    else if (v === null || typeof v === 'number' || typeof v === 'boolean') out += String(v);
    else if (v === undefined) out += 'undefined';
    else if (Array.isArray(v)) {
      if (depth >= 3) { out += v.length ? '[…]' : '[]'; continue; }
      const n = Math.min(v.length, 8);
      stack.push(v.length > n ? `,…(${v.length} items)]` : ']');
      for (let i = n - 1; i >= 0; i--) { stack.push({ v: v[i], depth: depth + 1 }); if (i > 0) stack.push(','); }
      out += '[';
    } else if (typeof v === 'object') {
      const keys = Object.keys(v as object);
      if (depth >= 3) { out += keys.length ? '{…}' : '{}'; continue; }
      const n = Math.min(keys.length, 8);
      stack.push(keys.length > n ? ',…}' : '}');
      for (let i = n - 1; i >= 0; i--) {
        stack.push({ v: (v as Record<string, unknown>)[keys[i]!], depth: depth + 1 });
        stack.push(`${excerpt(keys[i]!, 24)}:`);
        if (i > 0) stack.push(',');
      }
      out += '{';
    } else out += typeof v;
  }
  if (truncated || out.length > max) return `${out.slice(0, max)}…`;
  return out;
}
