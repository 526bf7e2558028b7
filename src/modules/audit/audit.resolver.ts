import { Arg, Args, Ctx, Field, ID, InputType, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { Roles } from "../../core/access";
import { Connection, ConnectionArgs, paginate, type Ordering } from "../../graphql/connection";
import type { RequestContext } from "../../core/context";
import { BadUserInputError } from "../../graphql/errors";
import { idOfType } from "../../graphql/node";
import { AuditEntry } from "./audit-entry.entity";

export const AuditEntryConnection = Connection(AuditEntry);

@InputType({ description: "Filters for the audit log." })
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: "Only this staff member's writes." })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: "Only this table, e.g. orders." })
  table?: string | null;

  @Field(() => String, { nullable: true, description: "Only this row (its database id)." })
  rowKey?: string | null;
}

const NEWEST: Ordering<AuditEntry> = { name: "newest", keys: [{ sql: "a.seq", direction: "DESC", value: (a) => a.seq }], id: "a.id" };

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Allow(...Roles.STAFF)
  @Query(() => AuditEntryConnection, { nullable: true, description: "Every write by exporter staff, newest first, with the row before and after. Staff only." })
  auditLog(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => AuditLogFilter, { nullable: true, description: "Narrows the list." }) filter?: AuditLogFilter,
  ) {
    const qb = ctx.db.createQueryBuilder(AuditEntry, "a").where("TRUE");
    if (filter?.actorId) {
      const actor = idOfType(filter.actorId, "User");
      if (!actor) throw new BadUserInputError("filter", "filter.actorId is not a user id");
      qb.andWhere("a.actorUserId = :actor", { actor });
    }
    if (filter?.table) qb.andWhere("a.tableName = :table", { table: filter.table });
    if (filter?.rowKey) qb.andWhere("a.rowKey = :rowKey", { rowKey: filter.rowKey });
    return paginate(ctx.db, AuditEntry, qb, args, NEWEST);
  }
}
