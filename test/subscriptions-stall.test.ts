import { createClient, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";
import { toGlobalId } from "../src/graphql/node";
import { eventBusOf, type PublishedEvent } from "../src/modules/events";
import type { Order } from "../src/modules/orders";
import { CloseCodes } from "../src/server/subscriptions";
import { createOrder } from "./support/feedback-factories";
import { startFacet, type TestFacet } from "./support/harness";
import { tenant, type Tenant } from "./support/orders-factories";

// A subscriber that stops reading never takes the process down or grows its memory: each
// subscription holds a bounded number of objects pending (events about one object coalesce), a
// subscriber that falls further behind is closed with 4008, and one that stops answering pings is
// dropped. Asserted on counts the server keeps, never on heap sizes or times.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A subscriber on a plain WebSocket, which the test can stop reading (pause). */
async function rawSubscriber(facet: TestFacet, token: string, query: string, variables: Record<string, unknown> = {}) {
  const ws = new WebSocket((await facet.url("/graphql")).replace(/^http/, "ws"), "graphql-transport-ws");
  const messages: { type: string }[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  ws.on("error", () => undefined);
  let closed = false;
  ws.on("close", () => (closed = true));
  await new Promise((resolve) => ws.once("open", resolve));
  ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  await until(() => messages.some((m) => m.type === "connection_ack"), "the ack");
  const before = facet.server.subscriptions.stats().open;
  ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
  await until(() => facet.server.subscriptions.stats().open > before, "the subscription to start");
  return { ws, messages, closed: () => closed };
}

function statusEvents(t: Tenant, orders: readonly Order[], count: number): PublishedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const order = orders[i % orders.length];
    return {
      id: crypto.randomUUID(),
      type: "order.status_changed" as const,
      distributorId: t.distributor.id,
      subjectId: order.id,
      occurredAt: new Date().toISOString(),
      data: { orderId: toGlobalId("Order", order.id), from: "PACKED", to: "PACKED" },
    };
  });
}

async function ordersOf(facet: TestFacet, t: Tenant, count: number): Promise<Order[]> {
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    orders.push((await createOrder(facet.dataSource, { distributor: t.distributor, placedAt: new Date(), promisedShipDate: "2030-01-01", lines: [{ quantity: 1, unitPrice: "10.00" }] })).order);
  }
  return orders;
}

const MY_ORDERS = `subscription StallMine { myOrdersUpdated { id number status total { amount currency } lines { sku quantity } } }`;
const ORDER_UPDATED = `subscription StallOrder($id: ID!) { orderUpdated(id: $id) { id number status } }`;

describe("a subscriber that stops reading", () => {
  let facet: TestFacet;
  afterEach(() => facet?.stop());

  it("is closed with 4008 once more objects than its buffer are pending; the buffer never exceeds its bound and others go on", async () => {
    facet = await startFacet({ SUBSCRIPTION_BUFFER: "20" });
    const t = await tenant(facet.dataSource, facet.config);
    const orders = await ordersOf(facet, t, 30);
    const stalled = await rawSubscriber(facet, t.buyer.token, MY_ORDERS);
    stalled.ws.pause();
    // A healthy subscriber of one of those orders, on a socket of its own.
    const healthy: FormattedExecutionResult<any, unknown>[] = [];
    const client = createClient({ url: (await facet.url("/graphql")).replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { token: t.admin.token }, retryAttempts: 0 });
    const open = facet.server.subscriptions.stats().open;
    client.subscribe({ query: ORDER_UPDATED, variables: { id: toGlobalId("Order", orders[0].id) } }, { next: (r) => void healthy.push(r), error: () => undefined, complete: () => undefined });
    await until(() => facet.server.subscriptions.stats().open > open, "the healthy subscription");

    eventBusOf(facet.dataSource)!.publish(statusEvents(t, orders, 2000));

    await until(() => facet.server.subscriptions.stats().closedWith[CloseCodes.TOO_SLOW] === 1, "the stalled socket to be closed");
    const stats = facet.server.subscriptions.stats();
    expect(stats.overflows).toBe(1);
    expect(stats.maxPending).toBe(20);
    // The healthy subscriber heard its order once (its 67 events coalesced), and still hears.
    await until(() => healthy.length === 1, "the healthy subscriber's update");
    eventBusOf(facet.dataSource)!.publish(statusEvents(t, [orders[0]], 1));
    await until(() => healthy.length === 2, "a later update");
    expect(healthy.map((r) => r.data?.orderUpdated.id)).toEqual([toGlobalId("Order", orders[0].id), toGlobalId("Order", orders[0].id)]);
    expect(await (await fetch(await facet.url("/healthz"))).json()).toEqual({ status: "ok" });
    // The stalled socket is gone (cut when it did not answer the close); only the healthy one is left.
    await until(() => facet.server.subscriptions.stats().connections === 1, "the stalled socket to be gone");
    stalled.ws.resume();
    await until(stalled.closed, "the stalled client to see its socket closed");
    expect(facet.server.subscriptions.stats().maxPending).toBe(20);
    await client.dispose();
  });

  it("holds one pending object for 2,000 events about one object, and is dropped when it stops answering pings", async () => {
    facet = await startFacet({ SUBSCRIPTION_KEEP_ALIVE_MS: "300" });
    const t = await tenant(facet.dataSource, facet.config);
    const [order] = await ordersOf(facet, t, 1);
    const stalled = await rawSubscriber(facet, t.buyer.token, ORDER_UPDATED, { id: toGlobalId("Order", order.id) });
    stalled.ws.pause();

    eventBusOf(facet.dataSource)!.publish(statusEvents(t, [order], 2000));

    const stats = facet.server.subscriptions.stats();
    expect(stats.accepted).toBe(2000);
    expect(stats.coalesced).toBe(1999);
    expect(stats.maxPending).toBe(1);
    await until(() => facet.server.subscriptions.stats().connections === 0, "the silent socket to be dropped");
    expect(facet.server.subscriptions.stats()).toMatchObject({ open: 0, overflows: 0 });
    stalled.ws.resume();
    await until(stalled.closed, "the client to see its socket closed");
  });
});
