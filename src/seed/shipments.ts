import type { EntityManager } from "typeorm";
import { Order, OrderLine, OrderStatus } from "../modules/orders";
import { Carrier, DocumentKind, Shipment, ShipmentDocument, ShipmentLine, ShipmentStatus, TrackingEvent, AirwayBillType } from "../modules/shipments";

// Shipments for the demo orders that have left the workshop: delivered ones with their whole
// journey, and ones still in transit with an ETA. Numbers carry valid check digits.

const PREFIXES = ["176", "020", "057", "098", "125", "160"];
const hours = (base: Date, h: number) => new Date(base.getTime() + h * 3_600_000);

function awb(n: number): string {
  const serial = String(1_000_000 + ((n * 7919) % 8_999_999)).padStart(7, "0");
  return `${PREFIXES[n % PREFIXES.length]}${serial}${Number(serial) % 7}`;
}

function dhlWaybill(n: number): string {
  const serial = String(331_881_000 + n * 37);
  return `${serial}${Number(serial) % 7}`;
}

function fedexExpress(n: number): string {
  const body = String(77_000_000_000 + n * 101).padStart(11, "0");
  const weights = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return `${body}${(sum % 11) % 10}`;
}

const sha = (n: number) => n.toString(16).padStart(8, "0").repeat(8);

export async function seedShipments(db: EntityManager): Promise<number> {
  const orders = await db
    .createQueryBuilder(Order, "o")
    .where("o.status IN (:...statuses)", { statuses: [OrderStatus.SHIPPED, OrderStatus.DELIVERED] })
    .orderBy("o.placedAt")
    .getMany();
  let n = 0;
  for (const order of orders) {
    n++;
    const delivered = order.status === OrderStatus.DELIVERED;
    const carrier = n % 2 === 0 ? Carrier.FEDEX : Carrier.DHL_EXPRESS;
    const tracking = carrier === Carrier.FEDEX ? fedexExpress(n) : dhlWaybill(n);
    const shippedAt = delivered ? hours(order.placedAt, 20 * 24) : new Date(Date.now() - 3 * 86_400_000);
    const promised = hours(shippedAt, 72);
    // Every third delivery arrives a day late, so the on-time figures have something to show.
    const deliveredAt = delivered ? hours(shippedAt, n % 3 === 0 ? 96 : 60) : null;
    const eta = delivered ? promised : new Date(Date.now() + 2 * 86_400_000);
    const journey: [ShipmentStatus, number, string, string, string][] = [
      [ShipmentStatus.INFO_RECEIVED, -6, "JAI", "BKD", "Shipment information received"],
      [ShipmentStatus.IN_TRANSIT, 0, "DEL", "DEP", "Departed from origin facility"],
      [ShipmentStatus.IN_TRANSIT, 14, "DXB", "ARR", "Arrived at transit hub"],
      [ShipmentStatus.CUSTOMS_HOLD, 30, "CDG", "CRC", "Reported to customs"],
      [ShipmentStatus.IN_TRANSIT, 40, "CDG", "CCD", "Cleared by customs"],
      [ShipmentStatus.OUT_FOR_DELIVERY, 52, "CDG", "OFD", "Out for delivery"],
    ];
    const events = delivered ? [...journey, [ShipmentStatus.DELIVERED, (deliveredAt!.getTime() - shippedAt.getTime()) / 3_600_000, "CDG", "DLV", "Delivered, signed by consignee"] as [ShipmentStatus, number, string, string, string]] : journey.slice(0, 3);
    const last = events.at(-1)!;
    const { identifiers } = await db.insert(Shipment, {
      orderId: order.id,
      distributorId: order.distributorId,
      carrier,
      service: carrier === Carrier.FEDEX ? "INTERNATIONAL PRIORITY" : "EXPRESS WORLDWIDE",
      status: last[0],
      awbNumber: awb(n),
      awbType: AirwayBillType.MASTER,
      trackingNumber: tracking,
      trackingUrl:
        carrier === Carrier.FEDEX
          ? `https://www.fedex.com/fedextrack/?trknbr=${tracking}`
          : `https://www.dhl.com/en/express/tracking.html?AWB=${tracking}&brand=DHL`,
      packages: [{ count: 1, netWeightKg: "0.450", grossWeightKg: "1.100", lengthCm: 25, widthCm: 20, heightCm: 12 }],
      insurer: order.incoterm === "CIP" || order.incoterm === "CIF" ? "Lloyd's Jewellers Block" : null,
      insurancePolicyNumber: order.incoterm === "CIP" || order.incoterm === "CIF" ? "JB-2026-0417" : null,
      insuredAmount: order.incoterm === "CIP" || order.incoterm === "CIF" ? ((Number(order.total) * 1.1 + 1).toFixed(2)) : null,
      currency: order.currency,
      shippedAt,
      estimatedDeliveryAt: eta,
      promisedDeliveryAt: promised,
      deliveredAt,
      createdAt: hours(shippedAt, -24),
      updatedAt: hours(shippedAt, last[1]),
    });
    const shipmentId = identifiers[0].id as string;
    for (const line of await db.findBy(OrderLine, { orderId: order.id })) {
      await db.insert(ShipmentLine, { shipmentId, orderLineId: line.id, quantity: line.quantity });
    }
    for (const [e, [status, h, location, code, description]] of events.entries()) {
      await db.insert(TrackingEvent, {
        shipmentId,
        occurredAt: hours(shippedAt, h),
        status,
        location,
        description,
        carrierCode: code,
        carrierEventId: `${tracking}-${e + 1}`,
        estimatedDeliveryAt: status === ShipmentStatus.DELIVERED ? null : eta,
        recordedAt: hours(shippedAt, h),
      });
    }
    const issued = hours(shippedAt, -24).toISOString().slice(0, 10);
    const docs: [DocumentKind, string][] = [
      [DocumentKind.COMMERCIAL_INVOICE, `INV-${order.number.slice(4)}`],
      [DocumentKind.PACKING_LIST, `PL-${order.number.slice(4)}`],
      [DocumentKind.CERTIFICATE_OF_ORIGIN, `COO-${order.number.slice(4)}`],
      [DocumentKind.AIRWAY_BILL, awb(n)],
      [DocumentKind.EXPORT_DECLARATION, `X${issued.replace(/-/g, "")}${String(300000 + n).padStart(6, "0")}`],
    ];
    for (const [d, [kind, number]] of docs.entries()) {
      await db.insert(ShipmentDocument, {
        shipmentId,
        kind,
        number,
        issueDate: issued,
        url: `https://files.facet.example/shipments/${number.toLowerCase()}.pdf`,
        sha256: sha(n * 10 + d),
      });
    }
  }
  return n;
}
