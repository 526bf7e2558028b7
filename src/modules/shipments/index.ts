import { Readers } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { OrderShipmentsResolver, ShipmentResolver, TrackingEventResolver } from "./shipments.resolver";
import { findShipmentById } from "./shipments.service";
import { Shipment, ShipmentDocument, ShipmentLine, TrackingEvent } from "./shipment.entity";

registerNode(Shipment, "Shipment", Readers.SHIPMENTS, findShipmentById);

export const shipmentsEntities = [Shipment, ShipmentLine, TrackingEvent, ShipmentDocument];
export const shipmentsResolvers = [ShipmentResolver, OrderShipmentsResolver, TrackingEventResolver] as const;

export { Shipment, ShipmentLine, TrackingEvent, ShipmentDocument };
export { ShipmentStatus, AirwayBillType, Carrier, DocumentKind } from "./shipment-state";
export { shipmentById } from "./shipments.loaders";
export { declarationSystemOf, SUPPORTED_DISPATCH } from "./export-declarations";
