import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import { SIGNED_IN } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { Allow } from "../../graphql/access";
import { Connection, ConnectionArgs, type ConnectionResult } from "../../graphql/connection";
import { Event } from "./event.entity";
import * as events from "./events.service";

export const EventConnection = Connection(Event);

@Resolver()
export class EventsResolver {
  @Allow(SIGNED_IN)
  @Query(() => EventConnection, {
    nullable: true,
    description:
      "Your distributor's events of the last 30 days and the shared catalog's (staff: everyone's), oldest first, of the types you may read: what webhooks deliver, to reconcile with. Keep `pageInfo.endCursor` and read on from it.",
  })
  events(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("types", () => [String], { nullable: true, description: "Only these types (e.g. `order.status_changed`); all you may read when absent." }) types?: string[] | null,
  ): Promise<ConnectionResult<Event>> {
    return events.listEvents(ctx, args, types);
  }
}
