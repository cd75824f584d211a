/**
 * Whether `path` names a JSON Lines file: `.jsonl` or `.ndjson` (any case). The one rule for both
 * sides: the model server writes its inference log as JSON Lines for these paths, and the drift check
 * reads them as JSON Lines.
 */
export function isJsonLinesPath(path: string): boolean {
  return /\.(jsonl|ndjson)$/i.test(path);
}
