import { AsyncLocalStorage } from "node:async_hooks";

type Level = "debug" | "info" | "warn" | "error";
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: Level = process.env.NODE_ENV === "test" ? "warn" : "info";

export function setLogLevel(level: Level): void {
  threshold = level;
}

// The request a log line was written for, so that the X-Request-Id a client saw finds it.
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work`, and everything it starts, with log lines tagged by this request id. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

// One JSON object per line: easy to grep locally and to ship to any log store.
function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (rank[level] < rank[threshold]) return;
  const requestId = requestScope.getStore()?.requestId;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...(requestId ? { requestId } : {}), ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
