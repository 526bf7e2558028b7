import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ApiScope, UserRole } from "../src/core/access";
import { idOfType, toGlobalId } from "../src/graphql/node";
import {
  ShipAddDocumentDocument,
  ShipByAirwayBillDocument,
  ShipByIdDocument,
  ShipByTrackingNumberDocument,
  ShipByTwoKeysDocument,
  ShipCreateDocument,
  ShipListDocument,
  ShipNodeDocument,
  ShipOrderDocument,
  ShipPortalPageDocument,
  ShipReadmeTrackDocument,
  ShipRecordEventDocument,
  ShipSetAirwayBillDocument,
  ShipSetTrackingNumberDocument,
  type AddShipmentDocumentInput,
  type CreateShipmentInput,
  type CurrencyCode,
  type SetAirwayBillInput,
} from "./generated/graphql";
import { toScaled } from "../src/graphql/money";
import { TrackingCarrier, isValidShippingBillNumber, parseIataAwb, parseTrackingNumber } from "../src/modules/shipments/identifiers";
import { clientToken, createApiClient, createDistributor, createUser, twoTenants, userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import {
  createShipment,
  eur,
  freshAwb,
  freshDhlWaybill,
  freshFedexExpress,
  freshUps1z,
  hoursFromNow,
  packedOrder,
  packOrder,
  parcel,
  placeOrder,
  recordEvent,
  sha256Of,
  shipmentInput,
  shipmentsOfOneOrder,
  stockedVariant,
  type CreatedShipment,
  type ExportTerms,
} from "./support/shipment-factories";
import { dateFromToday } from "./support/catalog-factories";

let facet: TestFacet;
let tenants: Awaited<ReturnType<typeof twoTenants>>;
let a: { buyer: string; manager: string };
// Distributors this file made: their shipments give the numbers of docs/domain.md back at the end.
const distributorIds: string[] = [];

beforeAll(async () => {
  facet = await startFacet();
  tenants = await twoTenants(facet.dataSource, facet.config);
  distributorIds.push(tenants.a.distributor.id, tenants.b.distributor.id);
  a = { buyer: tenants.a.tokens.buyer, manager: tenants.staff.manager };
});
afterAll(async () => {
  // The vectors of docs/domain.md are fixed numbers and air waybills and tracking numbers are unique:
  // free them for the next run on this database.
  await facet.dataSource.query(
    `UPDATE shipments SET awb_number = NULL, awb_type = NULL, master_awb_number = NULL, tracking_number = NULL, tracking_url = NULL
     WHERE distributor_id = ANY($1)`,
    [distributorIds],
  );
  await facet.stop();
});

function asManager<TData, TVars extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVars>, variables: TVars): Promise<GraphQLResult<TData>> {
  return facet.gql(document, variables, { token: tenants.staff.manager });
}

function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return facet.dataSource.query(text, params);
}

type Refusal = { userErrors: { field?: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);
const rawId = (globalId: string, type = "Shipment") => idOfType(globalId, type)!;

/** Shipments of A's distributor, one per line of one packed order. */
async function shipmentsOfA(count: number, carriers?: CreateShipmentInput["carrier"][]): Promise<CreatedShipment[]> {
  return (await shipmentsOfOneOrder(facet, tenants.a.distributor, a, count, carriers)).shipments;
}

const shipmentRow = async (id: string) => (await sql(`SELECT * FROM shipments WHERE id = $1`, [rawId(id)]))[0];

// ---- createShipment -----------------------------------------------------------------------------

describe("createShipment", () => {
  it("ships every line of a packed order with its packages, carrier and service", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor, { price: "250.00" });
    const chain = await stockedVariant(facet, tenants.a.distributor, { price: "80.00" });
    const order = await packedOrder(facet, a, [
      { variantId: ring, quantity: 3 },
      { variantId: chain, quantity: 2 },
    ]);
    const { createShipment: payload } = ok(
      await asManager(ShipCreateDocument, {
        input: shipmentInput(order.id, {
          carrier: "FEDEX",
          service: "  INTERNATIONAL PRIORITY ",
          // Five 3 g pieces: the packages' net weights are theirs (docs/domain.md, "Net and gross weights").
          packages: [parcel({ count: 2, netWeightKg: "0.006", grossWeightKg: "0.950", lengthCm: 30 }), parcel({ netWeightKg: "0.003", grossWeightKg: "0.6" })],
        }),
      }),
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment).toMatchObject({
      carrier: "FEDEX",
      service: "INTERNATIONAL PRIORITY",
      status: "PENDING",
      trackingNumber: null,
      airwayBill: null,
      shippedAt: null,
      estimatedDeliveryAt: null,
      deliveredAt: null,
      order: { id: order.id, number: order.number, status: "PACKED" },
      packingList: {
        packageCount: 3,
        totalNetWeightKg: "0.015",
        totalGrossWeightKg: "2.5",
        packages: [
          { count: 2, netWeightKg: "0.006", grossWeightKg: "0.950", lengthCm: 30, widthCm: 20, heightCm: 12 },
          { count: 1, netWeightKg: "0.003", grossWeightKg: "0.6", lengthCm: 25, widthCm: 20, heightCm: 12 },
        ],
        lines: [
          { lineNumber: 1, sku: order.lines[0].sku, quantity: 3 },
          { lineNumber: 2, sku: order.lines[1].sku, quantity: 2 },
        ],
      },
    });
    const lines = await sql(`SELECT quantity FROM shipment_lines WHERE shipment_id = $1 ORDER BY quantity`, [rawId(payload.shipment!.id)]);
    expect(lines).toEqual([{ quantity: 2 }, { quantity: 3 }]);

    const { order: read } = ok(await facet.gql(ShipOrderDocument, { id: order.id }, { token: a.buyer }));
    expect(read!.shipments).toEqual([{ id: payload.shipment!.id, status: "PENDING" }]);
    // Nothing has left the building yet: the order stays PACKED.
    expect(read!.status).toBe("PACKED");
  });

  it("ships some lines, or some units of a line, and then what remains", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor);
    const order = await packedOrder(facet, a, [
      { variantId: ring, quantity: 5 },
      { variantId: ring, quantity: 2 },
      { variantId: ring, quantity: 1 },
    ]);
    const first = await createShipment(facet, a.manager, shipmentInput(order.id, { lines: [{ lineNumber: 1, quantity: 2 }, { lineNumber: 3 }], packages: [parcel({ netWeightKg: "0.009" })] }));
    expect(first.packingList.lines).toEqual([
      { lineNumber: 1, sku: order.lines[0].sku, quantity: 2 },
      { lineNumber: 3, sku: order.lines[2].sku, quantity: 1 },
    ]);

    // Line 1 has 3 units left: 4 is refused, and nothing is written.
    const tooMany = ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id, { lines: [{ lineNumber: 1, quantity: 4 }] }) })).createShipment;
    expect(tooMany.shipment).toBeNull();
    expect(fieldsAndCodes(tooMany)).toEqual([[["input", "lines", "0", "quantity"], "OUT_OF_RANGE"]]);
    expect(tooMany.userErrors[0].message).toBe("Line 1 has 3 unit(s) not yet in a shipment: ship 1 to 3");
    const shipped = ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id, { lines: [{ lineNumber: 3 }] }) })).createShipment;
    expect(fieldsAndCodes(shipped)).toEqual([[["input", "lines", "0", "lineNumber"], "INVALID_STATE"]]);

    const rest = await createShipment(facet, a.manager, shipmentInput(order.id, { packages: [parcel({ netWeightKg: "0.015" })] }));
    expect(rest.packingList.lines).toEqual([
      { lineNumber: 1, sku: order.lines[0].sku, quantity: 3 },
      { lineNumber: 2, sku: order.lines[1].sku, quantity: 2 },
    ]);
    const none = ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id) })).createShipment;
    expect(fieldsAndCodes(none)).toEqual([[["input", "lines"], "INVALID_STATE"]]);

    const units = await sql(
      `SELECT ol.line_number, sum(sl.quantity)::int AS shipped FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
       WHERE ol.order_id = $1 GROUP BY ol.line_number ORDER BY ol.line_number`,
      [rawId(order.id, "Order")],
    );
    expect(units).toEqual([
      { line_number: 1, shipped: 5 },
      { line_number: 2, shipped: 2 },
      { line_number: 3, shipped: 1 },
    ]);
  });

  describe("refuses, writing nothing,", () => {
    let orderId: string;
    beforeAll(async () => {
      const ring = await stockedVariant(facet, tenants.a.distributor);
      orderId = (await packedOrder(facet, a, [{ variantId: ring, quantity: 2 }, { variantId: ring, quantity: 1 }])).id;
    });
    afterEach(async () => {
      expect(await sql(`SELECT id FROM shipments WHERE order_id = $1`, [rawId(orderId, "Order")])).toEqual([]);
    });

    it.each<[string, Partial<CreateShipmentInput>, (string | number)[], string]>([
      ["gross weight below net weight", { packages: [parcel({ netWeightKg: "1.2", grossWeightKg: "1.1" })] }, ["packages", 0, "grossWeightKg"], "INVALID"],
      ["a net weight of 0", { packages: [parcel({ netWeightKg: "0" })] }, ["packages", 0, "netWeightKg"], "OUT_OF_RANGE"],
      ["a negative gross weight", { packages: [parcel({ grossWeightKg: "-1" })] }, ["packages", 0, "grossWeightKg"], "OUT_OF_RANGE"],
      ["grams below a gram", { packages: [parcel({ netWeightKg: "0.4505" })] }, ["packages", 0, "netWeightKg"], "INVALID"],
      ["a package count of 0", { packages: [parcel(), parcel({ count: 0 })] }, ["packages", 1, "count"], "OUT_OF_RANGE"],
      ["a length of 0 cm", { packages: [parcel({ lengthCm: 0 })] }, ["packages", 0, "lengthCm"], "OUT_OF_RANGE"],
      ["a height of 501 cm", { packages: [parcel({ heightCm: 501 })] }, ["packages", 0, "heightCm"], "OUT_OF_RANGE"],
      ["no packages", { packages: [] }, ["packages"], "REQUIRED"],
      ["a blank service", { service: "  " }, ["service"], "REQUIRED"],
      ["a line the order does not have", { lines: [{ lineNumber: 3 }] }, ["lines", 0, "lineNumber"], "NOT_FOUND"],
      ["more units than the line has", { lines: [{ lineNumber: 1, quantity: 3 }] }, ["lines", 0, "quantity"], "OUT_OF_RANGE"],
      ["0 units", { lines: [{ lineNumber: 1, quantity: 0 }] }, ["lines", 0, "quantity"], "OUT_OF_RANGE"],
      ["the same line twice", { lines: [{ lineNumber: 1, quantity: 1 }, { lineNumber: 1, quantity: 1 }] }, ["lines", 1, "lineNumber"], "INVALID"],
      ["an empty list of lines", { lines: [] }, ["lines"], "REQUIRED"],
      ["an unknown order", { orderId: toGlobalId("Order", randomUUID()) }, ["orderId"], "NOT_FOUND"],
      ["an id of another type", { orderId: toGlobalId("Shipment", randomUUID()) }, ["orderId"], "NOT_FOUND"],
    ])("%s", async (_why, overrides, field, code) => {
      const { createShipment } = ok(await asManager(ShipCreateDocument, { input: shipmentInput(orderId, overrides) }));
      expect(createShipment.shipment).toBeNull();
      expect(fieldsAndCodes(createShipment)).toEqual([[["input", ...field.map(String)], code]]);
    });
  });

  it("ships only confirmed orders (a PACKED one wholly; see partial-shipments.test.ts for what ships before)", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor);
    const order = await placeOrder(facet, a.buyer, [{ variantId: ring, quantity: 1 }]);
    const pending = ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id) })).createShipment;
    expect(fieldsAndCodes(pending)).toEqual([[["input", "orderId"], "INVALID_STATE"]]);
    expect(pending.userErrors[0].message).toBe("An order ships once it is confirmed; this one is PENDING");
    await packOrder(facet, a.manager, order.id);
    expect(ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id) })).createShipment.userErrors).toEqual([]);
  });

  it("insures under CIP at 110% of the invoice total or more, in the order's currency", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor, { price: "333.33" });
    const order = await packedOrder(facet, a, [{ variantId: ring, quantity: 3 }], "CIP");
    const cover = (amount: string, currency: CurrencyCode = "EUR") => ({ insurer: "Lloyd's Jewellers Block", policyNumber: "JB-1", insuredAmount: { amount, currency } });
    // Under CIP the seller pays the freight and the insurance premium: both are on the invoice.
    const cip = { charges: { freight: eur("40.00"), insurance: eur("5.00") } };
    const refused: [Partial<CreateShipmentInput> & ExportTerms, string[], string][] = [
      [cip, ["input", "insurance"], "REQUIRED"],
      // 2 units: (666.66 + 40.00 + 5.00) × 110% = 782.826, so 782.83 at the least.
      [{ ...cip, lines: [{ lineNumber: 1, quantity: 2 }], insurance: cover("782.82") }, ["input", "insurance", "insuredAmount", "amount"], "OUT_OF_RANGE"],
      [{ ...cip, insurance: cover("1200.00", "USD") }, ["input", "insurance", "insuredAmount", "currency"], "INVALID"],
      [{ ...cip, insurance: cover("1200.001") }, ["input", "insurance", "insuredAmount", "amount"], "INVALID"],
      [{ ...cip, insurance: { ...cover("1200.00"), insurer: " " } }, ["input", "insurance", "insurer"], "REQUIRED"],
    ];
    for (const [overrides, field, code] of refused) {
      const { createShipment } = ok(await asManager(ShipCreateDocument, { input: shipmentInput(order.id, overrides) }));
      expect(fieldsAndCodes(createShipment)).toEqual([[field, code]]);
    }
    expect(await sql(`SELECT id FROM shipments WHERE order_id = $1`, [rawId(order.id, "Order")])).toEqual([]);

    const shipment = await createShipment(
      facet,
      a.manager,
      shipmentInput(order.id, { ...cip, lines: [{ lineNumber: 1, quantity: 2 }], insurance: cover("782.83"), packages: [parcel({ netWeightKg: "0.006" })] }),
    );
    expect(await shipmentRow(shipment.id)).toMatchObject({ insurer: "Lloyd's Jewellers Block", insurance_policy_number: "JB-1", insured_amount: "782.8300" });
  });

  it("lets only one of two simultaneous shipments claim the same units", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor);
    const order = await packedOrder(facet, a, [{ variantId: ring, quantity: 4 }]);
    const results = await Promise.all([1, 2].map(() => asManager(ShipCreateDocument, { input: shipmentInput(order.id, { lines: [{ lineNumber: 1, quantity: 3 }], packages: [parcel({ netWeightKg: "0.009" })] }) })));
    const payloads = results.map((r) => ok(r).createShipment);
    expect(payloads.filter((p) => p.shipment).length).toBe(1);
    expect(fieldsAndCodes(payloads.find((p) => !p.shipment)!)).toEqual([[["input", "lines", "0", "quantity"], "OUT_OF_RANGE"]]);
    const [{ shipped }] = await sql(`SELECT sum(sl.quantity)::int AS shipped FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id WHERE ol.order_id = $1`, [
      rawId(order.id, "Order"),
    ]);
    expect(shipped).toBe(3);
  });
});

// ---- setAirwayBill ------------------------------------------------------------------------------

describe("setAirwayBill", () => {
  const setAwb = (input: SetAirwayBillInput) => asManager(ShipSetAirwayBillDocument, { input }).then((r) => ok(r).setAirwayBill);

  // docs/domain.md, "Air waybills": its vectors
  it.each([
    ["17612345675", "MASTER", "176-12345675", "Emirates"],
    ["020-81140743", "MASTER", "020-81140743", "Lufthansa Cargo"],
    ["057-00000000", "DIRECT", "057-00000000", "Air France"],
    ["12312345675", "DIRECT", "123-12345675", null],
  ] as const)("accepts %s as a %s bill, stores its digits and shows %s (%s)", async (number, type, display, airline) => {
    const [shipment] = await shipmentsOfA(1);
    const payload = await setAwb({ shipmentId: shipment.id, number, type });
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment!.airwayBill).toEqual({ number: display, type, airline, masterAirwayBill: null });
    expect(await shipmentRow(shipment.id)).toMatchObject({ awb_number: display.replace("-", ""), awb_type: type, master_awb_number: null });
    for (const form of [display, display.replace("-", "")]) {
      expect(ok(await facet.gql(ShipByAirwayBillDocument, { airwayBill: form }, { token: a.buyer })).shipment).toEqual({
        id: shipment.id,
        airwayBill: { number: display, type, airline },
      });
    }
    // Give the vector back for the other cases and runs.
    expect((await setAwb({ shipmentId: shipment.id, number: freshAwb(), type: "MASTER" })).userErrors).toEqual([]);
  });

  it.each([
    ["123-12345674", "a wrong check digit"],
    ["176-12345679", "a check digit above 6"],
    ["1231234567", "10 digits"],
    ["176123456751", "12 digits"],
    ["ABC-12345675", "a non-numeric prefix"],
    ["", "nothing"],
  ])("refuses %j (%s) and writes nothing", async (number) => {
    const [shipment] = await shipmentsOfA(1);
    for (const type of ["MASTER", "DIRECT"] as const) {
      const payload = await setAwb({ shipmentId: shipment.id, number, type });
      expect(payload.shipment).toBeNull();
      expect(fieldsAndCodes(payload)).toEqual([[["input", "number"], "INVALID"]]);
    }
    expect(await shipmentRow(shipment.id)).toMatchObject({ awb_number: null, awb_type: null });
  });

  it("records a house bill under its master, named by the master's airline", async () => {
    const [shipment] = await shipmentsOfA(1);
    const master = freshAwb("020");
    const payload = await setAwb({ shipmentId: shipment.id, number: "hawb 0042".replace(" ", ""), type: "HOUSE", masterAirwayBill: master.replace("-", "") });
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment!.airwayBill).toEqual({ number: "HAWB0042", type: "HOUSE", airline: "Lufthansa Cargo", masterAirwayBill: master });
    expect(await shipmentRow(shipment.id)).toMatchObject({ awb_number: "HAWB0042", awb_type: "HOUSE", master_awb_number: master.replace("-", "") });
    expect(ok(await facet.gql(ShipByAirwayBillDocument, { airwayBill: "hawb0042" }, { token: a.buyer })).shipment?.id).toBe(shipment.id);

    // Replaced by a master bill, it no longer names one.
    const direct = await setAwb({ shipmentId: shipment.id, number: freshAwb(), type: "MASTER" });
    expect(direct.shipment!.airwayBill!.masterAirwayBill).toBeNull();
    expect(await shipmentRow(shipment.id)).toMatchObject({ master_awb_number: null });
  });

  it("refuses a house bill without a valid master, under another house bill, or a master with a master", async () => {
    const [house, other] = await shipmentsOfA(2);
    // A forwarder's number that happens to look like an IATA bill.
    const houseNumber = freshAwb().replace("-", "");
    expect((await setAwb({ shipmentId: house.id, number: houseNumber, type: "HOUSE", masterAirwayBill: freshAwb() })).userErrors).toEqual([]);
    const master = freshAwb();
    const cases: [SetAirwayBillInput, string[], string][] = [
      [{ shipmentId: other.id, number: "H1", type: "HOUSE" }, ["input", "masterAirwayBill"], "REQUIRED"],
      [{ shipmentId: other.id, number: "H1", type: "HOUSE", masterAirwayBill: "176-12345674" }, ["input", "masterAirwayBill"], "INVALID"],
      [{ shipmentId: other.id, number: "H-1", type: "HOUSE", masterAirwayBill: master }, ["input", "number"], "INVALID"],
      [{ shipmentId: other.id, number: "ABCDEFGHJKLMN", type: "HOUSE", masterAirwayBill: master }, ["input", "number"], "INVALID"],
      [{ shipmentId: other.id, number: master.replace("-", ""), type: "HOUSE", masterAirwayBill: master }, ["input", "number"], "INVALID"],
      [{ shipmentId: other.id, number: "H1", type: "HOUSE", masterAirwayBill: houseNumber }, ["input", "masterAirwayBill"], "INVALID"],
      [{ shipmentId: other.id, number: master, type: "MASTER", masterAirwayBill: freshAwb() }, ["input", "masterAirwayBill"], "INVALID"],
      [{ shipmentId: other.id, number: houseNumber, type: "HOUSE", masterAirwayBill: master }, ["input", "number"], "TAKEN"],
      [{ shipmentId: toGlobalId("Shipment", randomUUID()), number: master, type: "MASTER" }, ["input", "shipmentId"], "NOT_FOUND"],
    ];
    for (const [input, field, code] of cases) {
      const payload = await setAwb(input);
      expect([input, fieldsAndCodes(payload)]).toEqual([input, [[field, code]]]);
    }
    expect(await shipmentRow(other.id)).toMatchObject({ awb_number: null, awb_type: null, master_awb_number: null });
  });

  it("keeps one air waybill on one shipment", async () => {
    const [first, second] = await shipmentsOfA(2);
    const number = freshAwb();
    expect((await setAwb({ shipmentId: first.id, number, type: "MASTER" })).userErrors).toEqual([]);
    const taken = await setAwb({ shipmentId: second.id, number: number.replace("-", ""), type: "DIRECT" });
    expect(fieldsAndCodes(taken)).toEqual([[["input", "number"], "TAKEN"]]);
    expect(await shipmentRow(second.id)).toMatchObject({ awb_number: null });
  });
});

// ---- setTrackingNumber --------------------------------------------------------------------------

describe("setTrackingNumber", () => {
  const setTracking = (shipmentId: string, trackingNumber: string) =>
    asManager(ShipSetTrackingNumberDocument, { input: { shipmentId, trackingNumber } }).then((r) => ok(r).setTrackingNumber);

  // docs/domain.md, "Carrier tracking numbers": its vectors, the sample numbers of its source
  it.each([
    ["DHL_EXPRESS", "3318 8100 25", "3318810025", "https://www.dhl.com/en/express/tracking.html?AWB=3318810025&brand=DHL"],
    ["DHL_EXPRESS", "JJD0099999999", "JJD0099999999", "https://www.dhl.com/en/express/tracking.html?AWB=JJD0099999999&brand=DHL"],
    ["FEDEX", "986578788855", "986578788855", "https://www.fedex.com/fedextrack/?trknbr=986578788855"],
    ["FEDEX", "0414 4176 0228 964", "041441760228964", "https://www.fedex.com/fedextrack/?trknbr=041441760228964"],
    ["UPS", "1z5r89390357567127", "1Z5R89390357567127", "https://www.ups.com/track?tracknum=1Z5R89390357567127"],
    ["UPS", "K1506235620", "K1506235620", "https://www.ups.com/track?tracknum=K1506235620"],
    ["FREIGHT_FORWARDER", "kn-4711-0042", "KN-4711-0042", null],
  ] as const)("accepts a %s number %j as %s and links to %s", async (carrier, input, stored, url) => {
    const [shipment] = await shipmentsOfA(1, [carrier]);
    const payload = await setTracking(shipment.id, input);
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment).toEqual({ id: shipment.id, carrier, trackingNumber: stored, trackingUrl: url });
    expect(await shipmentRow(shipment.id)).toMatchObject({ tracking_number: stored, tracking_url: url });
    expect(ok(await facet.gql(ShipByTrackingNumberDocument, { trackingNumber: input }, { token: a.buyer })).shipment).toEqual({ id: shipment.id, trackingNumber: stored });
    // Give the vector back for the other cases and runs.
    await facet.dataSource.query(`UPDATE shipments SET tracking_number = NULL, tracking_url = NULL WHERE id = $1`, [rawId(shipment.id)]);
  });

  it.each([
    ["DHL_EXPRESS", "3318810010", "a wrong mod-7 check"],
    ["DHL_EXPRESS", "XJD0099999998", "a piece id not starting with J"],
    ["DHL_EXPRESS", "986578788855", "a FedEx number"],
    ["FEDEX", "996578788855", "a wrong Express check digit"],
    ["FEDEX", "568283610012732", "a wrong Ground check digit"],
    ["FEDEX", "1Z5R89390357567127", "a UPS number"],
    ["UPS", "1Z1111111111111111", "a wrong check digit"],
    ["UPS", "1Z5R8939035756712F", "a letter for the check digit"],
    ["UPS", "1A5R89390357567127", "not 1Z"],
    ["UPS", "K1506235622", "a wrong waybill check digit"],
    ["FREIGHT_FORWARDER", "KN/4711", "a slash"],
  ] as const)("refuses a %s number %j (%s) and writes nothing", async (carrier, number, _why) => {
    const [shipment] = await shipmentsOfA(1, [carrier]);
    const payload = await setTracking(shipment.id, number);
    expect(payload.shipment).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual([[["input", "trackingNumber"], "INVALID"]]);
    expect(await shipmentRow(shipment.id)).toMatchObject({ tracking_number: null, tracking_url: null });
  });

  it("keeps one tracking number per carrier on one shipment", async () => {
    const [first, second] = await shipmentsOfA(2, ["UPS"]);
    const number = freshUps1z();
    expect((await setTracking(first.id, number)).userErrors).toEqual([]);
    expect(fieldsAndCodes(await setTracking(second.id, number))).toEqual([[["input", "trackingNumber"], "TAKEN"]]);
    expect(fieldsAndCodes(await setTracking(toGlobalId("Shipment", randomUUID()), number))).toEqual([[["input", "shipmentId"], "NOT_FOUND"]]);
  });
});

// ---- addShipmentDocument ------------------------------------------------------------------------

describe("addShipmentDocument", () => {
  let shipment: CreatedShipment;
  beforeAll(async () => {
    [shipment] = await shipmentsOfA(1);
  });
  const doc = (overrides: Partial<AddShipmentDocumentInput>): AddShipmentDocumentInput => ({
    shipmentId: shipment.id,
    kind: "COMMERCIAL_INVOICE",
    number: `INV-${randomUUID().slice(0, 8)}`,
    issueDate: dateFromToday(-1),
    url: "https://files.example/doc.pdf",
    sha256: sha256Of(randomUUID()),
    ...overrides,
  });
  const add = (input: AddShipmentDocumentInput) => asManager(ShipAddDocumentDocument, { input }).then((r) => ok(r).addShipmentDocument);
  const documentCount = async () => Number((await sql(`SELECT count(*) FROM shipment_documents WHERE shipment_id = $1`, [rawId(shipment.id)]))[0].count);

  it("attaches every kind of export document a shipment of jewellery from India carries, in the order added, and touches the shipment", async () => {
    const before = (await shipmentRow(shipment.id)).updated_at as Date;
    const inputs = [
      doc({ kind: "COMMERCIAL_INVOICE", number: "INV-2026-0042" }),
      doc({ kind: "PACKING_LIST", number: "PL-2026-0042" }),
      doc({ kind: "CERTIFICATE_OF_ORIGIN", number: "COO-0042" }),
      // Dispatched from India: an Indian shipping bill, known by its number, date and port code.
      doc({ kind: "EXPORT_DECLARATION", number: "5512345", portCode: "inbom4" } as Partial<AddShipmentDocumentInput>),
      doc({ kind: "INSURANCE_CERTIFICATE", number: "JB-2026-0417-7" }),
      doc({ kind: "AIRWAY_BILL", number: "176-12345675" }),
      doc({ kind: "GEMSTONE_REPORT", number: "GIA 2141438171", sha256: sha256Of("report").toUpperCase(), issueDate: dateFromToday(0) }),
    ];
    let documents: NonNullable<Awaited<ReturnType<typeof add>>["shipment"]>["documents"] = [];
    for (const input of inputs) {
      const payload = await add(input);
      expect(payload.userErrors).toEqual([]);
      documents = payload.shipment!.documents;
    }
    expect(documents).toEqual(
      inputs.map((i) => ({ kind: i.kind, number: i.number.toUpperCase(), issueDate: i.issueDate, url: i.url, sha256: i.sha256.toLowerCase() })),
    );
    // A Kimberley Process certificate is for rough diamonds: this shipment of rings has none.
    expect(fieldsAndCodes(await add(doc({ kind: "KIMBERLEY_PROCESS_CERTIFICATE", number: "KP-IN-0042" })))).toEqual([[["input", "kind"], "INVALID"]]);
    expect(await sql(`SELECT port_code FROM shipment_documents WHERE shipment_id = $1 AND kind = 'EXPORT_DECLARATION'`, [rawId(shipment.id)])).toEqual([{ port_code: "INBOM4" }]);
    expect(((await shipmentRow(shipment.id)).updated_at as Date).getTime()).toBeGreaterThan(before.getTime());
  });

  it.each<[string, Partial<AddShipmentDocumentInput>, string, string]>([
    ["an http link", { url: "http://files.example/doc.pdf" }, "url", "INVALID"],
    ["a link with credentials", { url: "https://user:pw@files.example/doc.pdf" }, "url", "INVALID"],
    ["not a link", { url: "files.example/doc.pdf" }, "url", "INVALID"],
    ["a SHA-256 of 63 characters", { sha256: sha256Of("x").slice(1) }, "sha256", "INVALID"],
    ["a SHA-256 that is not hex", { sha256: `${sha256Of("x").slice(1)}g` }, "sha256", "INVALID"],
    ["an issue date in the future", { issueDate: dateFromToday(2) }, "issueDate", "OUT_OF_RANGE"],
    ["a blank number", { number: " " }, "number", "REQUIRED"],
    ["a number of 61 characters", { number: "N".repeat(61) }, "number", "TOO_LONG"],
    // docs/domain.md, "Export declaration numbers": on a shipment from India nothing but a shipping
    // bill is a declaration (the ITN and MRN vectors on US and EU shipments: test/export-compliance-shipments.test.ts)
    ["an ITN of 13 digits", { kind: "EXPORT_DECLARATION", number: "X2019030836690" }, "number", "INVALID"],
    ["an ITN with the wrong letter", { kind: "EXPORT_DECLARATION", number: "Y20190308366903" }, "number", "INVALID"],
    ["an ITN dated month 13", { kind: "EXPORT_DECLARATION", number: "X20191308366903" }, "number", "INVALID"],
    ["an MRN with a wrong check character", { kind: "EXPORT_DECLARATION", number: "06DE586600006143E2" }, "number", "INVALID"],
    ["a published MRN that fails its check", { kind: "EXPORT_DECLARATION", number: "22GB02I89012847596" }, "number", "INVALID"],
    ["an export declaration numbered like an invoice", { kind: "EXPORT_DECLARATION", number: "INV-2026-0042" }, "number", "INVALID"],
  ])("refuses %s and writes nothing", async (_why, overrides, field, code) => {
    const count = await documentCount();
    const payload = await add(doc(overrides));
    expect(payload.shipment).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual([[["input", field], code]]);
    expect(await documentCount()).toBe(count);
  });

  it("refuses the same document twice", async () => {
    expect((await add(doc({ kind: "PACKING_LIST", number: "PL-2026-0099" }))).userErrors).toEqual([]);
    const again = await add(doc({ kind: "PACKING_LIST", number: "pl-2026-0099" }));
    expect(fieldsAndCodes(again)).toEqual([[["input", "number"], "TAKEN"]]);
    const unknown = await add(doc({ shipmentId: toGlobalId("Shipment", randomUUID()) }));
    expect(fieldsAndCodes(unknown)).toEqual([[["input", "shipmentId"], "NOT_FOUND"]]);
  });
});

// ---- reads, tenancy and access --------------------------------------------------------------------

describe("tenancy", () => {
  let shipment: CreatedShipment;
  let awb: string;
  let tracking: string;
  beforeAll(async () => {
    [shipment] = await shipmentsOfA(1, ["FEDEX"]);
    awb = freshAwb();
    tracking = freshFedexExpress();
    expect(ok(await asManager(ShipSetAirwayBillDocument, { input: { shipmentId: shipment.id, number: awb, type: "MASTER" } })).setAirwayBill.userErrors).toEqual([]);
    expect(ok(await asManager(ShipSetTrackingNumberDocument, { input: { shipmentId: shipment.id, trackingNumber: tracking } })).setTrackingNumber.userErrors).toEqual([]);
  });

  it("shows a distributor's shipment to its people, its ERP client and staff, by id, air waybill and tracking number", async () => {
    const readers = [tenants.a.tokens.buyer, tenants.a.tokens.admin, tenants.a.tokens.client, tenants.staff.manager, tenants.staff.support];
    for (const token of readers) {
      expect(ok(await facet.gql(ShipByIdDocument, { id: shipment.id }, { token })).shipment?.id).toBe(shipment.id);
      for (const airwayBill of [awb, awb.replace("-", "")]) {
        expect(ok(await facet.gql(ShipByAirwayBillDocument, { airwayBill }, { token })).shipment?.id).toBe(shipment.id);
      }
      expect(ok(await facet.gql(ShipByTrackingNumberDocument, { trackingNumber: tracking }, { token })).shipment?.id).toBe(shipment.id);
      expect(ok(await facet.gql(ShipNodeDocument, { id: shipment.id }, { token })).node?.id).toBe(shipment.id);
    }
  });

  it("answers another distributor exactly as for a shipment that does not exist", async () => {
    const unknownAwb = freshAwb();
    const pairs: [() => Promise<unknown>, () => Promise<unknown>][] = [];
    for (const token of [tenants.b.tokens.buyer, tenants.b.tokens.admin, tenants.b.tokens.client]) {
      pairs.push(
        [() => facet.gql(ShipByIdDocument, { id: shipment.id }, { token }), () => facet.gql(ShipByIdDocument, { id: toGlobalId("Shipment", randomUUID()) }, { token })],
        [() => facet.gql(ShipByAirwayBillDocument, { airwayBill: awb }, { token }), () => facet.gql(ShipByAirwayBillDocument, { airwayBill: unknownAwb }, { token })],
        [
          () => facet.gql(ShipByAirwayBillDocument, { airwayBill: awb.replace("-", "") }, { token }),
          () => facet.gql(ShipByAirwayBillDocument, { airwayBill: unknownAwb.replace("-", "") }, { token }),
        ],
        [
          () => facet.gql(ShipByTrackingNumberDocument, { trackingNumber: tracking }, { token }),
          () => facet.gql(ShipByTrackingNumberDocument, { trackingNumber: freshFedexExpress() }, { token }),
        ],
        [() => facet.gql(ShipNodeDocument, { id: shipment.id }, { token }), () => facet.gql(ShipNodeDocument, { id: toGlobalId("Shipment", randomUUID()) }, { token })],
      );
    }
    // The rate-limit budget in extensions refills between calls; what is compared is the answer.
    const answerOf = (result: unknown) => ({ data: (result as GraphQLResult<unknown>).data, errors: (result as GraphQLResult<unknown>).errors });
    for (const [foreign, unknown] of pairs) {
      const answer = await foreign();
      expect(answerOf(answer)).toEqual(answerOf(await unknown()));
      expect(JSON.stringify(answer)).not.toContain(shipment.id);
      expect((answer as GraphQLResult<unknown>).errors).toBeUndefined();
    }
    const listed = ok(await facet.gql(ShipListDocument, { first: 100 }, { token: tenants.b.tokens.buyer })).shipments!.edges.map((e) => e.node.id);
    expect(listed).not.toContain(shipment.id);
    const order = ok(await facet.gql(ShipOrderDocument, { id: shipment.order!.id }, { token: tenants.b.tokens.buyer })).order;
    expect(order).toBeNull();
  });

  it("refuses a lookup by two keys at once", async () => {
    const result = await facet.gql(ShipByTwoKeysDocument, { id: shipment.id, airwayBill: awb }, { token: a.buyer });
    expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("access", () => {
  let shipment: CreatedShipment;
  let orderId: string;
  beforeAll(async () => {
    [shipment] = await shipmentsOfA(1);
    const ring = await stockedVariant(facet, tenants.a.distributor);
    orderId = (await packedOrder(facet, a, [{ variantId: ring, quantity: 1 }])).id;
  });

  const attempts = (): [string, (token?: string) => Promise<GraphQLResult<unknown>>][] => [
    ["createShipment", (token) => facet.gql(ShipCreateDocument, { input: shipmentInput(orderId) }, { token })],
    ["setAirwayBill", (token) => facet.gql(ShipSetAirwayBillDocument, { input: { shipmentId: shipment.id, number: freshAwb(), type: "MASTER" } }, { token })],
    ["setTrackingNumber", (token) => facet.gql(ShipSetTrackingNumberDocument, { input: { shipmentId: shipment.id, trackingNumber: freshDhlWaybill() } }, { token })],
    [
      "recordTrackingEvent",
      (token) =>
        facet.gql(ShipRecordEventDocument, { input: { shipmentId: shipment.id, occurredAt: hoursFromNow(-1), status: "IN_TRANSIT", description: "Departed" } }, { token }),
    ],
    [
      "addShipmentDocument",
      (token) =>
        facet.gql(
          ShipAddDocumentDocument,
          { input: { shipmentId: shipment.id, kind: "PACKING_LIST", number: "PL-1", issueDate: dateFromToday(0), url: "https://files.example/pl.pdf", sha256: sha256Of("pl") } },
          { token },
        ),
    ],
  ];

  it("keeps the staff mutations from buyers, distributor admins (of any distributor), support staff and API clients", async () => {
    const callers = {
      "A's buyer": tenants.a.tokens.buyer,
      "A's admin": tenants.a.tokens.admin,
      "A's ERP client": tenants.a.tokens.client,
      "B's admin": tenants.b.tokens.admin,
      support: tenants.staff.support,
    };
    for (const [name, attempt] of attempts()) {
      for (const [who, token] of Object.entries(callers)) {
        const result = await attempt(token);
        expect([name, who, errorCodes(result)]).toEqual([name, who, ["FORBIDDEN"]]);
      }
      expect([name, errorCodes(await attempt(undefined))]).toEqual([name, ["UNAUTHENTICATED"]]);
    }
    expect(await sql(`SELECT id FROM shipments WHERE order_id = $1`, [rawId(orderId, "Order")])).toEqual([]);
    expect(await shipmentRow(shipment.id)).toMatchObject({ awb_number: null, tracking_number: null, status: "PENDING" });
    expect(await sql(`SELECT id FROM tracking_events WHERE shipment_id = $1 UNION ALL SELECT id FROM shipment_documents WHERE shipment_id = $1`, [rawId(shipment.id)])).toEqual([]);
  });

  it("lets API clients read shipments only with shipments:read, at the root and through an order", async () => {
    const { client } = await createApiClient(facet.dataSource, tenants.a.distributor, { scopes: [ApiScope.ORDERS_READ, ApiScope.CATALOG_READ] });
    const token = clientToken(facet.config, client);
    expect(errorCodes(await facet.gql(ShipByIdDocument, { id: shipment.id }, { token }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(ShipListDocument, {}, { token }))).toEqual(["FORBIDDEN"]);
    const throughOrder = await facet.gql(ShipOrderDocument, { id: shipment.order!.id }, { token });
    expect(errorCodes(throughOrder)).toEqual(["FORBIDDEN"]);
    expect(throughOrder.data?.order).toMatchObject({ id: shipment.order!.id, shipments: null });

    // A token cannot claim a scope its client was not granted.
    const claiming = clientToken(facet.config, client, [ApiScope.ORDERS_READ, ApiScope.SHIPMENTS_READ]);
    expect(errorCodes(await facet.gql(ShipOrderDocument, { id: shipment.order!.id }, { token: claiming }))).toEqual(["FORBIDDEN"]);

    const scoped = await createApiClient(facet.dataSource, tenants.a.distributor, { scopes: [ApiScope.SHIPMENTS_READ] });
    // shipments:read alone reads the shipment; the order it belongs to needs orders:read.
    const alone = await facet.gql(ShipByIdDocument, { id: shipment.id }, { token: clientToken(facet.config, scoped.client) });
    expect(alone.data?.shipment).toMatchObject({ id: shipment.id, order: null });
    expect(alone.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["shipment", "order"], "FORBIDDEN"]]);
    const both = await createApiClient(facet.dataSource, tenants.a.distributor, { scopes: [ApiScope.ORDERS_READ, ApiScope.SHIPMENTS_READ] });
    const order = ok(await facet.gql(ShipOrderDocument, { id: shipment.order!.id }, { token: clientToken(facet.config, both.client) })).order;
    expect(order!.shipments!.map((s) => s.id)).toContain(shipment.id);
  });
});

// ---- lists ----------------------------------------------------------------------------------------

describe("shipments(first, after, filter)", () => {
  let token: string;
  let shipments: CreatedShipment[];
  beforeAll(async () => {
    const distributor = await createDistributor(facet.dataSource);
    distributorIds.push(distributor.id);
    const buyer = await createUser(facet.dataSource, { distributor, role: UserRole.BUYER });
    token = userToken(facet.config, buyer);
    ({ shipments } = await shipmentsOfOneOrder(facet, distributor, { buyer: token, manager: tenants.staff.manager }, 4));
    await recordEvent(facet, a.manager, { shipmentId: shipments[1].id, occurredAt: hoursFromNow(-2), status: "IN_TRANSIT", description: "Departed" });
    await recordEvent(facet, a.manager, { shipmentId: shipments[2].id, occurredAt: hoursFromNow(-1), status: "DELIVERED", description: "Delivered" });
  });

  it("pages through a distributor's shipments newest first, without repeats", async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const page = ok(await facet.gql(ShipListDocument, { first: 3, after }, { token })).shipments;
      seen.push(...page!.edges.map((e) => e.node.id));
      expect(page!.pageInfo.hasPreviousPage).toBe(Boolean(after));
      after = page!.pageInfo.hasNextPage ? page!.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual([...shipments].reverse().map((s) => s.id));
  });

  it("filters by status", async () => {
    const page = ok(await facet.gql(ShipListDocument, { filter: { status: ["IN_TRANSIT", "DELIVERED"] } }, { token })).shipments;
    expect(page!.edges.map((e) => [e.node.id, e.node.status])).toEqual([
      [shipments[2].id, "DELIVERED"],
      [shipments[1].id, "IN_TRANSIT"],
    ]);
    expect(ok(await facet.gql(ShipListDocument, { filter: { status: ["CUSTOMS_HOLD"] } }, { token })).shipments!.edges).toEqual([]);
  });

  it("lists what changed since a time in update order, for sync", async () => {
    const since = (await shipmentRow(shipments[3].id)).updated_at as Date;
    await recordEvent(facet, a.manager, { shipmentId: shipments[0].id, occurredAt: hoursFromNow(-1), status: "INFO_RECEIVED", description: "Label created" });
    // The list stops short of transactions still open elsewhere (another test file's lock test
    // holds one for seconds); give them up to 15 s to finish.
    let ids: string[] = [];
    for (let attempt = 0; attempt < 150 && ids.length < 4; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, 100));
      const page = ok(await facet.gql(ShipListDocument, { filter: { updatedSince: since.toISOString() } }, { token })).shipments;
      ids = page!.edges.map((e) => e.node.id);
    }
    // Created last, then the two with events, then the one that changed just now.
    expect(ids).toEqual([shipments[3].id, shipments[1].id, shipments[2].id, shipments[0].id]);
  });
});

describe("reads", () => {
  it("tracks a shipment by air waybill with the API guide's query", async () => {
    const [shipment] = await shipmentsOfA(1);
    const awb = freshAwb();
    await asManager(ShipSetAirwayBillDocument, { input: { shipmentId: shipment.id, number: awb, type: "MASTER" } });
    await asManager(ShipSetTrackingNumberDocument, { input: { shipmentId: shipment.id, trackingNumber: freshDhlWaybill() } });
    for (const [h, status, location, code] of [[-30, "INFO_RECEIVED", "Jaipur", "BKD"], [-20, "IN_TRANSIT", "Delhi", "DEP"], [-10, "IN_TRANSIT", "Dubai", "ARR"], [-2, "CUSTOMS_HOLD", "Paris CDG", "CRC"]] as const) {
      await recordEvent(facet, a.manager, { shipmentId: shipment.id, occurredAt: hoursFromNow(h), status, location, carrierCode: code, description: `${code} at ${location}`, estimatedDeliveryAt: hoursFromNow(30) });
    }
    const { shipment: tracked } = ok(await facet.gql(ShipReadmeTrackDocument, { airwayBill: awb }, { token: a.buyer }));
    expect(tracked).toMatchObject({
      status: "CUSTOMS_HOLD",
      carrier: "DHL_EXPRESS",
      airwayBill: { number: awb, type: "MASTER", airline: "Emirates" },
      order: { number: shipment.order!.number, status: "SHIPPED" },
      packingList: { packageCount: 1, totalNetWeightKg: "0.003", totalGrossWeightKg: "1.1" },
    });
    expect(tracked!.events.nodes.map((e) => e.carrierCode)).toEqual(["CRC", "ARR", "DEP"]);
    expect(tracked!.commercialInvoice).toEqual({
      lines: [{ sku: tracked!.packingList.lines[0].sku, quantity: 1, unitPrice: { amount: "100.00" }, lineTotal: { amount: "100.00" } }],
      // The goods and the freight the seller pays under DAP.
      total: { amount: "140.00", currency: "EUR" },
    });
    expect(tracked!.estimatedDeliveryAt).not.toBeNull();
    expect(tracked!.trackingUrl).toMatch(/^https:\/\/www\.dhl\.com\//);
  });

  it("has API guide examples for shipments that the schema accepts", () => {
    const guide = readFileSync(path.join(__dirname, "..", "docs", "api.md"), "utf8");
    const section = guide.slice(guide.indexOf("## Shipments:"), guide.indexOf("## Shipment feedback"));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const schema = buildSchema(readFileSync(path.join(__dirname, "..", "schema", "schema.graphql"), "utf8"));
    for (const block of blocks) {
      for (const operation of block.split(/\n(?=mutation|query)/)) {
        expect([operation, validate(schema, parse(operation)).map((e) => e.message)]).toEqual([operation, []]);
      }
    }
  });

  it("loads a page of 50 shipments with events, documents and declarations in as many statements as a page of 5", async () => {
    const distributor = await createDistributor(facet.dataSource);
    distributorIds.push(distributor.id);
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.BUYER }));
    const { shipments } = await shipmentsOfOneOrder(facet, distributor, { buyer, manager: tenants.staff.manager }, 50, ["DHL_EXPRESS", "FEDEX"]);
    for (const [i, shipment] of shipments.entries()) {
      for (const h of i % 10 === 0 ? [-9, -7, -5, -3] : [-4, -2]) {
        await recordEvent(facet, a.manager, { shipmentId: shipment.id, occurredAt: hoursFromNow(h), status: "IN_TRANSIT", description: "Moving", estimatedDeliveryAt: hoursFromNow(40) });
      }
      const doc = await asManager(ShipAddDocumentDocument, {
        input: { shipmentId: shipment.id, kind: "COMMERCIAL_INVOICE", number: `INV-${i}`, issueDate: dateFromToday(0), url: "https://files.example/inv.pdf", sha256: sha256Of(`inv${i}`) },
      });
      expect(ok(doc).addShipmentDocument.userErrors).toEqual([]);
    }

    const cost = async (first: number) => {
      const before = facet.statements.count;
      const page = ok(await facet.gql(ShipPortalPageDocument, { first }, { token: buyer })).shipments;
      const statements = facet.statements.count - before;
      expect(page!.nodes).toHaveLength(first);
      return { statements, page };
    };
    const small = await cost(5);
    const large = await cost(50);
    expect(large.page!.nodes.every((s) => s.documents.length === 1 && s.events.nodes.length >= 2 && s.customsDeclaration.hsLines.length === 1)).toBe(true);
    expect(large.page!.nodes.filter((s) => s.events.nodes.length === 3)).toHaveLength(5);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(12);
    console.info(`shipments(first: 50) with events, documents and declarations: ${large.statements} SQL statements (first: 5: ${small.statements})`);
  }, 180_000);
});

describe("demo data", () => {
  it("gives every demo distributor delivered shipments and shipments in transit that keep the rules", async () => {
    for (const email of ["buyer@atelier-paris.example", "buyer@gulf-gold.example", "buyer@maple-jewels.example"]) {
      const [user] = await sql(`SELECT id FROM users WHERE email = $1`, [email]);
      const token = userToken(facet.config, { id: user.id } as Parameters<typeof userToken>[1]);
      const { shipments } = ok(await facet.gql(ShipPortalPageDocument, { first: 100 }, { token }));
      const statuses = new Set(shipments!.nodes.map((n) => n.status));
      expect([email, statuses.has("DELIVERED"), statuses.has("IN_TRANSIT")]).toEqual([email, true, true]);
      for (const shipment of shipments!.nodes) {
        const where = [email, shipment.id];
        expect([...where, shipment.airwayBill?.type, parseIataAwb(shipment.airwayBill!.number) !== null]).toEqual([...where, "MASTER", true]);
        expect([...where, parseTrackingNumber(shipment.carrier as TrackingCarrier, shipment.trackingNumber!)?.url]).toEqual([...where, shipment.trackingUrl]);
        expect([...where, shipment.events.nodes[0]?.status]).toEqual([...where, shipment.status]);
        expect([...where, shipment.estimatedDeliveryAt === null]).toEqual([...where, false]);
        // An order that shipped what was ready is PARTIALLY_SHIPPED until the rest has shipped.
        // (test/generated predates the status: compared as a string.)
        const partly = (shipment.order!.status as string) === "PARTIALLY_SHIPPED";
        const orderStatus = partly ? "PARTIALLY_SHIPPED" : shipment.status === "DELIVERED" ? "DELIVERED" : "SHIPPED";
        expect([...where, shipment.order!.status]).toEqual([...where, orderStatus]);
        // The goods' value, the charges and the weights are checked in test/export-compliance-shipments.test.ts.
        const declaration = shipment.customsDeclaration;
        const goods = declaration.hsLines.reduce((acc, h) => acc + toScaled(h.value.amount), 0n);
        expect([...where, goods <= toScaled(declaration.invoiceTotal.amount)]).toEqual([...where, true]);
        expect(toScaled(shipment.packingList.totalGrossWeightKg)).toBeGreaterThanOrEqual(toScaled(shipment.packingList.totalNetWeightKg));
        for (const document of shipment.documents) {
          // The demo exporter ships from India: its export declaration is a shipping bill.
          expect([...where, document.kind !== "EXPORT_DECLARATION" || isValidShippingBillNumber(document.number)]).toEqual([...where, true]);
          expect(document.url).toMatch(/^https:\/\//);
          expect(document.sha256).toMatch(/^[0-9a-f]{64}$/);
        }
      }
    }
  });
});
