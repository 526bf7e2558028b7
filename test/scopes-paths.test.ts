import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { ApiScope } from "../src/core/access";
import { clientToken, createApiClient } from "./support/factories";
import { deliveredShipment, shipmentId } from "./support/feedback-factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, tenant, type Tenant } from "./support/orders-factories";

// A scope reads its domain however the data is reached. An object field that leads into another
// domain's type (an order line's variant, a report's shipment) is checked against that type's
// readers, as its root queries are: a client without the scope gets null there, with a FORBIDDEN
// error on that field, and the rest of the response stands. test/access.test.ts walks the schema
// for every such field; these follow a few paths end to end.

let facet: TestFacet;
let a: Tenant;

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
});
afterAll(() => facet.stop());

async function client(...scopes: ApiScope[]): Promise<string> {
  return clientToken(facet.config, (await createApiClient(facet.dataSource, a.distributor, { scopes })).client);
}

const refusals = (result: GraphQLResult<unknown>) => (result.errors ?? []).map((e) => [e.path, e.extensions?.code]);

interface LineRead {
  sku: string;
  quantity: number;
  variant: { sku: string; price: { amount: string; currency: string } | null; availability: { available: number } } | null;
}

const OrderLines = parse(`
  query ScopesOrderLines($id: ID!) {
    order(id: $id) { id lines { sku quantity variant { sku price { amount currency } availability { available } } } }
  }
`) as TypedDocumentNode<{ order: { id: string; lines: LineRead[] } | null }, { id: string }>;

const OrderPage = parse(`
  query ScopesOrderPage { orders(first: 5) { nodes { lines { variant { sku price { amount } } } } } }
`) as TypedDocumentNode<{ orders: { nodes: { lines: { variant: { sku: string } | null }[] }[] } | null }, Record<string, never>>;

const ShipmentOrderLines = parse(`
  query ScopesShipmentLines($id: ID!) { shipment(id: $id) { id order { number lines { sku variant { sku price { amount } } } } } }
`) as TypedDocumentNode<{ shipment: { id: string; order: { number: string; lines: { sku: string; variant: { sku: string } | null }[] } | null } | null }, { id: string }>;

const Report = parse(`
  mutation ScopesReport($input: SubmitShipmentFeedbackInput!) {
    submitShipmentFeedback(input: $input) { feedback { rating shipment { id status } } userErrors { field code } }
  }
`) as TypedDocumentNode<
  { submitShipmentFeedback: { feedback: { rating: number; shipment: { id: string; status: string } | null } | null; userErrors: unknown[] } },
  { input: { shipmentId: string; rating: number; condition: string } }
>;

describe("an order's lines and the catalog", () => {
  let orderId: string;
  let skus: string[];
  beforeAll(async () => {
    const ring = await sellable(facet.dataSource, { variant: { onHand: 50 }, prices: [[a.distributor, "120.00"]] });
    const chain = await sellable(facet.dataSource, { variant: { onHand: 50 }, prices: [[a.distributor, "80.00"]] });
    const { placeOrder } = ok(
      await facet.gql(
        parse(`mutation ScopesPlace($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code } } }`) as TypedDocumentNode<
          { placeOrder: { order: { id: string } | null; userErrors: unknown[] } },
          { input: ReturnType<typeof orderInput> }
        >,
        { input: orderInput([line(ring.id, 2), line(chain.id, 1)]) },
        { token: a.buyer.token },
      ),
    );
    expect(placeOrder.userErrors).toEqual([]);
    orderId = placeOrder.order!.id;
    skus = [ring.variant.sku, chain.variant.sku];
  });

  it("refuses the variant, with its price and availability, to a client with orders:read only; the lines stand", async () => {
    const result = await facet.gql(OrderLines, { id: orderId }, { token: await client(ApiScope.ORDERS_READ) });
    expect(result.data?.order?.lines).toEqual([
      { sku: skus[0], quantity: 2, variant: null },
      { sku: skus[1], quantity: 1, variant: null },
    ]);
    expect(refusals(result)).toEqual([
      [["order", "lines", 0, "variant"], "FORBIDDEN"],
      [["order", "lines", 1, "variant"], "FORBIDDEN"],
    ]);
  });

  it("refuses it on every order of a page too", async () => {
    const result = await facet.gql(OrderPage, {}, { token: await client(ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE) });
    const lines = result.data!.orders!.nodes.flatMap((o) => o.lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.variant === null)).toBe(true);
    expect(new Set(refusals(result).map(([, code]) => code))).toEqual(new Set(["FORBIDDEN"]));
    expect(refusals(result)).toHaveLength(lines.length);
  });

  it("gives it to a client with orders:read and catalog:read, and to the distributor's people", async () => {
    for (const token of [await client(ApiScope.ORDERS_READ, ApiScope.CATALOG_READ), a.buyer.token]) {
      const order = ok(await facet.gql(OrderLines, { id: orderId }, { token })).order!;
      expect(order.lines.map((l) => l.variant)).toEqual([
        { sku: skus[0], price: { amount: "120.00", currency: "EUR" }, availability: { available: 48 } },
        { sku: skus[1], price: { amount: "80.00", currency: "EUR" }, availability: { available: 49 } },
      ]);
    }
  });
});

describe("a shipment's order and its lines", () => {
  it("give a client the order only with orders:read, and its variants only with catalog:read as well", async () => {
    const { shipment } = await deliveredShipment(facet.dataSource, a.distributor, 2);
    const id = shipmentId(shipment);

    const shipmentsOnly = await facet.gql(ShipmentOrderLines, { id }, { token: await client(ApiScope.SHIPMENTS_READ) });
    expect(shipmentsOnly.data?.shipment).toEqual({ id, order: null });
    expect(refusals(shipmentsOnly)).toEqual([[["shipment", "order"], "FORBIDDEN"]]);

    const withOrders = await facet.gql(ShipmentOrderLines, { id }, { token: await client(ApiScope.SHIPMENTS_READ, ApiScope.ORDERS_READ) });
    expect(withOrders.data?.shipment?.order?.lines.map((l) => l.variant)).toEqual([null, null]);
    expect(refusals(withOrders)).toEqual([
      [["shipment", "order", "lines", 0, "variant"], "FORBIDDEN"],
      [["shipment", "order", "lines", 1, "variant"], "FORBIDDEN"],
    ]);

    const all = ok(await facet.gql(ShipmentOrderLines, { id }, { token: await client(ApiScope.SHIPMENTS_READ, ApiScope.ORDERS_READ, ApiScope.CATALOG_READ) }));
    expect(all.shipment!.order!.lines.every((l) => l.variant !== null)).toBe(true);
  });
});

describe("a report and the shipment it is about", () => {
  it("shows a client that may only report its report, but not the shipment; shipments:read shows that too", async () => {
    const first = await deliveredShipment(facet.dataSource, a.distributor, 1);
    const writeOnly = await facet.gql(Report, { input: { shipmentId: shipmentId(first.shipment), rating: 4, condition: "PRISTINE" } }, { token: await client(ApiScope.FEEDBACK_WRITE) });
    expect(writeOnly.data?.submitShipmentFeedback).toEqual({ feedback: { rating: 4, shipment: null }, userErrors: [] });
    expect(refusals(writeOnly)).toEqual([[["submitShipmentFeedback", "feedback", "shipment"], "FORBIDDEN"]]);

    const second = await deliveredShipment(facet.dataSource, a.distributor, 1);
    const reader = ok(
      await facet.gql(Report, { input: { shipmentId: shipmentId(second.shipment), rating: 5, condition: "PRISTINE" } }, { token: await client(ApiScope.FEEDBACK_WRITE, ApiScope.SHIPMENTS_READ) }),
    );
    expect(reader.submitShipmentFeedback.feedback).toEqual({ rating: 5, shipment: { id: shipmentId(second.shipment), status: "DELIVERED" } });
  });
});
