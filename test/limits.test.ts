import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import { Incoterm } from "../src/graphql/scalars";
import { Order, OrderStatus } from "../src/modules/orders";
import { enforceLimits, LIMITS, LIST_SIZES, measureOperation, SEARCH_SURCHARGE } from "../src/graphql/limits";
import { MemoryRateLimitStore, RedisRateLimitStore } from "../src/server/rate-limit";
import {
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  print,
  type GraphQLField,
  type OperationDefinitionNode,
} from "graphql";
import { W1_ORDER_HISTORY } from "../scripts/bench/workloads";
import { clientToken, createApiClient, createDistributor, createUser, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";
import { buildFacetSchema } from "../src/server/schema";

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

const VARIANTS = LIST_SIZES["Product.variants"].size;

describe("measuring an operation", () => {
  it("multiplies what a connection selects by its page size, and counts depth, aliases and directives", async () => {
    expect(await shape("{ viewer { role } }")).toMatchObject({ cost: 1, depth: 2, aliases: 0 });
    // products 1 + 10 × (a product 1 + its variants, each 1)
    expect(await shape("{ products(first: 10) { nodes { variants { sku } } } }")).toMatchObject({ cost: 1 + 10 * (1 + VARIANTS), depth: 4 });
    expect((await shape("query($n: Int) { products(first: $n) { nodes { name } } }", { n: 50 })).cost).toBe(51);
    // A connection without `first` returns the default page of 20.
    expect((await shape("{ products { nodes { name } } }")).cost).toBe(21);
    // One object per id.
    expect((await shape('{ nodes(ids: ["a", "b", "c"]) { id } }')).cost).toBe(3);
    expect((await shape('{ nodes(ids: ["a", "b", "c"]) { ... on Product { variants { sku } } } }')).cost).toBe(3 * (1 + VARIANTS));
    expect(await shape("{ a: viewer { role } b: viewer { role @include(if: true) } }")).toMatchObject({ aliases: 2, directives: 1 });
    expect(await shape("fragment F on Viewer { user { email } } { viewer { ...F } }")).toMatchObject({ cost: 2, depth: 3 });
    expect((await shape("{ __schema { types { name } } }")).introspection).toBe(true);
    // The playground's introspection query nests type references 15 deep; that depth does not count.
    const full = await shape(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(full).toMatchObject({ introspection: true, depth: 1 });
    expect(full.cost).toBeLessThan(LIMITS.maxCost);
    expect((await shape("{ __schema { queryType { name } } products { nodes { variants { sku } } } }")).depth).toBe(4);
    expect((await shape('{ nodes(ids: ["a", "b", "c"]) { id } }')).ids).toBe(3);
    expect((await shape("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: Array(250).fill("a") })).ids).toBe(250);
  });
});

describe("pricing what a query really costs", () => {
  it("measures a fragment bomb once per fragment: the selections visited grow with the document, not 2^n", async () => {
    // Each fragment spreads the next one twice: walked naively, 2^24 spreads.
    const levels = 24;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query{...F${i + 1} ...F${i + 1}}`);
    const bomb = `{...F0} ${fragments.join(" ")} fragment F${levels} on Query{__typename}`;
    expect(bomb.length).toBeLessThan(1024);
    const measured = await shape(bomb);
    expect(measured.visited).toBeLessThanOrEqual(2 * (levels + 1) + 1);
    // Execution collects a fragment spread twice in one selection set once: it costs what one
    // `__typename` costs.
    expect(measured.cost).toBe(1);
  });

  it("takes `first` from a variable's default when the variable is not sent", async () => {
    expect((await shape("query($n: Int = 100) { products(first: $n) { nodes { name } } }")).cost).toBe(101);
    expect((await shape("query($n: Int = 100) { products(first: $n) { nodes { name } } }", { n: 10 })).cost).toBe(11);
  });

  it("prices nodes(ids:) per id, aliases included", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => toGlobalId("Order", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`));
    expect((await shape("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids })).cost).toBe(100);
    const aliased = `query($ids: [ID!]!) { ${Array.from({ length: 30 }, (_, i) => `n${i}: nodes(ids: $ids) { id }`).join(" ")} }`;
    expect((await shape(aliased, { ids })).cost).toBe(3000);
  });

  it("charges a search of orders or briefs SEARCH_SURCHARGE beyond its objects, once per searched list", async () => {
    expect(await shape("{ orders(first: 10) { nodes { id } } }")).toMatchObject({ cost: 11, surcharge: 0 });
    expect(await shape('{ orders(first: 10, filter: { search: "EXP-2026" }) { nodes { id } } }')).toMatchObject({ cost: 11 + SEARCH_SURCHARGE, surcharge: SEARCH_SURCHARGE });
    // Through variables, and for each aliased list.
    expect(await shape("query($f: OrderFilter) { orders(filter: $f) { nodes { id } } }", { f: { search: "RG-1001" } })).toMatchObject({ surcharge: SEARCH_SURCHARGE });
    const both = "query($s: String) { a: orders(filter: { search: $s }) { nodes { id } } b: designBriefs(filter: { search: $s }) { nodes { id } } }";
    expect(await shape(both, { s: "signet" })).toMatchObject({ cost: 21 + 21 + 2 * SEARCH_SURCHARGE, surcharge: 2 * SEARCH_SURCHARGE });
    // A blank or absent search is no search, as the services take it; a list left out costs nothing.
    expect(await shape(both, { s: "  " })).toMatchObject({ cost: 42, surcharge: 0 });
    expect(await shape(both)).toMatchObject({ surcharge: 0 });
    expect(await shape('query($no: Boolean!) { orders(filter: { search: "EXP" }) @skip(if: $no) { nodes { id } } }', { no: true })).toMatchObject({ surcharge: 0 });
    // The catalog is searched through its indexes, without a distributor's whole history behind it.
    expect(await shape('{ products(filter: { search: "ring" }) { nodes { id } } }')).toMatchObject({ cost: 21, surcharge: 0 });
  });

  it("prices real clients' queries within the limits: every operation of docs/api.md and of the test suite, at their largest pages", async () => {
    // A buyer's order history page (50 orders with lines, shipments and their last events)
    // prices every line of every order, and stays well under the limit.
    const history = await shape(W1_ORDER_HISTORY);
    expect(history.cost).toBeGreaterThan(50 * LIST_SIZES["Order.lines"].size);
    expect(history.cost).toBeLessThan(LIMITS.maxCost / 10);
    const schema = await buildFacetSchema();
    const sources = readdirSync(path.join(__dirname, "graphql")).map((file) => readFileSync(path.join(__dirname, "graphql", file), "utf8"));
    const api = readFileSync(path.join(__dirname, "../docs/api.md"), "utf8");
    sources.push(...[...api.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]));
    const refused: string[] = [];
    let measured = 0;
    for (const source of sources) {
      const document = parse(source);
      for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
        // `first` at its largest; `ids` unknown, so at their largest too.
        try {
          enforceLimits(measureOperation(schema, document, operation, { first: 100 }));
        } catch (error) {
          refused.push(`${operation.name?.value ?? print(operation).slice(0, 60)}: ${(error as Error).message}`);
        }
        measured++;
      }
    }
    expect(refused).toEqual([]);
    expect(measured).toBeGreaterThan(100);
  });

  it("declares the size of every plain list of objects in the schema", async () => {
    const schema = await buildFacetSchema();
    const lists: string[] = [];
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
      const connection = type.name.endsWith("Connection") && "pageInfo" in type.getFields();
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        if (!isListType(getNullableType(field.type)) || !isCompositeType(getNamedType(field.type))) continue;
        // A connection's items are priced by its page (`first`).
        if (connection && (field.name === "nodes" || field.name === "edges")) continue;
        const key = `${type.name}.${field.name}`;
        lists.push(key);
        const declared = LIST_SIZES[key] ?? LIST_SIZES[`*.${field.name}`];
        if (!declared || !(declared.size > 0) || !declared.reason) missing.push(key);
        // The one entry for every type's field of a name applies to user errors alone.
        if (!LIST_SIZES[key] && LIST_SIZES[`*.${field.name}`]) expect([key, getNamedType(field.type).name]).toEqual([key, "UserError"]);
      }
    }
    expect(missing).toEqual([]);
    expect(lists.length).toBeGreaterThan(25);
    // And no entry names a list the schema does not have.
    const stale = Object.keys(LIST_SIZES).filter((key) => !key.startsWith("*.") && !lists.includes(key));
    expect(stale).toEqual([]);
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
    expect(r.body.errors![0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("refuses nodes(ids:) with more than 100 ids before running it", async () => {
    const query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    const r = await fetch(await facet.url("/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { ids: Array.from({ length: 101 }, (_, i) => toGlobalId("Order", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)) } }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errors: [{ message: "`ids` may hold at most 100 ids, got 101", extensions: { code: "BAD_USER_INPUT" } }] });
    const hundred = await post(facet, query, token, { ids: Array(100).fill(toGlobalId("Order", "00000000-0000-4000-8000-000000000000")) });
    expect(hundred.status).toBe(200);
    expect(hundred.body.data).toEqual({ nodes: Array(100).fill(null) });
  });

  it("refuses a NUL character in a string as bad input, before it reaches the database", async () => {
    const fromVariable = await post(facet, "query($s: String) { orders(filter: { search: $s }) { nodes { id } } }", token, { s: "EXP\u0000" });
    expect(fromVariable.status).toBe(400);
    expect(fromVariable.body).toEqual({
      errors: [{ message: "`s` may not contain the NUL character (U+0000)", extensions: { code: "BAD_USER_INPUT", argument: "s" } }],
    });
    // The same text again is the same parsed document: a document found clean is not walked
    // again, but its variables still are, and one holding a NUL is refused every time.
    const clean = await post(facet, "query($s: String) { orders(filter: { search: $s }) { nodes { id } } }", token, { s: "EXP" });
    expect(clean.status).toBe(200);
    const again = await post(facet, "query($s: String) { orders(filter: { search: $s }) { nodes { id } } }", token, { s: "EXP\u0000" });
    expect(again.status).toBe(400);
    for (let i = 0; i < 2; i++) {
      const literal = await post(facet, '{ order(number: "EXP\\u0000") { id } }', token, {});
      expect(literal.status).toBe(400);
      expect(literal.body).toEqual({ errors: [{ message: "Strings may not contain the NUL character (U+0000)", extensions: { code: "BAD_USER_INPUT" } }] });
    }
    const login = await post(facet, 'mutation($e: String!) { login(input: { email: $e, password: "x" }) { accessToken } }', undefined, { e: "a\u0000@b.example" });
    expect(login.status).toBe(400);
    expect(login.body.errors![0].extensions).toEqual({ code: "BAD_USER_INPUT", argument: "e" });
  });

  it("asks a search for its surcharge in the measured cost, and keeps it when the charge is settled", async () => {
    const r = await post(facet, '{ orders(first: 10, filter: { search: "no such order" }) { nodes { id } } }', token);
    expect(r.status).toBe(200);
    expect(r.body.extensions!.rateLimit.requestedCost).toBe(11 + SEARCH_SURCHARGE);
    // No order came back: the connection object, and the search's database time.
    expect(r.body.extensions!.rateLimit.cost).toBe(1 + SEARCH_SURCHARGE);
  });

  it("refuses a request body over BODY_LIMIT with 413, in GraphQL's error shape", async () => {
    const r = await post(facet, "query($s: String) { order(number: $s) { id } }", token, { s: "x".repeat(150_000) });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ errors: [{ message: "Request body is larger than 100kb", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("refuses a request body that is not JSON with 400", async () => {
    const r = await fetch(await facet.url("/graphql"), { method: "POST", headers: { "content-type": "application/json" }, body: '{"query": "{ viewer' });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("refuses HTTP batching: an array of operations is one bad request", async () => {
    const r = await fetch(await facet.url("/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: "{ viewer { role } }" }, { query: "{ viewer { role } }" }]),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errors: [{ message: "Operation batching disabled.", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("refuses CSRF-able simple requests: no content type, text/plain, forms, and GET without a preflight header", async () => {
    const url = await facet.url("/graphql");
    const body = JSON.stringify({ query: "{ __typename }" });
    const simple = [
      fetch(url, { method: "POST", body, headers: { authorization: `Bearer ${token}` } }),
      fetch(url, { method: "POST", body, headers: { "content-type": "text/plain", authorization: `Bearer ${token}` } }),
      fetch(url, { method: "POST", body: "query=%7B__typename%7D", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      fetch(url, { method: "POST", body, headers: { "content-type": "multipart/form-data; boundary=x" } }),
      fetch(`${url}?query=%7B__typename%7D`),
    ];
    for (const r of await Promise.all(simple)) {
      expect(r.status).toBe(400);
      const { errors } = (await r.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(errors[0].extensions.code).toBe("BAD_REQUEST");
    }
    // A header a browser cannot send cross-site without a CORS preflight lets the query through.
    const preflighted = await fetch(`${url}?query=%7B__typename%7D`, { headers: { "apollo-require-preflight": "true" } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toMatchObject({ data: { __typename: "Query" } });
  });

  it("never runs a mutation sent with GET: 405 with Allow: POST", async () => {
    const url = await facet.url("/graphql");
    const mutation = encodeURIComponent('mutation { login(input: { email: "nobody@test.example", password: "x" }) { accessToken } }');
    const r = await fetch(`${url}?query=${mutation}`, { headers: { "apollo-require-preflight": "true" } });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
    expect(await r.json()).toEqual({ errors: [{ message: "GET requests only support query operations, not mutation operations", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("reports the remaining budget in every response", async () => {
    // A caller of its own, whose bucket is full: refilling cannot make the second answer report more.
    const fresh = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER }));
    const first = await post(facet, "{ viewer { role } }", fresh);
    const second = await post(facet, "{ viewer { role } }", fresh);
    expect(first.body.extensions!.rateLimit).toMatchObject({ cost: 1, limit: 20000, restoreRate: 1000 });
    expect(second.body.extensions!.rateLimit.remaining).toBeLessThanOrEqual(first.body.extensions!.rateLimit.remaining);
  });
});

describe("rate limits", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ RATE_LIMIT_POINTS: "200", RATE_LIMIT_RESTORE_PER_SECOND: "1", RATE_LIMIT_ANONYMOUS_POINTS: "400", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "1" });
  });
  afterAll(() => facet.stop());

  it("answers an exhausted budget with RATE_LIMITED, 429 and Retry-After, per principal", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const a = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    const b = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    // Forty people, so that the answer holds what the query may cost (a query is charged what it
    // returned): viewer 1 + distributor 1 + users (1 + 40 × (nodes 1 + distributor 1)) = 83. Two
    // pass, the third does not.
    for (let i = 0; i < 38; i++) await createUser(facet.dataSource, { distributor });
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
      `mutation { ${Array.from({ length: n }, (_, i) => `${i ? `l${i}: ` : ""}login(input: { email: "nobody${i}@test.example", password: "x" }) { accessToken }`).join(" ")} }`;
    // Each login costs 100 points, however many aliases carry them: one fits the 400 of an
    // address, four never can, and are refused before any of them runs.
    const single = await post(facet, login(1));
    expect(single.status).toBe(200);
    expect(single.body.extensions!.rateLimit).toMatchObject({ requestedCost: 111, limit: 400 });
    const refused = await post(facet, login(4));
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" }, message: expect.stringMatching(/more than the whole budget of 400/) });
    expect(refused.body.data).toBeUndefined();
  });

  it("limits token requests per IP address", async () => {
    const url = await facet.url("/oauth/token");
    const statuses: number[] = [];
    // 20 points each, from a bucket of 400.
    for (let i = 0; i < 22; i++) {
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
  const slow = { capacity: 100, restorePerSecond: 0.001 };
  const both = (tag: string) => [
    { key: `${tag}-own`, budget: slow },
    { key: `${tag}-shared`, budget: { capacity: 50, restorePerSecond: 0.001 } },
  ];
  const settle = async (store: MemoryRateLimitStore | RedisRateLimitStore) => {
    const buckets = both(`settle-${Date.now()}-${Math.random()}`);
    // All buckets pay, or none: the shared one binds.
    expect(await store.takeAll(buckets, 40)).toMatchObject({ allowed: true, remaining: 10, bucket: buckets[1] });
    expect(await store.takeAll(buckets, 20)).toMatchObject({ allowed: false, bucket: buckets[1] });
    expect((await store.take(buckets[0].key, 0, slow)).remaining).toBe(60);
    // Settled: 30 back to each, up to its capacity; then 70 more from each, below zero.
    store.adjust(buckets, -30);
    await store.settled();
    expect(await store.takeAll(buckets, 0)).toMatchObject({ remaining: 40, bucket: buckets[1] });
    expect((await store.take(buckets[0].key, 0, slow)).remaining).toBe(90);
    store.adjust(buckets, 70);
    await store.settled();
    expect(await store.takeAll(buckets, 1)).toMatchObject({ allowed: false, bucket: buckets[1] });
  };
  it("take from several buckets at once and settle them afterwards, in memory", () => settle(new MemoryRateLimitStore()));
  (redisUrl ? it : it.skip)("take from several buckets at once and settle them afterwards, in Redis", async () => {
    const store = await RedisRateLimitStore.connect(redisUrl!);
    try {
      await settle(store);
    } finally {
      await store.close();
    }
  });

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

(process.env.TEST_REDIS_URL ? describe : describe.skip)("rate limits across two Facet instances sharing Redis", () => {
  let one: TestFacet;
  let two: TestFacet;
  beforeAll(async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL, RATE_LIMIT_POINTS: "200", RATE_LIMIT_RESTORE_PER_SECOND: "1" };
    one = await startFacet(env);
    two = await startFacet(env);
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
  });

  it("spends one bucket per principal, whichever instance answers", async () => {
    const distributor = await createDistributor(one.dataSource);
    const token = userToken(one.config, await createUser(one.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    for (let i = 0; i < 39; i++) await createUser(one.dataSource, { distributor });
    // 83 points each (see above): two fit in the shared 200-point bucket, a third does not, on either
    // instance; with a bucket per instance the third, on the first instance again, would pass.
    const query = "{ viewer { distributor { users(first: 40) { nodes { distributor { name } } } } } }";
    const first = await post(one, query, token);
    const second = await post(two, query, token);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.extensions!.rateLimit.remaining).toBeLessThan(first.body.extensions!.rateLimit.remaining);
    const third = await post(one, query, token);
    expect(third.status).toBe(429);
    expect(third.body.errors![0].extensions.code).toBe("RATE_LIMITED");
    expect((await post(two, query, token)).status).toBe(429);
  });
});

describe("production posture", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ NODE_ENV: "production", CORS_ORIGINS: "https://portal.example" });
  });
  afterAll(() => facet.stop());

  it("lets any signed-in caller introspect, and no anonymous one", async () => {
    const introspect = "{ __schema { queryType { name } } }";
    const anonymous = await post(facet, introspect);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors![0].extensions.code).toBe("UNAUTHENTICATED");
    const distributor = await createDistributor(facet.dataSource);
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
    const client = clientToken(facet.config, (await createApiClient(facet.dataSource, distributor, { scopes: [ApiScope.ORDERS_READ] })).client);
    const support = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }));
    for (const token of [buyer, client, support]) {
      const r = await post(facet, introspect, token);
      expect([r.status, r.body.data]).toEqual([200, { __schema: { queryType: { name: "Query" } } }]);
    }
  });

  it("serves the SDL at GET /schema.graphql to any signed-in caller, as schema/schema.graphql holds it", async () => {
    const url = await facet.url("/schema.graphql");
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="facet"');
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await fetch(url, { headers: { authorization: "Bearer not.a.token" } })).status).toBe(401);
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    const sdl = await fetch(url, { headers: { authorization: `Bearer ${buyer}` } });
    expect(sdl.status).toBe(200);
    expect(sdl.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await sdl.text()).toBe(readFileSync(path.join(__dirname, "../schema/schema.graphql"), "utf8"));
  });

  it("refuses aliased pages of products whose variants' products list their variants again", async () => {
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    const page = "products(first: 100) { nodes { styleCode variants { sku product { variants { sku price { amount currency } } } } } }";
    const query = `{ ${Array.from({ length: 18 }, (_, i) => `p${i}: ${page}`).join(" ")} }`;
    const r = await post(facet, query, buyer);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(r.body.errors![0].message).toMatch(new RegExp(`^The query may cost \\d+ points; at most ${LIMITS.maxCost} are allowed`));
    // One such page alone passes: what is refused is the multiplication.
    expect((await post(facet, `{ ${page} }`, buyer)).status).toBe(200);
  });

  it("hides field suggestions", async () => {
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    const r = await post(facet, "{ viewe { role } }", buyer);
    expect(r.status).toBe(400);
    expect(r.body.errors![0].message).not.toMatch(/Did you mean/);
  });

  // The embedded test database serves one connection, which the lock holder would take.
  (process.env.FACET_TEST_EMBEDDED === "1" ? it.skip : it)("masks a database failure: a bare message and code, no stack, SQL or database message", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
    const { identifiers } = await facet.dataSource.manager.insert(Order, {
      number: `MASK-${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      distributorId: distributor.id,
      buyerReference: "PO-MASK",
      currency: "EUR",
      incoterm: Incoterm.DAP,
      estimatedShipDate: "2030-01-01",
      status: OrderStatus.PENDING,
      total: "10.0000",
      lineCount: 1,
    });
    const orderId = identifiers[0].id as string;
    // Another transaction holds the order's row lock, so cancelling it fails in the database
    // with a lock timeout: a moment's contention, answered as one.
    const holder = facet.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT id FROM orders WHERE id = $1 FOR UPDATE`, [orderId]);
      const r = await post(facet, "mutation($id: ID!) { cancelOrder(input: { id: $id }) { order { status } userErrors { code } } }", buyer, {
        id: toGlobalId("Order", orderId),
      });
      expect(r.status).toBe(503);
      expect(r.body.data).toBeNull();
      expect(r.body.errors).toEqual([
        { message: "Facet is busy; retry in 3 s", locations: [{ line: 1, column: 22 }], path: ["cancelOrder"], extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: 3 } },
      ]);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // Nothing was written: the request's transaction rolled back.
    expect((await facet.dataSource.manager.findOneByOrFail(Order, { id: orderId })).status).toBe(OrderStatus.PENDING);
  });

  it("keeps stack traces out of the errors clients are meant to see", async () => {
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    const r = await post(facet, '{ order(id: "x", number: "y") { id } }', buyer);
    expect(r.body.errors).toEqual([
      { message: "Give exactly one of `id` and `number`", locations: [{ line: 1, column: 3 }], path: ["order"], extensions: { code: "BAD_USER_INPUT", argument: "id" } },
    ]);
  });

  it("allows cross-origin calls only from the configured origins", async () => {
    const url = await facet.url("/graphql");
    const preflight = (origin: string) =>
      fetch(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" } });
    const allowed = await preflight("https://portal.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://portal.example");
    expect(allowed.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    const foreign = await preflight("https://evil.example");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers GraphQL at /graphql and below it, in any case, and nowhere else", async () => {
    const ask = async (path: string, init: RequestInit = { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' }) => {
      const r = await fetch(await facet.url(path), init);
      const text = await r.text();
      return { status: r.status, length: r.headers.get("content-length"), requestId: r.headers.get("x-request-id"), body: JSON.parse(text) as unknown, text };
    };
    for (const path of ["/graphql", "/graphql/", "/GraphQL", "/graphql?x=1"]) {
      const r = await ask(path);
      expect([path, r.status, r.body]).toMatchObject([path, 200, { data: { __typename: "Query" } }]);
      expect(Number(r.length)).toBe(Buffer.byteLength(r.text));
    }
    const get = await ask(`/graphql?query=${encodeURIComponent("{ __typename }")}`, { headers: { "apollo-require-preflight": "true", "x-request-id": "get-1" } });
    // (The response's id is the server's own; the client's is logged beside it.)
    expect(get).toMatchObject({ status: 200, body: { data: { __typename: "Query" } }, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await ask("/graphqlx")).toMatchObject({ status: 404, body: { error: "not_found" }, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("serves no landing page or playground script from /graphql", async () => {
    const r = await fetch(await facet.url("/graphql"), { headers: { accept: "text/html", "apollo-require-preflight": "true" } });
    expect(r.headers.get("content-type")).not.toMatch(/text\/html/);
  });
});
