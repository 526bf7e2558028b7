import type { Dataset } from "./seed";

export interface Measurement {
  workload: string;
  title: string;
  server: string;
  requestsPerSecond: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  statementsPerRequest: number | null;
  roundTripsPerRequest: number | null;
  cpuMsPerRequest: number | null;
  /** CPU of all PostgreSQL processes during the row, per request. */
  postgresCpuMsPerRequest: number | null;
  peakRssMb: number | null;
}

export interface RunInfo {
  date: Date;
  seconds: number;
  warmupRequests: number;
  connections: number;
  /** Slices each row was measured in, Facet's and the ceiling's in turn. */
  rounds: number;
  cpus: string;
  node: string;
  postgres: string;
  dataset: Dataset;
  seedSeconds: number | null;
  sameJson: { W1: boolean; W2: boolean };
  nodeOptions: string;
  /** Facet's worker processes (WEB_CONCURRENCY); above 1 they share rate limits in Redis. */
  workers: number;
}

// Targets of the benchmark: W1 and W2 at 0.40 of the ceiling's throughput with p99 under 150 ms,
// W3 p99 under 30 ms.
const TARGETS: Record<string, { ratio?: number; p99: number }> = { W1: { ratio: 0.4, p99: 150 }, W2: { ratio: 0.4, p99: 150 }, W3: { p99: 30 } };

const fixed = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits));

export function formatReport(info: RunInfo, measurements: Measurement[]): string {
  const ceilingOf = (workload: string) => measurements.find((m) => m.workload === workload && m.server === "ceiling");
  const rows = measurements.map((m) => {
    const ceiling = m.server === "Facet" ? ceilingOf(m.workload) : undefined;
    const ratio = ceiling ? m.requestsPerSecond / ceiling.requestsPerSecond : null;
    return `| ${m.workload} | ${m.server} | ${fixed(m.requestsPerSecond, 1)} | ${fixed(m.p50, 1)} | ${fixed(m.p99, 1)} | ${m.errors} | ${fixed(m.statementsPerRequest, 1)} | ${fixed(m.roundTripsPerRequest, 1)} | ${fixed(m.cpuMsPerRequest, 2)} | ${fixed(m.postgresCpuMsPerRequest, 2)} | ${fixed(m.peakRssMb, 0)} | ${ratio === null ? "" : `${ratio.toFixed(2)}×`} |`;
  });
  const verdicts = Object.entries(TARGETS).flatMap(([workload, target]) => {
    const facet = measurements.find((m) => m.workload === workload && m.server === "Facet");
    if (!facet) return [];
    const ceiling = ceilingOf(workload);
    const parts = [`p99 ${facet.p99.toFixed(1)} ms ${facet.p99 < target.p99 ? "<" : "≥"} ${target.p99} ms`];
    if (target.ratio !== undefined && ceiling) {
      const ratio = facet.requestsPerSecond / ceiling.requestsPerSecond;
      parts.push(`${ratio.toFixed(2)}× the ceiling ${ratio >= target.ratio ? "≥" : "<"} ${target.ratio.toFixed(2)}×`);
    }
    const met = facet.p99 < target.p99 && (target.ratio === undefined || !ceiling || facet.requestsPerSecond / ceiling.requestsPerSecond >= target.ratio);
    return [`- ${workload}: ${parts.join(", ")}: **${met ? "met" : "not met"}**`];
  });
  const d = info.dataset;
  return [
    `# Facet benchmark, ${info.date.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${info.connections} connections, ${info.warmupRequests} requests of warm-up then ${info.seconds} s measured per row` +
      (info.rounds > 1 ? ` in ${info.rounds} slices, Facet's and the ceiling's in turn` : "") +
      `; ${info.cpus}; Node ${info.node}; PostgreSQL ${info.postgres}.` +
      (info.nodeOptions ? ` Facet ran with \`${info.nodeOptions}\`.` : "") +
      ` Facet ran ${info.workers === 1 ? "one process" : `${info.workers} workers (WEB_CONCURRENCY) with rate limits in Redis; its CPU and RSS are summed over them`}, the ceiling one process.`,
    `Dataset: ${d.distributors} distributors, ${d.products} styles, ${d.variants} variants, ${d.orders} orders with ${d.orderLines} lines, ${d.shipments} shipments with ${d.trackingEvents} tracking events` +
      (info.seedSeconds === null ? " (reused)." : ` (seeded in ${info.seedSeconds.toFixed(0)} s).`),
    `The ceiling answers W1 and W2 with one json_agg statement in a bare node:http handler; its JSON equals Facet's: W1 ${info.sameJson.W1 ? "yes" : "NO"}, W2 ${info.sameJson.W2 ? "yes" : "NO"}.`,
    "",
    "| workload | server | req/s | p50 ms | p99 ms | errors | SQL/req | round trips/req | Node CPU ms/req | PostgreSQL CPU ms/req | peak RSS MB | vs ceiling |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "Workloads: " + [...new Map(measurements.filter((m) => m.server === "Facet").map((m) => [m.workload, `${m.workload} ${m.title}`])).values()].join("; ") + ".",
    "",
    "Targets:",
    ...verdicts,
    "",
  ].join("\n");
}
