import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import type { CurrencyCode } from "../src/graphql/scalars";
import { loaderBatchSize } from "../src/observability/metrics";
import { User, type Distributor } from "../src/modules/accounts";
import { ProductionBatch, StockLevel, VariantPrice } from "../src/modules/catalog";
import { BatchStatus } from "../src/modules/catalog/stock.entity";
import { Category, Metal, Plating, RjcCertificationType, StoneOrigin, StoneShape, StoneType, Treatment } from "../src/modules/catalog/catalog.enums";
import { WDC_SOW_STATEMENT } from "../src/modules/catalog/jewelry";
import { addBusinessDays, calendarDaysBetween as daysBetween, type WorkingCalendar } from "../src/modules/calendar";
import { Product, type StoneRow } from "../src/modules/catalog/product.entity";
import { Variant } from "../src/modules/catalog/variant.entity";
import {
  AdminUpsertVariantDocument,
  CatalogLeadTimeQuoteDocument,
  CatalogNodeDocument,
  CatalogPageDocument,
  CatalogVariantsOneByOneDocument,
  CatalogVariantsTwiceDocument,
  CatalogProductDocument,
  CatalogProductsDocument,
  CatalogVariantDocument,
  CatalogVariantPriceDocument,
  ReadmeGoldLabGrownDocument,
  type CatalogProductsQuery,
  type ProductFilter,
  type ProductOrderField,
} from "./generated/graphql";
import { createBatch, createProduct, createVariant, dateFromToday, productId, setPrice, variantId, type ProductSpec, type VariantSpec } from "./support/catalog-factories";
import { clientToken, createApiClient, createDistributor, createUser, unique, userToken } from "./support/factories";
import { exporterCalendar } from "./support/calendar";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet, whenSynced } from "./support/harness";

let facet: TestFacet;

// Every style code, SKU and collection this file creates starts with RUN, and each test works in
// collections or search words of its own, so the demo catalog and other files never get in the way.
const RUN = unique("CT").toUpperCase();
let seq = 0;
// Fixed width, so that no tag is a prefix of another (searches look for substrings).
const tag = () => `${RUN}-${String(++seq).padStart(3, "0")}`;

interface Tenant {
  distributor: Distributor;
  id: string;
  buyer: User;
  token: string;
}
let a: Tenant;
let b: Tenant;
let c: Tenant;
let managerToken: string;
let supportToken: string;

async function tenant(currency: CurrencyCode): Promise<Tenant> {
  const distributor = await createDistributor(facet.dataSource, { currency });
  const buyer = await createUser(facet.dataSource, { distributor, role: UserRole.BUYER });
  return { distributor, id: toGlobalId("Distributor", distributor.id), buyer, token: userToken(facet.config, buyer) };
}

beforeAll(async () => {
  // Quotes here split a quantity between the shelf and production; the share one order may take
  // from stock is tested in reservations.test.ts.
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "100" });
  a = await tenant("EUR");
  b = await tenant("USD");
  c = await tenant("JPY");
  managerToken = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
  supportToken = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }));
});
afterAll(() => facet.stop());

function as<TData, TVars extends Record<string, unknown>>(token: string, document: TypedDocumentNode<TData, TVars>, variables: TVars): Promise<GraphQLResult<TData>> {
  return facet.gql(document, variables, { token });
}

const asBuyer = <TData, TVars extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVars>, variables: TVars) => as(a.token, document, variables);

function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return facet.dataSource.query(text, params);
}

/** A top-level BAD_USER_INPUT naming `argument`, and no data (a nullable root field is null). */
function expectBadInput(result: GraphQLResult<unknown>, argument: string) {
  expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
  expect(result.errors![0].extensions?.argument).toBe(argument);
  expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
}

const stone = (type: StoneType, origin: StoneOrigin, count = 1, totalCarat = "0.100", treatments: Treatment[] = [], shape = StoneShape.ROUND): StoneRow => ({
  type,
  shape,
  count,
  totalCarat,
  origin,
  treatments,
});

// A GTIN-13 with a valid GS1 check digit, unlikely to collide with anyone else's.
function freshGtin(): string {
  const body = `2${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

type Status = "IN_STOCK" | "LOW_STOCK" | "MADE_TO_ORDER" | "DISCONTINUED";

/** A product whose one variant gives it `status` (low stock: 3 available, threshold 5). */
async function productWith(status: Status, spec: ProductSpec): Promise<Product> {
  const product = await createProduct(facet.dataSource, { ...spec, discontinued: status === "DISCONTINUED" });
  const onHand = { IN_STOCK: 20, LOW_STOCK: 3, MADE_TO_ORDER: 0, DISCONTINUED: 8 }[status];
  await createVariant(facet.dataSource, product, { onHand, sku: `${product.styleCode}-V` });
  return product;
}

const products = (filter: ProductFilter, orderBy: ProductOrderField = "NAME", first = 20) => asBuyer(CatalogProductsDocument, { first, filter, orderBy });
const styleCodes = async (filter: ProductFilter, orderBy: ProductOrderField = "NAME") => ok(await products(filter, orderBy)).products!.nodes.map((n) => n.styleCode);

// ---- filters ------------------------------------------------------------------------------------

// Eight styles of one collection that differ in every attribute a filter looks at.
async function assortment() {
  const collection = tag();
  const make = (key: string, status: Status, spec: ProductSpec) => productWith(status, { collection, styleCode: `${collection}-${key}`, name: `${collection} ${key}`, ...spec });
  const p = {
    goldRing: await make("A", "IN_STOCK", { category: Category.RING, metal: Metal.GOLD, fineness: 750, stones: [stone(StoneType.DIAMOND, StoneOrigin.NATURAL)] }),
    silverNecklace: await make("B", "LOW_STOCK", {
      category: Category.NECKLACE,
      metal: Metal.SILVER,
      fineness: 925,
      plating: Plating.RHODIUM,
      platingThicknessMicrons: "0.500",
      hsCode: "711311",
      stones: [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 30, "1.500")],
    }),
    platinumEarrings: await make("C", "MADE_TO_ORDER", { category: Category.EARRINGS, metal: Metal.PLATINUM, fineness: 950, stones: [stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 2, "1.000", [Treatment.HEAT])] }),
    vermeilPendant: await make("D", "IN_STOCK", {
      category: Category.PENDANT,
      metal: Metal.SILVER,
      fineness: 925,
      plating: Plating.YELLOW_GOLD,
      platingThicknessMicrons: "2.500",
      hsCode: "711311",
      stones: [stone(StoneType.SAPPHIRE, StoneOrigin.LAB_GROWN)],
    }),
    brassBracelet: await make("E", "LOW_STOCK", {
      category: Category.BRACELET,
      metal: Metal.BRASS,
      fineness: null,
      plating: Plating.YELLOW_GOLD,
      platingThicknessMicrons: "1.000",
      hsCode: "711719",
      stones: [stone(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT, 24, "0.960")],
    }),
    goldChain: await make("F", "MADE_TO_ORDER", { category: Category.CHAIN, metal: Metal.GOLD, fineness: 916 }),
    // A natural ruby beside lab-grown diamonds: neither "natural diamond" nor "lab-grown ruby".
    roseRing: await make("G", "IN_STOCK", {
      category: Category.RING,
      metal: Metal.GOLD,
      fineness: 585,
      plating: Plating.ROSE_GOLD,
      platingThicknessMicrons: "0.300",
      stones: [stone(StoneType.RUBY, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 8, "0.240")],
    }),
    steelBangle: await make("H", "DISCONTINUED", { category: Category.BANGLE, metal: Metal.STAINLESS_STEEL, fineness: null, hsCode: "711719" }),
  };
  return { collection, p, codes: (...list: Product[]) => list.map((x) => x.styleCode) };
}

describe("products(filter)", () => {
  let fx: Awaited<ReturnType<typeof assortment>>;
  beforeAll(async () => {
    fx = await assortment();
  });

  it("lists a collection, and nothing for another name or case", async () => {
    const { p, codes, collection } = fx;
    expect(await styleCodes({ collection })).toEqual(codes(p.goldRing, p.silverNecklace, p.platinumEarrings, p.vermeilPendant, p.brassBracelet, p.goldChain, p.roseRing, p.steelBangle));
    expect(await styleCodes({ collection: collection.toLowerCase() })).toEqual([]);
    expect(await styleCodes({ collection: `${collection}-NONE` })).toEqual([]);
  });

  const cases: [string, ProductFilter, (p: Awaited<ReturnType<typeof assortment>>["p"]) => Product[]][] = [
    ["one category", { categories: ["RING"] }, (p) => [p.goldRing, p.roseRing]],
    ["two categories", { categories: ["RING", "CHAIN"] }, (p) => [p.goldRing, p.goldChain, p.roseRing]],
    ["one metal", { metals: ["GOLD"] }, (p) => [p.goldRing, p.goldChain, p.roseRing]],
    ["two metals", { metals: ["SILVER", "BRASS"] }, (p) => [p.silverNecklace, p.vermeilPendant, p.brassBracelet]],
    ["one fineness", { fineness: [585] }, (p) => [p.roseRing]],
    ["two finenesses", { fineness: [750, 925] }, (p) => [p.goldRing, p.silverNecklace, p.vermeilPendant]],
    ["metal and fineness", { metals: ["GOLD"], fineness: [916, 925] }, (p) => [p.goldChain]],
    ["no plating", { platings: ["NONE"] }, (p) => [p.goldRing, p.platinumEarrings, p.goldChain, p.steelBangle]],
    ["gold plating", { platings: ["YELLOW_GOLD"] }, (p) => [p.vermeilPendant, p.brassBracelet]],
    ["two platings", { platings: ["RHODIUM", "ROSE_GOLD"] }, (p) => [p.silverNecklace, p.roseRing]],
    ["a stone type", { stoneTypes: ["DIAMOND"] }, (p) => [p.goldRing, p.silverNecklace, p.roseRing]],
    ["two stone types", { stoneTypes: ["SAPPHIRE", "RUBY"] }, (p) => [p.platinumEarrings, p.vermeilPendant, p.roseRing]],
    ["natural stones", { stoneOrigin: "NATURAL" }, (p) => [p.goldRing, p.platinumEarrings, p.roseRing]],
    ["lab-grown stones", { stoneOrigin: "LAB_GROWN" }, (p) => [p.silverNecklace, p.vermeilPendant, p.roseRing]],
    ["simulants", { stoneOrigin: "SIMULANT" }, (p) => [p.brassBracelet]],
    ["natural diamonds (not a natural ruby beside lab-grown diamonds)", { stoneTypes: ["DIAMOND"], stoneOrigin: "NATURAL" }, (p) => [p.goldRing]],
    ["lab-grown diamonds", { stoneTypes: ["DIAMOND"], stoneOrigin: "LAB_GROWN" }, (p) => [p.silverNecklace, p.roseRing]],
    ["lab-grown sapphires or rubies", { stoneTypes: ["SAPPHIRE", "RUBY"], stoneOrigin: "LAB_GROWN" }, (p) => [p.vermeilPendant]],
    ["in stock", { availability: ["IN_STOCK"] }, (p) => [p.goldRing, p.vermeilPendant, p.roseRing]],
    ["low stock", { availability: ["LOW_STOCK"] }, (p) => [p.silverNecklace, p.brassBracelet]],
    ["made to order or discontinued", { availability: ["MADE_TO_ORDER", "DISCONTINUED"] }, (p) => [p.platinumEarrings, p.goldChain, p.steelBangle]],
    ["gold in stock with lab-grown stones", { metals: ["GOLD"], availability: ["IN_STOCK"], stoneOrigin: "LAB_GROWN" }, (p) => [p.roseRing]],
    ["empty lists (ignored)", { categories: [], metals: [], fineness: [], platings: [], stoneTypes: [], availability: [] }, (p) => Object.values(p)],
  ];

  it.each(cases)("filters by %s", async (_name, filter, expected) => {
    expect(await styleCodes({ collection: fx.collection, ...filter })).toEqual(fx.codes(...expected(fx.p)));
  });

  it("agrees with each product's own availability status", async () => {
    const { products: page } = ok(await products({ collection: fx.collection }));
    const statuses = Object.fromEntries(page!.nodes.map((n) => [n.styleCode, n.availability.status]));
    expect(statuses).toEqual({
      [fx.p.goldRing.styleCode]: "IN_STOCK",
      [fx.p.silverNecklace.styleCode]: "LOW_STOCK",
      [fx.p.platinumEarrings.styleCode]: "MADE_TO_ORDER",
      [fx.p.vermeilPendant.styleCode]: "IN_STOCK",
      [fx.p.brassBracelet.styleCode]: "LOW_STOCK",
      [fx.p.goldChain.styleCode]: "MADE_TO_ORDER",
      [fx.p.roseRing.styleCode]: "IN_STOCK",
      [fx.p.steelBangle.styleCode]: "DISCONTINUED",
    });
  });

  it("follows a stock change into the availability filter", async () => {
    const collection = tag();
    const product = await createProduct(facet.dataSource, { collection });
    const variant = await createVariant(facet.dataSource, product, { onHand: 0 });
    expect(await styleCodes({ collection, availability: ["IN_STOCK"] })).toEqual([]);
    await sql(`UPDATE stock_levels SET on_hand = 30 WHERE variant_id = $1`, [variant.id]);
    expect(await styleCodes({ collection, availability: ["IN_STOCK"] })).toEqual([product.styleCode]);
    await sql(`UPDATE stock_levels SET reserved = 27 WHERE variant_id = $1`, [variant.id]);
    expect(await styleCodes({ collection, availability: ["IN_STOCK"] })).toEqual([]);
    expect(await styleCodes({ collection, availability: ["LOW_STOCK"] })).toEqual([product.styleCode]);
  });
});

describe("products(filter: { search })", () => {
  it("finds the word in a style code, a name or a SKU, ignoring case, each product once", async () => {
    const word = tag();
    const byCode = await createProduct(facet.dataSource, { styleCode: `${word}-X1`, name: "Plain band" });
    const byName = await createProduct(facet.dataSource, { name: `Halo ${word.toLowerCase()} edition` });
    const bySku = await createProduct(facet.dataSource, { name: "Signet" });
    await createVariant(facet.dataSource, bySku, { sku: `SKU-${word}-52` });
    await createVariant(facet.dataSource, bySku, { sku: `SKU-${word}-54` });
    const unrelated = await createProduct(facet.dataSource, { name: "Unrelated" });
    await createVariant(facet.dataSource, unrelated, { sku: `SKU-${tag()}` });

    const found = await styleCodes({ search: `  ${word.toLowerCase()} ` }, "STYLE_CODE");
    expect(found.sort()).toEqual([byCode.styleCode, byName.styleCode, bySku.styleCode].sort());
    expect(await styleCodes({ search: `${word}-54` })).toEqual([bySku.styleCode]);
  });

  it("takes %, _ and \\ literally", async () => {
    const word = tag();
    const underscore = await createProduct(facet.dataSource, { name: `${word}_1 pendant` });
    await createProduct(facet.dataSource, { name: `${word}X1 pendant` });
    const percent = await createProduct(facet.dataSource, { name: `${word} 100% recycled` });
    await createProduct(facet.dataSource, { name: `${word} 1000 recycled` });
    const backslash = await createProduct(facet.dataSource, { name: `${word} a\\b` });
    await createProduct(facet.dataSource, { name: `${word} ab` });
    expect(await styleCodes({ search: `${word}_1` })).toEqual([underscore.styleCode]);
    expect(await styleCodes({ search: `${word} 100%` })).toEqual([percent.styleCode]);
    expect(await styleCodes({ search: `${word} a\\b` })).toEqual([backslash.styleCode]);
  });

  it("refuses a search longer than 100 characters", async () => {
    expectBadInput(await products({ search: "x".repeat(101) }), "filter");
  });
});

describe("products(filter: { updatedSince })", () => {
  it("lists what changed at or after the time, a variant's change included", async () => {
    const collection = tag();
    const old = await createProduct(facet.dataSource, { collection });
    const boundary = await createProduct(facet.dataSource, { collection });
    const recent = await createProduct(facet.dataSource, { collection });
    await sql(`UPDATE products SET updated_at = $2 WHERE id = $1`, [old.id, "2024-01-01T00:00:00.000Z"]);
    await sql(`UPDATE products SET updated_at = $2 WHERE id = $1`, [boundary.id, "2024-06-01T12:00:00.000Z"]);
    await sql(`UPDATE products SET updated_at = $2 WHERE id = $1`, [recent.id, "2025-01-01T00:00:00.000Z"]);

    expect((await styleCodes({ collection, updatedSince: "2024-06-01T12:00:00.000Z" })).sort()).toEqual([boundary.styleCode, recent.styleCode].sort());
    expect(await styleCodes({ collection, updatedSince: "2024-06-01T12:00:00.001Z" })).toEqual([recent.styleCode]);
    expect(await styleCodes({ collection, updatedSince: "2099-01-01T00:00:00Z" })).toEqual([]);

    // Staff change a variant of the old style: the style counts as changed.
    const since = new Date().toISOString();
    const { upsertVariant } = ok(
      await as(managerToken, AdminUpsertVariantDocument, { input: { productId: productId(old), sku: `${old.styleCode}-N`, metalWeightGrams: "2.000" } }),
    );
    expect(upsertVariant.userErrors).toEqual([]);
    // A list since a time is in change order, which stops at the sync horizon: another test file's
    // open transaction can hold it before the variant's change for a while.
    expect(await whenSynced(() => styleCodes({ collection, updatedSince: since }), (codes) => codes.length > 0)).toEqual([old.styleCode]);
  });
});

// ---- order and pagination ------------------------------------------------------------------------

interface Row {
  key: string;
  name: string;
  created: number;
  status: Status;
}

// Six styles whose name, style code, age and availability each put them in a different order,
// with ties in name (B) and in age (t+3) that only the id can break.
const ROWS: Row[] = [
  { key: "F", name: "B", created: 5, status: "MADE_TO_ORDER" },
  { key: "C", name: "A", created: 1, status: "IN_STOCK" },
  { key: "A", name: "D", created: 3, status: "LOW_STOCK" },
  { key: "E", name: "C", created: 3, status: "IN_STOCK" },
  { key: "B", name: "B", created: 2, status: "DISCONTINUED" },
  { key: "D", name: "E", created: 4, status: "MADE_TO_ORDER" },
];
const T0 = Date.parse("2021-03-01T10:00:00.000Z");
const RANK: Record<Status, number> = { IN_STOCK: 0, LOW_STOCK: 1, MADE_TO_ORDER: 2, DISCONTINUED: 3 };

async function orderedFixture(rows: Row[], collection = tag()) {
  const made: (Row & { product: Product })[] = [];
  for (const row of rows) made.push(await makeRow(collection, row));
  return { collection, made };
}

async function makeRow(collection: string, row: Row) {
  const product = await productWith(row.status, {
    collection,
    styleCode: `${collection}-${row.key}`,
    name: `${collection} ${row.name}`,
    createdAt: new Date(T0 + row.created * 60_000),
  });
  return { ...row, product };
}

type Made = Row & { product: Product };
const byId = (x: Made, y: Made) => (x.product.id < y.product.id ? -1 : x.product.id > y.product.id ? 1 : 0);
const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
/** The orders of fixed keys; UPDATED, in change order up to the sync horizon, is test/catalog-sync.test.ts's. */
type FixedOrder = Exclude<ProductOrderField, "UPDATED">;
// The documented orders, written out: each ends on the id, as the API's does.
const EXPECTED_ORDER: Record<FixedOrder, (x: Made, y: Made) => number> = {
  NAME: (x, y) => cmp(x.name, y.name) || byId(x, y),
  STYLE_CODE: (x, y) => cmp(x.key, y.key) || byId(x, y),
  NEWEST: (x, y) => cmp(y.created, x.created) || byId(x, y),
  AVAILABILITY: (x, y) => cmp(RANK[x.status], RANK[y.status]) || cmp(x.name, y.name) || byId(x, y),
};

async function walk(filter: ProductFilter, orderBy: FixedOrder, first: number, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 1; page <= 50; page++) {
    const { products: connection }: CatalogProductsQuery = ok(await asBuyer(CatalogProductsDocument, { first, after, filter, orderBy }));
    expect(connection!.nodes.length).toBeLessThanOrEqual(first);
    expect(connection!.edges.map((e) => e.node.id)).toEqual(connection!.nodes.map((n) => n.id));
    expect(connection!.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(connection!.pageInfo.startCursor).toBe(connection!.edges[0]?.cursor ?? null);
    expect(connection!.pageInfo.endCursor).toBe(connection!.edges.at(-1)?.cursor ?? null);
    seen.push(...connection!.nodes.map((n) => n.styleCode));
    if (!connection!.pageInfo.hasNextPage) return seen;
    expect(connection!.nodes).toHaveLength(first);
    after = connection!.pageInfo.endCursor;
    if (between) await between(page);
  }
  throw new Error("more than 50 pages");
}

describe("products(orderBy)", () => {
  let fx: Awaited<ReturnType<typeof orderedFixture>>;
  beforeAll(async () => {
    fx = await orderedFixture(ROWS);
  });

  const code = (key: string) => `${fx.collection}-${key}`;
  // The two "B"s and the two t+3s in id order.
  const tied = (...keys: string[]) => fx.made.filter((m) => keys.includes(m.key)).sort(byId).map((m) => m.product.styleCode);

  it("orders by NAME, ties by id", async () => {
    expect(await styleCodes({ collection: fx.collection }, "NAME")).toEqual([code("C"), ...tied("F", "B"), code("E"), code("A"), code("D")]);
  });

  it("orders by name when no order is given", async () => {
    const { products: page } = ok(await asBuyer(CatalogProductsDocument, { filter: { collection: fx.collection } }));
    expect(page!.nodes.map((n) => n.styleCode)).toEqual(await styleCodes({ collection: fx.collection }, "NAME"));
  });

  it("orders by STYLE_CODE", async () => {
    expect(await styleCodes({ collection: fx.collection }, "STYLE_CODE")).toEqual(["A", "B", "C", "D", "E", "F"].map(code));
  });

  it("orders by NEWEST, ties by id", async () => {
    expect(await styleCodes({ collection: fx.collection }, "NEWEST")).toEqual([code("F"), code("D"), ...tied("A", "E"), code("B"), code("C")]);
  });

  it("orders by AVAILABILITY: in stock, low stock, made to order, discontinued; by name within each", async () => {
    expect(await styleCodes({ collection: fx.collection }, "AVAILABILITY")).toEqual([code("C"), code("E"), code("A"), code("F"), code("D"), code("B")]);
  });

  it.each(["NAME", "STYLE_CODE", "NEWEST", "AVAILABILITY"] as const)("pages through %s without duplicates or gaps, at every page size", async (orderBy) => {
    const expected = [...fx.made].sort(EXPECTED_ORDER[orderBy]).map((m) => m.product.styleCode);
    for (const first of [1, 2, 3, 5, 6, 7]) {
      expect(await walk({ collection: fx.collection }, orderBy, first)).toEqual(expected);
    }
  });

  it("refuses a cursor of another order, a forged cursor, and page sizes outside 1 to 100", async () => {
    const { products: page } = ok(await products({ collection: fx.collection }, "NAME", 2));
    expectBadInput(await asBuyer(CatalogProductsDocument, { first: 2, after: page!.pageInfo.endCursor, filter: { collection: fx.collection }, orderBy: "STYLE_CODE" }), "after");
    expectBadInput(await asBuyer(CatalogProductsDocument, { first: 2, after: "not-a-cursor", orderBy: "NAME" }), "after");
    expectBadInput(await asBuyer(CatalogProductsDocument, { first: 0 }), "first");
    expectBadInput(await asBuyer(CatalogProductsDocument, { first: 101 }), "first");
  });
});

describe("pagination while styles are added", () => {
  // After the first page of two, three styles arrive: one sorting before the page boundary (never
  // seen in this walk), one soon after it and one at the end (both seen, in place).
  const arrivals: Record<FixedOrder, [before: Row, next: Row, last: Row]> = {
    NAME: [
      { key: "G", name: "A0", created: 9, status: "IN_STOCK" },
      { key: "H", name: "BB", created: 9, status: "IN_STOCK" },
      { key: "I", name: "F", created: 9, status: "IN_STOCK" },
    ],
    STYLE_CODE: [
      { key: "A0", name: "Z", created: 9, status: "IN_STOCK" },
      { key: "B0", name: "Z", created: 9, status: "IN_STOCK" },
      { key: "G", name: "Z", created: 9, status: "IN_STOCK" },
    ],
    NEWEST: [
      { key: "G", name: "Z", created: 60, status: "IN_STOCK" },
      { key: "H", name: "Z", created: 3.5, status: "IN_STOCK" },
      { key: "I", name: "Z", created: 0, status: "IN_STOCK" },
    ],
    AVAILABILITY: [
      { key: "G", name: "A0", created: 9, status: "IN_STOCK" },
      { key: "H", name: "CC", created: 9, status: "IN_STOCK" },
      { key: "I", name: "Z", created: 9, status: "DISCONTINUED" },
    ],
  };

  it.each(["NAME", "STYLE_CODE", "NEWEST", "AVAILABILITY"] as const)("keeps %s stable", async (orderBy) => {
    const fx = await orderedFixture(ROWS);
    const [before, next, last] = arrivals[orderBy];
    const arrived: Made[] = [];
    const seen = await walk({ collection: fx.collection }, orderBy, 2, async (page) => {
      if (page === 1) for (const row of [before, next, last]) arrived.push(await makeRow(fx.collection, row));
    });
    const expected = [...fx.made, arrived[1], arrived[2]].sort(EXPECTED_ORDER[orderBy]).map((m) => m.product.styleCode);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(arrived[0].product.styleCode);
    // The arrivals sit where the fixture means them to: one before the first page's end, one after.
    const all = [...fx.made, ...arrived].sort(EXPECTED_ORDER[orderBy]).map((m) => m.product.styleCode);
    const boundary = all.indexOf(seen[1]);
    expect(all.indexOf(arrived[0].product.styleCode)).toBeLessThan(boundary);
    expect(all.indexOf(arrived[1].product.styleCode)).toBeGreaterThan(boundary);
    expect(await styleCodes({ collection: fx.collection }, orderBy)).toEqual(all);
  });
});

// ---- one product, one variant ---------------------------------------------------------------------

describe("product(id | styleCode) and variant(id | sku)", () => {
  async function fullProduct() {
    const styleCode = `${tag()}-RG`;
    const product = await createProduct(facet.dataSource, {
      styleCode,
      name: "Garden Cluster",
      description: "A cluster of stones on a split shank.",
      category: Category.RING,
      collection: tag(),
      metal: Metal.GOLD,
      fineness: 585,
      plating: Plating.ROSE_GOLD,
      platingKarat: 18,
      platingThicknessMicrons: "0.750",
      stones: [
        stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 12, "0.360", [Treatment.CVD_POST_GROWTH]),
        stone(StoneType.EMERALD, StoneOrigin.NATURAL, 1, "0.850", [Treatment.OILED], StoneShape.EMERALD),
        stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 2, "0.400", [Treatment.HEAT, Treatment.FRACTURE_FILLED], StoneShape.OVAL),
      ],
      hsCode: "7113192100",
      countryOfOrigin: "TH",
      standardLeadTimeDays: 18,
      minimumOrderQuantity: 3,
      recycledMetalPercent: "75.50",
      rjcCertificationType: RjcCertificationType.COC,
      rjcCertificateNumber: "RJC-COC-0042",
      images: [
        { url: "https://images.example/cluster-front.jpg", altText: "Garden Cluster, front" },
        { url: "https://images.example/cluster-side.jpg", altText: "Garden Cluster, side" },
      ],
      customizationOptions: {
        customSizes: true,
        platingOffers: [{ type: Plating.NONE, karat: null, thicknessMicrons: null }],
        stoneOffers: [stone(StoneType.RUBY, StoneOrigin.NATURAL, 1, "0.300", [Treatment.HEAT])],
        branding: true,
        engravingMaxLength: 20,
      },
    });
    const gtin = freshGtin();
    const size54 = await createVariant(facet.dataSource, product, { sku: `${styleCode}-54`, gtin, ringSizeMm: "54.0", metalWeightGrams: "3.125", onHand: 9, reserved: 2 });
    const size50 = await createVariant(facet.dataSource, product, { sku: `${styleCode}-50`, ringSizeMm: "49.3", metalWeightGrams: "2.950" });
    return { product, size54, size50, gtin };
  }

  it("shows the full jewelry specification as typed fields", async () => {
    const { product, size54, size50, gtin } = await fullProduct();
    await setPrice(facet.dataSource, a.distributor, size54, "1249.5");
    const { product: read } = ok(await asBuyer(CatalogProductDocument, { id: productId(product) }));
    expect(read).toEqual({
      id: productId(product),
      styleCode: product.styleCode,
      name: "Garden Cluster",
      description: "A cluster of stones on a split shank.",
      category: "RING",
      collection: product.collection,
      metal: "GOLD",
      fineness: 585,
      karat: 14,
      // 18K at 0.75 µm is 0.5625 µm of fine gold: a gold electroplate; treatments are told in the name.
      displayName: "Garden Cluster, 18K gold electroplated 14K gold with post-growth-treated lab-grown diamond, oiled emerald and heated and fracture-filled sapphire",
      plating: { type: "ROSE_GOLD", thicknessMicrons: "0.750" },
      stones: [
        {
          type: "DIAMOND",
          shape: "ROUND",
          count: 12,
          totalCarat: "0.360",
          origin: "LAB_GROWN",
          treatments: [{ treatment: "CVD_POST_GROWTH", permanent: true }],
          displayName: "lab-grown diamond",
        },
        { type: "EMERALD", shape: "EMERALD", count: 1, totalCarat: "0.850", origin: "NATURAL", treatments: [{ treatment: "OILED", permanent: false }], displayName: "emerald" },
        {
          type: "SAPPHIRE",
          shape: "OVAL",
          count: 2,
          totalCarat: "0.400",
          origin: "NATURAL",
          treatments: [
            { treatment: "HEAT", permanent: true },
            { treatment: "FRACTURE_FILLED", permanent: false },
          ],
          displayName: "sapphire",
        },
      ],
      hsCode: { digits: "7113192100", formatted: "7113.19.21.00" },
      countryOfOrigin: "TH",
      standardLeadTimeDays: 18,
      minimumOrderQuantity: 3,
      images: [
        { url: "https://images.example/cluster-front.jpg", altText: "Garden Cluster, front" },
        { url: "https://images.example/cluster-side.jpg", altText: "Garden Cluster, side" },
      ],
      provenance: {
        recycledMetalPercent: "75.50",
        rjcCertification: { type: "COC", certificateNumber: "RJC-COC-0042" },
        containsNaturalDiamonds: false,
        systemOfWarrantiesStatement: null,
      },
      customizationOptions: { customSizes: true, platings: ["NONE"], stones: ["RUBY"], branding: true, engravingMaxLength: 20 },
      discontinued: false,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
      availability: { onHand: 9, reserved: 2, available: 7, status: "IN_STOCK", leadTimeDays: 18, incoming: [] },
      // By SKU.
      variants: [
        {
          id: variantId(size50),
          sku: size50.sku,
          gtin: null,
          chainLengthMm: null,
          metalWeightGrams: "2.950",
          discontinued: false,
          ringSize: { innerCircumferenceMm: "49.3", iso: "49", us: "5" },
          price: null,
          availability: { onHand: 0, reserved: 0, available: 0, status: "MADE_TO_ORDER", leadTimeDays: 18, incoming: [] },
        },
        {
          id: variantId(size54),
          sku: size54.sku,
          gtin,
          chainLengthMm: null,
          metalWeightGrams: "3.125",
          discontinued: false,
          ringSize: { innerCircumferenceMm: "54.0", iso: "54", us: "6.75" },
          price: { amount: "1249.50", currency: "EUR" },
          availability: { onHand: 9, reserved: 2, available: 7, status: "IN_STOCK", leadTimeDays: 18, incoming: [] },
        },
      ],
    });
  });

  it("finds the same product by id, by style code in any case, and through node(id)", async () => {
    const { product } = await fullProduct();
    const byId = ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product;
    expect(ok(await asBuyer(CatalogProductDocument, { styleCode: `  ${product.styleCode.toLowerCase()} ` })).product).toEqual(byId);
    expect(ok(await asBuyer(CatalogNodeDocument, { id: productId(product) })).node).toEqual({ id: productId(product), styleCode: product.styleCode });
  });

  it("finds the same variant by id, by SKU in any case, and through node(id)", async () => {
    const { product, size54, gtin } = await fullProduct();
    const byId = ok(await asBuyer(CatalogVariantDocument, { id: variantId(size54) })).variant;
    expect(byId).toMatchObject({ sku: size54.sku, gtin, metalWeightGrams: "3.125", ringSize: { iso: "54" }, product: { id: productId(product), styleCode: product.styleCode, minimumOrderQuantity: 3 } });
    expect(ok(await asBuyer(CatalogVariantDocument, { sku: size54.sku.toLowerCase() })).variant).toEqual(byId);
    expect(ok(await asBuyer(CatalogNodeDocument, { id: variantId(size54) })).node).toEqual({ id: variantId(size54), sku: size54.sku });
  });

  it("shows a chain's length and no ring size", async () => {
    const product = await createProduct(facet.dataSource, { category: Category.CHAIN, name: "Rope Chain" });
    const variant = await createVariant(facet.dataSource, product, { chainLengthMm: 450, metalWeightGrams: "8.000" });
    expect(ok(await asBuyer(CatalogVariantDocument, { sku: variant.sku })).variant).toMatchObject({ chainLengthMm: 450, ringSize: null, metalWeightGrams: "8.000", gtin: null });
  });

  it("answers null for what does not exist, or for an id of another type or shape", async () => {
    const { product, size54 } = await fullProduct();
    const missing = [
      ok(await asBuyer(CatalogProductDocument, { styleCode: `${tag()}-NONE` })).product,
      ok(await asBuyer(CatalogProductDocument, { id: toGlobalId("Product", randomUUID()) })).product,
      ok(await asBuyer(CatalogProductDocument, { id: variantId(size54) })).product,
      ok(await asBuyer(CatalogProductDocument, { id: "bm90LWFuLWlk" })).product,
      ok(await asBuyer(CatalogProductDocument, { id: "" })).product,
      ok(await asBuyer(CatalogVariantDocument, { sku: `${tag()}-NONE` })).variant,
      ok(await asBuyer(CatalogVariantDocument, { id: toGlobalId("Variant", randomUUID()) })).variant,
      ok(await asBuyer(CatalogVariantDocument, { id: productId(product) })).variant,
      ok(await asBuyer(CatalogVariantDocument, { id: "" })).variant,
    ];
    expect(missing).toEqual([null, null, null, null, null, null, null, null, null]);
  });

  it("asks for exactly one of id and style code (or SKU)", async () => {
    const { product, size54 } = await fullProduct();
    expectBadInput(await asBuyer(CatalogProductDocument, {}), "id");
    expectBadInput(await asBuyer(CatalogProductDocument, { id: productId(product), styleCode: product.styleCode }), "id");
    expectBadInput(await asBuyer(CatalogVariantDocument, {}), "id");
    expectBadInput(await asBuyer(CatalogVariantDocument, { id: variantId(size54), sku: size54.sku }), "id");
  });

  it.each([
    [375, 9],
    // No longer accepted (no legal standard), but still read as 10K where a record has it.
    [417, 10],
    [585, 14],
    [750, 18],
    [916, 22],
    [999, 24],
  ])("shows gold %i as %iK, and the karat before gold in the name", async (fineness, karat) => {
    const product = await createProduct(facet.dataSource, { name: "Band", fineness });
    expect(ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product).toMatchObject({ fineness, karat, displayName: `Band, ${karat}K gold` });
  });

  it.each([
    ["silver", { metal: Metal.SILVER, fineness: 925, hsCode: "711311" }, "Band, sterling silver"],
    ["fine silver", { metal: Metal.SILVER, fineness: 999, hsCode: "711311" }, "Band, fine silver"],
    ["gold 990", { metal: Metal.GOLD, fineness: 990 }, "Band, 990 gold"],
    ["platinum", { metal: Metal.PLATINUM, fineness: 950 }, "Band, 950 platinum"],
    ["palladium", { metal: Metal.PALLADIUM, fineness: 500 }, "Band, 500 palladium"],
    ["stainless steel", { metal: Metal.STAINLESS_STEEL, fineness: null, hsCode: "711719" }, "Band, stainless steel"],
  ] as const)("has no karat for %s", async (_metal, spec, displayName) => {
    const product = await createProduct(facet.dataSource, { name: "Band", ...spec });
    expect(ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product).toMatchObject({ karat: null, displayName });
  });

  // FTC Jewelry Guides (docs/domain.md, "Stones: disclosure (FTC Jewelry Guides)"): "lab-grown", "cultured" or "simulated" stands immediately before the stone name.
  it.each([
    ["a lab-grown diamond", [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)], "Solitaire, 18K gold with lab-grown diamond", ["lab-grown diamond"]],
    ["a natural diamond", [stone(StoneType.DIAMOND, StoneOrigin.NATURAL)], "Solitaire, 18K gold with diamond", ["diamond"]],
    ["a lab-grown sapphire", [stone(StoneType.SAPPHIRE, StoneOrigin.LAB_GROWN)], "Solitaire, 18K gold with lab-grown sapphire", ["lab-grown sapphire"]],
    ["a simulated diamond", [stone(StoneType.DIAMOND, StoneOrigin.SIMULANT)], "Solitaire, 18K gold with simulated diamond", ["simulated diamond"]],
    ["cubic zirconia", [stone(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT)], "Solitaire, 18K gold with cubic zirconia", ["cubic zirconia"]],
    ["a cultured pearl", [stone(StoneType.PEARL, StoneOrigin.CULTURED)], "Solitaire, 18K gold with cultured pearl", ["cultured pearl"]],
    [
      "a natural ruby and lab-grown diamonds in two lines",
      [stone(StoneType.RUBY, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 8), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 2)],
      "Solitaire, 18K gold with ruby and lab-grown diamond",
      ["ruby", "lab-grown diamond", "lab-grown diamond"],
    ],
    ["natural and lab-grown diamonds", [stone(StoneType.DIAMOND, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)], "Solitaire, 18K gold with diamond and lab-grown diamond", ["diamond", "lab-grown diamond"]],
  ])("names %s", async (_what, stones, displayName, stoneNames) => {
    const product = await createProduct(facet.dataSource, { name: "Solitaire", stones });
    const read = ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product!;
    expect(read.displayName).toBe(displayName);
    expect(read.stones.map((s) => s.displayName)).toEqual(stoneNames);
  });

  it.each([
    ["a natural diamond", [stone(StoneType.DIAMOND, StoneOrigin.NATURAL)], true],
    ["a natural diamond beside a lab-grown one", [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN), stone(StoneType.DIAMOND, StoneOrigin.NATURAL)], true],
    ["only lab-grown diamonds", [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)], false],
    ["a simulated diamond", [stone(StoneType.DIAMOND, StoneOrigin.SIMULANT)], false],
    ["a natural ruby", [stone(StoneType.RUBY, StoneOrigin.NATURAL)], false],
    ["no stones", [], false],
  ])("carries the System of Warranties statement for %s: %s", async (_what, stones, natural) => {
    const product = await createProduct(facet.dataSource, { stones });
    const { provenance } = ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product!;
    expect(provenance).toMatchObject({ containsNaturalDiamonds: natural, systemOfWarrantiesStatement: natural ? WDC_SOW_STATEMENT : null });
  });

  it("shows no RJC certification, recycled share or plating where there is none", async () => {
    const product = await createProduct(facet.dataSource, { metal: Metal.BRASS, fineness: null, hsCode: "711719" });
    expect(ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product).toMatchObject({
      plating: { type: "NONE", thicknessMicrons: null },
      provenance: { recycledMetalPercent: null, rjcCertification: null },
      customizationOptions: { customSizes: false, platings: [], stones: [], branding: false, engravingMaxLength: 0 },
      images: [],
      stones: [],
    });
  });
});

// ---- prices -----------------------------------------------------------------------------------

describe("Variant.price", () => {
  async function pricedVariant() {
    const product = await createProduct(facet.dataSource, { collection: tag() });
    const variant = await createVariant(facet.dataSource, product, { onHand: 5 });
    await setPrice(facet.dataSource, a.distributor, variant, "1249.5");
    await setPrice(facet.dataSource, b.distributor, variant, "1399");
    return { product, variant };
  }
  const priceFor = async (token: string, sku: string, distributorId?: string) => ok(await as(token, CatalogVariantPriceDocument, { sku, distributorId })).variant!.price;

  it("is each distributor's own price, in its contract currency", async () => {
    const { variant } = await pricedVariant();
    expect(await priceFor(a.token, variant.sku)).toEqual({ amount: "1249.50", currency: "EUR" });
    expect(await priceFor(b.token, variant.sku)).toEqual({ amount: "1399.00", currency: "USD" });
  });

  it("is null for a distributor without a price, never another's", async () => {
    const { variant } = await pricedVariant();
    expect(await priceFor(c.token, variant.sku)).toBeNull();
    expect(await priceFor(c.token, variant.sku, a.id)).toBeNull();
  });

  it("is null when a distributor asks for another's price list, and its own when it names itself", async () => {
    const { variant } = await pricedVariant();
    expect(await priceFor(a.token, variant.sku, b.id)).toBeNull();
    expect(await priceFor(b.token, variant.sku, a.id)).toBeNull();
    expect(await priceFor(a.token, variant.sku, a.id)).toEqual({ amount: "1249.50", currency: "EUR" });
    expect(await priceFor(a.token, variant.sku, "not-an-id")).toBeNull();
  });

  it("keeps prices apart in a list of products too", async () => {
    const { product } = await pricedVariant();
    const filter = { collection: product.collection };
    const pricesOf = async (token: string) => ok(await as(token, CatalogPageDocument, { filter })).products!.nodes.flatMap((n) => n.variants.map((v) => v.price));
    expect(await pricesOf(a.token)).toEqual([{ amount: "1249.50", currency: "EUR" }]);
    expect(await pricesOf(b.token)).toEqual([{ amount: "1399.00", currency: "USD" }]);
    expect(await pricesOf(c.token)).toEqual([null]);
  });

  it("shows a yen price in whole yen", async () => {
    const { variant } = await pricedVariant();
    await setPrice(facet.dataSource, c.distributor, variant, "150000");
    expect(await priceFor(c.token, variant.sku)).toEqual({ amount: "150000", currency: "JPY" });
  });

  it("lets staff read any distributor's price by naming it, and nothing without", async () => {
    const { variant } = await pricedVariant();
    for (const token of [managerToken, supportToken]) {
      expect(await priceFor(token, variant.sku)).toBeNull();
      expect(await priceFor(token, variant.sku, a.id)).toEqual({ amount: "1249.50", currency: "EUR" });
      expect(await priceFor(token, variant.sku, b.id)).toEqual({ amount: "1399.00", currency: "USD" });
      expect(await priceFor(token, variant.sku, c.id)).toBeNull();
      expect(await priceFor(token, variant.sku, toGlobalId("Distributor", randomUUID()))).toBeNull();
      expect(await priceFor(token, variant.sku, variantId(variant))).toBeNull();
    }
  });

  it("gives an API client with catalog:read its own distributor's price", async () => {
    const { variant } = await pricedVariant();
    const { client } = await createApiClient(facet.dataSource, b.distributor, { scopes: [ApiScope.CATALOG_READ] });
    const token = clientToken(facet.config, client);
    expect(await priceFor(token, variant.sku)).toEqual({ amount: "1399.00", currency: "USD" });
    expect(await priceFor(token, variant.sku, a.id)).toBeNull();
  });
});

describe("who reads the catalog", () => {
  it("refuses an API client without catalog:read, and its node(id) finds nothing", async () => {
    const product = await createProduct(facet.dataSource);
    const variant = await createVariant(facet.dataSource, product, { onHand: 5 });
    const { client } = await createApiClient(facet.dataSource, a.distributor, { scopes: [ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE] });
    const token = clientToken(facet.config, client);
    for (const result of [
      await as(token, CatalogProductsDocument, { first: 1 }),
      await as(token, CatalogProductDocument, { id: productId(product) }),
      await as(token, CatalogVariantDocument, { sku: variant.sku }),
      await as(token, CatalogLeadTimeQuoteDocument, { variantId: variantId(variant), quantity: 1 }),
    ]) {
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
    }
    expect(ok(await as(token, CatalogNodeDocument, { id: productId(product) })).node).toBeNull();
    expect(ok(await as(token, CatalogNodeDocument, { id: variantId(variant) })).node).toBeNull();
  });

  it("lets every role and an API client with catalog:read in, and asks anyone else to sign in", async () => {
    const product = await createProduct(facet.dataSource);
    const admin = userToken(facet.config, await createUser(facet.dataSource, { distributor: a.distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    const reader = clientToken(facet.config, (await createApiClient(facet.dataSource, a.distributor, { scopes: [ApiScope.CATALOG_READ] })).client);
    for (const token of [a.token, admin, managerToken, supportToken, reader]) {
      expect(ok(await as(token, CatalogProductDocument, { id: productId(product) })).product?.styleCode).toBe(product.styleCode);
    }
    expect(errorCodes(await facet.gql(CatalogProductDocument, { id: productId(product) }))).toEqual(["UNAUTHENTICATED"]);
  });
});

// ---- availability ------------------------------------------------------------------------------

describe("availability", () => {
  const availabilityOf = async (sku: string) => ok(await asBuyer(CatalogVariantDocument, { sku })).variant!.availability;

  it("counts on hand, reserved and available, and lists scheduled batches that are still to come, soonest first", async () => {
    const product = await createProduct(facet.dataSource, { standardLeadTimeDays: 12 });
    const variant = await createVariant(facet.dataSource, product, { onHand: 12, reserved: 4 });
    const later = dateFromToday(30);
    const sooner = dateFromToday(10);
    await createBatch(facet.dataSource, variant, { quantity: 40, allocated: 10, readyDate: later, description: "setting run" });
    await createBatch(facet.dataSource, variant, { quantity: 25, readyDate: sooner });
    await createBatch(facet.dataSource, variant, { quantity: 99, readyDate: dateFromToday(0), description: "today's run" });
    // Neither a finished, a cancelled nor an overdue batch is incoming.
    await createBatch(facet.dataSource, variant, { quantity: 5, readyDate: dateFromToday(5), status: BatchStatus.COMPLETED });
    await createBatch(facet.dataSource, variant, { quantity: 5, readyDate: dateFromToday(6), status: BatchStatus.CANCELLED });
    await createBatch(facet.dataSource, variant, { quantity: 5, readyDate: dateFromToday(-2) });

    expect(await availabilityOf(variant.sku)).toEqual({
      onHand: 12,
      reserved: 4,
      available: 8,
      status: "IN_STOCK",
      leadTimeDays: 12,
      incoming: [
        { quantity: 99, unallocated: 99, readyDate: dateFromToday(0), description: "today's run" },
        { quantity: 25, unallocated: 25, readyDate: sooner, description: "casting run" },
        { quantity: 40, unallocated: 30, readyDate: later, description: "setting run" },
      ],
    });
  });

  it.each([
    ["more than the threshold available", { onHand: 10, reserved: 4, lowStockThreshold: 5 }, "IN_STOCK", 6],
    ["the threshold available", { onHand: 10, reserved: 5, lowStockThreshold: 5 }, "LOW_STOCK", 5],
    ["one available", { onHand: 1, lowStockThreshold: 5 }, "LOW_STOCK", 1],
    ["everything reserved", { onHand: 3, reserved: 3 }, "MADE_TO_ORDER", 0],
    ["nothing on hand", { onHand: 0 }, "MADE_TO_ORDER", 0],
    ["a threshold of 0 and one available", { onHand: 1, lowStockThreshold: 0 }, "IN_STOCK", 1],
    ["a discontinued size, even in stock", { onHand: 30, discontinued: true }, "DISCONTINUED", 30],
  ] as [string, VariantSpec, Status, number][])("is %s → %s", async (_why, spec, status, available) => {
    const product = await createProduct(facet.dataSource);
    const variant = await createVariant(facet.dataSource, product, spec);
    expect(await availabilityOf(variant.sku)).toMatchObject({ status, available });
  });

  it("shows every size of a discontinued style as DISCONTINUED", async () => {
    const product = await createProduct(facet.dataSource, { discontinued: true });
    const variant = await createVariant(facet.dataSource, product, { onHand: 30 });
    expect(await availabilityOf(variant.sku)).toMatchObject({ status: "DISCONTINUED", onHand: 30, available: 30 });
  });

  it("adds up a product's variants, merges their batches by date and takes the best status", async () => {
    const product = await createProduct(facet.dataSource, { standardLeadTimeDays: 21 });
    const low = await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-1`, onHand: 4, reserved: 1 });
    const none = await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-2`, onHand: 2, reserved: 2 });
    await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-3`, onHand: 50, reserved: 0, discontinued: true });
    await createBatch(facet.dataSource, none, { quantity: 20, readyDate: dateFromToday(20) });
    await createBatch(facet.dataSource, low, { quantity: 10, readyDate: dateFromToday(8), description: "setting run" });
    const read = ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product!;
    expect(read.variants.map((v) => v.availability.status)).toEqual(["LOW_STOCK", "MADE_TO_ORDER", "DISCONTINUED"]);
    expect(read.availability).toEqual({
      onHand: 56,
      reserved: 3,
      available: 53,
      status: "LOW_STOCK",
      leadTimeDays: 21,
      incoming: [
        { quantity: 10, unallocated: 10, readyDate: dateFromToday(8), description: "setting run" },
        { quantity: 20, unallocated: 20, readyDate: dateFromToday(20), description: "casting run" },
      ],
    });
  });

  it("shows a style without variants as made to order, with nothing on hand", async () => {
    const product = await createProduct(facet.dataSource, { standardLeadTimeDays: 9 });
    expect(ok(await asBuyer(CatalogProductDocument, { id: productId(product) })).product!.availability).toEqual({
      onHand: 0,
      reserved: 0,
      available: 0,
      status: "MADE_TO_ORDER",
      leadTimeDays: 9,
      incoming: [],
    });
  });
});

// ---- lead-time quotes -------------------------------------------------------------------------------

describe("a page's variants", () => {
  // A page loads its variants' supply and the caller's prices with the variants (see variantsOf);
  // a variant read alone loads its own. Both must answer alike.
  it("answer price and availability as each variant read alone does, for each caller", async () => {
    const product = await createProduct(facet.dataSource, { collection: tag(), standardLeadTimeDays: 15 });
    const stocked = await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-1`, onHand: 9, reserved: 2, lowStockThreshold: 3 });
    const batched = await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-2`, onHand: 0 });
    const gone = await createVariant(facet.dataSource, product, { sku: `${product.styleCode}-3`, onHand: 4, discontinued: true });
    await createBatch(facet.dataSource, batched, { quantity: 30, allocated: 5, readyDate: dateFromToday(12), description: "setting run" });
    await setPrice(facet.dataSource, a.distributor, stocked, "410.5");
    await setPrice(facet.dataSource, a.distributor, gone, "99");
    await setPrice(facet.dataSource, b.distributor, batched, "1200");
    const skus = [stocked.sku, batched.sku, gone.sku];

    for (const token of [a.token, b.token, c.token, managerToken]) {
      const page = ok(await as(token, CatalogPageDocument, { filter: { collection: product.collection } })).products!.nodes;
      const onPage = page.flatMap((n) => n.variants.map((v) => ({ sku: v.sku, price: v.price, availability: v.availability })));
      const alone = [];
      for (const sku of skus) {
        const variant = ok(await as(token, CatalogVariantDocument, { sku })).variant!;
        alone.push({ sku, price: variant.price, availability: variant.availability });
      }
      expect(onPage).toEqual(alone);
    }
    const own = ok(await as(a.token, CatalogPageDocument, { filter: { collection: product.collection } })).products!.nodes[0].variants;
    expect(own.map((v) => [v.price?.amount ?? null, v.availability.status, v.availability.available])).toEqual([
      ["410.50", "IN_STOCK", 7],
      [null, "MADE_TO_ORDER", 0],
      ["99.00", "DISCONTINUED", 4],
    ]);
    expect(own[1].availability.incoming).toEqual([{ quantity: 30, unallocated: 25, readyDate: dateFromToday(12), description: "setting run" }]);
  });

  it("answer staff the price list they name, and a distributor naming another none", async () => {
    const product = await createProduct(facet.dataSource, { collection: tag() });
    const variant = await createVariant(facet.dataSource, product, { onHand: 1 });
    await setPrice(facet.dataSource, a.distributor, variant, "66");
    await setPrice(facet.dataSource, b.distributor, variant, "77");
    const query = parse(
      "query($c: String!, $d: ID) { products(filter: { collection: $c }) { nodes { variants { own: price { amount } named: price(distributorId: $d) { amount currency } } } } }",
    ) as TypedDocumentNode<{ products: { nodes: { variants: unknown[] }[] } }, { c: string; d: string }>;
    const variantsAs = async (token: string, d: string) => ok(await facet.gql(query, { c: product.collection!, d }, { token })).products.nodes[0].variants;
    expect(await variantsAs(managerToken, b.id)).toEqual([{ own: null, named: { amount: "77.00", currency: "USD" } }]);
    expect(await variantsAs(b.token, a.id)).toEqual([{ own: { amount: "77.00" }, named: null }]);
    expect(await variantsAs(a.token, a.id)).toEqual([{ own: { amount: "66.00" }, named: { amount: "66.00", currency: "EUR" } }]);
  });
});

describe("leadTimeQuote(variantId, quantity)", () => {
  const quote = (variant: Variant | string, quantity: number, token = a.token) =>
    as(token, CatalogLeadTimeQuoteDocument, { variantId: typeof variant === "string" ? variant : variantId(variant), quantity });
  // Business days on the exporter's calendar (Sunday off in India, and the holidays Facet holds), from its today.
  let today: string;
  let calendar: WorkingCalendar;
  beforeEach(async () => ({ today, calendar } = await exporterCalendar(facet)));
  const ships = (ready: string) => addBusinessDays(calendar, ready, 2);

  async function stocked(spec: VariantSpec, product: ProductSpec = {}) {
    const p = await createProduct(facet.dataSource, { standardLeadTimeDays: 10, ...product });
    return createVariant(facet.dataSource, p, spec);
  }

  it("ships everything from stock", async () => {
    const variant = await stocked({ onHand: 20, reserved: 5 });
    const { leadTimeQuote } = ok(await quote(variant, 10));
    expect(leadTimeQuote).toEqual({
      variant: { id: variantId(variant), sku: variant.sku },
      quantity: 10,
      fromStock: 10,
      toProduce: 0,
      allocations: [{ source: "STOCK", quantity: 10, readyDate: today, description: "stock" }],
      estimatedShipDate: ships(today),
      leadTimeDays: daysBetween(today, ships(today)),
      basis: `10 from stock; ships ${ships(today)}`,
      quotedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it("takes stock first, then a scheduled batch's free units", async () => {
    const variant = await stocked({ onHand: 5, reserved: 2 });
    const ready = dateFromToday(20);
    await createBatch(facet.dataSource, variant, { quantity: 40, allocated: 10, readyDate: ready });
    const { leadTimeQuote } = ok(await quote(variant, 20));
    expect(leadTimeQuote).toMatchObject({
      fromStock: 3,
      toProduce: 17,
      allocations: [
        { source: "STOCK", quantity: 3, readyDate: today, description: "stock" },
        { source: "BATCH", quantity: 17, readyDate: ready, description: "casting run" },
      ],
      estimatedShipDate: ships(ready),
      leadTimeDays: daysBetween(today, ships(ready)),
      basis: `3 from stock, 17 made to order: casting run ready ${ready}; ships ${ships(ready)}`,
    });
  });

  it("takes stock, then batches soonest first, then a new run of the standard lead time", async () => {
    const variant = await stocked({ onHand: 3 }, { standardLeadTimeDays: 25 });
    const soon = dateFromToday(7);
    const later = dateFromToday(14);
    await createBatch(facet.dataSource, variant, { quantity: 20, allocated: 20, readyDate: dateFromToday(3) });
    await createBatch(facet.dataSource, variant, { quantity: 30, allocated: 10, readyDate: later, description: "setting run" });
    await createBatch(facet.dataSource, variant, { quantity: 10, readyDate: soon });
    const newRun = addBusinessDays(calendar, today, 25);
    const { leadTimeQuote } = ok(await quote(variant, 50));
    expect(leadTimeQuote).toMatchObject({
      fromStock: 3,
      toProduce: 47,
      allocations: [
        { source: "STOCK", quantity: 3, readyDate: today },
        { source: "BATCH", quantity: 10, readyDate: soon, description: "casting run" },
        { source: "BATCH", quantity: 20, readyDate: later, description: "setting run" },
        { source: "NEW_RUN", quantity: 17, readyDate: newRun, description: "new production run" },
      ],
      estimatedShipDate: ships(newRun),
      leadTimeDays: daysBetween(today, ships(newRun)),
      basis: `3 from stock, 47 made to order: 10 in casting run ready ${soon}; 20 in setting run ready ${later}; 17 in new production run ready ${newRun}; ships ${ships(newRun)}`,
    });
  });

  it("makes everything to order when nothing is in stock", async () => {
    const variant = await stocked({ onHand: 4, reserved: 4 }, { standardLeadTimeDays: 15 });
    const newRun = addBusinessDays(calendar, today, 15);
    const { leadTimeQuote } = ok(await quote(variant, 6));
    expect(leadTimeQuote).toMatchObject({
      fromStock: 0,
      toProduce: 6,
      allocations: [{ source: "NEW_RUN", quantity: 6, readyDate: newRun, description: "new production run" }],
      estimatedShipDate: ships(newRun),
      basis: `6 made to order: new production run ready ${newRun}; ships ${ships(newRun)}`,
    });
  });

  it("reserves nothing", async () => {
    const variant = await stocked({ onHand: 5 });
    await createBatch(facet.dataSource, variant, { quantity: 10, readyDate: dateFromToday(9) });
    ok(await quote(variant, 12));
    ok(await quote(variant, 12));
    expect(await sql(`SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1`, [variant.id])).toEqual([{ on_hand: 5, reserved: 0 }]);
    expect(await sql(`SELECT quantity, allocated FROM production_batches WHERE variant_id = $1`, [variant.id])).toEqual([{ quantity: 10, allocated: 0 }]);
  });

  it("quotes exactly the minimum order quantity, and an ERP with catalog:read may ask", async () => {
    const variant = await stocked({ onHand: 50 }, { minimumOrderQuantity: 6 });
    expect(ok(await quote(variant, 6)).leadTimeQuote!.fromStock).toBe(6);
    const reader = clientToken(facet.config, (await createApiClient(facet.dataSource, a.distributor, { scopes: [ApiScope.CATALOG_READ] })).client);
    expect(ok(await quote(variant, 100_000, reader)).leadTimeQuote).toMatchObject({ fromStock: 50, toProduce: 99_950 });
  });

  it.each([
    ["zero", 0],
    ["negative", -3],
    ["below the minimum order quantity", 5],
    ["above 100000", 100_001],
    ["absurdly large", 2_000_000_000],
  ])("refuses a quantity that is %s with BAD_USER_INPUT naming quantity", async (_why, quantity) => {
    const variant = await stocked({ onHand: 50 }, { minimumOrderQuantity: 6 });
    const result = await quote(variant, quantity);
    expectBadInput(result, "quantity");
    expect(result.errors![0].message).toMatch(/quantity/);
  });

  it("refuses a quantity beyond a GraphQL Int before it runs", async () => {
    const variant = await stocked({ onHand: 50 });
    const result = await quote(variant, 3_000_000_000);
    expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors![0].message).toMatch(/\$quantity/);
  });

  it("refuses more than the stock of a discontinued variant, and quotes what is left", async () => {
    const variant = await stocked({ onHand: 4, discontinued: true });
    expectBadInput(await quote(variant, 5), "quantity");
    expect(ok(await quote(variant, 4)).leadTimeQuote).toMatchObject({ fromStock: 4, toProduce: 0 });
  });

  it.each([
    ["an unknown variant", () => toGlobalId("Variant", randomUUID())],
    ["a product's id", () => toGlobalId("Product", randomUUID())],
    ["a malformed id", () => "not-an-id"],
  ])("refuses %s with BAD_USER_INPUT naming variantId", async (_why, id) => {
    expectBadInput(await quote(id(), 1), "variantId");
  });
});

// ---- statements per page ---------------------------------------------------------------------------

describe("a page of products costs a constant number of SQL statements", () => {
  // 100 styles of one collection, two sizes each, with stock, a scheduled batch and a price each.
  async function bulkCatalog(count: number) {
    const collection = tag();
    const ds = facet.dataSource;
    const { identifiers } = await ds.manager.insert(
      Product,
      Array.from({ length: count }, (_, i) => ({
        styleCode: `${collection}-${String(i).padStart(3, "0")}`,
        name: `${collection} ${String(i).padStart(3, "0")}`,
        category: Category.RING,
        collection,
        metal: Metal.GOLD,
        fineness: 750,
        plating: Plating.NONE,
        stones: [stone(StoneType.DIAMOND, i % 2 ? StoneOrigin.NATURAL : StoneOrigin.LAB_GROWN)],
        hsCode: "711319",
        countryOfOrigin: "IN" as const,
        standardLeadTimeDays: 10,
        minimumOrderQuantity: 1,
      })),
    );
    const productIds = identifiers.map((x) => x.id as string);
    const variants = await ds.manager.insert(
      Variant,
      productIds.flatMap((pid, i) => ["52", "54"].map((size) => ({ productId: pid, sku: `${collection}-${String(i).padStart(3, "0")}-${size}`, ringSizeMm: `${size}.0`, metalWeightGrams: "3.000" }))),
    );
    const variantIds = variants.identifiers.map((x) => x.id as string);
    await ds.manager.insert(StockLevel, variantIds.map((variantId, i) => ({ variantId, onHand: i % 7, reserved: i % 7 > 2 ? 1 : 0 })));
    await ds.manager.insert(ProductionBatch, variantIds.map((variantId, i) => ({ variantId, quantity: 20, readyDate: dateFromToday(5 + (i % 20)), description: "casting run" })));
    await ds.manager.insert(VariantPrice, variantIds.map((variantId, i) => ({ distributorId: a.distributor.id, variantId, amount: `${100 + i}.50`, currency: "EUR" })));
    return collection;
  }

  async function statementsFor(first: number, collection: string, orderBy: ProductOrderField = "NAME") {
    const before = facet.statements.count;
    const { products: page } = ok(await asBuyer(CatalogPageDocument, { first, filter: { collection }, orderBy }));
    const count = facet.statements.count - before;
    expect(page!.nodes).toHaveLength(first);
    for (const node of page!.nodes) {
      expect(node.variants).toHaveLength(2);
      for (const v of node.variants) {
        expect(v.price?.currency).toBe("EUR");
        expect(v.availability.incoming).toHaveLength(1);
      }
    }
    return count;
  }

  it("is the same for 10 and for 100 products with variants, availability and prices", async () => {
    const collection = await bulkCatalog(100);
    const ten = await statementsFor(10, collection);
    const hundred = await statementsFor(100, collection);
    expect(hundred).toBe(ten);
    // Sign-in lookup, transaction and tenancy (5 with the commit), products, variants, stock,
    // batches, prices: 10 when this was written.
    expect(hundred).toBeLessThanOrEqual(12);
    expect(await statementsFor(100, collection, "AVAILABILITY")).toBe(hundred);
  });

  it("loads a page's variants with the page: no product asks a loader for its own", async () => {
    const collection = await bulkCatalog(5);
    const batches = async () => {
      const { values } = await loaderBatchSize.get();
      const count = (loader: string) => values.find((v) => v.metricName === "facet_dataloader_batch_size_count" && v.labels.loader === loader)?.value ?? 0;
      return { variants: count("variantsByProduct"), prepared: count("variantPreparation"), supply: count("supplyByVariant") };
    };
    const before = await batches();
    await statementsFor(5, collection);
    expect(await batches()).toEqual(before);
    // Under two names, the two selections differ from what was loaded ahead: each product asks.
    await asBuyer(CatalogVariantsTwiceDocument, { first: 5, filter: { collection } });
    expect((await batches()).variants).toBeGreaterThan(before.variants);
  });

  it("answers a page's variants selected twice, under two names, each as asked and as one product alone answers them", async () => {
    const collection = await bulkCatalog(6);
    const { products: page } = ok(await asBuyer(CatalogVariantsTwiceDocument, { first: 6, filter: { collection } }));
    expect(page!.nodes).toHaveLength(6);
    for (const node of page!.nodes) {
      const { product: alone } = ok(await asBuyer(CatalogVariantsOneByOneDocument, { styleCode: node.styleCode }));
      expect(node.variants).toEqual(alone!.variants);
      expect(node.skus).toEqual(alone!.variants.map((v) => ({ sku: v.sku })));
      expect(node.variants.every((v) => v.price !== null && v.availability.incoming.length === 1)).toBe(true);
    }
  });

  it("reads the page's stock, batches and prices once each, for the variants and the products' own availability", async () => {
    const collection = await bulkCatalog(20);
    const sent = await facet.statements.during(() => statementsFor(20, collection));
    const reads = (table: string) => sent.filter(({ query }) => new RegExp(`\\bFROM "?${table}"?(\\s|$)`).test(query)).length;
    expect({ stock: reads("stock_levels"), batches: reads("production_batches"), prices: reads("variant_prices"), variants: reads("variants") }).toEqual({
      stock: 1,
      batches: 1,
      prices: 1,
      variants: 2, // the variants' selection, and every column for the products' availability
    });
  });
});

// ---- indexes ------------------------------------------------------------------------------------

describe("indexes behind the product list", () => {
  let indexes: string[];
  beforeAll(async () => {
    const rows = await sql<{ tablename: string; indexdef: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('products', 'variants')`,
    );
    // "products btree (name, id)": table, method and key columns of each index.
    indexes = rows.map((r) => {
      const [, method, keys] = /USING (\w+) \(([^)]*)\)/.exec(r.indexdef)!;
      return `${r.tablename} ${method} (${keys})`;
    });
  });

  it.each([
    ["filter categories", "products btree (category"],
    ["filter collection", "products btree (collection"],
    ["filter metals", "products btree (metal"],
    ["filter fineness", "products btree (fineness"],
    ["filter platings", "products btree (plating"],
    ["filter stoneTypes and stoneOrigin", "products gin (stones jsonb_path_ops"],
    ["filter availability", "products btree (availability_rank"],
    ["search over style codes", "products gin (style_code gin_trgm_ops"],
    ["search over names", "products gin (name gin_trgm_ops"],
    ["search over SKUs", "variants gin (sku gin_trgm_ops"],
    ["search from a SKU to its product", "variants btree (product_id"],
    ["filter updatedSince", "products btree (updated_at"],
    ["order NAME", "products btree (name, id"],
    // Style codes are unique, so the id never decides and the unique index gives the order.
    ["order STYLE_CODE", "products btree (style_code"],
    ["order NEWEST", "products btree (created_at DESC, id"],
    ["order AVAILABILITY", "products btree (availability_rank, name, id"],
  ])("has an index that leads with what %s needs", (_what, leading) => {
    expect(indexes.filter((i) => i.startsWith(leading))).not.toEqual([]);
  });
});

// ---- the API guide's example -------------------------------------------------------------------

describe("the API guide's catalog query", () => {
  const demoBuyer = async () => userToken(facet.config, await facet.dataSource.manager.findOneByOrFail(User, { email: "buyer@atelier-paris.example" }));

  it("runs as written for a demo buyer", async () => {
    // Other tests add gold styles with lab-grown diamonds too, so this checks what holds for any of them.
    const { products: page } = ok(await as(await demoBuyer(), ReadmeGoldLabGrownDocument, {}));
    expect(page!.nodes.length).toBeGreaterThan(0);
    for (const node of page!.nodes) {
      // The metal may carry a plating ("14K gold electroplated 14K gold") and the stones their treatments.
      expect(node.displayName).toMatch(/, (.+ )?\d+K gold with (.+ and )?(\S+ )?lab-grown diamond/);
      expect(node.karat).not.toBeNull();
      for (const v of node.variants) expect(v.price === null || v.price.currency === "EUR").toBe(true);
    }
    const ranks = page!.nodes.map((n) => RANK[n.availability.status as Status]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  });

  it("names the demo's lab-grown solitaire as its comment says, with Atelier Paris prices", async () => {
    const { product } = ok(await as(await demoBuyer(), CatalogProductDocument, { styleCode: "RG-1010G" }));
    expect(product).toMatchObject({ name: "Lab Solitaire", displayName: "Lab Solitaire, 18K gold with post-growth-treated lab-grown diamond", karat: 18 });
    expect(product!.provenance.systemOfWarrantiesStatement).toBeNull();
    expect(product!.variants.length).toBeGreaterThan(0);
    for (const v of product!.variants) expect(v.price?.currency).toBe("EUR");
  });
});
