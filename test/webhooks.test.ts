import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { Webhook } from "standardwebhooks";
import { ApiScope, UserRole } from "../src/core/access";
import type { RequestContext } from "../src/core/context";
import { startJobRunner, type JobRunner } from "../src/db/jobs";
import { withRequestRunner } from "../src/db/request-scope";
import { withTransaction } from "../src/db/transaction";
import { toGlobalId } from "../src/graphql/node";
import { recordEvents, type EventType } from "../src/modules/events";
import { webhookJobs } from "../src/modules/webhooks";
import { systemResolver } from "../src/modules/webhooks/address-guard";
import { clientToken, createApiClient, createDistributor, createUser, userToken } from "./support/factories";
import { errorCodes, startFacet, testConfig, type GraphQLResult, type TestFacet } from "./support/harness";
import { line, orderInput, sellable } from "./support/orders-factories";

// Webhooks end to end: endpoints managed through the API, deliveries written with the events,
// sent by the job runner to a real HTTP receiver on loopback, each request verified with the
// standardwebhooks package. The runner here uses a short retry schedule (100 ms steps), so no
// test waits for minutes; everything else is as configured by default.

const SCHEDULE = "0,100,100,100,100,100,100,100,100,100";
const config = testConfig({ WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE, WEBHOOK_TIMEOUT_MS: "3000" });

// DNS that changed its answer since an endpoint was saved (rebinding): `localhost` resolved to
// loopback when the endpoint was saved, and resolves to the cloud metadata address when Facet
// connects. Every other name resolves as the system does.
const REBOUND = "localhost";
const resolve = (host: string) => (host === REBOUND ? Promise.resolve([{ address: "169.254.169.254", family: 4 }]) : systemResolver(host));

let facet: TestFacet;
let runner: JobRunner;
let receiver: Receiver;

beforeAll(async () => {
  facet = await startFacet({ WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE, WEBHOOK_TIMEOUT_MS: "3000" });
  receiver = await startReceiver();
  runner = startJobRunner(facet.dataSource, webhookJobs({ config, resolve }), { pollMs: 50, concurrency: 8 });
});
afterAll(async () => {
  await runner?.stop();
  await receiver?.close();
  await facet?.stop();
});

// ---- a receiver ----------------------------------------------------------------------------------

interface Receipt {
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; body?: string; /** Answer only once this settles. */ after?: Promise<unknown> };
interface Receiver {
  port: number;
  /** A path of its own for a test, answering with `answer` (the receipts so far, this one included). */
  route(answer?: (receipts: Receipt[]) => Answer): { url: string; path: string; receipts: Receipt[] };
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const routes = new Map<string, { answer: (receipts: Receipt[]) => Answer; receipts: Receipt[] }>();
  const unrouted: Receipt[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const receipt: Receipt = { path: request.url ?? "", headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") };
      const route = routes.get(receipt.path);
      if (!route) {
        unrouted.push(receipt);
        response.writeHead(404).end();
        return;
      }
      route.receipts.push(receipt);
      const answer = route.answer(route.receipts);
      void (answer.after ?? Promise.resolve()).then(() => {
        if (!response.destroyed) response.writeHead(answer.status, answer.headers).end(answer.body ?? "");
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    route(answer = () => ({ status: 204 })) {
      const path = `/hooks/${randomUUID()}`;
      const receipts: Receipt[] = [];
      routes.set(path, { answer, receipts });
      return { url: `http://127.0.0.1:${port}${path}`, path, receipts };
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The event a receipt carries, once its signature is verified with `secret` (throws otherwise). */
function verified(receipt: Receipt, secret: string): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(receipt.body, receipt.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
}

// ---- helpers -------------------------------------------------------------------------------------

function run<T = any>(source: string, variables: Record<string, unknown> = {}, token?: string, on: TestFacet = facet): Promise<GraphQLResult<T>> {
  return on.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A distributor with an admin, a buyer, an ERP client with every scope, and staff. */
async function company() {
  const distributor = await createDistributor(facet.dataSource);
  const admin = await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
  const buyer = await createUser(facet.dataSource, { distributor, role: UserRole.BUYER });
  const { client } = await createApiClient(facet.dataSource, distributor);
  return {
    distributor,
    admin: userToken(config, admin),
    buyer: userToken(config, buyer),
    erp: clientToken(config, client),
    erpWith: (...scopes: ApiScope[]) => clientToken(config, client, scopes),
  };
}

const ENDPOINT_FIELDS = `id url eventTypes enabled disabledReason disabledAt failingSince createdByName secretRotatedAt secretRotatedByName previousSecretExpiresAt description`;
const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { webhookEndpoint { ${ENDPOINT_FIELDS} } secret userErrors { field message code } }
}`;
const DELIVERIES = `query ($endpointId: ID, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: 50) {
    nodes { id eventId eventType status attemptCount nextAttemptAt lastAttemptAt lastStatusCode lastError endpoint { id }
            attempts { number attemptedAt durationMs statusCode error responseExcerpt } }
  }
}`;

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  endpoint: { id: string } | null;
  attempts: { number: number; attemptedAt: string; durationMs: number; statusCode: number | null; error: string | null; responseExcerpt: string | null }[];
}

async function createEndpoint(token: string, url: string, eventTypes: string[] = ["order.placed"]) {
  const result = await run(CREATE, { input: { url, eventTypes, description: "ERP inbound" } }, token);
  const payload = result.data?.createWebhookEndpoint;
  if (!payload?.webhookEndpoint) throw new Error(`endpoint not created: ${JSON.stringify(result)}`);
  return { endpoint: payload.webhookEndpoint as { id: string; url: string }, secret: payload.secret as string };
}

async function deliveriesOf(token: string, endpointId: string): Promise<Delivery[]> {
  const result = await run<{ webhookDeliveries: { nodes: Delivery[] } }>(DELIVERIES, { endpointId }, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.webhookDeliveries.nodes;
}

function system<T>(work: (ctx: RequestContext) => Promise<T>): Promise<T> {
  return withRequestRunner(facet.dataSource, undefined, (db) => work({ requestId: "webhooks-test", config: facet.config, principal: null, db, dataSource: facet.dataSource, loaders: new Map(), ip: undefined }));
}

/** Writes an event of a distributor, committed; returns its id. */
async function emit(distributorId: string | null, type: EventType = "order.placed", data: Record<string, unknown> = { orderId: toGlobalId("Order", randomUUID()) }): Promise<string> {
  await system((ctx) => withTransaction(ctx, (tx) => recordEvents(tx, [{ type, distributorId, subjectId: randomUUID(), data }])));
  const [row] = (await facet.dataSource.query(`SELECT id FROM events WHERE data = $1::jsonb ORDER BY occurred_at DESC LIMIT 1`, [JSON.stringify(data)])) as { id: string }[];
  return row.id;
}

// ---- the tests -------------------------------------------------------------------------------------

describe("managing endpoints", () => {
  it("creates an endpoint for a distributor admin, answering its secret once, and lists it without the secret", async () => {
    const a = await company();
    const route = receiver.route();
    const result = await run(CREATE, { input: { url: route.url, eventTypes: ["order.placed", "order.status_changed", "order.placed"], description: "ERP" } }, a.admin);
    const payload = result.data.createWebhookEndpoint;
    expect(payload.userErrors).toEqual([]);
    expect(payload.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(payload.webhookEndpoint).toMatchObject({ url: route.url, eventTypes: ["order.placed", "order.status_changed"], enabled: true, disabledReason: null, createdByName: "Test Person" });
    const list = await run(`{ webhookEndpoints(first: 10) { nodes { id url } } }`, {}, a.erp);
    expect(list.data.webhookEndpoints.nodes).toEqual([{ id: payload.webhookEndpoint.id, url: route.url }]);
    // Nothing in the schema reads a secret back.
    expect(errorCodes(await run(`{ webhookEndpoints(first: 1) { nodes { secret } } }`, {}, a.admin))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("refuses unknown event types and those the caller may not read, naming the field", async () => {
    const a = await company();
    const route = receiver.route();
    const unknown = await run(CREATE, { input: { url: route.url, eventTypes: ["order.exploded"] } }, a.admin);
    expect(unknown.data.createWebhookEndpoint.userErrors).toEqual([{ field: ["input", "eventTypes"], message: expect.stringContaining('"order.exploded"'), code: "INVALID" }]);
    // An ERP client that may manage webhooks but not read orders may not receive order events.
    const narrow = await run(CREATE, { input: { url: route.url, eventTypes: ["order.placed", "shipment.created"] } }, a.erpWith(ApiScope.WEBHOOKS_WRITE, ApiScope.SHIPMENTS_READ));
    expect(narrow.data.createWebhookEndpoint.userErrors).toEqual([{ field: ["input", "eventTypes"], message: expect.stringContaining("order.placed"), code: "NOT_ALLOWED" }]);
    const empty = await run(CREATE, { input: { url: route.url, eventTypes: [] } }, a.admin);
    expect(empty.data.createWebhookEndpoint.userErrors).toEqual([{ field: ["input", "eventTypes"], message: expect.any(String), code: "REQUIRED" }]);
    const allowed = await run(CREATE, { input: { url: route.url, eventTypes: ["shipment.created"] } }, a.erpWith(ApiScope.WEBHOOKS_WRITE, ApiScope.SHIPMENTS_READ));
    expect(allowed.data.createWebhookEndpoint.userErrors).toEqual([]);
  });

  it("refuses callers who may not manage webhooks; staff read every distributor's but write none", async () => {
    const a = await company();
    const support = userToken(config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }));
    const manager = userToken(config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
    const input = { url: receiver.route().url, eventTypes: ["order.placed"] };
    for (const token of [a.buyer, a.erpWith(ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE), support, manager]) {
      const result = await run(CREATE, { input }, token);
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await run(`{ webhookEndpoints { nodes { id } } }`, {}, a.buyer))).toEqual(["FORBIDDEN"]);
    const { endpoint } = await createEndpoint(a.admin, input.url);
    for (const token of [support, manager]) {
      expect((await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { id url } } }`, { id: endpoint.id }, token)).data.node).toEqual({ id: endpoint.id, url: input.url });
    }
    expect(errorCodes(await run(`mutation ($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret } }`, { id: endpoint.id }, support))).toEqual(["FORBIDDEN"]);
  });

  it("keeps each distributor's endpoints and deliveries to itself: another's read as missing", async () => {
    const a = await company();
    const b = await company();
    const route = receiver.route();
    const { endpoint } = await createEndpoint(a.admin, route.url);
    await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "SUCCEEDED");

    expect((await run(`query ($id: ID!) { node(id: $id) { id } }`, { id: endpoint.id }, b.admin)).data.node).toBeNull();
    expect((await run(`query ($id: ID!) { node(id: $id) { id } }`, { id: delivery.id }, b.erp)).data.node).toBeNull();
    expect(await deliveriesOf(b.admin, endpoint.id)).toEqual([]);
    expect((await run(`{ webhookEndpoints { nodes { id } } }`, {}, b.admin)).data.webhookEndpoints.nodes).toEqual([]);
    for (const mutation of [
      `mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, enabled: false }) { userErrors { field code } } }`,
      `mutation ($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { userErrors { field code } } }`,
      `mutation ($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret userErrors { field code } } }`,
    ]) {
      const result = await run(mutation, { id: endpoint.id }, b.admin);
      expect(Object.values(result.data)[0]).toMatchObject({ userErrors: [{ field: ["input", "id"], code: "NOT_FOUND" }] });
    }
    const resend = await run(`mutation ($id: ID!) { resendWebhookDelivery(input: { id: $id }) { webhookDelivery { id } userErrors { field code } } }`, { id: delivery.id }, b.erp);
    expect(resend.data.resendWebhookDelivery).toEqual({ webhookDelivery: null, userErrors: [{ field: ["input", "id"], code: "NOT_FOUND" }] });
    // A's own endpoint is untouched and still A's.
    expect((await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled } } }`, { id: endpoint.id }, a.admin)).data.node).toEqual({ enabled: true });
  });

  it("updates, disables, enables and deletes an endpoint, and bounds how many a distributor has", async () => {
    const a = await company();
    const { endpoint } = await createEndpoint(a.admin, receiver.route().url);
    const newUrl = receiver.route().url;
    const updated = await run(
      `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { webhookEndpoint { url eventTypes enabled disabledReason description } userErrors { field code } } }`,
      { input: { id: endpoint.id, url: newUrl, eventTypes: ["shipment.created"], description: "moved", enabled: false } },
      a.erp,
    );
    expect(updated.data.updateWebhookEndpoint).toEqual({ webhookEndpoint: { url: newUrl, eventTypes: ["shipment.created"], enabled: false, disabledReason: "MANUAL", description: "moved" }, userErrors: [] });
    const enabled = await run(`mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, enabled: true }) { webhookEndpoint { enabled disabledReason } } }`, { id: endpoint.id }, a.admin);
    expect(enabled.data.updateWebhookEndpoint.webhookEndpoint).toEqual({ enabled: true, disabledReason: null });
    const badUrl = await run(`mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, url: "http://10.0.0.1:8080/x" }) { userErrors { field code } } }`, { id: endpoint.id }, a.admin);
    expect(badUrl.data.updateWebhookEndpoint.userErrors).toEqual([{ field: ["input", "url"], code: "INVALID" }]);
    const deleted = await run(`mutation ($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { deletedWebhookEndpointId userErrors { code } } }`, { id: endpoint.id }, a.admin);
    expect(deleted.data.deleteWebhookEndpoint).toEqual({ deletedWebhookEndpointId: endpoint.id, userErrors: [] });

    const url = receiver.route().url;
    for (let i = 0; i < 10; i++) await createEndpoint(a.admin, url);
    const eleventh = await run(CREATE, { input: { url, eventTypes: ["order.placed"] } }, a.admin);
    expect(eleventh.data.createWebhookEndpoint).toMatchObject({ webhookEndpoint: null, secret: null, userErrors: [{ field: null, code: "LIMIT_REACHED" }] });
  });
});

describe("refusing internal destinations", () => {
  it("refuses at save addresses that are not the public internet, whatever literal form they take", async () => {
    const a = await company();
    for (const url of [
      "http://0xa9fea9fe/latest/meta-data/", // 169.254.169.254
      "http://2852039166/",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:10.0.0.1]:8080/",
      "http://0.0.0.0:8080/",
      "http://[::]:8080/",
      "https://[fd00::1]/",
      "https://[fe80::1]/",
      "https://100.64.0.1/",
      "https://192.168.1.1/",
      "https://172.16.0.1/",
      "https://224.0.0.1/",
      "http://127.0.0.1:22/",
      "https://user:secret@hooks.example.com/",
      "ftp://hooks.example.com/",
      "https://intranet/",
      "https://no-such-host.invalid/",
    ]) {
      const result = await run(CREATE, { input: { url, eventTypes: ["order.placed"] } }, a.admin);
      expect([url, result.data.createWebhookEndpoint.userErrors]).toEqual([url, [{ field: ["input", "url"], message: expect.stringContaining("refused"), code: "INVALID" }]]);
    }
  });

  it("in production, refuses loopback in every literal form, localhost and plain http", async () => {
    const production = await startFacet({ NODE_ENV: "production" });
    try {
      const a = await company();
      const token = userToken(production.config, await createUser(facet.dataSource, { distributor: a.distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
      for (const url of [
        "https://2130706433/",
        "https://0x7f.1/",
        "https://017700000001/",
        "https://127.1/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::1]/",
        "https://localhost/",
        `http://127.0.0.1:${receiver.port}/`,
        "http://hooks.example.com/",
      ]) {
        const result = await run(CREATE, { input: { url, eventTypes: ["order.placed"] } }, token, production);
        expect([url, result.data.createWebhookEndpoint.userErrors]).toEqual([url, [{ field: ["input", "url"], message: expect.stringContaining("refused"), code: "INVALID" }]]);
      }
    } finally {
      await production.stop();
    }
  });

  it("refuses at connection time a host that now resolves to an internal address, and sends nothing", async () => {
    const a = await company();
    const route = receiver.route();
    // Saved while localhost resolves to loopback (allowed outside production)…
    const { endpoint } = await createEndpoint(a.admin, `http://${REBOUND}:${receiver.port}${route.path}`);
    // …delivered once it resolves to the metadata address.
    await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.attempts.length >= 2);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused: localhost resolves to 169\.254\.169\.254 is a link-local address/) });
    expect(route.receipts).toEqual([]);
  });
});

describe("delivering", () => {
  it("delivers an event only once its transaction commits, signed as Standard Webhooks says", async () => {
    const a = await company();
    const route = receiver.route();
    const { endpoint, secret } = await createEndpoint(a.admin, route.url, ["order.placed", "order.cancelled"]);
    const rolledBack = { orderId: toGlobalId("Order", randomUUID()), note: "rolled back" };
    await expect(
      system((ctx) =>
        withTransaction(ctx, async (tx) => {
          await recordEvents(tx, [{ type: "order.placed", distributorId: a.distributor.id, data: rolledBack }]);
          throw new Error("changed my mind");
        }),
      ),
    ).rejects.toThrow("changed my mind");
    const kept = await emit(a.distributor.id, "order.placed");
    // Not subscribed: no delivery.
    await emit(a.distributor.id, "order.confirmed");
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d.length === 1 && d[0].status === "SUCCEEDED");
    expect(delivery).toMatchObject({ eventId: kept, eventType: "order.placed", attemptCount: 1, lastStatusCode: 204, endpoint: { id: endpoint.id }, nextAttemptAt: null });
    expect(delivery.attempts).toEqual([{ number: 1, attemptedAt: expect.any(String), durationMs: expect.any(Number), statusCode: 204, error: null, responseExcerpt: null }]);
    expect(route.receipts).toHaveLength(1);
    const [receipt] = route.receipts;
    expect(receipt.headers["webhook-id"]).toBe(kept);
    expect(receipt.headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(receipt.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(receipt.headers["content-type"]).toBe("application/json");
    const event = verified(receipt, secret);
    expect(event).toEqual({ type: "order.placed", timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), data: expect.any(Object) });
    expect(event.data).not.toEqual(rolledBack);
    expect(await facet.dataSource.query(`SELECT 1 FROM events WHERE data = $1::jsonb`, [JSON.stringify(rolledBack)])).toEqual([]);
  });

  it("delivers what a buyer's order placement records, through the real mutation", async () => {
    const a = await company();
    const route = receiver.route();
    const { endpoint, secret } = await createEndpoint(a.erp, route.url, ["order.placed"]);
    const { id } = await sellable(facet.dataSource, { prices: [[a.distributor, "120.00"]] });
    const placed = await run(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }`, { input: orderInput([line(id, 1)]) }, a.buyer);
    expect(placed.data.placeOrder.userErrors).toEqual([]);
    await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "SUCCEEDED");
    expect(route.receipts).toHaveLength(1);
    expect(verified(route.receipts[0], secret)).toMatchObject({ type: "order.placed", data: expect.objectContaining({}) });
    expect(JSON.stringify(verified(route.receipts[0], secret).data)).toContain(placed.data.placeOrder.order.id);
  });

  it("fans an event of the shared catalog out to every distributor's subscribed endpoints", async () => {
    const a = await company();
    const b = await company();
    const routeA = receiver.route();
    const routeB = receiver.route();
    const hookA = await createEndpoint(a.admin, routeA.url, ["variant.availability_changed"]);
    const hookB = await createEndpoint(b.admin, routeB.url, ["variant.availability_changed"]);
    const eventId = await emit(null, "variant.availability_changed", { variantId: toGlobalId("Variant", randomUUID()), marker: randomUUID() });
    await until(() => [...routeA.receipts, ...routeB.receipts].filter((r) => r.headers["webhook-id"] === eventId).length, (n) => n === 2);
    expect(verified(routeA.receipts.find((r) => r.headers["webhook-id"] === eventId)!, hookA.secret).type).toBe("variant.availability_changed");
    expect(verified(routeB.receipts.find((r) => r.headers["webhook-id"] === eventId)!, hookB.secret).type).toBe("variant.availability_changed");
  });

  it("retries after a 500, with the same webhook-id, until it succeeds", async () => {
    const a = await company();
    const route = receiver.route((receipts) => (receipts.length === 1 ? { status: 500, body: "database is down\u0000" } : { status: 200, body: "ok" }));
    const { endpoint, secret } = await createEndpoint(a.admin, route.url);
    const eventId = await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "SUCCEEDED");
    expect(delivery.attemptCount).toBe(2);
    expect(delivery.attempts.map((t) => [t.number, t.statusCode, t.error, t.responseExcerpt])).toEqual([
      [1, 500, "answered 500", "database is down"],
      [2, 200, null, "ok"],
    ]);
    expect(route.receipts.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);
    for (const receipt of route.receipts) verified(receipt, secret);
    const after = (await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { failingSince enabled } } }`, { id: endpoint.id }, a.admin)).data.node;
    expect(after).toEqual({ failingSince: null, enabled: true });
  });

  it("waits at least what Retry-After asks before the next attempt", async () => {
    const a = await company();
    const route = receiver.route((receipts) => (receipts.length === 1 ? { status: 503, headers: { "retry-after": "2" } } : { status: 200 }));
    const { endpoint, secret } = await createEndpoint(a.admin, route.url);
    await emit(a.distributor.id);
    const [pending] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.attemptCount === 1);
    expect(pending.status).toBe("PENDING");
    // The schedule's next step is 100 ms; the receiver asked for 2 s.
    expect(Date.parse(pending.nextAttemptAt!) - Date.parse(pending.lastAttemptAt!)).toBeGreaterThanOrEqual(2000);
    const [done] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "SUCCEEDED");
    expect(Date.parse(done.attempts[1].attemptedAt)).toBeGreaterThanOrEqual(Date.parse(pending.nextAttemptAt!));
    for (const receipt of route.receipts) verified(receipt, secret);
  });

  it("counts a redirect as a failure and never follows it; the delivery fails once the schedule is spent", async () => {
    const a = await company();
    const target = receiver.route();
    const route = receiver.route(() => ({ status: 302, headers: { location: target.url } }));
    const { endpoint, secret } = await createEndpoint(a.admin, route.url);
    await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "FAILED");
    expect(delivery.attemptCount).toBe(10);
    expect(delivery.nextAttemptAt).toBeNull();
    expect(new Set(delivery.attempts.map((t) => t.statusCode))).toEqual(new Set([302]));
    expect(delivery.lastError).toMatch(/redirects are not followed/);
    expect(target.receipts).toEqual([]);
    expect(route.receipts).toHaveLength(10);
    for (const receipt of route.receipts) verified(receipt, secret);
    const state = (await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { failingSince enabled } } }`, { id: endpoint.id }, a.admin)).data.node;
    expect(state).toEqual({ failingSince: expect.any(String), enabled: true });

    // A resend starts the schedule again with the same webhook-id.
    const resent = await run(`mutation ($id: ID!) { resendWebhookDelivery(input: { id: $id }) { webhookDelivery { status } userErrors { code } } }`, { id: delivery.id }, a.erp);
    expect(resent.data.resendWebhookDelivery).toEqual({ webhookDelivery: { status: "PENDING" }, userErrors: [] });
    const again = await run(`mutation ($id: ID!) { resendWebhookDelivery(input: { id: $id }) { userErrors { field code } } }`, { id: delivery.id }, a.erp);
    expect(again.data.resendWebhookDelivery.userErrors).toEqual([{ field: ["input", "id"], code: "INVALID_STATE" }]);
    await until(() => route.receipts.length, (n) => n >= 11);
    expect(new Set(route.receipts.map((r) => r.headers["webhook-id"])).size).toBe(1);
  });

  it("disables an endpoint that answers 410 Gone at once, and tells its admin", async () => {
    const a = await company();
    const route = receiver.route(() => ({ status: 410 }));
    const { endpoint, secret } = await createEndpoint(a.admin, route.url);
    await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "FAILED");
    expect(delivery.attemptCount).toBe(1);
    verified(route.receipts[0], secret);
    const state = (await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason disabledAt } } }`, { id: endpoint.id }, a.admin)).data.node;
    expect(state).toEqual({ enabled: false, disabledReason: "GONE", disabledAt: expect.any(String) });
    const told = await until(
      () => run(`{ events(types: ["webhook_endpoint.disabled"], first: 50) { nodes { type data } } }`, {}, a.admin),
      (r) => r.data?.events.nodes.length > 0,
    );
    expect(told.data.events.nodes).toEqual([{ type: "webhook_endpoint.disabled", data: { webhookEndpointId: endpoint.id, url: route.url, reason: "GONE" } }]);
    // A disabled endpoint gets no more deliveries.
    await emit(a.distributor.id);
    expect(await deliveriesOf(a.admin, endpoint.id)).toHaveLength(1);
    // Resending to it is refused until it is enabled again.
    const resend = await run(`mutation ($id: ID!) { resendWebhookDelivery(input: { id: $id }) { userErrors { code } } }`, { id: delivery.id }, a.admin);
    expect(resend.data.resendWebhookDelivery.userErrors).toEqual([{ code: "INVALID_STATE" }]);
  });

  it("disables an endpoint with no success for 5 days since it began failing, and tells its admin and its ERP", async () => {
    const a = await company();
    const route = receiver.route(() => ({ status: 500 }));
    const { endpoint } = await createEndpoint(a.admin, route.url);
    const raw = Buffer.from(endpoint.id, "base64url").toString("utf8").split(":")[1];
    // Failing since six days ago, with no success since.
    await facet.dataSource.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [raw]);
    await emit(a.distributor.id);
    const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "FAILED");
    expect(delivery.attemptCount).toBe(1);
    const state = (await run(`query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason } } }`, { id: endpoint.id }, a.admin)).data.node;
    expect(state).toEqual({ enabled: false, disabledReason: "FAILING" });
    const query = `{ events(types: ["webhook_endpoint.disabled"], first: 50) { nodes { type data } } }`;
    for (const token of [a.admin, a.erpWith(ApiScope.WEBHOOKS_WRITE)]) {
      const told = await until(() => run(query, {}, token), (r) => r.data?.events.nodes.length > 0);
      expect(told.data.events.nodes).toEqual([{ type: "webhook_endpoint.disabled", data: { webhookEndpointId: endpoint.id, url: route.url, reason: "FAILING" } }]);
    }
    // A buyer does not read it.
    expect((await run(query, {}, a.buyer)).data.events.nodes).toEqual([]);
  });

  it("signs with both secrets for a while after a rotation, and records who rotated", async () => {
    const a = await company();
    const route = receiver.route();
    const { endpoint, secret: old } = await createEndpoint(a.admin, route.url);
    const rotated = await run(
      `mutation ($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret webhookEndpoint { secretRotatedAt secretRotatedByName previousSecretExpiresAt } userErrors { code } } }`,
      { id: endpoint.id },
      a.erp,
    );
    const { secret: fresh, webhookEndpoint } = rotated.data.rotateWebhookSecret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(webhookEndpoint).toEqual({ secretRotatedAt: expect.any(String), secretRotatedByName: "Test ERP", previousSecretExpiresAt: expect.any(String) });
    expect(Date.parse(webhookEndpoint.previousSecretExpiresAt) - Date.parse(webhookEndpoint.secretRotatedAt)).toBe(24 * 3_600_000);
    await emit(a.distributor.id);
    await until(() => route.receipts.length, (n) => n === 1);
    const [receipt] = route.receipts;
    expect(receipt.headers["webhook-signature"].split(" ")).toHaveLength(2);
    // Each secret alone verifies the webhook: both signatures are there.
    expect(verified(receipt, old).type).toBe("order.placed");
    expect(verified(receipt, fresh).type).toBe("order.placed");
    // Once the overlap is over, only the new secret signs.
    const raw = Buffer.from(endpoint.id, "base64url").toString("utf8").split(":")[1];
    await facet.dataSource.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [raw]);
    await emit(a.distributor.id);
    await until(() => route.receipts.length, (n) => n === 2);
    expect(route.receipts[1].headers["webhook-signature"].split(" ")).toHaveLength(1);
    verified(route.receipts[1], fresh);
    expect(() => verified(route.receipts[1], old)).toThrow(/No matching signature/);
  });

  it("delivers each attempt once with two runners at work", async () => {
    const second = startJobRunner(facet.dataSource, webhookJobs({ config, resolve }), { pollMs: 20, concurrency: 8 });
    try {
      const a = await company();
      const route = receiver.route();
      const { endpoint, secret } = await createEndpoint(a.admin, route.url);
      const ids: string[] = [];
      await system((ctx) =>
        withTransaction(ctx, (tx) =>
          recordEvents(
            tx,
            Array.from({ length: 30 }, () => ({ type: "order.placed" as const, distributorId: a.distributor.id, data: { orderId: toGlobalId("Order", randomUUID()) } })),
          ),
        ),
      );
      await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d.length === 30 && d.every((x) => x.status === "SUCCEEDED"));
      for (const d of await deliveriesOf(a.admin, endpoint.id)) ids.push(d.eventId);
      const counts = new Map<string, number>();
      for (const receipt of route.receipts) {
        verified(receipt, secret);
        counts.set(receipt.headers["webhook-id"], (counts.get(receipt.headers["webhook-id"]) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual(ids.sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it("takes over a delivery whose runner died mid-attempt once its lease ends; the late runner records nothing", async () => {
    const a = await company();
    let answerLate!: () => void;
    const late = new Promise<void>((r) => (answerLate = r));
    // The first request is answered only at the end (its runner is as good as dead); the next at once.
    const route = receiver.route((receipts) => (receipts.length === 1 ? { status: 500, after: late } : { status: 200 }));
    const { endpoint, secret } = await createEndpoint(a.admin, route.url);
    await runner.stop();
    // A runner whose lease is 300 ms and whose attempt may take 30 s: it holds the delivery past its lease.
    const [deliver] = webhookJobs({ config: testConfig({ WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE, WEBHOOK_TIMEOUT_MS: "30000" }), leaseMs: 300 });
    const dying = startJobRunner(facet.dataSource, [deliver], { pollMs: 20, concurrency: 1 });
    try {
      const eventId = await emit(a.distributor.id);
      await until(() => route.receipts.length, (n) => n === 1);
      runner = startJobRunner(facet.dataSource, webhookJobs({ config, resolve }), { pollMs: 50, concurrency: 8 });
      const [delivery] = await until(() => deliveriesOf(a.admin, endpoint.id), (d) => d[0]?.status === "SUCCEEDED");
      expect(route.receipts.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);
      for (const receipt of route.receipts) verified(receipt, secret);
      // The first runner hears its 500 now, too late: its lease was taken over, so nothing of it is recorded.
      answerLate();
      await dying.stop();
      const [after] = await deliveriesOf(a.admin, endpoint.id);
      expect(after).toMatchObject({ status: "SUCCEEDED", attemptCount: 1, lastStatusCode: 200 });
      expect(after.attempts.map((t) => t.statusCode)).toEqual([200]);
      expect(delivery.attemptCount).toBe(1);
    } finally {
      answerLate();
      await dying.stop();
    }
  });
});
