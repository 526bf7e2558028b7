import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../core/context";
import { Allow } from "../../graphql/access";
import { ConnectionArgs, type ConnectionResult } from "../../graphql/connection";
import { DateTimeScalar } from "../../graphql/scalars";
import { BulkExport } from "./bulk-export.entity";
import { BulkExportConnection, StartBulkExportInput, StartBulkExportPayload } from "./exports.inputs";
import * as service from "./exports.service";

@Resolver(() => BulkExport)
export class BulkExportResolver {
  @Allow(...service.EXPORT_READERS)
  @Mutation(() => StartBulkExportPayload, {
    description:
      "Starts writing your distributor's orders, shipments or catalog to a JSON Lines file in the background; poll `bulkExport(id:)` until it is COMPLETED, then download its `url`. At most two of a distributor's exports run at once.",
  })
  startBulkExport(@Ctx() ctx: RequestContext, @Arg("input", () => StartBulkExportInput) input: StartBulkExportInput): Promise<StartBulkExportPayload> {
    return service.startBulkExport(ctx, input);
  }

  @Allow(...service.EXPORT_READERS)
  @Query(() => BulkExport, { nullable: true, description: "One of your distributor's exports, by id; null when unknown, another distributor's, or of a kind you may not read." })
  bulkExport(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "The export's id." }) id: string): Promise<BulkExport | null> {
    return service.findBulkExport(ctx, id);
  }

  @Allow(...service.EXPORT_READERS)
  @Query(() => BulkExportConnection, { nullable: true, description: "Your distributor's exports of the kinds you may read, newest first." })
  bulkExports(@Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs): Promise<ConnectionResult<BulkExport>> {
    return service.listBulkExports(ctx, args);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where to download the file (GET, no token: the URL is its own credential, so keep it private), signed afresh each time it is read and valid until `urlExpiresAt`; null unless COMPLETED. Relative to the API's origin unless the server has a public URL configured.",
  })
  url(@Ctx() ctx: RequestContext, @Root() bulkExport: BulkExport): string | null {
    return service.downloadOf(ctx, bulkExport)?.url ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: "Until when `url`, as read in the same response, downloads the file (an hour at most, never after `expiresAt`)." })
  urlExpiresAt(@Ctx() ctx: RequestContext, @Root() bulkExport: BulkExport): Date | null {
    return service.downloadOf(ctx, bulkExport)?.expiresAt ?? null;
  }
}
