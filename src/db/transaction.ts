import type { IsolationLevel } from "typeorm/driver/types/IsolationLevel";
import type { RequestContext } from "../graphql/context";
import { Rejected, type UserError } from "../graphql/user-error";

/**
 * Runs `work` in one transaction with a context whose `db` is the transaction; anything thrown
 * rolls it back. Nested calls join the transaction that is already open.
 */
export async function withTransaction<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
  isolation: IsolationLevel = "READ COMMITTED",
): Promise<T> {
  if (ctx.db.queryRunner?.isTransactionActive) return work(ctx);
  return ctx.dataSource.transaction(isolation, (manager) =>
    // Loaders cache what they read; a fresh set keeps the transaction's view separate.
    work({ ...ctx, db: manager, loaders: new Map() }),
  );
}

/**
 * A mutation's unit of work: on success its payload; when the work throws `Rejected`, nothing is
 * written and the payload carries only the user errors.
 */
export async function mutate<P extends { userErrors: UserError[] }>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<P>,
  isolation?: IsolationLevel,
): Promise<P | { userErrors: UserError[] }> {
  try {
    return await withTransaction(ctx, work, isolation);
  } catch (error) {
    if (error instanceof Rejected) return { userErrors: error.userErrors };
    throw error;
  }
}
