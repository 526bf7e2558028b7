import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { toGlobalId } from "../src/graphql/node";
import { createProduct, createVariant, setPrice } from "./support/catalog-factories";
import { unique } from "./support/factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { footprint, rawOrderId, sellable, stockOf, tenant, type Tenant } from "./support/orders-factories";

// Order lines named by SKU instead of the variant's global id.

let facet: TestFacet;
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "100" });
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  b = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
});
afterAll(() => facet.stop());

type UserErrorOut = { field: string[] | null; message: string; code: string };
type LineOut = { lineNumber: number; sku: string; description: string; quantity: number; unitPrice: { amount: string }; lineTotal: { amount: string }; fromStock: number; madeToOrder: number; estimatedShipDate: string };
type OrderOut = { id: string; number: string; total: { amount: string; currency: string }; lines: LineOut[] };
type PlaceOut = { placeOrder: { order: OrderOut | null; userErrors: UserErrorOut[] } };
type LineIn = { variantId?: string; sku?: string; quantity: number; customization?: Record<string, unknown> };

const ORDER_FIELDS = `id number total { amount currency } lines { lineNumber sku description quantity unitPrice { amount } lineTotal { amount } fromStock madeToOrder estimatedShipDate }`;
const PLACE = `mutation SkuPlace($input: PlaceOrderInput!) { placeOrder(input: $input) { order { ${ORDER_FIELDS} } userErrors { field message code } } }`;
const REORDER = `mutation SkuReorder($input: ReorderInput!) { reorder(input: $input) { order { ${ORDER_FIELDS} } userErrors { field message code } } }`;

function run<T>(source: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const input = (lines: LineIn[], overrides: Record<string, unknown> = {}) => ({ idempotencyKey: randomUUID(), buyerReference: unique("PO").slice(0, 35), lines, ...overrides });
const place = async (token: string, i: ReturnType<typeof input>) => ok(await run<PlaceOut>(PLACE, { input: i }, token)).placeOrder;
const fieldsAndCodes = (errors: UserErrorOut[]) => errors.map((e) => [e.field, e.code]);
const lineField = (i: number, field: string) => ["input", "lines", String(i), field];
/** What a line says, its id aside. */
const asPlaced = ({ sku, description, quantity, unitPrice, lineTotal, fromStock, madeToOrder, estimatedShipDate }: LineOut) => ({ sku, description, quantity, unitPrice, lineTotal, fromStock, madeToOrder, estimatedShipDate });

describe("placeOrder with lines given by SKU", () => {
  it("prices, reserves and describes a SKU line exactly as the same line given by variant id, in any case and with spaces around", async () => {
    const ring = await sellable(facet.dataSource, { variant: { onHand: 100, ringSizeMm: "54.0" }, prices: [[a.distributor, "1249.5000"]] });
    const bySku = await place(a.buyer.token, input([{ sku: `  ${ring.variant.sku.toLowerCase()} `, quantity: 3 }]));
    const byId = await place(a.buyer.token, input([{ variantId: ring.id, quantity: 3 }]));
    expect(bySku.userErrors).toEqual([]);
    expect(byId.userErrors).toEqual([]);
    expect(bySku.order!.lines.map(asPlaced)).toEqual(byId.order!.lines.map(asPlaced));
    expect(bySku.order!.lines[0]).toMatchObject({ sku: ring.variant.sku, quantity: 3, unitPrice: { amount: "1249.50" }, lineTotal: { amount: "3748.50" }, fromStock: 3 });
    expect(bySku.order!.total).toEqual({ amount: "3748.50", currency: "EUR" });
    expect(await stockOf(facet.dataSource, ring.variant)).toEqual({ onHand: 100, reserved: 6 });
  });

  it("mixes SKU and variant-id lines in one order, and ERP clients with orders:write order by SKU too", async () => {
    const one = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const two = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "2.50"]] });
    const placed = await place(a.erpWith("orders:write"), input([{ variantId: one.id, quantity: 1 }, { sku: two.variant.sku, quantity: 4, customization: null as never }]));
    expect(placed.userErrors).toEqual([]);
    expect(placed.order!.lines.map((l) => [l.lineNumber, l.sku, l.lineTotal.amount])).toEqual([
      [1, one.variant.sku, "10.00"],
      [2, two.variant.sku, "10.00"],
    ]);
  });

  describe("refuses, writing nothing", () => {
    let priced: Awaited<ReturnType<typeof sellable>>;
    let bsOwn: Awaited<ReturnType<typeof sellable>>;

    beforeAll(async () => {
      priced = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
      // Priced for the other distributor alone.
      bsOwn = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[b.distributor, "987.65"]] });
    });

    async function refused(i: ReturnType<typeof input>): Promise<UserErrorOut[]> {
      const before = await footprint(facet.dataSource, a.distributor);
      const stock = await stockOf(facet.dataSource, priced.variant);
      const payload = await place(a.buyer.token, i);
      expect(payload.order).toBeNull();
      expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
      expect(await stockOf(facet.dataSource, priced.variant)).toEqual(stock);
      return payload.userErrors;
    }

    it("a line with both a variant id and a SKU, or with neither", async () => {
      expect(fieldsAndCodes(await refused(input([{ variantId: priced.id, sku: priced.variant.sku, quantity: 1 }])))).toEqual([[lineField(0, "variantId"), "INVALID"]]);
      expect(fieldsAndCodes(await refused(input([{ variantId: priced.id, quantity: 1 }, { quantity: 1 }])))).toEqual([[lineField(1, "variantId"), "REQUIRED"]]);
    });

    it("a blank, overlong or control-character SKU, naming the SKU", async () => {
      expect(fieldsAndCodes(await refused(input([{ sku: "   ", quantity: 1 }])))).toEqual([[lineField(0, "sku"), "REQUIRED"]]);
      expect(fieldsAndCodes(await refused(input([{ sku: "X".repeat(41), quantity: 1 }])))).toEqual([[lineField(0, "sku"), "TOO_LONG"]]);
      expect(fieldsAndCodes(await refused(input([{ sku: "RING\u0007", quantity: 1 }])))).toEqual([[lineField(0, "sku"), "INVALID"]]);
    });

    it("an unknown SKU as an unknown variant id: NOT_FOUND, naming the SKU, beside the other lines' problems", async () => {
      const bySku = await refused(input([{ sku: priced.variant.sku, quantity: 1 }, { sku: unique("NO-SUCH").toUpperCase(), quantity: 1 }, { sku: bsOwn.variant.sku, quantity: 1 }]));
      const byId = await refused(input([{ variantId: priced.id, quantity: 1 }, { variantId: toGlobalId("Variant", randomUUID()), quantity: 1 }, { variantId: bsOwn.id, quantity: 1 }]));
      expect(fieldsAndCodes(bySku)).toEqual([
        [lineField(1, "sku"), "NOT_FOUND"],
        [lineField(2, "sku"), "PRICE_MISSING"],
      ]);
      expect(fieldsAndCodes(byId)).toEqual([
        [lineField(1, "variantId"), "NOT_FOUND"],
        [lineField(2, "variantId"), "PRICE_MISSING"],
      ]);
      // Another distributor's SKU, unpriced for the caller, is refused in the very words its id is.
      expect(bySku[0].message).toBe("No variant with this SKU");
      expect(bySku[1].message).toBe(byId[1].message);
      expect(bySku[1].message).not.toContain("987");
    });

    it("a SKU line's quantity and customization as a variant-id line's", async () => {
      expect(fieldsAndCodes(await refused(input([{ sku: priced.variant.sku, quantity: 0 }])))).toEqual([[lineField(0, "quantity"), "OUT_OF_RANGE"]]);
      expect(fieldsAndCodes(await refused(input([{ sku: priced.variant.sku, quantity: 1, customization: { engraving: "AJ" } }])))).toEqual([
        [["input", "lines", "0", "customization", "engraving"], "NOT_OFFERED"],
      ]);
    });
  });

  it("finds the variants of 50 SKU lines in one statement, and places 5 and 50 SKU lines in as many statements", async () => {
    const product = await createProduct(facet.dataSource);
    const skus: string[] = [];
    for (let i = 0; i < 50; i++) {
      const variant = await createVariant(facet.dataSource, product, { onHand: 5 });
      await setPrice(facet.dataSource, a.distributor, variant, "1.00");
      skus.push(variant.sku);
    }
    const placeAll = async (n: number) => {
      const sent = await facet.statements.during(async () => {
        const payload = await place(a.buyer.token, input(skus.slice(0, n).map((sku) => ({ sku: sku.toLowerCase(), quantity: 1 }))));
        expect(payload.userErrors).toEqual([]);
        expect(payload.order!.lines).toHaveLength(n);
      });
      return { all: sent.length, lookups: sent.filter((s) => /\bFROM variants WHERE sku\b/i.test(s.query)).length };
    };
    const five = await placeAll(5);
    const fifty = await placeAll(50);
    expect(fifty.lookups).toBe(1);
    expect(five.lookups).toBe(1);
    expect(fifty.all).toBe(five.all);
  });
});

describe("idempotency keys with SKU lines", () => {
  it("replays the first order for the same input, and for the same lines given by variant id; another input is refused", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "5.00"]] });
    const first = input([{ sku: item.variant.sku.toLowerCase(), quantity: 2 }]);
    const placed = await place(a.buyer.token, first);
    expect(placed.userErrors).toEqual([]);
    const before = await footprint(facet.dataSource, a.distributor);

    expect((await place(a.buyer.token, first)).order!.id).toBe(placed.order!.id);
    const sameById = { ...first, lines: [{ variantId: item.id, quantity: 2 }] };
    expect((await place(a.buyer.token, sameById)).order!.id).toBe(placed.order!.id);
    const sameBySpelling = { ...first, lines: [{ sku: ` ${item.variant.sku} `, quantity: 2 }] };
    expect((await place(a.buyer.token, sameBySpelling)).order!.id).toBe(placed.order!.id);

    const other = await place(a.buyer.token, { ...first, lines: [{ sku: item.variant.sku, quantity: 3 }] });
    expect(fieldsAndCodes(other.userErrors)).toEqual([[["input", "idempotencyKey"], "IDEMPOTENCY_KEY_REUSED"]]);
    expect(await footprint(facet.dataSource, a.distributor)).toEqual(before);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 2 });
  });

  it("leaves the key free when a SKU was unknown", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "5.00"]] });
    const key = randomUUID();
    const refused = await place(a.buyer.token, input([{ sku: unique("GONE").toUpperCase(), quantity: 1 }], { idempotencyKey: key }));
    expect(fieldsAndCodes(refused.userErrors)).toEqual([[lineField(0, "sku"), "NOT_FOUND"]]);
    const placed = await place(a.buyer.token, input([{ sku: item.variant.sku, quantity: 1 }], { idempotencyKey: key }));
    expect(placed.userErrors).toEqual([]);
  });
});

describe("reorder of an order placed by SKU", () => {
  it("places the same lines again", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "7.00"]] });
    const placed = await place(a.buyer.token, input([{ sku: item.variant.sku, quantity: 2, customization: {} }]));
    const again = ok(await run<{ reorder: { order: OrderOut | null; userErrors: UserErrorOut[] } }>(REORDER, { input: { orderId: placed.order!.id, idempotencyKey: randomUUID() } }, a.buyer.token)).reorder;
    expect(again.userErrors).toEqual([]);
    expect(again.order!.lines.map((l) => [l.sku, l.quantity, l.lineTotal.amount])).toEqual([[item.variant.sku, 2, "14.00"]]);
    expect(rawOrderId(again.order!.id)).not.toBe(rawOrderId(placed.order!.id));
  });
});
