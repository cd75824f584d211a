import { buildModelImage, chooseImageOutput, credentialsForReference, credentialsFromEnv, imageSummaryMarkdown, InputError, parseImageBuilder, parseLabels, registryOf, stderrLogger, useProxyFromEnv, writeDockerContext } from '@mlship/sdk';
import { parseCommandArgs, requireOption, type Command } from '../command.ts';

const USAGE = `
usage: mlship image build --package DIR --tag REF [options]
       mlship image dockerfile --package DIR --out DIR [options]

build: a model-server image without a Docker daemon (base + onnxruntime-node + server + model layers)
  --package DIR           model package directory or .tar.gz (from mlship serialize)
  --tag REF               image reference, e.g. ghcr.io/octo-org/iris-model:1.2.0
  --also-tag T            push the same image under tag T too (repeatable: --also-tag latest)
  --base REF              base image with Node 24 (default docker.io/library/node:24-bookworm-slim)
  --platform LIST         linux/amd64,linux/arm64 (default linux/amd64; several → an image index)
  --push                  push to the registry (default when no other output is given)
  --oci-layout DIR        write an OCI image layout directory instead
  --docker-tar FILE       write a tar for \`docker load\` instead (one platform)
  --builder B             mlship (default, no daemon) or docker (docker buildx build, needs a daemon)
  --username U            registry user (with --password-stdin or MLSHIP_REGISTRY_PASSWORD; without it,
                          MLSHIP_REGISTRY_USERNAME + MLSHIP_REGISTRY_PASSWORD as for mlship package push);
                          default: ~/.docker/config.json, then GITHUB_TOKEN for ghcr.io
  --password-stdin        read the registry password/token from stdin
  --insecure-registry H   talk plain HTTP to host H (loopback always is)
  --label K=V             extra label (repeatable)
  --source URL            org.opencontainers.image.source; --revision SHA; --version V
  --server-bundle FILE    the mlship.js to put in the image (default: this CLI)
  --json                  print the result as JSON instead of a summary
  SOURCE_DATE_EPOCH       fixes every timestamp: same inputs → same digest

dockerfile: the Dockerfile equivalent plus its build context, to customise or build with docker/buildah
  --package DIR --out DIR [--base REF] [--platform LIST] [--label K=V] [--source URL] [--revision SHA]
`;

export const imageCommand: Command = {
  name: 'image',
  summary: 'build the model-server container image (no Docker daemon needed), or write its Dockerfile',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'build' && sub !== 'dockerfile') throw new InputError(`mlship image: expected "build" or "dockerfile", got "${sub ?? ''}". See \`mlship image --help\`.`);
    const { values: v } = parseCommandArgs(`image ${sub}`, rest, {
      package: { type: 'string' }, tag: { type: 'string' }, 'also-tag': { type: 'string', multiple: true }, base: { type: 'string' }, platform: { type: 'string' },
      push: { type: 'boolean' }, 'oci-layout': { type: 'string' }, 'docker-tar': { type: 'string' }, builder: { type: 'string' },
      username: { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'insecure-registry': { type: 'string', multiple: true },
      label: { type: 'string', multiple: true }, source: { type: 'string' }, revision: { type: 'string' }, version: { type: 'string' },
      'server-bundle': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    });
    const logger = stderrLogger();
    useProxyFromEnv(process.env, logger);
    const labels = parseLabels(v.label, 'label');
    const common = {
      packageDir: requireOption(`image ${sub}`, 'package', v.package),
      base: v.base,
      platforms: v.platform?.split(',').map((p) => p.trim()).filter(Boolean),
      serverBundle: v['server-bundle'],
      labels,
      source: { source: v.source, revision: v.revision, version: v.version },
      logger,
    };
    if (sub === 'dockerfile') {
      const ctx = await writeDockerContext({ ...common, outDir: requireOption('image dockerfile', 'out', v.out) });
      process.stdout.write(`${ctx.dockerfile}\n`);
      return 0;
    }
    if (v.push && (v['oci-layout'] || v['docker-tar'])) throw new InputError('mlship image build: choose one of --push, --oci-layout, --docker-tar.');
    const output = chooseImageOutput({ ociLayout: v['oci-layout'], dockerTar: v['docker-tar'] });
    const tag = requireOption('image build', 'tag', v.tag);
    // --username (with --password-stdin or MLSHIP_REGISTRY_PASSWORD), else MLSHIP_REGISTRY_USERNAME +
    // MLSHIP_REGISTRY_PASSWORD as every other registry command reads them, else docker config / GITHUB_TOKEN.
    let credentials = credentialsFromEnv(registryOf(tag));
    if (v.username) {
      const password = v['password-stdin'] ? (await readStdin()).trim() : process.env.MLSHIP_REGISTRY_PASSWORD;
      if (!password) throw new InputError('--username needs a password: pipe it with --password-stdin or set MLSHIP_REGISTRY_PASSWORD.');
      credentials = credentialsForReference(tag, { username: v.username, password });
    }
    const outcome = await buildModelImage({
      ...common, tag, extraTags: v['also-tag'], output, credentials, insecureRegistries: v['insecure-registry'],
      builder: parseImageBuilder(v.builder),
    });
    process.stdout.write(v.json ? `${JSON.stringify(outcome.result ?? outcome, (k, val) => (k === 'blob' ? undefined : val), 2)}\n` : imageSummaryMarkdown(outcome));
    return 0;
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
