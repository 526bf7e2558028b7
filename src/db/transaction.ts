import type { RequestContext } from "../core/context";
import { log } from "../logger";

/** The isolation levels a transaction may ask for (those PostgreSQL has). */
export type IsolationLevel = "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

/**
 * A transaction whose COMMIT failed (the connection went, a deferred check refused): nothing of it
 * was saved, and an answer must not say otherwise. The failure is in `cause`.
 */
export class CommitFailed extends Error {
  constructor(cause: unknown) {
    super("The transaction could not be committed; nothing of it was saved", { cause });
  }
}

/** Runs what a committed transaction asked for; one hook's failure neither stops the others nor the answer. */
function runHooks(hooks: (() => void)[]): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      log.error("work after a commit failed", { error });
    }
  }
}

/**
 * Runs `work` in one transaction with a context whose `db` is the transaction; anything thrown
 * rolls it back. Inside a transaction already open on the connection, the work runs in a
 * savepoint, so it still rolls back alone. The transaction commits before this returns; a commit
 * that fails throws CommitFailed, never the work's result.
 *
 * What the work asks to run after the commit (`afterCommit`) runs once the outermost transaction
 * has committed; a savepoint that rolls back drops what it asked.
 */
export async function withTransaction<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
  isolation: IsolationLevel = "READ COMMITTED",
): Promise<T> {
  const runner = ctx.db.queryRunner;
  const hooks: (() => void)[] = [];
  const outer = ctx.afterCommit;
  const done = (result: T): T => {
    if (outer) outer.push(...hooks);
    else runHooks(hooks);
    return result;
  };
  // Loaders cache what they read; a fresh set keeps the transaction's view separate.
  if (!runner) {
    return done(await ctx.db.transaction(isolation, (manager) => work({ ...ctx, db: manager, loaders: new Map(), afterCommit: hooks })));
  }
  await runner.startTransaction(isolation);
  let result: T;
  try {
    result = await work({ ...ctx, db: runner.manager, loaders: new Map(), afterCommit: hooks });
  } catch (error) {
    // A rollback that fails too (the connection went) must not hide why the work failed: that is
    // what the client is told (a lost connection is a reason to retry, not an internal error).
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  }
  try {
    await runner.commitTransaction();
  } catch (error) {
    // PostgreSQL ends a transaction whose COMMIT failed; a savepoint's release that failed leaves
    // the outer transaction to roll back. Either way nothing of the work stands.
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw new CommitFailed(error);
  }
  return done(result);
}
