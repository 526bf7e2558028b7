import { randomUUID } from "node:crypto";
import { toGlobalId } from "../src/graphql/node";
import {
  ConfirmOrderDocument,
  OrderByEitherDocument,
  OrderByIdDocument,
  OrderByNumberDocument,
  OrderListDeepDocument,
  OrderListDocument,
  OrderNodeDocument,
  PlaceOrderDocument,
  type OrderFilter,
  type OrderListQueryVariables,
  type OrderOrderField,
} from "./generated/graphql";
import { unique } from "./support/factories";
import { errorCodes, ok, startFacet, type TestFacet, whenSynced } from "./support/harness";
import { line, orderInput, sellable, staff, tenant, type Tenant } from "./support/orders-factories";

// Reading orders: the list with its filters, search and cursors, one order by id or number, and
// the tenancy rule under every one of them.
let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;

// Every buyer reference this file writes starts with RUN, so staff lists can be narrowed to them.
const RUN = unique("RD").toUpperCase();

interface Made {
  id: string;
  number: string;
  buyerReference: string;
  placedAt: string;
}
const ours: Made[] = []; // A's, oldest first
const theirs: Made[] = []; // B's
let skuA: string;
let skuB: string;
let skuShared: string;

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);

async function placeAs(t: Tenant, variantIds: string[], buyerReference: string, placedAt: string): Promise<Made> {
  const { placeOrder } = ok(await facet.gql(PlaceOrderDocument, { input: orderInput(variantIds.map((v) => line(v, 1)), { buyerReference }) }, { token: t.buyer.token }));
  expect(placeOrder.userErrors).toEqual([]);
  const order = placeOrder.order!;
  // Placement times a test can reason about.
  await sql(`UPDATE orders SET placed_at = $2 WHERE number = $1`, [order.number, placedAt]);
  return { id: order.id, number: order.number, buyerReference, placedAt };
}

beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config);
  b = await tenant(facet.dataSource, facet.config);
  people = await staff(facet.dataSource, facet.config);
  const onlyA = await sellable(facet.dataSource, { variant: { onHand: 100, sku: `${RUN}-ALPHA_1%` }, prices: [[a.distributor, "5.00"], [b.distributor, "5.00"]] });
  const onlyB = await sellable(facet.dataSource, { variant: { onHand: 100, sku: `${RUN}-BRAVO` }, prices: [[a.distributor, "5.00"], [b.distributor, "5.00"]] });
  const shared = await sellable(facet.dataSource, { variant: { onHand: 100, sku: `${RUN}-SHARED` }, prices: [[a.distributor, "5.00"], [b.distributor, "5.00"]] });
  [skuA, skuB, skuShared] = [onlyA.variant.sku, onlyB.variant.sku, shared.variant.sku];

  ours.push(await placeAs(a, [shared.id], `${RUN}-A1`, "2026-01-10T10:00:00.000Z"));
  ours.push(await placeAs(a, [onlyA.id], `${RUN}-A2 %`, "2026-02-10T10:00:00.000Z"));
  ours.push(await placeAs(a, [shared.id, onlyA.id], `${RUN}-A3`, "2026-03-10T10:00:00.000Z"));
  ours.push(await placeAs(a, [shared.id], `${RUN}-A4`, "2026-04-10T10:00:00.000Z"));
  ours.push(await placeAs(a, [shared.id], `${RUN}-A5`, "2026-05-10T10:00:00.000Z"));
  theirs.push(await placeAs(b, [onlyB.id], `${RUN}-B1`, "2026-02-15T10:00:00.000Z"));
  theirs.push(await placeAs(b, [shared.id], `${RUN}-B2 secret`, "2026-03-15T10:00:00.000Z"));
  ok(await facet.gql(ConfirmOrderDocument, { input: { id: ours[1].id } }, { token: people.manager.token }));
  ok(await facet.gql(ConfirmOrderDocument, { input: { id: ours[3].id } }, { token: people.manager.token }));
});
afterAll(() => facet.stop());

async function list(token: string, variables: OrderListQueryVariables) {
  return ok(await facet.gql(OrderListDocument, variables, { token })).orders;
}
async function numbers(token: string, filter: OrderFilter, orderBy?: OrderOrderField): Promise<string[]> {
  return (await list(token, { first: 100, filter, orderBy }))!.edges.map((e) => e.node.number);
}
const newestFirst = (made: Made[]) => [...made].reverse().map((o) => o.number);

describe("orders", () => {
  it("lists the caller's own orders, newest first, and staff see every distributor's", async () => {
    expect(await numbers(a.buyer.token, {})).toEqual(newestFirst(ours));
    expect(await numbers(a.erpWith("orders:read"), {})).toEqual(newestFirst(ours));
    expect(await numbers(b.admin.token, {})).toEqual(newestFirst(theirs));
    const all = [...ours, ...theirs].sort((x, y) => y.placedAt.localeCompare(x.placedAt)).map((o) => o.number);
    expect(await numbers(people.manager.token, { search: RUN })).toEqual(all);
    expect(await numbers(people.support.token, { search: RUN })).toEqual(all);
  });

  it("pages with cursors, and refuses a cursor of another order or a page size out of range", async () => {
    const first = await list(a.buyer.token, { first: 2 });
    expect(first!.edges.map((e) => e.node.number)).toEqual(newestFirst(ours).slice(0, 2));
    expect(first!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await list(a.buyer.token, { first: 2, after: first!.pageInfo.endCursor });
    expect(second!.edges.map((e) => e.node.number)).toEqual(newestFirst(ours).slice(2, 4));
    const third = await list(a.buyer.token, { first: 2, after: second!.pageInfo.endCursor });
    expect(third!.edges.map((e) => e.node.number)).toEqual(newestFirst(ours).slice(4));
    expect(third!.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const wrongOrder = await facet.gql(OrderListDocument, { first: 2, after: first!.pageInfo.endCursor, orderBy: "UPDATED" }, { token: a.buyer.token });
    expect(errorCodes(wrongOrder)).toEqual(["BAD_USER_INPUT"]);
    for (const size of [0, 101]) expect(errorCodes(await facet.gql(OrderListDocument, { first: size }, { token: a.buyer.token }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("filters by status", async () => {
    expect(await numbers(a.buyer.token, { status: ["CONFIRMED"] })).toEqual([ours[3].number, ours[1].number]);
    expect(await numbers(a.buyer.token, { status: ["PENDING", "CONFIRMED"] })).toEqual(newestFirst(ours));
    expect(await numbers(a.buyer.token, { status: ["CANCELLED"] })).toEqual([]);
  });

  it("filters by placement time: placedAfter is inclusive, placedBefore exclusive", async () => {
    expect(await numbers(a.buyer.token, { placedAfter: ours[1].placedAt, placedBefore: ours[3].placedAt })).toEqual([ours[2].number, ours[1].number]);
    expect(await numbers(a.buyer.token, { placedAfter: "2026-03-10T10:00:00.001Z" })).toEqual([ours[4].number, ours[3].number]);
    expect(await numbers(a.buyer.token, { placedBefore: "2026-01-10T10:00:00.001Z" })).toEqual([ours[0].number]);
  });

  it("filters by update time, oldest change first", async () => {
    const [{ since }] = await sql(`SELECT min(updated_at) AS since FROM orders WHERE number = ANY($1)`, [[ours[1].number, ours[3].number]]);
    const changed = await whenSynced(() => numbers(a.buyer.token, { updatedSince: since.toISOString() }), (seen) => seen.length >= 2);
    // The two confirmed orders changed last; placements came before them.
    expect(changed).toEqual([ours[1].number, ours[3].number]);
    const rows = (
      await whenSynced(() => list(a.buyer.token, { first: 100, filter: { updatedSince: "2000-01-01T00:00:00Z" } }), (page) => page!.edges.length >= ours.length)
    )!.edges.map((e) => new Date(e.node.updatedAt).getTime());
    expect(rows).toHaveLength(ours.length);
    expect([...rows].sort((x, y) => x - y)).toEqual(rows);
    // NEWEST can still be asked for explicitly.
    expect(await numbers(a.buyer.token, { updatedSince: since.toISOString() }, "NEWEST")).toEqual([ours[3].number, ours[1].number]);
  });

  it("searches order numbers, buyer references and SKUs, ignoring case", async () => {
    expect(await numbers(a.buyer.token, { search: ours[2].number.toLowerCase() })).toEqual([ours[2].number]);
    expect(await numbers(a.buyer.token, { search: ours[2].number.slice(-6) })).toEqual([ours[2].number]);
    expect(await numbers(a.buyer.token, { search: `${RUN}-a4`.toLowerCase() })).toEqual([ours[3].number]);
    expect(await numbers(a.buyer.token, { search: skuA.toLowerCase() })).toEqual([ours[2].number, ours[1].number]);
    expect(await numbers(a.buyer.token, { search: `  ${skuShared}  ` })).toEqual([ours[4].number, ours[3].number, ours[2].number, ours[0].number]);
    // % and _ are text, not wildcards.
    expect(await numbers(a.buyer.token, { search: "%" })).toEqual([ours[2].number, ours[1].number]);
    expect(await numbers(a.buyer.token, { search: `${RUN}-A_` })).toEqual([]);
    expect(await numbers(a.buyer.token, { search: "ALPHA_1" })).toEqual([ours[2].number, ours[1].number]);
    expect(await numbers(a.buyer.token, { search: "EXP-", status: ["CONFIRMED"], placedBefore: "2026-03-01T00:00:00Z" })).toEqual([ours[1].number]);
    expect(errorCodes(await facet.gql(OrderListDocument, { filter: { search: "x".repeat(101) } }, { token: a.buyer.token }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("never escapes the caller's distributor, whatever the search or filter", async () => {
    const attempts = [
      "%",
      "_",
      "' OR 1=1 --",
      "%' OR '1'='1",
      "') OR TRUE OR ('",
      "\\",
      theirs[0].number,
      theirs[1].number.toLowerCase(),
      `${RUN}-B2 secret`,
      skuB,
      skuShared,
    ];
    for (const token of [a.buyer.token, a.erp]) {
      for (const search of attempts) {
        const seen = await numbers(token, { search });
        for (const number of seen) expect(ours.map((o) => o.number)).toContain(number);
        expect(seen).not.toContain(theirs[0].number);
        expect(seen).not.toContain(theirs[1].number);
      }
      const everyStatus = ["PENDING", "CONFIRMED", "CANCELLED", "IN_PRODUCTION", "QUALITY_CHECK", "PACKED", "SHIPPED", "DELIVERED"] as const;
      const wide = await whenSynced(
        () => numbers(token, { status: [...everyStatus], placedAfter: "2000-01-01T00:00:00Z", updatedSince: "2000-01-01T00:00:00Z" }),
        (seen) => seen.length >= ours.length,
      );
      expect(wide.sort()).toEqual(ours.map((o) => o.number).sort());
    }
    expect(await numbers(a.buyer.token, { search: skuB })).toEqual([]);
    expect(await numbers(b.buyer.token, { search: skuB })).toEqual([theirs[0].number]);
  });

  it("is refused to callers without orders:read, and to anonymous callers", async () => {
    expect(errorCodes(await facet.gql(OrderListDocument, {}, { token: a.erpWith("catalog:read", "orders:write") }))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(OrderListDocument, {}))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("order", () => {
  it("fetches one by id or by number", async () => {
    const byId = ok(await facet.gql(OrderByIdDocument, { id: ours[2].id }, { token: a.buyer.token })).order!;
    expect(byId).toMatchObject({ number: ours[2].number, buyerReference: ours[2].buyerReference, lineCount: 2 });
    const byNumber = ok(await facet.gql(OrderByNumberDocument, { number: ` ${ours[2].number.toLowerCase()} ` }, { token: a.erpWith("orders:read", "catalog:read") })).order!;
    expect(byNumber.id).toBe(ours[2].id);
    expect(ok(await facet.gql(OrderNodeDocument, { id: ours[2].id }, { token: a.buyer.token })).node).toEqual({ id: ours[2].id, number: ours[2].number });
    expect(ok(await facet.gql(OrderByNumberDocument, { number: theirs[1].number }, { token: people.support.token })).order!.id).toBe(theirs[1].id);
  });

  it("reads another distributor's order, by id, number or node, exactly like a missing one", async () => {
    for (const token of [a.buyer.token, a.admin.token, a.erp]) {
      expect(ok(await facet.gql(OrderByIdDocument, { id: theirs[0].id }, { token })).order).toBeNull();
      expect(ok(await facet.gql(OrderByNumberDocument, { number: theirs[0].number }, { token })).order).toBeNull();
      expect(ok(await facet.gql(OrderNodeDocument, { id: theirs[0].id }, { token })).node).toBeNull();
      expect(ok(await facet.gql(OrderByIdDocument, { id: toGlobalId("Order", randomUUID()) }, { token })).order).toBeNull();
      expect(ok(await facet.gql(OrderByNumberDocument, { number: "EXP-1999-000001" }, { token })).order).toBeNull();
    }
    expect(ok(await facet.gql(OrderByIdDocument, { id: toGlobalId("Variant", randomUUID()) }, { token: a.buyer.token })).order).toBeNull();
    expect(ok(await facet.gql(OrderByIdDocument, { id: "garbage" }, { token: a.buyer.token })).order).toBeNull();
  });

  it("needs exactly one of id and number", async () => {
    expect(errorCodes(await facet.gql(OrderByEitherDocument, { id: ours[0].id, number: ours[0].number }, { token: a.buyer.token }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await facet.gql(OrderByEitherDocument, {}, { token: a.buyer.token }))).toEqual(["BAD_USER_INPUT"]);
  });
});

// ---- statement count ---------------------------------------------------------------------------

describe("an order page", () => {
  it("costs the same number of SQL statements for 50 orders as for 5, with lines, variants, history, distributor and shipments", async () => {
    const c = await tenant(facet.dataSource, facet.config);
    const items = await Promise.all([1, 2].map(() => sellable(facet.dataSource, { variant: { onHand: 1000 }, prices: [[c.distributor, "3.00"]] })));
    const ids: string[] = [];
    for (let chunk = 0; chunk < 10; chunk++) {
      const payloads = await Promise.all(
        Array.from({ length: 5 }, async () => ok(await facet.gql(PlaceOrderDocument, { input: orderInput(items.map((i) => line(i.id, 2))) }, { token: c.buyer.token })).placeOrder),
      );
      for (const p of payloads) ids.push(p.order!.id);
    }
    // Some with a second history entry, on both pages.
    for (const id of ids.slice(-3)) ok(await facet.gql(ConfirmOrderDocument, { input: { id } }, { token: people.manager.token }));

    async function count(first: number) {
      const before = facet.statements.count;
      const { orders } = ok(await facet.gql(OrderListDeepDocument, { first }, { token: c.buyer.token }));
      const statements = facet.statements.count - before;
      expect(orders!.nodes).toHaveLength(first);
      for (const o of orders!.nodes) {
        expect(o.lines).toHaveLength(2);
        expect(o.lines.every((l) => l.variant !== null)).toBe(true);
        expect(o.statusHistory.length).toBeGreaterThanOrEqual(1);
        expect(o.shipments).toEqual([]);
        expect(o.distributor.id).toBeDefined();
      }
      return statements;
    }
    const five = await count(5);
    const fifty = await count(50);
    expect(fifty).toEqual(five);
    // The number itself: the caller and its scope; the page; lines, history, distributors and
    // shipments; variants; the scope's reset. (designBrief reads nothing for orders from no brief.)
    expect(five).toBe(1 + 6 + 1);
  });
});
