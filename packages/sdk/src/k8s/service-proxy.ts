import { InputError, opt } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { startProcess } from '../util/process.ts';
import { targetArgs, type KubectlTarget } from './kubectl.ts';
import { SERVICE_PORT_NAME } from './manifests.ts';

/** A Service to reach through the API server: `namespace/name`, optionally `:port` (name or number). */
export interface ServiceRef {
  namespace: string;
  name: string;
  /** The Service port's name or number (default `http`, the port deploy-k8s renders). */
  port: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Parses `namespace/name[:port]`; `what` names the option or input in the error. */
export function parseServiceRef(text: string, what = opt('service')): ServiceRef {
  const m = /^([^/\s:]+)\/([^/\s:]+)(?::([^/\s:]+))?$/.exec(text.trim());
  if (!m || !DNS_LABEL.test(m[1]!) || !DNS_LABEL.test(m[2]!)) {
    throw new InputError(`${what}: "${text}" is not NAMESPACE/NAME[:PORT] (example: models/iris-rf), each a Kubernetes name.`);
  }
  return { namespace: m[1]!, name: m[2]!, port: m[3] ?? SERVICE_PORT_NAME };
}

/**
 * The API server's service proxy path: requests under it reach one ready endpoint of the Service
 * (the API server picks a pod and connects to its address), no port-forward or ingress needed.
 */
export function serviceProxyPath(ref: ServiceRef): string {
  return `/api/v1/namespaces/${ref.namespace}/services/${ref.name}:${ref.port}/proxy`;
}

/**
 * `kubectl proxy` on a free loopback port, accepting only requests for 127.0.0.1: kubectl speaks to
 * the API server with whatever the kubeconfig says (client certificates, tokens, exec plugins), the
 * proxy's URL needs no credentials.
 */
export function proxyArgs(t: KubectlTarget): string[] {
  return [...targetArgs({ ...t, namespace: undefined }), 'proxy', '--address=127.0.0.1', '--port=0', '--accept-hosts=^127\\.0\\.0\\.1$'];
}

/** `Starting to serve on 127.0.0.1:41527` → `http://127.0.0.1:41527`. */
export function parseProxyAddress(stdout: string): string | undefined {
  const m = /Starting to serve on (127\.0\.0\.1:\d+)/.exec(stdout);
  return m ? `http://${m[1]}` : undefined;
}

export interface ServiceProxy {
  /** Base URL of the Service through the proxy (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** Opens `kubectl proxy` and returns the Service's base URL through the API server's service proxy. */
export async function openServiceProxy(t: KubectlTarget, ref: ServiceRef, logger: Logger = silentLogger): Promise<ServiceProxy> {
  const proc = startProcess(t.kubectl ?? 'kubectl', proxyArgs(t), { logger });
  let base: string | undefined;
  try {
    base = parseProxyAddress((await proc.waitForOutput(/Starting to serve on 127\.0\.0\.1:\d+/, 30_000))[0]);
  } catch (err) {
    await proc.stop();
    throw new InputError(`kubectl proxy did not start: ${(err as Error).message}. Check the kubeconfig and that kubectl is installed.`);
  }
  logger.info(`service ${ref.namespace}/${ref.name} through the API server's service proxy (kubectl proxy)`);
  return { url: `${base!}${serviceProxyPath(ref)}`, close: () => proc.stop() };
}
