import { Client } from "pg";
import type { Actor } from "../support/http";
import { redisAnswers, type DrillRedis } from "./redis";
import { alive, type DrillFacet, type FacetLog } from "./facet";
import { acknowledged, Load, MARKER, MAX_RETRIES, type Buyer, type WriteRecord } from "./load";
import type { DrillPostgres } from "./postgres";
import { measure, tally, writeSummary, type Row, type WriteCheck } from "./report";

// The six fault drills. Each runs under the load for a few seconds, with its fault a few seconds
// in; afterwards the run waits for the target to be whole again and checks the drill's writes
// against the database.

/** What the drills act on. */
export interface Target {
  postgres: DrillPostgres;
  redis: DrillRedis;
  log: FacetLog;
  /** The Facet now running (the SIGTERM drill replaces it). */
  facet(): DrillFacet;
  /** Starts a new Facet on the same port, with the same settings. */
  startFacet(): Promise<DrillFacet>;
  /** The database on the drill primary, as a superuser (the system scope: it sees every row). */
  databaseUrl: string;
  databaseName: string;
  /** SHUTDOWN_DELAY_MS and SHUTDOWN_GRACE_MS of the Facet under drill. */
  shutdown: { delayMs: number; graceMs: number };
}

/** One drill's run: the load, and what the fault notes. */
export interface DrillRun {
  target: Target;
  load: Load;
  buyers: readonly Buyer[];
  notes: string[];
  /** Anything the fault wants to tell the report once the load has stopped. */
  after: (() => string[])[];
}

export interface Drill {
  name: string;
  title: string;
  fault(run: DrillRun): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);
const LOOPS = 8;
const OUTAGE_MS = 3000;

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return Date.now() - started;
}

const sigterm: Drill = {
  name: "sigterm",
  title: "SIGTERM under load",
  async fault({ target, notes }) {
    const old = target.facet();
    const workers = old.workerPids();
    const { delayMs, graceMs } = target.shutdown;
    const deadline = delayMs + graceMs;
    const exit = await old.signal("SIGTERM", deadline + 15_000);
    const how = exit.killed
      ? `**had not exited ${exit.ms} ms later: killed (SIGKILL)**`
      : exit.code === 0
        ? `exited on its own with code 0 after ${exit.ms} ms`
        : `**exited on its own after ${exit.ms} ms with ${exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`}**`;
    const within = !exit.killed && exit.ms <= deadline ? "within" : "**not within**";
    notes.push(`SIGTERM to Facet's primary (pid ${old.pid}; workers ${workers.join(", ") || "none found"}): it ${how}, ${within} SHUTDOWN_DELAY_MS ${delayMs} + SHUTDOWN_GRACE_MS ${graceMs} = ${deadline} ms`);
    const left = workers.filter(alive);
    if (left.length) notes.push(`**workers still running after the primary exited: ${left.join(", ")}**`);
    const ms = await timed(() => target.startFacet());
    notes.push(`a new Facet (pid ${target.facet().pid}) answered /readyz ${ms} ms after the old one exited`);
  },
};

const postgresRestart: Drill = {
  name: "postgres-restart",
  title: "PostgreSQL restart (pg_ctl restart -m fast)",
  async fault({ target, notes }) {
    const ms = await timed(() => target.postgres.primary.restart());
    notes.push(`pg_ctl restart -m fast of the primary took ${ms} ms`);
  },
};

const redisRestart: Drill = {
  name: "redis-restart",
  title: "Redis stop and start",
  async fault({ target, notes }) {
    await target.redis.stop("SIGKILL");
    notes.push(`redis-server killed (SIGKILL); started again on the same port ${OUTAGE_MS} ms later`);
    await sleep(OUTAGE_MS);
    const ms = await timed(() => target.redis.start());
    notes.push(`it answered PING ${ms} ms after it was started`);
  },
};

const workerKill: Drill = {
  name: "worker-kill",
  title: "Worker kill (SIGKILL)",
  async fault({ target, notes }) {
    const facet = target.facet();
    const workers = facet.workerPids();
    if (workers.length === 0) throw new Error(`Facet's primary (pid ${facet.pid}) has no workers to kill`);
    const victim = workers[0];
    const killedAt = Date.now();
    process.kill(victim, "SIGKILL");
    let replacement: number | undefined;
    for (let waited = 0; waited < 30_000 && replacement === undefined; waited += 50) {
      await sleep(50);
      replacement = facet.workerPids().find((pid) => !workers.includes(pid));
    }
    const logged = target.log.between(killedAt, Date.now()).find((line) => line.message === "a worker exited; starting another" && line.pid === victim);
    notes.push(
      `SIGKILL to worker pid ${victim} (of ${workers.join(", ")}); ${
        replacement === undefined ? "**no new worker within 30 s**" : `a new worker, pid ${replacement}, ${Date.now() - killedAt} ms later`
      }; ${logged ? `the primary logged "${logged.message}"` : "**the primary logged no 'a worker exited' line naming it**"}`,
    );
    const listening = async () => {
      for (let waited = 0; waited < 30_000; waited += 100) {
        if (target.log.between(killedAt, Date.now()).some((line) => line.message === "Facet is listening")) return Date.now() - killedAt;
        await sleep(100);
      }
      return undefined;
    };
    const ms = await listening();
    notes.push(ms === undefined ? "**the new worker did not log that it listens within 30 s**" : `the new worker logged "Facet is listening" ${ms} ms after the kill`);
  },
};

const TRIGGER = "facet_drill_fail_at_commit";
const MARKER_WRITES = 8;

const commitFailure: Drill = {
  name: "commit-failure",
  title: "COMMIT failure (deferred trigger)",
  async fault({ target, load, buyers, notes }) {
    // A check PostgreSQL makes only at COMMIT, refusing the orders with the marker reference.
    await sql(target.databaseUrl, `CREATE FUNCTION ${TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit (facet drill)'; END $$`);
    const actors: Actor[] = Array.from({ length: MARKER_WRITES }, (_, i) => load.extraActor(`marker-${i}`));
    const buyerOf = (i: number) => buyers[i % buyers.length];
    let records: WriteRecord[];
    try {
      await sql(
        target.databaseUrl,
        `CREATE CONSTRAINT TRIGGER ${TRIGGER} AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.buyer_reference LIKE '${MARKER}%') EXECUTE FUNCTION ${TRIGGER}()`,
      );
      // Each sent once: the answer is what is measured.
      records = await Promise.all(actors.map((who, i) => load.write(who, buyerOf(i), { marker: true, retries: 0 })));
      const answers = records.map((r) => r.attempts[0]);
      const retryable = answers.filter((a) => a.status === 503 && a.retryAfter && a.codes.length === 1 && a.codes[0] === "SERVICE_UNAVAILABLE");
      const saved = await sql<{ n: number }>(target.databaseUrl, `SELECT count(*)::int AS n FROM orders WHERE buyer_reference LIKE $1`, [`${MARKER}%`]);
      const statuses = tally(answers.map((a) => (a.status === 0 ? `no answer (${a.failure})` : `${a.status} ${a.codes.join("+") || (a.number ? "order" : "no error")}${a.retryAfter ? " with Retry-After" : ""}`)));
      notes.push(
        `${records.length} writes with the marker reference while the trigger refused them at COMMIT: ${statuses}; ${
          retryable.length === records.length ? "every one a retryable 503 SERVICE_UNAVAILABLE" : `**${records.length - retryable.length} not a retryable 503 SERVICE_UNAVAILABLE**`
        }; orders saved: ${saved[0].n === 0 ? "0" : `**${saved[0].n}**`}`,
      );
    } finally {
      await sql(target.databaseUrl, `DROP TRIGGER IF EXISTS ${TRIGGER} ON orders`);
      await sql(target.databaseUrl, `DROP FUNCTION IF EXISTS ${TRIGGER}()`);
    }
    // The trigger is gone: the same keys again, as the client told to retry would.
    const firstAttempts = records.map((r) => r.attempts.length);
    await Promise.all(records.map((record, i) => load.sendWrite(actors[i], buyerOf(i), record, MAX_RETRIES)));
    const numbers = records.map((r, i) => r.attempts.slice(firstAttempts[i]).find((a) => a.number)?.number);
    const counts = await sql<{ buyer_reference: string; n: number }>(
      target.databaseUrl,
      `SELECT buyer_reference, count(*)::int AS n FROM orders WHERE buyer_reference = ANY($1) GROUP BY buyer_reference`,
      [records.map((r) => r.reference)],
    );
    const once = records.filter((r) => counts.find((c) => c.buyer_reference === r.reference)?.n === 1).length;
    // And once more: the key must replay its order, not place another.
    const replayFrom = records.map((r) => r.attempts.length);
    await Promise.all(records.map((record, i) => load.sendWrite(actors[i], buyerOf(i), record, 0)));
    const replayed = records.filter((r, i) => numbers[i] !== undefined && r.attempts[replayFrom[i]]?.number === numbers[i]).length;
    notes.push(
      `the trigger dropped, the same ${records.length} keys sent again: ${numbers.filter(Boolean).length} answered with an order; ${
        once === records.length ? `each key has exactly one order` : `**${records.length - once} keys without exactly one order**`
      }; sent once more, ${replayed === records.length ? "each answered with the same order number" : `**${records.length - replayed} not answered with the same order number**`}`,
    );
  },
};

const replicaStop: Drill = {
  name: "replica-stop",
  title: "Replica stop and start",
  async fault({ target, load, notes, after }) {
    const replicaUrl = target.postgres.replica.url(target.databaseName);
    const sessions = await sql<{ n: number }>(
      replicaUrl,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    notes.push(
      sessions[0].n > 0
        ? `before the stop Facet had ${sessions[0].n} connections to the replica (reads go there)`
        : "before the stop Facet had no connection to the replica: this build sends its reads to the primary (DATABASE_REPLICA_URLS not used)",
    );
    const stoppedAt = Date.now();
    const stopMs = await timed(() => target.postgres.replica.stop("fast"));
    await sleep(OUTAGE_MS);
    const startedAt = Date.now();
    await target.postgres.replica.start();
    notes.push(`pg_ctl stop -m fast of the replica took ${stopMs} ms; started again ${startedAt - stoppedAt} ms after the stop began`);
    after.push(() => {
      const reads = load.samples.filter((s) => (s.kind === "orders" || s.kind === "products") && s.sentAt >= stoppedAt && s.sentAt <= startedAt);
      const failed = reads.filter((s) => !s.ok);
      return [
        `reads sent while the replica was down: ${reads.length}, ${failed.length === 0 ? "every one answered" : `**${failed.length} not answered with data** (${tally(failed.map((s) => (s.status === 0 ? `no answer` : `${s.status}${s.codes.length ? ` ${s.codes.join("+")}` : ""}`)))})`}`,
      ];
    });
  },
};

export const DRILLS: readonly Drill[] = [sigterm, postgresRestart, redisRestart, workerKill, commitFailure, replicaStop];

/** What the database holds for the writes: lost acknowledgements, duplicates, answers that never came. */
export async function checkWrites(databaseUrl: string, writes: readonly WriteRecord[]): Promise<WriteCheck> {
  const rows = await sql<{ buyer_reference: string; numbers: string[] }>(
    databaseUrl,
    `SELECT buyer_reference, array_agg(number ORDER BY number) AS numbers FROM orders WHERE buyer_reference = ANY($1) GROUP BY buyer_reference`,
    [writes.map((w) => w.reference)],
  );
  const saved = new Map(rows.map((r) => [r.buyer_reference, r.numbers]));
  const check: WriteCheck = { lost: [], duplicates: [], dropped: [] };
  for (const write of writes) {
    const numbers = saved.get(write.reference) ?? [];
    const number = acknowledged(write);
    if (number !== undefined && !numbers.includes(number)) check.lost.push(write);
    if (numbers.length > 1) check.duplicates.push({ reference: write.reference, orders: numbers.length });
    if (number === undefined && numbers.length > 0) check.dropped.push(write);
  }
  return check;
}

/** Waits (at most a minute) until Facet is ready, Redis answers and the replica streams again. */
export async function settle(target: Target): Promise<string | undefined> {
  const deadline = Date.now() + 60_000;
  let missing = "";
  while (Date.now() < deadline) {
    missing = "";
    const facet = target.facet();
    if (!facet.running) return "Facet is not running";
    try {
      if ((await fetch(new URL("/readyz", facet.url))).status !== 200) missing = "Facet's /readyz";
    } catch {
      missing = "Facet's /readyz";
    }
    if (!missing && !(await redisAnswers(target.redis.port))) missing = "Redis";
    if (!missing && !(await target.postgres.streaming())) missing = "the replica's streaming";
    if (!missing) return undefined;
    await sleep(250);
  }
  return `${missing} not back within 60 s`;
}

/** Log lines at warn or above while the drill ran, and requests Facet answered 5xx, by message. */
function logSummary(target: Target, from: number, to: number): string | undefined {
  const lines = target.log.between(from, to).filter((line) => line.level === "warn" || line.level === "error" || line.level === "fatal" || line.level === "text" || line.message === "request");
  if (lines.length === 0) return undefined;
  const label = (line: (typeof lines)[number]) => (line.message === "request" ? `request answered ${line.status}${line.errorCode ? ` ${line.errorCode}` : ""}` : `${line.level}: ${String(line.message).slice(0, 120)}`);
  return `Facet's log: ${tally(lines.map(label)).replace(/: (\d+)(, |$)/g, " ×$1$2")}`;
}

/** Runs one drill: `seconds` of load with the fault `faultAfterMs` in, then checks. */
export async function runDrill(drill: Drill, target: Target, buyers: readonly Buyer[], seconds: number, faultAfterMs: number): Promise<Row> {
  const load = new Load(() => target.facet().url, buyers);
  const run: DrillRun = { target, load, buyers, notes: [], after: [] };
  const started = Date.now();
  load.start(LOOPS);
  await sleep(faultAfterMs);
  const faultAt = Date.now();
  let faultDoneAt = faultAt;
  const fault = drill.fault(run).then(
    () => {
      faultDoneAt = Date.now();
    },
    (error: unknown) => {
      faultDoneAt = Date.now();
      run.notes.push(`**the fault could not be carried out: ${error instanceof Error ? error.message : String(error)}**`);
    },
  );
  await sleep(Math.max(0, started + seconds * 1000 - Date.now()));
  await fault;
  // A second of load after a fault that outlasted the window, to see the service answer again.
  if (Date.now() < faultDoneAt + 1000) await sleep(faultDoneAt + 1000 - Date.now());
  await load.stop();
  const ended = Date.now();
  for (const more of run.after) run.notes.push(...more());
  const unsettled = await settle(target);
  if (unsettled) run.notes.push(`**after the drill: ${unsettled}**`);

  let check: WriteCheck | undefined;
  try {
    check = await checkWrites(target.databaseUrl, load.writes);
  } catch (error) {
    run.notes.push(`**the writes could not be checked: ${error instanceof Error ? error.message : String(error)}**`);
  }
  run.notes.push(writeSummary(load.writes));
  if (check) {
    for (const w of check.lost) run.notes.push(`**lost: key ${w.key} (${w.reference}) was acknowledged with ${acknowledged(w)}, which the database does not hold**`);
    for (const d of check.duplicates) run.notes.push(`**duplicate: ${d.reference} has ${d.orders} orders**`);
    if (check.dropped.length) {
      run.notes.push(
        `computed but dropped: ${check.dropped.map((w) => `${w.reference} (${w.attempts.map((a) => (a.status === 0 ? `no answer: ${a.failure}` : `${a.status}${a.codes.length ? ` ${a.codes.join("+")}` : ""}`)).join(", ")})`).join("; ")}`,
      );
    }
  }
  const connectionFailures = load.samples.filter((s) => s.status === 0).map((s) => s.failure ?? "?");
  if (connectionFailures.length) run.notes.push(`connection errors: ${tally(connectionFailures)}`);
  const failed500 = load.samples.filter((s) => s.status >= 500 && s.status !== 503);
  if (failed500.length) run.notes.push(`**answers 5xx other than 503: ${tally(failed500.map((s) => `${s.status} ${s.codes.join("+")}`))}**`);
  const internal = load.samples.filter((s) => s.codes.includes("INTERNAL_SERVER_ERROR"));
  if (internal.length) run.notes.push(`**INTERNAL_SERVER_ERROR in ${internal.length} answers**`);
  const logged = logSummary(target, started, ended);
  if (logged) run.notes.push(logged);
  say(`  ${drill.name}: ${load.samples.length} requests in ${((ended - started) / 1000).toFixed(1)} s`);
  return measure(drill.name, drill.title, load.samples, check, faultAt, run.notes);
}
