// The table of an attack replay and its verdicts, as Markdown.

export interface Row {
  id: string;
  title: string;
  anonymous: boolean;
  requests: number;
  /** The slowest attack request's answer, in ms (null when none was sent). */
  longestMs: number | null;
  probeP99Ms: number | null;
  probes: number;
  /** Probe answers other than a 200 with the role, as "429 ×3". */
  probeFailures: string;
  /** Status codes seen, e.g. "429 ×95, 200 ×5". */
  statuses: string;
  server500s: number;
  /** Answers below 500 that carry an INTERNAL_SERVER_ERROR (a GraphQL 200 hiding a server failure). */
  internalErrors: number;
  notes: string[];
  tested: boolean;
}

export interface RunInfo {
  date: Date;
  target: string;
  build: string;
  node: string;
  addresses: string;
  probeWho: string;
  idle: { count: number; p50: number; p99: number };
  seconds: number;
}

export interface Verdict {
  meets: boolean;
  text: string;
}

const ms = (value: number | null) => (value === null || Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(1) : value.toFixed(0));
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * The bar: during every anonymous attack the probe's p99 stays under 2× its idle p99, and nothing
 * answers 500. Signed-in attacks are held to the second half only.
 */
export function verdict(row: Row, idleP99: number): Verdict {
  if (!row.tested) return { meets: true, text: "not tested" };
  const reasons: string[] = [];
  if (row.server500s > 0) reasons.push(`500 ×${row.server500s}`);
  if (row.internalErrors > 0) reasons.push(`INTERNAL_SERVER_ERROR in ${row.internalErrors} answers below 500`);
  if (row.anonymous) {
    const limit = 2 * idleP99;
    if (row.probeP99Ms === null || !(row.probeP99Ms < limit)) reasons.push(`probe p99 ${ms(row.probeP99Ms)} ms, not under ${ms(limit)} ms`);
    if (row.probeFailures) reasons.push(`probe answered ${row.probeFailures}`);
  }
  const scope = row.anonymous ? "" : " (signed in: held to no 500 only)";
  // What the outcome marks in bold is the finding still reproducing, whatever the bar says.
  const open = row.notes.filter((note) => note.includes("**")).map((note) => note.replace(/\*\*/g, ""));
  const finding = open.length ? `; the finding reproduces: ${open.join("; ")}` : "";
  return reasons.length
    ? { meets: false, text: `misses the bar${scope}: ${reasons.join("; ")}${finding}` }
    : { meets: true, text: `meets the bar${scope}${finding}` };
}

export function outcome(row: Row): string {
  if (!row.tested) return row.notes.join("; ");
  const parts = [row.statuses || "nothing sent", row.server500s > 0 ? `**500 ×${row.server500s}**` : "no 500"];
  if (row.internalErrors > 0) parts.push(`**INTERNAL_SERVER_ERROR in ${row.internalErrors} answers below 500**`);
  parts.push(...row.notes);
  if (row.probeFailures) parts.push(`probe answered ${row.probeFailures}`);
  return parts.join("; ");
}

export function formatReport(info: RunInfo, rows: readonly Row[]): string {
  const verdicts = rows.map((row) => verdict(row, info.idle.p99));
  const lines = [
    `# Attack replay, ${info.date.toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `- Target: ${info.target}`,
    `- Build: ${info.build}; Node ${info.node}`,
    `- Addresses: ${info.addresses}`,
    `- Probe: \`{ viewer { role } }\` as ${info.probeWho}, one request after the other on connections of its own`,
    `- Idle: p50 ${ms(info.idle.p50)} ms, p99 ${ms(info.idle.p99)} ms over ${info.idle.count} sequential probes`,
    `- The bar: during every anonymous attack the probe's p99 stays under ${ms(2 * info.idle.p99)} ms (2× idle) and nothing answers 500; signed-in attacks are reported, and held to no 500 only`,
    `- Run time: ${info.seconds.toFixed(0)} s`,
    "",
    "| # | attack | anonymous | requests sent | longest answer (ms) | probe p99 (ms) | probes | outcome | bar |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ...rows.map((row, i) =>
      [
        row.id,
        cell(row.title),
        row.anonymous ? "yes" : "no",
        row.tested ? String(row.requests) : "–",
        row.tested ? ms(row.longestMs) : "–",
        row.tested ? ms(row.probeP99Ms) : "–",
        row.tested ? String(row.probes) : "–",
        cell(outcome(row)),
        !row.tested ? "–" : verdicts[i].meets ? "meets" : "**misses**",
      ].join(" | ").replace(/^/, "| ").replace(/$/, " |"),
    ),
    "",
    "Verdicts:",
    "",
    ...rows.map((row, i) => `- ${row.id}: ${verdicts[i].text}`),
    "",
  ];
  return lines.join("\n");
}
