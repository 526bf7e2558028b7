import { OrderLine } from "../src/modules/orders/order.entity";
import { rowsOf } from "../src/db/rows";
import { fromGlobalId } from "../src/graphql/node";
import { projectionFrom } from "../src/db/projection";
import { ProjectionCatalogPageDocument, ProjectionOrderLinesInFullDocument, ProjectionOrderSkusDocument, PlaceOrderDocument } from "./generated/graphql";
import { createProduct, createVariant } from "./support/catalog-factories";
import { unique } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, tenant, type Tenant } from "./support/orders-factories";

// Pages and loaders select the columns that the response reads, worked out from the query
// (src/graphql/projection.ts); a row read so throws on a column it left out.
let facet: TestFacet;
let buyer: Tenant;
let orderId: string;

beforeAll(async () => {
  facet = await startFacet();
  buyer = await tenant(facet.dataSource, facet.config);
  const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[buyer.distributor, "12.50"]] });
  const placed = ok(await facet.gql(PlaceOrderDocument, { input: orderInput([line(item.id, 3)]) }, { token: buyer.buyer.token })).placeOrder;
  expect(placed.userErrors).toEqual([]);
  orderId = fromGlobalId(placed.order!.id)!.id;
});

afterAll(() => facet.stop());

/** The statements an operation sends, by the table each reads from. */
async function recorded(run: () => Promise<unknown>): Promise<Map<string, string[]>> {
  const byTable = new Map<string, string[]>();
  for (const { query } of await facet.statements.during(run)) {
    const table = /\bFROM "?(\w+)"?/i.exec(query)?.[1];
    if (table) byTable.set(table, [...(byTable.get(table) ?? []), query]);
  }
  return byTable;
}

describe("an order page", () => {
  it("selects the orders' and lines' columns that the response reads, and answers as in full", async () => {
    let skus: unknown;
    const statements = await recorded(async () => {
      skus = ok(await facet.gql(ProjectionOrderSkusDocument, { first: 5 }, { token: buyer.buyer.token })).orders!.nodes;
    });
    const [orders] = statements.get("orders")!;
    expect(orders).toContain('"o"."number"');
    expect(orders).toContain('"o"."currency"'); // for the unit price
    expect(orders).not.toContain("buyer_reference");
    const [lines] = statements.get("order_lines")!;
    expect(lines).toContain('"sku"');
    expect(lines).toContain('"unit_price"');
    for (const unread of ["description", "batch_allocations", "customization", "line_total"]) expect(lines).not.toContain(unread);

    let full: { number: string; lines: { sku: string; quantity: number; madeToOrder: number; customization: { engraving?: string | null } }[] }[] = [];
    const fullStatements = await recorded(async () => {
      full = ok(await facet.gql(ProjectionOrderLinesInFullDocument, { first: 5 }, { token: buyer.buyer.token })).orders!.nodes;
    });
    for (const read of ["description", "customization", "line_total", "from_stock"]) expect(fullStatements.get("order_lines")![0]).toContain(read);
    expect(fullStatements.get("orders")![0]).toContain("buyer_reference");
    expect(full).toHaveLength(1);
    expect(full[0].lines[0]).toMatchObject({ quantity: 3, madeToOrder: 0, customization: { engraving: null } });
    expect(skus).toEqual([{ number: full[0].number, lines: [{ sku: full[0].lines[0].sku, unitPrice: { amount: "12.50", currency: buyer.distributor.currency } }] }]);
  });
});

describe("a catalog page", () => {
  it("reads its products once, with the columns its variants' availability needs", async () => {
    const styleCode = unique("PJ").toUpperCase();
    const product = await createProduct(facet.dataSource, { styleCode, discontinued: true, standardLeadTimeDays: 17 });
    await createVariant(facet.dataSource, product, { onHand: 4 });
    let nodes: unknown;
    const statements = await recorded(async () => {
      nodes = ok(await facet.gql(ProjectionCatalogPageDocument, { search: styleCode }, { token: buyer.buyer.token })).products!.nodes;
    });
    expect(nodes).toEqual([{ styleCode, variants: [{ sku: expect.any(String), availability: { available: 4, status: "DISCONTINUED", leadTimeDays: 17 } }] }]);
    const products = statements.get("products")!;
    expect(products).toHaveLength(1);
    for (const unread of ["stones", "images", "customization_options", "description"]) expect(products[0]).not.toContain(unread);
    expect(statements.get("variants")![0]).not.toContain("metal_weight_grams");
  });
});

describe("a row read with a projection", () => {
  it("holds the projection's columns, throws on another, and takes a value written to it", async () => {
    const [row] = await rowsOf(
      facet.dataSource.manager,
      OrderLine,
      facet.dataSource.manager.createQueryBuilder(OrderLine, "l").where("l.orderId = :orderId", { orderId }),
      projectionFrom(["id", "orderId", "sku"]),
    );
    expect(row).toBeInstanceOf(OrderLine);
    expect(typeof row.sku).toBe("string");
    expect(() => row.description).toThrow("OrderLine.description was not selected");
    row.description = "written";
    expect(row.description).toBe("written");
    expect(Object.keys(row).sort()).toEqual(["description", "id", "orderId", "sku"]);
  });
});
