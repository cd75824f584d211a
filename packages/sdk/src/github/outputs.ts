import * as core from '@actions/core';

/** Sets action outputs (kebab-case names as in action.yml); numbers and booleans as strings. */
export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, typeof value === 'string' ? value : String(value));
  }
}

/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY). */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
}

/** Tells the runner to hide these values in every log line from now on (`::add-mask::`). */
export function maskSecrets(values: Iterable<string>): void {
  for (const v of values) if (v) core.setSecret(v);
}
