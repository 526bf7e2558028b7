import { randomUUID } from "node:crypto";
import { parse } from "graphql";
import { UserRole } from "../src/core/access";
import { Incoterm } from "../src/graphql/scalars";
import { toGlobalId } from "../src/graphql/node";
import type { Distributor } from "../src/modules/accounts";
import { WDC_SOW_STATEMENT } from "../src/modules/catalog/jewelry";
import { createDistributor, createUser, unique, userToken } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";

// What each piece is made of, named as the law names it (docs/domain.md: "Precious metals:
// fineness and karat", "Plating and its names", "Stones: disclosure (FTC Jewelry Guides)", "The
// System of Warranties statement", "What an order line is made of", "Design briefs: what a quoted
// piece is made of"). Each item is checked where the data enters (a refusal names the field and
// writes nothing) and where the export documents are computed, through the GraphQL API.

let facet: TestFacet;
let distributor: Distributor;
let buyer: string;
let manager: string;

beforeAll(async () => {
  facet = await startFacet();
  // FCA: the buyer pays the main carriage, so a shipment needs no charges or insurance.
  distributor = await createDistributor(facet.dataSource, { defaultIncoterm: Incoterm.FCA });
  buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.BUYER }));
  manager = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
});
afterAll(() => facet.stop());

type UserErrors = { field: string[] | null; code: string; message: string }[];
const fieldsAndCodes = (errors: UserErrors) => errors.map((e) => [e.field, e.code]);

/** Runs an operation that must answer without GraphQL errors. */
async function run<T = any>(text: string, variables: Record<string, unknown>, token: string): Promise<T> {
  return ok(await facet.gql(parse(text), variables, { token })) as T;
}

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);

// ---- the catalog -------------------------------------------------------------------------------

const STONE = "type shape count totalCarat origin treatments { treatment } displayName disclosedName";
const PLATING = "type karat thicknessMicrons designation";

const PRODUCT = `id styleCode metal fineness karat displayName
  plating { ${PLATING} }
  stones { ${STONE} }
  provenance { containsNaturalDiamonds systemOfWarrantiesStatement }
  customizationOptions { platings stones platingOffers { ${PLATING} } stoneOffers { ${STONE} } }`;
// Fields the schema had before: what names and finenesses a style gets needs no more.
const PLAIN_PRODUCT = "id styleCode metal fineness karat displayName stones { displayName } provenance { containsNaturalDiamonds }";

const upsertProductText = (product: string) => `mutation ($input: UpsertProductInput!) {
  upsertProduct(input: $input) { product { ${product} } userErrors { field code message } }
}`;

function productInput(overrides: Record<string, unknown> = {}) {
  return {
    styleCode: unique("CC").toUpperCase(),
    name: "Band",
    category: "RING",
    metal: "GOLD",
    fineness: 750,
    hsCode: "7113.19",
    countryOfOrigin: "IN",
    standardLeadTimeDays: 10,
    ...overrides,
  };
}

async function upsertProduct(overrides: Record<string, unknown>, product = PRODUCT) {
  const input = productInput(overrides);
  const { upsertProduct: payload } = await run(upsertProductText(product), { input }, manager);
  return { input, payload: payload as { product: any; userErrors: UserErrors } };
}

/** A refused style: the field named, and nothing written. */
async function expectRefused(overrides: Record<string, unknown>, expected: [(string | number)[], string][]) {
  const { input, payload } = await upsertProduct(overrides, PLAIN_PRODUCT);
  expect(payload.product).toBeNull();
  expect(fieldsAndCodes(payload.userErrors)).toEqual(expected.map(([field, code]) => [field.map(String), code]));
  expect(await sql(`SELECT id FROM products WHERE style_code = $1`, [input.styleCode])).toEqual([]);
}

/** A style with one 54 mm variant of `grams` of metal, priced for the distributor at 100.00. */
async function sellable(overrides: Record<string, unknown>, grams = "3.000", selection = PRODUCT) {
  const { payload } = await upsertProduct(overrides, selection);
  expect(payload.userErrors).toEqual([]);
  const product = payload.product;
  const { upsertVariant } = await run(
    `mutation ($input: UpsertVariantInput!) { upsertVariant(input: $input) { variant { id } userErrors { field code } } }`,
    { input: { productId: product.id, sku: `${product.styleCode}-54`, ringSizeMm: "54.0", metalWeightGrams: grams } },
    manager,
  );
  expect(upsertVariant.userErrors).toEqual([]);
  const { setPrice } = await run(
    `mutation ($input: SetPriceInput!) { setPrice(input: $input) { userErrors { field code } } }`,
    { input: { variantId: upsertVariant.variant.id, distributorId: toGlobalId("Distributor", distributor.id), amount: "100.00", currency: "EUR" } },
    manager,
  );
  expect(setPrice.userErrors).toEqual([]);
  return { product, variantId: upsertVariant.variant.id as string };
}

// ---- orders and their export pack -----------------------------------------------------------

const COMPOSITION = `composition { metal fineness karat metalName metalWeightGrams containsNaturalDiamonds plating { ${PLATING} } stones { ${STONE} } }`;
const LINES = `lines { lineNumber description quantity ${COMPOSITION} }`;

async function placeOrder(lines: { variantId: string; quantity: number; customization?: Record<string, unknown> }[]) {
  const { placeOrder: payload } = await run(
    `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id ${LINES} } userErrors { field code message } } }`,
    { input: { idempotencyKey: randomUUID(), buyerReference: unique("PO"), incoterm: "FCA", lines } },
    buyer,
  );
  expect(payload.userErrors).toEqual([]);
  return payload.order;
}

/** CONFIRMED → IN_PRODUCTION → QUALITY_CHECK → PACKED, as the export manager moves it. */
async function pack(orderId: string) {
  const { confirmOrder } = await run(`mutation ($id: ID!) { confirmOrder(input: { id: $id }) { userErrors { code } } }`, { id: orderId }, manager);
  expect(confirmOrder.userErrors).toEqual([]);
  for (const status of ["IN_PRODUCTION", "QUALITY_CHECK", "PACKED"]) {
    const { advanceOrderStatus } = await run(
      `mutation ($id: ID!, $status: OrderStatus!) { advanceOrderStatus(input: { id: $id, status: $status }) { userErrors { code } } }`,
      { id: orderId, status },
      manager,
    );
    expect(advanceOrderStatus.userErrors).toEqual([]);
  }
}

const EXPORT_PACK = `query ($id: ID!) {
  shipment(id: $id) {
    customsDeclaration {
      hsLines { quantity netWeightGrams }
      metalDeclarations { metal fineness karat weightGrams }
      gemstoneDisclosures { type origin treatments displayName count totalCarat }
      systemOfWarrantiesStatement
    }
    commercialInvoice { lines { lineNumber description quantity } systemOfWarrantiesStatement }
    packingList { lines { lineNumber description quantity } }
  }
}`;

/**
 * Ships `lines` of a packed order (every unit not yet shipped when omitted) in one package whose
 * net weight is the goods' (`netWeightKg`), and reads the shipment's export pack.
 */
async function ship(orderId: string, netWeightKg: string, lines?: { lineNumber: number; quantity?: number }[]) {
  const { createShipment } = await run(
    `mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { shipment { id } userErrors { field code message } } }`,
    {
      input: {
        orderId,
        lines,
        carrier: "DHL_EXPRESS",
        service: "EXPRESS WORLDWIDE",
        namedPlace: "Jaipur airport (JAI), India",
        packages: [{ count: 1, netWeightKg, grossWeightKg: "0.900", lengthCm: 20, widthCm: 15, heightCm: 10 }],
      },
    },
    manager,
  );
  expect(createShipment.userErrors).toEqual([]);
  return (await run(EXPORT_PACK, { id: createShipment.shipment.id }, buyer)).shipment;
}

// ---- design briefs ---------------------------------------------------------------------------

const BRIEF = `designBrief { id reference version status quote { composition { metal fineness karat metalName metalWeightGrams plating { ${PLATING} } stones { ${STONE} } } } order { id ${LINES} } }`;

/** A 22K gold pendant brief of `quantity` units, taken into review. */
async function briefInReview(title: string, quantity: number) {
  const { createDesignBrief } = await run(
    `mutation ($input: CreateDesignBriefInput!) { createDesignBrief(input: $input) { ${BRIEF} userErrors { field code } } }`,
    { input: { title, category: "PENDANT", metal: "GOLD", fineness: 916, quantity } },
    buyer,
  );
  expect(createDesignBrief.userErrors).toEqual([]);
  const { id } = createDesignBrief.designBrief;
  const { submitDesignBrief } = await run(`mutation ($id: ID!) { submitDesignBrief(input: { id: $id, expectedVersion: 1 }) { userErrors { code } } }`, { id }, buyer);
  expect(submitDesignBrief.userErrors).toEqual([]);
  const { startDesignBriefReview } = await run(
    `mutation ($id: ID!) { startDesignBriefReview(input: { id: $id, expectedVersion: 2 }) { ${BRIEF} userErrors { code } } }`,
    { id },
    manager,
  );
  expect(startDesignBriefReview.userErrors).toEqual([]);
  return startDesignBriefReview.designBrief as { id: string; reference: string; version: number };
}

async function quote(brief: { id: string; version: number }, piece: Record<string, unknown>) {
  const { quoteDesignBrief } = await run(
    `mutation ($input: QuoteDesignBriefInput!) { quoteDesignBrief(input: $input) { ${BRIEF} userErrors { field code message } } }`,
    {
      input: {
        id: brief.id,
        expectedVersion: brief.version,
        unitPrice: { amount: "690.00", currency: "EUR" },
        leadTimeDays: 45,
        validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        ...piece,
      },
    },
    manager,
  );
  return quoteDesignBrief as { designBrief: any; userErrors: UserErrors };
}

async function accept(brief: { id: string; version: number }) {
  const { acceptDesignBriefQuote } = await run(
    `mutation ($id: ID!, $version: Int!) { acceptDesignBriefQuote(input: { id: $id, expectedVersion: $version }) { ${BRIEF} userErrors { field code message } } }`,
    { id: brief.id, version: brief.version },
    buyer,
  );
  expect(acceptDesignBriefQuote.userErrors).toEqual([]);
  return acceptDesignBriefQuote.designBrief.order;
}

const naturalDiamonds = (count: number, totalCarat: string) => ({ type: "DIAMOND", shape: "ROUND", count, totalCarat, origin: "NATURAL", treatments: [] });

// ---- 1. bespoke and customised pieces keep their composition --------------------------------

describe("1. bespoke and customised pieces keep their composition", () => {
  it("declares a brief's 22K pendants with natural diamonds by the quote, and a band by the diamond or sapphire asked for", async () => {
    // The brief's order: what the quote says one pendant is made of, times twelve.
    const brief = await briefInReview("Falcon pendant", 12);
    const quoted = await quote(brief, { metal: "GOLD", fineness: 916, metalWeightGrams: "6.2", stones: [naturalDiamonds(8, "0.240")] });
    expect(quoted.userErrors).toEqual([]);
    const order = await accept(quoted.designBrief);
    expect(order.lines).toEqual([
      expect.objectContaining({
        description: `${brief.reference} Falcon pendant, 22K gold with diamond`,
        composition: expect.objectContaining({ metal: "GOLD", fineness: 916, karat: 22, metalWeightGrams: "6.200", containsNaturalDiamonds: true }),
      }),
    ]);
    await pack(order.id);
    // 12 × (6.2 g + 0.24 ct × 0.2 g) = 74.976 g.
    const pendants = await ship(order.id, "0.075");
    expect(pendants.customsDeclaration).toEqual({
      hsLines: [{ quantity: 12, netWeightGrams: "74.976" }],
      metalDeclarations: [{ metal: "GOLD", fineness: 916, karat: 22, weightGrams: "74.4" }],
      gemstoneDisclosures: [{ type: "DIAMOND", origin: "NATURAL", treatments: [], displayName: "diamond", count: 96, totalCarat: "2.88" }],
      systemOfWarrantiesStatement: WDC_SOW_STATEMENT,
    });
    expect(pendants.commercialInvoice).toEqual({
      lines: [{ lineNumber: 1, description: `${brief.reference} Falcon pendant, 22K gold with diamond`, quantity: 12 }],
      systemOfWarrantiesStatement: WDC_SOW_STATEMENT,
    });

    // A plain band, offered set with a natural diamond ("diamond" alone is a natural one) or a heated sapphire.
    const band = await sellable({
      customizationOptions: {
        stoneOffers: [naturalDiamonds(1, "0.050"), { type: "SAPPHIRE", shape: "ROUND", count: 1, totalCarat: "0.060", origin: "NATURAL", treatments: ["HEAT"] }],
      },
    });
    expect(band.product.customizationOptions).toMatchObject({ stones: ["DIAMOND", "SAPPHIRE"], stoneOffers: [{ disclosedName: "diamond" }, { disclosedName: "heated sapphire" }] });
    const ordered = await placeOrder([
      { variantId: band.variantId, quantity: 2, customization: { stone: "DIAMOND" } },
      { variantId: band.variantId, quantity: 3, customization: { stone: "SAPPHIRE" } },
    ]);
    expect(ordered.lines.map((l: any) => [l.description, l.composition.containsNaturalDiamonds])).toEqual([
      ["Band, 18K gold with diamond, ring size 54 mm", true],
      ["Band, 18K gold with heated sapphire, ring size 54 mm", false],
    ]);
    await pack(ordered.id);
    // 2 × (3 g + 0.01 g) = 6.02 g; then 3 × (3 g + 0.012 g) = 9.036 g.
    const diamonds = await ship(ordered.id, "0.006", [{ lineNumber: 1 }]);
    expect(diamonds.commercialInvoice).toEqual({
      lines: [{ lineNumber: 1, description: "Band, 18K gold with diamond, ring size 54 mm", quantity: 2 }],
      systemOfWarrantiesStatement: WDC_SOW_STATEMENT,
    });
    expect(diamonds.customsDeclaration).toMatchObject({
      gemstoneDisclosures: [{ type: "DIAMOND", origin: "NATURAL", treatments: [], displayName: "diamond", count: 2, totalCarat: "0.1" }],
      systemOfWarrantiesStatement: WDC_SOW_STATEMENT,
    });
    const sapphires = await ship(ordered.id, "0.009");
    expect(sapphires.commercialInvoice).toEqual({
      lines: [{ lineNumber: 2, description: "Band, 18K gold with heated sapphire, ring size 54 mm", quantity: 3 }],
      systemOfWarrantiesStatement: null,
    });
    expect(sapphires.customsDeclaration).toMatchObject({
      gemstoneDisclosures: [{ type: "SAPPHIRE", origin: "NATURAL", treatments: ["HEAT"], displayName: "sapphire", count: 3, totalCarat: "0.18" }],
      systemOfWarrantiesStatement: null,
    });
    expect(sapphires.packingList.lines).toEqual([{ lineNumber: 2, description: "Band, 18K gold with heated sapphire, ring size 54 mm", quantity: 3 }]);
  });
});

// ---- 13. metal declared for every piece of a brief's order ----------------------------------

describe("13. metal declared for every piece of a brief's order", () => {
  it("refuses a quote without a lawful composition, naming the field and writing nothing, then declares the quoted weight per piece", async () => {
    const brief = await briefInReview("Signet for a jubilee", 40);
    const piece = { metal: "GOLD", fineness: 750, metalWeightGrams: "4.500", stones: [] };
    const quotes = () => sql(`SELECT q.id FROM design_brief_quotes q JOIN design_briefs b ON b.id = q.brief_id WHERE b.reference = $1`, [brief.reference]);
    for (const [overrides, expected] of [
      [{ metalWeightGrams: "0" }, [[["input", "metalWeightGrams"], "OUT_OF_RANGE"]]],
      [{ metalWeightGrams: "4.5005" }, [[["input", "metalWeightGrams"], "INVALID"]]],
      [{ fineness: 417 }, [[["input", "fineness"], "INVALID"]]],
      [{ metal: "BRASS" }, [[["input", "fineness"], "INVALID"]]],
      [{ stones: [{ ...naturalDiamonds(1, "0.100"), origin: "CULTURED" }] }, [[["input", "stones", "0", "origin"], "INVALID"]]],
      [{ plating: { type: "YELLOW_GOLD", thicknessMicrons: "1.000" } }, [[["input", "plating", "karat"], "REQUIRED"]]],
    ] as const) {
      const refused = await quote(brief, { ...piece, ...overrides });
      expect(refused.designBrief).toBeNull();
      expect(fieldsAndCodes(refused.userErrors)).toEqual(expected);
    }
    expect(await quotes()).toEqual([]);
    expect(await sql(`SELECT status, version FROM design_briefs WHERE reference = $1`, [brief.reference])).toEqual([{ status: "IN_REVIEW", version: brief.version }]);
    // The weight is required by the schema itself.
    const { metalWeightGrams: _left, ...withoutWeight } = piece;
    const input = { id: brief.id, expectedVersion: brief.version, unitPrice: { amount: "690.00", currency: "EUR" }, leadTimeDays: 45, validUntil: "2099-01-01", ...withoutWeight };
    const missing = await facet.gql(parse(`mutation ($input: QuoteDesignBriefInput!) { quoteDesignBrief(input: $input) { userErrors { code } } }`), { input }, { token: manager });
    expect(missing.errors?.[0].message).toMatch(/metalWeightGrams/);

    const quoted = await quote(brief, piece);
    expect(quoted.userErrors).toEqual([]);
    expect(quoted.designBrief.quote.composition).toEqual({
      metal: "GOLD",
      fineness: 750,
      karat: 18,
      metalName: "18K gold",
      metalWeightGrams: "4.500",
      plating: { type: "NONE", karat: null, thicknessMicrons: null, designation: null },
      stones: [],
    });
    const order = await accept(quoted.designBrief);
    await pack(order.id);
    // Every piece shipped declares its quoted 4.5 g: 10 of them 45 g, the other 30 135 g.
    const first = await ship(order.id, "0.045", [{ lineNumber: 1, quantity: 10 }]);
    expect(first.customsDeclaration.metalDeclarations).toEqual([{ metal: "GOLD", fineness: 750, karat: 18, weightGrams: "45" }]);
    expect(first.customsDeclaration.hsLines).toEqual([{ quantity: 10, netWeightGrams: "45" }]);
    const rest = await ship(order.id, "0.135");
    expect(rest.customsDeclaration.metalDeclarations).toEqual([{ metal: "GOLD", fineness: 750, karat: 18, weightGrams: "135" }]);
  });
});

// ---- 6. fineness and its names ------------------------------------------------------------------

describe("6. fineness and its names", () => {
  it("accepts each metal's legal standards under their names, refuses others, and invoices fine silver as fine silver", async () => {
    for (const [metal, fineness, hsCode, metalName, karat] of [
      ["SILVER", 999, "7113.11", "fine silver", null],
      ["SILVER", 958, "7113.11", "Britannia silver", null],
      ["SILVER", 925, "7113.11", "sterling silver", null],
      ["SILVER", 900, "7113.11", "coin silver", null],
      ["GOLD", 990, "7113.19", "990 gold", null],
      ["GOLD", 916, "7113.19", "22K gold", 22],
      ["PLATINUM", 999, "7113.19", "999 platinum", null],
      ["PALLADIUM", 999, "7113.19", "999 palladium", null],
    ] as const) {
      const { payload } = await upsertProduct({ metal, fineness, hsCode }, PLAIN_PRODUCT);
      expect(payload.userErrors).toEqual([]);
      expect(payload.product).toMatchObject({ fineness, karat, displayName: `Band, ${metalName}` });
    }
    for (const [metal, fineness, hsCode] of [
      ["GOLD", 417, "7113.19"],
      ["GOLD", 583, "7113.19"],
      ["SILVER", 950, "7113.11"],
      ["PLATINUM", 800, "7113.19"],
      ["PALLADIUM", 900, "7113.19"],
    ] as const) {
      await expectRefused({ metal, fineness, hsCode }, [[["input", "fineness"], "INVALID"]]);
    }
    // A brief asks for a legal standard too.
    const { createDesignBrief } = await run(
      `mutation ($input: CreateDesignBriefInput!) { createDesignBrief(input: $input) { designBrief { fineness } userErrors { field code } } }`,
      { input: { title: "Coin silver cuff", category: "BANGLE", metal: "SILVER", fineness: 900, quantity: 10 } },
      buyer,
    );
    expect(createDesignBrief).toEqual({ designBrief: { fineness: 900 }, userErrors: [] });

    const silver = await sellable({ metal: "SILVER", fineness: 999, hsCode: "7113.11" }, "5.000", PLAIN_PRODUCT);
    const order = await placeOrder([{ variantId: silver.variantId, quantity: 2 }]);
    await pack(order.id);
    const pack999 = await ship(order.id, "0.010");
    expect(pack999.commercialInvoice.lines).toEqual([{ lineNumber: 1, description: "Band, fine silver, ring size 54 mm", quantity: 2 }]);
    expect(pack999.customsDeclaration.metalDeclarations).toEqual([{ metal: "SILVER", fineness: 999, karat: null, weightGrams: "10" }]);
  });
});

// ---- 7. stone names ------------------------------------------------------------------------------

describe("7. stone names", () => {
  it("names cubic zirconia as itself and pearls as cultured, refuses impossible origins, and tells treatments on the line and the invoice", async () => {
    const cz = await upsertProduct({ stones: [{ type: "CUBIC_ZIRCONIA", shape: "ROUND", count: 12, totalCarat: "0.600", origin: "SIMULANT" }] }, PLAIN_PRODUCT);
    expect(cz.payload.product).toMatchObject({ displayName: "Band, 18K gold with cubic zirconia", stones: [{ displayName: "cubic zirconia" }] });
    const lookAlike = await upsertProduct({ stones: [{ type: "DIAMOND", shape: "ROUND", count: 1, totalCarat: "0.500", origin: "SIMULANT" }] }, PLAIN_PRODUCT);
    expect(lookAlike.payload.product).toMatchObject({ displayName: "Band, 18K gold with simulated diamond", provenance: { containsNaturalDiamonds: false } });
    const pearls = await upsertProduct({ category: "NECKLACE", stones: [{ type: "PEARL", shape: "BEAD", count: 40, totalCarat: "150.000", origin: "CULTURED", treatments: ["BLEACHED"] }] });
    expect(pearls.payload.userErrors).toEqual([]);
    expect(pearls.payload.product).toMatchObject({ displayName: "Band, 18K gold with bleached cultured pearl", stones: [{ displayName: "cultured pearl", disclosedName: "bleached cultured pearl" }] });

    for (const [type, origin] of [
      ["CUBIC_ZIRCONIA", "NATURAL"],
      ["CUBIC_ZIRCONIA", "LAB_GROWN"],
      ["PEARL", "LAB_GROWN"],
      ["RUBY", "CULTURED"],
    ] as const) {
      await expectRefused({ stones: [{ type, shape: "ROUND", count: 1, totalCarat: "0.100", origin }] }, [[["input", "stones", 0, "origin"], "INVALID"]]);
    }

    const treated = await sellable(
      {
      stones: [
        { type: "EMERALD", shape: "EMERALD", count: 1, totalCarat: "0.800", origin: "NATURAL", treatments: ["OILED"] },
        { type: "DIAMOND", shape: "ROUND", count: 10, totalCarat: "0.200", origin: "NATURAL", treatments: ["HPHT"] },
        { type: "SAPPHIRE", shape: "OVAL", count: 2, totalCarat: "0.500", origin: "NATURAL", treatments: ["HEAT"] },
      ],
      },
      "3.000",
      PLAIN_PRODUCT,
    );
    const name = "Band, 18K gold with oiled emerald, HPHT-treated diamond and heated sapphire";
    expect(treated.product.displayName).toBe(name);
    const order = await placeOrder([{ variantId: treated.variantId, quantity: 1 }]);
    expect(order.lines[0].description).toBe(`${name}, ring size 54 mm`);
    await pack(order.id);
    // 3 g + 1.5 ct × 0.2 g = 3.3 g.
    const packed = await ship(order.id, "0.003");
    expect(packed.commercialInvoice.lines).toEqual([{ lineNumber: 1, description: `${name}, ring size 54 mm`, quantity: 1 }]);
    expect(packed.customsDeclaration.systemOfWarrantiesStatement).toBe(WDC_SOW_STATEMENT);
  });
});

// ---- 8. plating is disclosed ---------------------------------------------------------------------

describe("8. plating is disclosed", () => {
  it("records a gold plating's karat and thickness, names it by the FTC thresholds, and invoices it so", async () => {
    for (const [metal, fineness, hsCode, plating, designation, metalName] of [
      ["SILVER", 925, "7113.11", { plating: "YELLOW_GOLD", platingKarat: 18, platingThicknessMicrons: "3.5" }, "VERMEIL", "18K gold vermeil"],
      // 14K at 2.5 µm is only 1.458 µm of fine gold: no vermeil.
      ["SILVER", 925, "7113.11", { plating: "YELLOW_GOLD", platingKarat: 14, platingThicknessMicrons: "2.5" }, "GOLD_ELECTROPLATE", "14K gold electroplated sterling silver"],
      ["BRASS", null, "7117.19", { plating: "YELLOW_GOLD", platingKarat: 14, platingThicknessMicrons: "0.05" }, "GOLD_FLASHED", "14K gold-flashed brass"],
      ["BRASS", null, "7117.19", { plating: "ROSE_GOLD", platingKarat: 14, platingThicknessMicrons: "1" }, "GOLD_ELECTROPLATE", "14K gold electroplated brass"],
      ["BRASS", null, "7117.19", { plating: "YELLOW_GOLD", platingKarat: 24, platingThicknessMicrons: "2.5" }, "HEAVY_GOLD_ELECTROPLATE", "heavy 24K gold electroplated brass"],
      ["SILVER", 925, "7113.11", { plating: "RHODIUM", platingThicknessMicrons: "0.5" }, "RHODIUM_PLATED", "rhodium-plated sterling silver"],
    ] as const) {
      const { payload } = await upsertProduct({ metal, fineness, hsCode, ...plating });
      expect(payload.userErrors).toEqual([]);
      expect(payload.product).toMatchObject({ displayName: `Band, ${metalName}`, plating: { type: plating.plating, designation } });
    }

    for (const [plating, field, code] of [
      [{ plating: "YELLOW_GOLD", platingThicknessMicrons: "1.000" }, "platingKarat", "REQUIRED"],
      [{ plating: "YELLOW_GOLD", platingKarat: 9, platingThicknessMicrons: "1.000" }, "platingKarat", "OUT_OF_RANGE"],
      [{ plating: "RHODIUM", platingKarat: 18, platingThicknessMicrons: "0.500" }, "platingKarat", "INVALID"],
      [{ plating: "NONE", platingKarat: 18 }, "platingKarat", "INVALID"],
      [{ plating: "ROSE_GOLD", platingKarat: 14 }, "platingThicknessMicrons", "REQUIRED"],
    ] as const) {
      await expectRefused({ metal: "BRASS", fineness: null, hsCode: "7117.19", ...plating }, [[["input", field], code]]);
    }
    // An offered plating is stated in full too.
    await expectRefused({ customizationOptions: { platingOffers: [{ type: "ROSE_GOLD", thicknessMicrons: "1.000" }] } }, [
      [["input", "customizationOptions", "platingOffers", 0, "karat"], "REQUIRED"],
    ]);

    const vermeil = await sellable({ metal: "SILVER", fineness: 925, hsCode: "7113.11", plating: "YELLOW_GOLD", platingKarat: 18, platingThicknessMicrons: "3.500" }, "4.000");
    // A brass band whose gold plating a buyer asks for: flashed unless thick enough.
    const brass = await sellable(
      {
        metal: "BRASS",
        fineness: null,
        hsCode: "7117.19",
        customizationOptions: { platingOffers: [{ type: "YELLOW_GOLD", karat: 14, thicknessMicrons: "0.050" }] },
      },
      "4.000",
    );
    const order = await placeOrder([
      { variantId: vermeil.variantId, quantity: 1 },
      { variantId: brass.variantId, quantity: 1, customization: { plating: "YELLOW_GOLD" } },
    ]);
    expect(order.lines[1].composition).toMatchObject({ metalName: "14K gold-flashed brass", plating: { type: "YELLOW_GOLD", karat: 14, thicknessMicrons: "0.050", designation: "GOLD_FLASHED" } });
    await pack(order.id);
    const packed = await ship(order.id, "0.008");
    expect(packed.commercialInvoice.lines.map((l: any) => l.description)).toEqual(["Band, 18K gold vermeil, ring size 54 mm", "Band, 14K gold-flashed brass, ring size 54 mm"]);
    expect(packed.packingList.lines.map((l: any) => l.description)).toEqual(["Band, 18K gold vermeil, ring size 54 mm", "Band, 14K gold-flashed brass, ring size 54 mm"]);
  });
});
