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

function createLogger(destination: DestinationStream): Logger {
  return pino(
    {
      level: threshold,
      messageKey: "message",
      // In a cluster (WEB_CONCURRENCY > 1) each line names the worker that wrote it.
      base: cluster.isWorker ? { worker: cluster.worker?.id } : undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, err: serializeError },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

let logger = createLogger(defaultDestination());

export function setLogLevel(level: Level): void {
  threshold = level;
  logger.level = level;
}

/** Sends every line to `destination` (all levels to one stream), or back to stdout/stderr. */
export function setLogDestination(destination?: DestinationStream): void {
  logger = createLogger(destination ?? defaultDestination());
}

// One JSON object per line: easy to grep locally and to ship to any log store.
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => logger.debug(fields ?? {}, message),
  info: (message: string, fields?: Record<string, unknown>) => logger.info(fields ?? {}, message),
  warn: (message: string, fields?: Record<string, unknown>) => logger.warn(fields ?? {}, message),
  error: (message: string, fields?: Record<string, unknown>) => logger.error(fields ?? {}, message),
};
