import type { RequestContext } from "../../core/context";
import { RetryAt, type JobHandler } from "../../db/jobs";
import { withRequestRunner } from "../../db/request-scope";
import { SYNC_HORIZON } from "../../db/sql";
import { sql } from "../../db/statements";
import { toGlobalId } from "../../graphql/node";
import { log } from "../../logger";
import { recordEvents } from "../events";
import { statusOf } from "./catalog.service";

// `variant.availability_changed`: what can be had of a variant from stock changed. Stock moves
// with every placement, cancellation and expiry, so the event is gathered per variant into slots
// (AVAILABILITY_EVENT_INTERVAL_MS, a minute by default): each change adds, in its own
// transaction, the one job of its variant's slot (a unique key per variant and slot), due when
// the slot has ended, and that job writes one event with what is available then. The last change of a
// slot is always reported, and at most one event per variant and slot is written.
//
// A transaction that changed stock during a slot may still be open when the slot ends (its job was
// enqueued by an earlier one): the job waits until no transaction begun before the slot's end is
// open (the sync horizon has passed it), then reads the stock, so such a change is in its event.

export const AVAILABILITY_JOB = "catalog.availability";

/** How far the clocks of Facet's processes and of PostgreSQL may disagree; the job waits this much more. */
const CLOCK_ALLOWANCE_SECONDS = 1;
/** A horizon held back longer than this (a transaction left open elsewhere) no longer delays the event. */
const MAX_WAIT_SECONDS = 600;
/** How long a job waits before it looks at the horizon again, times the runs so far (at most 30 s), while a transaction of its slot is open. */
const WAIT_STEP_MS = 1000;
const MAX_WAIT_STEP_MS = 30_000;

/**
 * Call in the transaction that changes the variants' stock on hand or reserved: schedules their
 * `variant.availability_changed` events (see above), in one statement.
 */
export async function availabilityChanged(tx: RequestContext, variantIds: readonly string[]): Promise<void> {
  if (variantIds.length === 0) return;
  const slotMs = tx.config.availabilityEventIntervalMs;
  const slotStart = Math.floor(Date.now() / slotMs) * slotMs;
  const slotEnd = new Date(slotStart + slotMs);
  // One statement for every variant of the change, rather than enqueueJob's one per job; a
  // signed-in request may add jobs but not see them (the jobs table's row-level security), so it
  // names no conflict target. The job is due at the slot's end, so no runner needs waking.
  await sql(
    tx.db,
    `INSERT INTO jobs (kind, payload, unique_key, run_at, max_attempts)
     SELECT $1::varchar, jsonb_build_object('variantId', v, 'slotEnd', $3::text), $1::varchar || ':' || v || ':' || $2::text, CAST($4::text AS timestamptz), $5::int
     FROM unnest($6::uuid[]) AS v ORDER BY v
     ON CONFLICT DO NOTHING`,
    // Due once the slot has ended on every clock; while it waits for the horizon (up to
    // MAX_WAIT_SECONDS), a job runs again and again.
    [AVAILABILITY_JOB, String(slotStart), slotEnd.toISOString(), new Date(slotEnd.getTime() + CLOCK_ALLOWANCE_SECONDS * 1000).toISOString(), 100, [...new Set(variantIds)]],
  );
}

interface Stock {
  id: string;
  product_id: string;
  sku: string;
  discontinued: boolean;
  on_hand: number;
  reserved: number;
  threshold: number;
  /** The data of the variant's last availability event, if any is kept. */
  last: { onHand?: number; reserved?: number; status?: string } | null;
}

/** Writes the availability event of one variant's slot, once the slot's transactions have ended. */
export const AVAILABILITY_EVENTS: JobHandler = {
  kind: AVAILABILITY_JOB,
  async run(job, { dataSource }) {
    const variantId = String(job.payload.variantId);
    const slotEnd = String(job.payload.slotEnd);
    await withRequestRunner(dataSource, undefined, async (db) => {
      // The horizon in a statement of its own, before the stock is read: see readSyncHorizon.
      const [{ settled, overdue }] = await sql<{ settled: boolean; overdue: boolean }>(
        db,
        `SELECT ${SYNC_HORIZON} >= CAST($1 AS timestamptz) + make_interval(secs => $2) AS settled,
                now() > CAST($1 AS timestamptz) + make_interval(secs => $3) AS overdue`,
        [slotEnd, CLOCK_ALLOWANCE_SECONDS, MAX_WAIT_SECONDS],
      );
      if (!settled && !overdue) {
        throw new RetryAt(new Date(Date.now() + Math.min(WAIT_STEP_MS * job.attempt, MAX_WAIT_STEP_MS)), "a transaction begun in the slot is still open");
      }
      if (!settled) log.warn("a transaction held the sync horizon back past an availability slot; the event is written without waiting for it", { variant: variantId, slotEnd });
      const [stock] = await sql<Stock>(
        db,
        `SELECT v.id, v.product_id, v.sku, v.discontinued OR p.discontinued AS discontinued,
                COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.reserved, 0) AS reserved, COALESCE(s.low_stock_threshold, 0) AS threshold,
                (SELECT e.data FROM events e WHERE e.subject_id = v.id AND e.type = $2 ORDER BY e.occurred_at DESC LIMIT 1) AS last
         FROM variants v JOIN products p ON p.id = v.product_id LEFT JOIN stock_levels s ON s.variant_id = v.id
         WHERE v.id = $1`,
        [variantId, "variant.availability_changed"],
      );
      if (!stock) return;
      const available = stock.on_hand - stock.reserved;
      const status = statusOf(stock.discontinued, available, stock.threshold);
      // Changes that cancel out within a slot (a reservation released) tell a partner nothing.
      if (stock.last && stock.last.onHand === stock.on_hand && stock.last.reserved === stock.reserved && stock.last.status === status) return;
      // A job has no request: the system's scope, which may write an event every distributor sees.
      // Nor a configuration of its own: writing events reads only the connection and the data source.
      const system = { requestId: `job-${job.id}`, principal: null, db, dataSource, loaders: new Map(), ip: undefined } as Omit<RequestContext, "config"> as RequestContext;
      await recordEvents(system, [
        {
          type: "variant.availability_changed",
          distributorId: null,
          subjectId: stock.id,
          data: {
            variantId: toGlobalId("Variant", stock.id),
            productId: toGlobalId("Product", stock.product_id),
            sku: stock.sku,
            onHand: stock.on_hand,
            reserved: stock.reserved,
            available,
            status,
          },
        },
      ]);
    });
  },
};
