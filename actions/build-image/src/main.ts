import { buildModelImage, chooseImageOutput, credentialsForReference, imageSummaryMarkdown, parseImageBuilder, parseLabels, useProxyFromEnv } from '@mlship/sdk';
import { actionsLogger, imageOutputs, inputBoolean, inputList, inputRequired, inputString, setOutputs, writeJobSummary } from '@mlship/sdk/github';

/** The action's inputs, keys as in action.yml. */
export interface Inputs {
  package: string; tag: string; 'extra-tags': string[]; base?: string; platforms: string[];
  push: boolean; 'oci-layout'?: string; 'docker-tar'?: string; builder?: string;
  username?: string; password?: string; 'github-token'?: string; labels: string[];
  source?: string; revision?: string; version?: string; 'insecure-registries': string[];
}

export function readInputs(): Inputs {
  return {
    package: inputRequired('package'), tag: inputRequired('tag'), 'extra-tags': inputList('extra-tags'), base: inputString('base'),
    platforms: inputList('platforms'), push: inputBoolean('push', true), 'oci-layout': inputString('oci-layout'),
    'docker-tar': inputString('docker-tar'), builder: inputString('builder'), username: inputString('username'),
    password: inputString('password'), 'github-token': inputString('github-token'),
    // KEY=VALUE per line: a value may contain commas.
    labels: (inputString('labels') ?? '').split('\n'),
    source: inputString('source'), revision: inputString('revision'), version: inputString('version'),
    'insecure-registries': inputList('insecure-registries'),
  };
}

export async function run(): Promise<void> {
  const i = readInputs();
  const logger = actionsLogger();
  useProxyFromEnv(process.env, logger);
  const outcome = await buildModelImage({
    packageDir: i.package, tag: i.tag, extraTags: i['extra-tags'], base: i.base, platforms: i.platforms,
    output: chooseImageOutput({ push: i.push, ociLayout: i['oci-layout'], dockerTar: i['docker-tar'] }),
    builder: parseImageBuilder(i.builder), insecureRegistries: i['insecure-registries'], labels: parseLabels(i.labels),
    credentials: credentialsForReference(i.tag, { username: i.username, password: i.password, defaultUsername: process.env.GITHUB_ACTOR }),
    source: { source: i.source, revision: i.revision, version: i.version },
    // The token for ghcr.io when no username/password is given (resolveCredentials reads GITHUB_TOKEN).
    env: { ...process.env, ...(i['github-token'] && !process.env.GITHUB_TOKEN ? { GITHUB_TOKEN: i['github-token'] } : {}) },
    logger,
  });
  setOutputs(imageOutputs(outcome));
  await writeJobSummary(imageSummaryMarkdown(outcome));
}
