import type { EntityManager } from "typeorm";
import type { RequestContext } from "../core/context";
import { multiply, sum, toScaled, fromScaled } from "../graphql/money";
import { Incoterm, minorUnits, type CurrencyCode } from "../graphql/scalars";
import { Distributor, User } from "../modules/accounts";
import { INSURED_RULES, Order, OrderLine, OrderStatus, SELLER_CHARGES } from "../modules/orders";
import { IN_TRANSIT_SINCE_DAYS } from "./orders";
import { Carrier, DocumentKind, Shipment, ShipmentDocument, ShipmentLine, ShipmentStatus, TrackingEvent, AirwayBillType } from "../modules/shipments";
import { declarationRowsByShipment } from "../modules/shipments/shipments.loaders";
import { minimumCover } from "../modules/shipments/shipments.service";
import { goodsWeight } from "../modules/shipments/weights";
import type { CarriageChangeRow, PackageRow } from "../modules/shipments/shipment.entity";

// Shipments for the demo orders that have left the workshop: delivered ones with their whole
// journey, and ones still in transit with an ETA; of the order partly shipped, the units it took
// from stock (its made-to-order line waits until it is made). Each is what an export from the Jaipur
// workshop must be (docs/domain.md): dispatched from India under an Indian shipping bill filed at
// Delhi air cargo before the air waybill, net weights that are the goods' own, the named place of
// the order's rule, and the charges the rule puts on the seller. Numbers carry valid check digits.

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

// Where the goods are delivered: the destination airport by the distributor's country, and the
// place the seller hands them over (FCA, EXW) at Jaipur.
const DESTINATION: Record<string, { airport: string; place: string }> = {
  FR: { airport: "CDG", place: "Paris (CDG), France" },
  AE: { airport: "DXB", place: "Dubai (DXB), United Arab Emirates" },
  CA: { airport: "YYZ", place: "Toronto (YYZ), Canada" },
};
const ORIGIN_PLACE = "Jaipur (JAI), India";
// The shipping bill is filed where the goods are cleared and leave: Delhi air cargo.
const PORT_CODE = "INDEL4";
// Box, padding and a security envelope around a few grams of jewellery.
const PACKAGING_KG = "0.650";

/** An amount of the currency's smallest unit or more, as a decimal with its places (e.g. 85 → "85.00" in EUR, "85" in JPY). */
const amountIn = (whole: number, currency: CurrencyCode) => (minorUnits(currency) ? `${whole}.${"0".repeat(minorUnits(currency))}` : String(whole));

export async function seedShipments(db: EntityManager): Promise<number> {
  const orders = await db
    .createQueryBuilder(Order, "o")
    .where("o.status IN (:...statuses)", { statuses: [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED] })
    .orderBy("o.placedAt")
    .getMany();
  const manager = await db.findOneByOrFail(User, { email: "manager@facet.example" });
  // The declaration's own reading of the lines, so the declared weights are those it shows.
  // (The loader reads through the context's manager alone.)
  const rowsOf = declarationRowsByShipment({ db } as unknown as RequestContext, null);
  let n = 0;
  for (const order of orders) {
    n++;
    const distributor = await db.findOneByOrFail(Distributor, { id: order.distributorId });
    const destination = DESTINATION[distributor.country] ?? DESTINATION.FR;
    const delivered = order.status === OrderStatus.DELIVERED;
    const carrier = n % 2 === 0 ? Carrier.FEDEX : Carrier.DHL_EXPRESS;
    const tracking = carrier === Carrier.FEDEX ? fedexExpress(n) : dhlWaybill(n);
    const shippedAt = delivered ? hours(order.placedAt, 20 * 24) : new Date(Date.now() - IN_TRANSIT_SINCE_DAYS * 86_400_000);
    const promised = hours(shippedAt, 72);
    // Every third delivery arrives a day late, so the on-time figures have something to show.
    const deliveredAt = delivered ? hours(shippedAt, n % 3 === 0 ? 96 : 60) : null;
    const eta = delivered ? promised : new Date(Date.now() + 2 * 86_400_000);
    const to = destination.airport;
    const journey: [ShipmentStatus, number, string, string, string][] = [
      [ShipmentStatus.INFO_RECEIVED, -6, "JAI", "BKD", "Shipment information received"],
      [ShipmentStatus.IN_TRANSIT, 0, "DEL", "DEP", "Departed from origin facility"],
      [ShipmentStatus.IN_TRANSIT, 14, "DXB", "ARR", to === "DXB" ? "Arrived at destination airport" : "Arrived at transit hub"],
      [ShipmentStatus.CUSTOMS_HOLD, 30, to, "CRC", "Reported to customs"],
      [ShipmentStatus.IN_TRANSIT, 40, to, "CCD", "Cleared by customs"],
      [ShipmentStatus.OUT_FOR_DELIVERY, 52, to, "OFD", "Out for delivery"],
    ];
    const events = delivered
      ? [...journey, [ShipmentStatus.DELIVERED, (deliveredAt!.getTime() - shippedAt.getTime()) / 3_600_000, to, "DLV", "Delivered, signed by consignee"] as [ShipmentStatus, number, string, string, string]]
      : journey.slice(0, 3);
    const last = events.at(-1)!;
    const created = hours(shippedAt, -24);

    // The charges the order's rule puts on the seller (docs/domain.md, "Incoterms and insurance cover").
    const bears = SELLER_CHARGES[order.incoterm];
    const freight = bears.freight ? amountIn(95, order.currency) : null;
    const premium = bears.insurance ? amountIn(45, order.currency) : null;
    const duties = bears.duties ? amountIn(0, order.currency) : null;
    const insured = INSURED_RULES.includes(order.incoterm);
    // What ships: every unit, or of the order partly shipped the units from stock, which were ready.
    const shipped = (await db.find(OrderLine, { where: { orderId: order.id }, order: { lineNumber: "ASC" } }))
      .map((line) => ({ line, quantity: order.status === OrderStatus.PARTIALLY_SHIPPED ? line.fromStock : line.quantity }))
      .filter((s) => s.quantity > 0);
    const goods = sum(shipped.map((s) => multiply(s.line.unitPrice, s.quantity)));
    const invoiceTotal = sum([goods, ...[freight, premium, duties].filter((c): c is string => c !== null)]);
    const airwayBill = awb(n);
    const history: CarriageChangeRow[] = [
      { field: "AIRWAY_BILL", from: null, to: `${airwayBill.slice(0, 3)}-${airwayBill.slice(3)}`, at: hours(created, 2).toISOString(), byUserId: manager.id, byName: manager.name },
      { field: "TRACKING_NUMBER", from: null, to: tracking, at: hours(created, 2).toISOString(), byUserId: manager.id, byName: manager.name },
    ];
    const { identifiers } = await db.insert(Shipment, {
      orderId: order.id,
      distributorId: order.distributorId,
      carrier,
      service: carrier === Carrier.FEDEX ? "INTERNATIONAL PRIORITY" : "EXPRESS WORLDWIDE",
      status: last[0],
      awbNumber: airwayBill,
      awbType: AirwayBillType.MASTER,
      trackingNumber: tracking,
      trackingUrl:
        carrier === Carrier.FEDEX
          ? `https://www.fedex.com/fedextrack/?trknbr=${tracking}`
          : `https://www.dhl.com/en/express/tracking.html?AWB=${tracking}&brand=DHL`,
      // Weighed below, once the lines are in.
      packages: [],
      insurer: insured ? "Lloyd's Jewellers Block" : null,
      insurancePolicyNumber: insured ? "JB-2026-0417" : null,
      insuredAmount: insured ? minimumCover(invoiceTotal, order.currency) : null,
      currency: order.currency,
      namedPlace: order.incoterm === Incoterm.FCA || order.incoterm === Incoterm.EXW ? ORIGIN_PLACE : destination.place,
      dispatchCountry: "IN",
      freightCharge: freight,
      insuranceCharge: premium,
      dutiesCharge: duties,
      carriageHistory: history,
      shippedAt,
      estimatedDeliveryAt: eta,
      promisedDeliveryAt: promised,
      deliveredAt,
      createdAt: created,
      updatedAt: hours(shippedAt, last[1]),
    });
    const shipmentId = identifiers[0].id as string;
    for (const { line, quantity } of shipped) await db.insert(ShipmentLine, { shipmentId, orderLineId: line.id, quantity });
    // One parcel: the goods weighed to the gram (at least one), in their packaging.
    const grams = goodsWeight(await rowsOf.load(shipmentId)).grams;
    const wholeGrams = (grams + toScaled("0.5")) / toScaled("1");
    const net = (wholeGrams > 0n ? wholeGrams : 1n) * toScaled("0.001");
    // Kilograms to the gram: three decimals, as the API takes them.
    const kg = (scaled: bigint) => fromScaled(scaled).slice(0, -1);
    const parcel: PackageRow = { count: 1, netWeightKg: kg(net), grossWeightKg: kg(net + toScaled(PACKAGING_KG)), lengthCm: 25, widthCm: 20, heightCm: 12 };
    await db.update(Shipment, { id: shipmentId }, { packages: [parcel] });

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
    const issued = created.toISOString().slice(0, 10);
    const docs: [DocumentKind, string, string | null][] = [
      [DocumentKind.COMMERCIAL_INVOICE, `INV-${order.number.slice(4)}`, null],
      [DocumentKind.PACKING_LIST, `PL-${order.number.slice(4)}`, null],
      [DocumentKind.CERTIFICATE_OF_ORIGIN, `COO-${order.number.slice(4)}`, null],
      // The shipping bill: 7 digits at its port, dated no later than the air waybill.
      [DocumentKind.EXPORT_DECLARATION, String(5_100_000 + n), PORT_CODE],
      [DocumentKind.AIRWAY_BILL, airwayBill, null],
      ...(insured ? [[DocumentKind.INSURANCE_CERTIFICATE, `JB-2026-0417-${n}`, null] as [DocumentKind, string, null]] : []),
    ];
    for (const [d, [kind, number, portCode]] of docs.entries()) {
      await db.insert(ShipmentDocument, {
        shipmentId,
        kind,
        number,
        issueDate: issued,
        url: `https://files.facet.example/shipments/${number.toLowerCase()}.pdf`,
        sha256: sha(n * 10 + d),
        portCode,
      });
    }
  }
  return n;
}
