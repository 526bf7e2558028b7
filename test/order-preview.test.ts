import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { Plating } from "../src/modules/catalog/catalog.enums";
import { createBatch, createProduct, createVariant, dateFromToday, setPrice } from "./support/catalog-factories";
import { unique } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { footprint, sellable, staff, stockOf, tenant, type Tenant } from "./support/orders-factories";

// previewOrder: what placeOrder would answer, with nothing written.

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "100" });
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  b = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  people = await staff(facet.dataSource, facet.config);
});
afterAll(() => facet.stop());

type UserErrorOut = { field: string[] | null; message: string; code: string };
type Amount = { amount: string } | null;
type PreviewLine = {
  lineNumber: number;
  sku: string | null;
  description: string | null;
  quantity: number;
  unitPrice: Amount;
  lineTotal: Amount;
  fromStock: number | null;
  madeToOrder: number | null;
  estimatedShipDate: string | null;
  problems: UserErrorOut[];
};
type Preview = { lines: PreviewLine[]; total: { amount: string; currency: string }; currency: string; incoterm: string; estimatedShipDate: string | null; valid: boolean; userErrors: UserErrorOut[] };
type LineIn = { variantId?: string; sku?: string; quantity: number; customization?: Record<string, unknown> };

const LINE_FIELDS = `lineNumber sku description quantity unitPrice { amount } lineTotal { amount } fromStock madeToOrder estimatedShipDate`;
const PREVIEW = `query Preview($input: PlaceOrderInput!) {
  previewOrder(input: $input) { lines { ${LINE_FIELDS} problems { field message code } } total { amount currency } currency incoterm estimatedShipDate valid userErrors { field message code } }
}`;
const PREVIEW_VARIANT = `query PreviewVariant($input: PlaceOrderInput!) { previewOrder(input: $input) { valid lines { variant { sku } } } }`;
const PLACE = `mutation PreviewPlace($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id total { amount currency } incoterm estimatedShipDate lines { ${LINE_FIELDS} } } userErrors { field message code } }
}`;

function run<T>(source: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}
const input = (lines: LineIn[], overrides: Record<string, unknown> = {}) => ({ idempotencyKey: randomUUID(), buyerReference: unique("PO").slice(0, 35), lines, ...overrides });
const preview = async (i: ReturnType<typeof input>, token = a.buyer.token) => ok(await run<{ previewOrder: Preview }>(PREVIEW, { input: i }, token)).previewOrder;
const place = async (i: ReturnType<typeof input>) =>
  ok(await run<{ placeOrder: { order: (Omit<Preview, "lines"> & { lines: PreviewLine[] }) | null; userErrors: UserErrorOut[] } }>(PLACE, { input: i }, a.buyer.token)).placeOrder;
const fieldsAndCodes = (errors: UserErrorOut[]) => errors.map((e) => [e.field, e.code]);
const lineField = (i: number, ...field: string[]) => ["input", "lines", String(i), ...field];

/** What the caller's distributor holds, and the stock and batches of the variants: a preview changes none of it. */
async function state(variants: { id: string }[], batchIds: string[] = []) {
  const [events] = (await facet.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE distributor_id = $1`, [a.distributor.id])) as { n: number }[];
  const stock = await facet.dataSource.query(`SELECT variant_id, on_hand, reserved FROM stock_levels WHERE variant_id = ANY($1) ORDER BY variant_id`, [variants.map((v) => v.id)]);
  const batches = await facet.dataSource.query(`SELECT id, allocated FROM production_batches WHERE id = ANY($1) ORDER BY id`, [batchIds]);
  return { ...(await footprint(facet.dataSource, a.distributor)), events: events.n, stock, batches };
}

/** Statements that write or lock, or take an order number: none may run for a preview. */
const WRITES = /\b(INSERT|UPDATE|DELETE|nextval|FOR UPDATE|FOR SHARE)\b/i;

describe("previewOrder", () => {
  it("answers what placeOrder then does: prices, totals, stock, production and ship dates per line and for the order", async () => {
    const ring = await sellable(facet.dataSource, { variant: { onHand: 4, ringSizeMm: "54.0" }, prices: [[a.distributor, "1249.5000"]] });
    const chain = await sellable(facet.dataSource, {
      product: { standardLeadTimeDays: 40, customizationOptions: { platingOffers: [{ type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.250" }], engravingMaxLength: 10 } },
      variant: { onHand: 0 },
      prices: [[a.distributor, "0.1000"]],
    });
    const batch = await createBatch(facet.dataSource, chain.variant, { readyDate: dateFromToday(20), quantity: 5 });
    const order = input(
      [
        { sku: ring.variant.sku.toLowerCase(), quantity: 6 },
        { variantId: chain.id, quantity: 3 },
        { variantId: chain.id, quantity: 7, customization: { plating: "RHODIUM", engraving: "A & J" } },
      ],
      { incoterm: "CPT" },
    );
    const before = await state([ring.variant, chain.variant], [batch.id]);
    let seen: Preview | undefined;
    const sent = await facet.statements.during(async () => (seen = await preview(order)));
    const p = seen!;
    expect(sent.filter((s) => WRITES.test(s.query))).toEqual([]);
    expect(await state([ring.variant, chain.variant], [batch.id])).toEqual(before);

    expect(p).toMatchObject({ valid: true, userErrors: [], currency: "EUR", incoterm: "CPT", total: { amount: "7498.00", currency: "EUR" } });
    expect(p.lines.map((l) => [l.lineNumber, l.sku, l.unitPrice?.amount, l.lineTotal?.amount, l.fromStock, l.madeToOrder, l.problems])).toEqual([
      [1, ring.variant.sku, "1249.50", "7497.00", 4, 2, []],
      [2, chain.variant.sku, "0.10", "0.30", 0, 3, []],
      [3, chain.variant.sku, "0.10", "0.70", 0, 7, []],
    ]);
    // The batch covers the standard chains; the plated, engraved ones are a new run.
    expect(p.lines[1].estimatedShipDate! >= dateFromToday(20)).toBe(true);
    expect(p.lines[2].estimatedShipDate! > p.lines[1].estimatedShipDate!).toBe(true);
    expect(p.estimatedShipDate).toBe([...p.lines.map((l) => l.estimatedShipDate!)].sort().at(-1));
    expect(p.lines[2].description).toContain('engraved "A & J"');

    // Placed now, the order is what the preview said.
    const placed = await place(order);
    expect(placed.userErrors).toEqual([]);
    expect(placed.order!.lines).toEqual(p.lines.map(({ problems: _p, ...line }) => line));
    expect(placed.order!).toMatchObject({ total: p.total, incoterm: p.incoterm, estimatedShipDate: p.estimatedShipDate });
    expect(await stockOf(facet.dataSource, ring.variant)).toEqual({ onHand: 4, reserved: 4 });
    expect(await facet.dataSource.query(`SELECT allocated FROM production_batches WHERE id = $1`, [batch.id])).toEqual([{ allocated: 3 }]);
  });

  it("reports every problem, per line and in userErrors, naming each field as placeOrder does, and still prices and dates the good lines", async () => {
    const good = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const moq5 = await sellable(facet.dataSource, { product: { minimumOrderQuantity: 5 }, variant: { onHand: 10 }, prices: [[a.distributor, "3.00"]] });
    const bsOwn = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[b.distributor, "987.65"]] });
    const retired = await sellable(facet.dataSource, { variant: { onHand: 2, discontinued: true }, prices: [[a.distributor, "10.00"]] });
    const unknownSku = unique("NO-SUCH").toUpperCase();
    const lines: LineIn[] = [
      { sku: good.variant.sku, quantity: 2 },
      { sku: unknownSku, quantity: 1 },
      { sku: bsOwn.variant.sku, quantity: 1 },
      { variantId: moq5.id, quantity: 1 },
      { variantId: good.id, quantity: 1, customization: { engraving: "AJ" } },
      { variantId: retired.id, quantity: 3 },
    ];
    // Problems placeOrder finds before allotting anything are the same, named the same.
    const placeable = input(lines.slice(0, 5), { currency: "USD" });
    const p1 = await preview(placeable);
    const refused = await place(placeable);
    expect(refused.order).toBeNull();
    expect(fieldsAndCodes(p1.userErrors).sort()).toEqual(fieldsAndCodes(refused.userErrors).sort());

    const before = await state([good.variant, moq5.variant, bsOwn.variant, retired.variant]);
    const p = await preview(input([...lines, { variantId: good.id, sku: good.variant.sku, quantity: 0 }], { buyerReference: " ", idempotencyKey: "" }));
    expect(await state([good.variant, moq5.variant, bsOwn.variant, retired.variant])).toEqual(before);

    expect(p.valid).toBe(false);
    expect(p.lines.map((l) => fieldsAndCodes(l.problems))).toEqual([
      [],
      [[lineField(1, "sku"), "NOT_FOUND"]],
      [[lineField(2, "sku"), "PRICE_MISSING"]],
      [[lineField(3, "quantity"), "OUT_OF_RANGE"]],
      [[lineField(4, "customization", "engraving"), "NOT_OFFERED"]],
      [[lineField(5, "quantity"), "INVALID_STATE"]],
      [
        [lineField(6, "variantId"), "INVALID"],
        [lineField(6, "quantity"), "OUT_OF_RANGE"],
      ],
    ]);
    // The idempotency key is not read; the buyer reference is checked as placeOrder checks it.
    expect(fieldsAndCodes(p.userErrors).sort()).toEqual([[["input", "buyerReference"], "REQUIRED"], ...p.lines.flatMap((l) => fieldsAndCodes(l.problems))].sort());
    expect(p.lines[0]).toMatchObject({ sku: good.variant.sku, unitPrice: { amount: "10.00" }, lineTotal: { amount: "20.00" }, fromStock: 2, madeToOrder: 0 });
    expect(p.lines[0].estimatedShipDate).not.toBeNull();
    expect(p.lines[1]).toMatchObject({ sku: unknownSku, unitPrice: null, lineTotal: null, fromStock: null, estimatedShipDate: null, description: null });
    // Nothing of the other distributor's price shows.
    expect(p.lines[2]).toMatchObject({ sku: bsOwn.variant.sku, unitPrice: null, lineTotal: null, fromStock: null, estimatedShipDate: null });
    expect(JSON.stringify(p)).not.toContain("987");
    // A line under its minimum is still priced and dated; the total counts every priced line (20 + 3 + 10 + 30).
    expect(p.lines[3]).toMatchObject({ unitPrice: { amount: "3.00" }, fromStock: 1 });
    expect(p.total.amount).toBe("63.00");
  });

  it("ignores the idempotency key: a key that placed an order previews another input", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const first = input([{ variantId: item.id, quantity: 1 }]);
    expect((await place(first)).userErrors).toEqual([]);
    const p = await preview({ ...first, lines: [{ variantId: item.id, quantity: 4 }] });
    expect(p).toMatchObject({ valid: true, userErrors: [], total: { amount: "4.00" } });
  });

  it("refuses more than 500 lines without reading them", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const p = await preview(input(Array.from({ length: 501 }, () => ({ variantId: item.id, quantity: 1 }))));
    expect(p).toMatchObject({ valid: false, lines: [], total: { amount: "0.00" } });
    expect(fieldsAndCodes(p.userErrors)).toEqual([[["input", "lines"], "TOO_LONG"]]);
  });

  it("costs as many statements for 50 SKU lines as for 5", async () => {
    const product = await createProduct(facet.dataSource);
    const skus: string[] = [];
    for (let i = 0; i < 50; i++) {
      const variant = await createVariant(facet.dataSource, product, { onHand: 5 });
      await setPrice(facet.dataSource, a.distributor, variant, "1.00");
      skus.push(variant.sku);
    }
    const count = async (n: number) => {
      const before = facet.statements.count;
      const p = await preview(input(skus.slice(0, n).map((sku, i) => ({ sku, quantity: 1 + (i % 3) }))));
      expect(p.valid).toBe(true);
      expect(p.lines).toHaveLength(n);
      return facet.statements.count - before;
    };
    const five = await count(5);
    expect(await count(50)).toBe(five);
  });

  it("shows the variant to those who may read the catalog", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const i = input([{ variantId: item.id, quantity: 1 }]);
    const buyer = ok(await run<{ previewOrder: { lines: { variant: { sku: string } }[] } }>(PREVIEW_VARIANT, { input: i }, a.buyer.token)).previewOrder;
    expect(buyer.lines[0].variant).toEqual({ sku: item.variant.sku });
    const erp = await run<{ previewOrder: { valid: boolean; lines: { variant: null }[] } | null }>(PREVIEW_VARIANT, { input: i }, a.erpWith("orders:write"));
    expect(errorCodes(erp)).toEqual(["FORBIDDEN"]);
    expect(erp.data?.previewOrder).toMatchObject({ valid: true, lines: [{ variant: null }] });
  });

  it("is for those who may place orders: staff and ERP clients without orders:write are refused", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "1.00"]] });
    const i = input([{ variantId: item.id, quantity: 1 }]);
    for (const token of [people.manager.token, people.support.token, a.erpWith("orders:read", "catalog:read")]) {
      const result = await run(PREVIEW, { input: i }, token);
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await run(PREVIEW, { input: i }))).toEqual(["UNAUTHENTICATED"]);
    expect((await preview(i, a.admin.token)).valid).toBe(true);
  });
});
