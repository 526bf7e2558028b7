import { Field, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { DateTimeScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { BulkExport, BulkExportKind } from "./bulk-export.entity";

export const BulkExportConnection = Connection(BulkExport);

@InputType({ description: "What to export." })
export class StartBulkExportInput {
  @Field(() => BulkExportKind, { description: "Orders, shipments or the catalog. API clients need the kind's read scope." })
  kind: BulkExportKind;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Only objects changed at or after this time (not in the future): the `horizon` of your last export, to continue a sync. Every object when absent.",
  })
  updatedSince?: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `startBulkExport`." })
export class StartBulkExportPayload extends Payload {
  @Field(() => BulkExport, { nullable: true, description: "The export, QUEUED: poll `bulkExport(id:)` until it is COMPLETED." })
  bulkExport?: BulkExport | null;
}
