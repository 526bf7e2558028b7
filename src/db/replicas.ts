import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import type { Config } from "../config";
import { log } from "../logger";
import type { RequestObservation } from "../observability/observation";
import { createDataSource, poolSettingsOf } from "./data-source";
import { endRequestRunner, requestRunner } from "./request-scope";
import { SYNC_HORIZON, takeSyncHorizonFrom } from "./sql";
import { sql } from "./statements";
import { openWriteMarks, type WriteMark, type WriteMarks } from "./write-marks";

// Read replicas (DATABASE_REPLICA_URLS): PostgreSQL streaming replicas that answer read-only
// operations, so that reads can grow past one server. Writes, and every read of a request that
// may write, stay on the primary.
//
// A health check measures each replica about every second: whether it answers, and how far its
// replay trails the primary. Lag is measured in time from WAL positions, not with
// pg_last_xact_replay_timestamp() (which grows while the primary is idle and nothing is left to
// replay): the check keeps the primary's position as it was at each check, and a replica that has
// not replayed the position the primary had REPLICA_MAX_LAG_MS ago is lagging. A replica that
// does not answer, lags or fails a request is out of use until a check finds it well; with none in
// use, reads go to the primary. Reads take the replicas in use in turn.
//
// Read-your-writes: a request that may write marks its caller's last write (the primary's WAL
// position once it is done, see write-marks.ts), and that caller's reads go to a replica only once
// it has replayed the mark, which the request waits for up to REPLICA_WAIT_MS; else to the primary.
//
// Incremental sync (updatedSince) stops at the sync horizon, the start of the oldest transaction
// still open (see db/sql.ts), which a replica cannot see: its pg_stat_activity holds its own
// sessions. Each check reads the primary's horizon, then its WAL position: a transaction that
// began before that horizon had committed by then, at a position before the one read after. So
// a replica that has replayed a check's position holds everything before that check's horizon,
// and it is the replica's horizon.

/** A WAL position ("16/B374D848") as a number. */
function lsnOf(text: string): bigint {
  const [high, low] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

const lsnText = (lsn: bigint) => `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;

/** Past any position: a write whose position could not be read sends its caller's reads to the primary until its mark expires. */
const UNKNOWN_POSITION = (1n << 64n) - 1n;

/** How long a caller's write is marked: by then any replica in use has replayed it (see `ttlOf`). */
const MIN_MARK_MS = 60_000;

/** How often a request that waits for a replica to replay its caller's write asks again. */
const REPLAY_POLL_MS = 20;

type ReplicaState = "starting" | "in use" | "lagging" | "down";

class Replica {
  state: ReplicaState = "starting";
  /** The position it had replayed at its last check. */
  replayed = 0n;
  /** Its sync horizon: the primary's at the newest check it has replayed; before any, one that holds nothing. */
  syncHorizon = "-infinity";
  /** Its check under way, if any. */
  checking: Promise<void> | undefined;

  constructor(
    /** Host, port and database: the URL without its credentials, for logs and /readyz. */
    readonly name: string,
    readonly dataSource: DataSource,
  ) {}

  /** Moves to `state`, logging the change. */
  enter(state: ReplicaState, detail: Record<string, unknown> = {}): void {
    if (state === this.state) return;
    const was = this.state;
    this.state = state;
    if (state === "in use") log.info("a read replica is in use", { replica: this.name, was });
    else if (was !== "starting" || state === "down") log.warn(`a read replica is out of use (${state}); reads go to the other replicas or the primary`, { replica: this.name, ...detail });
  }
}

/** The primary at one check: its sync horizon, and its WAL position read after it. */
interface Sample {
  atMs: number;
  horizon: string;
  lsn: bigint;
}

export class ReplicaSet {
  /** The primary at each check, oldest first: the newest check older than the lag bound, and those since. */
  private readonly history: Sample[] = [];
  private turn = 0;
  private timer: NodeJS.Timeout | undefined;
  private checked: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly primary: DataSource,
    private readonly replicas: readonly Replica[],
    private readonly marks: WriteMarks,
    private readonly settings: Config["replicas"],
  ) {}

  /** Checks now, then every second (or half the lag bound, if that is shorter), until closed. */
  start(): void {
    const everyMs = Math.min(1000, this.settings.maxLagMs / 2);
    const next = () => {
      if (this.closed) return;
      this.checked = this.check().finally(() => {
        if (!this.closed) this.timer = setTimeout(next, everyMs).unref();
      });
    };
    next();
  }

  /** "2 of 2 in use", naming those out of use, for /readyz. */
  describe(): string {
    const inUse = this.replicas.filter((r) => r.state === "in use").length;
    const out = this.replicas.filter((r) => r.state !== "in use").map((r) => `${r.name} ${r.state}`);
    return `${inUse} of ${this.replicas.length} in use${out.length > 0 ? ` (${out.join(", ")})` : ""}`;
  }

  /**
   * A runner for a read by `principalId`, its connection taken on a replica in use that has
   * replayed the principal's last write; undefined when the read goes to the primary (none in use,
   * the mark unknown, the write not replayed within REPLICA_WAIT_MS, or the replica failed).
   */
  async reader(principalId: string, observation: RequestObservation | undefined): Promise<QueryRunner | undefined> {
    const inUse = this.replicas.filter((r) => r.state === "in use");
    if (inUse.length === 0) return undefined;
    const mark = await this.marks.latest(principalId);
    if (mark === "unknown") return undefined;
    const start = this.turn++ % inUse.length;
    const ordered = [...inUse.slice(start), ...inUse.slice(0, start)];
    // The next in turn that its last check shows has replayed the mark, else the next in turn, asked.
    const replica = ordered.find((r) => replayed(r, mark)) ?? ordered[0];
    const runner = requestRunner(replica.dataSource, observation);
    try {
      await runner.connect();
      if (typeof mark === "bigint" && !replayed(replica, mark) && !(await this.waitForReplay(runner.manager, mark))) {
        await endRequestRunner(runner);
        return undefined;
      }
      return runner;
    } catch (error) {
      await endRequestRunner(runner);
      this.failed(runner, error);
      return undefined;
    }
  }

  /** A request's runner on a replica failed: the replica is out of use until a check finds it well. */
  failed(runner: QueryRunner, error: unknown): void {
    this.replicas.find((r) => r.dataSource === runner.dataSource)?.enter("down", { error });
  }

  /**
   * After a request that may have written: keeps the primary's WAL position, read on the
   * request's connection once its work is done (committed), as its caller's last write.
   */
  async markWrites(db: EntityManager, principalId: string): Promise<void> {
    let lsn = UNKNOWN_POSITION;
    try {
      const [row] = await sql<{ lsn: string }>(db, "SELECT pg_current_wal_lsn()::text AS lsn");
      lsn = lsnOf(row.lsn);
    } catch (error) {
      log.warn("the primary's WAL position could not be read; the caller reads from the primary for a while", { error });
    }
    await this.marks.record(principalId, lsn);
  }

  /** Whether the replica behind `db` replays `mark` within REPLICA_WAIT_MS. */
  private async waitForReplay(db: EntityManager, mark: bigint): Promise<boolean> {
    const giveUpAt = Date.now() + this.settings.readYourWritesWaitMs;
    for (;;) {
      const [{ replayed }] = await sql<{ replayed: boolean }>(db, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed", [lsnText(mark)]);
      const left = giveUpAt - Date.now();
      if (replayed || left <= 0) return replayed;
      await new Promise((resolve) => setTimeout(resolve, Math.min(REPLAY_POLL_MS, left)));
    }
  }

  /** One health check: the primary's horizon and position, then each replica's replay against the lag bound. */
  private async check(): Promise<void> {
    try {
      const atMs = Date.now();
      const [{ horizon }] = (await this.primary.query(`SELECT ${SYNC_HORIZON}::text AS horizon`)) as { horizon: string }[];
      const [{ lsn }] = (await this.primary.query("SELECT pg_current_wal_lsn()::text AS lsn")) as { lsn: string }[];
      this.remember({ atMs, horizon, lsn: lsnOf(lsn) });
    } catch (error) {
      // Nothing is written while the primary does not answer: the replicas cannot fall behind.
      log.debug("the primary could not be read for the replicas' health check", { error });
    }
    // A replica whose last check has not answered yet keeps its state until it does; the others
    // are not held up by it.
    for (const replica of this.replicas) {
      replica.checking ??= this.measure(replica).finally(() => (replica.checking = undefined));
    }
  }

  private remember(sample: Sample): void {
    this.history.push(sample);
    const bound = sample.atMs - this.settings.maxLagMs;
    while (this.history.length > 1 && this.history[1].atMs <= bound) this.history.shift();
  }

  private async measure(replica: Replica): Promise<void> {
    try {
      if (!replica.dataSource.isInitialized) await replica.dataSource.initialize();
      const [row] = (await replica.dataSource.query("SELECT pg_last_wal_replay_lsn()::text AS lsn")) as { lsn: string | null }[];
      if (row.lsn === null) return replica.enter("down", { reason: "it is not in recovery: not a streaming replica" });
      replica.replayed = lsnOf(row.lsn);
      if (this.history.length === 0) return;
      // In use once it has replayed the primary's position at the newest check at least
      // REPLICA_MAX_LAG_MS ago (the oldest kept), or at a later one.
      const newest = this.history.findLast((sample) => sample.lsn <= replica.replayed);
      if (newest) replica.syncHorizon = newest.horizon;
      replica.enter(newest ? "in use" : "lagging", { replayed: row.lsn, required: lsnText(this.history[0].lsn), maxLagMs: this.settings.maxLagMs });
    } catch (error) {
      replica.enter("down", { error });
    }
  }

  /** Stops the checks, then closes the replicas' pools and the marks. */
  async close(): Promise<void> {
    this.closed = true;
    sets.delete(this.primary);
    clearTimeout(this.timer);
    await this.checked;
    await Promise.all(this.replicas.map((r) => r.checking));
    await Promise.all(this.replicas.map((r) => (r.dataSource.isInitialized ? r.dataSource.destroy() : undefined)));
    await this.marks.close();
  }
}

/** Whether the replica's last check shows it has replayed the mark. */
const replayed = (replica: Replica, mark: WriteMark): boolean => mark === null || (typeof mark === "bigint" && replica.replayed >= mark);

/**
 * How long a write is marked: past twice the lag bound, a replica in use has replayed it (it has
 * replayed what the primary had at a check at most the bound and a check interval before), but
 * never less than a minute.
 */
const ttlOf = (settings: Config["replicas"]) => Math.max(MIN_MARK_MS, 2 * settings.maxLagMs);

/** The replica set of each primary data source that has one. */
const sets = new WeakMap<DataSource, ReplicaSet>();

/** The replicas that read-only operations on `primary` may be answered from; undefined without DATABASE_REPLICA_URLS. */
export const replicasOf = (primary: DataSource): ReplicaSet | undefined => sets.get(primary);

function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

/**
 * Opens the replicas of DATABASE_REPLICA_URLS for `primary`: a data source each, made as the
 * primary's, and their health checks. It waits for none of them: a replica that does not answer
 * is out of use until it does, and Facet starts and is ready without it.
 */
export async function openReplicas(config: Config, primary: DataSource, entities: Function[], applicationName = "facet-replica"): Promise<ReplicaSet | undefined> {
  if (config.replicas.urls.length === 0) return undefined;
  const replicas = config.replicas.urls.map(
    (url) =>
      new Replica(
        nameOf(url),
        createDataSource({
          url,
          entities,
          embedded: false,
          ...poolSettingsOf(config),
          applicationName,
        }),
      ),
  );
  for (const replica of replicas) takeSyncHorizonFrom(replica.dataSource, () => replica.syncHorizon);
  const set = new ReplicaSet(primary, replicas, await openWriteMarks(config.redisUrl, ttlOf(config.replicas)), config.replicas);
  sets.set(primary, set);
  set.start();
  return set;
}
