import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { Plating } from "../src/modules/catalog/catalog.enums";
import { unique } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { sellable, staff, tenant, type Tenant } from "./support/orders-factories";

// importOrderLines: order lines read from CSV, for previewOrder and placeOrder.

let facet: TestFacet;
let a: Tenant;

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
});
afterAll(() => facet.stop());

type UserErrorOut = { field: string[] | null; message: string; code: string };
type Customization = { size: string | null; plating: string | null; stone: string | null; branding: string | null; engraving: string | null };
type Imported = { lines: { sku: string; quantity: number; customization: Customization | null; row: number }[]; rowErrors: { row: number; column: string | null; message: string; code: string }[]; userErrors: UserErrorOut[] };

const IMPORT = `query Import($input: ImportOrderLinesInput!) {
  importOrderLines(input: $input) {
    lines { sku quantity customization { size plating stone branding engraving } row }
    rowErrors { row column message code }
    userErrors { field message code }
  }
}`;
// What a client passes on: the fields of OrderLineInput, and nothing else.
const IMPORT_LINES = `query ImportLines($input: ImportOrderLinesInput!) { importOrderLines(input: $input) { lines { sku quantity customization { size plating stone branding engraving } } rowErrors { row } } }`;

function run<T>(source: string, variables: Record<string, unknown>, token: string = a.buyer.token): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}
const read = async (csv: string) => ok(await run<{ importOrderLines: Imported }>(IMPORT, { input: { csv } })).importOrderLines;
const errorsOf = (r: Imported) => r.rowErrors.map((e) => [e.row, e.column, e.code]);
const NONE: Customization = { size: null, plating: null, stone: null, branding: null, engraving: null };

describe("importOrderLines", () => {
  it("reads 500 rows, in row order", async () => {
    const csv = ["SKU,Quantity", ...Array.from({ length: 500 }, (_, i) => `RING-${String(i).padStart(4, "0")},${i + 1}`)].join("\n");
    const r = await read(csv);
    expect(r.userErrors).toEqual([]);
    expect(r.rowErrors).toEqual([]);
    expect(r.lines).toHaveLength(500);
    expect(r.lines[0]).toEqual({ sku: "RING-0000", quantity: 1, customization: null, row: 2 });
    expect(r.lines[499]).toEqual({ sku: "RING-0499", quantity: 500, customization: null, row: 501 });
  });

  it("refuses a 501st row, and more than 256 KB, naming the CSV", async () => {
    const rows = (n: number) => ["sku,quantity", ...Array.from({ length: n }, (_, i) => `RING-${i},1`)].join("\n");
    const r = await read(rows(501));
    expect(r.lines).toEqual([]);
    expect(r.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "csv"], "TOO_LONG"]]);
    expect(errorsOf(r)).toEqual([[502, null, "TOO_LONG"]]);

    // Within 500 rows, but each engraving long: past 256 KB.
    const big = ["sku,quantity,engraving", ...Array.from({ length: 400 }, (_, i) => `RING-${i},1,"${"x".repeat(700)}"`)].join("\n");
    expect(Buffer.byteLength(big)).toBeGreaterThan(256 * 1024);
    const tooBig = await read(big);
    expect(tooBig).toMatchObject({ lines: [], rowErrors: [] });
    expect(tooBig.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "csv"], "TOO_LONG"]]);
  });

  it("reads every customization column, any header case, quoted fields holding separators, quotes and line breaks, a BOM and CRLF", async () => {
    const csv = '\uFEFF Sku ,QUANTITY,Size,Plating,Stone,Branding,Engraving\r\nring-1,2,EU 55.5,rose gold,ruby,"Maison, Paris","A ""&"" J"\r\n"RING-2",3,,,,,"line one\r\nline two"\r\n';
    const r = await read(csv);
    expect(r.rowErrors).toEqual([]);
    expect(r.lines).toEqual([
      { sku: "RING-1", quantity: 2, customization: { size: "EU 55.5", plating: "ROSE_GOLD", stone: "RUBY", branding: "Maison, Paris", engraving: 'A "&" J' }, row: 2 },
      { sku: "RING-2", quantity: 3, customization: { ...NONE, engraving: "line one\r\nline two" }, row: 3 },
    ]);
  });

  it("takes semicolon-separated files, skips blank rows and counts them in row numbers", async () => {
    const r = await read("sku;quantity;engraving\n\nRING-1;2;A, J\n;;\nRING-2;1;\n");
    expect(r.rowErrors).toEqual([]);
    expect(r.lines.map((l) => [l.row, l.sku, l.quantity, l.customization?.engraving ?? null])).toEqual([
      [3, "RING-1", 2, "A, J"],
      [5, "RING-2", 1, null],
    ]);
  });

  it("reports each bad row with its row and column, and reads the good ones", async () => {
    const csv = [
      "sku,quantity,plating,stone,engraving",
      "RING-1,1,,,", // 2: fine
      ",2,,,", // 3: no SKU
      "RING-3,abc,,,", // 4: not a number
      "RING-4,0,,,", // 5: zero
      "RING-5,1.5,,,", // 6: a fraction
      "RING-6,100001,,,", // 7: above the limit
      "RING-7,,,,", // 8: no quantity
      "RING-8,1,gilded,,", // 9: no such plating
      "RING-9,1,,glass,", // 10: no such stone
      "RING-10,1,,,\u0007", // 11: a control character
      "RING-11,1", // 12: too few fields
      "RING-12,1,,,,extra", // 13: too many fields
      "ring-1,4,,,", // 14: row 2 again
      "RING-1,1,,,A & J", // 15: same SKU, another engraving: a line of its own
      `${"X".repeat(41)},1,,,`, // 16: SKU too long
      "RING-16,0,gilded,,", // 17: two problems
    ].join("\n");
    const r = await read(csv);
    expect(r.userErrors).toEqual([]);
    expect(errorsOf(r)).toEqual([
      [3, "sku", "REQUIRED"],
      [4, "quantity", "INVALID"],
      [5, "quantity", "OUT_OF_RANGE"],
      [6, "quantity", "INVALID"],
      [7, "quantity", "OUT_OF_RANGE"],
      [8, "quantity", "REQUIRED"],
      [9, "plating", "INVALID"],
      [10, "stone", "INVALID"],
      [11, "engraving", "INVALID"],
      [12, null, "INVALID"],
      [13, null, "INVALID"],
      [14, "sku", "TAKEN"],
      [16, "sku", "TOO_LONG"],
      [17, "quantity", "OUT_OF_RANGE"],
      [17, "plating", "INVALID"],
    ]);
    for (const e of r.rowErrors) expect(e.message.length).toBeGreaterThan(0);
    expect(r.rowErrors.find((e) => e.row === 14)!.message).toContain("row 2");
    expect(r.lines.map((l) => [l.row, l.sku, l.quantity, l.customization?.engraving ?? null])).toEqual([
      [2, "RING-1", 1, null],
      [15, "RING-1", 1, "A & J"],
    ]);
  });

  it("reports unknown columns once, on the header, and a header without sku or quantity, giving no lines", async () => {
    const unknown = await read("sku,quantity,colour,notes\nRING-1,1,red,x\n");
    expect(errorsOf(unknown)).toEqual([[1, null, "INVALID"]]);
    expect(unknown.rowErrors[0].message).toContain('"colour", "notes"');
    expect(unknown.lines).toEqual([]);
    expect(errorsOf(await read("sku,quantity,colour\nRING-1,1,red\n"))).toEqual([[1, "colour", "INVALID"]]);
    const missing = await read("article,quantity\nRING-1,1\n");
    expect(errorsOf(missing)).toEqual([
      [1, "article", "INVALID"],
      [1, "sku", "REQUIRED"],
    ]);
    expect(missing.lines).toEqual([]);
    expect(errorsOf(await read("sku,quantity,quantity\nRING-1,1,2\n"))).toEqual([[1, "quantity", "TAKEN"]]);
  });

  it("refuses an empty CSV, a header alone and broken quoting, naming the CSV", async () => {
    for (const [csv, code] of [
      ["", "REQUIRED"],
      ["\n\n", "REQUIRED"],
      ["sku,quantity\n", "REQUIRED"],
      ['sku,quantity\n"RING-1,1\n', "INVALID"],
      ['sku,quantity\n"RING-1"x,1\n', "INVALID"],
    ] as const) {
      const r = await read(csv);
      expect([r.lines, r.rowErrors, r.userErrors.map((e) => [e.field, e.code])]).toEqual([[], [], [[["input", "csv"], code]]]);
    }
  });

  it("gives lines that previewOrder and placeOrder take as they are", async () => {
    const ring = await sellable(facet.dataSource, {
      product: { customizationOptions: { platingOffers: [{ type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.250" }], engravingMaxLength: 10 } },
      variant: { onHand: 20 },
      prices: [[a.distributor, "12.00"]],
    });
    const chain = await sellable(facet.dataSource, { variant: { onHand: 20 }, prices: [[a.distributor, "3.50"]] });
    const csv = `sku,quantity,plating,engraving\n${ring.variant.sku.toLowerCase()},2,Rhodium,A & J\n${chain.variant.sku},4,,\n`;
    const { lines, rowErrors } = ok(await run<{ importOrderLines: { lines: Record<string, unknown>[]; rowErrors: unknown[] } }>(IMPORT_LINES, { input: { csv } })).importOrderLines;
    expect(rowErrors).toEqual([]);
    const input = { idempotencyKey: randomUUID(), buyerReference: unique("PO").slice(0, 35), lines };

    const preview = ok(await run<{ previewOrder: { valid: boolean; total: { amount: string } } }>(`query ($input: PlaceOrderInput!) { previewOrder(input: $input) { valid total { amount } } }`, { input })).previewOrder;
    expect(preview).toEqual({ valid: true, total: { amount: "38.00" } });
    const placed = ok(
      await run<{ placeOrder: { order: { total: { amount: string }; lines: { sku: string; quantity: number; customization: Customization }[] } | null; userErrors: unknown[] } }>(
        `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { total { amount } lines { sku quantity customization { plating engraving } } } userErrors { field code } } }`,
        { input },
      ),
    ).placeOrder;
    expect(placed.userErrors).toEqual([]);
    expect(placed.order).toEqual({
      total: { amount: "38.00" },
      lines: [
        { sku: ring.variant.sku, quantity: 2, customization: { plating: "RHODIUM", engraving: "A & J" } },
        { sku: chain.variant.sku, quantity: 4, customization: { plating: null, engraving: null } },
      ],
    });
  });

  it("takes a 500-row CSV over HTTP, within the request body limit", async () => {
    const csv = ["sku,quantity,engraving", ...Array.from({ length: 500 }, (_, i) => `FACET-RING-${String(i).padStart(5, "0")}-54,${i + 1},"A & J ${i}"`)].join("\r\n");
    const body = JSON.stringify({ query: IMPORT, variables: { input: { csv } } });
    expect(Buffer.byteLength(body)).toBeLessThan(facet.config.bodyLimitBytes);
    const response = await fetch(await facet.url("/graphql"), { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${a.buyer.token}` }, body });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { importOrderLines: Imported } };
    expect(data.importOrderLines.lines).toHaveLength(500);
    expect(data.importOrderLines.rowErrors).toEqual([]);
  });

  it("is for those who may place orders", async () => {
    const people = await staff(facet.dataSource, facet.config);
    for (const token of [people.manager.token, people.support.token, a.erpWith("orders:read", "catalog:read")]) {
      expect(errorCodes(await run(IMPORT, { input: { csv: "sku,quantity\nRING-1,1" } }, token))).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await facet.gql(parse(IMPORT) as TypedDocumentNode<unknown, Record<string, unknown>>, { input: { csv: "sku,quantity\nRING-1,1" } }))).toEqual(["UNAUTHENTICATED"]);
    expect(ok(await run<{ importOrderLines: Imported }>(IMPORT, { input: { csv: "sku,quantity\nRING-1,1" } }, a.erpWith("orders:write"))).importOrderLines.lines).toHaveLength(1);
  });
});
