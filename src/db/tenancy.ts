import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import type { RequestContext } from "../core/context";
import { tenantOf } from "../core/tenancy";

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
