import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import type { User } from "../src/modules/accounts";
import { Category } from "../src/modules/catalog/catalog.enums";
import type { Product } from "../src/modules/catalog/product.entity";
import {
  AdminAdjustStockDocument,
  AdminProductDocument,
  AdminScheduleProductionBatchDocument,
  AdminSetPriceDocument,
  AdminUpsertProductDocument,
  AdminUpsertVariantDocument,
  AdminVariantPriceDocument,
  type UpsertProductInput,
  type UpsertVariantInput,
} from "./generated/graphql";
import { createBatch, createProduct, createVariant, dateFromToday, productId, variantId } from "./support/catalog-factories";
import { clientToken, createApiClient, createDistributor, createUser, unique, userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
let manager: User;
let managerToken: string;

// Every style code and SKU this file creates through the API starts with RUN.
const RUN = unique("CA").toUpperCase();
let seq = 0;
const code = (tag: string) => `${RUN}-${tag}${++seq}`;

beforeAll(async () => {
  facet = await startFacet();
  manager = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
  managerToken = userToken(facet.config, manager);
});
afterAll(async () => {
  // Frees the GTIN vectors of docs/domain.md ("GTINs") for a later run on the same database.
  await facet.dataSource.query(`UPDATE variants SET gtin = NULL WHERE sku LIKE $1`, [`${RUN}-%`]);
  await facet.stop();
});

function asManager<TData, TVars extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVars>, variables: TVars): Promise<GraphQLResult<TData>> {
  return facet.gql(document, variables, { token: managerToken });
}

function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return facet.dataSource.query(text, params);
}

type Refusal = { userErrors: { field: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);

// ---- upsertProduct --------------------------------------------------------------------------

function productInput(overrides: Partial<UpsertProductInput> = {}): UpsertProductInput {
  return {
    styleCode: code("P"),
    name: `Solitaire ${RUN} ${seq}`,
    description: "A single stone on a knife-edge band.",
    category: "RING",
    collection: "Essentials",
    metal: "GOLD",
    fineness: 750,
    hsCode: "7113.19",
    countryOfOrigin: "IN",
    standardLeadTimeDays: 15,
    minimumOrderQuantity: 2,
    stones: [{ type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0.500", origin: "LAB_GROWN", treatments: [] }],
    images: [{ url: "https://images.example/solitaire.jpg", altText: "Solitaire ring, front" }],
    ...overrides,
  };
}

const productRows = (input: UpsertProductInput) =>
  sql(`SELECT id FROM products WHERE style_code = upper(trim($1)) OR name = $2`, [input.styleCode, input.name]);

async function expectProductRefused(input: UpsertProductInput, field: (string | number)[], userErrorCode: string) {
  const { upsertProduct } = ok(await asManager(AdminUpsertProductDocument, { input }));
  expect(upsertProduct.product).toBeNull();
  expect(fieldsAndCodes(upsertProduct)).toEqual([[field.map(String), userErrorCode]]);
  expect(await productRows(input)).toEqual([]);
}

describe("upsertProduct", () => {
  it("creates a style, then replaces it by the same style code", async () => {
    const input = productInput();
    const created = ok(await asManager(AdminUpsertProductDocument, { input: { ...input, styleCode: input.styleCode.toLowerCase() } })).upsertProduct;
    expect(created.userErrors).toEqual([]);
    expect(created.product).toMatchObject({
      styleCode: input.styleCode,
      name: input.name,
      category: "RING",
      collection: "Essentials",
      metal: "GOLD",
      fineness: 750,
      karat: 18,
      displayName: `${input.name}, 18K gold with lab-grown diamond`,
      plating: { type: "NONE", thicknessMicrons: null },
      stones: [{ type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0.500", origin: "LAB_GROWN", treatments: [], displayName: "lab-grown diamond" }],
      hsCode: { digits: "711319", formatted: "7113.19" },
      countryOfOrigin: "IN",
      standardLeadTimeDays: 15,
      minimumOrderQuantity: 2,
      images: [{ url: "https://images.example/solitaire.jpg", altText: "Solitaire ring, front" }],
      discontinued: false,
      availability: { status: "MADE_TO_ORDER", onHand: 0, leadTimeDays: 15 },
    });
    const [row] = await sql(`SELECT * FROM products WHERE style_code = $1`, [input.styleCode]);
    expect(row).toMatchObject({ name: input.name, metal: "GOLD", fineness: 750, hs_code: "711319", plating: "NONE", plating_thickness_microns: null });

    const updated = ok(
      await asManager(AdminUpsertProductDocument, {
        input: {
          ...input,
          name: `${input.name} II`,
          metal: "SILVER",
          fineness: 925,
          plating: "RHODIUM",
          platingThicknessMicrons: "0.250",
          hsCode: "711311",
          stones: [{ type: "CUBIC_ZIRCONIA", shape: "ROUND", count: 12, totalCarat: "0.6", origin: "SIMULANT", treatments: ["NONE"] }],
          images: [],
        },
      }),
    ).upsertProduct;
    expect(updated.userErrors).toEqual([]);
    expect(updated.product).toMatchObject({
      id: created.product!.id,
      styleCode: input.styleCode,
      metal: "SILVER",
      fineness: 925,
      karat: null,
      // Cubic zirconia is itself the simulant: it is named as itself, never "simulated cubic zirconia".
      displayName: `${input.name} II, rhodium-plated sterling silver with cubic zirconia`,
      plating: { type: "RHODIUM", thicknessMicrons: "0.250" },
      stones: [{ type: "CUBIC_ZIRCONIA", count: 12, origin: "SIMULANT", treatments: [], displayName: "cubic zirconia" }],
      hsCode: { digits: "711311", formatted: "7113.11" },
      images: [],
      createdAt: created.product!.createdAt,
    });
    expect(Date.parse(updated.product!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.product!.updatedAt));
    const rows = await sql(`SELECT name, metal, fineness, plating_thickness_microns FROM products WHERE style_code = $1`, [input.styleCode]);
    expect(rows).toEqual([{ name: `${input.name} II`, metal: "SILVER", fineness: 925, plating_thickness_microns: "0.250" }]);
  });

  it.each([
    ["711319", "711319", "7113.19"],
    ["7113.19", "711319", "7113.19"],
    ["7113.19.21.00", "7113192100", "7113.19.21.00"],
  ])("accepts HS code %j", async (hsCode, digits, formatted) => {
    const { upsertProduct } = ok(await asManager(AdminUpsertProductDocument, { input: productInput({ hsCode }) }));
    expect(upsertProduct.userErrors).toEqual([]);
    expect(upsertProduct.product!.hsCode).toEqual({ digits, formatted });
  });

  it.each([
    ["heading only", "7113"],
    ["a non-digit", "71A319"],
    ["not chapter 71 (knitted apparel)", "611710"],
    // docs/domain.md, "HS codes": HS 2022 subheadings that fit the piece (a gold ring: 7113.19)
    ["no HS 2022 subheading (7113.90)", "7113.90"],
    ["a lab-grown diamond's, not a ring's (7104.91)", "710491"],
    ["silver jewellery's, not gold's (7113.11)", "7113.11"],
  ])("refuses an HS code that is %s", async (_why, hsCode) => {
    await expectProductRefused(productInput({ hsCode }), ["input", "hsCode"], "INVALID");
  });

  it("accepts brass without a fineness", async () => {
    const { upsertProduct } = ok(await asManager(AdminUpsertProductDocument, { input: productInput({ metal: "BRASS", fineness: null, hsCode: "7117.19", stones: [] }) }));
    expect(upsertProduct.userErrors).toEqual([]);
    expect(upsertProduct.product).toMatchObject({ metal: "BRASS", fineness: null, karat: null });
  });

  it.each([
    ["GOLD 800", { metal: "GOLD", fineness: 800 }, "INVALID"],
    ["SILVER 750", { metal: "SILVER", fineness: 750, hsCode: "7113.11" }, "INVALID"],
    ["BRASS with a fineness", { metal: "BRASS", fineness: 925, hsCode: "7117.19" }, "INVALID"],
    ["GOLD without a fineness", { metal: "GOLD", fineness: null }, "REQUIRED"],
  ] as const)("refuses %s", async (_why, overrides, userErrorCode) => {
    await expectProductRefused(productInput(overrides), ["input", "fineness"], userErrorCode);
  });

  it("refuses plating without a thickness", async () => {
    await expectProductRefused(productInput({ plating: "RHODIUM", platingThicknessMicrons: null }), ["input", "platingThicknessMicrons"], "REQUIRED");
  });

  it("refuses a plating thickness without plating", async () => {
    await expectProductRefused(productInput({ plating: "NONE", platingThicknessMicrons: "0.500" }), ["input", "platingThicknessMicrons"], "INVALID");
  });

  it("refuses a stone count of 0", async () => {
    const input = productInput({ stones: [{ type: "DIAMOND", shape: "ROUND", count: 0, totalCarat: "0.500", origin: "NATURAL" }] });
    await expectProductRefused(input, ["input", "stones", 0, "count"], "OUT_OF_RANGE");
  });

  it("refuses a total carat weight of 0", async () => {
    const input = productInput({ stones: [{ type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0", origin: "NATURAL" }] });
    await expectProductRefused(input, ["input", "stones", 0, "totalCarat"], "OUT_OF_RANGE");
  });

  it("refuses NONE combined with another treatment", async () => {
    const input = productInput({
      stones: [
        { type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0.500", origin: "NATURAL" },
        { type: "SAPPHIRE", shape: "OVAL", count: 2, totalCarat: "1.2", origin: "NATURAL", treatments: ["NONE", "HEAT"] },
      ],
    });
    await expectProductRefused(input, ["input", "stones", 1, "treatments"], "INVALID");
  });

  it("refuses an image URL that is not https", async () => {
    const input = productInput({ images: [{ url: "http://images.example/solitaire.jpg", altText: "Solitaire ring" }] });
    await expectProductRefused(input, ["input", "images", 0, "url"], "INVALID");
  });

  it("refuses more than 20 images", async () => {
    const images = Array.from({ length: 21 }, (_, i) => ({ url: `https://images.example/${i}.jpg`, altText: `View ${i}` }));
    await expectProductRefused(productInput({ images }), ["input", "images"], "TOO_LONG");
  });

  it("refuses a style code with spaces", async () => {
    await expectProductRefused(productInput({ styleCode: `${RUN} RG 1042` }), ["input", "styleCode"], "INVALID");
  });

  it("keeps the category of a style that has variants", async () => {
    const input = productInput();
    const product = ok(await asManager(AdminUpsertProductDocument, { input })).upsertProduct.product!;
    ok(await asManager(AdminUpsertVariantDocument, { input: { productId: product.id, sku: code("V"), metalWeightGrams: "3.1" } }));
    const before = await sql(`SELECT * FROM products WHERE style_code = $1`, [input.styleCode]);

    const { upsertProduct } = ok(await asManager(AdminUpsertProductDocument, { input: { ...input, category: "PENDANT", name: "Renamed" } }));
    expect(upsertProduct.product).toBeNull();
    expect(fieldsAndCodes(upsertProduct)).toEqual([[["input", "category"], "NOT_ALLOWED"]]);
    expect(await sql(`SELECT * FROM products WHERE style_code = $1`, [input.styleCode])).toEqual(before);
  });

  it("shows a discontinued style as DISCONTINUED, in stock or not", async () => {
    const input = productInput();
    const product = ok(await asManager(AdminUpsertProductDocument, { input })).upsertProduct.product!;
    const variant = ok(await asManager(AdminUpsertVariantDocument, { input: { productId: product.id, sku: code("V"), metalWeightGrams: "3.1" } })).upsertVariant.variant!;
    ok(await asManager(AdminAdjustStockDocument, { input: { variantId: variant.id, delta: 20, reason: "opening count" } }));
    expect(ok(await asManager(AdminProductDocument, { styleCode: input.styleCode })).product!.availability.status).toBe("IN_STOCK");

    const { upsertProduct } = ok(await asManager(AdminUpsertProductDocument, { input: { ...input, discontinued: true } }));
    expect(upsertProduct.userErrors).toEqual([]);
    expect(upsertProduct.product).toMatchObject({ discontinued: true, availability: { status: "DISCONTINUED", onHand: 20, available: 20 } });
    const { product: read } = ok(await asManager(AdminProductDocument, { styleCode: input.styleCode }));
    expect(read!.availability.status).toBe("DISCONTINUED");
    expect(read!.variants.map((v) => v.availability.status)).toEqual(["DISCONTINUED"]);
    // The rank the list filters and sorts by follows (3 = discontinued).
    expect(await sql(`SELECT availability_rank FROM products WHERE style_code = $1`, [input.styleCode])).toEqual([{ availability_rank: 3 }]);
  });
});

// ---- upsertVariant --------------------------------------------------------------------------

function variantInput(product: Product | string, overrides: Partial<UpsertVariantInput> = {}): UpsertVariantInput {
  return { productId: typeof product === "string" ? product : productId(product), sku: code("V"), metalWeightGrams: "3.250", ...overrides };
}

const productUpdatedAt = async (id: string) => (await sql<{ updated_at: Date }>(`SELECT updated_at FROM products WHERE id = $1`, [id]))[0].updated_at;

async function expectVariantRefused(input: UpsertVariantInput, field: string[], userErrorCode: string, productDbId?: string) {
  const before = productDbId ? await productUpdatedAt(productDbId) : undefined;
  const { upsertVariant } = ok(await asManager(AdminUpsertVariantDocument, { input }));
  expect(upsertVariant.variant).toBeNull();
  expect(fieldsAndCodes(upsertVariant)).toEqual([[field, userErrorCode]]);
  expect(await sql(`SELECT id FROM variants WHERE sku = upper($1)`, [input.sku])).toEqual([]);
  if (productDbId) expect(await productUpdatedAt(productDbId)).toEqual(before);
}

// A GTIN-13 of this run, with a valid check digit.
function freshGtin(): string {
  const body = `2${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

const GTIN_VECTORS = ["4006381333931", "6291041500213", "036000291452", "12345670", "14006381333938"];
const withWrongCheckDigit = (gtin: string) => gtin.slice(0, -1) + String((Number(gtin.at(-1)) + 1) % 10);

describe("upsertVariant", () => {
  it("creates a variant with its stock row, then replaces it by the same SKU", async () => {
    const product = await createProduct(facet.dataSource);
    const sku = code("V");
    const gtin = freshGtin();
    const created = ok(await asManager(AdminUpsertVariantDocument, { input: variantInput(product, { sku: sku.toLowerCase(), gtin, ringSizeMm: "54.0" }) })).upsertVariant;
    expect(created.userErrors).toEqual([]);
    expect(created.variant).toMatchObject({
      sku,
      gtin,
      metalWeightGrams: "3.250",
      chainLengthMm: null,
      discontinued: false,
      ringSize: { innerCircumferenceMm: "54.0", iso: "54", us: "6.75" },
      product: { id: productId(product), styleCode: product.styleCode },
      availability: { onHand: 0, reserved: 0, available: 0, status: "MADE_TO_ORDER", incoming: [] },
    });
    const [row] = await sql(`SELECT id, product_id, gtin, ring_size_mm, metal_weight_grams FROM variants WHERE sku = $1`, [sku]);
    expect(row).toMatchObject({ product_id: product.id, gtin, ring_size_mm: "54.0", metal_weight_grams: "3.250" });
    expect(await sql(`SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1`, [row.id])).toEqual([{ on_hand: 0, reserved: 0 }]);

    const updated = ok(await asManager(AdminUpsertVariantDocument, { input: variantInput(product, { sku, gtin: null, ringSizeMm: "57.0", metalWeightGrams: "3.5", discontinued: true }) }))
      .upsertVariant;
    expect(updated.userErrors).toEqual([]);
    expect(updated.variant).toMatchObject({ id: created.variant!.id, sku, gtin: null, metalWeightGrams: "3.500", discontinued: true, ringSize: { iso: "57" } });
    expect(await sql(`SELECT gtin, ring_size_mm, discontinued FROM variants WHERE sku = $1`, [sku])).toEqual([{ gtin: null, ring_size_mm: "57.0", discontinued: true }]);
    expect(await sql(`SELECT count(*)::int AS n FROM stock_levels WHERE variant_id = $1`, [row.id])).toEqual([{ n: 1 }]);
  });

  it("moves the product's updatedAt forward, on create and on update", async () => {
    const product = await createProduct(facet.dataSource);
    const backdate = () => sql(`UPDATE products SET updated_at = now() - interval '1 hour' WHERE id = $1`, [product.id]);
    await backdate();
    const before = await productUpdatedAt(product.id);
    const input = variantInput(product);
    const created = ok(await asManager(AdminUpsertVariantDocument, { input })).upsertVariant.variant!;
    expect(Date.parse(created.product.updatedAt)).toBeGreaterThan(before.getTime());
    expect((await productUpdatedAt(product.id)).getTime()).toBeGreaterThan(before.getTime());

    await backdate();
    const again = await productUpdatedAt(product.id);
    ok(await asManager(AdminUpsertVariantDocument, { input: { ...input, metalWeightGrams: "4" } }));
    expect((await productUpdatedAt(product.id)).getTime()).toBeGreaterThan(again.getTime());
  });

  it("gives a chain its length", async () => {
    const chain = await createProduct(facet.dataSource, { category: Category.CHAIN });
    const { upsertVariant } = ok(await asManager(AdminUpsertVariantDocument, { input: variantInput(chain, { chainLengthMm: 450 }) }));
    expect(upsertVariant.userErrors).toEqual([]);
    expect(upsertVariant.variant).toMatchObject({ chainLengthMm: 450, ringSize: null });
  });

  it.each(GTIN_VECTORS)("accepts GTIN %s", async (gtin) => {
    const product = await createProduct(facet.dataSource);
    const { upsertVariant } = ok(await asManager(AdminUpsertVariantDocument, { input: variantInput(product, { gtin }) }));
    expect(upsertVariant.userErrors).toEqual([]);
    expect(upsertVariant.variant!.gtin).toBe(gtin);
  });

  it.each(GTIN_VECTORS.map(withWrongCheckDigit))("refuses GTIN %s (wrong check digit)", async (gtin) => {
    const product = await createProduct(facet.dataSource);
    await expectVariantRefused(variantInput(product, { gtin }), ["input", "gtin"], "INVALID", product.id);
  });

  it("refuses an 11-digit GTIN", async () => {
    const product = await createProduct(facet.dataSource);
    await expectVariantRefused(variantInput(product, { gtin: "40063813339" }), ["input", "gtin"], "INVALID", product.id);
  });

  it("refuses a GTIN another variant has", async () => {
    const product = await createProduct(facet.dataSource);
    const gtin = freshGtin();
    const holder = await createVariant(facet.dataSource, product, { gtin });
    await expectVariantRefused(variantInput(product, { gtin }), ["input", "gtin"], "TAKEN", product.id);
    expect(await sql(`SELECT sku FROM variants WHERE gtin = $1`, [gtin])).toEqual([{ sku: holder.sku }]);
  });

  it("refuses the SKU of another product's variant", async () => {
    const owner = await createProduct(facet.dataSource);
    const other = await createProduct(facet.dataSource);
    const taken = await createVariant(facet.dataSource, owner);
    const before = await sql(`SELECT * FROM variants WHERE id = $1`, [taken.id]);
    const otherBefore = await productUpdatedAt(other.id);

    const { upsertVariant } = ok(await asManager(AdminUpsertVariantDocument, { input: variantInput(other, { sku: taken.sku, metalWeightGrams: "9" }) }));
    expect(upsertVariant.variant).toBeNull();
    expect(fieldsAndCodes(upsertVariant)).toEqual([[["input", "sku"], "TAKEN"]]);
    expect(await sql(`SELECT * FROM variants WHERE id = $1`, [taken.id])).toEqual(before);
    expect(await productUpdatedAt(other.id)).toEqual(otherBefore);
    expect(await sql(`SELECT id FROM variants WHERE product_id = $1`, [other.id])).toEqual([]);
  });

  it("refuses a ring size on a piece that is not a ring", async () => {
    const necklace = await createProduct(facet.dataSource, { category: Category.NECKLACE });
    await expectVariantRefused(variantInput(necklace, { ringSizeMm: "54.0" }), ["input", "ringSizeMm"], "INVALID", necklace.id);
  });

  it("refuses a chain length on a ring", async () => {
    const ring = await createProduct(facet.dataSource);
    await expectVariantRefused(variantInput(ring, { chainLengthMm: 450 }), ["input", "chainLengthMm"], "INVALID", ring.id);
  });

  it.each([
    ["a product id that does not exist", () => toGlobalId("Product", randomUUID())],
    ["the id of another type", () => toGlobalId("Variant", randomUUID())],
    ["something that is no id", () => "RG-1042"],
  ])("refuses %s as productId", async (_what, id) => {
    await expectVariantRefused(variantInput(id()), ["input", "productId"], "NOT_FOUND");
  });
});

// ---- adjustStock ----------------------------------------------------------------------------

async function stockVariant(spec: { onHand: number; reserved?: number }) {
  const product = await createProduct(facet.dataSource);
  return createVariant(facet.dataSource, product, { ...spec, lowStockThreshold: 5 });
}

const stockOf = (variantDbId: string) => sql(`SELECT on_hand, reserved, updated_at FROM stock_levels WHERE variant_id = $1`, [variantDbId]);
const movementsOf = (variantDbId: string) =>
  sql(`SELECT delta, on_hand_after, reason, actor_user_id FROM stock_movements WHERE variant_id = $1 ORDER BY created_at, id`, [variantDbId]);

async function expectStockRefused(variant: { id: string }, delta: number, reason: string, field: string[], userErrorCode: string) {
  const before = await stockOf(variant.id);
  const { adjustStock } = ok(await asManager(AdminAdjustStockDocument, { input: { variantId: toGlobalId("Variant", variant.id), delta, reason } }));
  expect(adjustStock.variant).toBeNull();
  expect(fieldsAndCodes(adjustStock)).toEqual([[field, userErrorCode]]);
  expect(await stockOf(variant.id)).toEqual(before);
  expect(await movementsOf(variant.id)).toEqual([]);
}

describe("adjustStock", () => {
  it("adds stock and records one movement with the result and the actor", async () => {
    const variant = await stockVariant({ onHand: 10, reserved: 2 });
    const { adjustStock } = ok(await asManager(AdminAdjustStockDocument, { input: { variantId: variantId(variant), delta: 5, reason: "  cycle count 2026-11  " } }));
    expect(adjustStock.userErrors).toEqual([]);
    expect(adjustStock.variant).toMatchObject({ id: variantId(variant), availability: { onHand: 15, reserved: 2, available: 13, status: "IN_STOCK" } });
    expect(await stockOf(variant.id)).toMatchObject([{ on_hand: 15, reserved: 2 }]);
    expect(await movementsOf(variant.id)).toEqual([{ delta: 5, on_hand_after: 15, reason: "cycle count 2026-11", actor_user_id: manager.id }]);
  });

  it("removes stock down to what is reserved", async () => {
    const variant = await stockVariant({ onHand: 10, reserved: 4 });
    const { adjustStock } = ok(await asManager(AdminAdjustStockDocument, { input: { variantId: variantId(variant), delta: -6, reason: "breakage" } }));
    expect(adjustStock.userErrors).toEqual([]);
    expect(adjustStock.variant!.availability).toMatchObject({ onHand: 4, reserved: 4, available: 0, status: "MADE_TO_ORDER" });
    expect(await movementsOf(variant.id)).toEqual([{ delta: -6, on_hand_after: 4, reason: "breakage", actor_user_id: manager.id }]);
  });

  it("refuses a delta of 0", async () => {
    await expectStockRefused(await stockVariant({ onHand: 10 }), 0, "cycle count", ["input", "delta"], "OUT_OF_RANGE");
  });

  it("refuses a reason shorter than 3 characters", async () => {
    await expectStockRefused(await stockVariant({ onHand: 10 }), 1, " ab ", ["input", "reason"], "TOO_SHORT");
  });

  it("refuses to go below what is reserved, writing nothing", async () => {
    await expectStockRefused(await stockVariant({ onHand: 10, reserved: 8 }), -3, "breakage", ["input", "delta"], "OUT_OF_RANGE");
  });

  it("refuses to go below zero", async () => {
    await expectStockRefused(await stockVariant({ onHand: 3 }), -4, "breakage", ["input", "delta"], "OUT_OF_RANGE");
  });

  it("refuses an unknown variant", async () => {
    await expectStockRefused({ id: randomUUID() }, 1, "found one", ["input", "variantId"], "NOT_FOUND");
  });

  // The embedded database serves one connection at a time, so the two calls could not overlap there.
  (process.env.FACET_TEST_EMBEDDED !== "1" ? it : it.skip)("lets only one of two concurrent removals through when both cannot fit", async () => {
    const variant = await stockVariant({ onHand: 10, reserved: 0 });
    const remove = () => asManager(AdminAdjustStockDocument, { input: { variantId: variantId(variant), delta: -6, reason: "concurrent pick" } });
    const payloads = (await Promise.all([remove(), remove()])).map((r) => ok(r).adjustStock);
    const succeeded = payloads.filter((p) => p.userErrors.length === 0);
    const refused = payloads.filter((p) => p.userErrors.length > 0);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0].variant!.availability.onHand).toBe(4);
    expect(refused).toHaveLength(1);
    expect(refused[0].variant).toBeNull();
    expect(fieldsAndCodes(refused[0])).toEqual([[["input", "delta"], "OUT_OF_RANGE"]]);
    expect(await stockOf(variant.id)).toMatchObject([{ on_hand: 4, reserved: 0 }]);
    expect(await movementsOf(variant.id)).toEqual([{ delta: -6, on_hand_after: 4, reason: "concurrent pick", actor_user_id: manager.id }]);
  });
});

// ---- scheduleProductionBatch ----------------------------------------------------------------

const batchesOf = (variantDbId: string) => sql(`SELECT quantity, allocated, ready_date::text AS ready_date, description, status FROM production_batches WHERE variant_id = $1`, [variantDbId]);

async function expectBatchRefused(variant: { id: string }, input: { quantity: number; readyDate: string; description?: string }, field: string[], userErrorCode: string) {
  const { scheduleProductionBatch } = ok(await asManager(AdminScheduleProductionBatchDocument, { input: { variantId: toGlobalId("Variant", variant.id), ...input } }));
  expect(scheduleProductionBatch.variant).toBeNull();
  expect(fieldsAndCodes(scheduleProductionBatch)).toEqual([[field, userErrorCode]]);
  expect(await batchesOf(variant.id)).toEqual([]);
}

describe("scheduleProductionBatch", () => {
  it("schedules a run that shows as incoming", async () => {
    const variant = await stockVariant({ onHand: 0 });
    const readyDate = dateFromToday(30);
    const { scheduleProductionBatch } = ok(
      await asManager(AdminScheduleProductionBatchDocument, { input: { variantId: variantId(variant), quantity: 40, readyDate, description: "casting run" } }),
    );
    expect(scheduleProductionBatch.userErrors).toEqual([]);
    expect(scheduleProductionBatch.variant!.availability.incoming).toEqual([{ quantity: 40, unallocated: 40, readyDate, description: "casting run" }]);
    expect(await batchesOf(variant.id)).toEqual([{ quantity: 40, allocated: 0, ready_date: readyDate, description: "casting run", status: "SCHEDULED" }]);
  });

  it("accepts today and names an undescribed run", async () => {
    const variant = await stockVariant({ onHand: 0 });
    const today = dateFromToday(0);
    const { scheduleProductionBatch } = ok(await asManager(AdminScheduleProductionBatchDocument, { input: { variantId: variantId(variant), quantity: 1, readyDate: today } }));
    expect(scheduleProductionBatch.userErrors).toEqual([]);
    expect(await batchesOf(variant.id)).toMatchObject([{ quantity: 1, ready_date: today, description: "production run" }]);
  });

  it("lists only the variant's own batches as incoming", async () => {
    const product = await createProduct(facet.dataSource);
    const mine = await createVariant(facet.dataSource, product);
    const other = await createVariant(facet.dataSource, product);
    await createBatch(facet.dataSource, other, { quantity: 5, readyDate: dateFromToday(5) });
    const readyDate = dateFromToday(9);
    const { scheduleProductionBatch } = ok(await asManager(AdminScheduleProductionBatchDocument, { input: { variantId: variantId(mine), quantity: 7, readyDate } }));
    expect(scheduleProductionBatch.variant!.availability.incoming).toEqual([{ quantity: 7, unallocated: 7, readyDate, description: "production run" }]);
  });

  it("refuses a ready date in the past", async () => {
    await expectBatchRefused(await stockVariant({ onHand: 0 }), { quantity: 10, readyDate: dateFromToday(-1) }, ["input", "readyDate"], "OUT_OF_RANGE");
  });

  it("refuses a quantity of 0", async () => {
    await expectBatchRefused(await stockVariant({ onHand: 0 }), { quantity: 0, readyDate: dateFromToday(10) }, ["input", "quantity"], "OUT_OF_RANGE");
  });

  it("refuses a discontinued variant", async () => {
    const product = await createProduct(facet.dataSource);
    const variant = await createVariant(facet.dataSource, product, { discontinued: true });
    await expectBatchRefused(variant, { quantity: 10, readyDate: dateFromToday(10) }, ["input", "variantId"], "INVALID_STATE");
  });

  it("refuses a variant of a discontinued style", async () => {
    const product = await createProduct(facet.dataSource, { discontinued: true });
    const variant = await createVariant(facet.dataSource, product);
    await expectBatchRefused(variant, { quantity: 10, readyDate: dateFromToday(10) }, ["input", "variantId"], "INVALID_STATE");
  });

  it("refuses an unknown variant", async () => {
    await expectBatchRefused({ id: randomUUID() }, { quantity: 10, readyDate: dateFromToday(10) }, ["input", "variantId"], "NOT_FOUND");
  });
});

// ---- setPrice -------------------------------------------------------------------------------

const pricesOf = (variantDbId: string) => sql(`SELECT distributor_id, amount, currency FROM variant_prices WHERE variant_id = $1`, [variantDbId]);

async function expectPriceRefused(variant: { id: string }, input: { distributorId: string; amount: string; currency: "EUR" | "JPY" | "USD" }, field: string[], userErrorCode: string) {
  const { setPrice } = ok(await asManager(AdminSetPriceDocument, { input: { variantId: toGlobalId("Variant", variant.id), ...input } }));
  expect(setPrice.variant).toBeNull();
  expect(setPrice.price).toBeNull();
  expect(fieldsAndCodes(setPrice)).toEqual([[field, userErrorCode]]);
  expect(await pricesOf(variant.id)).toEqual([]);
}

describe("setPrice", () => {
  it('stores "1250.5" and answers "1250.50", then replaces it', async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "EUR" });
    const variant = await stockVariant({ onHand: 0 });
    const distributorId = toGlobalId("Distributor", distributor.id);
    const { setPrice } = ok(await asManager(AdminSetPriceDocument, { input: { variantId: variantId(variant), distributorId, amount: "1250.5", currency: "EUR" }, distributorId }));
    expect(setPrice.userErrors).toEqual([]);
    expect(setPrice.price).toEqual({ amount: "1250.50", currency: "EUR" });
    expect(setPrice.variant!.price).toEqual({ amount: "1250.50", currency: "EUR" });
    expect(await pricesOf(variant.id)).toEqual([{ distributor_id: distributor.id, amount: "1250.5000", currency: "EUR" }]);
    expect(ok(await asManager(AdminVariantPriceDocument, { sku: variant.sku, distributorId })).variant!.price).toEqual({ amount: "1250.50", currency: "EUR" });

    const again = ok(await asManager(AdminSetPriceDocument, { input: { variantId: variantId(variant), distributorId, amount: "1300", currency: "EUR" } })).setPrice;
    expect(again.price).toEqual({ amount: "1300.00", currency: "EUR" });
    expect(await pricesOf(variant.id)).toEqual([{ distributor_id: distributor.id, amount: "1300.0000", currency: "EUR" }]);
  });

  it("prices a JPY distributor in whole yen", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "JPY" });
    const variant = await stockVariant({ onHand: 0 });
    const distributorId = toGlobalId("Distributor", distributor.id);
    const { setPrice } = ok(await asManager(AdminSetPriceDocument, { input: { variantId: variantId(variant), distributorId, amount: "150000", currency: "JPY" } }));
    expect(setPrice.userErrors).toEqual([]);
    expect(setPrice.price).toEqual({ amount: "150000", currency: "JPY" });
    expect(await pricesOf(variant.id)).toEqual([{ distributor_id: distributor.id, amount: "150000.0000", currency: "JPY" }]);
  });

  it("refuses a currency other than the distributor's contract currency", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "EUR" });
    await expectPriceRefused(
      await stockVariant({ onHand: 0 }),
      { distributorId: toGlobalId("Distributor", distributor.id), amount: "1250.00", currency: "USD" },
      ["input", "currency"],
      "INVALID",
    );
  });

  it("refuses three decimals in EUR", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "EUR" });
    await expectPriceRefused(await stockVariant({ onHand: 0 }), { distributorId: toGlobalId("Distributor", distributor.id), amount: "10.005", currency: "EUR" }, ["input", "amount"], "INVALID");
  });

  it("refuses a fraction in JPY", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "JPY" });
    await expectPriceRefused(await stockVariant({ onHand: 0 }), { distributorId: toGlobalId("Distributor", distributor.id), amount: "1500.5", currency: "JPY" }, ["input", "amount"], "INVALID");
  });

  it("refuses a price of 0", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "EUR" });
    await expectPriceRefused(await stockVariant({ onHand: 0 }), { distributorId: toGlobalId("Distributor", distributor.id), amount: "0", currency: "EUR" }, ["input", "amount"], "OUT_OF_RANGE");
  });

  it("refuses an unknown distributor", async () => {
    await expectPriceRefused(
      await stockVariant({ onHand: 0 }),
      { distributorId: toGlobalId("Distributor", randomUUID()), amount: "1250.00", currency: "EUR" },
      ["input", "distributorId"],
      "NOT_FOUND",
    );
  });

  it("refuses an unknown variant", async () => {
    const distributor = await createDistributor(facet.dataSource, { currency: "EUR" });
    const missing = { id: randomUUID() };
    await expectPriceRefused(missing, { distributorId: toGlobalId("Distributor", distributor.id), amount: "1250.00", currency: "EUR" }, ["input", "variantId"], "NOT_FOUND");
  });
});

// ---- who may ------------------------------------------------------------------------------

describe("catalog upkeep is for export managers", () => {
  const callers: [string, () => Promise<string | undefined>][] = [
    ["a buyer", async () => userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource), role: UserRole.BUYER }))],
    [
      "a distributor admin",
      async () => userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource), role: UserRole.DISTRIBUTOR_ADMIN })),
    ],
    ["support", async () => userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }))],
    ["an API client with every scope", async () => clientToken(facet.config, (await createApiClient(facet.dataSource, await createDistributor(facet.dataSource))).client)],
  ];

  it.each(callers)("refuses %s with FORBIDDEN", async (_who, tokenFor) => {
    const token = await tokenFor();
    const input = productInput();
    const product = await facet.gql(AdminUpsertProductDocument, { input }, { token });
    expect(errorCodes(product)).toEqual(["FORBIDDEN"]);
    expect(product.data ?? null).toBeNull();
    expect(await productRows(input)).toEqual([]);

    const variant = await stockVariant({ onHand: 10 });
    const stock = await facet.gql(AdminAdjustStockDocument, { input: { variantId: variantId(variant), delta: -5, reason: "not mine to do" } }, { token });
    expect(errorCodes(stock)).toEqual(["FORBIDDEN"]);
    expect(await stockOf(variant.id)).toMatchObject([{ on_hand: 10 }]);
    expect(await movementsOf(variant.id)).toEqual([]);
  });

  it("asks an anonymous caller to authenticate", async () => {
    const input = productInput();
    const product = await facet.gql(AdminUpsertProductDocument, { input });
    expect(errorCodes(product)).toEqual(["UNAUTHENTICATED"]);
    expect(await productRows(input)).toEqual([]);

    const variant = await stockVariant({ onHand: 10 });
    const distributor = await createDistributor(facet.dataSource);
    const price = await facet.gql(AdminSetPriceDocument, { input: { variantId: variantId(variant), distributorId: toGlobalId("Distributor", distributor.id), amount: "10.00", currency: "EUR" } });
    expect(errorCodes(price)).toEqual(["UNAUTHENTICATED"]);
    expect(await pricesOf(variant.id)).toEqual([]);
  });
});
