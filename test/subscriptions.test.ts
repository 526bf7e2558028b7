import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import jwt from "jsonwebtoken";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { User } from "../src/modules/accounts";
import { CloseCodes } from "../src/server/subscriptions";
import { briefCompany, briefIn, type BriefCompany } from "./support/briefs-factories";
import { clientToken, twoTenants } from "./support/factories";
import { ok, startFacet, TEST_JWT_SECRET, type GraphQLResult, type TestFacet } from "./support/harness";
import { tenant } from "./support/orders-factories";
import { createShipment, hoursFromNow, packedOrder, placeOrder, shipmentInput, stockedVariant } from "./support/shipment-factories";

// Live subscriptions over WebSocket (graphql-ws on /graphql, docs/subscriptions.md), against the
// real HTTP server: sign-in in connection_init, each subscription's events, tenancy, the token's
// expiry and revocation, the caps, the limits on documents and shutdown.

let facet: TestFacet;
let tenants: Awaited<ReturnType<typeof twoTenants>>;
let url: string;

beforeAll(async () => {
  facet = await startFacet();
  tenants = await twoTenants(facet.dataSource, facet.config);
  url = (await facet.url("/graphql")).replace(/^http/, "ws");
});
afterAll(() => facet.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `condition`, checking every 20 ms, for up to `ms` (generous: never a fixed sleep). */
async function until(condition: () => boolean, what: string | (() => string), ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await sleep(20);
  }
}

function run<T = any>(source: string, variables: Record<string, unknown>, token: string, on: TestFacet = facet): Promise<GraphQLResult<T>> {
  return on.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const CONFIRM = `mutation SubsConfirm($id: ID!) { confirmOrder(input: { id: $id }) { order { status } userErrors { code } } }`;
const ADVANCE = `mutation SubsAdvance($id: ID!, $status: OrderStatus!) { advanceOrderStatus(input: { id: $id, status: $status }) { order { status } userErrors { code } } }`;
const RECORD = `mutation SubsRecord($input: RecordTrackingEventInput!) { recordTrackingEvent(input: $input) { shipment { status } userErrors { code message } } }`;
const REVIEW = `mutation SubsReview($id: ID!, $v: Int!) { startDesignBriefReview(input: { id: $id, expectedVersion: $v }) { designBrief { status } userErrors { code } } }`;

const ORDER_UPDATED = `subscription SubsOrder($id: ID!) { orderUpdated(id: $id) { id number status } }`;
const MY_ORDERS = `subscription SubsMine { myOrdersUpdated { id status } }`;
const SHIPMENT_UPDATED = `subscription SubsShipment($id: ID!) { shipmentUpdated(id: $id) { id status estimatedDeliveryAt events(first: 3) { nodes { status location } } } }`;
const BRIEF_UPDATED = `subscription SubsBrief($id: ID!) { designBriefUpdated(id: $id) { id status version } }`;

/** A graphql-ws client that never retries, so that every close reaches the test. */
function client(token: string | undefined, socketUrl = url): { client: Client; closes: number[] } {
  const closes: number[] = [];
  const c = createClient({
    url: socketUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    on: { closed: (event) => closes.push((event as { code: number }).code) },
  });
  return { client: c, closes };
}

interface Watch {
  results: FormattedExecutionResult<any, unknown>[];
  state: { error: unknown; done: boolean };
  stop: () => void;
}

function watch(c: Client, query: string, variables: Record<string, unknown> = {}): Watch {
  const results: FormattedExecutionResult<any, unknown>[] = [];
  const state = { error: undefined as unknown, done: false };
  const stop = c.subscribe({ query, variables }, { next: (r) => void results.push(r), error: (e) => (state.error = e), complete: () => (state.done = true) });
  return { results, state, stop };
}

/** Subscribes and waits until the server runs the stream (its count of open streams has grown). */
async function subscribed(c: Client, query: string, variables: Record<string, unknown> = {}, on: TestFacet = facet): Promise<Watch> {
  const before = on.server.subscriptions.stats().open;
  const w = watch(c, query, variables);
  await until(() => on.server.subscriptions.stats().open > before || w.state.done || w.state.error !== undefined, "the subscription to start");
  return w;
}

/** A plain WebSocket speaking graphql-transport-ws, to see exactly what the server does. */
interface Raw {
  ws: WebSocket;
  messages: { type: string; id?: string; payload?: any }[];
  close: Promise<{ code: number; reason: string }>;
  send(message: object): void;
}

async function raw(socketUrl = url, protocol = "graphql-transport-ws"): Promise<Raw> {
  const ws = new WebSocket(socketUrl, protocol);
  const messages: Raw["messages"] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  const close = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, messages, close, send: (message) => ws.send(JSON.stringify(message)) };
}

/** Signs in with `payload`: the ack's payload, or the close code when refused. */
async function signIn(payload: Record<string, unknown>): Promise<{ ack?: any; closed?: number; raw: Raw }> {
  const r = await raw();
  r.send({ type: "connection_init", payload });
  let closed: number | undefined;
  void r.close.then((c) => (closed = c.code));
  await until(() => closed !== undefined || r.messages.some((m) => m.type === "connection_ack"), "an answer to connection_init");
  return { ack: r.messages.find((m) => m.type === "connection_ack")?.payload, closed, raw: r };
}

/** A token for `user` that expires in `seconds`, signed as Facet signs them. */
function shortToken(user: { id: string; tokenVersion?: number }, seconds: number): string {
  return jwt.sign({ typ: "user", sub: user.id, tv: user.tokenVersion ?? 1 }, TEST_JWT_SECRET, {
    algorithm: "HS256",
    issuer: facet.config.jwt.issuer,
    audience: facet.config.jwt.audience,
    expiresIn: seconds,
    jwtid: randomUUID(),
  });
}

async function newOrder(t: (typeof tenants)["a"]) {
  const variant = await stockedVariant(facet, t.distributor);
  return placeOrder(facet, t.tokens.buyer, [{ variantId: variant, quantity: 1 }]);
}

describe("signing in", () => {
  it("closes a connection without a token, with a bad one or with a malformed header with 4403", async () => {
    expect((await signIn({})).closed).toBe(CloseCodes.FORBIDDEN);
    expect((await signIn({ authorization: "Bearer not-a-token" })).closed).toBe(CloseCodes.FORBIDDEN);
    expect((await signIn({ authorization: tenants.a.tokens.buyer })).closed).toBe(CloseCodes.FORBIDDEN);
    const forged = jwt.sign({ typ: "user", sub: tenants.a.buyer.id, tv: 1 }, "another-secret-that-is-long-enough-0123456789", { expiresIn: 60 });
    expect((await signIn({ authorization: `Bearer ${forged}` })).closed).toBe(CloseCodes.FORBIDDEN);
  });

  it("acknowledges a valid token, as a header or as `token`, with when it expires", async () => {
    for (const payload of [{ authorization: `Bearer ${tenants.a.tokens.buyer}` }, { token: tenants.a.tokens.buyer }]) {
      const { ack, closed, raw: r } = await signIn(payload);
      expect(closed).toBeUndefined();
      expect(new Date(ack.expiresAt).getTime()).toBeGreaterThan(Date.now());
      r.ws.close();
    }
  });

  it("closes with 4408 a connection that never sends connection_init", async () => {
    const quick = await startFacet({ SUBSCRIPTION_INIT_TIMEOUT_MS: "200" });
    try {
      const r = await raw((await quick.url("/graphql")).replace(/^http/, "ws"));
      expect((await r.close).code).toBe(4408);
    } finally {
      await quick.stop();
    }
  });

  it("refuses an upgrade on any other path, and a subscription over HTTP points at the WebSocket", async () => {
    const other = new WebSocket(url.replace("/graphql", "/playground"), "graphql-transport-ws");
    other.on("error", () => undefined);
    const status = await new Promise<number>((resolve) => other.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
    other.terminate();

    const answer = await fetch(await facet.url("/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tenants.a.tokens.buyer}` },
      body: JSON.stringify({ query: MY_ORDERS }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0].message).toMatch(/WebSocket/);
  });
});

describe("orderUpdated and myOrdersUpdated", () => {
  it("yields the order, read afresh, at each status change", async () => {
    const order = await newOrder(tenants.a);
    const { client: c } = client(tenants.a.tokens.buyer);
    try {
      const w = await subscribed(c, ORDER_UPDATED, { id: order.id });
      ok(await run(CONFIRM, { id: order.id }, tenants.staff.manager));
      await until(() => w.results.length >= 1, "the confirmation");
      expect(w.results[0]).toEqual({ data: { orderUpdated: { id: order.id, number: order.number, status: "CONFIRMED" } } });
      ok(await run(ADVANCE, { id: order.id, status: "IN_PRODUCTION" }, tenants.staff.manager));
      await until(() => w.results.some((r) => r.data?.orderUpdated.status === "IN_PRODUCTION"), "the move to production");
      expect(w.results.every((r) => r.errors === undefined)).toBe(true);
    } finally {
      await c.dispose();
    }
  });

  it("refuses another distributor's order exactly as an unknown one, and gives it no events", async () => {
    const theirs = await newOrder(tenants.b);
    const { client: c } = client(tenants.a.tokens.buyer);
    try {
      const other = watch(c, ORDER_UPDATED, { id: theirs.id });
      const unknown = watch(c, ORDER_UPDATED, { id: Buffer.from(`Order:${randomUUID()}`).toString("base64url") });
      await until(() => other.state.done && unknown.state.done, "both refusals");
      expect(other.results).toEqual(unknown.results);
      expect(other.results).toEqual([{ errors: [expect.objectContaining({ message: "No order with this id", extensions: { code: "BAD_USER_INPUT", argument: "id" } })] }]);
      ok(await run(CONFIRM, { id: theirs.id }, tenants.staff.manager));
      // Nothing arrives later either: a stream of A's own shows events still flow meanwhile.
      const mine = await newOrder(tenants.a);
      const own = await subscribed(c, ORDER_UPDATED, { id: mine.id });
      ok(await run(CONFIRM, { id: mine.id }, tenants.staff.manager));
      await until(() => own.results.length >= 1, "A's own event");
      expect(other.results).toHaveLength(1);
    } finally {
      await c.dispose();
    }
  });

  it("myOrdersUpdated yields its own distributor's orders only; staff see every distributor's", async () => {
    const mineA = await newOrder(tenants.a);
    const mineB = await newOrder(tenants.b);
    const a = client(tenants.a.tokens.buyer);
    const b = client(tenants.b.tokens.client);
    const staff = client(tenants.staff.support);
    try {
      const wa = await subscribed(a.client, MY_ORDERS);
      const wb = await subscribed(b.client, MY_ORDERS);
      const ws = await subscribed(staff.client, MY_ORDERS);
      ok(await run(CONFIRM, { id: mineA.id }, tenants.staff.manager));
      await until(() => wa.results.length >= 1 && ws.results.length >= 1, "A's and staff's events");
      // B's own event, published after A's, is the first (and only) thing B hears.
      ok(await run(CONFIRM, { id: mineB.id }, tenants.staff.manager));
      await until(() => wb.results.length >= 1 && ws.results.length >= 2, "B's event");
      expect(wa.results.map((r) => r.data?.myOrdersUpdated)).toEqual([{ id: mineA.id, status: "CONFIRMED" }]);
      expect(wb.results.map((r) => r.data?.myOrdersUpdated)).toEqual([{ id: mineB.id, status: "CONFIRMED" }]);
      expect(ws.results.map((r) => r.data?.myOrdersUpdated.id)).toEqual([mineA.id, mineB.id]);
      // A new order is news too.
      const placed = await newOrder(tenants.a);
      await until(() => wa.results.length >= 2, "the new order");
      expect(wa.results[1].data?.myOrdersUpdated).toEqual({ id: placed.id, status: "PENDING" });
      expect(wb.results).toHaveLength(1);
    } finally {
      await Promise.all([a.client.dispose(), b.client.dispose(), staff.client.dispose()]);
    }
  });

  it("refuses a caller who may not read orders, as the query does", async () => {
    const { client: narrow } = client(clientToken(facet.config, tenants.a.client, ["catalog:read"]));
    const { client: full } = client(tenants.a.tokens.client);
    try {
      const w = watch(narrow, MY_ORDERS);
      await until(() => w.state.done, "the refusal");
      expect(w.results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: "FORBIDDEN" } })] }]);
      const allowed = await subscribed(full, MY_ORDERS);
      expect(allowed.state).toEqual({ error: undefined, done: false });
    } finally {
      await Promise.all([narrow.dispose(), full.dispose()]);
    }
  });
});

describe("shipmentUpdated and designBriefUpdated", () => {
  it("shipmentUpdated yields the shipment with its new tracking event, status and ETA", async () => {
    const variant = await stockedVariant(facet, tenants.a.distributor);
    const order = await packedOrder(facet, { buyer: tenants.a.tokens.buyer, manager: tenants.staff.manager }, [{ variantId: variant, quantity: 1 }]);
    const shipment = await createShipment(facet, tenants.staff.manager, shipmentInput(order.id));
    const { client: c } = client(tenants.a.tokens.buyer);
    try {
      const w = await subscribed(c, SHIPMENT_UPDATED, { id: shipment.id });
      const eta = hoursFromNow(72);
      const recorded = ok(
        await run(
          RECORD,
          { input: { shipmentId: shipment.id, occurredAt: hoursFromNow(-1), status: "IN_TRANSIT", location: "Delhi, IN", description: "Departed", estimatedDeliveryAt: eta } },
          tenants.staff.manager,
        ),
      );
      expect(recorded.recordTrackingEvent.userErrors).toEqual([]);
      await until(() => w.results.length >= 1, () => `the tracking event (so far ${JSON.stringify(w)})`);
      const seen = w.results.at(-1)!.data!.shipmentUpdated;
      expect(seen).toMatchObject({ id: shipment.id, status: "IN_TRANSIT", estimatedDeliveryAt: new Date(eta).toISOString() });
      expect(seen.events.nodes[0]).toEqual({ status: "IN_TRANSIT", location: "Delhi, IN" });
    } finally {
      await c.dispose();
    }
  });

  it("designBriefUpdated yields the brief at a status change; another distributor's brief is unknown", async () => {
    const company: BriefCompany = await briefCompany(facet);
    const brief = await briefIn(facet, company, "SUBMITTED");
    const { client: c } = client(company.tokens.buyer);
    const { client: stranger } = client(tenants.b.tokens.buyer);
    try {
      const refused = watch(stranger, BRIEF_UPDATED, { id: brief.id });
      const w = await subscribed(c, BRIEF_UPDATED, { id: brief.id });
      ok(await run(REVIEW, { id: brief.id, v: brief.version }, company.tokens.manager));
      await until(() => w.results.length >= 1 && refused.state.done, "the review's start");
      expect(w.results[0].data?.designBriefUpdated).toEqual({ id: brief.id, status: "IN_REVIEW", version: brief.version + 1 });
      expect(refused.results[0].errors?.[0].message).toBe("No design brief with this id");
    } finally {
      await Promise.all([c.dispose(), stranger.dispose()]);
    }
  });
});

describe("the token", () => {
  it("closes the socket with 4403 when the token expires", async () => {
    const token = shortToken(tenants.a.buyer, 2);
    const { ack, raw: r } = await signIn({ authorization: `Bearer ${token}` });
    expect(ack).toBeDefined();
    const closed = await r.close;
    expect(closed.code).toBe(CloseCodes.FORBIDDEN);
    expect(closed.reason).toMatch(/expired/);
  });

  it("closes the socket with 4403 at the next event once the account no longer holds the token", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const variant = await stockedVariant(facet, t.distributor);
    const order = await placeOrder(facet, t.admin.token, [{ variantId: variant, quantity: 1 }]);
    const { client: c, closes } = client(t.buyer.token);
    try {
      const w = await subscribed(c, MY_ORDERS);
      // Deactivation raises the token version: the buyer's token is retired.
      await facet.dataSource.manager.increment(User, { id: t.buyer.user.id }, "tokenVersion", 1);
      ok(await run(CONFIRM, { id: order.id }, tenants.staff.manager));
      await until(() => closes.length > 0, "the socket to close");
      expect(closes).toEqual([CloseCodes.FORBIDDEN]);
      expect(w.results).toEqual([]);
    } finally {
      await c.dispose();
    }
  });
});

describe("limits", () => {
  it("refuses the (N+1)th connection of one user with 4029, and of one distributor", async () => {
    const capped = await startFacet({ SUBSCRIPTION_CONNECTIONS_PER_USER: "2", SUBSCRIPTION_CONNECTIONS_PER_DISTRIBUTOR: "3" });
    const wsUrl = (await capped.url("/graphql")).replace(/^http/, "ws");
    const open: WebSocket[] = [];
    const connect = async (token: string) => {
      const r = await raw(wsUrl);
      r.send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
      let closed: number | undefined;
      void r.close.then((c) => (closed = c.code));
      await until(() => closed !== undefined || r.messages.some((m) => m.type === "connection_ack"), "an answer");
      if (closed === undefined) open.push(r.ws);
      return closed;
    };
    try {
      expect(await connect(tenants.a.tokens.buyer)).toBeUndefined();
      expect(await connect(tenants.a.tokens.buyer)).toBeUndefined();
      expect(await connect(tenants.a.tokens.buyer)).toBe(CloseCodes.TOO_MANY_CONNECTIONS);
      // Another person of the distributor has a connection of their own, up to the distributor's cap.
      expect(await connect(tenants.a.tokens.admin)).toBeUndefined();
      expect(await connect(tenants.a.tokens.admin)).toBe(CloseCodes.TOO_MANY_CONNECTIONS);
      // Another distributor is not held back.
      expect(await connect(tenants.b.tokens.buyer)).toBeUndefined();
      // A connection closed makes room again.
      open[0].close();
      await until(() => capped.server.subscriptions.stats().connections === open.length - 1, "the close to be counted");
      expect(await connect(tenants.a.tokens.buyer)).toBeUndefined();
      expect(capped.server.subscriptions.stats().closedWith[CloseCodes.TOO_MANY_CONNECTIONS]).toBe(2);
    } finally {
      for (const ws of open) ws.terminate();
      await capped.stop();
    }
  });

  it("caps the subscriptions running on one connection", async () => {
    const capped = await startFacet({ SUBSCRIPTIONS_PER_CONNECTION: "2" });
    const { client: c } = client(tenants.a.tokens.buyer, (await capped.url("/graphql")).replace(/^http/, "ws"));
    try {
      await subscribed(c, MY_ORDERS, {}, capped);
      await subscribed(c, MY_ORDERS, {}, capped);
      const third = watch(c, MY_ORDERS);
      await until(() => third.state.error !== undefined, "the refusal");
      expect((third.state.error as { message: string }[])[0].message).toMatch(/At most 2 subscriptions/);
    } finally {
      await c.dispose();
      await capped.stop();
    }
  });

  it("applies the query limits to subscription documents, and runs nothing but subscriptions", async () => {
    const { client: c } = client(tenants.a.tokens.buyer);
    try {
      const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(" ");
      const tooMany = watch(c, `subscription SubsAliases { myOrdersUpdated { ${aliases} } }`);
      const query = watch(c, `query SubsQuery { viewer { role } }`);
      const invalid = watch(c, `subscription SubsInvalid { myOrdersUpdated { nope } }`);
      await until(() => [tooMany, query, invalid].every((w) => w.state.error !== undefined), "the refusals");
      const first = (w: Watch) => (w.state.error as { message: string; extensions: { code: string } }[])[0];
      expect(first(tooMany)).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" }, message: expect.stringMatching(/31 aliases/) });
      expect(first(query)).toMatchObject({ extensions: { code: "BAD_REQUEST" }, message: expect.stringMatching(/subscriptions only/) });
      expect(first(invalid).extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    } finally {
      await c.dispose();
    }
  });

  it("refuses a message larger than 64 kB", async () => {
    const { raw: r } = await signIn({ authorization: `Bearer ${tenants.a.tokens.buyer}` });
    r.send({ id: "1", type: "subscribe", payload: { query: MY_ORDERS, variables: { padding: "x".repeat(70 * 1024) } } });
    expect((await r.close).code).toBe(1009);
  });
});

describe("shutdown", () => {
  it("closes every socket with 1001 before the listener closes", async () => {
    const own = await startFacet();
    const wsUrl = (await own.url("/graphql")).replace(/^http/, "ws");
    const { client: c, closes } = client(tenants.a.tokens.buyer, wsUrl);
    const w = await subscribed(c, MY_ORDERS, {}, own);
    await own.stop();
    await until(() => closes.length > 0, "the close");
    expect(closes).toEqual([CloseCodes.GOING_AWAY]);
    expect(own.server.subscriptions.stats()).toMatchObject({ open: 0, connections: 0 });
    expect(w.results).toEqual([]);
    await c.dispose();
    // No new connection is taken once stopped.
    const late = new WebSocket(wsUrl, "graphql-transport-ws");
    const refused = await new Promise<boolean>((resolve) => {
      late.on("error", () => resolve(true));
      late.on("open", () => resolve(false));
    });
    expect(refused).toBe(true);
  });
});
