import { randomUUID } from "node:crypto";
import { toGlobalId } from "../src/graphql/node";
import {
  AdvanceOrderStatusDocument,
  CancelOrderDocument,
  ConfirmOrderDocument,
  OrderByIdDocument,
  PlaceOrderDocument,
  type OrderStatus,
} from "./generated/graphql";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, staff, tenant, type Tenant } from "./support/orders-factories";

// The export manager's side of an order: CONFIRMED → IN_PRODUCTION → QUALITY_CHECK → PACKED.
let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;
let variant: string;

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config);
  b = await tenant(facet.dataSource, facet.config);
  people = await staff(facet.dataSource, facet.config);
  variant = (await sellable(facet.dataSource, { variant: { onHand: 1000 }, prices: [[a.distributor, "10.00"], [b.distributor, "10.00"]] })).id;
});
afterAll(() => facet.stop());

type Refusal = { userErrors: { field?: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);

async function newOrder(token = a.buyer.token) {
  const { placeOrder } = ok(await facet.gql(PlaceOrderDocument, { input: orderInput([line(variant, 1)]) }, { token }));
  expect(placeOrder.userErrors).toEqual([]);
  return placeOrder.order!;
}

async function confirm(id: string, note?: string, token = people.manager.token) {
  return ok(await facet.gql(ConfirmOrderDocument, { input: { id, note } }, { token })).confirmOrder;
}
async function advance(id: string, status: OrderStatus, note?: string, token = people.manager.token) {
  return ok(await facet.gql(AdvanceOrderStatusDocument, { input: { id, status, note } }, { token })).advanceOrderStatus;
}
async function read(id: string, token = a.buyer.token) {
  return ok(await facet.gql(OrderByIdDocument, { id }, { token })).order!;
}

/** Moves a fresh order to `status` along the staff path (or cancels it). */
async function orderIn(status: OrderStatus) {
  const order = await newOrder();
  const path: OrderStatus[] = ["CONFIRMED", "IN_PRODUCTION", "QUALITY_CHECK", "PACKED"];
  if (status === "CANCELLED") {
    ok(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: a.buyer.token }));
    return order;
  }
  for (const step of path.slice(0, path.indexOf(status as never) + 1)) {
    const payload = step === "CONFIRMED" ? await confirm(order.id) : await advance(order.id, step);
    expect(payload.userErrors).toEqual([]);
  }
  return order;
}

describe("confirmOrder and advanceOrderStatus", () => {
  it("walk an order to PACKED, recording who, when and why at each step", async () => {
    const order = await newOrder();
    const confirmed = await confirm(order.id, "Stock checked");
    expect(confirmed.userErrors).toEqual([]);
    expect(confirmed.order!.status).toBe("CONFIRMED");

    let updatedAt = new Date(confirmed.order!.updatedAt).getTime();
    expect(updatedAt).toBeGreaterThanOrEqual(new Date(order.updatedAt).getTime());
    for (const [status, note] of [["IN_PRODUCTION", "Casting started"], ["QUALITY_CHECK", undefined], ["PACKED", "  Two cartons  "]] as const) {
      const payload = await advance(order.id, status, note);
      expect(payload.userErrors).toEqual([]);
      expect(payload.order!.status).toBe(status);
      const next = new Date(payload.order!.updatedAt).getTime();
      expect(next).toBeGreaterThanOrEqual(updatedAt);
      updatedAt = next;
    }

    const final = await read(order.id);
    expect(final.status).toBe("PACKED");
    expect(final.statusHistory.map((h) => [h.from, h.to, h.by, h.note])).toEqual([
      [null, "PENDING", a.buyer.user.name, null],
      ["PENDING", "CONFIRMED", people.manager.user.name, "Stock checked"],
      ["CONFIRMED", "IN_PRODUCTION", people.manager.user.name, "Casting started"],
      ["IN_PRODUCTION", "QUALITY_CHECK", people.manager.user.name, null],
      ["QUALITY_CHECK", "PACKED", people.manager.user.name, "Two cartons"],
    ]);
    const times = final.statusHistory.map((h) => new Date(h.at).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Date(final.updatedAt).getTime()).toBe(times.at(-1));
  });

  // Every move the state machine does not allow, from every status a test can reach.
  const ILLEGAL: [from: OrderStatus, via: "confirm" | OrderStatus, field: string][] = [
    ["PENDING", "IN_PRODUCTION", "status"],
    ["PENDING", "QUALITY_CHECK", "status"],
    ["PENDING", "PACKED", "status"],
    ["PENDING", "SHIPPED", "status"],
    ["PENDING", "DELIVERED", "status"],
    ["PENDING", "CANCELLED", "status"],
    ["PENDING", "PENDING", "status"],
    ["PENDING", "CONFIRMED", "status"], // confirming is confirmOrder's job
    ["CONFIRMED", "confirm", "id"],
    ["CONFIRMED", "CONFIRMED", "status"],
    ["CONFIRMED", "QUALITY_CHECK", "status"],
    ["CONFIRMED", "PACKED", "status"],
    ["CONFIRMED", "PENDING", "status"],
    ["IN_PRODUCTION", "confirm", "id"],
    ["IN_PRODUCTION", "IN_PRODUCTION", "status"],
    ["IN_PRODUCTION", "PACKED", "status"],
    ["IN_PRODUCTION", "CONFIRMED", "status"],
    ["QUALITY_CHECK", "IN_PRODUCTION", "status"],
    ["QUALITY_CHECK", "SHIPPED", "status"],
    ["PACKED", "SHIPPED", "status"], // shipping states come from shipments
    ["PACKED", "DELIVERED", "status"],
    ["PACKED", "QUALITY_CHECK", "status"],
    ["PACKED", "CANCELLED", "status"],
    ["PACKED", "confirm", "id"],
    ["CANCELLED", "confirm", "id"],
    ["CANCELLED", "IN_PRODUCTION", "status"],
    ["CANCELLED", "PENDING", "status"],
  ];

  it.each(ILLEGAL)("refuse %s → %s with INVALID_STATE, changing nothing", async (from, via, field) => {
    const order = await orderIn(from);
    const before = await read(order.id);
    const payload = via === "confirm" ? await confirm(order.id, "again") : await advance(order.id, via, "skip");
    expect(payload.order).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual([[["input", field], "INVALID_STATE"]]);
    expect(await read(order.id)).toEqual(before);
  });

  it("treat an unknown or malformed order id as missing, and refuse a note over 1000 characters", async () => {
    for (const id of [toGlobalId("Order", randomUUID()), toGlobalId("Variant", randomUUID()), "nope"]) {
      expect(fieldsAndCodes(await confirm(id))).toEqual([[["input", "id"], "NOT_FOUND"]]);
      expect(fieldsAndCodes(await advance(id, "IN_PRODUCTION"))).toEqual([[["input", "id"], "NOT_FOUND"]]);
    }
    const order = await newOrder();
    expect(fieldsAndCodes(await confirm(order.id, "x".repeat(1001)))).toEqual([[["input", "note"], "TOO_LONG"]]);
    expect((await read(order.id)).status).toBe("PENDING");
  });

  it("act on every distributor's orders", async () => {
    const theirs = await newOrder(b.buyer.token);
    expect((await confirm(theirs.id)).order!.status).toBe("CONFIRMED");
  });

  it("are for export managers only: buyers, admins, support staff and API clients are refused", async () => {
    const order = await orderIn("CONFIRMED");
    const pending = await newOrder();
    for (const token of [a.buyer.token, a.admin.token, people.support.token, a.erp, a.erpWith("orders:write")]) {
      expect(errorCodes(await facet.gql(ConfirmOrderDocument, { input: { id: pending.id } }, { token }))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await facet.gql(AdvanceOrderStatusDocument, { input: { id: order.id, status: "IN_PRODUCTION" } }, { token }))).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await facet.gql(ConfirmOrderDocument, { input: { id: pending.id } }))).toEqual(["UNAUTHENTICATED"]);
    expect((await read(order.id)).statusHistory).toHaveLength(2);
    expect((await read(pending.id)).status).toBe("PENDING");
  });

  it("let support staff read any order but change none", async () => {
    const order = await newOrder();
    expect(ok(await facet.gql(OrderByIdDocument, { id: order.id }, { token: people.support.token })).order!.number).toBe(order.number);
    expect(errorCodes(await facet.gql(CancelOrderDocument, { input: { id: order.id } }, { token: people.support.token }))).toEqual(["FORBIDDEN"]);
    expect((await read(order.id)).status).toBe("PENDING");
  });

  it("let an export manager cancel a confirmed order, recorded as theirs", async () => {
    const order = await orderIn("CONFIRMED");
    const { cancelOrder } = ok(await facet.gql(CancelOrderDocument, { input: { id: order.id, reason: "Buyer asked by phone" } }, { token: people.manager.token }));
    expect(cancelOrder.order!.statusHistory.at(-1)).toMatchObject({ from: "CONFIRMED", to: "CANCELLED", by: people.manager.user.name, note: "Buyer asked by phone" });
  });
});
