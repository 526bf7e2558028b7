import "reflect-metadata";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { createDataSource } from "../../src/db/data-source";
import { entities } from "../../src/modules/entities";
import { migrate } from "../../src/db/database";
import { signAccessToken } from "../../src/modules/accounts/access-token";
import { formatReport, type Measurement, type Role, type RunInfo } from "./report";
import { ensureDataset } from "./seed";
import { freePort } from "../../src/free-port";
import { fromGlobalId, toGlobalId } from "../../src/graphql/node";
import { formatW5, measureW5, type Driven as W5Driven, type W5Buyer } from "./w5";
import { W1_ORDER_HISTORY, W2_CATALOG_PAGE, W2_METAL, W3_TRACKING, W4_SYNC } from "./workloads";

// npm run bench: seeds (or reuses) the large dataset on BENCH_DATABASE_URL, starts Facet in
// production mode (and the build in BENCH_COMPARE, when set) and the json_agg ceiling as child
// processes, checks that they answer alike, drives each with autocannon and writes the table to
// scripts/bench/results/<date>.md. See scripts/bench/README.md.

const ROOT = path.resolve(__dirname, "../../..");
const CACHE = path.join(ROOT, "scripts/bench/.cache");
const RESULTS = path.join(ROOT, "scripts/bench/results");

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Creates the benchmark database when the server does not have it yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a database (letters, digits, _ and -), got "${name}"`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) {
      say(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}; see ${CACHE}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv, nodeOptions: string[], cwd = ROOT): ChildProcess {
  const logFile = createWriteStream(path.join(CACHE, `${name}.log`));
  const child = spawn(process.execPath, [...nodeOptions, script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A process and its children (a cluster's workers), on Linux. */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children];
  } catch {
    return [pid];
  }
}

/** Peak resident memory since the last reset (Linux: VmHWM, reset through clear_refs), summed over the process and its workers. */
function resetPeakRss(pid: number): void {
  for (const each of processTree(pid)) {
    try {
      writeFileSync(`/proc/${each}/clear_refs`, "5");
    } catch {
      // Not Linux, or not allowed: the peak is then the process's lifetime peak.
    }
  }
}
function peakRssMb(pid: number): number | null {
  try {
    let kb = 0;
    for (const each of processTree(pid)) kb += Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${each}/status`, "utf8"))?.[1] ?? NaN);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

// CPU ticks of each PostgreSQL process on the machine (Linux), from /proc/<pid>/stat: the
// server's share of a request, which the Node CPU column does not show. Null elsewhere.
const TICKS_PER_SECOND = 100;
function postgresTicks(): Map<string, number> | null {
  try {
    const ticks = new Map<string, number>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
        const fields = stat.slice(close + 2).split(" ");
        ticks.set(entry, Number(fields[11]) + Number(fields[12]));
      } catch {
        // The process ended while the list was read.
      }
    }
    return ticks;
  } catch {
    return null;
  }
}

/** PostgreSQL CPU seconds between two readings (a process that ended in between is not counted). */
function postgresCpuSeconds(before: Map<string, number> | null, after: Map<string, number> | null): number | null {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks / TICKS_PER_SECOND;
}

type Samples = Map<string, number>;
function parseMetrics(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

interface Target {
  name: string;
  role: Role;
  url: string;
  pid: number;
  /** CPU seconds, and statements sent to PostgreSQL, so far. */
  stats(operation: string): Promise<{ cpuSeconds: number; statements: number; requests: number }>;
}

interface Workload {
  id: string;
  title: string;
  target: Target;
  operation: string;
  /** Builds each request: the path and JSON body, and what to learn from the answer. */
  request(): { path: string; token: string; body: unknown; onBody?: (body: string) => void };
}

// autocannon hands the same context to a request's setupRequest and onResponse.
interface RequestState {
  onBody?: (body: string) => void;
  startedAt?: number;
}

// Each answered request's latency in milliseconds, from its setup to its response, is in `latencies`.
type Driven = W5Driven;

/** Drives the workload for `seconds`, or for `amount` requests when given. */
async function drive(workload: Workload, connections: number, { seconds, amount }: { seconds?: number; amount?: number }): Promise<Driven> {
  let graphqlErrors = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: workload.target.url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [
      {
        method: "POST",
        setupRequest: (req, context) => {
          const next = workload.request();
          const state = context as RequestState;
          state.onBody = next.onBody;
          state.startedAt = performance.now();
          return {
            ...req,
            method: "POST",
            path: next.path,
            headers: { "content-type": "application/json", authorization: `Bearer ${next.token}` },
            body: JSON.stringify(next.body),
          };
        },
        onResponse: (status, body, context) => {
          const state = context as RequestState;
          if (state.startedAt !== undefined) latencies.push(performance.now() - state.startedAt);
          if (status === 200 && body.includes('"errors"')) graphqlErrors++;
          state.onBody?.(body);
        },
      },
    ],
  });
  const result = await instance;
  return { seconds: result.duration, requests: result.requests.total, errors: result.errors + result.timeouts + result.non2xx + graphqlErrors, latencies };
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** What one target served over the slices of its row. */
class Tally {
  private driven: Driven[] = [];
  private statements = 0;
  private served = 0;
  private cpuSeconds = 0;
  private postgresSeconds: number | null = 0;

  constructor(readonly workload: Workload) {}

  async slice(connections: number, seconds: number): Promise<void> {
    const target = this.workload.target;
    const before = await target.stats(this.workload.operation);
    const postgresBefore = postgresTicks();
    const driven = await drive(this.workload, connections, { seconds });
    const postgres = postgresCpuSeconds(postgresBefore, postgresTicks());
    const after = await target.stats(this.workload.operation);
    this.driven.push(driven);
    this.statements += after.statements - before.statements;
    this.served += after.requests - before.requests;
    this.cpuSeconds += after.cpuSeconds - before.cpuSeconds;
    this.postgresSeconds = postgres === null || this.postgresSeconds === null ? null : this.postgresSeconds + postgres;
  }

  measurement(): Measurement {
    const requests = this.driven.reduce((n, d) => n + d.requests, 0);
    const seconds = this.driven.reduce((n, d) => n + d.seconds, 0);
    const latencies = this.driven.flatMap((d) => d.latencies).sort((a, b) => a - b);
    return {
      workload: this.workload.id,
      title: this.workload.title,
      server: this.workload.target.name,
      role: this.workload.target.role,
      requestsPerSecond: requests / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      errors: this.driven.reduce((n, d) => n + d.errors, 0),
      requests,
      statementsPerRequest: this.served > 0 ? this.statements / this.served : null,
      cpuMsPerRequest: requests > 0 ? (this.cpuSeconds * 1000) / requests : null,
      postgresCpuMsPerRequest: requests > 0 && this.postgresSeconds !== null ? (this.postgresSeconds * 1000) / requests : null,
      peakRssMb: peakRssMb(this.workload.target.pid),
    };
  }
}

/**
 * Measures the servers of one workload (Facet, the build it is compared with, and the ceiling
 * where there is one) for `seconds` each, in `rounds` slices taken in turn (Facet, compare,
 * ceiling, Facet, …), so that a machine that slows down or speeds up during the row weighs on
 * all alike and their ratios hold.
 */
async function measure(workloads: readonly Workload[], seconds: number, rounds: number, warmupRequests: number, connections: number): Promise<Measurement[]> {
  // Warm-up by count, not time: a run measured before the JIT has compiled the hot paths
  // measures the compiler, and on a busy machine a few seconds may not complete a request.
  // (autocannon wants at least one request per connection.)
  for (const workload of workloads) if (warmupRequests > 0) await drive(workload, connections, { amount: Math.max(warmupRequests, connections) });
  const tallies = workloads.map((workload) => new Tally(workload));
  for (const tally of tallies) resetPeakRss(tally.workload.target.pid);
  for (let round = 0; round < rounds; round++) {
    for (const tally of tallies) await tally.slice(connections, seconds / rounds);
  }
  return tallies.map((tally) => tally.measurement());
}

/** An answer's JSON without its `extensions` (Facet's cost and timing, which the ceiling has not). */
async function post(url: string, token: string, body: unknown, what: string): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: { errors?: unknown; extensions?: unknown } | undefined;
  try {
    json = JSON.parse(text) as { errors?: unknown; extensions?: unknown };
  } catch {
    // Reported below with the status.
  }
  if (response.status !== 200 || !json || json.errors) throw new Error(`${what}: ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  delete json.extensions;
  return json;
}

/**
 * Runs `task` on each item, at most `limit` at a time. After a failure no task starts; once the
 * running ones end, the failure of the earliest item is thrown, so that a run reports the same one
 * however the answers raced.
 */
async function eachAtMost<T>(limit: number, items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: { index: number; error: unknown }[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const index = next++;
      try {
        await task(items[index]);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures.reduce((a, b) => (a.index < b.index ? a : b)).error;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Where two JSON values first differ, as a path from the root `$` with the values there (undefined: missing), or null when they are equal. */
function firstDifference(a: unknown, b: unknown, at = "$"): { path: string; a: unknown; b: unknown } | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      const found = firstDifference(Object.hasOwn(a, key) ? a[key] : undefined, Object.hasOwn(b, key) ? b[key] : undefined, `${at}${step}`);
      if (found) return found;
    }
  }
  return { path: at, a, b };
}

const shown = (value: unknown) => (value === undefined ? "(missing)" : (JSON.stringify(value) ?? String(value)).slice(0, 300));

// Answers in flight while they are checked: enough to take seconds, not minutes, for every
// distributor, few enough to leave the servers unhurried.
const CHECK_CONCURRENCY = 8;

/**
 * Checks that each Facet answers W1 and W2 exactly as the ceiling does, for every buyer: a ratio
 * to a ceiling that answers something else means nothing. Throws at the first difference.
 */
async function checkAnswers(facets: readonly Target[], ceilingUrl: string, buyers: readonly { id: string; email: string; token: string }[]): Promise<void> {
  const checks = buyers.flatMap((buyer) => [
    { workload: "W1", buyer, graphql: { query: W1_ORDER_HISTORY }, ceilingPath: "/w1", ceilingBody: {} },
    { workload: "W2", buyer, graphql: { query: W2_CATALOG_PAGE, variables: { metal: W2_METAL } }, ceilingPath: "/w2", ceilingBody: { metal: W2_METAL } },
  ]);
  await eachAtMost(CHECK_CONCURRENCY, checks, async (check) => {
    const who = `buyer ${check.buyer.email} (user ${check.buyer.id})`;
    const expected = await post(`${ceilingUrl}${check.ceilingPath}`, check.buyer.token, check.ceilingBody, `${check.workload}, ${who}, the ceiling`);
    for (const facet of facets) {
      const answer = await post(`${facet.url}/graphql`, check.buyer.token, check.graphql, `${check.workload}, ${who}, ${facet.name}`);
      const difference = firstDifference(answer, expected);
      if (!difference) continue;
      const width = Math.max(facet.name.length, "ceiling".length) + 1;
      throw new Error(
        [
          `${check.workload}: ${facet.name} and the ceiling answer ${who} differently, first at ${difference.path}:`,
          `  ${`${facet.name}:`.padEnd(width)} ${shown(difference.a)}`,
          `  ${"ceiling:".padEnd(width)} ${shown(difference.b)}`,
          "Not measured: a ratio to a ceiling that answers something else means nothing.",
        ].join("\n"),
      );
    }
  });
}

/** A checkout's short commit, for the report's labels. */
function shortCommit(directory: string): string {
  try {
    return execFileSync("git", ["-C", directory, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "no git commit";
  }
}

/** The Node flags a checkout's `npm start` gives Facet (package.json config.node_options), and BENCH_NODE_OPTIONS. */
function nodeOptionsOf(directory: string): string[] {
  const startOptions = (JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as { config?: { node_options?: string } }).config?.node_options ?? "";
  return `${startOptions} ${process.env.BENCH_NODE_OPTIONS ?? ""}`.split(/\s+/).filter(Boolean);
}

/** Facet's statements and CPU, from its Prometheus metrics (summed over its workers). */
function facetTarget(name: string, role: Role, url: string, child: ChildProcess, metricsToken: string): Target {
  return {
    name,
    role,
    url,
    pid: child.pid!,
    async stats(operation) {
      const samples = parseMetrics(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text());
      return {
        cpuSeconds: samples.get("process_cpu_seconds_total") ?? 0,
        statements: samples.get(`facet_sql_statements_per_request_sum{operation="${operation}"}`) ?? 0,
        requests: samples.get(`facet_sql_statements_per_request_count{operation="${operation}"}`) ?? 0,
      };
    },
  };
}

/**
 * W5's subscribers: each distributor's buyer, with a variant of its own to order (the most
 * available ones, one each, so that the writer's placements do not queue on one stock row).
 */
async function w5Buyers(db: DataSource, buyers: readonly { id: string }[], tokens: readonly string[]): Promise<W5Buyer[]> {
  const variants = (await db.query(
    `SELECT v.id FROM variants v JOIN stock_levels s ON s.variant_id = v.id JOIN products p ON p.id = v.product_id
     WHERE p.minimum_order_quantity <= 1 ORDER BY s.on_hand - s.reserved DESC, v.id LIMIT $1`,
    [buyers.length],
  )) as { id: string }[];
  if (variants.length < buyers.length) throw new Error("W5 needs a variant that can be ordered one at a time for each distributor");
  return buyers.map((_, i) => ({ token: tokens[i], variantId: toGlobalId("Variant", variants[i].id) }));
}

/** Deletes what W5's writer placed (cancelled orders and their events), so that the dataset stays as seeded. */
async function forgetW5Orders(db: DataSource, globalIds: readonly string[]): Promise<void> {
  const ids = globalIds.map((id) => fromGlobalId(id)?.id).filter((id): id is string => Boolean(id));
  if (ids.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM events WHERE subject_id = ANY($1)`, [ids]);
    await tx.query(`DELETE FROM order_status_changes WHERE order_id = ANY($1)`, [ids]);
    await tx.query(`DELETE FROM order_lines WHERE order_id = ANY($1)`, [ids]);
    await tx.query(`DELETE FROM idempotency_keys WHERE order_id = ANY($1)`, [ids]);
    await tx.query(`DELETE FROM orders WHERE id = ANY($1)`, [ids]);
  });
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    throw new Error("Set BENCH_DATABASE_URL to a PostgreSQL database for the benchmark (created when missing), e.g. postgres://postgres@127.0.0.1:5432/facet_bench");
  }
  const seconds = envInt("BENCH_DURATION_S", 30, 1);
  const warmupRequests = envInt("BENCH_WARMUP_REQUESTS", 100, 0);
  const connections = envInt("BENCH_CONNECTIONS", 16, 1);
  const rounds = envInt("BENCH_ROUNDS", 3, 1);
  // Facet as production runs it: a worker per core (WEB_CONCURRENCY), sharing rate limits in Redis.
  const workers = envInt("BENCH_WORKERS", os.availableParallelism(), 1);
  const redisUrl = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
  const only = new Set((process.env.BENCH_WORKLOADS ?? "W1,W2,W3,W4,W5").split(",").map((w) => w.trim().toUpperCase()));
  // Facet runs with the Node flags `npm start` gives it (package.json config.node_options), and any extra.
  const nodeOptions = nodeOptionsOf(ROOT);
  // Another build measured in turn with this one, to compare them on the same machine at the same time.
  const compareDir = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : null;
  if (compareDir && !existsSync(path.join(compareDir, "dist/src/main.js"))) {
    throw new Error(`BENCH_COMPARE must name a built Facet checkout, but ${path.join(compareDir, "dist/src/main.js")} does not exist (run npm run build there)`);
  }
  const compareNodeOptions = compareDir ? nodeOptionsOf(compareDir) : [];
  const facetLabel = `Facet (${shortCommit(ROOT)})`;
  const compareLabel = compareDir ? `Facet (compare: ${shortCommit(compareDir)})` : null;
  mkdirSync(CACHE, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });

  await ensureDatabase(databaseUrl);
  const dataSource = createDataSource({ entities, url: databaseUrl, embedded: false, poolSize: 2, statementTimeoutMs: 600_000, applicationName: "facet-bench" });
  await dataSource.initialize();
  let facet: ChildProcess | undefined;
  let compare: ChildProcess | undefined;
  let ceiling: ChildProcess | undefined;
  try {
    await migrate(dataSource);
    say("dataset:");
    const { dataset, seeded, seconds: seedSeconds } = await ensureDataset(dataSource, say);
    say(seeded ? `  seeded in ${seedSeconds.toFixed(0)} s` : "  reused");
    const [{ server_version: postgres }] = (await dataSource.query(`SHOW server_version`)) as { server_version: string }[];

    // Tokens are signed with a secret made for this run, which every Facet and the ceiling are given.
    const jwtSecret = randomBytes(48).toString("base64url");
    const metricsToken = randomBytes(24).toString("base64url");
    const compareMetricsToken = randomBytes(24).toString("base64url");
    const tokenConfig = loadConfig({ NODE_ENV: "production", DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret });
    // One buyer per distributor.
    const buyers = (await dataSource.query(`SELECT id, email, token_version FROM users WHERE email LIKE 'buyer@bench-%' ORDER BY email`)) as {
      id: string;
      email: string;
      token_version: number;
    }[];
    if (buyers.length === 0) throw new Error("The dataset has no buyers (buyer@bench-…)");
    const tokens = buyers.map((u) => signAccessToken(tokenConfig, { typ: "user", sub: u.id, tv: u.token_version }).token);
    const tokenOfUser = new Map(buyers.map((u, i) => [u.id, tokens[i]]));
    const tracked = (await dataSource.query(
      `SELECT u.id AS user_id, s.awb_number FROM shipments s JOIN users u ON u.distributor_id = s.distributor_id
       WHERE u.email LIKE 'buyer@bench-%' ORDER BY md5(s.id::text) LIMIT 2000`,
    )) as { user_id: string; awb_number: string }[];
    const lookups = tracked.map((t) => ({ token: tokenOfUser.get(t.user_id)!, awb: `${t.awb_number.slice(0, 3)}-${t.awb_number.slice(3)}` }));
    // The ERP sync window: orders changed in the last 400 days, about 300 per distributor.
    const since = new Date(Date.now() - 400 * 86_400_000).toISOString();

    const facetPort = await freePort();
    const comparePort = await freePort();
    const ceilingPort = await freePort();
    const childEnv = {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      HOST: "127.0.0.1",
      MIGRATE_ON_START: "false",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? "10",
      // The benchmark measures the API, not the rate limiter (which still prices every request).
      RATE_LIMIT_POINTS: "10000000",
      RATE_LIMIT_RESTORE_PER_SECOND: "1000000",
      RATE_LIMIT_DISTRIBUTOR_POINTS: "100000000",
      RATE_LIMIT_DISTRIBUTOR_RESTORE_PER_SECOND: "10000000",
      // The dataset's PENDING orders are old: nothing may cancel them while it is measured.
      PENDING_ORDER_TTL_MINUTES: "0",
    };
    const facetEnv = { ...childEnv, PORT: String(facetPort), METRICS_TOKEN: metricsToken, WEB_CONCURRENCY: String(workers), ...(workers > 1 ? { REDIS_URL: redisUrl } : {}) };
    facet = startChild("facet", path.join(ROOT, "dist/src/main.js"), facetEnv, nodeOptions);
    if (compareDir) {
      // The same environment but its own port and metrics token, run from its checkout (its own node_modules).
      const compareEnv = { ...facetEnv, PORT: String(comparePort), METRICS_TOKEN: compareMetricsToken };
      compare = startChild("facet-compare", path.join(compareDir, "dist/src/main.js"), compareEnv, compareNodeOptions, compareDir);
    }
    ceiling = startChild("ceiling", path.join(ROOT, "dist/scripts/bench/ceiling.js"), { ...childEnv, PORT: String(ceilingPort) }, []);
    const facetUrl = `http://127.0.0.1:${facetPort}`;
    const compareUrl = `http://127.0.0.1:${comparePort}`;
    const ceilingUrl = `http://127.0.0.1:${ceilingPort}`;
    await waitFor(async () => (await fetch(`${facetUrl}/readyz`)).status === 200, facetLabel, facet);
    if (compare) await waitFor(async () => (await fetch(`${compareUrl}/readyz`)).status === 200, compareLabel!, compare);
    await waitFor(async () => (await fetch(`${ceilingUrl}/stats`)).status === 200, "the ceiling", ceiling);

    const facetTargets = [facetTarget(facetLabel, "facet", facetUrl, facet, metricsToken)];
    if (compare) facetTargets.push(facetTarget(compareLabel!, "compare", compareUrl, compare, compareMetricsToken));
    const ceilingTarget: Target = {
      name: "ceiling",
      role: "ceiling",
      url: ceilingUrl,
      pid: ceiling.pid!,
      async stats() {
        const stats = (await (await fetch(`${ceilingUrl}/stats`)).json()) as { cpuSeconds: number; statements: number };
        return { ...stats, requests: stats.statements };
      },
    };

    // The ceiling must answer exactly what each Facet answers, for every distributor, or the
    // comparison means nothing: a difference fails the run before anything is measured.
    say(`answers: W1 and W2 of ${facetTargets.map((t) => t.name).join(" and ")} against the ceiling's, for each of the ${buyers.length} distributors' buyers`);
    const checkStarted = Date.now();
    await checkAnswers(
      facetTargets,
      ceilingUrl,
      buyers.map((u, i) => ({ id: u.id, email: u.email, token: tokens[i] })),
    );
    say(`  same, ${buyers.length * 2} answers of each checked in ${((Date.now() - checkStarted) / 1000).toFixed(1)} s`);

    let turn = 0;
    const nextToken = () => tokens[turn++ % tokens.length];
    const facetWorkloads = (target: Target): Workload[] => {
      // ERP syncs in flight: each request fetches the next page of one; a finished sync starts
      // the next distributor's. Each Facet has its own, as a cursor is one build's to read.
      const syncs: { token: string; after: string | null }[] = [];
      return [
        {
          id: "W1",
          title: "order history (50 orders, lines, shipments, 3 events)",
          target,
          operation: "W1OrderHistory",
          request: () => ({ path: "/graphql", token: nextToken(), body: { query: W1_ORDER_HISTORY } }),
        },
        {
          id: "W2",
          title: "catalog page (100 products, variants, price, availability)",
          target,
          operation: "W2CatalogPage",
          request: () => ({ path: "/graphql", token: nextToken(), body: { query: W2_CATALOG_PAGE, variables: { metal: W2_METAL } } }),
        },
        {
          id: "W3",
          title: "tracking lookup by air waybill",
          target,
          operation: "W3Tracking",
          request: () => {
            const lookup = lookups[turn++ % lookups.length];
            return { path: "/graphql", token: lookup.token, body: { query: W3_TRACKING, variables: { awb: lookup.awb } } };
          },
        },
        {
          id: "W4",
          title: "ERP sync, updatedSince, pages of 100 to the end",
          target,
          operation: "W4Sync",
          request: () => {
            const sync = syncs.shift() ?? { token: nextToken(), after: null };
            return {
              path: "/graphql",
              token: sync.token,
              body: { query: W4_SYNC, variables: { since, after: sync.after } },
              onBody: (body: string) => {
                const page = /"hasNextPage":(true|false),"endCursor":(null|"[^"]*")/.exec(body);
                if (page?.[1] === "true") syncs.push({ token: sync.token, after: JSON.parse(page[2]) as string });
              },
            };
          },
        },
      ];
    };
    // In each row: Facet, the build it is compared with, then the ceiling.
    const workloads: Workload[] = [
      ...facetTargets.flatMap(facetWorkloads),
      { id: "W1", title: "order history", target: ceilingTarget, operation: "w1", request: () => ({ path: "/w1", token: nextToken(), body: {} }) },
      { id: "W2", title: "catalog page", target: ceilingTarget, operation: "w2", request: () => ({ path: "/w2", token: nextToken(), body: { metal: W2_METAL } }) },
    ].filter((w) => only.has(w.id));

    const measurements: Measurement[] = [];
    for (const id of new Set(workloads.map((w) => w.id))) {
      const row = workloads.filter((w) => w.id === id);
      say(`${id} ${row.map((w) => w.target.name).join(", ")}: ${warmupRequests} requests warm-up, ${seconds} s measured at ${connections} connections in ${rounds} turns`);
      measurements.push(...(await measure(row, seconds, rounds, warmupRequests, connections)));
    }

    let w5Section = "";
    if (only.has("W5")) {
      const w1 = facetWorkloads(facetTargets[0]).find((w) => w.id === "W1")!;
      const buyersOfW5 = await w5Buyers(dataSource, buyers, tokens);
      const writesPerSecond = envInt("BENCH_W5_WRITES_PER_SECOND", 10, 1);
      say(`W5 ${facetLabel}: ${buyersOfW5.length} subscribers in every other W1 slice, ${writesPerSecond} orders placed and cancelled a second, ${seconds} s each way at ${connections} connections in ${rounds} turns`);
      if (warmupRequests > 0) await drive(w1, connections, { amount: Math.max(warmupRequests, connections) });
      const result = await measureW5({ facetUrl, buyers: buyersOfW5, writesPerSecond, seconds, rounds, driveW1: (s) => drive(w1, connections, { seconds: s }) });
      await forgetW5Orders(dataSource, result.orderIds);
      w5Section = formatW5(result, writesPerSecond);
    }

    const info: RunInfo = {
      date: new Date(),
      seconds,
      warmupRequests,
      connections,
      rounds,
      cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
      node: process.version,
      postgres,
      dataset,
      seedSeconds: seeded ? seedSeconds : null,
      sameJsonDistributors: buyers.length,
      facet: { label: facetLabel, nodeOptions: nodeOptions.join(" ") },
      compare: compareDir ? { label: compareLabel!, directory: compareDir, nodeOptions: compareNodeOptions.join(" ") } : null,
      workers,
    };
    const report = formatReport(info, measurements) + (w5Section ? `\n${w5Section}` : "");
    // A day's file is written once: a later run that day gets the time in its name, so that it
    // never overwrites results already written (and perhaps committed).
    const stamp = info.date.toISOString();
    const daily = path.join(RESULTS, `${stamp.slice(0, 10)}.md`);
    const file = existsSync(daily) ? path.join(RESULTS, `${stamp.slice(0, 10)}-${stamp.slice(11, 13)}${stamp.slice(14, 16)}${stamp.slice(17, 19)}.md`) : daily;
    writeFileSync(file, report);
    say("");
    say(report);
    say(`written to ${path.relative(ROOT, file)}`);
  } finally {
    if (facet) await stopChild(facet);
    if (compare) await stopChild(compare);
    if (ceiling) await stopChild(ceiling);
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
