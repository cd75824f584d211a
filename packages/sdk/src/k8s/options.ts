import { InputError } from '../errors.ts';

/**
 * Parses `key=value` lists as given on the command line or in an action input
 * (`cpu=500m,memory=512Mi`, one per line or comma-separated): the Deployment's resources and env.
 * (Image labels are `parseLabels` in image/: a label value may hold commas.)
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

/** Parses `MIN:MAX` (or `N` for MIN = MAX) replicas for the HorizontalPodAutoscaler. */
export function parseAutoscale(text: string | undefined): { minReplicas: number; maxReplicas: number } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const m = /^\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(text);
  if (!m) throw new InputError(`autoscale: "${text}" is not MIN:MAX replicas (example: 2:6).`);
  const min = Number(m[1]);
  return { minReplicas: min, maxReplicas: m[2] === undefined ? min : Number(m[2]) };
}
