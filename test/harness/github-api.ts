import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';

/**
 * A local stand-in for the GitHub REST API (GITHUB_API_URL), on 127.0.0.1. It keeps issues, comments
 * and dispatches in memory, answers with the fields GitHub documents for each endpoint
 * (docs.github.com/rest/issues/…), and records every request for assertions. With `serveGit(dir)` it
 * also serves that repository at /{owner}/{repo}.git the way github.com does (smart HTTP, through
 * git's own `git http-backend`), so a workflow can push a branch with its token.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
}

export interface FakeIssue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: Array<{ id: number; name: string; color: string; default: boolean; description: string | null }>;
  comments: number;
  html_url: string;
  url: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: { url: string };
}

export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  html_url: string;
  url: string;
  issue_url: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  issue_number: number;
}

export class FakeGitHubApi {
  readonly requests: RecordedRequest[] = [];
  readonly issues: FakeIssue[] = [];
  readonly comments: FakeComment[] = [];
  readonly dispatches: Array<{ event_type: string; client_payload?: unknown }> = [];
  readonly pulls: Array<{ number: number; title: string; head: string; base: string; body: string | null }> = [];
  private gitDir: string | undefined;
  readonly labels = new Map<string, { id: number; name: string; color: string; default: boolean; description: string | null }>();
  private server: Server | undefined;
  private nextId = 1000;
  url = '';

  readonly owner: string;
  readonly repo: string;

  constructor(owner = 'octo-org', repo = 'ml-repo') {
    this.owner = owner;
    this.repo = repo;
  }

  /** Adds a pull request (an issue with a pull_request field) so that PR comments can be posted. */
  addPullRequest(number: number, title = 'Improve the model'): void {
    const issue = this.newIssue(title, null, []);
    issue.number = number;
    issue.pull_request = { url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${number}` };
  }

  /** Serves the git repository `dir` (its work tree or .git) at /{owner}/{repo}.git; requests need a token. */
  serveGit(dir: string): void {
    this.gitDir = dir;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private now(): string {
    return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  }

  private newIssue(title: string, body: string | null, labels: string[]): FakeIssue {
    const id = this.nextId++;
    const number = this.issues.reduce((m, i) => Math.max(m, i.number), 0) + 1;
    const issue: FakeIssue = {
      id, node_id: `I_${id}`, number, title, body, state: 'open', state_reason: null,
      labels: labels.map((name) => this.label(name)), comments: 0,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${number}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${number}`,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      created_at: this.now(), updated_at: this.now(), closed_at: null,
    };
    this.issues.push(issue);
    return issue;
  }

  /** Smart HTTP through `git http-backend` (CGI): pushes need a token, as on github.com. */
  private git(req: IncomingMessage, res: ServerResponse, url: URL, prefix: string, body: Buffer): void {
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      res.end();
      return;
    }
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, authorization: req.headers.authorization });
    const dir = this.gitDir!;
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_PROJECT_ROOT: dirname(dir), GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${basename(dir)}/${url.pathname.slice(prefix.length)}`, QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET', CONTENT_TYPE: req.headers['content-type'] ?? '', CONTENT_LENGTH: String(body.length),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        REMOTE_USER: 'x-access-token', REMOTE_ADDR: '127.0.0.1', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.receivepack', GIT_CONFIG_VALUE_0: 'true',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('close', () => {
      const all = Buffer.concat(out);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head) {
        const k = line.indexOf(':');
        const name = line.slice(0, k).toLowerCase();
        const value = line.slice(k + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(all.subarray(end + 4));
    });
    child.stdin.end(body);
  }

  private label(name: string) {
    let l = this.labels.get(name);
    if (!l) {
      l = { id: this.nextId++, name, color: 'ededed', default: false, description: null };
      this.labels.set(name, l);
    }
    return l;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const gitPrefix = `/${this.owner}/${this.repo}.git/`;
    if (this.gitDir && url.pathname.startsWith(gitPrefix)) return this.git(req, res, url, gitPrefix, Buffer.concat(chunks));
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body,
      authorization: req.headers.authorization,
    });
    const send = (status: number, data?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json' });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    if (!req.headers.authorization) return send(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
    const base = `/repos/${this.owner}/${this.repo}`;
    const p = url.pathname;
    if (!p.startsWith(base)) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const rest = p.slice(base.length);
    let m: RegExpMatchArray | null;
    const issueOr404 = (n: number) => this.issues.find((i) => i.number === n);

    // GET/POST /repos/{o}/{r}/issues
    if (rest === '/issues' && req.method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const list = this.issues.filter((i) => (state === 'all' || i.state === state)
        && labels.every((l) => i.labels.some((x) => x.name === l)));
      return send(200, list);
    }
    if (rest === '/issues' && req.method === 'POST') {
      if (!body?.title) return send(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] });
      return send(201, this.newIssue(body.title, body.body ?? null, (body.labels ?? []).map((l: string | { name: string }) => (typeof l === 'string' ? l : l.name))));
    }
    if ((m = rest.match(/^\/issues\/(\d+)$/))) {
      const issue = issueOr404(Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (req.method === 'GET') return send(200, issue);
      if (req.method === 'PATCH') {
        if (body.title !== undefined) issue.title = body.title;
        if (body.body !== undefined) issue.body = body.body;
        if (body.state !== undefined) {
          issue.state = body.state;
          issue.closed_at = body.state === 'closed' ? this.now() : null;
          issue.state_reason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
        }
        if (body.labels !== undefined) issue.labels = body.labels.map((l: string) => this.label(l));
        issue.updated_at = this.now();
        return send(200, issue);
      }
    }
    if ((m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = issueOr404(Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (req.method === 'GET') {
        const all = this.comments.filter((c) => c.issue_number === issue.number);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        if (page * perPage < all.length) {
          res.setHeader('link', `<${this.url}${p}?per_page=${perPage}&page=${page + 1}>; rel="next"`);
        }
        return send(200, slice);
      }
      if (req.method === 'POST') {
        const id = this.nextId++;
        const c: FakeComment = {
          id, node_id: `IC_${id}`, body: body.body,
          html_url: `${issue.html_url}#issuecomment-${id}`,
          url: `${this.url}${base}/issues/comments/${id}`, issue_url: issue.url,
          user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
          created_at: this.now(), updated_at: this.now(), issue_number: issue.number,
        };
        this.comments.push(c);
        issue.comments++;
        const { issue_number: _n, ...shape } = c;
        return send(201, shape);
      }
    }
    if ((m = rest.match(/^\/issues\/comments\/(\d+)$/))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      if (req.method === 'PATCH') {
        c.body = body.body;
        c.updated_at = this.now();
        const { issue_number: _n, ...shape } = c;
        return send(200, shape);
      }
      if (req.method === 'GET') {
        const { issue_number: _n, ...shape } = c;
        return send(200, shape);
      }
    }
    if ((m = rest.match(/^\/issues\/(\d+)\/labels$/)) && req.method === 'POST') {
      const issue = issueOr404(Number(m[1]));
      if (!issue) return send(404, { message: 'Not Found' });
      for (const l of body.labels ?? []) if (!issue.labels.some((x) => x.name === l)) issue.labels.push(this.label(l));
      return send(200, issue.labels);
    }
    if (rest === '/labels' && req.method === 'POST') {
      if (this.labels.has(body.name)) return send(422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] });
      const l = this.label(body.name);
      if (body.color) l.color = body.color;
      l.description = body.description ?? null;
      return send(201, l);
    }
    if (rest === '/pulls' && req.method === 'POST') {
      if (!body?.title || !body?.head || !body?.base) return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'missing_field' }] });
      const issue = this.newIssue(body.title, body.body ?? null, []);
      issue.pull_request = { url: `${this.url}${base}/pulls/${issue.number}` };
      this.pulls.push({ number: issue.number, title: body.title, head: body.head, base: body.base, body: body.body ?? null });
      return send(201, {
        id: issue.id, number: issue.number, state: 'open', title: body.title, body: body.body ?? null,
        html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue.number}`, url: issue.pull_request.url,
        head: { ref: body.head }, base: { ref: body.base }, user: issue.user,
      });
    }
    if (rest === '/dispatches' && req.method === 'POST') {
      if (!body?.event_type) return send(422, { message: 'Validation Failed' });
      this.dispatches.push(body);
      return send(204);
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }
}
