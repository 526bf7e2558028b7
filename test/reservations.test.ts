import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { expirePendingOrders, startReservationSweeper } from "../src/modules/orders";
import { createBatch, createProduct, createVariant, dateFromToday, setPrice, variantId } from "./support/catalog-factories";
import { ok, onRealPostgres, startFacet, type TestFacet } from "./support/harness";
import { line, orderInput, rawOrderId, sellable, staff, stockOf, tenant, type Tenant } from "./support/orders-factories";
import type { PlaceOrderInput } from "./generated/graphql";

// A PENDING order holds stock until the exporter confirms it. One order may reserve at most a
// share of each variant's available stock (and at most a number of units); the rest of a line is
// made to order. Unconfirmed for PENDING_ORDER_TTL_MINUTES, an order expires: a sweep cancels it
// and gives back what it held.
//
// The sweeps here run over the whole test database, which other test files share. The TTL is the
// longest allowed (a year) and these tests move their own orders' placement further back than
// that, so no order another file is working with is old enough to expire.

const TTL_MINUTES = 525_600;
const LONG_AGO = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let people: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "50", RESERVATION_MAX_UNITS: "500", PENDING_ORDER_TTL_MINUTES: String(TTL_MINUTES) });
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  b = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  people = await staff(facet.dataSource, facet.config);
});
afterAll(() => facet.stop());

interface PlacedLine {
  quantity: number;
  fromStock: number;
  madeToOrder: number;
  estimatedShipDate: string;
}
interface Placement {
  order: { id: string; status: string; lines: PlacedLine[] } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

const Place = parse(`
  mutation ReservationsPlace($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order { id status lines { quantity fromStock madeToOrder estimatedShipDate } }
      userErrors { field message code }
    }
  }
`) as TypedDocumentNode<{ placeOrder: Placement }, { input: PlaceOrderInput }>;

const Confirm = parse(`
  mutation ReservationsConfirm($id: ID!) { confirmOrder(input: { id: $id }) { order { status } userErrors { code } } }
`) as TypedDocumentNode<{ confirmOrder: { order: { status: string } | null; userErrors: { code: string }[] } }, { id: string }>;

interface History {
  status: string;
  statusHistory: { from: string | null; to: string; by: string; note: string | null }[];
}
const ReadOrder = parse(`
  query ReservationsOrder($id: ID!) { order(id: $id) { status statusHistory { from to by note } } }
`) as TypedDocumentNode<{ order: History | null }, { id: string }>;

interface VariantSupply {
  availability: { onHand: number; reserved: number; available: number; incoming: { unallocated: number }[] };
}
const ReadVariant = parse(`
  query ReservationsVariant($id: ID!) { variant(id: $id) { availability { onHand reserved available incoming { unallocated } } } }
`) as TypedDocumentNode<{ variant: VariantSupply | null }, { id: string }>;

async function place(token: string, input: PlaceOrderInput): Promise<Placement> {
  return ok(await facet.gql(Place, { input }, { token })).placeOrder;
}

async function placed(token: string, input: PlaceOrderInput) {
  const payload = await place(token, input);
  expect(payload.userErrors).toEqual([]);
  return payload.order!;
}

const sql = <T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> => facet.dataSource.query(text, params);

/** Moves an order's placement back past the TTL, as if it had waited that long. */
async function backdate(globalId: string): Promise<void> {
  await sql(`UPDATE orders SET placed_at = $2 WHERE id = $1`, [rawOrderId(globalId), LONG_AGO]);
}

const historyOf = async (globalId: string) => ok(await facet.gql(ReadOrder, { id: globalId }, { token: a.buyer.token })).order!;
const cancellationsOf = async (globalId: string) =>
  Number((await sql(`SELECT count(*) AS n FROM order_status_changes WHERE order_id = $1 AND to_status = 'CANCELLED'`, [rawOrderId(globalId)]))[0].n);

// ---- the cap --------------------------------------------------------------------------------

describe("what one PENDING order may reserve", () => {
  it("holds a 140-line order to half of each variant's available stock and 500 units; the rest is made to order", async () => {
    const product = await createProduct(facet.dataSource, { standardLeadTimeDays: 10 });
    const small = [];
    for (let i = 0; i < 139; i++) {
      const variant = await createVariant(facet.dataSource, product, { onHand: 10, reserved: 2 });
      await setPrice(facet.dataSource, a.distributor, variant, "10.00");
      await setPrice(facet.dataSource, b.distributor, variant, "10.00");
      small.push(variant);
    }
    const large = await createVariant(facet.dataSource, product, { onHand: 2000 });
    await setPrice(facet.dataSource, a.distributor, large, "10.00");

    // Every unit available of every variant, in one order.
    const order = await placed(a.buyer.token, orderInput([...small.map((v) => line(variantId(v), 8)), line(variantId(large), 2000)]));
    expect(order.lines).toHaveLength(140);
    // 8 available: at most 4 from stock. 2000 available: half would be 1000, the unit cap is 500.
    expect(order.lines.slice(0, 139).every((l) => l.fromStock === 4 && l.madeToOrder === 4)).toBe(true);
    expect(order.lines[139]).toMatchObject({ quantity: 2000, fromStock: 500, madeToOrder: 1500 });
    const reserved = await sql<{ reserved: number }>(`SELECT reserved FROM stock_levels WHERE variant_id = ANY($1)`, [small.map((v) => v.id)]);
    expect(reserved.map((r) => r.reserved)).toEqual(small.map(() => 6));
    expect(await stockOf(facet.dataSource, large)).toEqual({ onHand: 2000, reserved: 500 });

    // Another buyer still finds stock on the shelf.
    const theirs = await placed(b.buyer.token, orderInput([line(variantId(small[0]), 4)]));
    expect(theirs.lines[0]).toMatchObject({ fromStock: 2, madeToOrder: 2 });
  });

  it("ships what exceeds the cap when a production run makes it, and counts every line of the same variant together", async () => {
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: 10 }, variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 3), line(item.id, 3), line(item.id, 3)]));
    expect(order.lines.map((l) => [l.fromStock, l.madeToOrder])).toEqual([
      [3, 0],
      [2, 1],
      [0, 3],
    ]);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 5 });
    // The made-to-order part waits for a new run: it ships later than the part from stock.
    expect(order.lines[1].estimatedShipDate > order.lines[0].estimatedShipDate).toBe(true);
    expect(order.lines[2].estimatedShipDate).toBe(order.lines[1].estimatedShipDate);
  });

  it("quotes lead times as placing the order would: the share from stock, the rest made to order", async () => {
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: 10 }, variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const Quote = parse(`query ReservationsQuote($v: ID!, $q: Int!) { leadTimeQuote(variantId: $v, quantity: $q) { fromStock toProduce } }`) as TypedDocumentNode<
      { leadTimeQuote: { fromStock: number; toProduce: number } },
      { v: string; q: number }
    >;
    const quote = ok(await facet.gql(Quote, { v: item.id, q: 8 }, { token: a.buyer.token })).leadTimeQuote;
    expect(quote).toEqual({ fromStock: 5, toProduce: 3 });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 8)]));
    expect(order.lines[0]).toMatchObject({ fromStock: quote.fromStock, madeToOrder: quote.toProduce });
  });

  it("lets the last piece on the shelf go from stock", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 1 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 1)]));
    expect(order.lines[0]).toMatchObject({ fromStock: 1, madeToOrder: 0 });
  });

  it("refuses more of a discontinued piece than one order may take from stock, naming the line's quantity", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10, discontinued: true }, prices: [[a.distributor, "10.00"]] });
    const refused = await place(a.buyer.token, orderInput([line(item.id, 1), line(item.id, 8)]));
    expect(refused.order).toBeNull();
    expect(refused.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "lines", "1", "quantity"], "INVALID_STATE"]]);
    expect(refused.userErrors[0].message).toContain("at most 4 of the 9 in stock, not 8");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 0 });

    const within = await placed(a.buyer.token, orderInput([line(item.id, 5)]));
    expect(within.lines[0]).toMatchObject({ fromStock: 5, madeToOrder: 0 });
  });
});

// ---- expiry ----------------------------------------------------------------------------------

describe("unconfirmed orders expire", () => {
  it("cancels an expired PENDING order, gives back its stock and batch capacity, and the catalog shows them again", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const batch = await createBatch(facet.dataSource, item.variant, { readyDate: dateFromToday(10), quantity: 4 });
    const stale = await placed(a.buyer.token, orderInput([line(item.id, 8)]));
    expect(stale.lines[0]).toMatchObject({ fromStock: 5, madeToOrder: 3 });
    const fresh = await placed(a.buyer.token, orderInput([line(item.id, 1)]));
    const supply = async () => ok(await facet.gql(ReadVariant, { id: item.id }, { token: a.buyer.token })).variant!.availability;
    expect(await supply()).toEqual({ onHand: 10, reserved: 6, available: 4, incoming: [{ unallocated: 1 }] });

    await backdate(stale.id);
    const expired = await expirePendingOrders(facet.dataSource, facet.config);
    expect(expired).toContain(rawOrderId(stale.id));
    expect(expired).not.toContain(rawOrderId(fresh.id));

    const order = await historyOf(stale.id);
    expect(order.status).toBe("CANCELLED");
    expect(order.statusHistory).toHaveLength(2);
    expect(order.statusHistory[1]).toEqual({ from: "PENDING", to: "CANCELLED", by: "Facet", note: expect.stringMatching(/^Expired unconfirmed: not confirmed within 365 days/) });
    expect((await historyOf(fresh.id)).status).toBe("PENDING");
    // Only the fresh order's unit is still held; the batch is free again.
    expect(await supply()).toEqual({ onHand: 10, reserved: 1, available: 9, incoming: [{ unallocated: 4 }] });
    expect((await sql(`SELECT allocated FROM production_batches WHERE id = $1`, [batch.id]))[0].allocated).toBe(0);

    // A second sweep finds nothing more to do with it.
    expect(await expirePendingOrders(facet.dataSource, facet.config)).not.toContain(rawOrderId(stale.id));
    expect(await cancellationsOf(stale.id)).toBe(1);
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 1 });
  });

  it("expires nothing when PENDING_ORDER_TTL_MINUTES is 0", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 4)]));
    await backdate(order.id);
    const never = { ...facet.config, reservations: { ...facet.config.reservations, pendingTtlMinutes: 0 } };
    expect(await expirePendingOrders(facet.dataSource, never)).toEqual([]);
    expect((await historyOf(order.id)).status).toBe("PENDING");
    expect(await expirePendingOrders(facet.dataSource, facet.config)).toContain(rawOrderId(order.id));
  });

  it("leaves a confirmed order alone, however old", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 4)]));
    expect(ok(await facet.gql(Confirm, { id: order.id }, { token: people.manager.token })).confirmOrder.userErrors).toEqual([]);
    await backdate(order.id);

    expect(await expirePendingOrders(facet.dataSource, facet.config)).not.toContain(rawOrderId(order.id));
    expect((await historyOf(order.id)).status).toBe("CONFIRMED");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 4 });
  });

  onRealPostgres("cancels each order once when two sweeps run at once", async () => {
    const items = await Promise.all([0, 1].map(() => sellable(facet.dataSource, { variant: { onHand: 100 }, prices: [[a.distributor, "10.00"]] })));
    const orders = [];
    for (let i = 0; i < 8; i++) orders.push(await placed(a.buyer.token, orderInput([line(items[0].id, 2), line(items[1].id, 3)])));
    expect(await stockOf(facet.dataSource, items[0].variant)).toEqual({ onHand: 100, reserved: 16 });
    for (const order of orders) await backdate(order.id);

    // Small batches, so both sweeps are busy at the same time, each taking orders the other has not locked.
    const [first, second] = await Promise.all([
      expirePendingOrders(facet.dataSource, facet.config, { batchSize: 2 }),
      expirePendingOrders(facet.dataSource, facet.config, { batchSize: 2 }),
    ]);
    const ours = new Set(orders.map((o) => rawOrderId(o.id)));
    const taken = [...first, ...second].filter((id) => ours.has(id));
    expect(taken.sort()).toEqual([...ours].sort());
    for (const order of orders) {
      expect((await historyOf(order.id)).status).toBe("CANCELLED");
      expect(await cancellationsOf(order.id)).toBe(1);
    }
    expect(await stockOf(facet.dataSource, items[0].variant)).toEqual({ onHand: 100, reserved: 0 });
    expect(await stockOf(facet.dataSource, items[1].variant)).toEqual({ onHand: 100, reserved: 0 });
  });

  it("sweeps from the process's sweeper until it is stopped", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
    const order = await placed(a.buyer.token, orderInput([line(item.id, 2)]));
    await backdate(order.id);
    const stop = startReservationSweeper(facet.dataSource, facet.config, { intervalMs: 50 });
    try {
      for (let attempt = 0; attempt < 100 && (await historyOf(order.id)).status === "PENDING"; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await stop();
    }
    expect((await historyOf(order.id)).status).toBe("CANCELLED");
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 0 });

    // Stopped, it sweeps no more.
    const later = await placed(a.buyer.token, orderInput([line(item.id, 2)]));
    await backdate(later.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await historyOf(later.id)).status).toBe("PENDING");
    await expirePendingOrders(facet.dataSource, facet.config);
  });
});
