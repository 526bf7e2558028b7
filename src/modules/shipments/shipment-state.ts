import { registerEnumType } from "type-graphql";
import { TrackingCarrier } from "./identifiers";

export { TrackingCarrier as Carrier };

registerEnumType(TrackingCarrier, {
  name: "Carrier",
  description: "Who carries a shipment.",
  valuesConfig: {
    DHL_EXPRESS: { description: "DHL Express (waybill of 10 or 11 digits with a mod-7 check, or a J… piece id)." },
    FEDEX: { description: "FedEx (Express 12-digit, Ground 15-digit or Ground 22-digit \"96\" tracking numbers, check digit verified)." },
    UPS: { description: "UPS (1Z tracking numbers and waybill numbers such as K1506235620, check digit verified)." },
    FREIGHT_FORWARDER: { description: "A freight forwarder, usually on a house air waybill." },
    OTHER: { description: "Another carrier." },
  },
});

export enum ShipmentStatus {
  PENDING = "PENDING",
  INFO_RECEIVED = "INFO_RECEIVED",
  IN_TRANSIT = "IN_TRANSIT",
  CUSTOMS_HOLD = "CUSTOMS_HOLD",
  OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY",
  FAILED_ATTEMPT = "FAILED_ATTEMPT",
  DELIVERED = "DELIVERED",
  EXCEPTION = "EXCEPTION",
}

registerEnumType(ShipmentStatus, {
  name: "ShipmentStatus",
  description: "Where a shipment is, from its latest tracking event.",
  valuesConfig: {
    PENDING: { description: "Created; not yet handed to the carrier." },
    INFO_RECEIVED: { description: "The carrier has the shipment's data and will pick it up." },
    IN_TRANSIT: { description: "Picked up and on the way." },
    CUSTOMS_HOLD: { description: "Held by customs." },
    OUT_FOR_DELIVERY: { description: "Out for delivery." },
    FAILED_ATTEMPT: { description: "A delivery attempt failed; the carrier will retry." },
    DELIVERED: { description: "Delivered." },
    EXCEPTION: { description: "Something went wrong (damage, return, loss): see the events." },
  },
});

/** Statuses in which the goods have left the exporter. */
export const HANDED_OVER: readonly ShipmentStatus[] = [
  ShipmentStatus.IN_TRANSIT,
  ShipmentStatus.CUSTOMS_HOLD,
  ShipmentStatus.OUT_FOR_DELIVERY,
  ShipmentStatus.FAILED_ATTEMPT,
  ShipmentStatus.DELIVERED,
  ShipmentStatus.EXCEPTION,
];

export enum AirwayBillType {
  MASTER = "MASTER",
  DIRECT = "DIRECT",
  HOUSE = "HOUSE",
}

registerEnumType(AirwayBillType, {
  name: "AirwayBillType",
  description: "Kind of air waybill (IATA ONE Record WaybillType).",
  valuesConfig: {
    MASTER: { description: "Issued by or for the airline; 11 digits with a mod-7 check. Covers a consolidation." },
    DIRECT: { description: "An airline waybill for a single, non-consolidated shipment; 11 digits with a mod-7 check." },
    HOUSE: { description: "Issued by a freight forwarder under a master waybill; forwarder-numbered." },
  },
});

export enum DocumentKind {
  COMMERCIAL_INVOICE = "COMMERCIAL_INVOICE",
  PACKING_LIST = "PACKING_LIST",
  CERTIFICATE_OF_ORIGIN = "CERTIFICATE_OF_ORIGIN",
  EXPORT_DECLARATION = "EXPORT_DECLARATION",
  INSURANCE_CERTIFICATE = "INSURANCE_CERTIFICATE",
  AIRWAY_BILL = "AIRWAY_BILL",
  KIMBERLEY_PROCESS_CERTIFICATE = "KIMBERLEY_PROCESS_CERTIFICATE",
  GEMSTONE_REPORT = "GEMSTONE_REPORT",
}

registerEnumType(DocumentKind, {
  name: "ShipmentDocumentKind",
  description: "Kind of export document.",
  valuesConfig: {
    COMMERCIAL_INVOICE: { description: "Commercial invoice." },
    PACKING_LIST: { description: "Packing list." },
    CERTIFICATE_OF_ORIGIN: { description: "Certificate of origin." },
    EXPORT_DECLARATION: {
      description: "Export declaration of the dispatch country: an Indian shipping bill (with its port code), an EU MRN, a UK MRN or DUCR, a US ITN, a Thai or Hong Kong declaration number.",
    },
    INSURANCE_CERTIFICATE: { description: "Cargo insurance certificate." },
    AIRWAY_BILL: { description: "The air waybill document; numbered by the shipment's air waybill, and renumbered with it when it is corrected." },
    KIMBERLEY_PROCESS_CERTIFICATE: { description: "Kimberley Process certificate: only on a shipment with rough diamonds (HS 7102.10, 7102.21, 7102.31)." },
    GEMSTONE_REPORT: { description: "A gemstone grading or identification report." },
  },
});
