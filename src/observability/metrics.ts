import cluster from "node:cluster";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// Facet's Prometheus metrics, served at GET /metrics (see server/observability.ts). Label values come
// from closed sets, or are bounded (operation names), so a client cannot blow up the series.

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const requestDuration = new Histogram({
  name: "facet_graphql_request_duration_seconds",
  help: "GraphQL requests over HTTP, from arrival to the last byte sent, by operation name and outcome (ok, or the first error's code).",
  labelNames: ["operation", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

// Counts per request, from one to a hundred and more.
const PER_REQUEST_BUCKETS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144];

export const statementsPerRequest = new Histogram({
  name: "facet_sql_statements_per_request",
  help: "SQL statements one GraphQL request sent, by operation name.",
  labelNames: ["operation"] as const,
  buckets: PER_REQUEST_BUCKETS,
  registers: [registry],
});

export const statementsTotal = new Counter({
  name: "facet_sql_statements_total",
  help: "SQL statements sent to PostgreSQL, inside requests or not.",
  registers: [registry],
});

export const loaderBatchSize = new Histogram({
  name: "facet_dataloader_batch_size",
  help: "Keys per DataLoader batch (one SQL statement each), by loader.",
  labelNames: ["loader"] as const,
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  registers: [registry],
});

export const rateLimitRejections = new Counter({
  name: "facet_rate_limit_rejections_total",
  help: "Requests refused by a rate limit, by who was limited (user, apiClient, anonymous) and where (graphql, oauth).",
  labelNames: ["principal", "endpoint"] as const,
  registers: [registry],
});

/** Pool sizes of pg's Pool, read when scraped. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

let pool: (() => PoolStats | undefined) | undefined;

/** The pool whose connections /metrics reports (the latest server's). */
export function reportPool(stats: () => PoolStats | undefined): void {
  pool = stats;
}

new Gauge({
  name: "facet_db_pool_connections",
  help: "Database connections of the pool: in_use (checked out by a request), idle, and waiting (requests queued for one).",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const stats = pool?.();
    this.set({ state: "in_use" }, stats ? stats.totalCount - stats.idleCount : 0);
    this.set({ state: "idle" }, stats?.idleCount ?? 0);
    this.set({ state: "waiting" }, stats?.waitingCount ?? 0);
  },
});

// Operation names are chosen by clients: keep the first ones seen, fold the rest into one.
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const operationNames = new Set<string>();

export function operationLabel(name: string | null): string {
  if (!name) return "anonymous";
  if (!OPERATION_NAME.test(name)) return "invalid";
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return "other";
  operationNames.add(name);
  return name;
}

// In a cluster (WEB_CONCURRENCY > 1) a scrape reaches one worker, which asks the primary for the
// metrics of all workers: prom-client's AggregatorRegistry sums counters, histograms and most
// gauges over them.
const METRICS_REQUEST = "facet:metrics-request";
const METRICS_RESPONSE = "facet:metrics-response";
const METRICS_TIMEOUT_MS = 5000;

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
let nextRequest = 0;

if (cluster.isWorker) {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one makes this worker answer the primary's requests for its metrics.
  new AggregatorRegistry();
  process.on("message", (message: MetricsMessage) => {
    if (message?.type !== METRICS_RESPONSE) return;
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) request?.reject(new Error(message.error));
    else request?.resolve(message.text ?? "");
  });
}

/** The primary's side: answers each worker's request with the metrics of all workers. */
export function serveWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: MetricsMessage) => {
    if (message?.type !== METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text }),
      (error: Error) => worker.send({ type: METRICS_RESPONSE, id: message.id, error: error.message }),
    );
  });
}

/** What GET /metrics serves: this process's metrics, or in a cluster those of all its workers. */
export function metricsText(): Promise<string> {
  if (!cluster.isWorker) return registry.metrics();
  const id = nextRequest++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error("the primary did not send the cluster's metrics in time"));
    }, METRICS_TIMEOUT_MS);
    pending.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send!({ type: METRICS_REQUEST, id });
  });
}
