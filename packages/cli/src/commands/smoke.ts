import { assertSmokeTest, parseNumberOption, POSITIVE_INTEGER, smokeTestPackage, stderrLogger } from '@mlship/sdk';
import { parseCommandArgs, type Command } from '../command.ts';

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'smoke-test a running model server: readiness, metadata and the package\'s golden rows over HTTP',
  usage: `
usage: mlship smoke (--url URL | --service NAMESPACE/NAME) PACKAGE [options]

PACKAGE is the model package (directory or .tar.gz) the server should be serving; the server must
report its model's sha256, name and version, and reproduce the package's golden rows.

  --url URL               the server's base URL, e.g. http://127.0.0.1:8080
  --service NS/NAME       a Kubernetes Service, through the API server's service proxy (kubectl proxy)
  --kubeconfig FILE       kubeconfig for --service (default: kubectl's); --context NAME
  --model-name NAME       name the server uses (default: the package's)
  --ready-timeout-ms N    wait for /v2/health/ready (default 30000)

Exit codes: 0 the golden rows reproduce, 1 they do not (or the server is not ready / serves another
version), 2 bad usage or a damaged package. Prints the result as JSON on stdout.
`,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs('smoke', argv, {
      url: { type: 'string' }, service: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' },
      'model-name': { type: 'string' }, 'ready-timeout-ms': { type: 'string' },
    });
    if (positionals.length !== 1) {
      process.stderr.write('mlship smoke: pass exactly one model package. See `mlship smoke --help`.\n');
      return 2;
    }
    const logger = stderrLogger();
    const result = await smokeTestPackage({
      url: v.url, service: v.service, kubectl: { kubeconfig: v.kubeconfig, context: v.context }, package: positionals[0]!, modelName: v['model-name'], logger,
      readyTimeoutMs: parseNumberOption('ready-timeout-ms', v['ready-timeout-ms'], POSITIVE_INTEGER),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    assertSmokeTest(result);
    return 0;
  },
};
