import { UserRole } from "../src/graphql/access";
import { LIMITS, measureOperation } from "../src/graphql/limits";
import { MemoryRateLimitStore, RedisRateLimitStore } from "../src/server/rate-limit";
import { parse, type OperationDefinitionNode } from "graphql";
import { createDistributor, createUser, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";
import { buildFacetSchema } from "../src/graphql/schema";

async function post(facet: TestFacet, query: string, token?: string, variables?: Record<string, unknown>) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[]; extensions?: Record<string, any> } };
}

const shape = async (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return measureOperation(await buildFacetSchema(), document, document.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode, variables);
};

describe("measuring an operation", () => {
  it("multiplies what a connection selects by its page size, and counts depth, aliases and directives", async () => {
    expect(await shape("{ viewer { role } }")).toMatchObject({ cost: 1, depth: 2, aliases: 0 });
    // products 1 + 10 × (nodes 1 + variants 1) = 21
    expect(await shape("{ products(first: 10) { nodes { variants { sku } } } }")).toMatchObject({ cost: 21, depth: 4 });
    expect((await shape("query($n: Int) { products(first: $n) { nodes { name } } }", { n: 50 })).cost).toBe(51);
    // A connection without `first` returns the default page of 20.
    expect((await shape("{ products { nodes { name } } }")).cost).toBe(21);
    expect((await shape('{ nodes(ids: ["a", "b", "c"]) { id } }')).cost).toBe(1);
    expect((await shape('{ nodes(ids: ["a", "b", "c"]) { ... on Product { variants { sku } } } }')).cost).toBe(4);
    expect(await shape("{ a: viewer { role } b: viewer { role @include(if: true) } }")).toMatchObject({ aliases: 2, directives: 1 });
    expect(await shape("fragment F on Viewer { user { email } } { viewer { ...F } }")).toMatchObject({ cost: 2, depth: 3 });
    expect((await shape("{ __schema { types { name } } }")).introspection).toBe(true);
  });
});

describe("abuse limits over HTTP", () => {
  let facet: TestFacet;
  let token: string;
  beforeAll(async () => {
    facet = await startFacet();
    token = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
  });
  afterAll(() => facet.stop());

  const refusedAsTooComplex = (r: Awaited<ReturnType<typeof post>>, message: RegExp) => {
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(r.body.errors![0].message).toMatch(message);
    expect(r.body.data).toBeUndefined();
  };

  it("refuses a query nested deeper than the limit", async () => {
    const deep = "{ viewer { distributor { users(first: 1) { nodes { distributor { users(first: 1) { nodes { distributor { users(first: 1) { nodes { distributor { users(first: 1) { nodes { email } } } } } } } } } } } } } }";
    refusedAsTooComplex(await post(facet, deep, token), new RegExp(`at most ${LIMITS.maxDepth}`));
  });

  it("refuses a query whose lists multiply beyond the cost limit", async () => {
    const costly = "{ distributors(first: 100) { nodes { users(first: 100) { nodes { distributor { apiClients(first: 100) { nodes { name } } } } } } } }";
    refusedAsTooComplex(await post(facet, costly, token), /may cost \d+ points; at most 50000/);
  });

  it("refuses too many aliases, which would otherwise batch a brute force into one request", async () => {
    const aliases = `{ ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { role }`).join(" ")} }`;
    refusedAsTooComplex(await post(facet, aliases, token), /aliases/);
  });

  it("refuses an over-long document before parsing it", async () => {
    refusedAsTooComplex(await post(facet, `{ viewer { role } }${" ".repeat(LIMITS.maxQueryLength)}`, token), /characters long/);
  });

  it("refuses a document with too many tokens as bad input, not as an internal error", async () => {
    const tokens = `{ viewer { ${"a ".repeat(LIMITS.maxTokens)} } }`;
    const r = await post(facet, tokens, token);
    expect(r.status).toBe(400);
    expect(r.body.errors![0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("reports the remaining budget in every response", async () => {
    const first = await post(facet, "{ viewer { role } }", token);
    const second = await post(facet, "{ viewer { role } }", token);
    expect(first.body.extensions!.rateLimit).toMatchObject({ cost: 1, limit: 20000, restoreRate: 1000 });
    expect(second.body.extensions!.rateLimit.remaining).toBeLessThanOrEqual(first.body.extensions!.rateLimit.remaining);
  });
});

describe("rate limits", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ RATE_LIMIT_POINTS: "200", RATE_LIMIT_RESTORE_PER_SECOND: "1", RATE_LIMIT_ANONYMOUS_POINTS: "40", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "1" });
  });
  afterAll(() => facet.stop());

  it("answers an exhausted budget with RATE_LIMITED, 429 and Retry-After, per principal", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const a = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    const b = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    // viewer 1 + distributor 1 + users (1 + 40 × (nodes 1 + distributor 1)) = 83: two pass, the third does not.
    const query = "{ viewer { distributor { users(first: 40) { nodes { distributor { name } } } } } }";
    expect((await post(facet, query, a)).status).toBe(200);
    expect((await post(facet, query, a)).status).toBe(200);
    const refused = await post(facet, query, a);
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.body.data).toBeUndefined();
    // Another principal has its own bucket.
    expect((await post(facet, query, b)).status).toBe(200);
  });

  it("limits sign-in attempts per IP address, aliases included", async () => {
    const login = (n: number) =>
      `mutation { ${Array.from({ length: n }, (_, i) => `l${i}: login(input: { email: "nobody${i}@test.example", password: "x" }) { accessToken }`).join(" ")} }`;
    // 14 logins + 10 for the mutation = 24 points of the 40.
    const burst = await post(facet, login(14));
    expect(burst.status).toBe(200);
    const refused = await post(facet, login(14));
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0].extensions.code).toBe("RATE_LIMITED");
  });

  it("limits token requests per IP address", async () => {
    const url = await facet.url("/oauth/token");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials&client_id=x&client_secret=y" });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("rate-limit buckets", () => {
  const budget = { capacity: 10, restorePerSecond: 2 };

  it("refill at the restore rate up to the capacity", async () => {
    const store = new MemoryRateLimitStore();
    expect(await store.take("k", 8, budget, 0)).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(await store.take("k", 5, budget, 0)).toEqual({ allowed: false, remaining: 2, retryAfterSeconds: 2 });
    expect(await store.take("k", 5, budget, 1500)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(await store.take("k", 1, budget, 100_000)).toEqual({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
  });

  it("forget the least recently used keys beyond their bound", async () => {
    const store = new MemoryRateLimitStore(2);
    await store.take("a", 10, budget, 0);
    await store.take("b", 1, budget, 0);
    await store.take("c", 1, budget, 0);
    expect((await store.take("a", 10, budget, 0)).allowed).toBe(true);
  });

  const redisUrl = process.env.TEST_REDIS_URL;
  (redisUrl ? it : it.skip)("hold across instances in Redis, atomically under concurrency", async () => {
    const one = await RedisRateLimitStore.connect(redisUrl!);
    const two = await RedisRateLimitStore.connect(redisUrl!);
    const key = `test-${Date.now()}-${Math.random()}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).take(key, 1, { capacity: 10, restorePerSecond: 0.001 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    await one.close();
    await two.close();
  });
});

describe("production posture", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ NODE_ENV: "production" });
  });
  afterAll(() => facet.stop());

  it("lets only authenticated staff introspect", async () => {
    const introspect = "{ __schema { queryType { name } } }";
    expect((await post(facet, introspect)).body.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    expect((await post(facet, introspect, buyer)).body.errors![0].extensions.code).toBe("FORBIDDEN");
    const support = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }));
    expect((await post(facet, introspect, support)).body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("hides field suggestions", async () => {
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    const r = await post(facet, "{ viewe { role } }", buyer);
    expect(r.status).toBe(400);
    expect(r.body.errors![0].message).not.toMatch(/Did you mean/);
  });
});
