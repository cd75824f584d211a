import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, input, setOutput, skips } from './common.mjs';

skips('actions/setup-python', 'downloading the requested python-version and the pip cache');
const bin = env('MLSHIP_ACT_PYTHON_BIN');
const version = execFileSync(join(bin, 'python'), ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
appendFileSync(env('GITHUB_PATH'), `${bin}\n`);
setOutput('python-version', version);
console.log(`Python ${version} from ${bin} (asked for ${input('python-version', 'any')})`);
