import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { RequestContext } from "../core/context";
import { log } from "../logger";
import { withRequestRunner } from "./request-scope";
import { sql } from "./statements";

// Facet's job runner: a lease loop over the `jobs` table (migrations/1795002110000-jobs.ts).
//
// - A job is claimed with `FOR UPDATE SKIP LOCKED` and leased: the claim commits at once and the
//   job runs with no transaction or connection held (a webhook's HTTP call can take 15 s). Two
//   processes never claim one job; a job whose process died is claimed again once its lease has
//   ended, so every job runs at least once.
// - Finishing a job names its lease: a process whose lease ended and was taken over cannot mark
//   the job done, failed or retried under the new holder.
// - A job that throws is tried again later (`RetryAt` says when; otherwise a growing delay) until
//   it has run `maxAttempts` times; then it is FAILED and kept, with its last error.
// - Periodic work (`every`) is a job per period, enqueued under a unique key by every process, so
//   it runs once per period whatever the number of processes.

export interface Job {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  /** This run's number: 1 the first time. */
  attempt: number;
  maxAttempts: number;
}

export interface JobEnvironment {
  dataSource: DataSource;
}

export interface JobHandler {
  kind: string;
  run(job: Job, env: JobEnvironment): Promise<void>;
  /** How long a run may take before another process may take the job over; 60 s by default. */
  leaseMs?: number;
  /** Enqueued once per period by every runner; absent for jobs only something else enqueues. */
  everyMs?: number;
}

/** Thrown by a handler: try again at `at` (a webhook's `Retry-After`, the next step of a schedule). */
export class RetryAt extends Error {
  constructor(
    readonly at: Date,
    reason: string,
  ) {
    super(reason);
  }
}

export interface EnqueueOptions {
  runAt?: Date;
  /** A second job with the same key is not enqueued while the first is kept. */
  uniqueKey?: string;
  maxAttempts?: number;
}

const DEFAULT_LEASE_MS = 60_000;
const PERIODIC_CHECK_MS = 30_000;
const DONE_KEPT_DAYS = 7;

// Woken when a job is enqueued in this process, so that it starts without waiting for the next poll.
const wakers = new WeakMap<DataSource, Set<() => void>>();

/** Tells this process's job runners on `dataSource` to look for due jobs now (jobs enqueued by SQL of another module). */
export function wakeJobRunners(dataSource: DataSource): void {
  wake(dataSource);
}

function wake(dataSource: DataSource): void {
  for (const w of wakers.get(dataSource) ?? []) w();
}

/**
 * Enqueues a job in the caller's transaction: it exists once that commits, and not if it rolls
 * back. Returns the job's id, or null when its unique key is already taken.
 */
export async function enqueueJob(ctx: RequestContext, kind: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string | null> {
  const id = randomUUID();
  // Through facet_enqueue_job (migrations/1795002110000-jobs.ts): a request may add to the queue but not read it.
  const [{ enqueued }] = await sql<{ enqueued: boolean }>(
    ctx.db,
    `SELECT facet_enqueue_job($1::uuid, $2::varchar, $3::jsonb, $4::varchar, $5::timestamptz, $6::int) AS enqueued`,
    [id, kind, JSON.stringify(payload), options.uniqueKey ?? null, options.runAt?.toISOString() ?? null, options.maxAttempts ?? 5],
  );
  if (!enqueued) return null;
  const dataSource = ctx.dataSource;
  if (ctx.afterCommit) ctx.afterCommit.push(() => wake(dataSource));
  else wake(dataSource);
  return id;
}

/** The delay before the next try of a job that failed for the `attempt`th time: 2^attempt s, at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.min(attempt, 12));
}

export interface RunnerOptions {
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** How often it looks for due jobs when nothing woke it. */
  pollMs?: number;
}

export interface JobRunner {
  /** Looks for due jobs now. */
  wake(): void;
  /** Takes no more jobs and resolves once those under way have finished. */
  stop(): Promise<void>;
}

/** Starts running the handlers' jobs in this process until stop() is called. */
export function startJobRunner(dataSource: DataSource, handlers: readonly JobHandler[], options: RunnerOptions = {}): JobRunner {
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1000;
  const byKind = new Map(handlers.map((h) => [h.kind, h]));
  const kinds = [...byKind.keys()];
  const periodic = handlers.filter((h) => h.everyMs);
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;
  let again = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(look, ms);
    timer.unref();
  };

  const enqueuePeriodic = async (db: EntityManager) => {
    if (periodic.length === 0) return;
    const now = Date.now();
    await sql(
      db,
      `INSERT INTO jobs (kind, unique_key, run_at, max_attempts)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::int[])
       ON CONFLICT (unique_key) DO NOTHING`,
      [
        periodic.map((h) => h.kind),
        periodic.map((h) => `${h.kind}@${Math.floor(now / h.everyMs!)}`),
        periodic.map((h) => new Date(Math.floor(now / h.everyMs!) * h.everyMs!).toISOString()),
        periodic.map(() => 1),
      ],
    );
  };

  const claim = (db: EntityManager, limit: number) =>
    sql<{ id: string; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; lease_token: string }>(
      db,
      // Each job is leased for its own kind's time: a process that dies holds its webhooks for a
      // minute, not for the ten minutes an export may take.
      `UPDATE jobs j SET status = 'RUNNING', attempts = j.attempts + 1, lease_token = gen_random_uuid(),
              leased_until = now() + make_interval(secs => k.lease_ms / 1000.0)
       FROM unnest($1::varchar[], $3::int[]) AS k(kind, lease_ms)
       WHERE j.kind = k.kind AND j.id IN (
         SELECT id FROM jobs
         WHERE kind = ANY($1) AND ((status = 'QUEUED' AND run_at <= now()) OR (status = 'RUNNING' AND leased_until < now()))
         ORDER BY run_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.kind, j.payload, j.attempts, j.max_attempts, j.lease_token`,
      [kinds, limit, kinds.map((kind) => byKind.get(kind)!.leaseMs ?? DEFAULT_LEASE_MS)],
    );

  const finish = (job: Job, token: string, error: unknown) =>
    withRequestRunner(dataSource, undefined, async (db) => {
      if (error === undefined) {
        await sql(db, `UPDATE jobs SET status = 'DONE', finished_at = now(), lease_token = NULL, leased_until = NULL WHERE id = $1 AND lease_token = $2`, [job.id, token]);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const last = job.attempt >= job.maxAttempts;
      const at = error instanceof RetryAt ? error.at : new Date(Date.now() + backoffMs(job.attempt));
      await sql(
        db,
        `UPDATE jobs SET status = $3::varchar, run_at = $4, last_error = left($5, 2000), lease_token = NULL, leased_until = NULL,
                finished_at = CASE WHEN $3::varchar = 'FAILED' THEN now() END
         WHERE id = $1 AND lease_token = $2`,
        [job.id, token, last ? "FAILED" : "QUEUED", at.toISOString(), message],
      );
      if (last) log.error("a job failed for the last time", { kind: job.kind, job: job.id, attempts: job.attempt, error: message });
      else if (!(error instanceof RetryAt)) log.warn("a job failed; it will be tried again", { kind: job.kind, job: job.id, attempt: job.attempt, error: message });
    });

  const start = (row: Awaited<ReturnType<typeof claim>>[number]) => {
    const job: Job = { id: row.id, kind: row.kind, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts };
    const handler = byKind.get(job.kind)!;
    const done = (async () => {
      let failure: unknown = undefined;
      try {
        await handler.run(job, { dataSource });
      } catch (error) {
        failure = error ?? new Error("failed");
      }
      await finish(job, row.lease_token, failure).catch((error: unknown) => log.error("a job's end could not be recorded; its lease will run out", { kind: job.kind, job: job.id, error }));
    })();
    running.add(done);
    void done.finally(() => {
      running.delete(done);
      if (!stopped) wakeUp();
    });
  };

  let lastPeriodic = -Infinity;
  async function lookOnce(): Promise<boolean> {
    const free = concurrency - running.size;
    if (free <= 0) return false;
    const rows = await withRequestRunner(dataSource, undefined, async (db) => {
      // Periods are minutes long at least: looking twice a minute starts each within 30 s of its slot.
      if (Date.now() - lastPeriodic >= PERIODIC_CHECK_MS) {
        lastPeriodic = Date.now();
        await enqueuePeriodic(db);
      }
      return claim(db, free);
    });
    for (const row of rows) start(row);
    return rows.length === free;
  }

  function look(): void {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    looking = (async () => {
      let more = true;
      while (more && !stopped) {
        again = false;
        try {
          more = (await lookOnce()) || again;
        } catch (error) {
          log.warn("the job runner could not look for jobs; it tries again", { error });
          more = false;
        }
      }
    })().finally(() => {
      looking = undefined;
      schedule(pollMs);
    });
  }

  const wakeUp = () => look();
  let set = wakers.get(dataSource);
  if (!set) wakers.set(dataSource, (set = new Set()));
  set.add(wakeUp);
  schedule(Math.floor(Math.random() * Math.min(pollMs, 500)));

  return {
    wake: wakeUp,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      set.delete(wakeUp);
      await looking;
      await Promise.allSettled([...running]);
    },
  };
}

/**
 * A periodic job that deletes a table's rows older than `days` by `column`, once an hour, 5,000
 * at a time (at most half a million a run), so that no run holds many locks for long. `table`
 * and `column` are Facet's own names, never a client's.
 */
export function retentionJob(kind: string, table: string, column: string, days: number): JobHandler {
  const statement = `DELETE FROM ${table} WHERE id IN (
     SELECT id FROM ${table} WHERE ${column} < now() - make_interval(days => $1) ORDER BY ${column} LIMIT 5000)
   RETURNING 1`;
  return {
    kind,
    everyMs: 3_600_000,
    async run(_job, { dataSource }) {
      await withRequestRunner(dataSource, undefined, async (db) => {
        for (let batch = 0; batch < 100; batch++) {
          if ((await sql(db, statement, [days])).length < 5000) break;
        }
      });
    },
  };
}

/** Periodic clean-up of the queue itself: finished jobs are kept a week. */
export const JOBS_CLEANUP: JobHandler = {
  kind: "jobs.cleanup",
  everyMs: 3_600_000,
  async run(_job, { dataSource }) {
    await withRequestRunner(dataSource, undefined, (db) =>
      sql(db, `DELETE FROM jobs WHERE status IN ('DONE', 'FAILED') AND finished_at < now() - make_interval(days => $1)`, [DONE_KEPT_DAYS]),
    );
  },
};
