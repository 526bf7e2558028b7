import cluster from "node:cluster";
import pino, { type DestinationStream, type Logger } from "pino";

type Level = "debug" | "info" | "warn" | "error";

// Never in a log line: credentials, secrets and personal data, wherever a caller put them.
const REDACTED_KEYS = ["authorization", "password", "passwordHash", "secret", "clientSecret", "client_secret", "secretHash", "token", "accessToken", "email", "cookie"];
const REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((key) => `*.${key}`),
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  query?: unknown;
}

// Errors keep what finds the fault (name, message, code, stack, the SQL text) and lose what may
// carry personal data: a failed statement's parameters and PostgreSQL's row `detail`.
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const error = value as Error & { code?: unknown; query?: unknown; driverError?: { code?: unknown } };
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  const code = error.code ?? error.driverError?.code;
  if (code !== undefined) out.code = code;
  if (typeof error.query === "string") out.query = error.query;
  return out;
}

let threshold: Level = process.env.NODE_ENV === "test" ? "warn" : "info";

function defaultDestination(): DestinationStream {
  // Warnings and errors on stderr, the rest on stdout, each line written once.
  return pino.multistream(
    [
      { level: "debug", stream: process.stdout },
      { level: "warn", stream: process.stderr },
    ],
    { dedupe: true },
  );
}

function createLogger(destination: DestinationStream, redacted: boolean): Logger {
  return pino(
    {
      level: threshold,
      messageKey: "message",
      // In a cluster (WEB_CONCURRENCY > 1) each line names the worker that wrote it.
      base: cluster.isWorker ? { worker: cluster.worker?.id } : undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, err: serializeError },
      ...(redacted ? { redact: { paths: REDACT_PATHS, censor: "[redacted]" } } : {}),
    },
    destination,
  );
}

// The request line (see log.request) has a logger of its own, without redaction: its fields are
// Facet's own, never a caller's object, and redaction's search of every line for 26 paths was 2 %
// of a short request's CPU.
let logger: Logger;
let requestLogger: Logger;
setLogDestination();

export function setLogLevel(level: Level): void {
  threshold = level;
  logger.level = level;
  requestLogger.level = level;
}

/** Sends every line to `destination` (all levels to one stream), or back to stdout/stderr. */
export function setLogDestination(destination?: DestinationStream): void {
  const stream = destination ?? defaultDestination();
  logger = createLogger(stream, true);
  requestLogger = createLogger(stream, false);
}

/** What the one line per HTTP request holds: values Facet measured, no headers, variables or bodies. */
export interface RequestLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  operation: string | null;
  principal: string | null;
  statements: number;
  errorCode: string | null;
  aborted?: true;
}

// One JSON object per line: easy to grep locally and to ship to any log store.
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => logger.debug(fields ?? {}, message),
  info: (message: string, fields?: Record<string, unknown>) => logger.info(fields ?? {}, message),
  warn: (message: string, fields?: Record<string, unknown>) => logger.warn(fields ?? {}, message),
  error: (message: string, fields?: Record<string, unknown>) => logger.error(fields ?? {}, message),
  /** The request's line, at info, or at debug for a probe or a scrape. */
  request: (fields: RequestLine, quiet: boolean) => (quiet ? requestLogger.debug(fields, "request") : requestLogger.info(fields, "request")),
};
