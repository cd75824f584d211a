import { jsonLogger, resolveServeConfig, runModelServer } from '@mlship/sdk';
import { parseCommandArgs, type Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a model package (or .onnx) over HTTP: Open Inference Protocol V2, /predict, /metrics',
  usage: `
usage: mlship serve PACKAGE [options]

PACKAGE is a model package directory or .tar.gz (mlship serialize), or a bare .onnx file.
Every option can also be set by its environment variable; a flag wins.

  --host HOST                 MLSHIP_HOST               interface (default 127.0.0.1; the image uses 0.0.0.0)
  --port N                    MLSHIP_PORT               port (default 8080; 0 = any free port)
  --model-name NAME           MLSHIP_MODEL_NAME         name in /v2/models/NAME (default: the package's)
  --max-batch N               MLSHIP_MAX_BATCH          rows per onnxruntime run (default 64; 1 = no batching)
  --max-wait-ms N             MLSHIP_MAX_WAIT_MS        when busy, wait up to N ms to fill a batch (default 0)
  --body-limit SIZE           MLSHIP_BODY_LIMIT         largest request body, e.g. 1mb (default 1mb) → 413
  --inference-log FILE        MLSHIP_INFERENCE_LOG      log sampled rows + predictions (.csv or .jsonl)
  --inference-log-sample F    MLSHIP_INFERENCE_LOG_SAMPLE  fraction of rows logged (default 1)
  --inference-log-predictions MLSHIP_INFERENCE_LOG_PREDICTIONS=1  CSV log: add prediction, id, time columns
                              (default off: the header is exactly the feature names, as drift-check's current data)
  --inference-log-max-bytes SIZE  MLSHIP_INFERENCE_LOG_MAX_BYTES  rotate the log at this size (default 256mb; 0 = never)
  --inference-log-max-age DUR MLSHIP_INFERENCE_LOG_MAX_AGE  rotate the log at this age, e.g. 24h (default never)
  --inference-log-keep N      MLSHIP_INFERENCE_LOG_KEEP rotated log files kept (default 10)
  --inference-log-buffer SIZE MLSHIP_INFERENCE_LOG_BUFFER  log records waiting for the disk (default 8mb; beyond: dropped, counted)
  --shutdown-delay DUR        MLSHIP_SHUTDOWN_DELAY     after SIGTERM, keep serving (readiness 503, Connection: close)
                              this long before the listener closes, for the endpoints to update (default 5s)
  --drain-timeout-ms N        MLSHIP_DRAIN_TIMEOUT_MS   then wait this long for in-flight requests (default 25000)
  --request-timeout-ms N      MLSHIP_REQUEST_TIMEOUT_MS a request must arrive within this long, else 408 (default 60000)
  --workers N                 MLSHIP_WORKERS            server processes sharing the port, each with its own
                              onnxruntime session (default: the container's CPU limit, else the cores; 1 = one process)
  --intra-op-threads N        MLSHIP_INTRA_OP_THREADS   onnxruntime threads per run (default 1; 0 = all cores)
  --access-log                MLSHIP_ACCESS_LOG=1       log every request (errors are always logged)
  --log-level LEVEL           MLSHIP_LOG_LEVEL          debug | info | warn | error (default info)

With several workers, readiness is 200 only while every worker is ready, /metrics sums them all, the
inference log is one file, and SIGTERM drains every worker (docs/serve.md, "Workers").
Endpoints: GET /v2/health/live, /v2/health/ready, /v2, /v2/models/NAME[/versions/V][/ready],
POST /v2/models/NAME[/versions/V]/infer, POST /predict, GET /metrics (Prometheus).
Logs are JSON lines on stdout. SIGTERM: readiness 503, keep serving for the shutdown delay, stop
accepting, drain, flush the inference log, exit 0 (docs/hardening.md).
`,
  async run(argv) {
    const { values: v, positionals } = parseCommandArgs('serve', argv, {
      host: { type: 'string' }, port: { type: 'string' }, 'model-name': { type: 'string' },
      'max-batch': { type: 'string' }, 'max-wait-ms': { type: 'string' }, 'body-limit': { type: 'string' },
      'inference-log': { type: 'string' }, 'inference-log-sample': { type: 'string' },
      'drain-timeout-ms': { type: 'string' }, 'intra-op-threads': { type: 'string' }, workers: { type: 'string' },
      'shutdown-delay': { type: 'string' }, 'request-timeout-ms': { type: 'string' },
      'inference-log-max-bytes': { type: 'string' }, 'inference-log-max-age': { type: 'string' },
      'inference-log-keep': { type: 'string' }, 'inference-log-buffer': { type: 'string' },
      'inference-log-predictions': { type: 'boolean' }, 'access-log': { type: 'boolean' }, 'log-level': { type: 'string' },
    });
    if (positionals.length !== 1) {
      process.stderr.write(`mlship serve: pass exactly one model package or .onnx file (got ${positionals.length}). See \`mlship serve --help\`.\n`);
      return 2;
    }
    const config = resolveServeConfig(v);
    const logger = jsonLogger({ level: config.logLevel });
    return runModelServer(positionals[0]!, config, logger);
  },
};
