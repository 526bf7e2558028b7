import type { RequestContext } from "../core/context";

/** The isolation levels a transaction may ask for (those PostgreSQL has). */
export type IsolationLevel = "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

/**
 * Runs `work` in one transaction with a context whose `db` is the transaction; anything thrown
 * rolls it back. Inside a transaction already open on the connection, the work runs in a
 * savepoint, so it still rolls back alone.
 */
export async function withTransaction<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
  isolation: IsolationLevel = "READ COMMITTED",
): Promise<T> {
  return ctx.db.transaction(isolation, (manager) =>
    // Loaders cache what they read; a fresh set keeps the transaction's view separate.
    work({ ...ctx, db: manager, loaders: new Map() }),
  );
}
