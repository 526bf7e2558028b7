import type { DataSource } from "typeorm";
import type { Config } from "../../config";
import type { RequestContext } from "../../core/context";
import { withRequestRunner } from "../../db/request-scope";
import { mutate } from "../../graphql/mutation";
import { log } from "../../logger";
import type { Actor } from "../accounts";
import { OrderStatus } from "./order-state";
import { cancelLockedOrders } from "./orders.service";

// A PENDING order holds stock and batch capacity until the exporter confirms it. Unconfirmed for
// PENDING_ORDER_TTL_MINUTES, it expires: the system cancels it, as a cancellation would, and what
// it held goes back to every buyer (the catalog's availability and lead-time quotes read the same
// rows). An order placed from a design brief holds nothing and does not expire.

/** Orders expired in one transaction: a bounded batch, so no sweep holds many locks for long. */
export const EXPIRY_BATCH_SIZE = 100;
/** Batches one sweep runs at most; what is left waits for the next sweep. */
export const EXPIRY_MAX_BATCHES = 20;
/** How often a process sweeps. */
export const SWEEP_INTERVAL_MS = 60_000;

/** Who the history names for an expiry: no person or integration asked for it. */
const SYSTEM: Actor = { userId: null, apiClientId: null, name: "Facet", staff: false };

function duration(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes % 1440 === 0) return plural(minutes / 1440, "day");
  if (minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** The history note of an expiry. */
export function expiryNote(ttlMinutes: number): string {
  return `Expired unconfirmed: not confirmed within ${duration(ttlMinutes)} of placement, so the order was cancelled and its reservations released.`;
}

export interface SweepOptions {
  batchSize?: number;
  maxBatches?: number;
}

/**
 * Runs one sweep: cancels PENDING orders placed longer than PENDING_ORDER_TTL_MINUTES ago, oldest
 * first, a batch per transaction, and returns the ids of the orders it cancelled. It runs outside
 * any request, in the system's database scope (a pool connection of its own, no caller, so
 * row-level security lets it see every distributor's orders). Safe on several processes at once:
 * each batch locks its orders with SKIP LOCKED, so two sweeps take disjoint batches, and an order
 * a confirmation or cancellation holds is left to the next sweep, which finds it in its new status.
 */
export async function expirePendingOrders(dataSource: DataSource, config: Config, options: SweepOptions = {}): Promise<string[]> {
  const batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? EXPIRY_MAX_BATCHES;
  const ttlMinutes = config.reservations.pendingTtlMinutes;
  if (ttlMinutes === 0) return [];
  const note = expiryNote(ttlMinutes);
  return withRequestRunner(dataSource, undefined, async (db) => {
    const system: RequestContext = { requestId: "reservation-sweep", config, principal: null, db, dataSource, loaders: new Map(), ip: undefined };
    const expired: string[] = [];
    for (let batch = 0; batch < maxBatches; batch++) {
      const result = await mutate(system, async (tx) => {
        const orders = (await tx.db.query(
          `SELECT id, status FROM orders
           WHERE status = $1 AND design_brief_id IS NULL AND placed_at < now() - make_interval(mins => $2::int)
           ORDER BY placed_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [OrderStatus.PENDING, ttlMinutes, batchSize],
        )) as { id: string; status: OrderStatus }[];
        await cancelLockedOrders(tx, orders, note, SYSTEM);
        return { ids: orders.map((o) => o.id), userErrors: [] };
      });
      const ids = "ids" in result ? result.ids : [];
      expired.push(...ids);
      if (ids.length < batchSize) break;
    }
    if (expired.length) log.info("expired unconfirmed orders and released their reservations", { orders: expired.length, ttlMinutes });
    return expired;
  });
}

/**
 * Sweeps every SWEEP_INTERVAL_MS (the first time soon after the start) until the returned
 * function is called; that function resolves once a sweep under way has finished, so it must be
 * called before the data source is closed. A failed sweep is logged and the next one tries again.
 */
export function startReservationSweeper(dataSource: DataSource, config: Config, options: SweepOptions & { intervalMs?: number } = {}): () => Promise<void> {
  // PENDING_ORDER_TTL_MINUTES=0: PENDING orders never expire, and nothing sweeps.
  if (config.reservations.pendingTtlMinutes === 0) return async () => undefined;
  const intervalMs = options.intervalMs ?? SWEEP_INTERVAL_MS;
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweep = () => {
    if (stopped || running) return;
    running = expirePendingOrders(dataSource, config, options)
      .then(
        () => undefined,
        (error: unknown) => log.error("the sweep of unconfirmed orders failed; the next one tries again", { error }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  // Processes started together sweep at different moments.
  const first = setTimeout(sweep, Math.floor(Math.random() * Math.min(intervalMs, 10_000)));
  const every = setInterval(sweep, intervalMs);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
