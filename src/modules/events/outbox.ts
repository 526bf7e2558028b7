import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../core/context";
import { wakeJobRunners } from "../../db/jobs";
import { sql } from "../../db/statements";
import { eventBusOf, type PublishedEvent } from "./bus";
import { isSharedEventType, type EventType } from "./event-types";

/** An event to write: its type, its distributor (null: every distributor's), its subject and a thin payload. */
export interface NewEvent {
  type: EventType;
  distributorId: string | null;
  /** The database id of the object the event is about. */
  subjectId?: string | null;
  /** Ids (global, as the API gives them) and the fields that changed; never a whole object. */
  data: Record<string, unknown>;
}

/** The jobs that send webhooks (src/modules/webhooks): one per delivery, and one that fans a shared event out. */
export const WEBHOOK_JOBS = { deliver: "webhooks.deliver", fanOut: "webhooks.fan_out" } as const;
/**
 * Runs a delivery job may take: one per attempt of the retry schedule, with room for runs cut
 * short by a process that died (the delivery itself counts its attempts).
 */
export const WEBHOOK_JOB_MAX_RUNS = 50;

/**
 * Writes events to the outbox in the caller's transaction, in one statement: they commit with the
 * change they tell of, or not at all. Live subscribers hear of them once the transaction has
 * committed (see `afterCommit` in db/transaction.ts); outside a transaction, at once.
 *
 * The same statement writes the webhook deliveries of a distributor's event (one per enabled
 * endpoint of that distributor subscribed to its type) and a job to send each, so that a
 * committed event is always delivered and a rolled-back one never is. An event of the shared
 * catalog (no distributor) goes to every distributor's endpoints, which a distributor's own
 * request may not see (row-level security): it gets a fan-out job instead, enqueued here as well,
 * which writes those deliveries in the system's scope once the transaction has committed.
 */
export async function recordEvents(tx: RequestContext, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  // An event without a distributor is every distributor's: only the shared catalog's may be.
  const misplaced = events.find((e) => (e.distributorId === null) !== isSharedEventType(e.type));
  if (misplaced) throw new Error(`a ${misplaced.type} event ${misplaced.distributorId === null ? "needs" : "belongs to no"} distributor`);
  const ids = events.map(() => randomUUID());
  // now() is the transaction's start, the same for every event it writes.
  const [{ occurred_at: occurredAt, queued }] = await sql<{ occurred_at: Date; queued: number }>(
    tx.db,
    `WITH incoming AS (
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::uuid[], $5::jsonb[]) AS e (id, type, distributor_id, subject_id, data)
     ), written AS (
       INSERT INTO events (id, type, distributor_id, subject_id, data)
       SELECT id, type, distributor_id, subject_id, data FROM incoming
       RETURNING occurred_at
     ), deliveries AS (
       INSERT INTO webhook_deliveries (distributor_id, endpoint_id, event_id, event_type)
       SELECT w.distributor_id, w.id, i.id, i.type
       FROM incoming i JOIN webhook_endpoints w ON w.distributor_id = i.distributor_id AND w.enabled AND i.type = ANY(w.event_types)
       RETURNING id
     ), queued AS (
       INSERT INTO jobs (kind, payload, max_attempts)
       SELECT $6::varchar, jsonb_build_object('delivery', id), $8::int FROM deliveries
       UNION ALL
       SELECT $7::varchar, jsonb_build_object('events', jsonb_agg(id)), 5 FROM incoming WHERE distributor_id IS NULL HAVING count(*) > 0
     )
     -- A request may add jobs but not read them back: what was queued is counted from what it sees.
     SELECT (SELECT min(occurred_at) FROM written) AS occurred_at,
            (SELECT count(*) FROM deliveries)::int + (SELECT count(*) FROM incoming WHERE distributor_id IS NULL)::int AS queued`,
    [
      ids,
      events.map((e) => e.type),
      events.map((e) => e.distributorId),
      events.map((e) => e.subjectId ?? null),
      events.map((e) => JSON.stringify(e.data)),
      WEBHOOK_JOBS.deliver,
      WEBHOOK_JOBS.fanOut,
      WEBHOOK_JOB_MAX_RUNS,
    ],
  );
  // This process's job runner starts the deliveries once they are committed, without waiting to poll.
  if (queued > 0) {
    const dataSource = tx.dataSource;
    if (tx.afterCommit) tx.afterCommit.push(() => wakeJobRunners(dataSource));
    else wakeJobRunners(dataSource);
  }
  const bus = eventBusOf(tx.dataSource);
  if (!bus) return;
  const published: PublishedEvent[] = events.map((event, i) => ({
    id: ids[i],
    type: event.type,
    distributorId: event.distributorId,
    subjectId: event.subjectId ?? null,
    occurredAt: new Date(occurredAt).toISOString(),
    data: event.data,
  }));
  if (tx.afterCommit) tx.afterCommit.push(() => bus.publish(published));
  else bus.publish(published);
}
