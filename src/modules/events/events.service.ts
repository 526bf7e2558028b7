import { permits } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { tenantOf } from "../../core/tenancy";
import { retentionJob } from "../../db/jobs";
import { readSyncHorizon } from "../../db/sql";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { BadUserInputError } from "../../graphql/errors";
import { Event } from "./event.entity";
import { ALL_EVENT_TYPES, EVENT_TYPES, isEventType, type EventType } from "./event-types";

/** How long events are kept, for reconciliation and for webhook retries. */
export const EVENT_RETENTION_DAYS = 30;

// Oldest first: a partner reads on from where it stopped.
const IN_ORDER: Ordering<Event> = { name: "occurred", keys: [{ sql: "e.occurredAt", direction: "ASC", value: (e) => e.occurredAt }], id: "e.id" };

/** The event types the caller may read: those of the domains it may read. */
export function readableEventTypes(ctx: RequestContext): EventType[] {
  return ALL_EVENT_TYPES.filter((type) => permits(ctx, EVENT_TYPES[type].readers));
}

/** Checks a list of event types given by a client; every unknown one is named. */
export function checkEventTypes(types: readonly string[], argument: string): EventType[] {
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length > 0) {
    throw new BadUserInputError(argument, `Unknown event types: ${unknown.map((t) => JSON.stringify(t)).join(", ")}; the types are ${ALL_EVENT_TYPES.join(", ")}`);
  }
  return [...new Set(types)] as EventType[];
}

/**
 * The caller's events of the last 30 days, oldest first, for reconciliation: its distributor's and
 * the shared catalog's (staff: everyone's), of the types it may read, and only those whose
 * transaction can no longer be overtaken by one still open (the sync horizon), so that a partner
 * that reads on from its last cursor never passes over an event committed late.
 */
export async function listEvents(ctx: RequestContext, args: ConnectionArgs, types: readonly string[] | null | undefined): Promise<ConnectionResult<Event>> {
  const asked = types?.length ? checkEventTypes(types, "types") : ALL_EVENT_TYPES;
  const readable = new Set(readableEventTypes(ctx));
  const allowed = asked.filter((type) => readable.has(type));
  const qb = ctx.db.createQueryBuilder(Event, "e");
  const tenant = tenantOf(ctx);
  if (tenant === null) qb.where("TRUE");
  else qb.where("(e.distributorId = :tenantId OR e.distributorId IS NULL)", { tenantId: tenant });
  qb.andWhere("e.type = ANY(:types)", { types: allowed })
    .andWhere(`e.occurredAt > now() - interval '${EVENT_RETENTION_DAYS} days'`)
    .andWhere("e.occurredAt < CAST(:horizon AS timestamptz)", { horizon: await readSyncHorizon(ctx.db) });
  return paginate(ctx.db, Event, qb, args, IN_ORDER);
}

/** Deletes the events older than the retention, a batch at a time, once an hour. */
export const EVENTS_RETENTION = retentionJob("events.retention", "events", "occurred_at", EVENT_RETENTION_DAYS);
