import { Readers } from "../../core/access";

/**
 * Every event Facet writes, by type, with who may read it: the readers of the domain it tells
 * about, so that an ERP client sees an event exactly when it could read the object the event is
 * about. Types are `<subject>.<what happened>`, in the past tense, and never renamed: partners
 * switch on them.
 */
export const EVENT_TYPES = {
  "order.placed": { readers: Readers.ORDERS, description: "A buyer, an ERP or an accepted design brief placed an order." },
  "order.confirmed": { readers: Readers.ORDERS, description: "The exporter confirmed an order." },
  "order.status_changed": { readers: Readers.ORDERS, description: "An order moved to another status (each move, confirmation and cancellation included)." },
  "order.cancelled": { readers: Readers.ORDERS, description: "An order was cancelled (by its buyer, the exporter or its expiry)." },
  "shipment.created": { readers: Readers.SHIPMENTS, description: "The exporter created a shipment for an order." },
  "shipment.air_waybill_set": { readers: Readers.SHIPMENTS, description: "A shipment's air waybill was set or corrected." },
  "shipment.tracking_number_set": { readers: Readers.SHIPMENTS, description: "A shipment's tracking number was set or corrected." },
  "shipment.tracking_event_recorded": { readers: Readers.SHIPMENTS, description: "A tracking event was recorded on a shipment." },
  "shipment.eta_changed": { readers: Readers.SHIPMENTS, description: "A shipment's estimated delivery changed." },
  "shipment.delivered": { readers: Readers.SHIPMENTS, description: "A shipment was delivered." },
  "design_brief.status_changed": { readers: Readers.BRIEFS, description: "A design brief moved to another status." },
  "design_brief.quoted": { readers: Readers.BRIEFS, description: "The exporter quoted a design brief." },
  "design_brief.commented": { readers: Readers.BRIEFS, description: "Someone commented on a design brief (internal notes are never events)." },
  "feedback.submitted": { readers: Readers.SHIPMENTS, description: "A buyer reported how a shipment arrived." },
  "feedback.updated": { readers: Readers.SHIPMENTS, description: "A buyer edited its report on a shipment." },
  "feedback.answered": { readers: Readers.SHIPMENTS, description: "The exporter answered a shipment's feedback." },
  "webhook_endpoint.disabled": {
    readers: Readers.WEBHOOKS,
    description: "Facet stopped delivering to one of your webhook endpoints: it answered 410 Gone, or had no success for days since it began failing.",
  },
  "variant.price_changed": { readers: Readers.CATALOG, description: "A variant's price on the distributor's price list changed." },
  "variant.availability_changed": {
    readers: Readers.CATALOG,
    shared: true,
    description: "What can be ordered of a variant from stock changed (at most one event per variant a minute; every distributor sees it).",
  },
} as const;

export type EventType = keyof typeof EVENT_TYPES;

export const ALL_EVENT_TYPES = Object.keys(EVENT_TYPES) as EventType[];

/** Whether events of the type belong to no distributor (the shared catalog's), which every distributor sees. */
export function isSharedEventType(type: EventType): boolean {
  return "shared" in EVENT_TYPES[type];
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_TYPES, type);
}
