import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { env, fail, input, setOutput, skips } from './common.mjs';

skips('actions/download-artifact', 'the artifact service, run-id/repository/github-token and patterns');
const name = input('name');
if (!name) fail('Input name is empty: this stand-in downloads one named artifact.');
const src = join(env('MLSHIP_ACT_ARTIFACTS'), name);
if (!existsSync(src)) fail(`Unable to download artifact(s): Artifact not found for name: ${name}`);
const dest = resolve(env('GITHUB_WORKSPACE'), input('path', '.'));
mkdirSync(dest, { recursive: true });
cpSync(src, dest, { recursive: true });
setOutput('download-path', dest);
console.log(`Artifact ${name} copied from ${src} to ${dest}`);
