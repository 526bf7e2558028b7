import net from "node:net";
import { Writable } from "node:stream";
import { QueryFailedError, type DataSource } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import { entities } from "../src/modules/entities";
import { log, setLogDestination, setLogLevel } from "../src/logger";
import { createDistributor, createUser, TEST_PASSWORD, userToken } from "./support/factories";
import { onRealPostgres, startFacet, type TestFacet } from "./support/harness";

const METRICS_TOKEN = "metrics-token-for-the-tests-0123456789";

/** Every log line written while the test runs, parsed, and the raw text of them all. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  let raw = "";
  setLogLevel("info");
  setLogDestination(
    new Writable({
      write(chunk, _encoding, done) {
        const text = chunk.toString();
        raw += text;
        for (const line of text.split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  return { lines, raw: () => raw };
}

async function post(facet: TestFacet, query: string, { token, variables }: { token?: string; variables?: Record<string, unknown> } = {}) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, requestId: response.headers.get("x-request-id"), body: (await response.json()) as { errors?: { extensions: { code: string } }[] } };
}

async function scrape(facet: TestFacet, authorization?: string) {
  const response = await fetch(await facet.url("/metrics"), { headers: authorization ? { authorization } : {} });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

/** The value of one sample, e.g. sample(text, 'facet_x_count{operation="A"}'); undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("metrics at GET /metrics", () => {
  let facet: TestFacet;
  let buyerToken: string;
  beforeAll(async () => {
    // A small bucket, so that one large query is refused by the rate limit.
    facet = await startFacet({ METRICS_TOKEN, RATE_LIMIT_POINTS: "100", RATE_LIMIT_RESTORE_PER_SECOND: "1" });
    const distributor = await createDistributor(facet.dataSource);
    buyerToken = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
  });
  afterAll(() => facet.stop());

  it("is refused without the metrics token, or with another one", async () => {
    const none = await scrape(facet);
    expect(none.status).toBe(401);
    expect(none.text).not.toContain("facet_");
    expect((await scrape(facet, "Bearer not-the-metrics-token-at-all")).status).toBe(401);
    // An access token of a user is not the metrics token either.
    expect((await scrape(facet, `Bearer ${buyerToken}`)).status).toBe(401);
  });

  it("reports request durations by operation and outcome, SQL per request, loader batches, the pool and rate-limit refusals", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post(facet, "query ObservedViewer { viewer { role user { email distributor { name } } } }", { token: buyerToken });
      expect(r.status).toBe(200);
    }
    const refused = await post(facet, "query ObservedBadToken { viewer { role } }", { token: "not.a.token" });
    expect(refused.status).toBe(401);
    // 61 of the 100 points (the catalog holds more than 60 styles), a point a second back: the
    // second is refused.
    const costly = "query ObservedCostly { products(first: 60) { nodes { id } } }";
    expect((await post(facet, costly, { token: buyerToken })).status).toBe(200);
    const limited = await post(facet, costly, { token: buyerToken });
    expect(limited.body.errors?.[0].extensions.code).toBe("RATE_LIMITED");

    const { status, contentType, text } = await scrape(facet, `Bearer ${METRICS_TOKEN}`);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain/);

    expect(sample(text, 'facet_graphql_request_duration_seconds_count{operation="ObservedViewer",outcome="ok"}')).toBe(3);
    expect(sample(text, 'facet_graphql_request_duration_seconds_bucket{le="+Inf",operation="ObservedViewer",outcome="ok"}')).toBe(3);
    // Refused before GraphQL parsed it, so its operation is not known.
    expect(sample(text, 'facet_graphql_request_duration_seconds_count{operation="anonymous",outcome="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(text, 'facet_graphql_request_duration_seconds_count{operation="ObservedCostly",outcome="RATE_LIMITED"}')).toBe(1);

    // The caller with its scope, the viewer's user and distributor, the scope's reset: four each.
    expect(sample(text, 'facet_sql_statements_per_request_count{operation="ObservedViewer"}')).toBe(3);
    expect(sample(text, 'facet_sql_statements_per_request_sum{operation="ObservedViewer"}')).toBe(3 * 4);
    expect(sample(text, "facet_sql_statements_total")).toBeGreaterThan(0);

    expect(sample(text, 'facet_dataloader_batch_size_count{loader="distributorById"}')).toBe(3);
    expect(sample(text, 'facet_dataloader_batch_size_sum{loader="distributorById"}')).toBe(3);

    expect(sample(text, 'facet_rate_limit_rejections_total{principal="user",endpoint="graphql"}')).toBe(1);

    for (const state of ["in_use", "idle", "waiting"]) expect(sample(text, `facet_db_pool_connections{state="${state}"}`)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'facet_db_pool_connections{state="idle"}')).toBeGreaterThan(0);
    expect(sample(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("gives every request's connection back, however the request ends", async () => {
    const url = await facet.url("/graphql");
    const raw = (init: RequestInit) => fetch(url, { ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });
    const auth = { authorization: `Bearer ${buyerToken}` };
    const endings = [
      await post(facet, "query Pooled { viewer { role } }", { token: buyerToken }),
      await post(facet, "mutation PooledLogin { login(input: { email: \"nobody@test.example\", password: \"not the password\" }) { userErrors { code } } }"),
      await post(facet, "query PooledBroken { viewer { nope } }", { token: buyerToken }),
      await post(facet, "query PooledBadToken { viewer { role } }", { token: "not.a.token" }),
    ].map((r) => r.status);
    // Signed in, but refused by HTTP rules after the context was built: no query, a GET mutation, a batch.
    endings.push((await raw({ method: "POST", headers: auth, body: "{}" })).status);
    endings.push((await fetch(`${url}?query=${encodeURIComponent('mutation { login(input: { email: "a@test.example", password: "x" }) { userErrors { code } } }')}`, { headers: { ...auth, "apollo-require-preflight": "1" } })).status);
    endings.push((await raw({ method: "POST", headers: auth, body: JSON.stringify([{ query: "{ viewer { role } }" }]) })).status);
    expect(endings).toEqual([200, 200, 400, 401, 400, 405, 400]);
    const { text } = await scrape(facet, `Bearer ${METRICS_TOKEN}`);
    expect(sample(text, 'facet_db_pool_connections{state="in_use"}')).toBe(0);
    expect(sample(text, 'facet_db_pool_connections{state="waiting"}')).toBe(0);
  });

  it("counts unnamed operations under one label", async () => {
    await post(facet, "{ viewer { role } }", { token: buyerToken });
    const { text } = await scrape(facet, `Bearer ${METRICS_TOKEN}`);
    expect(sample(text, 'facet_graphql_request_duration_seconds_count{operation="anonymous",outcome="ok"}')).toBe(1);
  });

  it("measures every request GraphQL answers, at whichever of its paths", async () => {
    const before = sample((await scrape(facet, `Bearer ${METRICS_TOKEN}`)).text, 'facet_graphql_request_duration_seconds_count{operation="PathProbe",outcome="ok"}') ?? 0;
    for (const path of ["/graphql", "/graphql/", "/GraphQL"]) {
      const response = await fetch(await facet.url(path), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${buyerToken}` },
        body: JSON.stringify({ query: "query PathProbe { viewer { role } }" }),
      });
      expect([path, response.status]).toEqual([path, 200]);
    }
    const { text } = await scrape(facet, `Bearer ${METRICS_TOKEN}`);
    expect(sample(text, 'facet_graphql_request_duration_seconds_count{operation="PathProbe",outcome="ok"}')).toBe(before + 3);
  });
});

describe("GET /metrics without METRICS_TOKEN", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ METRICS_TOKEN: "" });
  });
  afterAll(() => facet.stop());

  it("does not exist", async () => {
    const r = await scrape(facet, `Bearer ${METRICS_TOKEN}`);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain("facet_");
  });
});

describe("request logs", () => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet();
  });
  afterAll(async () => {
    setLogDestination();
    setLogLevel("warn");
    await facet.stop();
  });

  it("write one JSON line per request with its id, operation, principal, duration, SQL count and error code", async () => {
    const logs = captureLogs();
    const distributor = await createDistributor(facet.dataSource);
    const token = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
    const ok = await post(facet, "query LoggedViewer { viewer { role } }", { token });
    const refused = await post(facet, "query LoggedRefused { viewer { role } }", { token: "not.a.token" });

    const line = logs.lines.find((l) => l.message === "request" && l.requestId === ok.requestId);
    expect(line).toMatchObject({ level: "info", path: "/graphql", status: 200, operation: "LoggedViewer", principal: "user", errorCode: null });
    expect(line!.durationMs).toEqual(expect.any(Number));
    // The caller with its scope, the viewer's user and distributor, the scope's reset.
    expect(line!.statements).toBe(4);
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);

    const refusedLine = logs.lines.find((l) => l.message === "request" && l.requestId === refused.requestId);
    expect(refusedLine).toMatchObject({ status: 401, operation: null, principal: "anonymous", errorCode: "UNAUTHENTICATED" });
  });

  it("never hold a token, a password or an email address", async () => {
    const logs = captureLogs();
    const distributor = await createDistributor(facet.dataSource);
    const user = await createUser(facet.dataSource, { distributor });
    const token = userToken(facet.config, user);
    await post(facet, "query LoggedWithToken { viewer { user { email } } }", { token });
    const login = "mutation LoggedLogin($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken userErrors { code } } }";
    const signedIn = await post(facet, login, { variables: { email: user.email, password: TEST_PASSWORD } });
    expect(signedIn.status).toBe(200);
    await post(facet, login, { variables: { email: user.email, password: "wrong-password-123" } });

    // Callers who pass secrets or personal data to the logger by mistake still do not leak them,
    // and a failed statement's parameters stay out of the logged error.
    log.warn("careless caller", { authorization: `Bearer ${token}`, headers: { authorization: `Bearer ${token}` }, password: TEST_PASSWORD, user: { email: user.email } });
    log.error("statement failed", { error: new QueryFailedError("SELECT * FROM users WHERE email = $1", [user.email], new Error("boom")) });

    expect(logs.lines.filter((l) => l.message === "request").length).toBeGreaterThanOrEqual(3);
    expect(logs.lines.find((l) => l.message === "statement failed")).toMatchObject({ error: { name: "QueryFailedError", query: "SELECT * FROM users WHERE email = $1" } });
    const text = logs.raw();
    expect(text).not.toContain(token);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain("wrong-password-123");
    expect(text).not.toContain(user.email);
    expect(text).toContain("[redacted]");
  });
});

describe("the connection pool", () => {
  // pg's own default closes a connection idle for 10 s: after a lull that long, the next burst
  // paid for new PostgreSQL backends with cold caches and its statements prepared again.
  const pool = (dataSource: DataSource) =>
    (dataSource.driver as unknown as { master: { totalCount: number; idleCount: number; options: { idleTimeoutMillis: number } } }).master;
  const opened = (idleTimeoutMs?: number) =>
    createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 2, statementTimeoutMs: 1000, idleTimeoutMs });

  onRealPostgres("keeps an idle connection for DB_IDLE_TIMEOUT_MS, then closes it", async () => {
    const kept = opened();
    const brief = opened(100);
    await Promise.all([kept.initialize(), brief.initialize()]);
    try {
      await Promise.all([kept.query("SELECT 1"), brief.query("SELECT 1")]);
      expect([pool(kept).idleCount, pool(brief).idleCount]).toEqual([1, 1]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(pool(kept)).toMatchObject({ totalCount: 1, idleCount: 1 });
      expect(pool(brief)).toMatchObject({ totalCount: 0 });
      expect(pool(kept).options.idleTimeoutMillis).toBe(300_000);
    } finally {
      await Promise.all([kept.destroy(), brief.destroy()]);
    }
  });
});

describe("a database that does not answer", () => {
  it("fails the connection after DB_CONNECT_TIMEOUT_MS instead of waiting forever", async () => {
    // Accepts TCP connections and never says a word, like a host lost behind a firewall.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const dataSource = createDataSource({ entities, url: `postgres://postgres@127.0.0.1:${port}/none`, embedded: false, poolSize: 1, statementTimeoutMs: 1000, connectTimeoutMs: 300 });
    try {
      await expect(dataSource.initialize()).rejects.toThrow(/timeout/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
