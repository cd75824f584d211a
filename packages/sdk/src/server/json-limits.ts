import { HttpError } from './http-error.ts';

/** Deepest nesting of arrays and objects a request body may have (an OIP tensor needs its rank + 3). */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses a JSON text nested deeper than `maxDepth` with a 400 naming the limit, before anything
 * parses or walks it: one linear pass over the bytes, no recursion (brackets inside strings, escapes
 * included, are not counted). Malformed JSON is left to JSON.parse to describe.
 */
export function checkJsonDepth(body: Uint8Array, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) throw new HttpError(400, `the request body nests arrays/objects deeper than ${maxDepth} levels (at byte ${i}); the limit is ${maxDepth}`);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
}
