import { UserRole } from "../src/core/access";
import { toScaled } from "../src/graphql/money";
import { WDC_SOW_STATEMENT } from "../src/modules/catalog/jewelry";
import type { StoneRow } from "../src/modules/catalog/product.entity";
import type { Distributor } from "../src/modules/accounts";
import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ShipCreateDocument, type CreateShipmentInput, type Incoterm, type ShipExportPackQuery } from "./generated/graphql";
import type { ProductSpec } from "./support/catalog-factories";
import { createDistributor, createUser, userToken } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";
import { createShipment, eur, packedOrder, parcel, shipmentInput, stockedVariant, type PlacedOrder } from "./support/shipment-factories";

let facet: TestFacet;
let managerToken: string;

beforeAll(async () => {
  facet = await startFacet();
  managerToken = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
});
afterAll(() => facet.stop());

type Amount = { amount: string; currency: string };
type Weights = { packageCount: number; netWeightKg: string; grossWeightKg: string; goodsNetWeightKg: string; goodsNetWeightComplete: boolean };
type Charges = { freight: Amount | null; insurance: Amount | null; duties: Amount | null };
type GeneratedPack = NonNullable<ShipExportPackQuery["shipment"]>;
type Pack = GeneratedPack & {
  customsDeclaration: GeneratedPack["customsDeclaration"] & { namedPlace: string | null; dispatchCountry: string; goodsValue: Amount; charges: Charges; weights: Weights };
  commercialInvoice: GeneratedPack["commercialInvoice"] & { namedPlace: string | null; terms: string; dispatchCountry: string; goodsTotal: Amount; charges: Charges; weights: Weights };
  packingList: GeneratedPack["packingList"] & { weights: Weights };
};

// ShipExportPack with the charges, terms and weights the documents have shown since the export
// terms were recorded (written out until test/generated catches up with the schema).
const WEIGHTS = "weights { packageCount netWeightKg grossWeightKg goodsNetWeightKg goodsNetWeightComplete }";
const CHARGES = "charges { freight { amount currency } insurance { amount currency } duties { amount currency } }";
const ExportPack = parse(`
  query ExportPack($id: ID!) {
    shipment(id: $id) {
      id
      customsDeclaration {
        incoterm namedPlace dispatchCountry
        goodsValue { amount currency } ${CHARGES} invoiceTotal { amount currency } ${WEIGHTS}
        hsLines { hsCode { digits formatted } countryOfOrigin quantity netWeightGrams value { amount currency } }
        metalDeclarations { metal fineness karat weightGrams }
        gemstoneDisclosures { type origin treatments displayName count totalCarat }
        systemOfWarrantiesStatement
        insurance { insurer policyNumber insuredAmount { amount currency } }
        minimumInsuredAmount { amount currency }
      }
      commercialInvoice {
        incoterm namedPlace terms dispatchCountry
        goodsTotal { amount currency } ${CHARGES} total { amount currency } ${WEIGHTS}
        systemOfWarrantiesStatement
        lines { lineNumber sku description hsCode { digits } countryOfOrigin quantity unitPrice { amount currency } lineTotal { amount currency } }
      }
      packingList { packageCount totalNetWeightKg totalGrossWeightKg lines { lineNumber sku quantity } ${WEIGHTS} }
    }
  }
`) as TypedDocumentNode<{ shipment: Pack | null }, { id: string }>;

/** A distributor of its own with a buyer, in the given currency. */
async function buyerIn(currency = "EUR", country = "FR") {
  const distributor = await createDistributor(facet.dataSource, { currency, country } as Partial<Distributor>);
  const buyer = await createUser(facet.dataSource, { distributor, role: UserRole.BUYER });
  return { distributor, tokens: { buyer: userToken(facet.config, buyer), manager: managerToken } };
}

interface Piece {
  product: ProductSpec;
  metalWeightGrams: string;
  price: string;
  quantity: number;
}

async function orderOf(currency: string, pieces: Piece[], incoterm: Incoterm = "DAP"): Promise<{ order: PlacedOrder; tokens: { buyer: string; manager: string } }> {
  const { distributor, tokens } = await buyerIn(currency, currency === "JPY" ? "JP" : "FR");
  const lines = [];
  for (const piece of pieces) {
    const variantId = await stockedVariant(facet, distributor, { product: piece.product, variant: { metalWeightGrams: piece.metalWeightGrams }, price: piece.price });
    lines.push({ variantId, quantity: piece.quantity });
  }
  return { order: await packedOrder(facet, tokens, lines, incoterm), tokens };
}

async function exportPack(shipmentId: string, token = managerToken): Promise<Pack> {
  return ok(await facet.gql(ExportPack, { id: shipmentId }, { token })).shipment!;
}

const diamond = (origin: StoneRow["origin"], count: number, totalCarat: string): StoneRow => ({ type: "DIAMOND" as StoneRow["type"], shape: "ROUND" as StoneRow["shape"], count, totalCarat, origin, treatments: [] });
const gold750 = { metal: "GOLD", fineness: 750, hsCode: "711319", countryOfOrigin: "IN" } as ProductSpec;
const gold585 = { metal: "GOLD", fineness: 585, hsCode: "711319", countryOfOrigin: "IN" } as ProductSpec;
const silver925 = { metal: "SILVER", fineness: 925, hsCode: "711311", countryOfOrigin: "IN" } as ProductSpec;

// Gold and silver, natural and lab-grown diamonds, a heated sapphire made in Thailand, vermeil.
const MIXED: Piece[] = [
  { product: { ...gold750, stones: [diamond("NATURAL" as StoneRow["origin"], 1, "0.50")] }, metalWeightGrams: "3.200", price: "1249.50", quantity: 2 },
  { product: { ...silver925, stones: [diamond("LAB_GROWN" as StoneRow["origin"], 3, "0.30")] }, metalWeightGrams: "4.500", price: "89.90", quantity: 5 },
  {
    product: {
      ...gold585,
      countryOfOrigin: "TH",
      stones: [{ type: "SAPPHIRE", shape: "OVAL", count: 2, totalCarat: "1.20", origin: "NATURAL", treatments: ["HEAT"] } as StoneRow],
    },
    metalWeightGrams: "2.100",
    price: "410.00",
    quantity: 3,
  },
  { product: { ...gold750, stones: [diamond("LAB_GROWN" as StoneRow["origin"], 1, "0.25")] }, metalWeightGrams: "1.500", price: "300.00", quantity: 1 },
  { product: { ...silver925, plating: "YELLOW_GOLD", platingThicknessMicrons: "2.500" } as ProductSpec, metalWeightGrams: "6.000", price: "55.55", quantity: 4 },
];

const sumOf = (amounts: string[]) => amounts.reduce((acc, a) => acc + toScaled(a), 0n);
const bySku = (lines: { sku: string; quantity: number }[]) =>
  Object.entries(lines.reduce<Record<string, number>>((acc, l) => ({ ...acc, [l.sku]: (acc[l.sku] ?? 0) + l.quantity }), {})).sort();

/**
 * What must hold for any shipment's export pack (docs/domain.md: "The customs declaration and export pack",
 * "Incoterms and insurance cover", "The System of Warranties statement").
 */
function expectInvariants(pack: Pack) {
  const { customsDeclaration: declaration, commercialInvoice: invoice, packingList } = pack;
  const currency = invoice.total.currency;
  for (const line of invoice.lines) {
    expect(toScaled(line.lineTotal.amount)).toBe(toScaled(line.unitPrice.amount) * BigInt(line.quantity));
    expect([line.unitPrice.currency, line.lineTotal.currency]).toEqual([currency, currency]);
  }
  // Line values add up to the goods total, and the declaration's HS lines to the same; the
  // charges the rule puts on the seller come on top, on invoice and declaration alike.
  expect(sumOf(invoice.lines.map((l) => l.lineTotal.amount))).toBe(toScaled(invoice.goodsTotal.amount));
  expect(declaration.goodsValue).toEqual(invoice.goodsTotal);
  expect(sumOf(declaration.hsLines.map((h) => h.value.amount))).toBe(toScaled(declaration.goodsValue.amount));
  expect(declaration.hsLines.every((h) => h.value.currency === currency)).toBe(true);
  const charges = [invoice.charges.freight, invoice.charges.insurance, invoice.charges.duties].filter((c): c is Amount => c !== null);
  expect(charges.every((c) => c.currency === currency)).toBe(true);
  expect(toScaled(invoice.goodsTotal.amount) + sumOf(charges.map((c) => c.amount))).toBe(toScaled(invoice.total.amount));
  expect(declaration.charges).toEqual(invoice.charges);
  expect(declaration.invoiceTotal).toEqual(invoice.total);
  expect(declaration.namedPlace).toBe(invoice.namedPlace);
  expect(invoice.terms).toBe(`${invoice.incoterm} ${invoice.namedPlace} Incoterms® 2020`);
  // One set of weights on all three documents; the goods' own is what the HS lines add up to,
  // and the declared net weight lies within 10% and 0.5 g a package of it.
  expect(invoice.weights).toEqual(packingList.weights);
  expect(declaration.weights).toEqual(packingList.weights);
  // Kilograms (up to 7 decimals: a ten-thousandth of a gram) in ten-thousandths of a gram, as toScaled gives grams.
  const grams = (kg: string) => {
    const [whole, fraction = ""] = kg.split(".");
    return BigInt(whole + fraction.padEnd(7, "0"));
  };
  expect(sumOf(declaration.hsLines.map((h) => h.netWeightGrams))).toBe(grams(packingList.weights.goodsNetWeightKg));
  expect([packingList.weights.netWeightKg, packingList.weights.grossWeightKg, packingList.weights.packageCount]).toEqual([packingList.totalNetWeightKg, packingList.totalGrossWeightKg, packingList.packageCount]);
  const goods = grams(packingList.weights.goodsNetWeightKg);
  const tolerance = goods / 10n + toScaled("0.5") * BigInt(packingList.packageCount);
  expect(grams(packingList.weights.netWeightKg) >= goods - tolerance && grams(packingList.weights.netWeightKg) <= goods + tolerance).toBe(true);
  // The packing list holds what the invoice bills, SKU by SKU, and so does the declaration.
  expect(bySku(packingList.lines)).toEqual(bySku(invoice.lines));
  const units = invoice.lines.reduce((n, l) => n + l.quantity, 0);
  expect(declaration.hsLines.reduce((n, h) => n + h.quantity, 0)).toBe(units);
  expect(toScaled(packingList.totalGrossWeightKg)).toBeGreaterThanOrEqual(toScaled(packingList.totalNetWeightKg));
  // The SoW statement appears exactly when natural diamonds travel, on invoice and declaration alike.
  const natural = declaration.gemstoneDisclosures.some((g) => g.type === "DIAMOND" && g.origin === "NATURAL");
  expect(declaration.systemOfWarrantiesStatement).toBe(natural ? WDC_SOW_STATEMENT : null);
  expect(invoice.systemOfWarrantiesStatement).toBe(declaration.systemOfWarrantiesStatement);
  // Under CIP and CIF the cover is at least 110% of the invoice total (goods, freight, insurance).
  if (["CIP", "CIF"].includes(declaration.incoterm)) {
    expect(declaration.insurance).not.toBeNull();
    expect(toScaled(declaration.minimumInsuredAmount!.amount) * 10n).toBeGreaterThanOrEqual(toScaled(declaration.invoiceTotal.amount) * 11n);
    expect(toScaled(declaration.insurance!.insuredAmount.amount)).toBeGreaterThanOrEqual(toScaled(declaration.minimumInsuredAmount!.amount));
  } else {
    expect(declaration.minimumInsuredAmount).toBeNull();
  }
}

const cover = (amount: string, currency: string) => ({ insurer: "Lloyd's Jewellers Block", policyNumber: "JB-2026-0417", insuredAmount: { amount, currency } }) as CreateShipmentInput["insurance"];

describe("the customs declaration, commercial invoice and packing list", () => {
  it("declare a shipment of gold and silver with natural and lab-grown stones", async () => {
    const { order, tokens } = await orderOf("EUR", MIXED, "CIP");
    // Under CIP the seller pays freight and the insurance premium to Dubai: the invoice is 4700.70
    // of goods + 150.00 + 15.50 = 4866.20, and 110% of it 5352.82: a cent less is refused.
    const terms = { namedPlace: "Dubai (DXB), United Arab Emirates", charges: { freight: eur("150.00"), insurance: eur("15.50") } };
    // 61.97 g of goods in two parcels of 31 g each.
    const packages = [parcel({ count: 2, netWeightKg: "0.031", grossWeightKg: "0.800" })];
    const short = ok(await facet.gql(ShipCreateDocument, { input: shipmentInput(order.id, { ...terms, packages, insurance: cover("5352.81", "EUR") }) }, { token: managerToken })).createShipment;
    expect(short.userErrors.map((e) => e.code)).toEqual(["OUT_OF_RANGE"]);
    const shipment = await createShipment(facet, managerToken, shipmentInput(order.id, { ...terms, packages, insurance: cover("5352.82", "EUR") }));
    const pack = await exportPack(shipment.id, tokens.buyer);
    expectInvariants(pack);
    const { customsDeclaration: declaration, commercialInvoice: invoice } = pack;

    expect(declaration.incoterm).toBe("CIP");
    expect(declaration.goodsValue).toEqual({ amount: "4700.70", currency: "EUR" });
    expect(declaration.charges).toEqual({ freight: { amount: "150.00", currency: "EUR" }, insurance: { amount: "15.50", currency: "EUR" }, duties: null });
    expect(declaration.invoiceTotal).toEqual({ amount: "4866.20", currency: "EUR" });
    expect(declaration.dispatchCountry).toBe("IN");
    expect(declaration.hsLines).toEqual([
      { hsCode: { digits: "711311", formatted: "7113.11" }, countryOfOrigin: "IN", quantity: 9, netWeightGrams: "46.8", value: { amount: "671.70", currency: "EUR" } },
      { hsCode: { digits: "711319", formatted: "7113.19" }, countryOfOrigin: "IN", quantity: 3, netWeightGrams: "8.15", value: { amount: "2799.00", currency: "EUR" } },
      { hsCode: { digits: "711319", formatted: "7113.19" }, countryOfOrigin: "TH", quantity: 3, netWeightGrams: "7.02", value: { amount: "1230.00", currency: "EUR" } },
    ]);
    const byMetal = (m: { metal: string; fineness?: number | null }) => `${m.metal}${m.fineness}`;
    expect([...declaration.metalDeclarations].sort((x, y) => byMetal(x).localeCompare(byMetal(y)))).toEqual([
      { metal: "GOLD", fineness: 585, karat: 14, weightGrams: "6.3" },
      { metal: "GOLD", fineness: 750, karat: 18, weightGrams: "7.9" },
      { metal: "SILVER", fineness: 925, karat: null, weightGrams: "46.5" },
    ]);
    expect([...declaration.gemstoneDisclosures].sort((x, y) => x.displayName.localeCompare(y.displayName))).toEqual([
      { type: "DIAMOND", origin: "NATURAL", treatments: [], displayName: "diamond", count: 2, totalCarat: "1" },
      { type: "DIAMOND", origin: "LAB_GROWN", treatments: [], displayName: "lab-grown diamond", count: 16, totalCarat: "1.75" },
      { type: "SAPPHIRE", origin: "NATURAL", treatments: ["HEAT"], displayName: "sapphire", count: 6, totalCarat: "3.6" },
    ]);
    expect(declaration.systemOfWarrantiesStatement).toBe(WDC_SOW_STATEMENT);
    expect(declaration.insurance).toEqual({ insurer: "Lloyd's Jewellers Block", policyNumber: "JB-2026-0417", insuredAmount: { amount: "5352.82", currency: "EUR" } });
    expect(declaration.minimumInsuredAmount).toEqual({ amount: "5352.82", currency: "EUR" });

    expect(invoice.goodsTotal).toEqual({ amount: "4700.70", currency: "EUR" });
    expect(invoice.total).toEqual({ amount: "4866.20", currency: "EUR" });
    expect(invoice.terms).toBe("CIP Dubai (DXB), United Arab Emirates Incoterms® 2020");
    expect(invoice.lines.map((l) => [l.lineNumber, l.sku, l.hsCode.digits, l.countryOfOrigin, l.quantity, l.unitPrice.amount, l.lineTotal.amount])).toEqual([
      [1, order.lines[0].sku, "711319", "IN", 2, "1249.50", "2499.00"],
      [2, order.lines[1].sku, "711311", "IN", 5, "89.90", "449.50"],
      [3, order.lines[2].sku, "711319", "TH", 3, "410.00", "1230.00"],
      [4, order.lines[3].sku, "711319", "IN", 1, "300.00", "300.00"],
      [5, order.lines[4].sku, "711311", "IN", 4, "55.55", "222.20"],
    ]);
    expect(pack.packingList).toMatchObject({ packageCount: 2, totalNetWeightKg: "0.062", totalGrossWeightKg: "1.6" });
    expect(pack.packingList.weights).toEqual({ packageCount: 2, netWeightKg: "0.062", grossWeightKg: "1.6", goodsNetWeightKg: "0.06197", goodsNetWeightComplete: true });
  });

  it("carry the SoW statement only on the part of an order with natural diamonds, and split its value exactly", async () => {
    const { order } = await orderOf("EUR", MIXED);
    // 39.23 g and 22.74 g of goods.
    const labGrown = await createShipment(
      facet,
      managerToken,
      shipmentInput(order.id, { lines: [{ lineNumber: 2, quantity: 3 }, { lineNumber: 4 }, { lineNumber: 5 }], packages: [parcel({ netWeightKg: "0.039" })] }),
    );
    const rest = await createShipment(facet, managerToken, shipmentInput(order.id, { packages: [parcel({ netWeightKg: "0.023" })] }));
    const [first, second] = [await exportPack(labGrown.id), await exportPack(rest.id)];
    expectInvariants(first);
    expectInvariants(second);

    expect(first.customsDeclaration.systemOfWarrantiesStatement).toBeNull();
    expect(first.customsDeclaration.gemstoneDisclosures.map((g) => [g.displayName, g.count, g.totalCarat])).toEqual([["lab-grown diamond", 10, "1.15"]]);
    expect(first.commercialInvoice.lines.map((l) => [l.lineNumber, l.quantity, l.lineTotal.amount])).toEqual([
      [2, 3, "269.70"],
      [4, 1, "300.00"],
      [5, 4, "222.20"],
    ]);
    expect(second.customsDeclaration.systemOfWarrantiesStatement).toBe(WDC_SOW_STATEMENT);
    expect(second.commercialInvoice.lines.map((l) => [l.lineNumber, l.quantity, l.lineTotal.amount])).toEqual([
      [1, 2, "2499.00"],
      [2, 2, "179.80"],
      [3, 3, "1230.00"],
    ]);
    // The two shipments bill the order's goods, to the cent, each with its own freight.
    expect(toScaled(first.commercialInvoice.goodsTotal.amount) + toScaled(second.commercialInvoice.goodsTotal.amount)).toBe(toScaled(order.total.amount));
    expect([first.commercialInvoice.charges.freight, second.commercialInvoice.charges.freight]).toEqual([eur("40.00"), eur("40.00")]);
  });

  it("declare base metals without a fineness and simulants as simulated", async () => {
    const { order } = await orderOf("EUR", [
      {
        product: { metal: "BRASS", fineness: null, hsCode: "711719", countryOfOrigin: "IN", stones: [{ type: "CUBIC_ZIRCONIA", shape: "ROUND", count: 12, totalCarat: "0.60", origin: "SIMULANT", treatments: [] } as StoneRow] } as ProductSpec,
        metalWeightGrams: "8.000",
        price: "12.40",
        quantity: 10,
      },
      { product: { metal: "STAINLESS_STEEL", fineness: null, hsCode: "711719", countryOfOrigin: "CN" } as ProductSpec, metalWeightGrams: "15.250", price: "7.10", quantity: 7 },
      { product: { metal: "PLATINUM", fineness: 950, hsCode: "7113.19.50.00".replace(/\./g, ""), countryOfOrigin: "IN" } as ProductSpec, metalWeightGrams: "5.500", price: "980.00", quantity: 1 },
    ]);
    // 81.2 + 106.75 + 5.5 = 193.45 g of goods.
    const shipment = await createShipment(facet, managerToken, shipmentInput(order.id, { packages: [parcel({ netWeightKg: "0.193" })] }));
    const pack = await exportPack(shipment.id);
    expectInvariants(pack);
    const { customsDeclaration: declaration } = pack;
    expect(declaration.hsLines.map((h) => [h.hsCode.formatted, h.countryOfOrigin, h.quantity, h.netWeightGrams, h.value.amount])).toEqual([
      ["7113.19.50.00", "IN", 1, "5.5", "980.00"],
      ["7117.19", "CN", 7, "106.75", "49.70"],
      ["7117.19", "IN", 10, "81.2", "124.00"],
    ]);
    expect(declaration.metalDeclarations).toEqual([
      { metal: "BRASS", fineness: null, karat: null, weightGrams: "80" },
      { metal: "STAINLESS_STEEL", fineness: null, karat: null, weightGrams: "106.75" },
      { metal: "PLATINUM", fineness: 950, karat: null, weightGrams: "5.5" },
    ]);
    expect(declaration.gemstoneDisclosures).toEqual([
      // Cubic zirconia is itself the simulant: named as itself (docs/domain.md, "Stones: disclosure (FTC Jewelry Guides)").
      { type: "CUBIC_ZIRCONIA", origin: "SIMULANT", treatments: [], displayName: "cubic zirconia", count: 120, totalCarat: "6" },
    ]);
    expect(declaration.systemOfWarrantiesStatement).toBeNull();
    expect(declaration.insurance).toBeNull();
  });

  it("round the least CIP cover up to the currency's smallest unit", async () => {
    const { order } = await orderOf(
      "JPY",
      [
        { product: { ...gold750, stones: [diamond("NATURAL" as StoneRow["origin"], 5, "0.55")] }, metalWeightGrams: "2.750", price: "12345", quantity: 1 },
        { product: { ...silver925 }, metalWeightGrams: "3.000", price: "4800", quantity: 2 },
      ],
      "CIP",
    );
    // Goods of 21945, freight 3000 and a premium of 150 (yen have no decimals): 110% of 25095 is
    // 27604.5, so the cover must reach 27605. 8.86 g of goods.
    const yen = (amount: string) => ({ amount, currency: "JPY" as const });
    const terms = { namedPlace: "Tokyo (NRT), Japan", charges: { freight: yen("3000"), insurance: yen("150") }, packages: [parcel({ netWeightKg: "0.009" })] };
    const short = ok(await facet.gql(ShipCreateDocument, { input: shipmentInput(order.id, { ...terms, insurance: cover("27604", "JPY") }) }, { token: managerToken })).createShipment;
    expect(short.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "insurance", "insuredAmount", "amount"], "OUT_OF_RANGE"]]);
    const fraction = ok(await facet.gql(ShipCreateDocument, { input: shipmentInput(order.id, { ...terms, insurance: cover("27605.5", "JPY") }) }, { token: managerToken })).createShipment;
    expect(fraction.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "insurance", "insuredAmount", "amount"], "INVALID"]]);
    const shipment = await createShipment(facet, managerToken, shipmentInput(order.id, { ...terms, insurance: cover("27605", "JPY") }));
    const pack = await exportPack(shipment.id);
    expectInvariants(pack);
    expect(pack.customsDeclaration).toMatchObject({
      incoterm: "CIP",
      goodsValue: { amount: "21945", currency: "JPY" },
      charges: { freight: { amount: "3000", currency: "JPY" }, insurance: { amount: "150", currency: "JPY" }, duties: null },
      invoiceTotal: { amount: "25095", currency: "JPY" },
      minimumInsuredAmount: { amount: "27605", currency: "JPY" },
      insurance: { insuredAmount: { amount: "27605", currency: "JPY" } },
      systemOfWarrantiesStatement: WDC_SOW_STATEMENT,
    });
    expect(pack.commercialInvoice.lines.map((l) => [l.unitPrice.amount, l.lineTotal.amount])).toEqual([
      ["12345", "12345"],
      ["4800", "9600"],
    ]);
  });
});
