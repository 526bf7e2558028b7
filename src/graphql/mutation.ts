import { QueryFailedError } from "typeorm";
import type { RequestContext } from "../core/context";
import { CommitFailed, withTransaction, type IsolationLevel } from "../db/transaction";
import { Rejected, UserErrorCode, userError, type UserError } from "./user-error";

export interface MutateOptions {
  isolation?: IsolationLevel;
  /**
   * Unique indexes the work may collide with, by name, and the input field each one guards. A
   * concurrent writer can win the race after the work's own check; the loser then gets a TAKEN
   * user error instead of an internal error.
   */
  unique?: Record<string, { field: string[]; message: string }>;
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === "23505" ? driverError.constraint : undefined;
}

// Contention that a second try usually gets past: a lock not granted within lock_timeout, a
// deadlock PostgreSQL broke by cancelling this side, a serialization failure.
const RETRYABLE = new Set(["55P03", "40P01", "40001"]);
const ATTEMPTS = 3;

function retryable(error: unknown): boolean {
  // A conflict PostgreSQL reports at COMMIT (a serialization failure) is retried like any other.
  const failed = error instanceof CommitFailed ? error.cause : error;
  return failed instanceof QueryFailedError && RETRYABLE.has((failed.driverError as { code?: string }).code ?? "");
}

/**
 * A mutation's unit of work: on success its payload; when the work throws `Rejected`, nothing is
 * written and the payload carries only the user errors. Work that lost a lock race is rolled back
 * and run again (it runs in its own transaction or savepoint, so nothing of the lost try remains),
 * up to three times with a short random pause, before the failure is reported.
 */
export async function mutate<P extends { userErrors: UserError[] }>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<P>,
  options: MutateOptions = {},
): Promise<P | { userErrors: UserError[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(ctx, work, options.isolation);
    } catch (error) {
      if (error instanceof Rejected) return { userErrors: error.userErrors };
      const constraint = uniqueViolation(error);
      const known = constraint ? options.unique?.[constraint] : undefined;
      if (known) return { userErrors: userError(known.field, known.message, UserErrorCode.TAKEN) };
      if (attempt < ATTEMPTS && retryable(error)) {
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
        continue;
      }
      throw error;
    }
  }
}
