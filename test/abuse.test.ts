import { parse } from "graphql";
import { UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import { withRequestRunner } from "../src/db/request-scope";
import * as secrets from "../src/modules/accounts/secrets";
import { ACCOUNT_FREE_ATTEMPTS, FREE_ATTEMPTS, reserveAttempt } from "../src/modules/accounts/auth.service";
import { sourceOf } from "../src/modules/accounts/sign-in-limits";
import { createProduct, createVariant } from "./support/catalog-factories";
import { createDistributor, createUser, TEST_PASSWORD, unique, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";

// The outside test's findings on availability and accounting, each as it was tried.

const LOGIN = parse(`mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken userErrors { code message } } }`);
type LoginResult = { login: { accessToken: string | null; userErrors: { code: string; message: string }[] } };

async function post(facet: TestFacet, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as { data?: any; errors?: { message: string; extensions: { code: string } }[]; extensions?: any } };
}

describe("sign-in", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ DB_POOL_SIZE: "4", RATE_LIMIT_ANONYMOUS_POINTS: "1000000", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "100000" });
  });
  afterAll(() => facet.stop());
  afterEach(() => jest.restoreAllMocks());

  const login = (email: string, password: string, ip = "127.0.0.1") =>
    facet.gql(LOGIN, { email, password }, { context: { ip } }) as Promise<{ data?: LoginResult; errors?: unknown[] }>;

  it("holds no database connection while a password is checked", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    const pool = (facet.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    const held: number[] = [];
    const verify = secrets.verifySecret;
    jest.spyOn(secrets, "verifySecret").mockImplementation(async (secret, stored) => {
      held.push(pool.totalCount - pool.idleCount);
      return verify(secret, stored);
    });
    const wrong = await login(user.email, "wrong", "10.1.0.1");
    const right = await login(user.email, TEST_PASSWORD, "10.1.0.2");
    expect(wrong.data!.login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
    expect(right.data!.login.accessToken).toBeTruthy();
    expect(held).toEqual([0, 0]);
  });

  it("counts concurrent attempts atomically: no more are checked than allowed", async () => {
    const email = `${unique("race")}@test.example`;
    const attempts = await Promise.all(
      Array.from({ length: 14 }, () => withRequestRunner(facet.dataSource, undefined, (db) => reserveAttempt(db, email, "10.2.0.1"))),
    );
    expect(attempts.filter((a) => "account" in a)).toHaveLength(FREE_ATTEMPTS);
    expect(attempts.filter((a) => "locked" in a)).toHaveLength(14 - FREE_ATTEMPTS);
  });

  it("locks out the source that failed, not the owner signing in from elsewhere", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    for (let i = 0; i < FREE_ATTEMPTS; i++) expect((await login(user.email, `wrong-${i}`, "10.3.0.1")).data!.login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
    expect((await login(user.email, TEST_PASSWORD, "10.3.0.1")).data!.login.userErrors[0].code).toBe("TOO_MANY_ATTEMPTS");
    expect((await login(user.email, TEST_PASSWORD, "10.3.0.2")).data!.login.accessToken).toBeTruthy();
  });

  it("locks sources the account never signed in from after many failures from everywhere, but not the owner's", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    expect((await login(user.email, TEST_PASSWORD, "10.4.0.1")).data!.login.accessToken).toBeTruthy();
    for (let i = 0; i < ACCOUNT_FREE_ATTEMPTS; i++) await login(user.email, "wrong", `10.4.1.${i}`);
    const stranger = await login(user.email, TEST_PASSWORD, "10.4.2.1");
    expect(stranger.data!.login.userErrors[0]).toMatchObject({ code: "TOO_MANY_ATTEMPTS", message: expect.stringMatching(/try again in \d+ minutes/) });
    expect((await login(user.email, TEST_PASSWORD, "10.4.0.1")).data!.login.accessToken).toBeTruthy();
  });

  it("checks one sign-in per account at a time", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    const answers = await Promise.all([login(user.email, TEST_PASSWORD, "10.5.0.1"), login(user.email, TEST_PASSWORD, "10.5.0.2")]);
    // Whichever came first is checked; the other is told to wait, without a check.
    const [checked, refused] = answers[0].data!.login.accessToken ? answers : [answers[1], answers[0]];
    expect(checked.data!.login.accessToken).toBeTruthy();
    expect(refused.data!.login.userErrors[0]).toMatchObject({ code: "TOO_MANY_ATTEMPTS", message: expect.stringMatching(/in progress/) });
  });

  it("counts an IPv6 address's /64 as one source", () => {
    expect(sourceOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(sourceOf("192.0.2.1")).toBe("192.0.2.1");
  });
});

describe("scope before any write", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ RATE_LIMIT_ANONYMOUS_POINTS: "1000000", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "100000" });
  });
  afterAll(() => facet.stop());

  it("refuses a write after login in the same document, and writes nothing", async () => {
    const manager = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER, distributor: null });
    const variant = await createVariant(facet.dataSource, await createProduct(facet.dataSource), { onHand: 10 });
    const query = `mutation($email: String!, $password: String!, $variant: ID!) {
      login(input: { email: $email, password: $password }) { accessToken }
      adjustStock(input: { variantId: $variant, delta: 500, reason: "after login" }) { userErrors { message } }
    }`;
    const r = await post(facet, { query, variables: { email: manager.email, password: TEST_PASSWORD, variant: toGlobalId("Variant", variant.id) } });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]).toMatchObject({ extensions: { code: "BAD_REQUEST" }, message: expect.stringMatching(/`login` is sent alone/) });
    const [stock] = await facet.dataSource.query(`SELECT on_hand FROM stock_levels WHERE variant_id = $1`, [variant.id]);
    expect(stock.on_hand).toBe(10);
  });

  it("lets a caller who is not signed in do nothing but sign in", async () => {
    const r = await post(facet, { query: "{ products(first: 1) { nodes { id } } }" });
    expect(r.status).toBe(401);
    expect(r.body.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    expect(r.body.data).toBeUndefined();
    expect((await post(facet, { query: "{ __typename }" })).body.data).toEqual({ __typename: "Query" });
  });

  it("refuses, in the database, a request's write to an audited table that has no actor", async () => {
    const variant = await createVariant(facet.dataSource, await createProduct(facet.dataSource), { onHand: 3 });
    const write = (settings: string) =>
      withRequestRunner(facet.dataSource, undefined, async (db) => {
        await db.query(`SELECT ${settings}, set_config('role', 'facet_rls', false)`);
        await db.query(`UPDATE stock_levels SET on_hand = 99 WHERE variant_id = $1`, [variant.id]);
      });
    // (withRequestRunner does not know of the scope set by hand; the connection is reset here.)
    const reset = `SELECT set_config('role', 'none', false), set_config('app.scope', '', false), set_config('app.audit_actor', '', false)`;
    await expect(write(`set_config('app.scope', '', false)`).finally(() => facet.dataSource.query(reset))).rejects.toThrow(/without an actor to audit/);
    await expect(write(`set_config('app.scope', 'staff', false), set_config('app.audit_actor', '', false)`)).rejects.toThrow(/without an actor to audit/);
    const [stock] = await facet.dataSource.query(`SELECT on_hand FROM stock_levels WHERE variant_id = $1`, [variant.id]);
    expect(stock.on_hand).toBe(3);
  });
});

describe("budgets", () => {
  it("shares one budget among a distributor's users and API clients", async () => {
    const facet = await startFacet({ RATE_LIMIT_DISTRIBUTOR_POINTS: "100", RATE_LIMIT_DISTRIBUTOR_RESTORE_PER_SECOND: "1" });
    try {
      const distributor = await createDistributor(facet.dataSource);
      const [a, b] = [await createUser(facet.dataSource, { distributor }), await createUser(facet.dataSource, { distributor })];
      const query = "{ products(first: 5) { nodes { id } } }";
      const first = await post(facet, { query }, { authorization: `Bearer ${userToken(facet.config, a)}` });
      expect(first.status).toBe(200);
      const cost = first.body.extensions.rateLimit.cost as number;
      expect(first.body.extensions.rateLimit).toMatchObject({ limit: 100, remaining: 100 - cost });
      let refused;
      for (let i = 0; i < 100 && !refused; i++) {
        const r = await post(facet, { query }, { authorization: `Bearer ${userToken(facet.config, b)}` });
        if (r.status === 429) refused = r;
      }
      expect(refused!.body.errors![0].message).toMatch(/your distributor's shared budget/);
    } finally {
      await facet.stop();
    }
  });

  it("charges what an answer really held: back what a list did not fill, more when it held more than declared", async () => {
    const facet = await startFacet({ RATE_LIMIT_RESTORE_PER_SECOND: "1" });
    try {
      const token = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
      const ask = async (query: string) => (await post(facet, { query }, { authorization: `Bearer ${token}` })).body.extensions.rateLimit;
      // A style of 12 sizes, where a product's variants are priced at 6.
      const product = await createProduct(facet.dataSource);
      for (let i = 0; i < 12; i++) await createVariant(facet.dataSource, product);
      const more = await ask(`{ product(styleCode: "${product.styleCode}") { variants { id } } }`);
      expect(more).toMatchObject({ requestedCost: 7, cost: 13 });
      // A page of 100 asked for, 1 style found.
      const less = await ask(`{ products(first: 100, filter: { search: "${product.styleCode}" }) { nodes { id } } }`);
      expect(less).toMatchObject({ requestedCost: 101, cost: 2 });
      // The bucket paid 13 and 2, not 7 and 101 (it regains a point a second meanwhile).
      const after = await ask("{ viewer { role } }");
      expect(after.remaining).toBeGreaterThanOrEqual(20000 - 13 - 2 - 1 - 1);
      expect(after.remaining).toBeLessThanOrEqual(20000 - 13 - 2 - 1 + 10);
    } finally {
      await facet.stop();
    }
  });

  it("charges a refused request a small fixed cost, not what it asked for", async () => {
    const facet = await startFacet({ RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "1" });
    try {
      const big = `{ products(first: 100) { nodes { id variants { id } } } }`;
      for (let i = 0; i < 3; i++) expect((await post(facet, { query: big })).status).toBe(401);
      const r = await post(facet, { query: "{ __typename }" });
      // (The bucket regains a point a second meanwhile.)
      expect(r.body.extensions.rateLimit.limit).toBe(2000);
      expect(r.body.extensions.rateLimit.remaining).toBeGreaterThanOrEqual(2000 - 3 * 5 - 1);
      expect(r.body.extensions.rateLimit.remaining).toBeLessThanOrEqual(2000 - 3 * 5 - 1 + 10);
    } finally {
      await facet.stop();
    }
  });

  it("refuses an address that was just refused again before reading what it sends, but not its signed-in callers", async () => {
    const facet = await startFacet({ RATE_LIMIT_ANONYMOUS_POINTS: "150", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "1" });
    try {
      const login = { query: `mutation { login(input: { email: "nobody@test.example", password: "x" }) { accessToken } }` };
      expect((await post(facet, login)).status).toBe(200);
      const refused = await post(facet, login);
      expect(refused.status).toBe(429);
      // Not even parsed: a body that is not JSON gets the same 429, not a 400.
      const response = await fetch(await facet.url("/graphql"), { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe("RATE_LIMITED");
      const token = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
      expect((await post(facet, { query: "{ viewer { role } }" }, { authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await facet.stop();
    }
  });

  it("gives each client behind a trusted proxy a budget of its own, and not without one", async () => {
    for (const [trust, separate] of [["127.0.0.1", true], ["", false]] as const) {
      // (A point a second back: the second request finds the first one's point still spent.)
      const facet = await startFacet({ TRUST_PROXY: trust, RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "1" });
      try {
        const ask = (client: string) => post(facet, { query: "{ __typename }" }, { "x-forwarded-for": client });
        await ask("198.51.100.1");
        const other = await ask("198.51.100.2");
        expect(other.body.extensions.rateLimit.remaining).toBe(separate ? 1999 : 1998);
      } finally {
        await facet.stop();
      }
    }
  });
});

describe("answers", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ NODE_ENV: "production", RESPONSE_LIMIT: "2kb", HEADERS_TIMEOUT_MS: "5000", REQUEST_TIMEOUT_MS: "20000", MAX_CONNECTIONS: "50" });
  });
  afterAll(() => facet.stop());

  const token = async () => userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));

  it("suggests no names in production, not even in a variable's error", async () => {
    const r = await post(facet, { query: "query($f: OrderFilter) { orders(filter: $f) { nodes { id } } }", variables: { f: { serch: "x" } } }, { authorization: `Bearer ${await token()}` });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/serch/);
    expect(r.text).not.toMatch(/Did you mean/);
  });

  it("sends every API answer with no-store and nosniff, under an id of the server's own", async () => {
    const r = await post(facet, { query: "{ viewer { role } }" }, { authorization: `Bearer ${await token()}`, "x-request-id": "erp-run-42" });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses an answer larger than RESPONSE_LIMIT", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const user = await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
    for (let i = 0; i < 30; i++) await createUser(facet.dataSource, { distributor });
    const r = await post(facet, { query: "{ viewer { distributor { users(first: 50) { nodes { id email name role } } } } }" }, { authorization: `Bearer ${userToken(facet.config, user)}` });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" }, message: expect.stringMatching(/more than the 2kb allowed/) });
  });

  it("bounds how long a client may take to send a request, and how many connections it may open", () => {
    expect(facet.server.httpServer).toMatchObject({ headersTimeout: 5000, requestTimeout: 20000, maxConnections: 50 });
  });
});
