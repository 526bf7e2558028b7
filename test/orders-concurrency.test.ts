import { randomUUID } from "node:crypto";
import http from "node:http";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { UserRole } from "../src/core/access";
import type { RequestContext } from "../src/core/context";
import { applyScope, endRequestRunner } from "../src/db/request-scope";
import type { OrderStatus as Status } from "../src/modules/orders";
import { advanceOrderStatus, confirmOrder } from "../src/modules/orders/orders.service";
import {
  AdvanceOrderStatusDocument,
  CancelOrderDocument,
  ConfirmOrderDocument,
  OrderLeadTimeQuoteDocument,
  OrderListDocument,
  PlaceOrderBriefDocument,
  type OrderListQuery,
  type OrderStatus,
  type PlaceOrderInput,
} from "./generated/graphql";
import { createBatch, dateFromToday } from "./support/catalog-factories";
import { ok, onRealPostgres, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { footprint, line, orderInput, sellable, staff, stockOf, tenant } from "./support/orders-factories";

// Placement under concurrency against the real PostgreSQL: stock is never oversold, a retried key
// places once, and an ERP syncing by updatedSince misses no change while orders keep changing.
let facet: TestFacet;
let people: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  // Stock is split here between what a line takes from the shelf and what is made to order; the
  // share one order may reserve is tested in reservations.test.ts.
  facet = await startFacet({ RESERVATION_MAX_SHARE_PERCENT: "100" });
  people = await staff(facet.dataSource, facet.config);
  await facet.url(); // listen once, before requests race to start the server
});
afterAll(() => facet.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Clients reach Facet over a pool of keep-alive connections, as an ERP's HTTP client does. The
// server runs as many transactions at once as it has database connections (4 in tests) however
// many requests arrive; the rest wait, and with this pool they wait here rather than against the
// server's 5 s wait for a database connection, which a loaded machine can exceed while 50
// placements of one variant take turns at its stock row.
const connections = new http.Agent({ keepAlive: true, maxSockets: 8 });
afterAll(() => connections.destroy());

/** A GraphQL request over real HTTP. */
async function post<TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars, token: string): Promise<GraphQLResult<TData>> {
  const url = await facet.url("/graphql");
  const body = JSON.stringify({ query: print(document), variables });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: connections,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          try {
            resolve(JSON.parse(text) as GraphQLResult<TData>);
          } catch (error) {
            reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`, { cause: error }));
          }
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function placeOverHttp(token: string, input: PlaceOrderInput) {
  return ok(await post(PlaceOrderBriefDocument, { input }, token)).placeOrder;
}

describe("placing concurrently", () => {
  it("50 orders sent at once for a variant with 10 available reserve exactly 10; the rest are made to order", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: 10 }, variant: { onHand: 12, reserved: 2 }, prices: [[t.distributor, "10.00"]] });
    const fromShelf = ok(await facet.gql(OrderLeadTimeQuoteDocument, { variantId: item.id, quantity: 1 }, { token: t.buyer.token })).leadTimeQuote!.estimatedShipDate;
    const quantities = Array.from({ length: 50 }, (_, i) => (i % 3) + 1); // 100 units asked for
    const payloads = await Promise.all(
      quantities.map((quantity, i) => placeOverHttp(i % 5 === 0 ? t.erp : t.buyer.token, orderInput([line(item.id, quantity)]))),
    );

    for (const p of payloads) expect(p.userErrors).toEqual([]);
    const lines = payloads.map((p) => p.order!.lines[0]);
    expect(lines.map((l) => l.quantity).sort()).toEqual([...quantities].sort());
    expect(lines.reduce((n, l) => n + l.fromStock, 0)).toBe(10);
    for (const l of lines) expect(l.fromStock + l.madeToOrder).toBe(l.quantity);
    // Only the order that took the last units can be split.
    expect(lines.filter((l) => l.fromStock > 0 && l.madeToOrder > 0).length).toBeLessThanOrEqual(1);

    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 12, reserved: 12 });
    const [{ reserved }] = await facet.dataSource.query(
      `SELECT sum(l.from_stock)::int AS reserved FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.distributor_id = $1 AND l.variant_id = $2`,
      [t.distributor.id, item.variant.id],
    );
    expect(reserved).toBe(10);

    // Made to order ships when a new run would: the lead-time quote now that stock is gone.
    const newRun = ok(await facet.gql(OrderLeadTimeQuoteDocument, { variantId: item.id, quantity: 1 }, { token: t.buyer.token })).leadTimeQuote;
    expect(newRun!.fromStock).toBe(0);
    for (const l of lines) expect(l.estimatedShipDate).toBe(l.madeToOrder > 0 ? newRun!.estimatedShipDate : fromShelf);

    const numbers = payloads.map((p) => p.order!.number);
    expect(new Set(numbers).size).toBe(50);
    for (const n of numbers) expect(n).toMatch(/^EXP-\d{4}-\d{6,}$/);
  });

  /** Waits until `count` of this suite's statements touching `table` wait for a row lock. */
  async function lockWaiters(table: string, count: number): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const [{ n }] = await facet.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'facet-test' AND wait_event_type = 'Lock' AND query LIKE $1`,
        [`%${table}%`],
      );
      if (n >= count) return;
      if (Date.now() > deadline) throw new Error(`expected ${count} statements waiting on ${table}, saw ${n}`);
      await sleep(10);
    }
  }

  onRealPostgres("a cancellation giving batch capacity back while a placement takes it does not deadlock", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const capacity = [];
    for (let k = 0; k < 4; k++) {
      const item = await sellable(facet.dataSource, { variant: { onHand: 0 }, prices: [[t.distributor, "1.00"]] });
      capacity.push({ item, batch: await createBatch(facet.dataSource, item.variant, { readyDate: dateFromToday(30), quantity: 100 }) });
    }
    // The order's lines run against the order in which placement locks batches (by id).
    capacity.sort((x, y) => y.batch.id.localeCompare(x.batch.id));
    const lines = capacity.map((c) => line(c.item.id, 1));
    const earlier = ok(await facet.gql(PlaceOrderBriefDocument, { input: orderInput(lines) }, { token: t.buyer.token })).placeOrder.order!;

    // A third transaction holds one batch, so the cancellation and a new placement both queue
    // behind it: the cancellation holding what it locked before, the placement likewise.
    const holder = facet.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM production_batches WHERE id = $1 FOR UPDATE`, [capacity[1].batch.id]);
    const cancelling = facet.gql(CancelOrderDocument, { input: { id: earlier.id } }, { token: t.buyer.token });
    await lockWaiters("production_batches", 1);
    const placing = facet.gql(PlaceOrderBriefDocument, { input: orderInput(lines) }, { token: t.erp });
    await lockWaiters("production_batches", 2);
    await holder.commitTransaction();
    await holder.release();

    const [cancelled, placed] = await Promise.all([cancelling, placing]);
    expect(cancelled.errors).toBeUndefined();
    expect(placed.errors).toBeUndefined();
    expect(ok(cancelled).cancelOrder.order!.status).toBe("CANCELLED");
    expect(ok(placed).placeOrder.userErrors).toEqual([]);
    const allocated = await facet.dataSource.query(`SELECT allocated FROM production_batches WHERE id = ANY($1)`, [capacity.map((c) => c.batch.id)]);
    expect(allocated.map((r: { allocated: number }) => r.allocated)).toEqual([1, 1, 1, 1]);
  });
});

describe("waiting for a lock", () => {
  onRealPostgres("a placement that waits past the lock timeout for a stock row is tried again and succeeds", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const item = await sellable(facet.dataSource, { variant: { onHand: 5 }, prices: [[t.distributor, "10.00"]] });
    const holder = facet.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM stock_levels WHERE variant_id = $1 FOR UPDATE`, [item.variant.id]);
    const placing = placeOverHttp(t.buyer.token, orderInput([line(item.id, 2)]));
    // Held past the 2 s lock timeout: the first try fails, a later one gets the row.
    await sleep(2500);
    await holder.commitTransaction();
    await holder.release();
    const placed = await placing;
    expect(placed.userErrors).toEqual([]);
    expect(placed.order!.lines[0].fromStock).toBe(2);
    expect(await footprint(facet.dataSource, t.distributor)).toEqual({ orders: 1, lines: 1, changes: 1, keys: 1 });
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 5, reserved: 2 });
  });
});

describe("retrying concurrently", () => {
  it("the same key and input sent 8 times at once places one order and reserves once", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[t.distributor, "10.00"]] });
    const input = orderInput([line(item.id, 3)]);
    const payloads = await Promise.all(Array.from({ length: 8 }, (_, i) => placeOverHttp(i % 2 ? t.erp : t.buyer.token, input)));
    for (const p of payloads) expect(p.userErrors).toEqual([]);
    expect(new Set(payloads.map((p) => p.order!.id)).size).toBe(1);
    expect(await footprint(facet.dataSource, t.distributor)).toEqual({ orders: 1, lines: 1, changes: 1, keys: 1 });
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 10, reserved: 3 });
  });

  it("the same key with different inputs at once places one order; the others are refused", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const item = await sellable(facet.dataSource, { variant: { onHand: 100 }, prices: [[t.distributor, "10.00"]] });
    const key = randomUUID();
    const payloads = await Promise.all(Array.from({ length: 6 }, (_, i) => placeOverHttp(t.buyer.token, orderInput([line(item.id, i + 1)], { idempotencyKey: key }))));
    const placed = payloads.filter((p) => p.order);
    expect(placed).toHaveLength(1);
    for (const p of payloads.filter((x) => !x.order)) {
      expect(p.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", "idempotencyKey"], "IDEMPOTENCY_KEY_REUSED"]]);
    }
    expect(await footprint(facet.dataSource, t.distributor)).toEqual({ orders: 1, lines: 1, changes: 1, keys: 1 });
    expect(await stockOf(facet.dataSource, item.variant)).toEqual({ onHand: 100, reserved: placed[0].order!.lines[0].quantity });
  });
});

// ---- incremental sync --------------------------------------------------------------------------

describe("syncing by updatedSince", () => {
  const STEPS: OrderStatus[] = ["CONFIRMED", "IN_PRODUCTION", "QUALITY_CHECK", "PACKED"];

  /**
   * A change made inside a transaction that stays open a while, as on a busy server: its
   * updated_at is the transaction's start, earlier than changes that commit before it does.
   */
  async function slowChange(orderId: string, to: OrderStatus, holdMs: number): Promise<void> {
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const ctx: RequestContext = {
      requestId: "slow-writer",
      config: facet.config,
      principal: { kind: "user", id: people.manager.user.id, role: UserRole.EXPORT_MANAGER, distributorId: null },
      db: runner.manager,
      dataSource: facet.dataSource,
      loaders: new Map(),
      ip: undefined,
    };
    try {
      await applyScope(ctx.db, ctx.principal!, ctx.requestId);
      const payload = to === "CONFIRMED" ? await confirmOrder(ctx, { id: orderId }) : await advanceOrderStatus(ctx, { id: orderId, status: to as Status });
      await sleep(holdMs);
      if (payload.userErrors.length) await runner.rollbackTransaction();
      else await runner.commitTransaction();
    } finally {
      await endRequestRunner(runner);
    }
  }

  it("pages to the end while orders change, resumes from the last updatedAt seen, and misses nothing", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const item = await sellable(facet.dataSource, { variant: { onHand: 1000 }, prices: [[t.distributor, "10.00"]] });
    const orderIds: string[] = [];
    for (let i = 0; i < 16; i++) {
      const p = await placeOverHttp(t.buyer.token, orderInput([line(item.id, 1)]));
      orderIds.push(p.order!.id);
    }
    const statusOf = new Map(orderIds.map((id) => [id, "PENDING" as OrderStatus]));
    const pick = () => orderIds[Math.floor(Math.random() * orderIds.length)];
    const nextStep = (id: string) => STEPS[STEPS.indexOf(statusOf.get(id)!) + 1] ?? (statusOf.get(id) === "PENDING" ? "CONFIRMED" : undefined);

    let writing = true;
    const fastWriter = async () => {
      for (let n = 0; n < 30; n++) {
        const id = pick();
        const to = nextStep(id);
        if (n % 7 === 0) {
          const p = await placeOverHttp(t.erp, orderInput([line(item.id, 1)]));
          orderIds.push(p.order!.id);
          statusOf.set(p.order!.id, "PENDING");
        } else if (n % 11 === 0 && ["PENDING", "CONFIRMED"].includes(statusOf.get(id)!)) {
          const r = ok(await post(CancelOrderDocument, { input: { id } }, t.buyer.token)).cancelOrder;
          if (r.order) statusOf.set(id, "CANCELLED");
        } else if (to) {
          const r =
            to === "CONFIRMED"
              ? ok(await post(ConfirmOrderDocument, { input: { id } }, people.manager.token)).confirmOrder
              : ok(await post(AdvanceOrderStatusDocument, { input: { id, status: to } }, people.manager.token)).advanceOrderStatus;
          if (r.order) statusOf.set(id, r.order.status);
        }
      }
    };
    const slowWriter = async () => {
      for (let n = 0; n < 6; n++) {
        const id = pick();
        const to = nextStep(id);
        if (to) {
          await slowChange(id, to, 250 + Math.floor(Math.random() * 250));
          statusOf.set(id, ((await facet.dataSource.query(`SELECT status FROM orders WHERE id = $1`, [idOf(id)]))[0] as { status: OrderStatus }).status);
        }
      }
    };

    // The ERP's copy: for each order the newest version it was sent.
    const copy = new Map<string, { status: string; updatedAt: number }>();
    let since = "2000-01-01T00:00:00.000Z";
    let pages = 0;
    async function syncToEnd(): Promise<void> {
      let after: string | null = null;
      let last: string | null = null;
      for (;;) {
        const page: OrderListQuery["orders"] = ok(await post(OrderListDocument, { first: 3, after, filter: { updatedSince: since } }, t.erpWith("orders:read"))).orders;
        pages++;
        for (const { node } of page!.edges) {
          const at = new Date(node.updatedAt).getTime();
          const known = copy.get(node.id);
          if (!known || known.updatedAt <= at) copy.set(node.id, { status: node.status, updatedAt: at });
          last = node.updatedAt;
        }
        if (!page!.pageInfo.hasNextPage) break;
        after = page!.pageInfo.endCursor;
      }
      if (last) since = last;
    }

    const writers = Promise.all([fastWriter(), fastWriter(), slowWriter()]).finally(() => {
      writing = false;
    });
    while (writing) {
      await syncToEnd();
      await sleep(20);
    }
    await writers;

    // Once the writers are done, a few more syncs from where the ERP left off must bring it level.
    const truth = async () =>
      new Map(
        ((await facet.dataSource.query(`SELECT id, status, updated_at FROM orders WHERE distributor_id = $1`, [t.distributor.id])) as { id: string; status: string; updated_at: Date }[]).map(
          (r) => [r.id, { status: r.status, updatedAt: r.updated_at.getTime() }],
        ),
      );
    const byDatabaseId = () => new Map([...copy].map(([gid, v]) => [idOf(gid), v]));
    const deadline = Date.now() + 10_000;
    let expected = await truth();
    while (Date.now() < deadline) {
      await syncToEnd();
      expected = await truth();
      if (JSON.stringify([...byDatabaseId()].sort()) === JSON.stringify([...expected].sort())) break;
      await sleep(100);
    }
    expect(new Map([...byDatabaseId()].sort())).toEqual(new Map([...expected].sort()));
    expect(expected.size).toBeGreaterThan(16);
    expect(pages).toBeGreaterThan(10);
    expect(new Set([...expected.values()].map((v) => v.status)).size).toBeGreaterThan(2);
  }, 90_000);
});

function idOf(globalId: string): string {
  return Buffer.from(globalId, "base64url").toString("utf8").split(":")[1];
}
