import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../core/context";
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

/**
 * Writes events to the outbox in the caller's transaction, in one statement: they commit with the
 * change they tell of, or not at all. Live subscribers hear of them once the transaction has
 * committed (see `afterCommit` in db/transaction.ts); outside a transaction, at once.
 */
export async function recordEvents(tx: RequestContext, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  // An event without a distributor is every distributor's: only the shared catalog's may be.
  const misplaced = events.find((e) => (e.distributorId === null) !== isSharedEventType(e.type));
  if (misplaced) throw new Error(`a ${misplaced.type} event ${misplaced.distributorId === null ? "needs" : "belongs to no"} distributor`);
  const ids = events.map(() => randomUUID());
  // now() is the transaction's start, the same for every event it writes.
  const [{ occurred_at: occurredAt }] = await sql<{ occurred_at: Date }>(
    tx.db,
    `WITH written AS (
       INSERT INTO events (id, type, distributor_id, subject_id, data)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::uuid[], $5::jsonb[])
       RETURNING occurred_at
     )
     SELECT min(occurred_at) AS occurred_at FROM written`,
    [ids, events.map((e) => e.type), events.map((e) => e.distributorId), events.map((e) => e.subjectId ?? null), events.map((e) => JSON.stringify(e.data))],
  );
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
