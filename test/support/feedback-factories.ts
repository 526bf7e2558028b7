import type { DataSource } from "typeorm";
import { toGlobalId } from "../../src/graphql/node";
import { Incoterm, type CurrencyCode } from "../../src/graphql/scalars";
import type { ApiClient, Distributor, User } from "../../src/modules/accounts";
import { ArrivalCondition, FeedbackIssue, ShipmentFeedback } from "../../src/modules/feedback";
import { Order, OrderLine, OrderStatus } from "../../src/modules/orders";
import { Carrier, Shipment, ShipmentLine, ShipmentStatus, TrackingEvent } from "../../src/modules/shipments";
import { createProduct, createVariant } from "./catalog-factories";
import { unique } from "./factories";

// Orders, shipments and feedback written straight to the tables, so that a test controls every
// date exactly. Each row is consistent with what the API itself would have written: a delivered
// shipment has a handover and a delivery event, its order is DELIVERED once all its shipments
// are, and the shipment's value is the sum of the order lines it carries.

export interface LineSpec {
  quantity: number;
  /** Unit price as stored, e.g. "500.00". */
  unitPrice: string;
}

export interface OrderSpec {
  distributor: Distributor;
  placedBy?: User | null;
  placedAt: Date;
  /** The ship date promised when the order was placed (YYYY-MM-DD). */
  promisedShipDate: string;
  currency?: CurrencyCode;
  lines: LineSpec[];
}

const scaled = (amount: string) => {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, "0"));
};
const unscaled = (value: bigint) => `${value / 10_000n}.${String(value % 10_000n).padStart(4, "0")}`;

/** An order with its lines, numbered from 1, and PACKED until shipments move it on. */
export async function createOrder(ds: DataSource, spec: OrderSpec): Promise<{ order: Order; lines: OrderLine[] }> {
  const product = await createProduct(ds);
  const variant = await createVariant(ds, product);
  const totals = spec.lines.map((l) => scaled(l.unitPrice) * BigInt(l.quantity));
  const { identifiers } = await ds.manager.insert(Order, {
    number: unique("FB").toUpperCase(),
    distributorId: spec.distributor.id,
    placedByUserId: spec.placedBy?.id ?? null,
    buyerReference: unique("PO"),
    currency: spec.currency ?? spec.distributor.currency,
    incoterm: Incoterm.DAP,
    requestedShipDate: null,
    estimatedShipDate: spec.promisedShipDate,
    status: OrderStatus.PACKED,
    total: unscaled(totals.reduce((a, b) => a + b, 0n)),
    lineCount: spec.lines.length,
    placedAt: spec.placedAt,
    updatedAt: spec.placedAt,
  });
  const orderId = identifiers[0].id as string;
  await ds.manager.insert(
    OrderLine,
    spec.lines.map((l, i) => ({
      orderId,
      lineNumber: i + 1,
      variantId: variant.id,
      sku: variant.sku,
      description: product.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      lineTotal: unscaled(totals[i]),
      fromStock: l.quantity,
      batchAllocations: [],
      estimatedShipDate: spec.promisedShipDate,
      customization: {},
      // What placeOrder records: the standard piece of the variant.
      composition: { metal: product.metal, fineness: product.fineness, plating: { type: product.plating, karat: null, thicknessMicrons: null }, metalWeightGrams: variant.metalWeightGrams, stones: product.stones },
    })),
  );
  return {
    order: await ds.manager.findOneByOrFail(Order, { id: orderId }),
    lines: await ds.manager.find(OrderLine, { where: { orderId }, order: { lineNumber: "ASC" } }),
  };
}

export interface ShipmentSpec {
  /** Order line numbers carried; every line of the order when omitted. */
  lineNumbers?: number[];
  /** Handed to the carrier; null: not yet (PENDING). */
  shippedAt: Date | null;
  /** The ETA known at handover. */
  promisedDeliveryAt?: Date | null;
  /** Delivered; null: still on its way. */
  deliveredAt?: Date | null;
}

/** A shipment of an order with the tracking events that explain its dates, and its order's status. */
export async function createShipment(ds: DataSource, order: Order, spec: ShipmentSpec): Promise<Shipment> {
  const { shippedAt, promisedDeliveryAt = null, deliveredAt = null } = spec;
  const status = deliveredAt ? ShipmentStatus.DELIVERED : shippedAt ? ShipmentStatus.IN_TRANSIT : ShipmentStatus.PENDING;
  const { identifiers } = await ds.manager.insert(Shipment, {
    orderId: order.id,
    distributorId: order.distributorId,
    carrier: Carrier.DHL_EXPRESS,
    service: "EXPRESS WORLDWIDE",
    status,
    packages: [{ count: 1, netWeightKg: "0.450", grossWeightKg: "1.100", lengthCm: 25, widthCm: 20, heightCm: 12 }],
    currency: order.currency,
    shippedAt,
    estimatedDeliveryAt: promisedDeliveryAt,
    promisedDeliveryAt,
    deliveredAt,
    createdAt: shippedAt ?? order.placedAt,
    updatedAt: deliveredAt ?? shippedAt ?? order.placedAt,
  });
  const shipmentId = identifiers[0].id as string;
  const lines = await ds.manager.find(OrderLine, { where: { orderId: order.id }, order: { lineNumber: "ASC" } });
  const carried = spec.lineNumbers ? lines.filter((l) => spec.lineNumbers!.includes(l.lineNumber)) : lines;
  await ds.manager.insert(ShipmentLine, carried.map((l) => ({ shipmentId, orderLineId: l.id, quantity: l.quantity })));

  const events: Partial<TrackingEvent>[] = [];
  if (shippedAt) {
    events.push({ occurredAt: shippedAt, status: ShipmentStatus.IN_TRANSIT, description: "Departed from origin facility", carrierCode: "DEP", estimatedDeliveryAt: promisedDeliveryAt });
  }
  if (deliveredAt) events.push({ occurredAt: deliveredAt, status: ShipmentStatus.DELIVERED, description: "Delivered, signed by consignee", carrierCode: "DLV" });
  if (events.length) await ds.manager.insert(TrackingEvent, events.map((e) => ({ ...e, shipmentId, location: "CDG", recordedAt: e.occurredAt })));

  // The order follows its shipments, as the API's tracking events make it.
  const [progress] = (await ds.query(
    `SELECT (SELECT count(*) FROM order_lines WHERE order_id = $1)::int AS lines,
            (SELECT count(*) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1 AND s.shipped_at IS NOT NULL)::int AS shipped,
            (SELECT bool_and(status = 'DELIVERED') FROM shipments WHERE order_id = $1) AS delivered`,
    [order.id],
  )) as { lines: number; shipped: number; delivered: boolean }[];
  const orderStatus =
    progress.shipped === 0
      ? OrderStatus.PACKED
      : progress.shipped < progress.lines
        ? OrderStatus.PARTIALLY_SHIPPED
        : progress.delivered
          ? OrderStatus.DELIVERED
          : OrderStatus.SHIPPED;
  await ds.manager.update(Order, { id: order.id }, { status: orderStatus });
  return ds.manager.findOneByOrFail(Shipment, { id: shipmentId });
}

export interface DeliveredSpec extends Omit<OrderSpec, "lines"> {
  lines?: LineSpec[];
  shippedAt: Date;
  promisedDeliveryAt?: Date | null;
  deliveredAt: Date | null;
}

/** An order in one shipment: the common case. */
export async function createShippedOrder(ds: DataSource, spec: DeliveredSpec): Promise<{ order: Order; shipment: Shipment }> {
  const { order } = await createOrder(ds, { ...spec, lines: spec.lines ?? [{ quantity: 1, unitPrice: "100.00" }] });
  const shipment = await createShipment(ds, order, { shippedAt: spec.shippedAt, promisedDeliveryAt: spec.promisedDeliveryAt ?? null, deliveredAt: spec.deliveredAt });
  return { order: await ds.manager.findOneByOrFail(Order, { id: order.id }), shipment };
}

/** A shipment delivered yesterday of a new order with `lineCount` lines of 100.00 each. */
export async function deliveredShipment(ds: DataSource, distributor: Distributor, lineCount = 2) {
  const day = 86_400_000;
  const now = Date.now();
  return createShippedOrder(ds, {
    distributor,
    placedAt: new Date(now - 20 * day),
    promisedShipDate: new Date(now - 5 * day).toISOString().slice(0, 10),
    lines: Array.from({ length: lineCount }, () => ({ quantity: 1, unitPrice: "100.00" })),
    shippedAt: new Date(now - 4 * day),
    promisedDeliveryAt: new Date(now - day),
    deliveredAt: new Date(now - day),
  });
}

export interface FeedbackSpec {
  author: User | ApiClient;
  rating: number;
  condition: ArrivalCondition;
  issues?: FeedbackIssue[];
  comment?: string | null;
  createdAt: Date;
  response?: string | null;
}

/** A feedback row as submitShipmentFeedback would have written it at `createdAt`. */
export async function createFeedback(ds: DataSource, shipment: Shipment, spec: FeedbackSpec): Promise<ShipmentFeedback> {
  const byUser = "email" in spec.author;
  const { identifiers } = await ds.manager.insert(ShipmentFeedback, {
    shipmentId: shipment.id,
    distributorId: shipment.distributorId,
    authorUserId: byUser ? spec.author.id : null,
    authorApiClientId: byUser ? null : spec.author.id,
    authorName: spec.author.name,
    rating: spec.rating,
    condition: spec.condition,
    issues: spec.issues ?? [],
    affectedLineNumbers: [],
    comment: spec.comment ?? null,
    response: spec.response ?? null,
    respondedAt: spec.response ? spec.createdAt : null,
    respondedByName: spec.response ? "Export Manager" : null,
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
  });
  return ds.manager.findOneByOrFail(ShipmentFeedback, { id: identifiers[0].id as string });
}

export const shipmentId = (s: Shipment) => toGlobalId("Shipment", s.id);
export const feedbackId = (f: ShipmentFeedback | { id: string }) => toGlobalId("ShipmentFeedback", f.id);

export { ArrivalCondition, FeedbackIssue };
