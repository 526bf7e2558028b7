// SQL fragments with one meaning across modules.

/** Today's date in UTC: the one definition of "today" shared with the services. */
export const SQL_TODAY_UTC = "(now() AT TIME ZONE 'UTC')::date";

/** The same "today" in JavaScript, YYYY-MM-DD. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

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
