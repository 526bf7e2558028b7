import type { LoaderFactory } from "../../db/loaders";
import { groupLoader } from "../../db/loaders";
import { tenantQuery } from "../../db/tenancy";
import { ShipmentFeedback } from "./feedback.entity";

export const feedbackByShipment: LoaderFactory<string, ShipmentFeedback[]> = (ctx) =>
  groupLoader(
    (ids) => tenantQuery(ctx, ShipmentFeedback, "f").andWhere("f.shipmentId = ANY(:ids)", { ids }).orderBy("f.createdAt").addOrderBy("f.id").getMany(),
    (f) => f.shipmentId,
  );
