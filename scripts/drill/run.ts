import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../src/config";
import { freePort } from "../../src/free-port";
import { setLogLevel } from "../../src/logger";
import { adminQuery, nodeOptions, prepareDemoDatabase, repositoryRoot } from "../support/facet";
import { actor, closeActor } from "../support/http";
import { buildLabel, writeResult } from "../support/results";
import { readCatalog, SetupError, signIn } from "../support/session";
import { checkWrites, DRILLS, runDrill, settle, type Target } from "./drills";
import { DrillFacet, FacetLog } from "./facet";
import { BACKOFF_FIRST_MS, BACKOFF_MAX_MS, Load, MAX_RETRIES, type Buyer } from "./load";
import { DrillPostgres } from "./postgres";
import { DrillRedis } from "./redis";
import { formatDrills, formatSoak, formatTable, measure, writeSummary, type Row, type RssSeries } from "./report";

// npm run drill: fault drills against a production-mode Facet with two workers, on a PostgreSQL
// primary and streaming replica and a Redis of its own, under the load of signed-in buyers; or,
// with --soak, the same load without faults for a while, watching the workers' memory. Writes
// the table to scripts/drill/results/<UTC timestamp>.md. See scripts/drill/README.md.

const DATABASE = "facet_drill";
const BUYERS = [
  { email: "buyer@atelier-paris.example", distributor: "atelier-paris" },
  { email: "buyer@gulf-gold.example", distributor: "gulf-gold" },
];
const LOOPS = 8;
const SHUTDOWN_GRACE_MS = 5000;
const DEFAULT_SECONDS = 10;
const FAULT_AFTER_MS = 3000;
const RSS_EVERY_MS = 10_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
/** Set by Ctrl-C (or SIGTERM): the run stops where it is, cleans up and writes no report. */
let interrupted = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Options {
  soak: number | undefined;
  only: string[];
  seconds: number;
}

class UsageError extends Error {}

function usage(problem: string): never {
  throw new UsageError(`${problem}\nusage: npm run drill [-- --only <name,…>] [--seconds N]   or   npm run drill -- --soak <seconds>\n  drills: ${DRILLS.map((d) => d.name).join(", ")}`);
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 1) usage(`${flag} needs a whole number of seconds, got "${value ?? ""}"`);
  return n;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { soak: undefined, only: [], seconds: DEFAULT_SECONDS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--soak") options.soak = positive(arg, argv[++i]);
    else if (arg === "--seconds") options.seconds = positive(arg, argv[++i]);
    else if (arg === "--only") {
      // Names separated by commas, or one after the other until the next flag.
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) options.only.push(...argv[++i].split(",").filter(Boolean));
      if (options.only.length === 0) usage("--only needs drill names");
    } else usage(`unknown argument "${arg}"`);
  }
  const unknown = options.only.filter((name) => !DRILLS.some((d) => d.name === name));
  if (unknown.length) usage(`no drill named ${unknown.join(", ")}`);
  return options;
}

/** VmRSS of a process in kB, from /proc/<pid>/status; undefined when it is gone. */
function rssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Things to stop and remove, last set up first stopped; run once, whether the run ends, fails or is interrupted. */
class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  add(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          say(`cleaning up (${step.what}) failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}

interface Setup {
  target: Target;
  buyers: Buyer[];
  description: string;
}

async function setUp(cleanup: Cleanup): Promise<Setup> {
  const root = repositoryRoot(__dirname);
  const main = path.join(__dirname, "../../src/main.js");
  if (!existsSync(main)) throw new SetupError(`Facet's compiled entry point is missing at ${main}: build Facet first`);
  const [primaryPort, replicaPort, redisPort, facetPort] = [await freePort(), await freePort(), await freePort(), await freePort()];

  say(`setting up: PostgreSQL 15 primary on port ${primaryPort} (initdb), database ${DATABASE}, migrations, demo data`);
  const postgres = DrillPostgres.prepare(primaryPort, replicaPort);
  cleanup.add("PostgreSQL", () => postgres.destroy());
  await postgres.createPrimary();
  const databaseUrl = postgres.primary.url(DATABASE);
  await adminQuery(postgres.primary.url("postgres"), [`CREATE DATABASE ${DATABASE}`]);
  const accounts = await prepareDemoDatabase(databaseUrl, { applicationName: "facet-drill-setup", passwordPrefix: "drill-", accounts: BUYERS.map((b) => b.email) });

  say(`setting up: streaming replica on port ${replicaPort} (pg_basebackup -R -X stream)`);
  await postgres.createReplica();
  for (let i = 0; i < 100 && !(await postgres.streaming()); i++) await sleep(100);
  if (!(await postgres.streaming())) throw new SetupError(`the replica does not stream from the primary; see ${postgres.replica.logFile}`);

  const redis = new DrillRedis(redisPort);
  cleanup.add("Redis", () => redis.stop());
  await redis.start();

  const logFile = path.join(os.tmpdir(), `facet-drill-${process.pid}.log`);
  const log = new FacetLog(logFile, createWriteStream(logFile));
  cleanup.add("Facet's log", () => log.close());
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    WEB_CONCURRENCY: "2",
    DATABASE_URL: databaseUrl,
    DATABASE_REPLICA_URLS: postgres.replica.url(DATABASE),
    REDIS_URL: redis.url,
    JWT_SECRET: randomBytes(48).toString("base64url"),
    SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    HOST: "127.0.0.1",
    PORT: String(facetPort),
    LOG_LEVEL: "info",
    MIGRATE_ON_START: "false",
    // The drills measure faults, not the rate limiter (which still prices every request, in Redis).
    RATE_LIMIT_POINTS: "10000000",
    RATE_LIMIT_RESTORE_PER_SECOND: "1000000",
    RATE_LIMIT_DISTRIBUTOR_POINTS: "100000000",
    RATE_LIMIT_DISTRIBUTOR_RESTORE_PER_SECOND: "10000000",
  };
  // What the build under drill makes of these settings (SHUTDOWN_DELAY_MS has a default of its own).
  const config = loadConfig(env);
  const flags = nodeOptions(root);
  say(`starting Facet: node ${flags.join(" ")} ${path.relative(root, main)} with WEB_CONCURRENCY=2 on port ${facetPort} (Redis on ${redisPort}; log ${logFile})`);
  let facet: DrillFacet | undefined;
  const startFacet = async () => {
    facet = await DrillFacet.start({ main, cwd: root, flags, env, port: facetPort, log });
    return facet;
  };
  cleanup.add("Facet", async () => {
    if (facet?.running) await facet.stop();
  });
  await startFacet();
  const target: Target = {
    postgres,
    redis,
    log,
    facet: () => facet!,
    startFacet,
    databaseUrl,
    databaseName: DATABASE,
    shutdown: { delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs },
  };

  const setup = actor("setup", undefined);
  try {
    const buyers: Buyer[] = [];
    for (const [i, account] of accounts.entries()) {
      const token = await signIn(facet!.url, setup, account, "buyer");
      const catalog = await readCatalog(facet!.url, setup, token);
      if (catalog.orderable.length === 0) throw new SetupError(`${account.email} can order nothing in the demo catalog`);
      buyers.push({ distributor: BUYERS[i].distributor, token, orderable: catalog.orderable });
    }
    say(`buyers: ${buyers.map((b) => `${b.distributor} (${b.orderable.length} orderable variants)`).join(", ")}`);
    const description =
      `Facet in production mode, WEB_CONCURRENCY=2, on ${facet!.url.origin} (SHUTDOWN_GRACE_MS ${config.shutdownGraceMs}, SHUTDOWN_DELAY_MS ${config.shutdownDelayMs}, ` +
      `rate limits raised out of the way); its own PostgreSQL 15 primary (port ${primaryPort}, database ${DATABASE} with the demo data) and streaming replica ` +
      `(port ${replicaPort}, as DATABASE_REPLICA_URLS); its own redis-server (port ${redisPort})`;
    return { target, buyers, description };
  } finally {
    closeActor(setup);
  }
}

const LOAD_TEXT =
  `${LOOPS} loops, half as buyer@atelier-paris.example and half as buyer@gulf-gold.example, each on one keep-alive connection: an orders page, a products page, ` +
  `an orders page and a placeOrder (one line, a new idempotency key and buyer reference) in turn; a write answered 503 or 429 with Retry-After, or not answered, ` +
  `is sent again with its key up to ${MAX_RETRIES} times (backoff from ${BACKOFF_FIRST_MS} ms, doubling, at most ${BACKOFF_MAX_MS / 1000} s)`;

async function drills(setup: Setup, options: Options, started: number, root: string): Promise<void> {
  const chosen = options.only.length ? DRILLS.filter((d) => options.only.includes(d.name)) : DRILLS;
  const faultAfterMs = Math.min(FAULT_AFTER_MS, Math.floor((options.seconds * 1000) / 3));
  const rows: Row[] = [];
  for (const drill of chosen) {
    if (interrupted) return;
    const unsettled = await settle(setup.target);
    if (unsettled) {
      rows.push({ name: drill.name, title: drill.title, ran: false, requests: 0, statuses: "", errors: "", connectionErrors: 0, check: undefined, recovery: "–", notes: [`not run: ${unsettled}`] });
      continue;
    }
    say(`drill ${drill.name}: ${options.seconds} s of load, the fault at ${(faultAfterMs / 1000).toFixed(1)} s`);
    rows.push(await runDrill(drill, setup.target, setup.buyers, options.seconds, faultAfterMs));
    say(formatTable(rows.slice(-1)).at(-1)!);
  }
  const info = {
    date: new Date(),
    target: setup.description,
    build: buildLabel(root),
    node: process.version,
    load: LOAD_TEXT,
    seconds: (performance.now() - started) / 1000,
    drill: `${options.seconds} s of load, the fault ${(faultAfterMs / 1000).toFixed(1)} s in; between drills the run waits until Facet's /readyz answers 200, Redis answers and the replica streams`,
  };
  report(formatDrills(info, rows), root, info.date);
}

async function soak(setup: Setup, seconds: number, started: number, root: string): Promise<void> {
  const { target, buyers } = setup;
  say(`soak: ${seconds} s of load without faults; each process's VmRSS every ${RSS_EVERY_MS / 1000} s`);
  const load = new Load(() => target.facet().url, buyers);
  const series = new Map<number, RssSeries>();
  const sample = () => {
    const facet = target.facet();
    const processes = [{ label: "primary", pid: facet.pid }, ...facet.workerPids().map((pid) => ({ label: "worker", pid }))];
    for (const { label, pid } of processes) {
      const kb = rssKb(pid);
      if (kb === undefined) continue;
      let entry = series.get(pid);
      if (!entry) series.set(pid, (entry = { label: label === "worker" ? `worker ${[...series.values()].filter((s) => s.label.startsWith("worker")).length + 1}` : label, pid, samples: [] }));
      entry.samples.push(kb);
    }
  };
  const loadStarted = Date.now();
  load.start(LOOPS);
  for (let next = RSS_EVERY_MS; next <= seconds * 1000; next += RSS_EVERY_MS) {
    await sleep(Math.max(0, loadStarted + next - Date.now()));
    if (interrupted) return;
    sample();
    if (next % 60_000 === 0) say(`  ${next / 1000} s: ${load.samples.length} requests`);
  }
  await sleep(Math.max(0, loadStarted + seconds * 1000 - Date.now()));
  await load.stop();
  const notes: string[] = [];
  const unsettled = await settle(target);
  if (unsettled) notes.push(`**after the soak: ${unsettled}**`);
  const check = await checkWrites(target.databaseUrl, load.writes).catch((error: unknown) => {
    notes.push(`**the writes could not be checked: ${error instanceof Error ? error.message : String(error)}**`);
    return undefined;
  });
  notes.push(writeSummary(load.writes));
  const replaced = target.log.between(loadStarted, Date.now()).filter((line) => line.message === "a worker exited; starting another");
  notes.push(replaced.length ? `**workers replaced during the soak: ${replaced.length}**` : "no worker exited during the soak");
  notes.push(`the first memory sample is taken after ${RSS_EVERY_MS / 1000} s of load`);
  const row = measure("soak", "soak", load.samples, check, undefined, notes);
  const info = { date: new Date(), target: setup.description, build: buildLabel(root), node: process.version, load: LOAD_TEXT, seconds: (performance.now() - started) / 1000 };
  report(formatSoak(info, row, seconds, [...series.values()]), root, info.date);
}

function report(text: string, root: string, date: Date): void {
  if (interrupted) return;
  const file = writeResult(path.join(root, "scripts/drill/results"), date, text);
  say("");
  say(text);
  say(`written to ${path.relative(process.cwd(), file) || file}`);
}

async function main(): Promise<number> {
  const started = performance.now();
  // The setup's own log lines (migrations, seed) stay out of the output.
  setLogLevel("warn");
  const root = repositoryRoot(__dirname);
  const cleanup = new Cleanup();
  const interrupt = (signal: NodeJS.Signals, code: number) => {
    interrupted = true;
    say(`${signal}: stopping Facet, Redis and PostgreSQL, removing their files`);
    void cleanup.run().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => interrupt("SIGINT", 130));
  process.once("SIGTERM", () => interrupt("SIGTERM", 143));

  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(error.message);
    return 1;
  }
  try {
    let setup: Setup;
    try {
      setup = await setUp(cleanup);
    } catch (error) {
      if (!interrupted) say(`The target could not be set up: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    say(`target: ${setup.description}`);
    if (options.soak !== undefined) await soak(setup, options.soak, started, root);
    else await drills(setup, options, started, root);
    return 0;
  } catch (error) {
    if (!interrupted) say(`The run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

main().then(
  // After an interrupt, the handler exits once the cleanup is done.
  (code) => interrupted || process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
