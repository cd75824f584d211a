import { credentialsFromEnv, InputError, inspectRemotePackage, loadPackage, parseManifest, pullPackage, pushPackage, registryOf, tagPackage, renderPackageMarkdown, stderrLogger, type RegistryClientOptions } from '@mlship/sdk';
import { existsSync } from 'node:fs';
import { parseCommandArgs, type Command } from '../command.ts';

const usage = `
usage: mlship package <verify|inspect|push|pull|tag> …

  mlship package verify PACKAGE          check every hash, the signature against the ONNX file and the
                                         golden rows; exit 0 if the package is intact (PACKAGE: a
                                         directory or a .tar.gz)
  mlship package inspect PACKAGE|REF     print what the package is (Markdown; --json for the manifest).
                                         A registry reference reads only the manifest, not the model
  mlship package push PACKAGE REF        push as an OCI artifact (registry/repo[:tag], the tag defaults
                                         to the version); prints the pinned reference (repo@sha256:…)
  mlship package pull REF DIR            pull by tag or digest into DIR (new or empty) and verify
                                         (--archive FILE also keeps the downloaded .tar.gz)
  mlship package tag REF TARGET          give a pushed package another tag ("promote" 1.4.0 to
                                         production) without rebuilding it: same digest

Registry credentials: ~/.docker/config.json (docker login / credential helpers), or
MLSHIP_REGISTRY_USERNAME + MLSHIP_REGISTRY_PASSWORD. Plain HTTP only for 127.0.0.1/localhost
registries and those in --insecure-registry HOST.
Exit codes: 0 ok, 1 golden rows do not reproduce, 2 bad usage or a damaged/tampered package.
`;

function clientOptions(ref: string, insecure: string[] | undefined, env: NodeJS.ProcessEnv): RegistryClientOptions {
  const credentials = credentialsFromEnv(registryOf(ref), env);
  return { ...(credentials ? { credentials } : {}), insecureRegistries: insecure ?? [], env };
}

export const packageCommand: Command = {
  name: 'package',
  summary: 'verify, inspect, push, pull or tag a model package (OCI artifact)',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values: v, positionals: p } = parseCommandArgs(`package ${sub ?? ''}`.trim(), rest, {
      json: { type: 'boolean' }, 'insecure-registry': { type: 'string', multiple: true }, archive: { type: 'string' },
    });
    const logger = stderrLogger();
    const need = (n: number, what: string) => {
      if (p.length !== n) throw new InputError(`mlship package ${sub}: expected ${what}. See \`mlship package --help\`.`);
    };
    switch (sub) {
      case 'verify': {
        need(1, 'PACKAGE');
        const pkg = await loadPackage(p[0]!, { logger });
        await pkg.cleanup();
        const n = pkg.manifest.files.length;
        process.stdout.write(`ok ${pkg.manifest.name} ${pkg.manifest.version}: ${n} file${n === 1 ? '' : 's'}, signature and ${pkg.golden?.rows ?? 0} golden rows verified\n`);
        return 0;
      }
      case 'inspect': {
        need(1, 'PACKAGE or REF');
        if (existsSync(p[0]!)) {
          const pkg = await loadPackage(p[0]!, { logger, checkGolden: false });
          await pkg.cleanup();
          process.stdout.write(v.json ? `${JSON.stringify(pkg.manifest, null, 2)}\n` : renderPackageMarkdown(pkg.manifest));
        } else {
          const r = await inspectRemotePackage(p[0]!, { logger, clientOptions: clientOptions(p[0]!, v['insecure-registry'], process.env) });
          if (v.json) process.stdout.write(`${JSON.stringify({ digest: r.digest, manifest: r.manifest, config: r.config }, null, 2)}\n`);
          else if (r.config) process.stdout.write(`${renderPackageMarkdown(parseManifest(JSON.stringify(r.config), `${p[0]} (config blob)`), { pushed: `${p[0]!.replace(/[:@][^/]*$/, '')}@${r.digest}` })}`);
          else process.stdout.write(`${r.digest}\n${JSON.stringify(r.manifest, null, 2)}\n`);
        }
        return 0;
      }
      case 'push': {
        need(2, 'PACKAGE REF');
        const r = await pushPackage(p[0]!, p[1]!, { logger, clientOptions: clientOptions(p[1]!, v['insecure-registry'], process.env) });
        process.stdout.write(v.json ? `${JSON.stringify({ reference: r.reference, digest: r.digest, pinned: r.pinned }, null, 2)}\n` : `${r.pinned}\n`);
        return 0;
      }
      case 'tag': {
        need(2, 'SOURCE-REF TARGET-REF');
        const r = await tagPackage(p[0]!, p[1]!, { logger, clientOptions: clientOptions(p[1]!, v['insecure-registry'], process.env) });
        process.stdout.write(`${r.pinned}\n`);
        return 0;
      }
      case 'pull': {
        need(2, 'REF DIR');
        const r = await pullPackage(p[0]!, p[1]!, { logger, clientOptions: clientOptions(p[0]!, v['insecure-registry'], process.env), ...(v.archive ? { archivePath: v.archive } : {}) });
        process.stdout.write(`${r.package.dir}\n`);
        return 0;
      }
      default:
        throw new InputError(`mlship package: unknown subcommand "${sub ?? ''}"; use verify, inspect, push, pull or tag. See \`mlship package --help\`.`);
    }
  },
};
