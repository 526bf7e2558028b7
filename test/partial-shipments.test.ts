import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parse, validate } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { idOfType, toGlobalId } from "../src/graphql/node";
import { buildFacetSchema } from "../src/server/schema";
import { userToken } from "./support/factories";
import { createBatch, dateFromToday } from "./support/catalog-factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";
import { sellable, staff, tenant, type Tenant } from "./support/orders-factories";

// Ship what is ready (docs/domain.md, "Partial shipments"): a confirmed order ships its lines from
// stock while its made-to-order line is being made, its status follows its lines
// (PARTIALLY_SHIPPED, then SHIPPED, then DELIVERED), and a line ships only when it is ready.
// Operations are written out here, as a client would send them.

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let manager: string;

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config);
  b = await tenant(facet.dataSource, facet.config);
  manager = (await staff(facet.dataSource, facet.config)).manager.token;
});
afterAll(() => facet.stop());

type UserErrors = { userErrors: { field: string[] | null; message: string; code: string }[] };
interface Line {
  lineNumber: number;
  quantity: number;
  fromStock: number;
  madeToOrder: number;
  madeToOrderReady: number;
  estimatedShipDate: string;
}
interface OrderRead {
  id: string;
  number: string;
  status: string;
  lines: Line[];
  statusHistory: { from: string | null; to: string; by: string; note: string | null }[];
  shipments: { id: string; status: string; packingList: { lines: { lineNumber: number; quantity: number }[] } }[] | null;
}
interface ShipmentRead {
  id: string;
  status: string;
  order: { status: string } | null;
  packingList: { lines: { lineNumber: number; quantity: number }[] };
}

const doc = <TData, TVars = Record<string, unknown>>(source: string) => parse(source) as TypedDocumentNode<TData, TVars>;
const ORDER = `
  id number status
  lines { lineNumber quantity fromStock madeToOrder madeToOrderReady estimatedShipDate }
  statusHistory { from to by note }
  shipments { id status packingList { lines { lineNumber quantity } } }
`;
const PlaceOrder = doc<{ placeOrder: UserErrors & { order: OrderRead | null } }>(
  `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { ${ORDER} } userErrors { field message code } } }`,
);
const ConfirmOrder = doc<{ confirmOrder: UserErrors & { order: { status: string } | null } }>(
  `mutation ($id: ID!) { confirmOrder(input: { id: $id }) { order { status } userErrors { field message code } } }`,
);
const AdvanceOrder = doc<{ advanceOrderStatus: UserErrors & { order: { status: string } | null } }>(
  `mutation ($id: ID!, $status: OrderStatus!) { advanceOrderStatus(input: { id: $id, status: $status }) { order { status } userErrors { field message code } } }`,
);
const CancelOrder = doc<{ cancelOrder: UserErrors & { order: { status: string } | null } }>(
  `mutation ($id: ID!) { cancelOrder(input: { id: $id, reason: "No longer needed" }) { order { status } userErrors { field message code } } }`,
);
const OrderById = doc<{ order: OrderRead | null }>(`query ($id: ID!) { order(id: $id) { ${ORDER} } }`);
const OrdersInStatus = doc<{ orders: { nodes: { id: string; status: string }[] } | null }>(
  `query ($status: [OrderStatus!]) { orders(first: 100, filter: { status: $status }) { nodes { id status } } }`,
);
const CreateShipment = doc<{ createShipment: UserErrors & { shipment: ShipmentRead | null } }>(
  `mutation ($input: CreateShipmentInput!) {
     createShipment(input: $input) { shipment { id status order { status } packingList { lines { lineNumber quantity } } } userErrors { field message code } }
   }`,
);
const RecordEvent = doc<{ recordTrackingEvent: UserErrors & { shipment: { status: string; order: { status: string } | null } | null } }>(
  `mutation ($input: RecordTrackingEventInput!) { recordTrackingEvent(input: $input) { shipment { status order { status } } userErrors { field message code } } }`,
);
const MarkReady = doc<{ markOrderLineReady: UserErrors & { order: OrderRead | null } }>(
  `mutation ($input: MarkOrderLineReadyInput!) { markOrderLineReady(input: $input) { order { ${ORDER} } userErrors { field message code } } }`,
);

const fieldsAndCodes = (payload: UserErrors) => payload.userErrors.map((e) => [e.field, e.code]);
const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);
const shipmentCount = async (orderId: string) =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM shipments WHERE order_id = $1`, [idOfType(orderId, "Order")]))[0].n;

/** A style with one variant (3 g of gold 750 a piece) priced for both distributors, with this much stock. */
async function piece(onHand: number) {
  return sellable(facet.dataSource, { variant: { onHand }, prices: [[a.distributor, "100.00"], [b.distributor, "100.00"]] });
}

async function place(lines: { variantId: string; quantity: number }[], token = a.buyer.token): Promise<OrderRead> {
  const input = { idempotencyKey: randomUUID(), buyerReference: "PO-PARTIAL", incoterm: "DAP", lines };
  const { placeOrder } = ok(await facet.gql(PlaceOrder, { input }, { token }));
  expect(placeOrder.userErrors).toEqual([]);
  return placeOrder.order!;
}

async function confirmed(lines: { variantId: string; quantity: number }[]): Promise<OrderRead> {
  const order = await place(lines);
  expect(ok(await facet.gql(ConfirmOrder, { id: order.id }, { token: manager })).confirmOrder.userErrors).toEqual([]);
  return read(order.id);
}

const read = async (id: string, token = a.buyer.token) => ok(await facet.gql(OrderById, { id }, { token })).order!;

/** A shipment under the order's DAP rule, to Paris, freight paid; one parcel of `grams` of goods. */
const shipping = (orderId: string, grams: number, lines?: { lineNumber: number; quantity?: number }[]) => ({
  orderId,
  ...(lines ? { lines } : {}),
  carrier: "DHL_EXPRESS",
  service: "EXPRESS WORLDWIDE",
  packages: [{ count: 1, netWeightKg: (grams / 1000).toFixed(3), grossWeightKg: "1.100", lengthCm: 25, widthCm: 20, heightCm: 12 }],
  namedPlace: "Paris (CDG), France",
  charges: { freight: { amount: "40.00", currency: "EUR" } },
});

const ship = async (input: ReturnType<typeof shipping>) => ok(await facet.gql(CreateShipment, { input }, { token: manager })).createShipment;
const mark = async (input: { orderId: string; lineNumber: number; quantity: number }, token = manager) =>
  ok(await facet.gql(MarkReady, { input }, { token })).markOrderLineReady;

async function event(shipmentId: string, status: "IN_TRANSIT" | "DELIVERED", hoursAgo: number) {
  const input = { shipmentId, status, occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), description: status === "DELIVERED" ? "Signed for" : "Departed" };
  const { recordTrackingEvent } = ok(await facet.gql(RecordEvent, { input }, { token: manager }));
  expect(recordTrackingEvent.userErrors).toEqual([]);
  return recordTrackingEvent.shipment!;
}

describe("a confirmed order with a line from stock and a line made to order", () => {
  it("ships what is ready, reads PARTIALLY_SHIPPED, refuses the made-to-order line until it is made, then reads SHIPPED and DELIVERED", async () => {
    const ring = await piece(1000);
    const pendant = await piece(0);
    const order = await confirmed([
      { variantId: ring.id, quantity: 2 },
      { variantId: pendant.id, quantity: 3 },
    ]);
    expect(order.status).toBe("CONFIRMED");
    const made = order.lines[1];
    expect(order.lines.map((l) => [l.lineNumber, l.fromStock, l.madeToOrder, l.madeToOrderReady])).toEqual([
      [1, 2, 0, 0],
      [2, 0, 3, 0],
    ]);

    // The made-to-order line is not made: refused, naming the line and when it is expected.
    const early = await ship(shipping(order.id, 9, [{ lineNumber: 2 }]));
    expect(early.shipment).toBeNull();
    expect(fieldsAndCodes(early)).toEqual([[["input", "lines", "0", "lineNumber"], "INVALID_STATE"]]);
    expect(early.userErrors[0].message).toContain(`Line 2 is not ready to ship`);
    expect(early.userErrors[0].message).toContain(`expected to ship on ${made.estimatedShipDate}`);
    // More than ordered minus shipped is refused too, and nothing is written.
    const tooMany = await ship(shipping(order.id, 9, [{ lineNumber: 1, quantity: 3 }]));
    expect(fieldsAndCodes(tooMany)).toEqual([[["input", "lines", "0", "quantity"], "OUT_OF_RANGE"]]);
    expect(tooMany.userErrors[0].message).toBe("Line 1 has 2 unit(s) not yet in a shipment: ship 1 to 2");
    expect(await shipmentCount(order.id)).toBe(0);

    // Leaving the lines out ships every ready unit: the two rings from stock (6 g).
    const first = await ship(shipping(order.id, 6));
    expect(first.userErrors).toEqual([]);
    expect(first.shipment!.packingList.lines).toEqual([{ lineNumber: 1, quantity: 2 }]);
    // Nothing has left the building yet.
    expect(first.shipment!.order!.status).toBe("CONFIRMED");
    expect((await event(first.shipment!.id, "IN_TRANSIT", 5)).order!.status).toBe("PARTIALLY_SHIPPED");

    let now = await read(order.id);
    expect(now.status).toBe("PARTIALLY_SHIPPED");
    expect(now.statusHistory.at(-1)).toMatchObject({ from: "CONFIRMED", to: "PARTIALLY_SHIPPED", note: "shipped 2 of 5 units; the rest ships when ready" });
    // The shipment arriving does not deliver an order that has not wholly shipped.
    expect((await event(first.shipment!.id, "DELIVERED", 1)).order!.status).toBe("PARTIALLY_SHIPPED");

    // Still not made: refused whether named or left out, with the date it is expected.
    const named = await ship(shipping(order.id, 9, [{ lineNumber: 2, quantity: 1 }]));
    expect(fieldsAndCodes(named)).toEqual([[["input", "lines", "0", "lineNumber"], "INVALID_STATE"]]);
    const rest = await ship(shipping(order.id, 9));
    expect(fieldsAndCodes(rest)).toEqual([[["input", "lines"], "INVALID_STATE"]]);
    expect(rest.userErrors[0].message).toContain(`line 2: 3 unit(s) made to order and not made yet, expected to ship on ${made.estimatedShipDate}`);
    expect(await shipmentCount(order.id)).toBe(1);

    // Two of the three are made: two ship, three do not.
    const two = await mark({ orderId: order.id, lineNumber: 2, quantity: 2 });
    expect(two.userErrors).toEqual([]);
    expect(two.order!.lines[1]).toMatchObject({ madeToOrder: 3, madeToOrderReady: 2 });
    const three = await ship(shipping(order.id, 9, [{ lineNumber: 2, quantity: 3 }]));
    expect(fieldsAndCodes(three)).toEqual([[["input", "lines", "0", "quantity"], "INVALID_STATE"]]);
    expect(three.userErrors[0].message).toBe(
      `Line 2 has 2 unit(s) ready to ship, not 3: the other 1 are made to order and not made yet, expected to ship on ${made.estimatedShipDate}; ship 1 to 2`,
    );

    // All three are made: the rest ships, and the order with it.
    expect((await mark({ orderId: order.id, lineNumber: 2, quantity: 3 })).userErrors).toEqual([]);
    const second = await ship(shipping(order.id, 9));
    expect(second.userErrors).toEqual([]);
    expect(second.shipment!.packingList.lines).toEqual([{ lineNumber: 2, quantity: 3 }]);
    expect(second.shipment!.order!.status).toBe("PARTIALLY_SHIPPED");
    expect((await event(second.shipment!.id, "IN_TRANSIT", 0.5)).order!.status).toBe("SHIPPED");
    expect((await event(second.shipment!.id, "DELIVERED", 0.1)).order!.status).toBe("DELIVERED");

    now = await read(order.id);
    expect(now.statusHistory.map((h) => [h.from, h.to, h.note])).toEqual([
      [null, "PENDING", null],
      ["PENDING", "CONFIRMED", null],
      ["CONFIRMED", "PARTIALLY_SHIPPED", "shipped 2 of 5 units; the rest ships when ready"],
      ["PARTIALLY_SHIPPED", "SHIPPED", "every line has shipped"],
      ["SHIPPED", "DELIVERED", "every shipment was delivered"],
    ]);
    expect(now.shipments!.map((s) => [s.status, s.packingList.lines])).toEqual([
      ["DELIVERED", [{ lineNumber: 1, quantity: 2 }]],
      ["DELIVERED", [{ lineNumber: 2, quantity: 3 }]],
    ]);
  });

  it("is listed by orders(filter: { status: PARTIALLY_SHIPPED }), cannot be cancelled whole or packed, and is invisible to another distributor", async () => {
    const ring = await piece(1000);
    const pendant = await piece(0);
    const order = await confirmed([
      { variantId: ring.id, quantity: 1 },
      { variantId: pendant.id, quantity: 1 },
    ]);
    const { shipment } = await ship(shipping(order.id, 3, [{ lineNumber: 1 }]));
    await event(shipment!.id, "IN_TRANSIT", 1);

    for (const token of [a.buyer.token, a.erp]) {
      const { orders } = ok(await facet.gql(OrdersInStatus, { status: ["PARTIALLY_SHIPPED"] }, { token }));
      expect(orders!.nodes).toContainEqual({ id: order.id, status: "PARTIALLY_SHIPPED" });
      expect(orders!.nodes.every((o) => o.status === "PARTIALLY_SHIPPED")).toBe(true);
    }
    // Another distributor neither reads it nor lists it, nor ships it.
    expect(ok(await facet.gql(OrderById, { id: order.id }, { token: b.buyer.token })).order).toBeNull();
    const { orders: theirs } = ok(await facet.gql(OrdersInStatus, { status: ["PARTIALLY_SHIPPED"] }, { token: b.buyer.token }));
    expect(theirs!.nodes.map((o) => o.id)).not.toContain(order.id);
    expect(errorCodes(await facet.gql(CreateShipment, { input: shipping(order.id, 3) }, { token: b.buyer.token }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(MarkReady, { input: { orderId: order.id, lineNumber: 2, quantity: 1 } }, { token: b.buyer.token }))).toEqual(["FORBIDDEN"]);

    const cancel = ok(await facet.gql(CancelOrder, { id: order.id }, { token: a.buyer.token })).cancelOrder;
    expect(fieldsAndCodes(cancel)).toEqual([[["input", "id"], "INVALID_STATE"]]);
    expect(cancel.userErrors[0].message).toBe("Part of this order has shipped: it can no longer be cancelled whole");
    const packed = ok(await facet.gql(AdvanceOrder, { id: order.id, status: "PACKED" }, { token: manager })).advanceOrderStatus;
    expect(fieldsAndCodes(packed)).toEqual([[["input", "status"], "INVALID_STATE"]]);
    expect((await read(order.id)).status).toBe("PARTIALLY_SHIPPED");
  });

  it("cannot be cancelled once part of it is in a shipment, even before the carrier takes it", async () => {
    const ring = await piece(1000);
    const pendant = await piece(0);
    const order = await confirmed([
      { variantId: ring.id, quantity: 1 },
      { variantId: pendant.id, quantity: 1 },
    ]);
    expect((await ship(shipping(order.id, 3))).userErrors).toEqual([]);
    // Shipping states come from shipments: staff do not set one.
    const byHand = ok(await facet.gql(AdvanceOrder, { id: order.id, status: "PARTIALLY_SHIPPED" }, { token: manager })).advanceOrderStatus;
    expect(fieldsAndCodes(byHand)).toEqual([[["input", "status"], "INVALID_STATE"]]);
    const cancel = ok(await facet.gql(CancelOrder, { id: order.id }, { token: a.buyer.token })).cancelOrder;
    expect(fieldsAndCodes(cancel)).toEqual([[["input", "id"], "INVALID_STATE"]]);
    expect(cancel.userErrors[0].message).toBe("Part of this order is in a shipment: it can no longer be cancelled whole");
    const [stock] = await sql<{ reserved: number }>(`SELECT reserved FROM stock_levels WHERE variant_id = $1`, [ring.variant.id]);
    expect([(await read(order.id)).status, stock.reserved]).toEqual(["CONFIRMED", 1]);
  });
});

describe("what is ready", () => {
  it("takes made-to-order units of a production batch as ready once the batch's ready date has come", async () => {
    const casting = await piece(0);
    const batch = await createBatch(facet.dataSource, casting.variant, { readyDate: dateFromToday(10), quantity: 5 });
    const order = await confirmed([{ variantId: casting.id, quantity: 2 }]);
    expect(order.lines[0]).toMatchObject({ fromStock: 0, madeToOrder: 2, madeToOrderReady: 0 });

    const early = await ship(shipping(order.id, 6));
    expect(fieldsAndCodes(early)).toEqual([[["input", "lines"], "INVALID_STATE"]]);
    expect(early.userErrors[0].message).toContain(`expected to ship on ${order.lines[0].estimatedShipDate}`);

    // The batch's day comes.
    await sql(`UPDATE production_batches SET ready_date = (now() AT TIME ZONE 'UTC')::date WHERE id = $1`, [batch.id]);
    const shipped = await ship(shipping(order.id, 6, [{ lineNumber: 1 }]));
    expect(shipped.userErrors).toEqual([]);
    expect(shipped.shipment!.packingList.lines).toEqual([{ lineNumber: 1, quantity: 2 }]);
  });

  it("is every unit of a PACKED order, as before", async () => {
    const pendant = await piece(0);
    const order = await confirmed([{ variantId: pendant.id, quantity: 2 }]);
    for (const status of ["IN_PRODUCTION", "QUALITY_CHECK", "PACKED"]) {
      expect(ok(await facet.gql(AdvanceOrder, { id: order.id, status }, { token: manager })).advanceOrderStatus.userErrors).toEqual([]);
    }
    const { shipment, userErrors } = await ship(shipping(order.id, 3, [{ lineNumber: 1, quantity: 1 }]));
    expect(userErrors).toEqual([]);
    // Packed once, it stays ready when part of it has shipped.
    await event(shipment!.id, "IN_TRANSIT", 1);
    expect((await read(order.id)).status).toBe("PARTIALLY_SHIPPED");
    const rest = await ship(shipping(order.id, 3));
    expect(rest.userErrors).toEqual([]);
    expect(rest.shipment!.packingList.lines).toEqual([{ lineNumber: 1, quantity: 1 }]);
  });

  it("is nothing of a PENDING order, which does not ship", async () => {
    const ring = await piece(1000);
    const order = await place([{ variantId: ring.id, quantity: 1 }]);
    const pending = await ship(shipping(order.id, 3));
    expect(fieldsAndCodes(pending)).toEqual([[["input", "orderId"], "INVALID_STATE"]]);
    expect(pending.userErrors[0].message).toBe("An order ships once it is confirmed; this one is PENDING");
  });
});

describe("markOrderLineReady", () => {
  it("refuses what does not fit the line or the order, writing nothing", async () => {
    const ring = await piece(1000);
    const pendant = await piece(0);
    const order = await confirmed([
      { variantId: ring.id, quantity: 1 },
      { variantId: pendant.id, quantity: 4 },
    ]);
    const pending = await place([{ variantId: pendant.id, quantity: 1 }]);
    const refused: [{ orderId: string; lineNumber: number; quantity: number }, string[], string][] = [
      [{ orderId: order.id, lineNumber: 2, quantity: 5 }, ["input", "quantity"], "OUT_OF_RANGE"],
      [{ orderId: order.id, lineNumber: 2, quantity: -1 }, ["input", "quantity"], "OUT_OF_RANGE"],
      [{ orderId: order.id, lineNumber: 1, quantity: 1 }, ["input", "lineNumber"], "INVALID_STATE"],
      [{ orderId: order.id, lineNumber: 3, quantity: 1 }, ["input", "lineNumber"], "NOT_FOUND"],
      [{ orderId: pending.id, lineNumber: 1, quantity: 1 }, ["input", "orderId"], "INVALID_STATE"],
      [{ orderId: toGlobalId("Order", randomUUID()), lineNumber: 1, quantity: 1 }, ["input", "orderId"], "NOT_FOUND"],
      [{ orderId: "nope", lineNumber: 1, quantity: 1 }, ["input", "orderId"], "NOT_FOUND"],
    ];
    for (const [input, field, code] of refused) {
      const payload = await mark(input);
      expect([input, payload.order, fieldsAndCodes(payload)]).toEqual([input, null, [[field, code]]]);
    }
    expect((await mark({ orderId: order.id, lineNumber: 2, quantity: 5 })).userErrors[0].message).toBe("Line 2 has 4 unit(s) made to order: mark 0 to 4");
    // Buyers and ERP clients do not record production.
    for (const token of [a.buyer.token, a.admin.token, a.erp]) {
      expect(errorCodes(await facet.gql(MarkReady, { input: { orderId: order.id, lineNumber: 2, quantity: 1 } }, { token }))).toEqual(["FORBIDDEN"]);
    }
    expect((await read(order.id)).lines.map((l) => l.madeToOrderReady)).toEqual([0, 0]);

    // Made units in a shipment stay made: the mark cannot fall below them. The same mark again changes nothing.
    expect((await mark({ orderId: order.id, lineNumber: 2, quantity: 3 })).userErrors).toEqual([]);
    expect((await ship(shipping(order.id, 12))).shipment!.packingList.lines).toEqual([
      { lineNumber: 1, quantity: 1 },
      { lineNumber: 2, quantity: 3 },
    ]);
    const lower = await mark({ orderId: order.id, lineNumber: 2, quantity: 2 });
    expect(fieldsAndCodes(lower)).toEqual([[["input", "quantity"], "OUT_OF_RANGE"]]);
    expect(lower.userErrors[0].message).toBe("3 made-to-order unit(s) of line 2 are already in a shipment: mark at least 3");
    const again = await mark({ orderId: order.id, lineNumber: 2, quantity: 3 });
    expect(again.order!.lines[1].madeToOrderReady).toBe(3);
  });

  it("is recorded in the audit log as the export manager's", async () => {
    const pendant = await piece(0);
    const order = await confirmed([{ variantId: pendant.id, quantity: 2 }]);
    expect((await mark({ orderId: order.id, lineNumber: 1, quantity: 1 })).userErrors).toEqual([]);
    const rows = await sql<{ action: string; before: { made_to_order_ready: number }; after: { made_to_order_ready: number } }>(
      `SELECT action, before, after FROM audit_log WHERE table_name = 'order_lines' AND after ->> 'order_id' = $1`,
      [idOfType(order.id, "Order")],
    );
    expect(rows.map((r) => [r.action, r.before.made_to_order_ready, r.after.made_to_order_ready])).toEqual([["UPDATE", 0, 1]]);
  });
});

describe("the demo data", () => {
  it("holds for each distributor an order that shipped its lines from stock while its made-to-order line waits", async () => {
    for (const email of ["buyer@atelier-paris.example", "buyer@gulf-gold.example", "buyer@maple-jewels.example"]) {
      const [user] = await sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
      const token = userToken(facet.config, { id: user.id } as Parameters<typeof userToken>[1]);
      const { orders } = ok(await facet.gql(OrdersInStatus, { status: ["PARTIALLY_SHIPPED"] }, { token }));
      expect([email, orders!.nodes.length]).toEqual([email, 1]);
      const order = await read(orders!.nodes[0].id, token);
      const waiting = order.lines.filter((l) => l.madeToOrder > 0);
      expect([email, waiting.length, waiting.every((l) => l.madeToOrderReady === 0 && l.estimatedShipDate >= dateFromToday(0))]).toEqual([email, 1, true]);
      // Its one shipment, in transit, carries the lines from stock and nothing of the waiting line.
      expect(order.shipments!.map((s) => [s.status, s.packingList.lines])).toEqual([
        ["IN_TRANSIT", order.lines.filter((l) => l.madeToOrder === 0).map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity }))],
      ]);
      expect(order.statusHistory.map((h) => [h.from, h.to])).toEqual([
        [null, "PENDING"],
        ["PENDING", "CONFIRMED"],
        ["CONFIRMED", "PARTIALLY_SHIPPED"],
      ]);
    }
  });
});

describe("the API guide", () => {
  it("has partial shipment examples that the schema accepts", async () => {
    const guide = readFileSync(path.join(__dirname, "..", "docs", "api.md"), "utf8");
    const section = guide.slice(guide.indexOf("### Shipping what is ready"), guide.indexOf("## Design briefs"));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    const schema = await buildFacetSchema();
    for (const block of blocks) {
      for (const operation of block.split(/\n(?=mutation|query)/)) {
        expect([operation, validate(schema, parse(operation)).map((e) => e.message)]).toEqual([operation, []]);
      }
    }
  });
});
