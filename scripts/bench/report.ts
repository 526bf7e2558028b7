import type { Dataset } from "./seed";

export type Role = "facet" | "compare" | "ceiling";

export interface Measurement {
  workload: string;
  title: string;
  /** The row's label, e.g. "Facet (505a7ac)". */
  server: string;
  /** The Facet measured, the one it is compared with (BENCH_COMPARE), or the ceiling. */
  role: Role;
  requestsPerSecond: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  statementsPerRequest: number | null;
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
  /** Slices each row was measured in, each server's in turn. */
  rounds: number;
  cpus: string;
  node: string;
  postgres: string;
  dataset: Dataset;
  seedSeconds: number | null;
  /** Distributors whose buyer got the same W1 and W2 answers from every Facet and the ceiling (a run whose answers differ is not measured). */
  sameJsonDistributors: number;
  /** The Facet measured: its label and Node flags. */
  facet: { label: string; nodeOptions: string };
  /** The other build measured in turn with it (BENCH_COMPARE): its label, checkout and Node flags. */
  compare: { label: string; directory: string; nodeOptions: string } | null;
  /** Facet's worker processes (WEB_CONCURRENCY); above 1 they share rate limits in Redis. */
  workers: number;
}

// Targets of the benchmark: each Facet's throughput as a share of the ceiling's, measured in the
// same row, so that the machine's speed cancels out.
const TARGETS: Record<string, number> = { W1: 0.6, W2: 0.8 };

const fixed = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits));

export function formatReport(info: RunInfo, measurements: Measurement[]): string {
  const ceilingOf = (workload: string) => measurements.find((m) => m.workload === workload && m.role === "ceiling");
  const ratioOf = (m: Measurement): number | null => {
    const ceiling = m.role === "ceiling" ? undefined : ceilingOf(m.workload);
    return ceiling ? m.requestsPerSecond / ceiling.requestsPerSecond : null;
  };
  const rows = measurements.map((m) => {
    const ratio = ratioOf(m);
    return `| ${m.workload} | ${m.server} | ${fixed(m.requestsPerSecond, 1)} | ${fixed(m.p50, 1)} | ${fixed(m.p99, 1)} | ${m.errors} | ${fixed(m.statementsPerRequest, 1)} | ${fixed(m.cpuMsPerRequest, 2)} | ${fixed(m.postgresCpuMsPerRequest, 2)} | ${fixed(m.peakRssMb, 0)} | ${ratio === null ? "" : `${ratio.toFixed(2)}×`} |`;
  });
  const verdicts = Object.entries(TARGETS).flatMap(([workload, target]) =>
    measurements
      .filter((m) => m.workload === workload && m.role !== "ceiling")
      .flatMap((m) => {
        const ratio = ratioOf(m);
        if (ratio === null) return [];
        return [`- ${workload}, ${m.server}: ${ratio.toFixed(2)}× the ceiling ${ratio >= target ? "≥" : "<"} ${target.toFixed(2)}×: **${ratio >= target ? "met" : "not met"}**`];
      }),
  );
  const d = info.dataset;
  const compare = info.compare;
  return [
    `# Facet benchmark, ${info.date.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${info.connections} connections, ${info.warmupRequests} requests of warm-up then ${info.seconds} s measured per row` +
      (info.rounds > 1 ? ` in ${info.rounds} slices, ${compare ? "each server's" : "Facet's and the ceiling's"} in turn` : "") +
      `; ${info.cpus}; Node ${info.node}; PostgreSQL ${info.postgres}.` +
      (info.facet.nodeOptions ? ` ${info.facet.label} ran with \`${info.facet.nodeOptions}\`.` : "") +
      (compare ? ` ${compare.label} is another build, measured in turn with it${compare.nodeOptions ? `, run with \`${compare.nodeOptions}\`` : ""}.` : "") +
      ` ${compare ? "Each Facet" : "Facet"} ran ${info.workers === 1 ? "one process" : `${info.workers} workers (WEB_CONCURRENCY) with rate limits in Redis; its CPU and RSS are summed over them`}, the ceiling one process.`,
    `Dataset: ${d.distributors} distributors, ${d.products} styles, ${d.variants} variants, ${d.orders} orders with ${d.orderLines} lines, ${d.shipments} shipments with ${d.trackingEvents} tracking events` +
      (info.seedSeconds === null ? " (reused)." : ` (seeded in ${info.seedSeconds.toFixed(0)} s).`),
    `The ceiling answers W1 and W2 with one prepared json_agg statement in a bare node:http handler. Before measuring, its W1 and W2 JSON was checked equal to ${compare ? "each Facet's" : "Facet's"} for all ${info.sameJsonDistributors} distributors (each one's buyer): same.`,
    "",
    "| workload | server | req/s | p50 ms | p99 ms | errors | SQL/req | Node CPU ms/req | PostgreSQL CPU ms/req | peak RSS MB | vs ceiling |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "Workloads: " + [...new Map(measurements.filter((m) => m.role === "facet").map((m) => [m.workload, `${m.workload} ${m.title}`])).values()].join("; ") + ".",
    "",
    "Targets (throughput as a share of the ceiling's):",
    ...(verdicts.length > 0 ? verdicts : ["- none measured (W1 and W2 did not run)"]),
    "",
  ].join("\n");
}
