import { randomUUID } from "node:crypto";
import { toGlobalId } from "../src/graphql/node";
import { Plating, StoneOrigin, StoneShape, StoneType, Treatment } from "../src/modules/catalog/catalog.enums";
import {
  CancelOrderDocument,
  OrderByIdDocument,
  OrderBriefAcceptDocument,
  OrderBriefCreateDocument,
  OrderBriefQuoteDocument,
  OrderBriefReviewDocument,
  OrderBriefSubmitDocument,
  OrderDesignBriefDocument,
  OrderLeadTimeQuoteDocument,
  PlaceOrderDocument,
  ReorderDocument,
  ConfirmOrderDocument,
  AdvanceOrderStatusDocument,
  type PlaceOrderInput,
  type PlaceOrderMutation,
  type QuoteDesignBriefInput,
} from "./generated/graphql";
import { User } from "../src/modules/accounts";
import { exporterToday, shipDateWithinCalendarDays } from "./support/calendar";
import { createBatch, dateFromToday } from "./support/catalog-factories";
import { userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";
import { footprint, line, orderInput, sellable, staff, stockOf, tenant, type Tenant } from "./support/orders-factories";

// A 22K gold pendant of 6.2 g without stones, as a design brief's quote states it.
const QUOTED_PENDANT = { metal: "GOLD", fineness: 916, metalWeightGrams: "6.200", stones: [] };

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  // Stock is split here between what a line takes from the shelf and what is made to order; the
  // share one order may reserve is tested in reservations.test.ts.
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "100" });
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  b = await tenant(facet.dataSource, facet.config, { currency: "JPY", country: "JP" });
  people = await staff(facet.dataSource, facet.config);
});
afterAll(() => facet.stop());

type PlacePayload = PlaceOrderMutation["placeOrder"];
type Refusal = { userErrors: { field?: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);

async function place(token: string, input: PlaceOrderInput): Promise<PlacePayload> {
  return ok(await facet.gql(PlaceOrderDocument, { input }, { token })).placeOrder;
}

async function placed(token: string, input: PlaceOrderInput) {
  const payload = await place(token, input);
  expect(payload.userErrors).toEqual([]);
  return payload.order!;
}

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);

// ---- placement -------------------------------------------------------------------------------

describe("placeOrder", () => {
  it("prices each line from the caller's price list, with exact line totals and total", async () => {
    const ring = await sellable(facet.dataSource, { variant: { onHand: 100, ringSizeMm: "54.0" }, prices: [[a.distributor, "1249.5000"], [b.distributor, "150000"]] });
    const charm = await sellable(facet.dataSource, { product: { name: "Tiny charm" }, variant: { onHand: 100 }, prices: [[a.distributor, "0.1000"], [b.distributor, "33"]] });

    const order = await placed(a.buyer.token, orderInput([line(ring.id, 3), line(charm.id, 3), line(charm.id, 7)], { buyerReference: "  PO-4711  " }));
    expect(order).toMatchObject({
      status: "PENDING",
      buyerReference: "PO-4711",
      currency: "EUR",
      incoterm: "DAP",
      requestedShipDate: null,
      lineCount: 3,
      // 3 × 1249.50 + 3 × 0.10 + 7 × 0.10, which floats would make 3749.4999999999995
      total: { amount: "3749.50", currency: "EUR" },
    });
    expect(order.number).toMatch(new RegExp(`^EXP-${exporterToday().slice(0, 4)}-\\d{6}$`));
    expect(order.lines.map((l) => [l.lineNumber, l.quantity, l.unitPrice, l.lineTotal])).toEqual([
      [1, 3, { amount: "1249.50", currency: "EUR" }, { amount: "3748.50", currency: "EUR" }],
      [2, 3, { amount: "0.10", currency: "EUR" }, { amount: "0.30", currency: "EUR" }],
      [3, 7, { amount: "0.10", currency: "EUR" }, { amount: "0.70", currency: "EUR" }],
    ]);
    expect(order.statusHistory).toEqual([{ from: null, to: "PENDING", at: expect.anything(), by: a.buyer.user.name, note: null }]);

    // The other distributor pays its own price, in its own currency (yen have no decimals).
    const yen = await placed(b.buyer.token, orderInput([line(ring.id, 3), line(charm.id, 1)]));
    expect(yen.total).toEqual({ amount: "450033", currency: "JPY" });
    expect(yen.lines.map((l) => l.unitPrice.amount)).toEqual(["150000", "33"]);

    const [row] = await sql(`SELECT total, currency FROM orders WHERE number = $1`, [order.number]);
    expect(row).toEqual({ total: "3749.5000", currency: "EUR" });
  });

  it("keeps the SKU and description of each line as they were when it was placed", async () => {
    const item = await sellable(facet.dataSource, { product: { name: "Halo ring" }, variant: { onHand: 5, ringSizeMm: "52.0" }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 1)]));
    expect(order.lines[0]).toMatchObject({ sku: item.variant.sku, description: "Halo ring, 18K gold, ring size 52 mm", variant: { id: item.id, sku: item.variant.sku } });

    await sql(`UPDATE variants SET sku = $2 WHERE id = $1`, [item.variant.id, `${item.variant.sku}-NEW`]);
    await sql(`UPDATE products SET name = 'Renamed ring' WHERE id = $1`, [item.product.id]);
    const reread = ok(await facet.gql(OrderByIdDocument, { id: order.id }, { token: a.buyer.token })).order!;
    expect(reread.lines[0]).toMatchObject({ sku: item.variant.sku, description: "Halo ring, 18K gold, ring size 52 mm", variant: { sku: `${item.variant.sku}-NEW` } });
  });

  it("reserves what stock covers and makes the rest to order, shipping when the lead-time quote says", async () => {
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: 15 }, variant: { onHand: 10, reserved: 2 }, prices: [[a.distributor, "100.00"]] });
    const batch = await createBatch(facet.dataSource, item.variant, { readyDate: dateFromToday(20), quantity: 6, allocated: 1 });
    const shelf = await sellable(facet.dataSource, { variant: { onHand: 5 }, prices: [[a.distributor, "20.00"]] });

    // 8 available, 5 free in the batch, 7 from a new run.
    const quote = ok(await facet.gql(OrderLeadTimeQuoteDocument, { variantId: item.id, quantity: 20 }, { token: a.buyer.token })).leadTimeQuote;
    const shelfQuote = ok(await facet.gql(OrderLeadTimeQuoteDocument, { variantId: shelf.id, quantity: 3 }, { token: a.buyer.token })).leadTimeQuote;
    expect(quote).toMatchObject({ fromStock: 8, toProduce: 12 });

    const order = await placed(a.buyer.token, orderInput([line(item.id, 20), line(shelf.id, 3)]));
    expect(order.lines.map((l) => [l.fromStock, l.madeToOrder, l.estimatedShipDate])).toEqual([
      [8, 12, quote!.estimatedShipDate],
      [3, 0, shelfQuote!.estimatedShipDate],
    ]);
    expect(order.estimatedShipDate).toBe(quote!.estimatedShipDate);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 10 });
    expect(await stockOf(facet.dataSource, shelf.variant)).toEqual({ onHand: 5, reserved: 3 });
    const [{ allocated }] = await sql(`SELECT allocated FROM production_batches WHERE id = $1`, [batch.id]);
    expect(allocated).toBe(6);

    // Nothing is left: the next unit is a new run.
    const next = await placed(a.buyer.token, orderInput([line(item.id, 1)]));
    expect(next.lines[0]).toMatchObject({ fromStock: 0, madeToOrder: 1 });
  });

  it("makes a custom size, plating or stone to order even when the standard piece is in stock", async () => {
    const item = await sellable(facet.dataSource, {
      product: {
        name: "Signet",
        customizationOptions: {
          customSizes: true,
          platingOffers: [{ type: Plating.ROSE_GOLD, karat: 14, thicknessMicrons: "0.500" }],
          stoneOffers: [{ type: StoneType.SAPPHIRE, shape: StoneShape.ROUND, count: 1, totalCarat: "0.150", origin: StoneOrigin.NATURAL, treatments: [Treatment.HEAT] }],
          branding: true,
          engravingMaxLength: 12,
        },
      },
      variant: { onHand: 50 },
      prices: [[a.distributor, "80.00"]],
    });
    const order = await placed(
      a.buyer.token,
      orderInput([
        line(item.id, 2, { plating: "ROSE_GOLD", engraving: "A & J" }),
        line(item.id, 2, { size: "EU 55.5" }),
        line(item.id, 2, { stone: "SAPPHIRE", branding: "Maison" }),
        line(item.id, 2, { engraving: "  for ever  " }),
      ]),
    );
    expect(order.lines.map((l) => [l.fromStock, l.customization])).toEqual([
      [0, { size: null, plating: "ROSE_GOLD", stone: null, branding: null, engraving: "A & J" }],
      [0, { size: "EU 55.5", plating: null, stone: null, branding: null, engraving: null }],
      [0, { size: null, plating: null, stone: "SAPPHIRE", branding: "Maison", engraving: null }],
      [2, { size: null, plating: null, stone: null, branding: null, engraving: "for ever" }],
    ]);
    // The piece is named from what it is made of: 14K at 0.5 µm is 0.29 µm of fine gold, a gold electroplate.
    expect(order.lines[0].description).toBe(`Signet, 14K gold electroplated 18K gold, engraved "A & J"`);
    expect(order.lines[2].description).toBe(`Signet, 18K gold with heated sapphire, branded "Maison"`);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 50, reserved: 2 });
  });

  it("takes the Incoterm, requested ship date and currency when given, and ERP clients place orders too", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 5 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.erp, orderInput([line(item.id, 1)], { incoterm: "FCA", requestedShipDate: exporterToday(), currency: "EUR" }));
    expect(order).toMatchObject({ incoterm: "FCA", requestedShipDate: exporterToday(), currency: "EUR" });
    const [row] = await sql(`SELECT placed_by_api_client_id IS NOT NULL AS by_client, placed_by_user_id FROM orders WHERE number = $1`, [order.number]);
    expect(row).toEqual({ by_client: true, placed_by_user_id: null });
    expect(order.statusHistory[0].by).toBe("Test ERP");
  });

  it("refuses a ship date beyond two years and control characters in a customization, naming them", async () => {
    const item = await sellable(facet.dataSource, {
      product: { customizationOptions: { customSizes: true, branding: true, engravingMaxLength: 12 } },
      variant: { onHand: 5 },
      prices: [[a.distributor, "10.00"]],
    });
    const late = await place(a.buyer.token, orderInput([line(item.id, 1)], { requestedShipDate: "9999-12-31" }));
    expect(late.order).toBeNull();
    expect(late.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "requestedShipDate"], "OUT_OF_RANGE"]]);
    const refused = await place(
      a.buyer.token,
      orderInput([line(item.id, 1, { engraving: "A\u0007J" }), line(item.id, 1, { size: "EU\u000155" }), line(item.id, 1, { branding: "Mai\u007fson" })]),
    );
    expect(refused.order).toBeNull();
    expect(refused.userErrors.map((e) => [e.field, e.code])).toEqual([
      [["input", "lines", "0", "customization", "engraving"], "INVALID"],
      [["input", "lines", "1", "customization", "size"], "INVALID"],
      [["input", "lines", "2", "customization", "branding"], "INVALID"],
    ]);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("accepts 500 lines", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 1000 }, prices: [[a.distributor, "1.25"]] });
    const order = await placed(a.buyer.token, orderInput(Array.from({ length: 500 }, () => line(item.id, 1))));
    expect(order).toMatchObject({ lineCount: 500, total: { amount: "625.00" } });
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 1000, reserved: 500 });
  });
});

// ---- validation -------------------------------------------------------------------------------

describe("placeOrder refuses", () => {
  let ok1: Awaited<ReturnType<typeof sellable>>;
  let moq5: Awaited<ReturnType<typeof sellable>>;
  let unpriced: Awaited<ReturnType<typeof sellable>>;
  let plain: Awaited<ReturnType<typeof sellable>>;
  let retired: Awaited<ReturnType<typeof sellable>>;

  beforeAll(async () => {
    ok1 = await sellable(facet.dataSource, { variant: { onHand: 20 }, prices: [[a.distributor, "10.00"]] });
    moq5 = await sellable(facet.dataSource, { product: { minimumOrderQuantity: 5 }, variant: { onHand: 20 }, prices: [[a.distributor, "10.00"]] });
    // Priced for the other distributor only.
    unpriced = await sellable(facet.dataSource, { variant: { onHand: 20 }, prices: [[b.distributor, "1000"]] });
    plain = await sellable(facet.dataSource, {
      product: { customizationOptions: { platingOffers: [{ type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.250" }], engravingMaxLength: 5 } },
      variant: { onHand: 20 },
      prices: [[a.distributor, "10.00"]],
    });
    retired = await sellable(facet.dataSource, { variant: { onHand: 2, discontinued: true }, prices: [[a.distributor, "10.00"]] });
  });

  // Every refusal names the field and code, and leaves no order, line, history, key or reservation.
  async function expectRefused(input: PlaceOrderInput, expected: [string[], string][]) {
    const before = await footprint(facet.dataSource, a.distributor);
    const stockBefore = await Promise.all([ok1, moq5, unpriced, plain, retired].map((s) => stockOf(facet.dataSource, s.variant)));
    const payload = await place(a.buyer.token, input);
    expect(payload.order).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual(expected);
    for (const e of payload.userErrors) expect(e.message.length).toBeGreaterThan(0);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
    expect(await Promise.all([ok1, moq5, unpriced, plain, retired].map((s) => stockOf(facet.dataSource, s.variant)))).toEqual(stockBefore);
  }

  const lineField = (i: number, ...rest: string[]) => ["input", "lines", String(i), ...rest];

  it("an unknown variant, another type's id or a malformed id", async () => {
    await expectRefused(orderInput([line(ok1.id, 1), line(toGlobalId("Variant", randomUUID()), 1)]), [[lineField(1, "variantId"), "NOT_FOUND"]]);
    await expectRefused(orderInput([line(toGlobalId("Product", ok1.product.id), 1)]), [[lineField(0, "variantId"), "NOT_FOUND"]]);
    await expectRefused(orderInput([line("not-an-id", 1)]), [[lineField(0, "variantId"), "NOT_FOUND"]]);
  });

  it("a quantity of zero or less, or above the limit", async () => {
    await expectRefused(orderInput([line(ok1.id, 0)]), [[lineField(0, "quantity"), "OUT_OF_RANGE"]]);
    await expectRefused(orderInput([line(ok1.id, 1), line(ok1.id, -3)]), [[lineField(1, "quantity"), "OUT_OF_RANGE"]]);
    await expectRefused(orderInput([line(ok1.id, 100_001)]), [[lineField(0, "quantity"), "OUT_OF_RANGE"]]);
  });

  it("a quantity below the style's minimum order quantity", async () => {
    await expectRefused(orderInput([line(moq5.id, 4)]), [[lineField(0, "quantity"), "OUT_OF_RANGE"]]);
    expect((await place(a.buyer.token, orderInput([line(moq5.id, 5)]))).userErrors).toEqual([]);
  });

  it("a variant the caller's price list has no price for", async () => {
    await expectRefused(orderInput([line(ok1.id, 1), line(unpriced.id, 1)]), [[lineField(1, "variantId"), "PRICE_MISSING"]]);
  });

  it("a customization the style does not offer, or one too long", async () => {
    await expectRefused(orderInput([line(plain.id, 1, { plating: "ROSE_GOLD" })]), [[lineField(0, "customization", "plating"), "NOT_OFFERED"]]);
    await expectRefused(orderInput([line(plain.id, 1, { stone: "RUBY" })]), [[lineField(0, "customization", "stone"), "NOT_OFFERED"]]);
    await expectRefused(orderInput([line(plain.id, 1, { size: "EU 70" })]), [[lineField(0, "customization", "size"), "NOT_OFFERED"]]);
    await expectRefused(orderInput([line(plain.id, 1, { branding: "Maison" })]), [[lineField(0, "customization", "branding"), "NOT_OFFERED"]]);
    await expectRefused(orderInput([line(ok1.id, 1, { engraving: "AJ" })]), [[lineField(0, "customization", "engraving"), "NOT_OFFERED"]]);
    await expectRefused(orderInput([line(plain.id, 1, { engraving: "A & J 2026" })]), [[lineField(0, "customization", "engraving"), "TOO_LONG"]]);
    expect((await place(a.buyer.token, orderInput([line(plain.id, 1, { plating: "RHODIUM", engraving: "A & J" })]))).userErrors).toEqual([]);
  });

  it("no lines, or more than 500", async () => {
    await expectRefused(orderInput([]), [[["input", "lines"], "REQUIRED"]]);
    await expectRefused(orderInput(Array.from({ length: 501 }, () => line(ok1.id, 1))), [[["input", "lines"], "TOO_LONG"]]);
  });

  it("a total larger than an order can hold", async () => {
    const precious = await sellable(facet.dataSource, { variant: { onHand: 0 }, prices: [[a.distributor, "900000000.00"]] });
    // 2 × 100,000 units at 900 million: 1.8 × 10^14, beyond the money columns' 10^14.
    await expectRefused(orderInput([line(precious.id, 100_000), line(precious.id, 100_000)]), [[["input", "lines"], "OUT_OF_RANGE"]]);
  });

  it("a requested ship date in the past", async () => {
    await expectRefused(orderInput([line(ok1.id, 1)], { requestedShipDate: dateFromToday(-1) }), [[["input", "requestedShipDate"], "OUT_OF_RANGE"]]);
  });

  it("an Incoterm that is not an Incoterms 2020 rule", async () => {
    const before = await footprint(facet.dataSource, a.distributor);
    // DAT was an Incoterms 2010 rule; 2020 replaced it with DPU.
    const result = await facet.gql(PlaceOrderDocument, { input: orderInput([line(ok1.id, 1)], { incoterm: "DAT" as never }) }, { token: a.buyer.token });
    expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0].message).toContain("input.incoterm");
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
  });

  it("a buyer reference that is blank or longer than 35 characters", async () => {
    await expectRefused(orderInput([line(ok1.id, 1)], { buyerReference: "x".repeat(36) }), [[["input", "buyerReference"], "TOO_LONG"]]);
    await expectRefused(orderInput([line(ok1.id, 1)], { buyerReference: "   " }), [[["input", "buyerReference"], "REQUIRED"]]);
    expect((await place(a.buyer.token, orderInput([line(ok1.id, 1)], { buyerReference: "x".repeat(35) }))).userErrors).toEqual([]);
  });

  it("a currency other than the contract currency", async () => {
    await expectRefused(orderInput([line(ok1.id, 1)], { currency: "USD" }), [[["input", "currency"], "INVALID"]]);
  });

  it("an idempotency key that is blank or longer than 255 characters", async () => {
    await expectRefused(orderInput([line(ok1.id, 1)], { idempotencyKey: " " }), [[["input", "idempotencyKey"], "REQUIRED"]]);
    await expectRefused(orderInput([line(ok1.id, 1)], { idempotencyKey: "k".repeat(256) }), [[["input", "idempotencyKey"], "TOO_LONG"]]);
  });

  it("more than stock can give of a discontinued variant", async () => {
    await expectRefused(orderInput([line(retired.id, 3)]), [[lineField(0, "quantity"), "INVALID_STATE"]]);
  });

  it("every bad field at once, and reserves nothing for the good lines", async () => {
    await expectRefused(orderInput([line(ok1.id, 2), line(ok1.id, 0), line(unpriced.id, 1), line(moq5.id, 1)], { buyerReference: "" }), [
      [["input", "buyerReference"], "REQUIRED"],
      [lineField(1, "quantity"), "OUT_OF_RANGE"],
    ]);
    await expectRefused(orderInput([line(ok1.id, 2), line(unpriced.id, 1), line(moq5.id, 1)], { currency: "GBP" }), [
      [["input", "currency"], "INVALID"],
      [lineField(1, "variantId"), "PRICE_MISSING"],
      [lineField(2, "quantity"), "OUT_OF_RANGE"],
    ]);
  });

  it("callers that may not order: staff and ERP clients without orders:write", async () => {
    const input = orderInput([line(ok1.id, 1)]);
    for (const token of [people.manager.token, people.support.token, a.erpWith("orders:read", "catalog:read")]) {
      const result = await facet.gql(PlaceOrderDocument, { input }, { token });
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await facet.gql(PlaceOrderDocument, { input }))).toEqual(["UNAUTHENTICATED"]);
  });
});

// ---- idempotency --------------------------------------------------------------------------------

describe("placeOrder with an idempotency key", () => {
  it("returns the first order for the same key and input, and reserves nothing twice", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const input = orderInput([line(item.id, 4, { engraving: undefined })], { incoterm: "DAP" });
    const first = await placed(a.buyer.token, input);
    const before = await footprint(facet.dataSource, a.distributor);

    // The same request, with its absent values spelled differently and from another person of the distributor.
    const retry = await placed(a.admin.token, { ...input, buyerReference: ` ${input.buyerReference} `, currency: null, lines: [{ ...line(item.id, 4), customization: { size: "  " } }] });
    expect(retry).toEqual(first);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 4 });
  });

  it("refuses the same key with another input, writing nothing", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const input = orderInput([line(item.id, 1)]);
    await placed(a.buyer.token, input);
    const before = await footprint(facet.dataSource, a.distributor);
    for (const other of [{ ...input, lines: [line(item.id, 2)] }, { ...input, buyerReference: "PO-OTHER" }, { ...input, requestedShipDate: dateFromToday(30) }]) {
      const payload = await place(a.buyer.token, other);
      expect(payload.order).toBeNull();
      expect(fieldsAndCodes(payload)).toEqual([[["input", "idempotencyKey"], "IDEMPOTENCY_KEY_REUSED"]]);
    }
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 1 });
  });

  it("scopes keys to the distributor: another distributor may use the same key", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"], [b.distributor, "1000"]] });
    const key = randomUUID();
    const ours = await placed(a.buyer.token, orderInput([line(item.id, 1)], { idempotencyKey: key }));
    const theirs = await placed(b.buyer.token, orderInput([line(item.id, 2)], { idempotencyKey: key }));
    expect(theirs.id).not.toBe(ours.id);
    expect(theirs.currency).toBe("JPY");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 3 });
  });

  it("leaves the key free when the attempt was refused", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[b.distributor, "1000"]] });
    const input = orderInput([line(item.id, 1)]);
    expect(fieldsAndCodes(await place(a.buyer.token, input))).toEqual([[["input", "lines", "0", "variantId"], "PRICE_MISSING"]]);
    await sql(`INSERT INTO variant_prices (distributor_id, variant_id, amount, currency) VALUES ($1, $2, '10.00', 'EUR')`, [a.distributor.id, item.variant.id]);
    const order = await placed(a.buyer.token, input);
    expect(order.total.amount).toBe("10.00");
  });
});

// ---- cancellation --------------------------------------------------------------------------------

describe("cancelOrder", () => {
  async function stockedOrder(token = a.buyer.token) {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const batch = await createBatch(facet.dataSource, item.variant, { readyDate: dateFromToday(10), quantity: 4 });
    const order = await placed(token, orderInput([line(item.id, 12)]));
    expect(order.lines[0]).toMatchObject({ fromStock: 10, madeToOrder: 2 });
    return { item, batch, order };
  }
  const allocatedOf = async (batchId: string) => (await sql(`SELECT allocated FROM production_batches WHERE id = $1`, [batchId]))[0].allocated;

  it("cancels a PENDING order, releasing its stock and batch capacity", async () => {
    const { item, batch, order } = await stockedOrder();
    expect(await allocatedOf(batch.id)).toBe(2);
    const { cancelOrder } = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id, reason: "Customer changed their mind" } }, { token: a.buyer.token }));
    expect(cancelOrder.userErrors).toEqual([]);
    expect(cancelOrder.order!.status).toBe("CANCELLED");
    expect(cancelOrder.order!.statusHistory.map((h) => [h.from, h.to, h.by, h.note])).toEqual([
      [null, "PENDING", a.buyer.user.name, null],
      ["PENDING", "CANCELLED", a.buyer.user.name, "Customer changed their mind"],
    ]);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 0 });
    expect(await allocatedOf(batch.id)).toBe(0);
  });

  it("cancels a CONFIRMED order, by an ERP client with orders:write", async () => {
    const { item, batch, order } = await stockedOrder(a.erp);
    ok(await facet.gql(ConfirmOrderDocument, { input: { id: order.id } }, { token: people.manager.token }));
    // (The payload's lines show their variants, which is catalog data.)
    const { cancelOrder } = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: a.erpWith("orders:write", "catalog:read") }));
    expect(cancelOrder.userErrors).toEqual([]);
    expect(cancelOrder.order!.status).toBe("CANCELLED");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 0 });
    expect(await allocatedOf(batch.id)).toBe(0);
  });

  it("refuses once production started, and a second cancellation, keeping the reservation", async () => {
    const { item, order } = await stockedOrder();
    ok(await facet.gql(ConfirmOrderDocument, { input: { id: order.id } }, { token: people.manager.token }));
    ok(await facet.gql(AdvanceOrderStatusDocument, { input: { id: order.id, status: "IN_PRODUCTION" } }, { token: people.manager.token }));
    const refused = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: a.buyer.token })).cancelOrder;
    expect(refused.order).toBeNull();
    expect(fieldsAndCodes(refused)).toEqual([[["input", "id"], "INVALID_STATE"]]);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 10 });

    const other = await stockedOrder();
    ok(await facet.gql(CancelOrderDocument, { input: { id: other.order.id } }, { token: a.buyer.token }));
    const again = ok(await facet.gql(CancelOrderDocument, { input: { id: other.order.id } }, { token: a.buyer.token })).cancelOrder;
    expect(fieldsAndCodes(again)).toEqual([[["input", "id"], "INVALID_STATE"]]);
    expect(await stockOf(facet.dataSource, other.item.variant)).toEqual({ onHand: 10, reserved: 0 });
  });

  it("treats another distributor's order as missing, and refuses support staff", async () => {
    const { item, order } = await stockedOrder();
    const foreign = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: b.buyer.token })).cancelOrder;
    expect(fieldsAndCodes(foreign)).toEqual([[["input", "id"], "NOT_FOUND"]]);
    expect(errorCodes(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: people.support.token }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: a.erpWith("orders:read") }))).toEqual(["FORBIDDEN"]);
    const reread = ok(await facet.gql(OrderByIdDocument, { id: order.id }, { token: a.buyer.token })).order!;
    expect(reread.status).toBe("PENDING");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 10 });
  });

  it("refuses a reason longer than 1000 characters", async () => {
    const { order } = await stockedOrder();
    const refused = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id, reason: "x".repeat(1001) } }, { token: a.buyer.token })).cancelOrder;
    expect(fieldsAndCodes(refused)).toEqual([[["input", "reason"], "TOO_LONG"]]);
  });
});

// ---- reorder -----------------------------------------------------------------------------------

describe("reorder", () => {
  it("places a new order with the same lines at today's prices, once per key", async () => {
    const ring = await sellable(facet.dataSource, {
      product: { customizationOptions: { engravingMaxLength: 10 } },
      variant: { onHand: 10 },
      prices: [[a.distributor, "100.00"]],
    });
    const chain = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "7.25"]] });
    const earlier = await placed(a.buyer.token, orderInput([line(ring.id, 2, { engraving: "A & J" }), line(chain.id, 3)], { incoterm: "CIP" }));
    await sql(`UPDATE variant_prices SET amount = '120.50' WHERE distributor_id = $1 AND variant_id = $2`, [a.distributor.id, ring.variant.id]);

    const key = randomUUID();
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: earlier.id, idempotencyKey: key } }, { token: a.buyer.token }));
    expect(reorder.userErrors).toEqual([]);
    const again = reorder.order!;
    expect(again.id).not.toBe(earlier.id);
    expect(again.number).not.toBe(earlier.number);
    expect(again).toMatchObject({ status: "PENDING", buyerReference: earlier.buyerReference, incoterm: "CIP", total: { amount: "262.75", currency: "EUR" } });
    expect(again.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.customization.engraving])).toEqual([
      [ring.variant.sku, 2, "120.50", "A & J"],
      [chain.variant.sku, 3, "7.25", null],
    ]);
    // An engraving is done on a stock piece, so both orders reserved from the shelf.
    expect(await stockOf(facet.dataSource, ring.variant)).toEqual({ onHand: 10, reserved: 4 });
    expect(await stockOf(facet.dataSource, chain.variant)).toEqual({ onHand: 10, reserved: 6 });

    // The earlier order keeps its prices.
    const first = ok(await facet.gql(OrderByIdDocument, { id: earlier.id }, { token: a.buyer.token })).order!;
    expect(first.total.amount).toBe("221.75");

    // The same key again is the same order; with another input it is refused.
    const retry = ok(await facet.gql(ReorderDocument, { input: { orderId: earlier.id, idempotencyKey: key } }, { token: a.buyer.token })).reorder;
    expect(retry.order!.id).toBe(again.id);
    expect(await stockOf(facet.dataSource, chain.variant)).toEqual({ onHand: 10, reserved: 6 });
    const reused = ok(await facet.gql(ReorderDocument, { input: { orderId: earlier.id, idempotencyKey: key, buyerReference: "PO-NEW" } }, { token: a.buyer.token })).reorder;
    expect(fieldsAndCodes(reused)).toEqual([[["input", "idempotencyKey"], "IDEMPOTENCY_KEY_REUSED"]]);
  });

  it("names the new purchase order reference when given", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const earlier = await placed(a.buyer.token, orderInput([line(item.id, 1)]));
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: earlier.id, idempotencyKey: randomUUID(), buyerReference: "PO-AGAIN" } }, { token: a.erp }));
    expect(reorder.order).toMatchObject({ buyerReference: "PO-AGAIN", lineCount: 1 });
  });

  it("treats another distributor's order as missing", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"], [b.distributor, "100"]] });
    const theirs = await placed(b.buyer.token, orderInput([line(item.id, 1)]));
    const before = await footprint(facet.dataSource, a.distributor);
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: theirs.id, idempotencyKey: randomUUID() } }, { token: a.buyer.token }));
    expect(reorder.order).toBeNull();
    expect(fieldsAndCodes(reorder)).toEqual([[["input", "orderId"], "NOT_FOUND"]]);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
  });

  it("an accepted design brief becomes a pending order for the quoted piece, which is not reordered", async () => {
    const asBuyer = { token: a.buyer.token };
    const asManager = { token: people.manager.token };
    const created = ok(
      await facet.gql(OrderBriefCreateDocument, { input: { title: "Falcon pendant", description: "Hollow falcon, 22K", category: "PENDANT", metal: "GOLD", fineness: 916, quantity: 12 } }, asBuyer),
    ).createDesignBrief;
    expect(created.userErrors).toEqual([]);
    const id = created.designBrief!.id;
    let version = created.designBrief!.version;
    const step = (payload: { designBrief?: { version: number } | null; userErrors: unknown[] }) => {
      expect(payload.userErrors).toEqual([]);
      version = payload.designBrief!.version;
    };
    step(ok(await facet.gql(OrderBriefSubmitDocument, { input: { id, expectedVersion: version } }, asBuyer)).submitDesignBrief);
    step(ok(await facet.gql(OrderBriefReviewDocument, { input: { id, expectedVersion: version } }, asManager)).startDesignBriefReview);
    step(
      ok(
        await facet.gql(
          OrderBriefQuoteDocument,
          // What one piece is made of: the order's line declares it (cast until the generated types know these fields).
          { input: { id, expectedVersion: version, unitPrice: { amount: "690.50", currency: "EUR" }, leadTimeDays: 45, validUntil: dateFromToday(7), ...QUOTED_PENDANT } as QuoteDesignBriefInput },
          asManager,
        ),
      ).quoteDesignBrief,
    );
    const accepted = ok(await facet.gql(OrderBriefAcceptDocument, { input: { id, expectedVersion: version } }, asBuyer)).acceptDesignBriefQuote;
    expect(accepted.userErrors).toEqual([]);
    const order = accepted.designBrief!.order!;
    expect(order).toMatchObject({
      status: "PENDING",
      buyerReference: accepted.designBrief!.reference,
      currency: "EUR",
      lineCount: 1,
      total: { amount: "8286.00", currency: "EUR" },
      // Quoted in calendar days (the deprecated way): it ships on the last business day within them.
      estimatedShipDate: await shipDateWithinCalendarDays(facet, 45),
      designBrief: { id },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: accepted.designBrief!.reference, quantity: 12, unitPrice: { amount: "690.50", currency: "EUR" }, fromStock: 0, madeToOrder: 12, variant: null }),
    ]);
    expect(order.statusHistory.map((h) => [h.from, h.to, h.by])).toEqual([[null, "PENDING", a.buyer.user.name]]);

    const before = await footprint(facet.dataSource, a.distributor);
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: order.id, idempotencyKey: randomUUID() } }, asBuyer));
    expect(fieldsAndCodes(reorder)).toEqual([[["input", "orderId"], "NOT_ALLOWED"]]);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
  });

  it("refuses an exclusive design-brief piece, whose order shows the brief it came from", async () => {
    // The demo data holds, for each distributor, the order an accepted brief became.
    const [demo] = await sql(
      `SELECT o.id, o.number, o.distributor_id, b.reference, u.id AS buyer_id FROM orders o
       JOIN design_briefs b ON b.id = o.design_brief_id JOIN users u ON u.distributor_id = o.distributor_id
       WHERE u.email = 'buyer@atelier-paris.example' LIMIT 1`,
    );
    const buyer = await facet.dataSource.manager.findOneByOrFail(User, { id: demo.buyer_id });
    const token = userToken(facet.config, buyer);
    const id = toGlobalId("Order", demo.id);
    const { order } = ok(await facet.gql(OrderDesignBriefDocument, { id }, { token }));
    expect(order).toMatchObject({ number: demo.number, designBrief: { reference: demo.reference, status: "ACCEPTED" }, lines: [{ sku: demo.reference, variant: null }] });
    expect(ok(await facet.gql(OrderDesignBriefDocument, { id }, { token: a.buyer.token })).order).toBeNull();

    const [before] = await sql(`SELECT count(*)::int AS n FROM orders WHERE distributor_id = $1`, [demo.distributor_id]);
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: id, idempotencyKey: randomUUID() } }, { token }));
    expect(fieldsAndCodes(reorder)).toEqual([[["input", "orderId"], "NOT_ALLOWED"]]);
    expect(await sql(`SELECT count(*)::int AS n FROM orders WHERE distributor_id = $1`, [demo.distributor_id])).toEqual([before]);
  });

  it("refuses, writing nothing, when a line can no longer be priced", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const kept = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const earlier = await placed(a.buyer.token, orderInput([line(kept.id, 1), line(item.id, 1)]));
    await sql(`DELETE FROM variant_prices WHERE distributor_id = $1 AND variant_id = $2`, [a.distributor.id, item.variant.id]);
    const before = await footprint(facet.dataSource, a.distributor);
    const { reorder } = ok(await facet.gql(ReorderDocument, { input: { orderId: earlier.id, idempotencyKey: randomUUID() } }, { token: a.buyer.token }));
    expect(reorder.order).toBeNull();
    expect(fieldsAndCodes(reorder)).toEqual([[["input", "orderId"], "PRICE_MISSING"]]);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
    expect(await stockOf(facet.dataSource, kept.variant)).toEqual({ onHand: 10, reserved: 1 });
  });
});
