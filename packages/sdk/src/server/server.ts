import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MLSHIP_VERSION } from '../version.ts';
import type { AddressInfo, Socket } from 'node:net';
import { InputError } from '../errors.ts';
import { excerptValue } from '../util/excerpt.ts';
import type { OutputTensor } from '../model/onnx-model.ts';
import { DynamicBatcher } from './batcher.ts';
import { HttpError } from './http-error.ts';
import { inferResponse, parseInferRequest, parseJsonBody, parsePredictRequest, predictions, splitInferBody } from './codec.ts';
import type { InputBatch } from '../model/feeds.ts';
import type { ServeConfig } from './config.ts';
import { formatInferenceRecords, InferenceLog, inferenceLogFormat, type InferenceLogSpec } from './inference-log.ts';
import { columnSlots } from '../model/input-map.ts';
import type { StructuredLogger } from './json-log.ts';
import {
  Counter, exponentialBuckets, Gauge, Histogram, LATENCY_BUCKETS_SECONDS, MetricsRegistry, PROMETHEUS_CONTENT_TYPE, registerProcessMetrics,
} from './metrics.ts';
import { PredictionMetrics } from './prediction-metrics.ts';
import { derivedRowIds, predictRowIds, REQUEST_ID_HEADER, requestIdOf, SMOKE_HEADER } from './request-ids.ts';
import { ServedModel, type ServedModelOptions } from './served-model.ts';

/** The server's own name and version (GET /v2). */
export const SERVER_NAME = 'mlship';
/** OIP extensions this server implements, as server metadata lists them: the binary tensor data extension (codec.ts). */
export const SERVER_EXTENSIONS = ['binary_tensor_data'];

export type ServerOptions = Pick<ServeConfig, 'host' | 'port' | 'maxBatchSize' | 'maxWaitMs' | 'bodyLimitBytes' | 'drainTimeoutMs' | 'accessLog'>
  & { worker?: WorkerLink }
  & Partial<Pick<ServeConfig, 'inferenceLog' | 'inferenceLogSample' | 'inferenceLogPredictions' | 'intraOpThreads' | 'shutdownDelayMs' | 'requestTimeoutMs'
    | 'inferenceLogMaxBytes' | 'inferenceLogMaxAgeMs' | 'inferenceLogKeep' | 'inferenceLogBufferBytes'>>;

/**
 * What a worker of `mlship serve --workers N` (server/workers.ts) gets from its primary. With it the
 * server loads the model before it listens (a worker being replaced takes no connections until it
 * can serve), answers readiness 200 only while the primary says every worker is ready, answers
 * /metrics with every worker's metrics merged, and sends its inference-log records to the primary,
 * which writes them to the one file. Logs say `worker ready` / `worker stopped` (the primary says
 * `ready` / `stopped` for the whole server).
 */
export interface WorkerLink {
  /** 0 … N-1: the worker's slot (a replacement keeps it). */
  index: number;
  /** Undefined while every worker is ready (the primary's last word), else why not. */
  notReady(): string | undefined;
  /** The merged exposition of every worker (the primary collects it). */
  metrics(): Promise<string>;
  /** Appends formatted records to the primary's inference log; resolves once written (or dropped). */
  appendLog(text: string, rows: number): Promise<void>;
  /** Called once the model is loaded and checked, with the fields of the ready log line and what the log's header needs. */
  ready(fields: Record<string, unknown>, log?: InferenceLogSpec): void;
}

/** The inference log's counters and gauge, reading whichever log `current` returns (none: zeros). */
export function registerInferenceLogMetrics(registry: MetricsRegistry, current: () => InferenceLog | undefined): void {
  registry.register(new Counter('mlship_inference_log_rows_total', 'Rows written to the inference log.', [], () => current()?.rowsWritten ?? 0));
  registry.register(new Counter('mlship_inference_log_dropped_rows_total', 'Rows not written to the inference log: its buffer was full (a slow or stalled disk), a write failed, or the drain timeout came first.', [], () => current()?.rowsDropped ?? 0));
  registry.register(new Gauge('mlship_inference_log_buffered_bytes', 'Inference log records waiting for the disk, in bytes.', [], (g) => g.set(current()?.bufferedBytes ?? 0)));
}

/** Opens the server's inference log (MLSHIP_INFERENCE_LOG*) for a model's features, logging write failures and repairs. */
export function openServerInferenceLog(
  options: Partial<ServerOptions> & { inferenceLog: string }, spec: InferenceLogSpec, logger: StructuredLogger,
): Promise<InferenceLog> {
  return InferenceLog.open({
    path: options.inferenceLog, ...spec, sampleRate: options.inferenceLogSample ?? 1, predictions: options.inferenceLogPredictions ?? false,
    maxBytes: options.inferenceLogMaxBytes, maxAgeMs: options.inferenceLogMaxAgeMs, keep: options.inferenceLogKeep, bufferBytes: options.inferenceLogBufferBytes,
    onError: (err) => logger.log('error', 'inference log write failed; rows are dropped (counted in mlship_inference_log_dropped_rows_total) until writes succeed again, serving continues', { path: options.inferenceLog, error: err.message }),
    onWarn: (msg, fields) => logger.log('warn', msg, fields),
  });
}

/** The routes the server answers (see `matchRoute`). */
export type Route = 'live' | 'ready' | 'server_metadata' | 'model_metadata' | 'model_ready' | 'infer' | 'predict' | 'metrics' | 'not_found';

/** The route template for metrics labels (bounded cardinality: never the raw path). */
const ROUTE_LABEL: Record<Route, string> = {
  live: '/v2/health/live', ready: '/v2/health/ready', server_metadata: '/v2', model_metadata: '/v2/models/{name}',
  model_ready: '/v2/models/{name}/ready', infer: '/v2/models/{name}/infer', predict: '/predict', metrics: '/metrics', not_found: 'other',
};

/** A matched route, with the model name and version the path names. */
export interface Matched { route: Route; method: 'GET' | 'POST'; model?: string; version?: string }

/** Maps a path to a route (methods checked by the caller). Pure, so the table is tested on its own. */
export function matchRoute(path: string): Matched {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  switch (p) {
    case '/v2/health/live': return { route: 'live', method: 'GET' };
    case '/v2/health/ready': return { route: 'ready', method: 'GET' };
    case '/v2': return { route: 'server_metadata', method: 'GET' };
    case '/predict': return { route: 'predict', method: 'POST' };
    case '/metrics': return { route: 'metrics', method: 'GET' };
  }
  const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(p);
  if (m) {
    let model: string;
    let version: string | undefined;
    try {
      model = decodeURIComponent(m[1]!);
      version = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    } catch {
      return { route: 'not_found', method: 'GET' };
    }
    if (m[3] === '/infer') return { route: 'infer', method: 'POST', model, version };
    if (m[3] === '/ready') return { route: 'model_ready', method: 'GET', model, version };
    return { route: 'model_metadata', method: 'GET', model, version };
  }
  return { route: 'not_found', method: 'GET' };
}

/** Metrics of one server (names follow Prometheus conventions: base units, `_total` counters). */
export class ServerMetrics {
  readonly registry = new MetricsRegistry();
  readonly requests = this.registry.register(new Counter('mlship_http_requests_total', 'HTTP requests by route, method and status code.', ['route', 'method', 'code']));
  readonly latency = this.registry.register(new Histogram('mlship_http_request_duration_seconds', 'Time from request start to the end of the response, by route.', LATENCY_BUCKETS_SECONDS, ['route']));
  readonly inFlight = this.registry.register(new Gauge('mlship_http_requests_in_flight', 'Requests being handled right now.'));
  readonly batchRows = this.registry.register(new Histogram('mlship_inference_batch_size', 'Rows per onnxruntime run (dynamic batching merges requests).', exponentialBuckets(1, 2, 11)));
  readonly batchRequests = this.registry.register(new Histogram('mlship_inference_batch_requests', 'Requests merged into one onnxruntime run.', exponentialBuckets(1, 2, 9)));
  readonly rows = this.registry.register(new Counter('mlship_inference_rows_total', 'Rows predicted.', ['model', 'version']));
  readonly loadSeconds = this.registry.register(new Gauge('mlship_model_load_seconds', 'Time to load the model into onnxruntime, in seconds.', ['model', 'version']));
  readonly coldStartSeconds = this.registry.register(new Gauge('mlship_cold_start_seconds', 'Time from process start to ready (model loaded, golden rows checked).'));
  readonly ready = this.registry.register(new Gauge('mlship_model_ready', '1 when the model is loaded, checked and serving; 0 while loading or draining.', ['model', 'version']));

  constructor() {
    registerProcessMetrics(this.registry);
  }
}

/**
 * The model server: Open Inference Protocol V2 (KServe) over node:http, plus /predict, /metrics and
 * the health endpoints. It listens first (liveness answers at once), loads the model, runs the golden
 * rows, then turns ready. `drain()` is the SIGTERM path: ready → 503, the listener closes, in-flight
 * requests finish, keep-alive connections close.
 *
 * node:http rather than a framework: eight fixed routes, and the hot path (read body → JSON.parse →
 * validate → batch → JSON.stringify) is where a framework's per-request work would cost throughput.
 */
export class ModelServer {
  readonly metrics = new ServerMetrics();
  readonly options: ServerOptions;
  private readonly logger: StructuredLogger;
  private readonly http: Server;
  private model?: ServedModel;
  private batcher?: DynamicBatcher;
  private inferenceLog?: InferenceLog;
  /** A worker's inference log: records formatted here, written by the primary. */
  private remoteLog?: { format: 'csv' | 'jsonl'; options: Parameters<typeof formatInferenceRecords>[0] };
  private predictionMetrics?: PredictionMetrics;
  private modelName: string;
  private state: 'loading' | 'ready' | 'draining' | 'failed' = 'loading';
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private readonly inFlightGauge = this.metrics.inFlight.labels({});
  /** mlship_inference_rows_total of the served model, looked up once. */
  private rowsCounter?: { inc(by?: number): void };
  /** Metric children per route/method/status, looked up once (bounded: routes × methods × codes). */
  private readonly requestMetrics = new Map<string, { count: { inc(): void }; latency: { observe(v: number): void } }>();

  private constructor(options: ServerOptions, modelName: string, logger: StructuredLogger) {
    this.options = options;
    this.logger = logger;
    this.modelName = modelName;
    const reg = this.metrics.registry;
    registerInferenceLogMetrics(reg, () => this.inferenceLog);
    // Node checks the request timeout every connectionsCheckingInterval (30 s by default): a tenth of it here.
    const requestTimeout = options.requestTimeoutMs ?? 60_000;
    this.http = createServer({
      keepAliveTimeout: 65_000, requestTimeout, headersTimeout: Math.min(requestTimeout, 60_000),
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeout / 10))),
    }, (req, res) => { this.handle(req, res); });
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    // Malformed HTTP (not our JSON, the protocol itself): answer 400 and drop the socket, never throw.
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable || err.code === 'ECONNRESET') { socket.destroy(); return; }
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
      const body = JSON.stringify({ error: status === 408 ? `the request was not received within ${requestTimeout} ms (MLSHIP_REQUEST_TIMEOUT_MS / --request-timeout-ms)` : `malformed HTTP request (${err.code ?? 'parse error'})` });
      this.countRejected(status);
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  }

  /**
   * Starts listening, then loads the model and turns ready. Resolves once listening (check `ready` or
   * await `whenReady`); a model that fails to load or fails its golden rows makes `whenReady` reject.
   */
  static async start(model: ServedModelOptions, options: ServerOptions, logger: StructuredLogger): Promise<ModelServer> {
    const server = new ModelServer(options, model.name, logger);
    if (options.worker) {
      // A worker listens once it can serve: the primary hands connections only to listening workers.
      server.whenReady = server.load(model).then(async () => {
        if (server.state !== 'ready') return;
        await server.listen(model);
        options.worker!.ready(server.readyFields!, server.remoteLog ? server.logSpec : undefined);
      });
    } else {
      await server.listen(model);
      server.whenReady = server.load(model);
    }
    server.whenReady.catch(() => {}); // the caller awaits it; avoid an unhandled rejection meanwhile
    return server;
  }

  private async listen(model: ServedModelOptions): Promise<void> {
    const options = this.options;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', (err: NodeJS.ErrnoException) => reject(new InputError(`Cannot listen on ${options.host}:${options.port}: ${err.message}${err.code === 'EADDRINUSE' ? '; another process uses that port: pick another with --port / MLSHIP_PORT' : ''}.`)));
      this.http.listen(options.port, options.host, () => resolve());
    });
    // After listen, a server error (e.g. EMFILE on accept) is logged, never an uncaught exception.
    this.http.on('error', (err: NodeJS.ErrnoException) => this.logger.log('error', 'server error', { code: err.code, error: err.message }));
    this.logger.log('info', 'listening', { host: options.host, port: this.port, model: model.name, version: model.version });
    this.listening = true;
  }

  private listening = false;
  private readyFields?: Record<string, unknown>;
  private logSpec?: InferenceLogSpec;

  /** Settles when the model is loaded and checked (rejects with the reason it could not be). */
  whenReady: Promise<void> = Promise.resolve();

  get port(): number { return (this.http.address() as AddressInfo).port; }
  get url(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }
  get isReady(): boolean { return this.state === 'ready'; }
  get served(): ServedModel | undefined { return this.model; }

  private async load(options: ServedModelOptions): Promise<void> {
    const labels = { model: options.name, version: options.version };
    try {
      const model = await ServedModel.load({ ...options, intraOpThreads: this.options.intraOpThreads ?? options.intraOpThreads }, this.logger);
      const golden = await model.verifyGolden();
      this.model = model;
      this.metrics.loadSeconds.set(model.loadSeconds, labels);
      this.predictionMetrics = new PredictionMetrics(this.metrics.registry, model, options.monitoring);
      this.batcher = new DynamicBatcher((batch) => model.run(batch), {
        // Never merge beyond the batch the model fixes (torch exported without dynamic_axes takes 1 row).
        maxBatchSize: Math.min(this.options.maxBatchSize, model.onnx.staticBatch ?? Infinity),
        maxWaitMs: this.options.maxWaitMs,
        onBatch: (rows, requests) => { this.metrics.batchRows.observe(rows); this.metrics.batchRequests.observe(requests); },
      });
      const logSpec: InferenceLogSpec = { columns: columnSlots(model.bindings, model.columns), model: model.name, version: model.version };
      if (this.options.inferenceLog && this.options.worker) {
        this.remoteLog = {
          format: inferenceLogFormat(this.options.inferenceLog),
          options: { ...logSpec, sampleRate: this.options.inferenceLogSample ?? 1, predictions: this.options.inferenceLogPredictions ?? false },
        };
      } else if (this.options.inferenceLog) {
        this.inferenceLog = await openServerInferenceLog({ ...this.options, inferenceLog: this.options.inferenceLog }, logSpec, this.logger);
      }
      if (this.state !== 'loading') return; // drained while loading
      this.state = 'ready';
      this.metrics.ready.set(1, labels);
      const coldStart = process.uptime();
      this.metrics.coldStartSeconds.set(coldStart);
      const fields = {
        model: model.name, version: model.version, task: model.task, features: model.featureCount,
        load_ms: Math.round(model.loadSeconds * 1000), golden_rows: golden.rows, cold_start_ms: Math.round(coldStart * 1000),
        max_batch: this.options.maxBatchSize, static_batch: model.onnx.staticBatch, max_wait_ms: this.options.maxWaitMs, inference_log: this.options.inferenceLog ?? null,
      };
      this.logger.log('info', this.options.worker ? 'worker ready' : 'ready', fields);
      this.readyFields = fields;
      this.logSpec = logSpec;
    } catch (err) {
      this.state = 'failed';
      this.logger.log('error', 'model failed to load', { model: options.name, error: (err as Error).message });
      throw err;
    }
  }

  /**
   * Graceful shutdown as Kubernetes does it (SIGTERM, while the endpoints controller and kube-proxy
   * are still taking the pod out of the Service):
   * 1. readiness turns 503 at once;
   * 2. for `shutdownDelayMs` the listener keeps accepting and requests are served as usual, each
   *    response with `Connection: close`, so every keep-alive client reconnects (to another pod, once
   *    the endpoints are updated) after its current response — no socket is reset under a request;
   * 3. the listener closes, connections that are idle close; in-flight requests finish, each
   *    connection closing after its response; after `drainTimeoutMs` what is left is cut;
   * 4. the inference log is flushed within what is left of the drain timeout.
   * Resolves with how it went.
   */
  drain(reason = 'SIGTERM'): Promise<{ drained: boolean; inFlight: number }> {
    this.draining ??= this.drainOnce(reason);
    return this.draining;
  }

  private draining?: Promise<{ drained: boolean; inFlight: number }>;

  private async drainOnce(reason: string): Promise<{ drained: boolean; inFlight: number }> {
    this.state = 'draining';
    if (this.model) this.metrics.ready.set(0, { model: this.model.name, version: this.model.version });
    const delay = this.options.shutdownDelayMs ?? 0;
    this.logger.log('info', 'draining', { reason, in_flight: this.inFlight, shutdown_delay_ms: delay });
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const started = performance.now();
    this.logger.log('info', 'closing listener', { in_flight: this.inFlight });
    const closed = new Promise<void>((resolve) => { if (this.listening) this.http.close(() => resolve()); else resolve(); });
    this.http.closeIdleConnections();
    const idle = this.inFlight === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.drainTimeoutMs);
      this.idleWaiters.push(() => { clearTimeout(timer); resolve(true); });
    });
    const drained = await idle;
    const left = this.inFlight;
    // Responses are out; connections still open are idle keep-alives (or stuck past the timeout).
    this.http.closeIdleConnections();
    if (!drained) this.http.closeAllConnections();
    setTimeout(() => { for (const s of this.sockets) s.destroy(); }, 1000).unref();
    await closed;
    const remaining = Math.max(0, this.options.drainTimeoutMs - (performance.now() - started));
    const log = await this.inferenceLog?.close(remaining);
    this.logger.log(drained ? 'info' : 'warn', this.options.worker ? 'worker stopped' : 'stopped', {
      drained, cut_requests: drained ? 0 : left,
      ...(this.inferenceLog ? { inference_log_flushed: log?.flushed ?? true, inference_log_rows: this.inferenceLog.rowsWritten, inference_log_dropped_rows: this.inferenceLog.rowsDropped } : {}),
    });
    return { drained, inFlight: left };
  }

  /** Counts a request refused before routing (malformed HTTP, timeouts). */
  private countRejected(status: number): void {
    this.metrics.requests.inc({ route: ROUTE_LABEL.not_found, method: 'other', code: String(status) });
  }

  /** Stops at once (tests, errors): no draining. */
  async close(): Promise<void> {
    this.state = 'draining';
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => { if (this.listening) this.http.close(() => resolve()); else resolve(); });
    await this.inferenceLog?.close(this.options.drainTimeoutMs);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    this.inFlight++;
    this.inFlightGauge.inc();
    const path = pathOf(req.url);
    const matched = matchRoute(path);
    let finished = false;
    const finish = (status: number, body: string | Buffer, contentType = 'application/json', headers?: Record<string, string>) => {
      if (finished) return;
      finished = true;
      const h: Array<string | number> = ['Content-Type', contentType, 'Content-Length', Buffer.byteLength(body)];
      if (headers) for (const k in headers) h.push(k, headers[k]!);
      if (this.state === 'draining' && !headers?.Connection) h.push('Connection', 'close');
      res.writeHead(status, h as unknown as string[]);
      res.end(req.method === 'HEAD' ? undefined : body);
      const seconds = (performance.now() - started) / 1000;
      const route = ROUTE_LABEL[matched.route];
      const method = methodLabel(req.method);
      const key = `${route} ${method} ${status}`;
      let handles = this.requestMetrics.get(key);
      if (!handles) {
        handles = { count: this.metrics.requests.labels({ route, method, code: String(status) }), latency: this.metrics.latency.labels({ route }) };
        this.requestMetrics.set(key, handles);
      }
      handles.count.inc();
      handles.latency.observe(seconds);
      this.inFlightGauge.inc(-1);
      if (--this.inFlight === 0 && this.idleWaiters.length) for (const w of this.idleWaiters.splice(0)) w();
      if (this.options.accessLog || status >= 500) {
        const level = status >= 500 ? 'error' : 'info';
        this.logger.log(level, 'request', { method: req.method, path, status, ms: Math.round(seconds * 1e4) / 10, ...(status >= 400 ? { error: errorOf(String(body)) } : {}) });
      }
    };
    const fail = (err: unknown) => {
      if (err instanceof HttpError) finish(err.status, JSON.stringify({ error: err.message }), 'application/json', err.headers);
      else {
        this.logger.log('error', 'internal error', { path, error: (err as Error)?.stack ?? String(err) });
        finish(500, JSON.stringify({ error: 'internal server error; see the server log' }));
      }
    };
    try {
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      if (matched.route === 'not_found') throw new HttpError(404, `no route ${req.method} ${path.length <= 120 ? path : excerptValue(path, 120)}; see GET /v2 and /v2/models/${this.modelName}`);
      if (method !== matched.method) throw new HttpError(405, `${req.method} is not allowed on ${path}; use ${matched.method}`, { Allow: matched.method === 'GET' ? 'GET, HEAD' : 'POST' });
      if (matched.model !== undefined) {
        if (matched.model !== this.modelName) throw new HttpError(404, `model ${excerptValue(matched.model)} is not served here; this server serves ${JSON.stringify(this.modelName)}`);
        if (matched.version !== undefined && this.model && matched.version !== this.model.version) {
          throw new HttpError(404, `model ${this.modelName} has no version ${excerptValue(matched.version)}; served version: ${JSON.stringify(this.model.version)}`);
        }
      }
      switch (matched.route) {
        case 'live': return finish(200, '{"live":true}');
        case 'ready':
        case 'model_ready':
        {
          const peers = this.state === 'ready' ? this.options.worker?.notReady() : undefined;
          if (this.state === 'ready' && peers === undefined) return finish(200, '{"ready":true}');
          return finish(503, JSON.stringify({ ready: false, error: peers ?? `the server is ${this.state}` }));
        }
        case 'server_metadata': return finish(200, JSON.stringify({ name: SERVER_NAME, version: MLSHIP_VERSION, extensions: SERVER_EXTENSIONS }));
        case 'metrics':
          if (!this.options.worker) return finish(200, this.metrics.registry.expose(), PROMETHEUS_CONTENT_TYPE);
          this.options.worker.metrics().then((text) => finish(200, text, PROMETHEUS_CONTENT_TYPE), fail);
          return;
        case 'model_metadata': return finish(200, JSON.stringify(this.requireModel().metadata()));
        case 'infer':
        case 'predict': {
          const model = this.requireModel();
          const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
          const idHeader = { 'X-Request-Id': requestId };
          const smoke = req.headers[SMOKE_HEADER] !== undefined;
          readBody(req, this.options.bodyLimitBytes).then(async (body) => {
            // A request that arrived before SIGTERM is still answered while draining (with Connection: close).
            if (matched.route === 'infer') {
              const { json, binary } = splitInferBody(body, req.headers['inference-header-content-length']);
              const parsed = parseInferRequest(json, model, binary);
              const id = parsed.id ?? requestId;
              const out = await this.batcher!.submit(parsed.batch);
              await this.afterPredict(model, parsed.batch, out, derivedRowIds(id, parsed.batch.rows), smoke);
              const response = inferResponse(model, id, parsed.outputs, out, parsed.binaryOutputs);
              finish(200, response.body, response.contentType, response.headers ? { ...response.headers, ...idHeader } : idHeader);
            } else {
              const json = parseJsonBody(body);
              const parsed = parsePredictRequest(json, model);
              const ids = predictRowIds(json, parsed.batch.rows, requestId, model.featureNames);
              const out = await this.batcher!.submit(parsed.batch);
              const preds = await this.afterPredict(model, parsed.batch, out, ids, smoke);
              finish(200, JSON.stringify({ predictions: preds ?? predictions(model, out, parsed.batch.rows), ids }), 'application/json', idHeader);
            }
          }).catch((err) => {
            fail(err);
            if (err instanceof HttpError && err.status === 413) req.resume(); // discard the rest, then the connection closes
          });
          return;
        }
      }
    } catch (err) {
      fail(err);
    }
  }

  private requireModel(): ServedModel {
    if (!this.model) throw new HttpError(503, `model ${this.modelName} is ${this.state === 'failed' ? 'not loadable (see the server log)' : 'still loading'}; retry when /v2/health/ready answers 200`);
    return this.model;
  }

  /**
   * Counts the rows and logs them with their ids; resolves once the log has them (see InferenceLog: answered ⇒ logged).
   * Smoke-test rows (SMOKE_HEADER) are counted but neither logged nor in the prediction metrics.
   */
  private async afterPredict(model: ServedModel, batch: InputBatch, out: Record<string, OutputTensor>, ids: string[], smoke: boolean) {
    const rows = batch.rows;
    (this.rowsCounter ??= this.metrics.rows.labels({ model: model.name, version: model.version })).inc(rows);
    if (smoke) return undefined;
    this.predictionMetrics?.observe(batch, out);
    if (!(this.inferenceLog || this.remoteLog)) return undefined;
    const preds = predictions(model, out, rows);
    if (this.inferenceLog) await this.inferenceLog.record(batch, preds, ids);
    else {
      const { text, rows: kept } = formatInferenceRecords(this.remoteLog!.options, this.remoteLog!.format, batch, preds, ids);
      if (kept) await this.options.worker!.appendLog(text, kept);
    }
    return preds;
  }
}

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

const METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
function methodLabel(m: string | undefined): string {
  return m && METHODS.has(m) ? m : 'other';
}

function errorOf(body: string): string | undefined {
  try { return (JSON.parse(body) as { error?: string }).error; } catch { return undefined; }
}

/**
 * Reads the request body up to `limit` bytes: a Content-Length above it is refused before reading,
 * a body that grows past it while streaming too (413, connection closed afterwards).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `the request body exceeds the limit of ${limit} bytes (MLSHIP_BODY_LIMIT / --body-limit); send fewer rows per request`, { Connection: 'close' });
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) { reject(tooLarge()); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) { done = true; chunks.length = 0; reject(tooLarge()); return; }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!done) { done = true; resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)); } });
    req.on('error', (err) => { if (!done) { done = true; reject(new HttpError(400, `reading the request body failed: ${err.message}`)); } });
    req.on('close', () => { if (!done) { done = true; reject(new HttpError(400, 'the connection closed before the request body was complete')); } });
  });
}
