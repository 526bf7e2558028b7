// SQL fragments with one meaning across modules.

/** Today's date in UTC: the one definition of "today" shared with the services. */
export const SQL_TODAY_UTC = "(now() AT TIME ZONE 'UTC')::date";

// Writers stamp updated_at with their transaction's start time (now()) and commit later, so a
// change can become visible with a time earlier than changes a reader has already seen. A list
// in update order therefore stops short of the oldest transaction still open on the database:
// everything before that horizon is final, and nothing that commits later can land before it.
export const SYNC_HORIZON = `((SELECT COALESCE(min(a.xact_start), now()) FROM pg_stat_activity a
  WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL) - interval '1 millisecond')`;
