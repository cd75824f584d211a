// Every action's metadata as GitHub reads it: action.yml must be valid YAML, run on node24 from the
// committed bundle, and declare exactly the inputs its main.ts reads (an input read but not declared
// is always empty on a runner; one declared but never read is a lie in the docs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

const actions = readdirSync(join(REPO_ROOT, 'actions')).filter((a) => existsSync(join(REPO_ROOT, 'actions', a, 'action.yml'))).sort();

interface ActionYml {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

/**
 * Top-level keys of an object literal or interface body starting at `open` (the index of its `{`):
 * `name:` / `'kebab-name':` / `name?:` at depth 1, skipping nested braces, brackets, parens and strings.
 */
function topLevelKeys(source: string, open: number): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = true;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const close = source.indexOf(c, i + 1);
      if (depth === 1 && expectKey && /^\s*\??:/.test(source.slice(close + 1, close + 4))) keys.push(source.slice(i + 1, close));
      expectKey = false;
      i = close;
      continue;
    }
    if ('{[('.includes(c)) { depth++; if (depth === 1) expectKey = true; continue; }
    if ('}])'.includes(c)) { depth--; if (depth === 0) break; continue; }
    if (depth !== 1) continue;
    if (c === ',' || c === ';' || c === '\n') { expectKey = true; continue; }
    if (expectKey && /[A-Za-z_]/.test(c)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*\??:/.exec(source.slice(i));
      if (m) { keys.push(m[1]!); i += m[0].length - 1; }
      expectKey = false;
    } else if (!/\s/.test(c) && c !== '/' ) {
      expectKey = false;
    }
  }
  return keys;
}

/** The keys of main.ts's `Inputs` interface: by house rule, exactly the action.yml input names. */
function inputsInterfaceKeys(source: string): string[] {
  const at = source.indexOf('export interface Inputs');
  if (at === -1) return [];
  return topLevelKeys(source, source.indexOf('{', at)).sort();
}

const ADAPTER_OUTPUTS = readFileSync(join(REPO_ROOT, 'packages/sdk/src/github/action-outputs.ts'), 'utf8');

/**
 * Keys of every `setOutputs({ … })` call, and of `setOutputs(xxxOutputs(…))` calls: the object that
 * adapter function (packages/sdk/src/github/action-outputs.ts) returns.
 */
function outputsSet(source: string): string[] {
  const keys = new Set<string>();
  for (const m of source.matchAll(/setOutputs\(\{/g)) for (const k of topLevelKeys(source, m.index! + 'setOutputs('.length)) keys.add(k);
  for (const m of source.matchAll(/setOutputs\((\w+Outputs)\(/g)) {
    const fn = ADAPTER_OUTPUTS.indexOf(`export function ${m[1]}(`);
    if (fn === -1) throw new Error(`${m[1]} is not in packages/sdk/src/github/action-outputs.ts`);
    const ret = ADAPTER_OUTPUTS.indexOf('return {', fn);
    for (const k of topLevelKeys(ADAPTER_OUTPUTS, ret + 'return '.length)) keys.add(k);
  }
  return [...keys].sort();
}

describe.each(actions)('actions/%s', (action) => {
  const dir = join(REPO_ROOT, 'actions', action);
  const meta = yaml.load(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYml;
  const main = readFileSync(join(dir, 'src', 'main.ts'), 'utf8');

  it('runs on node24 from its committed bundle, and index.ts only calls run()', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
    expect(meta.name).toMatch(/^mlship /);
    const index = readFileSync(join(dir, 'src', 'index.ts'), 'utf8');
    expect(index).toMatch(/await runAction\(run[,)]/);
  });

  it('declares, with a description, exactly the inputs of main.ts\'s Inputs object', () => {
    const declared = Object.keys(meta.inputs ?? {}).sort();
    expect(inputsInterfaceKeys(main)).toEqual(declared);
    for (const [name, spec] of Object.entries(meta.inputs ?? {})) expect(spec.description, name).toBeTruthy();
  });

  it('declares every output main.ts sets', () => {
    const declared = Object.keys(meta.outputs ?? {});
    const set = outputsSet(main);
    expect(set.length).toBeGreaterThan(0);
    for (const name of set) expect(declared, `output ${name}`).toContain(name);
  });
});
