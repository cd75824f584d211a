// Copied next to each stand-in's index.mjs by test/harness/act.ts (act copies an action folder alone).
// Shared by the stand-in actions: inputs as the runner passes them (INPUT_<NAME>), outputs through
// GITHUB_OUTPUT, and the one line each stand-in prints about what it does not do.
import { appendFileSync } from 'node:fs';

export function input(name, fallback = '') {
  const v = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

export function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

export function env(name) {
  const v = process.env[name];
  if (!v) fail(`${name} is not set: this stand-in runs only under test/harness/act.ts, which sets it.`);
  return v;
}

export function skips(action, what) {
  console.log(`mlship test stand-in for ${action}: skips ${what}.`);
}

export function fail(message) {
  console.log(`::error::${message}`);
  process.exit(1);
}
