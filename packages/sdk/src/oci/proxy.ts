import * as http from 'node:http';
import type { Logger } from '../log.ts';

/**
 * Makes `fetch` (and node:http) go through the proxy that HTTPS_PROXY / HTTP_PROXY / NO_PROXY name —
 * what curl, docker and npm do, and what self-hosted runners behind a corporate proxy need. Node's
 * fetch ignores those variables unless started with NODE_USE_ENV_PROXY=1, which an action cannot set
 * for itself, so the action and the CLI call this once at start (Node 24's
 * `http.setGlobalProxyFromEnv`). Returns the proxy in use, or undefined when none is set. The proxy
 * URL is logged without its credentials.
 */
export function useProxyFromEnv(env: NodeJS.ProcessEnv = process.env, logger?: Logger): string | undefined {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!proxy) return undefined;
  const setGlobal = (http as unknown as { setGlobalProxyFromEnv?: (env?: NodeJS.ProcessEnv) => unknown }).setGlobalProxyFromEnv;
  if (typeof setGlobal !== 'function') {
    logger?.warn(`HTTPS_PROXY/HTTP_PROXY is set but this Node (${process.version}) cannot apply it at run time; start node with NODE_USE_ENV_PROXY=1.`);
    return undefined;
  }
  setGlobal(env);
  let shown = proxy;
  try { const u = new URL(proxy); u.username = ''; u.password = ''; shown = u.toString(); } catch { /* not a URL: show as is */ }
  logger?.info(`using the proxy ${shown} from the environment (NO_PROXY: ${env.NO_PROXY ?? env.no_proxy ?? 'none'})`);
  return shown;
}
