import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { AuthenticationError } from "../graphql/errors";
import { isStaff, type RequestContext } from "../graphql/context";

/**
 * The distributor whose rows this request may see, or null when the caller is staff and sees
 * every distributor. Anonymous callers never get this far.
 */
export function tenantOf(ctx: RequestContext): string | null {
  const principal = ctx.principal;
  if (!principal) throw new AuthenticationError();
  if (isStaff(principal)) return null;
  if (!principal.distributorId) throw new Error("a non-staff principal without a distributor");
  return principal.distributorId;
}

/**
 * A query over a tenant-owned table, already limited to the caller's distributor. The tenant
 * predicate is the first WHERE and the data source isolates every later andWhere() in
 * parentheses, so no filter added afterwards can widen it.
 */
export function tenantQuery<T extends ObjectLiteral>(
  ctx: RequestContext,
  entity: EntityTarget<T>,
  alias: string,
  distributorColumn = "distributorId",
): SelectQueryBuilder<T> {
  const qb = ctx.db.createQueryBuilder(entity, alias);
  const tenant = tenantOf(ctx);
  return tenant === null ? qb.where("TRUE") : qb.where(`${alias}.${distributorColumn} = :tenantId`, { tenantId: tenant });
}
