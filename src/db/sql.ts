import type { DataSource, EntityManager } from "typeorm";

// SQL fragments with one meaning across modules.

// "Today" is the exporter's, never UTC's: see exporterToday in the calendar module, passed to SQL
// as a parameter.

/** An ILIKE pattern matching `text` anywhere, with its own %, _ and \ taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Writers stamp updated_at with their transaction's start time (now()) and commit later, so a
// change can become visible with a time earlier than changes a reader has already seen. A list
// in update order therefore stops short of the oldest transaction still open on the database:
// everything before that horizon is final, and nothing that commits later can land before it.
// (facet_sync_horizon() reads pg_stat_activity with its owner's rights; see the RLS migration.)
export const SYNC_HORIZON = "facet_sync_horizon()";

// A read replica's pg_stat_activity holds its own sessions, not the primary's writers: there the
// horizon is the primary's, as of a point the replica has replayed (see db/replicas.ts).
const horizonSources = new WeakMap<DataSource, () => string>();

/** Makes `source` the sync horizon of `dataSource`'s connections: a read replica's. */
export function takeSyncHorizonFrom(dataSource: DataSource, source: () => string): void {
  horizonSources.set(dataSource, source);
}

/**
 * The sync horizon, read in a statement of its own before the page query. Read inside the page
 * query it comes too late: the query's snapshot is taken first, and a writer that commits between
 * that snapshot and the look at pg_stat_activity is neither open (so the horizon passes its
 * updated_at) nor visible (so the page lacks its row); a reader resuming from a later updatedAt
 * would never see that change. In a READ COMMITTED transaction the next statement's snapshot
 * sees every writer that was no longer open here. Text, so no microsecond is lost in JavaScript.
 * On a read replica it is the replica's (see takeSyncHorizonFrom), and costs no statement.
 */
export async function readSyncHorizon(db: EntityManager): Promise<string> {
  const source = horizonSources.get(db.dataSource);
  if (source) return source();
  const [{ horizon }] = (await db.query(`SELECT ${SYNC_HORIZON}::text AS horizon`)) as { horizon: string }[];
  return horizon;
}
