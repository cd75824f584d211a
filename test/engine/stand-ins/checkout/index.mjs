import { execFileSync } from 'node:child_process';
import { env, skips } from './common.mjs';

skips('actions/checkout', 'fetching from GitHub, tokens and persist-credentials, fetch-depth, submodules, LFS, sparse checkout and the repository/ref inputs');
const from = env('MLSHIP_ACT_CHECKOUT_FROM');
const sha = env('GITHUB_SHA');
const workspace = env('GITHUB_WORKSPACE');
const git = (args) => execFileSync('git', args, { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] });
git(['init', '--quiet']);
git(['fetch', '--quiet', '--no-tags', from, sha]);
git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', sha]);
console.log(`Checked out ${sha} from ${from}`);
