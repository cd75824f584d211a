// Writes actions/NAME/README.md from actions/NAME/action.yml: description, inputs (required, default,
// description) and outputs — the one source for them. `--check` fails when a README is stale
// (test/actions/action-readmes.test.ts runs it, like the bundles' freshness check).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const cell = (s) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();

export function renderActionReadme(name, meta) {
  const inputs = Object.entries(meta.inputs ?? {});
  const outputs = Object.entries(meta.outputs ?? {});
  const required = inputs.filter(([, i]) => i.required === true || i.required === 'true');
  return [
    `# ${meta.name}`, '',
    '<!-- Generated from action.yml by scripts/action-docs.mjs (npm run docs:actions); do not edit. -->', '',
    cell(meta.description), '',
    '```yaml',
    `- uses: mlship/mlship/actions/${name}@v0`,
    ...(required.length ? ['  with:', ...required.map(([k]) => `    ${k}: …`)] : []),
    '```', '',
    '## Inputs', '',
    '| input | required | default | description |', '|---|---|---|---|',
    ...inputs.map(([k, i]) => `| \`${k}\` | ${i.required === true || i.required === 'true' ? 'yes' : 'no'} | ${i.default === undefined ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`),
    '', '## Outputs', '',
    '| output | description |', '|---|---|',
    ...outputs.map(([k, o]) => `| \`${k}\` | ${cell(o.description)} |`),
    '',
  ].join('\n');
}

const stale = [];
for (const name of readdirSync(join(root, 'actions')).sort()) {
  const yml = join(root, 'actions', name, 'action.yml');
  if (!existsSync(yml)) continue;
  const text = renderActionReadme(name, yaml.load(readFileSync(yml, 'utf8')));
  const file = join(root, 'actions', name, 'README.md');
  if (check) { if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(file); } else writeFileSync(file, text);
}
if (stale.length) {
  console.error(`These action READMEs differ from their action.yml:\n  ${stale.join('\n  ')}\nRun \`npm run docs:actions\` and commit the result.`);
  process.exit(1);
}
console.log(check ? 'action READMEs are up to date' : 'wrote actions/*/README.md');
