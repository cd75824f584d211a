import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1, storing
 * into a temporary directory, optionally behind htpasswd Basic auth (bcrypt entries from `htpasswd -B`,
 * the only hash the registry accepts). Installed by scripts/setup.sh (apt: docker-registry, apache2-utils).
 */
export interface LocalRegistry {
  /** `127.0.0.1:PORT`, usable as the registry part of an image reference. */
  host: string;
  url: string;
  storage: string;
  stop(): Promise<void>;
}

const REGISTRY_BIN = '/usr/bin/docker-registry';

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRegistry(options: { htpasswd?: { username: string; password: string } } = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'mlship-registry-'));
  const storage = join(dir, 'storage');
  let auth = '';
  if (options.htpasswd) {
    // htpasswd -Bbn user pass → "user:$2y$…" (bcrypt).
    const line = execFileSync('htpasswd', ['-Bbn', options.htpasswd.username, options.htpasswd.password], { encoding: 'utf8' }).trim();
    await writeFile(join(dir, 'htpasswd'), `${line}\n`);
    auth = `auth:\n  htpasswd:\n    realm: mlship-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    await writeFile(config, [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: mlship-test-secret',
      auth,
    ].join('\n'));
    const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b) => { stderr += b; });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    child.on('error', () => { /* reported through `exited` */ });
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitReady(url, exited);
    if (ready) {
      return {
        host: `127.0.0.1:${port}`, url, storage,
        async stop() { await stopChild(child, exited); await rm(dir, { recursive: true, force: true }); },
      };
    }
    await stopChild(child, exited);
    if (tries >= 2) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`${REGISTRY_BIN} did not start (is the docker-registry package installed? run npm run setup):\n${stderr}`);
    }
  }
}

async function waitReady(url: string, exited: Promise<number>): Promise<boolean> {
  let done = false;
  void exited.then(() => { done = true; });
  for (let i = 0; i < 200 && !done; i++) {
    try {
      const res = await fetch(`${url}/v2/`);
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return true;
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  return false;
}

async function stopChild(child: ChildProcess, exited: Promise<number>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** A fault a FaultProxy injects into the next `times` requests that `match`. */
export interface FaultRule {
  match(method: string, path: string): boolean;
  /** `status`: answer with that 5xx without forwarding; `drop-mid-upload`: read part of the body, then reset the connection. */
  fault: { status: number } | 'drop-mid-upload';
  times: number;
}

export interface FaultProxy {
  host: string;
  /** Faults injected so far, as "METHOD path → fault". */
  injected: string[];
  /** Every request seen, as "METHOD path". */
  requests: string[];
  addRule(rule: FaultRule): void;
  stop(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of a registry that can fail chosen requests once: answer 5xx, or
 * drop the connection in the middle of an upload body. The Host header is passed through, so the
 * registry's upload Location URLs point back at the proxy.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const rules: FaultRule[] = [];
  const injected: string[] = [];
  const requests: string[] = [];
  const [targetHost, targetPort] = target.split(':');
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    requests.push(`${method} ${path}`);
    const rule = rules.find((r) => r.times > 0 && r.match(method, path));
    if (rule) {
      rule.times--;
      if (rule.fault === 'drop-mid-upload') {
        injected.push(`${method} ${path} → drop`);
        let seen = 0;
        const expected = Number(req.headers['content-length'] ?? '0');
        req.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen >= Math.min(expected / 2, 64 * 1024)) req.socket.destroy();
        });
        req.on('end', () => req.socket.destroy());
        return;
      }
      injected.push(`${method} ${path} → ${rule.fault.status}`);
      req.resume();
      req.on('end', () => {
        res.writeHead(rule.fault === 'drop-mid-upload' ? 500 : rule.fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
      });
      return;
    }
    const upstream = httpRequest({ host: targetHost, port: Number(targetPort), method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    injected,
    requests,
    addRule: (rule) => { rules.push(rule); },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
