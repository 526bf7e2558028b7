import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { UserRole } from "../src/core/access";
import { toScaled } from "../src/graphql/money";
import { idOfType } from "../src/graphql/node";
import type { Distributor } from "../src/modules/accounts";
import type { StoneRow } from "../src/modules/catalog/product.entity";
import { isValidShippingBillNumber, parseIataAwb } from "../src/modules/shipments/identifiers";
import { dateFromToday, type ProductSpec } from "./support/catalog-factories";
import { createDistributor, createUser, unique, userToken } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, tenant } from "./support/orders-factories";
import { freshAwb, freshDhlWaybill, hoursFromNow, packedOrder, parcel, recordEvent, sha256Of, stockedVariant, type PlacedOrder } from "./support/shipment-factories";

// Export documents that hold for every shipment (docs/domain.md): weights that are the goods'
// own, the export declaration of the country of dispatch, Incoterms® 2020 for air with their
// named place and charges, HS 2022 subheadings that fit the piece, carriage references fixed at
// departure, and no Kimberley Process certificate without rough diamonds. Operations are written
// out here: test/generated does not know the new fields yet.

let facet: TestFacet;
let manager: { token: string; name: string };

beforeAll(async () => {
  facet = await startFacet();
  const user = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
  manager = { token: userToken(facet.config, user), name: user.name };
});
afterAll(() => facet.stop());

type Amount = { amount: string; currency: string };
type UserErrors = { userErrors: { field: string[] | null; message: string; code: string }[] };
type Weights = { packageCount: number; netWeightKg: string; grossWeightKg: string; goodsNetWeightKg: string; goodsNetWeightComplete: boolean };
type Charges = { freight: Amount | null; insurance: Amount | null; duties: Amount | null };
type Document = { kind: string; number: string; issueDate: string; portCode: string | null };
type Change = { field: string; from: string | null; to: string; changedAt: string; changedBy: string };
interface Pack {
  id: string;
  status: string;
  namedPlace: string | null;
  dispatchCountry: string;
  airwayBill: { number: string } | null;
  trackingNumber: string | null;
  carriageHistory: Change[];
  documents: Document[];
  order: { incoterm: string } | null;
  commercialInvoice: { incoterm: string; namedPlace: string | null; terms: string; goodsTotal: Amount; charges: Charges; total: Amount; weights: Weights };
  customsDeclaration: {
    goodsValue: Amount;
    charges: Charges;
    invoiceTotal: Amount;
    weights: Weights;
    dispatchCountry: string;
    hsLines: { hsCode: { digits: string }; netWeightGrams: string }[];
    insurance: { insuredAmount: Amount } | null;
    minimumInsuredAmount: Amount | null;
  };
  packingList: { totalNetWeightKg: string; weights: Weights };
}

const WEIGHTS = "weights { packageCount netWeightKg grossWeightKg goodsNetWeightKg goodsNetWeightComplete }";
const CHARGES = "charges { freight { amount currency } insurance { amount currency } duties { amount currency } }";
const PACK = `
  id status namedPlace dispatchCountry trackingNumber
  airwayBill { number }
  carriageHistory { field from to changedAt changedBy }
  documents { kind number issueDate portCode }
  order { incoterm }
  commercialInvoice { incoterm namedPlace terms goodsTotal { amount currency } ${CHARGES} total { amount currency } ${WEIGHTS} }
  customsDeclaration {
    goodsValue { amount currency } ${CHARGES} invoiceTotal { amount currency } ${WEIGHTS} dispatchCountry
    hsLines { hsCode { digits } netWeightGrams }
    insurance { insuredAmount { amount currency } }
    minimumInsuredAmount { amount currency }
  }
  packingList { totalNetWeightKg ${WEIGHTS} }
`;

const doc = <TData, TVars = Record<string, unknown>>(source: string) => parse(source) as TypedDocumentNode<TData, TVars>;
const CreateShipment = doc<{ createShipment: UserErrors & { shipment: Pack | null } }>(
  `mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { shipment { ${PACK} } userErrors { field message code } } }`,
);
const SetAirwayBill = doc<{ setAirwayBill: UserErrors & { shipment: Pack | null } }>(
  `mutation ($input: SetAirwayBillInput!) { setAirwayBill(input: $input) { shipment { ${PACK} } userErrors { field message code } } }`,
);
const SetTrackingNumber = doc<{ setTrackingNumber: UserErrors & { shipment: Pack | null } }>(
  `mutation ($input: SetTrackingNumberInput!) { setTrackingNumber(input: $input) { shipment { ${PACK} } userErrors { field message code } } }`,
);
const AddDocument = doc<{ addShipmentDocument: UserErrors & { shipment: Pack | null } }>(
  `mutation ($input: AddShipmentDocumentInput!) { addShipmentDocument(input: $input) { shipment { ${PACK} } userErrors { field message code } } }`,
);
const ShipmentById = doc<{ shipment: Pack | null }>(`query ($id: ID!) { shipment(id: $id) { ${PACK} } }`);
const UpsertProduct = doc<{ upsertProduct: UserErrors & { product: { hsCode: { digits: string; formatted: string } } | null } }>(
  `mutation ($input: UpsertProductInput!) { upsertProduct(input: $input) { product { hsCode { digits formatted } } userErrors { field message code } } }`,
);
const DemoShipments = doc<{ shipments: { nodes: Pack[] } }>(`query { shipments(first: 100) { nodes { ${PACK} } } }`);

const fieldsAndCodes = (payload: UserErrors) => payload.userErrors.map((e) => [e.field, e.code]);
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);
const shipmentsOf = async (order: PlacedOrder) => sql(`SELECT id FROM shipments WHERE order_id = $1`, [idOfType(order.id, "Order")]);

/** A distributor of its own in this currency, its buyer, and its order of these pieces packed under this rule. */
async function orderOf(currency: string, country: string, pieces: { product?: ProductSpec; metalWeightGrams?: string; price: string; quantity: number }[], incoterm = "DAP") {
  const distributor = await createDistributor(facet.dataSource, { currency, country } as Partial<Distributor>);
  const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.BUYER }));
  const lines = [];
  for (const piece of pieces) {
    const variantId = await stockedVariant(facet, distributor, { product: piece.product, variant: { metalWeightGrams: piece.metalWeightGrams ?? "3.000" }, price: piece.price });
    lines.push({ variantId, quantity: piece.quantity });
  }
  return packedOrder(facet, { buyer, manager: manager.token }, lines, incoterm as never);
}

const money = (amount: string, currency: string) => ({ amount, currency });
const input = (order: PlacedOrder, overrides: Record<string, unknown> = {}) => ({
  orderId: order.id,
  carrier: "DHL_EXPRESS",
  service: "EXPRESS WORLDWIDE",
  namedPlace: "Paris (CDG), France",
  packages: [parcel()],
  charges: { freight: money("40.00", "EUR") },
  ...overrides,
});

async function create(order: PlacedOrder, overrides: Record<string, unknown> = {}) {
  return ok(await facet.gql(CreateShipment, { input: input(order, overrides) }, { token: manager.token })).createShipment;
}

async function created(order: PlacedOrder, overrides: Record<string, unknown> = {}): Promise<Pack> {
  const payload = await create(order, overrides);
  expect(payload.userErrors).toEqual([]);
  return payload.shipment!;
}

const addDocument = async (shipmentId: string, fields: { kind: string; number: string; portCode?: string; issueDate?: string }) =>
  ok(
    await facet.gql(
      AddDocument,
      { input: { shipmentId, issueDate: dateFromToday(-1), url: "https://files.example/doc.pdf", sha256: sha256Of(fields.number), ...fields } },
      { token: manager.token },
    ),
  ).addShipmentDocument;

describe("weights reconciled", () => {
  it("refuses a net weight the goods cannot have and shows one set of weights on the packing list, invoice and declaration", async () => {
    // 15 g of gold and 5 ct of stones (1 g): 16 g of goods.
    const order = await orderOf("EUR", "FR", [
      { product: { stones: [{ type: "SAPPHIRE", shape: "OVAL", count: 5, totalCarat: "5.000", origin: "NATURAL", treatments: [] } as unknown as StoneRow] }, metalWeightGrams: "15.000", price: "900.00", quantity: 1 },
    ]);
    const heavy = await create(order, { packages: [parcel({ netWeightKg: "5.000", grossWeightKg: "5.500" })] });
    expect(heavy.shipment).toBeNull();
    expect(fieldsAndCodes(heavy)).toEqual([[["input", "packages"], "OUT_OF_RANGE"]]);
    expect(heavy.userErrors[0].message).toBe(
      "The packages' net weights add up to 5000 g, but the goods themselves weigh 16 g (metal plus stones at 0.2 g per carat): " +
        "declare between 13.9 g and 18.1 g (10%, and 0.5 g per package for weighing to the gram)",
    );
    // Per package the net weight stays within the gross.
    const inverted = await create(order, { packages: [parcel({ netWeightKg: "0.016", grossWeightKg: "0.015" })] });
    expect(fieldsAndCodes(inverted)).toEqual([[["input", "packages", "0", "grossWeightKg"], "INVALID"]]);
    expect(await shipmentsOf(order)).toEqual([]);

    const shipment = await created(order, { packages: [parcel({ netWeightKg: "0.016", grossWeightKg: "0.700" })] });
    const weights = { packageCount: 1, netWeightKg: "0.016", grossWeightKg: "0.7", goodsNetWeightKg: "0.016", goodsNetWeightComplete: true };
    expect(shipment.packingList.weights).toEqual(weights);
    expect(shipment.commercialInvoice.weights).toEqual(weights);
    expect(shipment.customsDeclaration.weights).toEqual(weights);
    expect(shipment.customsDeclaration.hsLines.map((h) => h.netWeightGrams)).toEqual(["16"]);
  });
});

describe("export declarations by country of dispatch", () => {
  it("takes from India only a shipping bill with its port code, and from each other country its own declaration", async () => {
    // One unit for each shipment: from India, and from seven other places.
    const order = await orderOf("EUR", "FR", [{ price: "100.00", quantity: 8 }]);
    const one = { lines: [{ lineNumber: 1, quantity: 1 }] };
    const india = await created(order, one);
    expect([india.dispatchCountry, india.customsDeclaration.dispatchCountry]).toEqual(["IN", "IN"]);

    const itn = await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "X20190308366903" });
    expect(fieldsAndCodes(itn)).toEqual([[["input", "number"], "INVALID"]]);
    expect(itn.userErrors[0].message).toMatch(/^This shipment is dispatched from IN: its export declaration is an Indian shipping bill \(ICEGATE\).*, not a US AES ITN$/);
    expect(fieldsAndCodes(await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "06DE586600006143E1", portCode: "INBOM4" }))).toEqual([[["input", "number"], "INVALID"]]);
    expect(fieldsAndCodes(await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "5512345" }))).toEqual([[["input", "portCode"], "REQUIRED"]]);
    expect(fieldsAndCodes(await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "5512345", portCode: "BOM4" }))).toEqual([[["input", "portCode"], "INVALID"]]);
    expect(fieldsAndCodes(await addDocument(india.id, { kind: "PACKING_LIST", number: "PL-1", portCode: "INBOM4" }))).toEqual([[["input", "portCode"], "INVALID"]]);
    // Cleared before the airline accepts the goods: a shipping bill dated after the air waybill is refused.
    expect((await addDocument(india.id, { kind: "AIRWAY_BILL", number: freshAwb(), issueDate: dateFromToday(-2) })).userErrors).toEqual([]);
    expect(fieldsAndCodes(await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "5512345", portCode: "INBOM4", issueDate: dateFromToday(-1) }))).toEqual([
      [["input", "issueDate"], "OUT_OF_RANGE"],
    ]);
    const bill = await addDocument(india.id, { kind: "EXPORT_DECLARATION", number: "5512345", portCode: "inbom4", issueDate: dateFromToday(-2) });
    expect(bill.userErrors).toEqual([]);
    expect(bill.shipment!.documents.filter((d) => d.kind === "EXPORT_DECLARATION")).toEqual([{ kind: "EXPORT_DECLARATION", number: "5512345", issueDate: dateFromToday(-2), portCode: "INBOM4" }]);

    const accepted: [string, string, string][] = [
      ["US", "X20190308366903", "5512345"],
      ["DE", "06DE586600006143E1", "24GB00000000000A18"],
      ["IT", "06DE586600006143E1", "X20190308366903"],
      ["GB", "24GB00000000000A18", "06DE586600006143E1"],
      ["GB", "9GB123456789012-ABC1234", "5512345"],
      ["TH", "A0011680400123", "X20190308366903"],
      ["HK", "EX2026000123", "24GB00000000000A18"],
    ];
    for (const [country, number, foreign] of accepted) {
      const shipment = await created(order, { ...one, dispatchCountry: country });
      expect(shipment.dispatchCountry).toBe(country);
      const refused = await addDocument(shipment.id, { kind: "EXPORT_DECLARATION", number: foreign });
      expect([country, foreign, fieldsAndCodes(refused)]).toEqual([country, foreign, [[["input", "number"], "INVALID"]]]);
      expect(refused.userErrors[0].message).toMatch(new RegExp(`^This shipment is dispatched from ${country}: `));
      expect([country, number, (await addDocument(shipment.id, { kind: "EXPORT_DECLARATION", number })).userErrors]).toEqual([country, number, []]);
    }

    const japan = await create(order, { ...one, dispatchCountry: "JP" });
    expect(fieldsAndCodes(japan)).toEqual([[["input", "dispatchCountry"], "INVALID"]]);
    expect(japan.userErrors[0].message).toMatch(/^Facet knows the export declarations of India \(IN\), an EU member state/);
  });
});

describe("Incoterms 2020 for air shipments", () => {
  it("refuses a sea-only rule when the order is placed, naming input.incoterm and placing nothing", async () => {
    const buyer = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
    const item = await sellable(facet.dataSource, { variant: { onHand: 5 }, prices: [[buyer.distributor, "10.00"]] });
    const place = (incoterm: string) =>
      facet.gql(
        parse(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { incoterm } userErrors { field message code } } }`) as TypedDocumentNode<{
          placeOrder: { order: { incoterm: string } | null } & UserErrors;
        }>,
        { input: { ...orderInput([line(item.id, 1)]), incoterm } },
        { token: buyer.buyer.token },
      );
    for (const [rule, instead] of [["FOB", "FCA"], ["CIF", "CIP"], ["FAS", "FCA"], ["CFR", "CPT"]]) {
      const refused = ok(await place(rule)).placeOrder;
      expect(refused.order).toBeNull();
      expect(refused.userErrors).toEqual([
        { field: ["input", "incoterm"], code: "INVALID", message: `${rule} is for sea and inland waterway transport only; Facet ships by air, where Incoterms® 2020 use ${instead}` },
      ]);
    }
    const [{ n }] = (await facet.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE distributor_id = $1`, [buyer.distributor.id])) as { n: number }[];
    expect(n).toBe(0);
    expect(ok(await place("FCA")).placeOrder.order).toEqual({ incoterm: "FCA" });
  });

  it("refuses sea-only rules, requires the named place and invoices the charges the seller bears, exactly in JPY and KWD", async () => {
    // placeOrder refuses sea-only rules (above); an order placed before it did may still hold one.
    const placedUnder = async (rule: string) => {
      const order = await orderOf("EUR", "FR", [{ price: "100.00", quantity: 1 }], "FCA");
      await facet.dataSource.query(`UPDATE orders SET incoterm = $2 WHERE id = $1`, [idOfType(order.id, "Order"), rule]);
      return order;
    };
    const fob = await placedUnder("FOB");
    const sea = await create(fob, { charges: null });
    expect(fieldsAndCodes(sea)).toEqual([[["input", "orderId"], "INVALID"]]);
    expect(sea.userErrors[0].message).toBe(
      "The order's Incoterm FOB is for sea and inland waterway transport only; Facet ships by air, where Incoterms® 2020 use FCA: amend the order's rule before it ships",
    );
    const cif = await placedUnder("CIF");
    expect((await create(cif)).userErrors[0].message).toMatch(/Incoterm CIF .* use CIP/);
    expect(await shipmentsOf(fob)).toEqual([]);

    // EXW: the buyer pays everything from the workshop's door; DDP: the seller pays to the door, duties included.
    const exw = await orderOf("EUR", "FR", [{ price: "100.00", quantity: 1 }], "EXW");
    expect(fieldsAndCodes(await create(exw, { namedPlace: " " }))).toEqual([[["input", "namedPlace"], "REQUIRED"]]);
    expect(fieldsAndCodes(await create(exw))).toEqual([[["input", "charges", "freight"], "INVALID"]]);
    const atTheDoor = await created(exw, { namedPlace: "Jaipur workshop, India", charges: null });
    expect(atTheDoor.commercialInvoice).toMatchObject({
      terms: "EXW Jaipur workshop, India Incoterms® 2020",
      goodsTotal: money("100.00", "EUR"),
      charges: { freight: null, insurance: null, duties: null },
      total: money("100.00", "EUR"),
    });
    const ddp = await orderOf("EUR", "FR", [{ price: "100.00", quantity: 1 }], "DDP");
    expect(fieldsAndCodes(await create(ddp, { charges: null }))).toEqual([
      [["input", "charges", "freight"], "REQUIRED"],
      [["input", "charges", "duties"], "REQUIRED"],
    ]);
    expect(fieldsAndCodes(await create(ddp, { charges: { freight: money("40.00", "EUR"), duties: money("20.00", "EUR"), insurance: money("1.00", "EUR") } }))).toEqual([
      [["input", "charges", "insurance"], "INVALID"],
    ]);
    const delivered = await created(ddp, { charges: { freight: money("40.00", "EUR"), duties: money("20.00", "EUR") } });
    expect(delivered.commercialInvoice).toMatchObject({
      terms: "DDP Paris (CDG), France Incoterms® 2020",
      goodsTotal: money("100.00", "EUR"),
      charges: { freight: money("40.00", "EUR"), insurance: null, duties: money("20.00", "EUR") },
      total: money("160.00", "EUR"),
    });
    expect(delivered.customsDeclaration).toMatchObject({ invoiceTotal: money("160.00", "EUR"), goodsValue: money("100.00", "EUR") });

    // Yen have no decimals.
    const yen = await orderOf("JPY", "JP", [{ price: "12345", quantity: 2 }], "CPT");
    expect(fieldsAndCodes(await create(yen, { charges: { freight: money("3000.5", "JPY") }, packages: [parcel({ netWeightKg: "0.006" })] }))).toEqual([
      [["input", "charges", "freight", "amount"], "INVALID"],
    ]);
    expect(fieldsAndCodes(await create(yen, { charges: { freight: money("40.00", "EUR") }, packages: [parcel({ netWeightKg: "0.006" })] }))).toEqual([
      [["input", "charges", "freight", "currency"], "INVALID"],
    ]);
    const tokyo = await created(yen, { namedPlace: "Tokyo (NRT), Japan", charges: { freight: money("3000", "JPY") }, packages: [parcel({ netWeightKg: "0.006" })] });
    expect(tokyo.commercialInvoice).toMatchObject({ goodsTotal: money("24690", "JPY"), charges: { freight: money("3000", "JPY") }, total: money("27690", "JPY") });

    // Kuwaiti dinars have three; under CIP the cover is 110% of goods, freight and premium: 1265.500 × 1.1 = 1392.050.
    const dinar = await orderOf("KWD", "KW", [{ price: "1250.125", quantity: 1 }], "CIP");
    const cip = { namedPlace: "Kuwait City (KWI), Kuwait", charges: { freight: money("12.125", "KWD"), insurance: money("3.25", "KWD") } };
    const cover = (amount: string) => ({ insurer: "Lloyd's Jewellers Block", policyNumber: "JB-KW-1", insuredAmount: money(amount, "KWD") });
    expect(fieldsAndCodes(await create(dinar, { ...cip, charges: { ...cip.charges, freight: money("12.1255", "KWD") }, insurance: cover("1392.050") }))).toEqual([
      [["input", "charges", "freight", "amount"], "INVALID"],
    ]);
    expect(fieldsAndCodes(await create(dinar, { ...cip, insurance: cover("1392.049") }))).toEqual([[["input", "insurance", "insuredAmount", "amount"], "OUT_OF_RANGE"]]);
    const kuwait = await created(dinar, { ...cip, insurance: cover("1392.05") });
    expect(kuwait.commercialInvoice).toMatchObject({
      goodsTotal: money("1250.125", "KWD"),
      charges: { freight: money("12.125", "KWD"), insurance: money("3.250", "KWD"), duties: null },
      total: money("1265.500", "KWD"),
    });
    expect(kuwait.customsDeclaration).toMatchObject({ minimumInsuredAmount: money("1392.050", "KWD"), insurance: { insuredAmount: money("1392.050", "KWD") } });
  });
});

describe("HS codes of HS 2022 chapter 71", () => {
  it("takes a product's HS code only when it is a real subheading that fits its metal and kind", async () => {
    const product = (category: string, metal: string, fineness: number | null, hsCode: string) => ({
      styleCode: unique("HS").toUpperCase(),
      name: "Tariff test",
      category,
      metal,
      fineness,
      hsCode,
      countryOfOrigin: "IN",
      standardLeadTimeDays: 10,
    });
    const upsert = async (input: ReturnType<typeof product>) => ok(await facet.gql(UpsertProduct, { input }, { token: manager.token })).upsertProduct;
    const refused: [ReturnType<typeof product>, RegExp][] = [
      [product("RING", "GOLD", 750, "7113.90"), /^7113\.90 is not a subheading of HS 2022 chapter 71; a ring of gold is 7113\.19/],
      [product("BRACELET", "SILVER", 925, "7114.00"), /^7114\.00 is not a subheading of HS 2022 chapter 71/],
      [product("RING", "GOLD", 750, "7102.39"), /^7102\.39 \(non-industrial diamonds, worked, not mounted or set\) does not fit a ring of gold: declare it under 7113\.19/],
      [product("RING", "SILVER", 925, "7113.19"), /does not fit a ring of silver: declare it under 7113\.11/],
      [product("EARRINGS", "BRASS", null, "7113.11"), /does not fit earrings of brass: declare it under 7117\.19 .* or 7113\.20/],
      [product("CUFFLINKS", "STAINLESS_STEEL", null, "7117.19"), /declare it under 7117\.11/],
    ];
    for (const [input, message] of refused) {
      const payload = await upsert(input);
      expect([input.hsCode, fieldsAndCodes(payload)]).toEqual([input.hsCode, [[["input", "hsCode"], "INVALID"]]]);
      expect(payload.userErrors[0].message).toMatch(message);
      expect(await sql(`SELECT id FROM products WHERE style_code = $1`, [input.styleCode])).toEqual([]);
    }
    for (const [input, digits] of [
      [product("RING", "PLATINUM", 950, "7113.19"), "711319"],
      [product("CHAIN", "SILVER", 925, "7113.11.50.00"), "7113115000"],
      [product("CUFFLINKS", "BRASS", null, "7117.11"), "711711"],
      [product("PENDANT", "BRASS", null, "7113.20"), "711320"],
    ] as const) {
      const payload = await upsert(input);
      expect([input.hsCode, payload.userErrors, payload.product?.hsCode.digits]).toEqual([input.hsCode, [], digits]);
    }
  });
});

describe("carriage documents fixed after departure", () => {
  it("corrects the air waybill and tracking number before departure with their history and documents, and refuses them after", async () => {
    const order = await orderOf("EUR", "FR", [{ price: "100.00", quantity: 1 }]);
    const shipment = await created(order);
    const setAwb = async (number: string) => ok(await facet.gql(SetAirwayBill, { input: { shipmentId: shipment.id, number, type: "MASTER" } }, { token: manager.token })).setAirwayBill;
    const setTracking = async (trackingNumber: string) => ok(await facet.gql(SetTrackingNumber, { input: { shipmentId: shipment.id, trackingNumber } }, { token: manager.token })).setTrackingNumber;

    const noAirline = await setAwb("000-12345675");
    expect(fieldsAndCodes(noAirline)).toEqual([[["input", "number"], "INVALID"]]);
    expect(noAirline.userErrors[0].message).toBe("000 is no airline's prefix: IATA airline prefixes run from 001 to 999");

    const [first, second, third] = [freshAwb("176"), freshAwb("020"), freshAwb("057")];
    const [dhl, dhl2] = [freshDhlWaybill(), freshDhlWaybill()];
    expect((await setAwb(first)).userErrors).toEqual([]);
    expect((await setTracking(dhl)).userErrors).toEqual([]);
    expect((await addDocument(shipment.id, { kind: "AIRWAY_BILL", number: first.replace("-", "") })).userErrors).toEqual([]);
    // The air waybill document carries the shipment's waybill, nothing else.
    expect(fieldsAndCodes(await addDocument(shipment.id, { kind: "AIRWAY_BILL", number: third }))).toEqual([[["input", "number"], "INVALID"]]);

    // Before departure a correction is kept: who, when, from what to what; the document follows.
    const corrected = await setAwb(second);
    expect(corrected.userErrors).toEqual([]);
    expect((await setTracking(dhl2)).userErrors).toEqual([]);
    const before = ok(await facet.gql(ShipmentById, { id: shipment.id }, { token: manager.token })).shipment!;
    expect(before.airwayBill!.number).toBe(second);
    expect(before.documents.filter((d) => d.kind === "AIRWAY_BILL").map((d) => d.number)).toEqual([second]);
    expect(before.carriageHistory.map(({ field, from, to, changedBy }) => ({ field, from, to, changedBy }))).toEqual([
      { field: "AIRWAY_BILL", from: null, to: first, changedBy: manager.name },
      { field: "TRACKING_NUMBER", from: null, to: dhl, changedBy: manager.name },
      { field: "AIRWAY_BILL", from: first, to: second, changedBy: manager.name },
      { field: "TRACKING_NUMBER", from: dhl, to: dhl2, changedBy: manager.name },
    ]);
    expect(before.carriageHistory.every((c) => Math.abs(Date.parse(c.changedAt) - Date.now()) < 3_600_000)).toBe(true);

    // Departed, and then delivered: what it left under stays.
    await recordEvent(facet, manager.token, { shipmentId: shipment.id, occurredAt: hoursFromNow(-5), status: "IN_TRANSIT", description: "Departed", carrierCode: "DEP" });
    for (const status of ["IN_TRANSIT", "DELIVERED"] as const) {
      if (status === "DELIVERED") await recordEvent(facet, manager.token, { shipmentId: shipment.id, occurredAt: hoursFromNow(-1), status, description: "Delivered", carrierCode: "DLV" });
      const awb = await setAwb(third);
      expect([status, fieldsAndCodes(awb)]).toEqual([status, [[["input", "number"], "INVALID_STATE"]]]);
      expect(awb.userErrors[0].message).toMatch(new RegExp(`^The shipment departed on \\d{4}-\\d{2}-\\d{2} \\(it is ${status}\\): its air waybill ${second} can no longer change`));
      const tracking = await setTracking(freshDhlWaybill());
      expect([status, fieldsAndCodes(tracking)]).toEqual([status, [[["input", "trackingNumber"], "INVALID_STATE"]]]);
      // The same numbers again change nothing and are not refused.
      expect((await setAwb(second)).userErrors).toEqual([]);
    }
    const after = ok(await facet.gql(ShipmentById, { id: shipment.id }, { token: manager.token })).shipment!;
    expect([after.status, after.airwayBill!.number, after.trackingNumber, after.carriageHistory.length]).toEqual(["DELIVERED", second, dhl2, 4]);
    expect(after.documents.filter((d) => d.kind === "AIRWAY_BILL").map((d) => d.number)).toEqual([second]);
  });
});

describe("the Kimberley Process", () => {
  it("refuses a KP certificate on a shipment of finished jewellery, and takes it with rough diamonds", async () => {
    const set = await orderOf("EUR", "FR", [
      { product: { stones: [{ type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0.500", origin: "NATURAL", treatments: [] } as unknown as StoneRow] }, price: "1500.00", quantity: 1 },
    ]);
    const jewellery = await created(set, { packages: [parcel({ netWeightKg: "0.003" })] });
    const refused = await addDocument(jewellery.id, { kind: "KIMBERLEY_PROCESS_CERTIFICATE", number: "KP-IN-0042" });
    expect(fieldsAndCodes(refused)).toEqual([[["input", "kind"], "INVALID"]]);
    expect(refused.userErrors[0].message).toBe(
      "A Kimberley Process certificate travels only with rough diamonds (HS 7102.10, 7102.21, 7102.31), and this shipment has none: finished jewellery carries the WDC System of Warranties statement on its invoice instead",
    );
    expect(await sql(`SELECT id FROM shipment_documents WHERE shipment_id = $1`, [idOfType(jewellery.id, "Shipment")])).toEqual([]);

    // Rough diamonds (a catalog row written straight to the database: the API sells no loose stones).
    const rough = await orderOf("EUR", "FR", [
      { product: { hsCode: "710231", stones: [{ type: "DIAMOND", shape: "ROUND", count: 3, totalCarat: "5.000", origin: "NATURAL", treatments: [] } as unknown as StoneRow] }, metalWeightGrams: "0.001", price: "9000.00", quantity: 1 },
    ]);
    const stones = await created(rough, { packages: [parcel({ netWeightKg: "0.001" })] });
    expect((await addDocument(stones.id, { kind: "KIMBERLEY_PROCESS_CERTIFICATE", number: "KP-IN-0043" })).userErrors).toEqual([]);
  });
});

describe("the demo data", () => {
  it("ships every demo order lawfully from India: shipping bills, weights, named places, air rules and charges", async () => {
    for (const email of ["buyer@atelier-paris.example", "buyer@gulf-gold.example", "buyer@maple-jewels.example"]) {
      const [user] = await sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
      const token = userToken(facet.config, { id: user.id } as Parameters<typeof userToken>[1]);
      const { shipments } = ok(await facet.gql(DemoShipments, {}, { token }));
      expect(shipments.nodes.length).toBeGreaterThan(0);
      for (const s of shipments.nodes) {
        const where = [email, s.id];
        const incoterm = s.order!.incoterm;
        expect([...where, s.dispatchCountry, ["FAS", "FOB", "CFR", "CIF"].includes(incoterm), s.namedPlace !== null]).toEqual([...where, "IN", false, true]);
        expect([...where, s.commercialInvoice.terms]).toEqual([...where, `${incoterm} ${s.namedPlace} Incoterms® 2020`]);
        // One shipping bill, with its port code, dated no later than the air waybill, which is the shipment's.
        const bills = s.documents.filter((d) => d.kind === "EXPORT_DECLARATION");
        const waybills = s.documents.filter((d) => d.kind === "AIRWAY_BILL");
        expect([...where, bills.length, bills.every((b) => isValidShippingBillNumber(b.number) && /^IN[A-Z]{3}\d$/.test(b.portCode ?? ""))]).toEqual([...where, 1, true]);
        expect([...where, waybills.map((w) => parseIataAwb(w.number))]).toEqual([...where, [parseIataAwb(s.airwayBill!.number)]]);
        expect([...where, bills[0].issueDate <= waybills[0].issueDate]).toEqual([...where, true]);
        expect(s.documents.some((d) => d.kind === "KIMBERLEY_PROCESS_CERTIFICATE")).toBe(false);
        // Weights that are the goods' own, the same on every document.
        const { weights } = s.packingList;
        const gramsOf = (kg: string) => {
          const [whole, fraction = ""] = kg.split(".");
          return BigInt(whole + fraction.padEnd(7, "0"));
        };
        const goods = gramsOf(weights.goodsNetWeightKg);
        const tolerance = goods / 10n + toScaled("0.5") * BigInt(weights.packageCount);
        expect([...where, weights.goodsNetWeightComplete, gramsOf(weights.netWeightKg) >= goods - tolerance && gramsOf(weights.netWeightKg) <= goods + tolerance]).toEqual([...where, true, true]);
        expect([s.commercialInvoice.weights, s.customsDeclaration.weights]).toEqual([weights, weights]);
        // The charges the rule puts on the seller, and a total that includes them.
        const { charges } = s.commercialInvoice;
        expect([...where, charges.freight !== null, charges.insurance !== null, charges.duties !== null]).toEqual([
          ...where,
          ["CPT", "CIP", "DAP", "DPU", "DDP"].includes(incoterm),
          incoterm === "CIP",
          incoterm === "DDP",
        ]);
        const extra = [charges.freight, charges.insurance, charges.duties].reduce((acc, c) => acc + (c ? toScaled(c.amount) : 0n), 0n);
        expect([...where, toScaled(s.commercialInvoice.goodsTotal.amount) + extra]).toEqual([...where, toScaled(s.commercialInvoice.total.amount)]);
        expect(s.customsDeclaration.invoiceTotal).toEqual(s.commercialInvoice.total);
        if (incoterm === "CIP") {
          expect(toScaled(s.customsDeclaration.insurance!.insuredAmount.amount) * 10n).toBeGreaterThanOrEqual(toScaled(s.commercialInvoice.total.amount) * 11n);
        }
      }
    }
  });
});
