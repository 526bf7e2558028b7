import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { toGlobalId } from "../src/graphql/node";
import { User, type Distributor } from "../src/modules/accounts";
import { Category, Metal, Plating } from "../src/modules/catalog/catalog.enums";
import { Product } from "../src/modules/catalog/product.entity";
import { Variant } from "../src/modules/catalog/variant.entity";
import { StockLevel, VariantPrice } from "../src/modules/catalog";
import { createProduct, createVariant, setPrice } from "./support/catalog-factories";
import { unique, userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { staff, tenant, type Tenant } from "./support/orders-factories";

// Quantity breaks per price list and style (docs/api.md, "Quantity breaks"): written by export
// managers, read with the style in the caller's own list, and applied by previewOrder and
// placeOrder, which count the style's units over all the order's lines (its lengths together).

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;

/** A chain style in two lengths priced for A and B, a third length priced lower, and a ring style. */
let chain: Product;
let short: Variant; // 100.00
let long: Variant; // 110.00
let cheap: Variant; // 85.00: below the first break
let ring: Variant; // 100.00, another style without breaks

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  b = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  people = await staff(facet.dataSource, facet.config);
  const ds = facet.dataSource;
  chain = await createProduct(ds, { category: Category.CHAIN, name: "Rope Chain" });
  short = await createVariant(ds, chain, { chainLengthMm: 400 });
  long = await createVariant(ds, chain, { chainLengthMm: 450 });
  cheap = await createVariant(ds, chain, { chainLengthMm: 350 });
  ring = await createVariant(ds, await createProduct(ds));
  for (const d of [a.distributor, b.distributor]) {
    await setPrice(ds, d, short, "100.00");
    await setPrice(ds, d, long, "110.00");
    await setPrice(ds, d, cheap, "85.00");
    await setPrice(ds, d, ring, "100.00");
  }
  expect(await setBreaks(a.distributor, chain, [{ minQuantity: 12, unitPrice: "90.00" }, { minQuantity: 50, unitPrice: "80.00" }])).toMatchObject({ userErrors: [] });
  // B's list has a break A never gets: from 2 units on, 50.00.
  expect(await setBreaks(b.distributor, chain, [{ minQuantity: 2, unitPrice: "50.00" }])).toMatchObject({ userErrors: [] });
});
afterAll(() => facet.stop());

type UserErrorOut = { field: string[] | null; message: string; code: string };
type BreakOut = { minQuantity: number; unitPrice: { amount: string; currency: string } };
type BreakIn = { minQuantity: number; unitPrice: string };
type SetBreaksOut = { product: { id: string } | null; quantityBreaks: BreakOut[] | null; userErrors: UserErrorOut[] };
type LineIn = { variantId: string; quantity: number };
type PreviewLineOut = { quantity: number; unitPrice: { amount: string } | null; lineTotal: { amount: string } | null; quantityBreak: BreakOut | null };

function run<T>(source: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const SET_BREAKS = `mutation QuantityBreaksSet($input: SetQuantityBreaksInput!) {
  setQuantityBreaks(input: $input) { product { id } quantityBreaks { minQuantity unitPrice { amount currency } } userErrors { field message code } }
}`;
const PRODUCT_BREAKS = `query QuantityBreaksOfProduct($id: ID!, $distributorId: ID) {
  product(id: $id) { quantityBreaks(distributorId: $distributorId) { minQuantity unitPrice { amount currency } } }
}`;
const PREVIEW = `query QuantityBreaksPreview($input: PlaceOrderInput!) {
  previewOrder(input: $input) { valid total { amount } lines { quantity unitPrice { amount } lineTotal { amount } quantityBreak { minQuantity unitPrice { amount currency } } } }
}`;
const PLACE = `mutation QuantityBreaksPlace($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { total { amount } lines { quantity unitPrice { amount } lineTotal { amount } } } userErrors { field message code } }
}`;

const gid = (v: Variant) => toGlobalId("Variant", v.id);
const productGid = (p: Product) => toGlobalId("Product", p.id);
const distributorGid = (d: Distributor) => toGlobalId("Distributor", d.id);
const orderOf = (lines: LineIn[]) => ({ idempotencyKey: randomUUID(), buyerReference: unique("PO").slice(0, 35), lines });

async function setBreaks(distributor: Distributor, product: Product, breaks: BreakIn[], token = people.manager.token): Promise<SetBreaksOut> {
  return ok(await run<{ setQuantityBreaks: SetBreaksOut }>(SET_BREAKS, { input: { distributorId: distributorGid(distributor), productId: productGid(product), breaks } }, token)).setQuantityBreaks;
}
const breaksSeen = async (token: string, distributorId?: string, product: Product = chain) =>
  ok(await run<{ product: { quantityBreaks: BreakOut[] } | null }>(PRODUCT_BREAKS, { id: productGid(product), distributorId }, token)).product!.quantityBreaks;
const preview = async (lines: LineIn[], t: Tenant = a) =>
  ok(await run<{ previewOrder: { valid: boolean; total: { amount: string }; lines: PreviewLineOut[] } }>(PREVIEW, { input: orderOf(lines) }, t.buyer.token)).previewOrder;
async function place(lines: LineIn[], t: Tenant = a) {
  const { placeOrder } = ok(
    await run<{ placeOrder: { order: { total: { amount: string }; lines: Omit<PreviewLineOut, "quantityBreak">[] } | null; userErrors: UserErrorOut[] } }>(PLACE, { input: orderOf(lines) }, t.buyer.token),
  );
  expect(placeOrder.userErrors).toEqual([]);
  return placeOrder.order!;
}
const eur = (amount: string) => ({ amount, currency: "EUR" });

describe("a style's quantity breaks", () => {
  it("show in the caller's own list, by ascending quantity; staff name the list", async () => {
    const mine = [
      { minQuantity: 12, unitPrice: eur("90.00") },
      { minQuantity: 50, unitPrice: eur("80.00") },
    ];
    expect(await breaksSeen(a.buyer.token)).toEqual(mine);
    expect(await breaksSeen(a.erp)).toEqual(mine);
    expect(await breaksSeen(a.buyer.token, distributorGid(a.distributor))).toEqual(mine);
    expect(await breaksSeen(b.buyer.token)).toEqual([{ minQuantity: 2, unitPrice: eur("50.00") }]);
    expect(await breaksSeen(people.manager.token, distributorGid(b.distributor))).toEqual([{ minQuantity: 2, unitPrice: eur("50.00") }]);
    expect(await breaksSeen(people.support.token, distributorGid(a.distributor))).toEqual(mine);
    // Another distributor's list reads as a list without breaks; staff without a list see none.
    expect(await breaksSeen(a.buyer.token, distributorGid(b.distributor))).toEqual([]);
    expect(await breaksSeen(people.manager.token)).toEqual([]);
    // A style without breaks in the list.
    expect(await breaksSeen(a.buyer.token, undefined, await facet.dataSource.manager.findOneByOrFail(Product, { id: ring.productId }))).toEqual([]);
  });
});

describe("placeOrder and previewOrder price a line at the break its style's quantity reaches", () => {
  // Quantity, unit price, the break applied: one below the first break, at it, between, at the next.
  const BOUNDARIES: [number, string, number | null][] = [
    [11, "100.00", null],
    [12, "90.00", 12],
    [30, "90.00", 12],
    [49, "90.00", 12],
    [50, "80.00", 50],
  ];

  it.each(BOUNDARIES)("%i units: %s each", async (quantity, unitPrice, minQuantity) => {
    const shown = await preview([{ variantId: gid(short), quantity }]);
    expect(shown.valid).toBe(true);
    expect(shown.lines[0].unitPrice).toEqual({ amount: unitPrice });
    expect(shown.lines[0].quantityBreak?.minQuantity ?? null).toBe(minQuantity);
    const total = (Number(unitPrice) * quantity).toFixed(2);
    expect(shown.lines[0].lineTotal).toEqual({ amount: total });

    const order = await place([{ variantId: gid(short), quantity }]);
    expect(order.lines[0]).toMatchObject({ quantity, unitPrice: { amount: unitPrice }, lineTotal: { amount: total } });
    expect(order.total).toEqual({ amount: total });
  });

  it("count the style's lengths together across lines, and no other style's units", async () => {
    // 6 + 6 of one style reach the break of 12: both lengths at 90.00; the ring's 20 count for the ring alone.
    const lines = [
      { variantId: gid(short), quantity: 6 },
      { variantId: gid(long), quantity: 6 },
      { variantId: gid(ring), quantity: 20 },
    ];
    const shown = await preview(lines);
    expect(shown.lines.map((l) => [l.unitPrice?.amount, l.quantityBreak?.minQuantity ?? null])).toEqual([
      ["90.00", 12],
      ["90.00", 12],
      ["100.00", null],
    ]);
    expect(shown.total).toEqual({ amount: "3080.00" });
    const order = await place(lines);
    expect(order.lines.map((l) => l.unitPrice?.amount)).toEqual(["90.00", "90.00", "100.00"]);
    expect(order.total).toEqual({ amount: "3080.00" });

    // 6 + 5 of the style reach no break, whatever else the order holds.
    const under = await place([
      { variantId: gid(short), quantity: 6 },
      { variantId: gid(long), quantity: 5 },
      { variantId: gid(ring), quantity: 40 },
    ]);
    expect(under.lines.map((l) => l.unitPrice?.amount)).toEqual(["100.00", "110.00", "100.00"]);

    // Two lines of one variant count together too.
    const twice = await preview([
      { variantId: gid(long), quantity: 25 },
      { variantId: gid(long), quantity: 25 },
    ]);
    expect(twice.lines.map((l) => l.unitPrice?.amount)).toEqual(["80.00", "80.00"]);
  });

  it("never raise a variant's own price above its list price", async () => {
    const reached = await preview([
      { variantId: gid(cheap), quantity: 10 },
      { variantId: gid(short), quantity: 10 },
    ]);
    // The break of 12 (90.00) is above the 85.00 length's own price: it keeps its own.
    expect(reached.lines.map((l) => [l.unitPrice?.amount, l.quantityBreak?.minQuantity ?? null])).toEqual([
      ["85.00", null],
      ["90.00", 12],
    ]);
    const order = await place([{ variantId: gid(cheap), quantity: 50 }]);
    expect(order.lines[0].unitPrice).toEqual({ amount: "80.00" });
  });

  it("apply only the caller's own list: another distributor's breaks never do", async () => {
    // B's break (2 units, 50.00) does not reach A; A's (12 units, 90.00) does not reach B.
    const mine = await preview([{ variantId: gid(short), quantity: 5 }]);
    expect(mine.lines[0]).toMatchObject({ unitPrice: { amount: "100.00" }, quantityBreak: null });
    const theirs = await preview([{ variantId: gid(short), quantity: 12 }], b);
    expect(theirs.lines[0]).toMatchObject({ unitPrice: { amount: "50.00" }, quantityBreak: { minQuantity: 2, unitPrice: eur("50.00") } });
    expect((await place([{ variantId: gid(long), quantity: 60 }], b)).lines[0].unitPrice).toEqual({ amount: "50.00" });
    expect((await place([{ variantId: gid(long), quantity: 3 }])).lines[0].unitPrice).toEqual({ amount: "110.00" });
  });
});

describe("setQuantityBreaks", () => {
  it("replaces the style's breaks in the list, writing and auditing only what changed", async () => {
    const product = await createProduct(facet.dataSource, { category: Category.CHAIN });
    const list = a.distributor;
    const audited = async () =>
      (
        (await facet.dataSource.query(
          `SELECT l.action, l.after->>'min_quantity' AS min_quantity, l.actor_name FROM audit_log l
           WHERE l.table_name = 'quantity_breaks' AND COALESCE(l.after, l.before)->>'product_id' = $1 ORDER BY l.seq`,
          [product.id],
        )) as { action: string; min_quantity: string | null; actor_name: string }[]
      ).map((r) => [r.action, r.min_quantity, r.actor_name]);

    const first = await setBreaks(list, product, [{ minQuantity: 12, unitPrice: "90.00" }, { minQuantity: 50, unitPrice: "80.5" }]);
    expect(first).toEqual({
      product: { id: productGid(product) },
      quantityBreaks: [
        { minQuantity: 12, unitPrice: eur("90.00") },
        { minQuantity: 50, unitPrice: eur("80.50") },
      ],
      userErrors: [],
    });
    const name = people.manager.user.name;
    expect(await audited()).toEqual([
      ["INSERT", "12", name],
      ["INSERT", "50", name],
    ]);

    // The same breaks again write nothing.
    await setBreaks(list, product, [{ minQuantity: 12, unitPrice: "90.00" }, { minQuantity: 50, unitPrice: "80.50" }]);
    expect(await audited()).toHaveLength(2);

    // 12 kept, 50 removed, 25 added.
    const second = await setBreaks(list, product, [{ minQuantity: 12, unitPrice: "90.00" }, { minQuantity: 25, unitPrice: "85.00" }]);
    expect(second.quantityBreaks).toEqual([
      { minQuantity: 12, unitPrice: eur("90.00") },
      { minQuantity: 25, unitPrice: eur("85.00") },
    ]);
    // One statement removes 50 and adds 25, in either order.
    const log = await audited();
    expect(log).toHaveLength(4);
    expect(log.slice(2).sort()).toEqual([
      ["DELETE", null, name],
      ["INSERT", "25", name],
    ]);
    // Only this list changed.
    expect(await breaksSeen(people.manager.token, distributorGid(b.distributor), product)).toEqual([]);

    // None removes them all.
    expect((await setBreaks(list, product, [])).quantityBreaks).toEqual([]);
    expect(await breaksSeen(a.buyer.token, undefined, product)).toEqual([]);
  });

  it("refuses bad breaks, each error naming its field, and writes nothing", async () => {
    const product = await createProduct(facet.dataSource, { category: Category.CHAIN });
    const refused = async (breaks: BreakIn[], distributor = a.distributor) => {
      const out = await setBreaks(distributor, product, breaks);
      expect(out.product).toBeNull();
      return out.userErrors.map((e) => [e.field, e.code]);
    };
    const at = (i: number, field: string) => ["input", "breaks", String(i), field];

    expect(await refused([{ minQuantity: 1, unitPrice: "90.00" }])).toEqual([[at(0, "minQuantity"), "OUT_OF_RANGE"]]);
    expect(await refused([{ minQuantity: 100_001, unitPrice: "90.00" }])).toEqual([[at(0, "minQuantity"), "OUT_OF_RANGE"]]);
    expect(
      await refused([
        { minQuantity: 50, unitPrice: "90.00" },
        { minQuantity: 12, unitPrice: "80.00" },
        { minQuantity: 12, unitPrice: "70.00" },
      ]),
    ).toEqual([
      [at(1, "minQuantity"), "INVALID"],
      [at(2, "minQuantity"), "INVALID"],
    ]);
    // Each break costs no more than the one before (the same is allowed, see below).
    expect(
      await refused([
        { minQuantity: 12, unitPrice: "80.00" },
        { minQuantity: 50, unitPrice: "80.01" },
      ]),
    ).toEqual([[at(1, "unitPrice"), "INVALID"]]);
    expect(await refused([{ minQuantity: 12, unitPrice: "0" }])).toEqual([[at(0, "unitPrice"), "OUT_OF_RANGE"]]);
    expect(await refused([{ minQuantity: 12, unitPrice: "-5.00" }])).toEqual([[at(0, "unitPrice"), "OUT_OF_RANGE"]]);
    // EUR has two decimal places.
    expect(await refused([{ minQuantity: 12, unitPrice: "89.995" }])).toEqual([[at(0, "unitPrice"), "INVALID"]]);
    expect(await refused(Array.from({ length: 11 }, (_, i) => ({ minQuantity: 2 + i, unitPrice: "50.00" })))).toEqual([[["input", "breaks"], "TOO_LONG"]]);

    const unknown = ok(
      await run<{ setQuantityBreaks: SetBreaksOut }>(
        SET_BREAKS,
        { input: { distributorId: toGlobalId("Distributor", randomUUID()), productId: toGlobalId("Product", randomUUID()), breaks: [] } },
        people.manager.token,
      ),
    ).setQuantityBreaks;
    expect(unknown.userErrors.map((e) => [e.field, e.code])).toEqual([
      [["input", "distributorId"], "NOT_FOUND"],
      [["input", "productId"], "NOT_FOUND"],
    ]);
    const [{ n }] = (await facet.dataSource.query(`SELECT count(*)::int AS n FROM quantity_breaks WHERE product_id = $1`, [product.id])) as { n: number }[];
    expect(n).toBe(0);

    // A level price is allowed: a break may only widen the quantity at a price.
    expect((await setBreaks(a.distributor, product, [{ minQuantity: 12, unitPrice: "80.00" }, { minQuantity: 50, unitPrice: "80.00" }])).userErrors).toEqual([]);
  });

  it("is for export managers only", async () => {
    const input = { distributorId: distributorGid(a.distributor), productId: productGid(chain), breaks: [{ minQuantity: 2, unitPrice: "1.00" }] };
    for (const token of [a.buyer.token, a.admin.token, a.erp, people.support.token]) {
      expect(errorCodes(await run(SET_BREAKS, { input }, token))).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await run(SET_BREAKS, { input }))).toEqual(["UNAUTHENTICATED"]);
    // A's breaks are as they were.
    expect((await breaksSeen(a.buyer.token)).map((x) => x.minQuantity)).toEqual([12, 50]);
  });
});

describe("a page of products with their quantity breaks", () => {
  const PAGE = `query QuantityBreaksPage($first: Int!, $collection: String!) {
    products(first: $first, filter: { collection: $collection }) {
      nodes { styleCode quantityBreaks { minQuantity unitPrice { amount currency } } variants { sku price { amount } } }
    }
  }`;

  it("costs the same number of statements for 5 and for 50 styles", async () => {
    const collection = unique("Breaks");
    const ds = facet.dataSource;
    const { identifiers } = await ds.manager.insert(
      Product,
      Array.from({ length: 50 }, (_, i) => ({
        styleCode: `${collection}-${String(i).padStart(3, "0")}`.toUpperCase(),
        name: `${collection} ${String(i).padStart(3, "0")}`,
        category: Category.CHAIN,
        collection,
        metal: Metal.SILVER,
        fineness: 925,
        plating: Plating.NONE,
        stones: [],
        hsCode: "711311",
        countryOfOrigin: "IN",
        standardLeadTimeDays: 10,
        minimumOrderQuantity: 1,
      })),
    );
    const productIds = identifiers.map((row) => row.id as string);
    const { identifiers: variantRows } = await ds.manager.insert(
      Variant,
      productIds.map((productId, i) => ({ productId, sku: `${collection}-${i}-45`.toUpperCase(), chainLengthMm: 450, metalWeightGrams: "4.000" })),
    );
    const variantIds = variantRows.map((row) => row.id as string);
    await ds.manager.insert(StockLevel, variantIds.map((variantId) => ({ variantId, onHand: 3 })));
    await ds.manager.insert(VariantPrice, variantIds.map((variantId) => ({ distributorId: a.distributor.id, variantId, amount: "40.00", currency: "EUR" })));
    await ds.query(
      `INSERT INTO quantity_breaks (distributor_id, product_id, min_quantity, unit_price, currency)
       SELECT $1, p, q, 40 - q / 10.0, 'EUR' FROM unnest($2::uuid[]) AS p CROSS JOIN unnest(ARRAY[12, 50]) AS q`,
      [a.distributor.id, productIds],
    );

    const statementsFor = async (first: number) => {
      const before = facet.statements.count;
      const { products } = ok(
        await run<{ products: { nodes: { quantityBreaks: BreakOut[]; variants: unknown[] }[] } }>(PAGE, { first, collection }, a.buyer.token),
      );
      const count = facet.statements.count - before;
      expect(products.nodes).toHaveLength(first);
      for (const node of products.nodes) {
        expect(node.quantityBreaks).toEqual([
          { minQuantity: 12, unitPrice: eur("38.80") },
          { minQuantity: 50, unitPrice: eur("35.00") },
        ]);
        expect(node.variants).toHaveLength(1);
      }
      return count;
    };
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(five);
  });
});

describe("the demo data", () => {
  it("has two breaks on every chain style in every demo list that prices it", async () => {
    const rows = (await facet.dataSource.query(
      `SELECT d.code, p.style_code, array_agg(q.min_quantity ORDER BY q.min_quantity) AS quantities,
              bool_and(q.unit_price <= (SELECT min(vp.amount) FROM variant_prices vp JOIN variants v ON v.id = vp.variant_id
                                         WHERE v.product_id = p.id AND vp.distributor_id = d.id)) AS below_list
       FROM products p
       JOIN distributors d ON d.code IN ('atelier-paris', 'gulf-gold', 'maple-jewels')
       LEFT JOIN quantity_breaks q ON q.product_id = p.id AND q.distributor_id = d.id
       WHERE p.category = 'CHAIN'
         AND EXISTS (SELECT 1 FROM variant_prices vp JOIN variants v ON v.id = vp.variant_id WHERE v.product_id = p.id AND vp.distributor_id = d.id)
         AND p.style_code LIKE 'CH-%'
       GROUP BY d.code, d.id, p.style_code, p.id`,
    )) as { code: string; style_code: string; quantities: number[]; below_list: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.code)).size).toBe(3);
    expect(rows.filter((r) => r.quantities.join() !== "12,50" || !r.below_list)).toEqual([]);
  });

  it("prices half a dozen of two lengths of a demo chain at its break of 12, as docs/api.md shows", async () => {
    const buyer = await facet.dataSource.manager.findOneByOrFail(User, { email: "buyer@atelier-paris.example" });
    const { previewOrder } = ok(
      await run<{ previewOrder: { lines: PreviewLineOut[] } }>(
        PREVIEW,
        { input: { idempotencyKey: randomUUID(), buyerReference: "PO-4713", lines: [{ sku: "CH-1250G-40", quantity: 6 }, { sku: "CH-1250G-45", quantity: 6 }] } },
        userToken(facet.config, buyer),
      ),
    );
    expect(previewOrder.lines.map((l) => [l.unitPrice?.amount, l.quantityBreak])).toEqual([
      ["577.70", { minQuantity: 12, unitPrice: eur("577.70") }],
      ["577.70", { minQuantity: 12, unitPrice: eur("577.70") }],
    ]);
  });
});
