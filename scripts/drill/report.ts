import { acknowledged, type Sample, type WriteRecord } from "./load";

// What one drill (or the soak) measured, and the Markdown it is reported in.

/** What the database holds for the drill's writes, read after the drill. */
export interface WriteCheck {
  /** Acknowledged with an order number that the database does not hold for the write's reference. */
  lost: WriteRecord[];
  /** Keys (buyer references) with more than one order. */
  duplicates: { reference: string; orders: number }[];
  /** An order exists, but no attempt was answered with it. */
  dropped: WriteRecord[];
}

export interface Row {
  name: string;
  title: string;
  ran: boolean;
  requests: number;
  statuses: string;
  errors: string;
  connectionErrors: number;
  check: WriteCheck | undefined;
  /** ms from the fault to the first 200 after its first failure; "no failure", "not recovered", or "–" without a fault. */
  recovery: number | string;
  notes: string[];
}

/** "200: 812, 503: 4": how often each value came, most frequent first. */
export function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([value, count]) => `${value}: ${count}`)
    .join(", ");
}

/**
 * From the fault to the first good answer (a 200 without errors) to a request sent after the
 * first request that failed once the fault began: how long the service was out. The COMMIT
 * drill's marker writes fail by design and are left out.
 */
export function recovery(samples: readonly Sample[], faultAt: number | undefined): number | string {
  if (faultAt === undefined) return "–";
  const considered = samples.filter((s) => s.kind !== "marker");
  const failures = considered.filter((s) => !s.ok && s.doneAt >= faultAt);
  if (failures.length === 0) return "no failure";
  const firstFailure = failures.reduce((min, s) => Math.min(min, s.doneAt), Infinity);
  const recovered = considered.filter((s) => s.ok && s.sentAt >= firstFailure);
  if (recovered.length === 0) return "not recovered";
  return recovered.reduce((min, s) => Math.min(min, s.doneAt), Infinity) - faultAt;
}

/** The row's counts from the samples and writes of the drill. */
export function measure(name: string, title: string, samples: readonly Sample[], check: WriteCheck | undefined, faultAt: number | undefined, notes: string[]): Row {
  const answered = samples.filter((s) => s.status !== 0);
  return {
    name,
    title,
    ran: true,
    requests: samples.length,
    statuses: tally(answered.map((s) => String(s.status))),
    errors: tally(samples.flatMap((s) => s.codes)),
    connectionErrors: samples.length - answered.length,
    check,
    recovery: recovery(samples, faultAt),
    notes,
  };
}

/** What happened to the writes: keys, acknowledged, retried, refused, given up. */
export function writeSummary(writes: readonly WriteRecord[]): string {
  const ordinary = writes.filter((w) => !w.marker);
  const ok = ordinary.filter((w) => acknowledged(w) !== undefined);
  const retried = ordinary.filter((w) => w.attempts.length > 1);
  const retriedOk = retried.filter((w) => acknowledged(w) !== undefined);
  const refused = ordinary.filter((w) => w.attempts.at(-1)?.userErrors.length);
  const unanswered = ordinary.filter((w) => acknowledged(w) === undefined && !w.attempts.at(-1)?.userErrors.length);
  const last = unanswered.map((w) => {
    const a = w.attempts.at(-1)!;
    return a.status === 0 ? `no answer (${a.failure ?? "?"})` : `${a.status}${a.codes.length ? ` ${a.codes.join("+")}` : ""}`;
  });
  const parts = [
    `${ordinary.length} writes (keys)`,
    `${ok.length} acknowledged with an order`,
    retried.length
      ? `${retried.length} retried (${retriedOk.length} of them then acknowledged; ${retried.reduce((n, w) => n + w.attempts.length - 1, 0)} retries in all, at most ${Math.max(...retried.map((w) => w.attempts.length - 1))} for one key)`
      : "none retried",
  ];
  if (refused.length) parts.push(`${refused.length} refused with user errors (${tally(refused.flatMap((w) => w.attempts.at(-1)!.userErrors))})`);
  if (unanswered.length) parts.push(`**${unanswered.length} without an order at the end** (last answer ${tally(last)})`);
  return parts.join("; ");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const count = (n: number | undefined) => (n === undefined ? "not checked" : n === 0 ? "0" : `**${n}**`);

export function formatTable(rows: readonly Row[]): string[] {
  return [
    "| fault | requests | answered by status | errors by code | connection errors | acknowledged-but-lost writes | duplicate orders | computed-but-dropped answers | time to recover (ms) |",
    "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((row) =>
      row.ran
        ? `| ${cell(row.title)} | ${row.requests} | ${cell(row.statuses || "–")} | ${cell(row.errors || "–")} | ${row.connectionErrors} | ${count(row.check?.lost.length)} | ${count(row.check?.duplicates.length)} | ${row.check ? String(row.check.dropped.length) : "not checked"} | ${typeof row.recovery === "number" ? row.recovery.toFixed(0) : row.recovery} |`
        : `| ${cell(row.title)} | – | – | – | – | – | – | – | not run |`,
    ),
  ];
}

export interface RunInfo {
  date: Date;
  target: string;
  build: string;
  node: string;
  load: string;
  seconds: number;
}

function header(title: string, info: RunInfo): string[] {
  return [
    `# ${title}, ${info.date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `- Target: ${info.target}`,
    `- Build: ${info.build}; Node ${info.node}`,
    `- Load: ${info.load}`,
    `- Run time: ${info.seconds.toFixed(0)} s`,
    "",
  ];
}

export function formatDrills(info: RunInfo & { drill: string }, rows: readonly Row[]): string {
  return [
    ...header("Fault drills", info),
    `Each drill: ${info.drill}. Acknowledged-but-lost writes and duplicate orders must be 0; computed-but-dropped answers are orders whose client never heard of them (every attempt of the key got no answer or an error).`,
    "",
    ...formatTable(rows),
    "",
    "Notes:",
    "",
    ...rows.flatMap((row) => [`- **${row.name}**:`, ...row.notes.map((note) => `  - ${note}`)]),
    "",
  ].join("\n");
}

export interface RssSeries {
  label: string;
  pid: number;
  samples: number[];
}

const mb = (kb: number) => (kb / 1024).toFixed(1);

export function formatSoak(info: RunInfo, row: Row, soakSeconds: number, rss: readonly RssSeries[]): string {
  const perSecond = row.requests / Math.max(1, soakSeconds);
  return [
    ...header("Soak", info),
    "| seconds | requests | req/s | answered by status | errors by code | connection errors | acknowledged-but-lost writes | duplicate orders | computed-but-dropped answers |",
    "| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |",
    `| ${soakSeconds} | ${row.requests} | ${perSecond.toFixed(0)} | ${cell(row.statuses || "–")} | ${cell(row.errors || "–")} | ${row.connectionErrors} | ${count(row.check?.lost.length)} | ${count(row.check?.duplicates.length)} | ${row.check ? String(row.check.dropped.length) : "not checked"} |`,
    "",
    "Resident memory (VmRSS from /proc/<pid>/status, every 10 s):",
    "",
    "| process | pid | samples | first (MB) | max (MB) | last (MB) | last − first (MB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rss.map((series) => {
      const first = series.samples[0];
      const last = series.samples.at(-1)!;
      return `| ${series.label} | ${series.pid} | ${series.samples.length} | ${mb(first)} | ${mb(Math.max(...series.samples))} | ${mb(last)} | ${mb(last - first)} |`;
    }),
    "",
    "Notes:",
    "",
    ...row.notes.map((note) => `- ${note}`),
    "",
  ].join("\n");
}
