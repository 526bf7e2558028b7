import { randomInt, randomUUID } from "node:crypto";
import type { Distributor } from "../../src/modules/accounts";
import {
  ShipAdvanceOrderDocument,
  ShipConfirmOrderDocument,
  ShipCreateDocument,
  ShipPlaceOrderDocument,
  ShipRecordEventDocument,
  type CreateShipmentInput,
  type Incoterm,
  type PackageInput,
  type RecordTrackingEventInput,
  type ShipCreateMutation,
  type ShipPlaceOrderMutation,
} from "../generated/graphql";
import { createProduct, createVariant, setPrice, variantId, type ProductSpec, type VariantSpec } from "./catalog-factories";
import { ok, type TestFacet } from "./harness";

// Orders reach PACKED and shipments are made through the real mutations, as an export manager
// would; only the catalog rows are written straight to the database.

export type PlacedOrder = NonNullable<ShipPlaceOrderMutation["placeOrder"]["order"]>;
export type CreatedShipment = NonNullable<ShipCreateMutation["createShipment"]["shipment"]>;

/** A style with one variant in stock (1000 units) and priced for the distributor. */
export async function stockedVariant(
  facet: TestFacet,
  distributor: Distributor,
  { product = {}, variant = {}, price = "100.00" }: { product?: ProductSpec; variant?: VariantSpec; price?: string } = {},
): Promise<string> {
  const p = await createProduct(facet.dataSource, { minimumOrderQuantity: 1, ...product });
  const v = await createVariant(facet.dataSource, p, { onHand: 1000, ...variant });
  await setPrice(facet.dataSource, distributor, v, price);
  return variantId(v);
}

export async function placeOrder(
  facet: TestFacet,
  buyerToken: string,
  lines: { variantId: string; quantity: number }[],
  incoterm: Incoterm = "DAP",
): Promise<PlacedOrder> {
  const { placeOrder } = ok(
    await facet.gql(ShipPlaceOrderDocument, { input: { idempotencyKey: randomUUID(), buyerReference: "PO-SHIP", incoterm, lines } }, { token: buyerToken }),
  );
  expect(placeOrder.userErrors).toEqual([]);
  return placeOrder.order!;
}

/** CONFIRMED → IN_PRODUCTION → QUALITY_CHECK → PACKED, step by step. */
export async function packOrder(facet: TestFacet, managerToken: string, orderId: string): Promise<void> {
  const confirmed = ok(await facet.gql(ShipConfirmOrderDocument, { id: orderId }, { token: managerToken })).confirmOrder;
  expect(confirmed.userErrors).toEqual([]);
  for (const status of ["IN_PRODUCTION", "QUALITY_CHECK", "PACKED"] as const) {
    const { advanceOrderStatus } = ok(await facet.gql(ShipAdvanceOrderDocument, { id: orderId, status }, { token: managerToken }));
    expect(advanceOrderStatus.userErrors).toEqual([]);
    expect(advanceOrderStatus.order!.status).toBe(status);
  }
}

export async function packedOrder(
  facet: TestFacet,
  tokens: { buyer: string; manager: string },
  lines: { variantId: string; quantity: number }[],
  incoterm: Incoterm = "DAP",
): Promise<PlacedOrder> {
  const order = await placeOrder(facet, tokens.buyer, lines, incoterm);
  await packOrder(facet, tokens.manager, order.id);
  return order;
}

/** One parcel holding one of the default pieces (a 3 g gold ring): its net weight is the goods' alone. */
export const parcel = (overrides: Partial<PackageInput> = {}): PackageInput => ({
  count: 1,
  netWeightKg: "0.003",
  grossWeightKg: "1.100",
  lengthCm: 25,
  widthCm: 20,
  heightCm: 12,
  ...overrides,
});

/** Euro money, for the charges of the default (EUR, DAP) orders. */
export const eur = (amount: string) => ({ amount, currency: "EUR" as const });

// The fields createShipment has taken since the export terms were recorded (docs/domain.md,
// "Incoterms and insurance cover"), until test/generated catches up with the schema.
export interface ExportTerms {
  namedPlace?: string;
  dispatchCountry?: string | null;
  charges?: { freight?: Money | null; insurance?: Money | null; duties?: Money | null } | null;
}
type Money = { amount: string; currency: string };

/**
 * A shipment of the order's default kind (EUR, DAP: delivered to Paris, freight paid by the
 * seller) in one parcel of one default piece; override what differs.
 */
export function shipmentInput(orderId: string, overrides: Partial<CreateShipmentInput> & ExportTerms = {}): CreateShipmentInput {
  return { orderId, carrier: "DHL_EXPRESS", service: "EXPRESS WORLDWIDE", packages: [parcel()], namedPlace: "Paris (CDG), France", charges: { freight: eur("40.00") }, ...overrides } as CreateShipmentInput;
}

export async function createShipment(facet: TestFacet, managerToken: string, input: CreateShipmentInput): Promise<CreatedShipment> {
  const { createShipment } = ok(await facet.gql(ShipCreateDocument, { input }, { token: managerToken }));
  expect(createShipment.userErrors).toEqual([]);
  return createShipment.shipment!;
}

/** The payload as a client receives it (times as ISO strings). */
export async function recordEvent(facet: TestFacet, managerToken: string, input: RecordTrackingEventInput) {
  const { recordTrackingEvent } = ok(await facet.gql(ShipRecordEventDocument, { input }, { token: managerToken }));
  expect(recordTrackingEvent.userErrors).toEqual([]);
  return asReceived(recordTrackingEvent);
}

/** In process, Apollo hands back Date objects where a client would read ISO strings. */
export const asReceived = <T>(value: T): T => JSON.parse(JSON.stringify(value));

// Fresh numbers with valid check digits, so runs on the same database never collide.

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");

/** An IATA air waybill "PPP-SSSSSSSC" with a valid mod-7 check digit. */
export function freshAwb(prefix = "176"): string {
  const serial = digits(7);
  return `${prefix}-${serial}${Number(serial) % 7}`;
}

/** A 10-digit DHL Express waybill: 9 digits and their mod-7 check. */
export function freshDhlWaybill(): string {
  const serial = `9${digits(8)}`;
  return `${serial}${Number(serial) % 7}`;
}

/** A 12-digit FedEx Express number. */
export function freshFedexExpress(): string {
  const body = `7${digits(10)}`;
  const weights = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return `${body}${(sum % 11) % 10}`;
}

/** A UPS 1Z number (digits only after 1Z, so the check is the plain mod 10). */
export function freshUps1z(): string {
  const serial = digits(15);
  const sum = [...serial].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 1 ? 2 : 1), 0);
  return `1Z${serial}${(10 - (sum % 10)) % 10}`;
}

/** An ISO time `hours` from now (negative: in the past). */
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

export const sha256Of = (seed: string) => Buffer.from(seed.padEnd(32, "#").slice(0, 32)).toString("hex");

/**
 * `count` shipments of one packed order, one line each (a gold ring per line), with the given
 * carriers in turn: the cheap way to many shipments made by the real mutations.
 */
export async function shipmentsOfOneOrder(
  facet: TestFacet,
  distributor: Distributor,
  tokens: { buyer: string; manager: string },
  count: number,
  carriers: CreateShipmentInput["carrier"][] = ["DHL_EXPRESS"],
): Promise<{ order: PlacedOrder; shipments: CreatedShipment[] }> {
  const variant = await stockedVariant(facet, distributor);
  const order = await packedOrder(facet, tokens, Array.from({ length: count }, () => ({ variantId: variant, quantity: 1 })));
  const shipments: CreatedShipment[] = [];
  for (let i = 0; i < count; i++) {
    shipments.push(
      await createShipment(facet, tokens.manager, shipmentInput(order.id, { carrier: carriers[i % carriers.length], lines: [{ lineNumber: i + 1 }] })),
    );
  }
  return { order, shipments };
}
