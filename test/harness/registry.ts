import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
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

export interface StartRegistryOptions {
  /** Basic auth with an htpasswd file (bcrypt). */
  htpasswd?: { username: string; password: string };
  /**
   * Bearer-token auth as Docker Hub and ghcr.io do it: the registry answers 401 with
   * `WWW-Authenticate: Bearer realm=…,service=…,scope=…`; a token server (ours, on 127.0.0.1) checks
   * Basic credentials and issues RS256 JWTs (x5c header) granting the scopes asked for; the registry
   * verifies them against the certificate (made with openssl) and enforces each scope itself.
   */
  token?: { username: string; password: string };
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'mlship-registry-'));
  const storage = join(dir, 'storage');
  let auth = '';
  let tokenServer: TokenServer | undefined;
  if (options.token) {
    tokenServer = await startTokenServer(dir, options.token);
    auth = `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${TOKEN_SERVICE}\n    issuer: ${TOKEN_ISSUER}\n    rootcertbundle: ${tokenServer.certFile}\n`;
  }
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
        async stop() { await stopChild(child, exited); await tokenServer?.stop(); await rm(dir, { recursive: true, force: true }); },
      };
    }
    await stopChild(child, exited);
    if (tries >= 2) {
      await tokenServer?.stop();
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
  /** `status`: answer with that 5xx without forwarding; `drop-mid-upload`: read part of the body, then reset the connection; `hang`: never answer. */
  fault: { status: number } | 'drop-mid-upload' | 'hang';
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
 * registry's upload Location URLs point back at the proxy. It also tunnels CONNECT requests (no
 * faults there), so it can stand in for a corporate forward proxy.
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
      if (rule.fault === 'hang') {
        injected.push(`${method} ${path} → hang`);
        req.resume();
        return;
      }
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
        res.writeHead(typeof rule.fault === 'object' ? rule.fault.status : 500, { 'content-type': 'application/json' });
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
  // A forward proxy too: Node's fetch behind HTTP(S)_PROXY tunnels every request with CONNECT.
  const tunnels = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push(`CONNECT ${req.url ?? ''}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) { tunnels.add(s); s.on('close', () => tunnels.delete(s)); }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    injected,
    requests,
    addRule: (rule) => { rules.push(rule); },
    stop: () => new Promise((resolve) => {
      for (const s of tunnels) s.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const TOKEN_SERVICE = 'mlship-test-registry';
const TOKEN_ISSUER = 'mlship-test-token-issuer';

interface TokenServer { realm: string; certFile: string; stop(): Promise<void> }

/** Pure: the scopes a token request asks for (`scope` may repeat; each is `repository:NAME:ACTIONS`). */
export function requestedAccess(scopes: string[]): { type: string; name: string; actions: string[] }[] {
  return scopes.flatMap((s) => s.split(' ')).filter(Boolean).map((s) => {
    const [type, ...rest] = s.split(':');
    const actions = rest.pop()!.split(',');
    return { type: type!, name: rest.join(':'), actions };
  });
}

async function startTokenServer(dir: string, creds: { username: string; password: string }): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=mlship-test-token'], { stdio: 'ignore' });
  const { readFileSync } = await import('node:fs');
  const { X509Certificate, createPrivateKey, sign, randomBytes } = await import('node:crypto');
  const key = createPrivateKey(readFileSync(keyFile));
  const x5c = [new X509Certificate(readFileSync(certFile)).raw.toString('base64')];
  const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
    if (given !== undefined && given !== `${creds.username}:${creds.password}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    // Anonymous callers get a token with no access: the registry then refuses them with 401.
    const access = given === undefined ? [] : requestedAccess(url.searchParams.getAll('scope'));
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c }));
    const claims = b64url(JSON.stringify({ iss: TOKEN_ISSUER, sub: given ? creds.username : '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = b64url(sign('sha256', Buffer.from(`${head}.${claims}`), key));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certFile,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
