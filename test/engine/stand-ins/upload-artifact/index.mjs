import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { env, fail, input, setOutput, skips } from './common.mjs';

skips('actions/upload-artifact', 'zipping, the artifact service, retention-days and glob patterns');
const name = input('name', 'artifact');
const path = resolve(env('GITHUB_WORKSPACE'), input('path'));
const dest = join(env('MLSHIP_ACT_ARTIFACTS'), name);
if (!existsSync(path)) {
  const mode = input('if-no-files-found', 'warn');
  const message = `No files were found with the provided path: ${input('path')}. No artifacts will be uploaded.`;
  if (mode === 'error') fail(message);
  if (mode === 'warn') console.log(`::warning::${message}`);
  else console.log(message);
  process.exit(0);
}
rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });
if (statSync(path).isDirectory()) cpSync(path, dest, { recursive: true });
else cpSync(path, join(dest, basename(path)));
setOutput('artifact-id', name);
console.log(`Artifact ${name}: ${path} copied to ${dest}`);
