import { registerEnumType } from "type-graphql";

export enum OrderStatus {
  PENDING = "PENDING",
  CONFIRMED = "CONFIRMED",
  IN_PRODUCTION = "IN_PRODUCTION",
  QUALITY_CHECK = "QUALITY_CHECK",
  PACKED = "PACKED",
  PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED",
  SHIPPED = "SHIPPED",
  DELIVERED = "DELIVERED",
  CANCELLED = "CANCELLED",
}

registerEnumType(OrderStatus, {
  name: "OrderStatus",
  description: "Where an order stands.",
  valuesConfig: {
    PENDING: {
      description:
        "Placed; awaiting the exporter's confirmation. Stock is reserved, up to a share of each variant's available stock per order; unconfirmed for too long (two days by default), the order expires and is cancelled.",
    },
    CONFIRMED: { description: "Accepted by the exporter." },
    IN_PRODUCTION: { description: "Made-to-order pieces are being made." },
    QUALITY_CHECK: { description: "Checked against the buyer's specification (size, plating, stones, branding)." },
    PACKED: { description: "Packed and labelled, with certificates; waiting for the carrier. Every unit of the order is ready to ship." },
    PARTIALLY_SHIPPED: {
      description:
        "Some of the ordered units have been handed to a carrier, not all: what was ready shipped, the rest (made to order, say) ships when it is ready. Set by shipments, not by staff.",
    },
    SHIPPED: { description: "Every unit of every line has been handed to a carrier." },
    DELIVERED: { description: "Every unit has shipped and every shipment has been delivered." },
    CANCELLED: { description: "Cancelled, by the buyer, the exporter or an expiry; its reservations were released." },
  },
});

// Staff move an order forward one step at a time; shipping states come from shipments.
const STAFF_STEPS: Partial<Record<OrderStatus, OrderStatus>> = {
  [OrderStatus.PENDING]: OrderStatus.CONFIRMED,
  [OrderStatus.CONFIRMED]: OrderStatus.IN_PRODUCTION,
  [OrderStatus.IN_PRODUCTION]: OrderStatus.QUALITY_CHECK,
  [OrderStatus.QUALITY_CHECK]: OrderStatus.PACKED,
};

export const CANCELLABLE: readonly OrderStatus[] = [OrderStatus.PENDING, OrderStatus.CONFIRMED];

// From confirmation until its last unit has shipped, an order ships what is ready, a shipment at
// a time; a PENDING order is not accepted yet, and a SHIPPED or DELIVERED one has nothing left.
const SHIPPING: readonly OrderStatus[] = [
  OrderStatus.CONFIRMED,
  OrderStatus.IN_PRODUCTION,
  OrderStatus.QUALITY_CHECK,
  OrderStatus.PACKED,
  OrderStatus.PARTIALLY_SHIPPED,
];

/** The status a staff member may advance an order to from `from`, if any. */
export function nextStaffStatus(from: OrderStatus): OrderStatus | undefined {
  return STAFF_STEPS[from];
}

export function canAdvance(from: OrderStatus, to: OrderStatus): boolean {
  return STAFF_STEPS[from] === to;
}

export function canCancel(from: OrderStatus): boolean {
  return CANCELLABLE.includes(from);
}

/** Whether an order in this status may put (more of) its units in a shipment. */
export function canShip(status: OrderStatus): boolean {
  return SHIPPING.includes(status);
}
