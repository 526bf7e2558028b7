import { parse } from "graphql";
import { UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import type { RequestContext } from "../src/core/context";
import type { Distributor } from "../src/modules/accounts";
import * as accountsService from "../src/modules/accounts/accounts.service";
import { briefCompany, briefIn } from "./support/briefs-factories";
import { createShippedOrder, shipmentId } from "./support/feedback-factories";
import { createUser, twoTenants, unique } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";
import { logged } from "./support/logs";

// Every bad value is refused where it enters Facet, as the client's mistake (HTTP 400 or a user
// error naming the field), before it can reach PostgreSQL; and a data exception of PostgreSQL
// that gets past the checks all the same is answered as bad input, never as an internal error.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: any; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[]; error?: string; error_description?: string };
}

async function post(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<HttpResult> {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** Sent twice: the first run is graphql-js's, the second graphql-jit's compiled one; both must answer alike. */
async function postTwice(query: string, variables: Record<string, unknown>, token?: string): Promise<HttpResult> {
  const first = await post(query, variables, token);
  const second = await post(query, variables, token);
  expect({ status: second.status, errors: second.body.errors }).toEqual({ status: first.status, errors: first.body.errors });
  return first;
}

// What a client must never read: SQL, the driver's words, PostgreSQL's types.
const LEAKS = /SQL|SELECT|INSERT|postgres|QueryFailed|driver|varchar|character varying|timestamp with|smallint|bigint|invalid input syntax|for type|0x00|Internal server error/i;

const CURSOR_REFUSED = { message: "`after` is not a cursor of this list in this order", extensions: { code: "BAD_USER_INPUT", argument: "after" } };

function expectCursorRefused(result: HttpResult) {
  expect(result.status).toBe(400);
  expect(result.body.errors).toEqual([expect.objectContaining(CURSOR_REFUSED)]);
  expect(result.text).not.toMatch(LEAKS);
}

/** A cursor of the same list and order as `cursor`, with other key values. */
function forge(cursor: string, values: (k: unknown[]) => unknown[]): string {
  const { o, k } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { o: string; k: unknown[] };
  return Buffer.from(JSON.stringify({ o, k: values(k) }), "utf8").toString("base64url");
}

async function endCursor(query: string, path: string[], token: string): Promise<string> {
  const { body } = await post(query, {}, token);
  let value: any = body.data;
  for (const key of path) value = value?.[key];
  if (typeof value !== "string") throw new Error(`no cursor at ${path.join(".")}: ${JSON.stringify(body)}`);
  return value;
}

const day = 86_400_000;

/** An order of the distributor's, shipped two days ago and not yet delivered. */
const shippedTwoDaysAgo = (distributor: Distributor, now: number) =>
  createShippedOrder(facet.dataSource, {
    distributor,
    placedAt: new Date(now - 10 * day),
    promisedShipDate: new Date(now - 3 * day).toISOString().slice(0, 10),
    shippedAt: new Date(now - 2 * day),
    deliveredAt: null,
  });

describe("forged pagination cursors", () => {
  let staff: string;
  let admin: string;
  beforeAll(async () => {
    const tenants = await twoTenants(facet.dataSource, facet.config);
    staff = tenants.staff.manager;
    admin = tenants.a.tokens.admin;
  });

  it("refuses a NUL character inside a cursor value, with HTTP 400 naming `after`", async () => {
    const distributors = await endCursor(`{ distributors(first: 1) { pageInfo { endCursor } } }`, ["distributors", "pageInfo", "endCursor"], staff);
    expectCursorRefused(await postTwice(`query ($a: String) { distributors(first: 1, after: $a) { nodes { id } } }`, { a: forge(distributors, (k) => ["Atelier\u0000", k[1]]) }, staff));

    const users = await endCursor(`{ viewer { distributor { users(first: 1) { pageInfo { endCursor } } } } }`, ["viewer", "distributor", "users", "pageInfo", "endCursor"], admin);
    expectCursorRefused(
      await postTwice(`query ($a: String) { viewer { distributor { users(first: 1, after: $a) { nodes { id } } } } }`, { a: forge(users, (k) => ["\u0000", k[1]]) }, admin),
    );
  });

  it("refuses cursor times PostgreSQL cannot hold or read: year 0, year 10000, a year BC, a time that is not one", async () => {
    const orders = await endCursor(`{ orders(first: 1) { pageInfo { endCursor } } }`, ["orders", "pageInfo", "endCursor"], staff);
    const briefs = await endCursor(`{ designBriefs(first: 1) { pageInfo { endCursor } } }`, ["designBriefs", "pageInfo", "endCursor"], staff);
    for (const time of ["0000-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "1"]) {
      expectCursorRefused(await postTwice(`query ($a: String) { orders(first: 1, after: $a) { nodes { id } } }`, { a: forge(orders, (k) => [time, k[1]]) }, staff));
      expectCursorRefused(await postTwice(`query ($a: String) { designBriefs(first: 1, after: $a) { nodes { id } } }`, { a: forge(briefs, (k) => [time, k[1]]) }, staff));
    }
  });

  it("refuses a shipment's tracking-event cursor whose time or sequence is made up", async () => {
    const tenants = await twoTenants(facet.dataSource, facet.config);
    const now = Date.now();
    const { shipment } = await createShippedOrder(facet.dataSource, {
      distributor: tenants.a.distributor,
      placedAt: new Date(now - 20 * day),
      promisedShipDate: new Date(now - 5 * day).toISOString().slice(0, 10),
      shippedAt: new Date(now - 4 * day),
      deliveredAt: new Date(now - day),
    });
    const id = shipmentId(shipment);
    const events = `query ($a: String) { node(id: "${id}") { ... on Shipment { events(first: 1, after: $a) { nodes { status } pageInfo { endCursor } } } } }`;
    const cursor = (await post(events, { a: null }, staff)).body.data.node.events.pageInfo.endCursor as string;
    for (const forged of [
      (k: unknown[]) => ["1", k[1], k[2]],
      (k: unknown[]) => ["0000-01-01T00:00:00.000Z", k[1], k[2]],
      (k: unknown[]) => ["+010000-01-01T00:00:00.000Z", k[1], k[2]],
      (k: unknown[]) => [`${k[0]}\u0000`, k[1], k[2]],
      (k: unknown[]) => [k[0], "99999999999999999999", k[2]],
    ]) {
      const result = await postTwice(events, { a: forge(cursor, forged) }, staff);
      expect(result.body.errors).toEqual([expect.objectContaining({ ...CURSOR_REFUSED, path: ["node", "events"] })]);
      expect(result.status).toBe(400);
    }
    // The real cursor still pages on.
    expect((await post(events, { a: cursor }, staff)).body.data.node.events.nodes).toHaveLength(1);
  });

  it("refuses cursor numbers beyond their column: a smallint availability rank, a bigint comment sequence", async () => {
    const products = await endCursor(`{ products(first: 1, orderBy: AVAILABILITY) { pageInfo { endCursor } } }`, ["products", "pageInfo", "endCursor"], staff);
    for (const rank of [1e15, "99999999999", 40000]) {
      expectCursorRefused(
        await postTwice(`query ($a: String) { products(first: 1, orderBy: AVAILABILITY, after: $a) { nodes { id } } }`, { a: forge(products, (k) => [rank, k[1], k[2]]) }, staff),
      );
    }

    const company = await briefCompany(facet);
    const brief = await briefIn(facet, company, "SUBMITTED");
    const comment = `mutation ($i: AddDesignBriefCommentInput!) { addDesignBriefComment(input: $i) { userErrors { code } } }`;
    for (const body of ["First question", "Second question"]) expect((await post(comment, { i: { briefId: brief.id, body } }, company.tokens.buyer)).body.data.addDesignBriefComment.userErrors).toEqual([]);
    const comments = `query ($a: String) { node(id: "${brief.id}") { ... on DesignBrief { comments(first: 1, after: $a) { nodes { body } pageInfo { endCursor } } } } }`;
    const cursor = (await post(comments, { a: null }, company.tokens.buyer)).body.data.node.comments.pageInfo.endCursor as string;
    for (const seq of ["99999999999999999999999", "9223372036854775808", 1e25]) {
      const result = await postTwice(comments, { a: forge(cursor, (k) => [seq, k[1]]) }, company.tokens.buyer);
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([expect.objectContaining(CURSOR_REFUSED)]);
    }
    expect((await post(comments, { a: cursor }, company.tokens.buyer)).body.data.node.comments.nodes).toEqual([{ body: "Second question" }]);
  });
});

describe("dates PostgreSQL cannot hold", () => {
  it("refuses a DateTime in year 0 or, once in UTC, year 10000: in a filter and in an input, which writes nothing", async () => {
    const { a, staff } = await twoTenants(facet.dataSource, facet.config);
    for (const time of ["0000-06-01T00:00:00Z", "9999-12-31T23:30:00-01:00"]) {
      const result = await post(`query ($t: DateTime) { orders(filter: { updatedSince: $t }) { nodes { id } } }`, { t: time }, staff.manager);
      expect(result.status).toBe(400);
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(result.body.errors?.[0].message).toMatch(/years 1 to 9999/);
    }

    const now = Date.now();
    const { shipment } = await shippedTwoDaysAgo(a.distributor, now);
    const record = `mutation ($i: RecordTrackingEventInput!) { recordTrackingEvent(input: $i) { userErrors { field code } } }`;
    const event = { shipmentId: shipmentId(shipment), status: "IN_TRANSIT", description: "Arrived at hub", location: "LEJ" };
    for (const times of [{ occurredAt: "0000-06-01T00:00:00Z" }, { occurredAt: new Date(now - day).toISOString(), estimatedDeliveryAt: "9999-12-31T23:30:00-01:00" }]) {
      const result = await post(record, { i: { ...event, ...times } }, staff.manager);
      expect(result.status).toBe(400);
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    }
    const [{ count }] = (await facet.dataSource.query(`SELECT count(*)::int AS count FROM tracking_events WHERE shipment_id = $1 AND description = 'Arrived at hub'`, [shipment.id])) as { count: number }[];
    expect(count).toBe(0);
  });

  it("refuses a Date in year 0, and a KPI range whose end has no next day, as bad input", async () => {
    const { staff } = await twoTenants(facet.dataSource, facet.config);
    const kpis = `query ($from: Date!, $to: Date!) { exportKpis(from: $from, to: $to) { feedbackCount } }`;
    const early = await post(kpis, { from: "0000-01-01", to: "0001-06-01" }, staff.manager);
    expect(early.status).toBe(400);
    expect(early.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);

    const late = await post(kpis, { from: "9999-06-01", to: "9999-12-31" }, staff.manager);
    expect(late.body.errors).toEqual([expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", argument: "to" } })]);
    expect(late.text).not.toMatch(LEAKS);
    // The years 1 and 9999 themselves are fine.
    for (const [from, to] of [["0001-01-01", "0001-12-31"], ["9999-01-01", "9999-12-30"]]) {
      const { exportKpis } = ok(await facet.gql(parse(kpis), { from, to }, { token: staff.manager })) as { exportKpis: unknown };
      expect(exportKpis).toEqual({ feedbackCount: 0 });
    }
  });

  it("refuses a shipment document issued in year 0, and writes nothing", async () => {
    const { a, staff } = await twoTenants(facet.dataSource, facet.config);
    const now = Date.now();
    const { shipment } = await shippedTwoDaysAgo(a.distributor, now);
    const result = await post(
      `mutation ($i: AddShipmentDocumentInput!) { addShipmentDocument(input: $i) { userErrors { field code } } }`,
      { i: { shipmentId: shipmentId(shipment), kind: "PACKING_LIST", number: "PL-0001", sha256: "a".repeat(64), url: "https://files.example/pl.pdf", issueDate: "0000-01-01" } },
      staff.manager,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(result.text).not.toMatch(LEAKS);
    const [{ count }] = (await facet.dataSource.query(`SELECT count(*)::int AS count FROM shipment_documents WHERE shipment_id = $1`, [shipment.id])) as { count: number }[];
    expect(count).toBe(0);
  });
});

describe("POST /oauth/token", () => {
  async function token(form: Record<string, string>, authorization?: string) {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(await facet.url("/oauth/token"), { method: "POST", headers, body: new URLSearchParams(form).toString() });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: string; error_description?: string; access_token?: string } };
  }
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

  it("refuses a NUL character in client_id, client_secret or scope as a malformed request (400 invalid_request)", async () => {
    const { a } = await twoTenants(facet.dataSource, facet.config);
    const grant = { grant_type: "client_credentials" };
    for (const [form, authorization] of [
      [{ ...grant, client_id: "\u0000", client_secret: a.secret }],
      [{ ...grant, client_id: `${a.client.clientId}\u0000`, client_secret: a.secret }],
      [{ ...grant, client_id: a.client.clientId, client_secret: `${a.secret}\u0000` }],
      [{ ...grant, client_id: a.client.clientId, client_secret: a.secret, scope: "catalog:read\u0000" }],
      [grant, basic("\u0000", a.secret)],
      [grant, basic(a.client.clientId, `\u0000${a.secret}`)],
    ] as [Record<string, string>, string?][]) {
      const { status, body } = await token(form, authorization);
      expect({ status, error: body.error }).toEqual({ status: 400, error: "invalid_request" });
      expect(body.error_description).toMatch(/control characters/);
    }
    // The client itself still gets its token.
    expect((await token({ ...grant, client_id: a.client.clientId, client_secret: a.secret })).status).toBe(200);
  });

  it("answers a client id too long to be anyone's as an unknown client, without a server error", async () => {
    const { status, body } = await token({ grant_type: "client_credentials", client_id: "c".repeat(5000), client_secret: "whatever" });
    expect({ status, error: body.error }).toEqual({ status: 401, error: "invalid_client" });
    const repeated = await fetch(await facet.url("/oauth/token"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=a&client_id=b&client_secret=s",
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toEqual({ error: "invalid_request", error_description: "client_id is sent more than once" });
  });

  it("answers a body over its own 10 KB limit with 413, naming 10kb, in OAuth's shape", async () => {
    const response = await fetch(await facet.url("/oauth/token"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: "erp", client_secret: "s".repeat(11 * 1024) }).toString(),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "Request body is larger than 10kb" });
  });
});

describe("a data exception that gets past the checks", () => {
  afterEach(() => jest.restoreAllMocks());

  it("is answered as bad input with HTTP 400 and a plain message, and logged at warn, not as an internal error", async () => {
    const { a } = await twoTenants(facet.dataSource, facet.config);
    // A statement of the request's own whose value PostgreSQL refuses, as an unchecked one would be.
    jest.spyOn(accountsService, "viewer").mockImplementation(async (ctx: RequestContext) => {
      await ctx.db.query("SELECT CAST($1 AS smallint)", ["99999"]);
      throw new Error("unreachable");
    });
    // The second time, the operation runs compiled (see executor.ts): the answer is the same.
    const answers: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const { result, lines } = await logged(() => post(`query BadValueRun { viewer { id } }`, {}, a.tokens.buyer));
      answers.push(result.body.errors);
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([{ message: "A number in the request is out of range", locations: expect.any(Array), path: ["viewer"], extensions: { code: "BAD_USER_INPUT" } }]);
      expect(result.body.data).toEqual({ viewer: null });
      expect(result.text).not.toMatch(LEAKS);
      expect(lines.filter((l) => l.level === "error")).toEqual([]);
      expect(lines.filter((l) => l.message === "bad value refused by the database")).toEqual([expect.objectContaining({ level: "warn", sqlState: "22003", path: ["viewer"] })]);
    }
    expect(answers[1]).toEqual(answers[0]);
  });
});

describe("createUser with an email that is taken", () => {
  it("answers alike, word for word and statement for statement, whether a colleague, another distributor's user or staff holds it", async () => {
    const { a, b } = await twoTenants(facet.dataSource, facet.config);
    const staffMember = await createUser(facet.dataSource, { role: UserRole.SUPPORT });
    const create = parse(`mutation ($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { field code message } } }`);
    const input = (email: string) => ({ email, name: "New Colleague", role: "BUYER", password: "a long enough password" });

    const answers: unknown[] = [];
    const statements: string[][] = [];
    for (const email of [a.buyer.email, b.buyer.email, staffMember.email]) {
      let payload: unknown;
      const sent = await facet.statements.during(async () => {
        payload = (ok(await facet.gql(create, { i: input(email) }, { token: a.tokens.admin })) as any).createUser;
      });
      answers.push(payload);
      statements.push(sent.map((s) => s.query));
    }
    expect(answers).toEqual([0, 1, 2].map(() => ({ user: null, userErrors: [{ field: ["input", "email"], code: "TAKEN", message: "This email cannot be given to a new user; use another address" }] })));
    expect(statements[1]).toEqual(statements[0]);
    expect(statements[2]).toEqual(statements[0]);
    const [{ count }] = (await facet.dataSource.query(`SELECT count(*)::int AS count FROM users WHERE name = 'New Colleague' AND distributor_id = $1`, [a.distributor.id])) as { count: number }[];
    expect(count).toBe(0);

    // A free address is still given.
    const email = `${unique("fresh")}@test.example`;
    expect((ok(await facet.gql(create, { i: input(email) }, { token: a.tokens.admin })) as any).createUser).toEqual({ user: { id: expect.any(String) }, userErrors: [] });
  });
});

describe("node(id:) on a User", () => {
  const node = parse(`query ($id: ID!) { node(id: $id) { id ... on User { email } } }`);
  const read = async (id: string, token: string) => (ok(await facet.gql(node, { id }, { token })) as { node: { id: string; email: string } | null }).node;

  it("follows the rule of Distributor.users: the distributor's admins and staff; a buyer reads only itself", async () => {
    const { a, b, staff } = await twoTenants(facet.dataSource, facet.config);
    const colleague = await createUser(facet.dataSource, { distributor: a.distributor, role: UserRole.BUYER });
    const colleagueId = toGlobalId("User", colleague.id);

    // A buyer and an API client find a colleague as they would an id that does not exist.
    expect(await read(colleagueId, a.tokens.buyer)).toBeNull();
    expect(await read(a.ids.admin, a.tokens.buyer)).toBeNull();
    expect(await read(colleagueId, a.tokens.client)).toBeNull();
    // A buyer still reads its own account, as viewer.user shows it.
    expect(await read(a.ids.buyer, a.tokens.buyer)).toEqual({ id: a.ids.buyer, email: a.buyer.email });

    // The distributor's admin reads its people, and no other distributor's; staff read anyone's.
    expect(await read(colleagueId, a.tokens.admin)).toEqual({ id: colleagueId, email: colleague.email });
    expect(await read(b.ids.buyer, a.tokens.admin)).toBeNull();
    expect(await read(colleagueId, staff.manager)).toEqual({ id: colleagueId, email: colleague.email });
    expect(await read(b.ids.buyer, staff.support)).toEqual({ id: b.ids.buyer, email: b.buyer.email });
  });
});
