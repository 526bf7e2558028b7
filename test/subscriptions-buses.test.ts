import { randomUUID } from "node:crypto";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import type { DataSource } from "typeorm";
import WebSocket from "ws";
import type { Config } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { entities } from "../src/modules/entities";
import { createEventBus, PgEventBus, RedisEventBus, type EventBus } from "../src/modules/events";
import { createServer, type FacetServer } from "../src/server/app";
import { createProduct, createVariant, setPrice, variantId } from "./support/catalog-factories";
import { twoTenants } from "./support/factories";
import { testConfig } from "./support/harness";

// Two Facet instances on one database share the stream of live events: an event written through
// instance A reaches a subscriber of instance B, through PostgreSQL LISTEN/NOTIFY by default and
// through Redis pub/sub with REDIS_URL.

const realPostgres = process.env.FACET_TEST_EMBEDDED !== "1";

interface Instance {
  config: Config;
  dataSource: DataSource;
  bus: EventBus;
  server: FacetServer;
  http: string;
  ws: string;
  stop(): Promise<void>;
}

async function instance(env: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const config = testConfig(env);
  const dataSource = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 4, statementTimeoutMs: 10_000, applicationName: "facet-test" });
  await dataSource.initialize();
  const bus = await createEventBus(config, dataSource);
  const server = await createServer(config, dataSource, { eventBus: bus });
  const port = await server.listen(0, "127.0.0.1");
  return {
    config,
    dataSource,
    bus,
    server,
    http: `http://127.0.0.1:${port}/graphql`,
    ws: `ws://127.0.0.1:${port}/graphql`,
    async stop() {
      await server.stop();
      await bus.close();
      await dataSource.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An operation over HTTP, as a client sends it. */
async function post<T = any>(on: Instance, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const answer = await fetch(on.http, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await answer.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

const PLACE = `mutation BusPlace($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const CONFIRM = `mutation BusConfirm($id: ID!) { confirmOrder(input: { id: $id }) { order { status } userErrors { code } } }`;
const ADVANCE = `mutation BusAdvance($id: ID!, $status: OrderStatus!) { advanceOrderStatus(input: { id: $id, status: $status }) { order { status } userErrors { code } } }`;
const ORDER_UPDATED = `subscription BusOrder($id: ID!) { orderUpdated(id: $id) { id status } }`;
const MY_ORDERS = `subscription BusMine { myOrdersUpdated { id status } }`;

function subscriber(url: string, token: string): Client {
  return createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
}

async function watch(on: Instance, c: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: FormattedExecutionResult<any, unknown>[] = [];
  const before = on.server.subscriptions.stats().open;
  c.subscribe({ query, variables }, { next: (r) => void results.push(r), error: () => undefined, complete: () => undefined });
  await until(() => on.server.subscriptions.stats().open > before, "the subscription to start");
  return results;
}

function sharedStream(kind: "PostgreSQL" | "Redis", env: NodeJS.ProcessEnv, busType: Function) {
  let a: Instance;
  let b: Instance;
  let tenants: Awaited<ReturnType<typeof twoTenants>>;
  const clients: Client[] = [];

  beforeAll(async () => {
    a = await instance(env);
    b = await instance(env);
    tenants = await twoTenants(a.dataSource, a.config);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await a?.stop();
    await b?.stop();
  });

  const newOrder = async (t: (typeof tenants)["a"]): Promise<string> => {
    const product = await createProduct(a.dataSource, { minimumOrderQuantity: 1 });
    const variant = await createVariant(a.dataSource, product, { onHand: 100 });
    await setPrice(a.dataSource, t.distributor, variant, "100.00");
    const input = { idempotencyKey: randomUUID(), buyerReference: "PO-BUS", lines: [{ variantId: variantId(variant), quantity: 1 }] };
    const { placeOrder } = await post(a, PLACE, { input }, t.tokens.buyer);
    expect(placeOrder.userErrors).toEqual([]);
    return placeOrder.order.id as string;
  };

  it(`uses the ${kind} bus`, () => {
    expect(a.bus).toBeInstanceOf(busType);
    expect(b.bus).toBeInstanceOf(busType);
  });

  it("an order confirmed through A reaches its subscribers on B, and only its own distributor's", async () => {
    const order = await newOrder(tenants.a);
    const onB = subscriber(b.ws, tenants.a.tokens.buyer);
    const strangerOnB = subscriber(b.ws, tenants.b.tokens.buyer);
    clients.push(onB, strangerOnB);
    const one = await watch(b, onB, ORDER_UPDATED, { id: order });
    const mine = await watch(b, onB, MY_ORDERS);
    const theirs = await watch(b, strangerOnB, MY_ORDERS);
    await post(a, CONFIRM, { id: order }, tenants.staff.manager);
    await until(() => one.length >= 1 && mine.length >= 1, "A's event on B");
    expect(one).toEqual([{ data: { orderUpdated: { id: order, status: "CONFIRMED" } } }]);
    expect(mine).toEqual([{ data: { myOrdersUpdated: { id: order, status: "CONFIRMED" } } }]);
    // The stranger's own order, confirmed after, is the first thing it hears.
    const own = await newOrder(tenants.b);
    await post(a, CONFIRM, { id: own }, tenants.staff.manager);
    await until(() => theirs.some((r) => r.data?.myOrdersUpdated.status === "CONFIRMED"), "B's own event");
    expect(theirs.map((r) => r.data?.myOrdersUpdated.id)).toEqual(theirs.map(() => own));
  });

  if (kind === "PostgreSQL") {
    it("an event too large for a notification travels as its id and is read from the outbox", async () => {
      const order = await newOrder(tenants.a);
      const onB = subscriber(b.ws, tenants.a.tokens.buyer);
      clients.push(onB);
      const seen = await watch(b, onB, ORDER_UPDATED, { id: order });
      const orderId = Buffer.from(order, "base64url").toString().split(":")[1];
      const id = randomUUID();
      const data = { note: "x".repeat(9000) };
      await a.dataSource.query(`INSERT INTO events (id, type, distributor_id, subject_id, data) VALUES ($1, 'order.status_changed', $2, $3, $4)`, [
        id,
        tenants.a.distributor.id,
        orderId,
        JSON.stringify(data),
      ]);
      const before = (b.bus as PgEventBus).counts.readFromTable;
      a.bus.publish([{ id, type: "order.status_changed", distributorId: tenants.a.distributor.id, subjectId: orderId, occurredAt: new Date().toISOString(), data }]);
      await until(() => seen.length >= 1, "the large event on B");
      expect(seen).toEqual([{ data: { orderUpdated: { id: order, status: "PENDING" } } }]);
      expect((b.bus as PgEventBus).counts.readFromTable).toBe(before + 1);
    });

    it("listens again after its connection is cut, and events flow again", async () => {
      const bus = b.bus as PgEventBus;
      const reconnects = bus.counts.reconnects;
      await a.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'facet-events' AND pid <> pg_backend_pid()`,
      );
      await until(() => bus.counts.reconnects > reconnects && bus.listening && (a.bus as PgEventBus).listening, "both buses to listen again");
      const order = await newOrder(tenants.a);
      const onB = subscriber(b.ws, tenants.a.tokens.buyer);
      clients.push(onB);
      const seen = await watch(b, onB, ORDER_UPDATED, { id: order });
      await post(a, CONFIRM, { id: order }, tenants.staff.manager);
      await post(a, ADVANCE, { id: order, status: "IN_PRODUCTION" }, tenants.staff.manager);
      await until(() => seen.some((r) => r.data?.orderUpdated.status === "IN_PRODUCTION"), "events after the reconnection");
    });
  }
}

(realPostgres ? describe : describe.skip)("two instances sharing PostgreSQL LISTEN/NOTIFY", () => {
  sharedStream("PostgreSQL", {}, PgEventBus);
});

(realPostgres && process.env.TEST_REDIS_URL ? describe : describe.skip)("two instances sharing Redis pub/sub", () => {
  sharedStream("Redis", { REDIS_URL: process.env.TEST_REDIS_URL }, RedisEventBus);
});
