import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { Allow } from "../../graphql/access";
import { Readers, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { CONNECTION_NODES, projectionOf, rowFields } from "../../graphql/projection";
import { Order, orderById } from "../orders";
import { liveEvents, type PublishedEvent } from "../events";
import { BadUserInputError } from "../../graphql/errors";
import {
  AddShipmentDocumentInput,
  AddShipmentDocumentPayload,
  CreateShipmentInput,
  CreateShipmentPayload,
  RecordTrackingEventInput,
  RecordTrackingEventPayload,
  SetAirwayBillInput,
  SetAirwayBillPayload,
  SetTrackingNumberInput,
  SetTrackingNumberPayload,
  ShipmentFilter,
} from "./shipments.inputs";
import * as shipments from "./shipments.service";
import {
  AirwayBill,
  CarriageChange,
  CommercialInvoice,
  CustomsDeclaration,
  PackingList,
  ShipmentConnection,
  ShipmentDocumentView,
  TrackingEventConnection,
  TrackingEventView,
} from "./shipments.types";
import { CountryCode } from "../../graphql/scalars";
import { toGlobalId } from "../../graphql/node";
import { Shipment, TrackingEvent } from "./shipment.entity";

// What each field of a shipment and of a tracking event reads of its row, beyond a column of its
// own name (see graphql/projection.ts).
export const SHIPMENT_ROWS = rowFields(Shipment, {
  always: ["id", "orderId", "createdAt"],
  fields: {
    airwayBill: ["awbNumber", "awbType", "masterAwbNumber"],
    order: ["orderId"],
    events: ["id"],
    documents: ["id"],
  },
});

export const EVENT_ROWS = rowFields(TrackingEvent, { always: ["id", "shipmentId", "occurredAt", "seq"] });

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Allow(...Readers.SHIPMENTS)
  @Query(() => ShipmentConnection, { nullable: true, description: "Your distributor's shipments (staff: everyone's), newest first; with `filter.updatedSince`, in update order for sync." })
  shipments(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => ShipmentFilter, { nullable: true, description: "Narrows the list." }) filter?: ShipmentFilter,
  ) {
    return shipments.listShipments(ctx, args, filter);
  }

  @Allow(...Readers.SHIPMENTS)
  @Query(() => Shipment, { nullable: true, description: "One shipment by id, air waybill or tracking number (give exactly one); null when there is none you may see." })
  shipment(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id." }) id?: string,
    @Arg("airwayBill", () => String, { nullable: true, description: "Air waybill, e.g. 176-12345675, or a house bill number." }) airwayBill?: string,
    @Arg("trackingNumber", () => String, { nullable: true, description: "Carrier tracking number." }) trackingNumber?: string,
  ): Promise<Shipment | null> {
    return shipments.findShipment(ctx, { id, airwayBill, trackingNumber });
  }

  @Allow(...Readers.SHIPMENTS)
  @Subscription(() => Shipment, {
    description:
      "The shipment, read afresh, each time something happens to it: a tracking event (with the status and ETA it brings), a new estimated delivery, its air waybill or tracking number set, its delivery. Over WebSocket only (graphql-ws at /graphql); a shipment you may not see is refused as an unknown one.",
    subscribe: ({ args, context }) => watchShipment(context as RequestContext, (args as { id: string }).id),
  })
  shipmentUpdated(
    @Root() event: PublishedEvent,
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "Global id of the shipment." }) _id: string,
  ): Promise<Shipment> {
    return shipmentOfEvent(ctx, event);
  }

  @FieldResolver(() => AirwayBill, { nullable: true, description: "The air waybill, once set." })
  airwayBill(@Root() shipment: Shipment): AirwayBill | null {
    return shipments.airwayBillOf(shipment);
  }

  @FieldResolver(() => CountryCode, { description: "The country the goods leave from; its customs' export declaration is the one the shipment carries." })
  dispatchCountry(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): CountryCode {
    return shipments.dispatchCountryOf(ctx, shipment);
  }

  @FieldResolver(() => [CarriageChange], { description: "Every setting and correction of the air waybill and tracking number, oldest first; neither changes once the shipment has departed." })
  carriageHistory(@Root() shipment: Shipment): CarriageChange[] {
    return shipments.carriageHistoryOf(shipment);
  }

  @Allow(...Readers.ORDERS)
  @FieldResolver(() => Order, {
    nullable: true,
    description: "The order shipped. API clients need `orders:read`: without it this is null, with a FORBIDDEN error.",
  })
  async order(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<Order> {
    return (await loader(ctx, orderById).load(shipment.orderId))!;
  }

  @FieldResolver(() => TrackingEventConnection, { description: "Tracking events, newest first." })
  events(@Ctx() ctx: RequestContext, @Root() shipment: Shipment, @Args(() => ConnectionArgs) args: ConnectionArgs, @Info() info: GraphQLResolveInfo) {
    return shipments.eventsOf(ctx, shipment, args, projectionOf(info, EVENT_ROWS, CONNECTION_NODES));
  }

  @FieldResolver(() => [ShipmentDocumentView], { description: "Export documents, in the order they were added." })
  documents(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<ShipmentDocumentView[]> {
    return shipments.documentsOf(ctx, shipment);
  }

  @FieldResolver(() => CustomsDeclaration, { description: "HS lines, metal declarations, gemstone disclosures, statements and insurance, computed from the order and the catalog." })
  async customsDeclaration(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<CustomsDeclaration> {
    const order = (await loader(ctx, orderById).load(shipment.orderId))!;
    return shipments.declarationOf(ctx, shipment, order.incoterm);
  }

  @FieldResolver(() => CommercialInvoice, { description: "The commercial invoice's lines, the charges the seller bears under the Incoterms® rule and the total, computed from the order, the catalog and the shipment." })
  async commercialInvoice(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<CommercialInvoice> {
    const order = (await loader(ctx, orderById).load(shipment.orderId))!;
    return shipments.commercialInvoiceOf(ctx, shipment, order.incoterm);
  }

  @FieldResolver(() => PackingList, { description: "Packages, weights and contents, without prices." })
  packingList(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<PackingList> {
    return shipments.packingListOf(ctx, shipment);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => CreateShipmentPayload, {
    description:
      "Ships what is ready of a confirmed order (some lines, or some units of a line; the rest later) with its packages and insurance. Export managers only.",
  })
  createShipment(@Ctx() ctx: RequestContext, @Arg("input", () => CreateShipmentInput) input: CreateShipmentInput) {
    return shipments.createShipment(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetAirwayBillPayload, { description: "Sets the shipment's air waybill (check digit verified; house bills name their master). Export managers only." })
  setAirwayBill(@Ctx() ctx: RequestContext, @Arg("input", () => SetAirwayBillInput) input: SetAirwayBillInput) {
    return shipments.setAirwayBill(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetTrackingNumberPayload, { description: "Sets the carrier tracking number (format and check digit verified) and its tracking link. Export managers only." })
  setTrackingNumber(@Ctx() ctx: RequestContext, @Arg("input", () => SetTrackingNumberInput) input: SetTrackingNumberInput) {
    return shipments.setTrackingNumber(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => RecordTrackingEventPayload, { description: "Appends a carrier tracking event; status, ETA and the order's status follow. Export managers only." })
  recordTrackingEvent(@Ctx() ctx: RequestContext, @Arg("input", () => RecordTrackingEventInput) input: RecordTrackingEventInput) {
    return shipments.recordTrackingEvent(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => AddShipmentDocumentPayload, { description: "Attaches an export document (number, date, link, SHA-256). Export managers only." })
  addShipmentDocument(@Ctx() ctx: RequestContext, @Arg("input", () => AddShipmentDocumentInput) input: AddShipmentDocumentInput) {
    return shipments.addShipmentDocument(ctx, input);
  }
}

// The order side of the link lives here, so that orders need not know shipments.
@Resolver(() => Order)
export class OrderShipmentsResolver {
  // An ERP client reading orders sees their shipments only with shipments:read, as at the root.
  @Allow(...Readers.SHIPMENTS)
  @FieldResolver(() => [Shipment], {
    nullable: true,
    description: "The order's shipments, oldest first. API clients need `shipments:read`: without it this is null, with a FORBIDDEN error.",
  })
  shipments(@Ctx() ctx: RequestContext, @Root() order: Order, @Info() info: GraphQLResolveInfo): Promise<Shipment[]> {
    return shipments.shipmentsOfOrder(ctx, order, projectionOf(info, SHIPMENT_ROWS));
  }
}

@Resolver(() => TrackingEventView)
export class TrackingEventResolver {
  @FieldResolver(() => ID, { description: "Opaque id of the event, stable across requests." })
  id(@Root() event: TrackingEventView): string {
    return toGlobalId("TrackingEvent", event.id);
  }
}

/** The events of one shipment, once the caller may see it: another distributor's is refused exactly as an unknown one. */
async function watchShipment(ctx: RequestContext, id: string): Promise<AsyncIterableIterator<PublishedEvent>> {
  const shipment = await shipments.findShipment(ctx, { id });
  if (!shipment) throw new BadUserInputError("id", "No shipment with this id");
  return liveEvents(ctx, { prefix: "shipment.", subjectId: shipment.id });
}

/** The shipment an event is about, as the subscriber may read it now. */
async function shipmentOfEvent(ctx: RequestContext, event: PublishedEvent): Promise<Shipment> {
  const shipment = event.subjectId ? await shipments.findShipmentById(ctx, event.subjectId) : null;
  if (!shipment) throw new BadUserInputError("id", "The shipment is no longer one you may see");
  return shipment;
}
