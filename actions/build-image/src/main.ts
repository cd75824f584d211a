// The image and oci domains directly (not the whole SDK index): the bundle then holds only what
// building an image needs, and does not change when unrelated domains do.
import { InputError } from '../../../packages/sdk/src/errors.ts';
import { buildModelImage, imageSummaryMarkdown, type ImageOutput } from '../../../packages/sdk/src/image/index.ts';
import { lowerCaseRepository, parseImageReference, useProxyFromEnv, type RegistryCredentials } from '../../../packages/sdk/src/oci/index.ts';
import { actionsLogger, inputBoolean, inputList, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  package: string;
  tag: string;
  'extra-tags': string[];
  base?: string;
  platforms: string[];
  push: boolean;
  'oci-layout'?: string;
  'docker-tar'?: string;
  builder: string;
  username?: string;
  password?: string;
  'github-token'?: string;
  labels: string[];
  source?: string;
  revision?: string;
  version?: string;
  'insecure-registries': string[];
}

export function readInputs(): Inputs {
  return {
    package: inputRequired('package'),
    tag: inputRequired('tag'),
    'extra-tags': inputList('extra-tags'),
    base: inputString('base'),
    platforms: inputList('platforms'),
    push: inputBoolean('push', true),
    'oci-layout': inputString('oci-layout'),
    'docker-tar': inputString('docker-tar'),
    builder: inputString('builder') ?? 'mlship',
    username: inputString('username'),
    password: inputString('password'),
    'github-token': inputString('github-token'),
    // Labels are KEY=VALUE per line (values may contain commas).
    labels: (inputString('labels') ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
    source: inputString('source'),
    revision: inputString('revision'),
    version: inputString('version'),
    'insecure-registries': inputList('insecure-registries'),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const logger = actionsLogger();
  useProxyFromEnv(process.env, logger);
  const output: ImageOutput = inputs['oci-layout'] ? { kind: 'oci-layout', dir: inputs['oci-layout'] }
    : inputs['docker-tar'] ? { kind: 'docker-tar', file: inputs['docker-tar'] } : { kind: 'push' };
  if (output.kind === 'push' && !inputs.push) throw new InputError('push is false but neither oci-layout nor docker-tar is set: say where the image should go.');
  const registry = parseImageReference(lowerCaseRepository(inputs.tag)).registry;
  let credentials: Record<string, RegistryCredentials> | undefined;
  if (inputs.password) credentials = { [registry]: { username: inputs.username ?? process.env.GITHUB_ACTOR ?? 'mlship', password: inputs.password } };
  else if (inputs.username) throw new InputError('username is set but password is not: pass the registry password or token as a secret.');
  const env = { ...process.env, ...(inputs['github-token'] && !process.env.GITHUB_TOKEN ? { GITHUB_TOKEN: inputs['github-token'] } : {}) };
  const labels = Object.fromEntries(inputs.labels.map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new InputError(`labels: "${kv}" is not KEY=VALUE.`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  const outcome = await buildModelImage({
    packageDir: inputs.package, tag: inputs.tag, extraTags: inputs['extra-tags'], base: inputs.base, platforms: inputs.platforms, output,
    builder: inputs.builder as 'mlship' | 'docker', credentials, insecureRegistries: inputs['insecure-registries'], labels,
    source: { source: inputs.source, revision: inputs.revision, version: inputs.version }, env, logger,
  });
  const r = outcome.result;
  setOutputs({
    image: outcome.image, reference: outcome.reference, digest: outcome.digest, size: r?.size, tags: r?.tags.join(','),
    layers: r ? JSON.stringify(r.platforms.flatMap((p) => p.layers.map((l) => ({ platform: p.platform, role: l.role, digest: l.digest, size: l.size })))) : undefined,
  });
  await writeJobSummary(imageSummaryMarkdown(outcome));
}
