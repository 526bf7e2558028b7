import type { DataSource, QueryRunner } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import { entities } from "../src/modules/entities";
import { createServer, type FacetServer } from "../src/server/app";
import { TEST_PASSWORD, twoTenants } from "./support/factories";
import { onRealPostgres, testConfig } from "./support/harness";

// When the database pool gives no connection in time, Facet is busy, not broken: wherever a
// request waited for one (reading the caller before the operation, in a resolver, at the token
// endpoint), it answers 503 with Retry-After, never 500. A Facet with a pool of one connection
// shows it: the test holds that connection while requests arrive, then lets it go.

const config = testConfig();
let dataSource: DataSource;
let server: FacetServer;
let base: string;

beforeAll(async () => {
  dataSource = createDataSource({
    entities,
    url: process.env.TEST_DATABASE_URL!,
    embedded: process.env.FACET_TEST_EMBEDDED === "1",
    poolSize: 1,
    statementTimeoutMs: 10_000,
    connectTimeoutMs: 300,
    applicationName: "facet-test-pool",
  });
  await dataSource.initialize();
  server = await createServer(config, dataSource);
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});
afterAll(async () => {
  await server.stop();
  await dataSource.destroy();
});

async function graphql(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), text, body: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

async function token(form: Record<string, string>) {
  const response = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Record<string, unknown> };
}

const LEAKS = /timeout|pool|connect|postgres|SQL|Internal server error/i;

/** Runs `work` while the pool's one connection is taken. */
async function withPoolHeld<T>(work: () => Promise<T>): Promise<T> {
  const holder: QueryRunner = dataSource.createQueryRunner();
  await holder.connect();
  try {
    return await work();
  } finally {
    await holder.release();
  }
}

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`;

// The embedded database serves every connection on one session, with a pool of its own.
onRealPostgres("answers 503 with Retry-After and SERVICE_UNAVAILABLE, not 500, when no connection comes free in time", async () => {
  const { a } = await twoTenants(dataSource, config);
  const credentials = { grant_type: "client_credentials", client_id: a.client.clientId, client_secret: a.secret };
  const login = { input: { email: a.buyer.email, password: TEST_PASSWORD } };

  const [signedIn, anonymous, tokenRequest, sdl] = await withPoolHeld(async () => [
    // Reading the caller, before the operation runs.
    await graphql(`{ viewer { id } }`, {}, a.tokens.buyer),
    // Signing in, in the resolver.
    await graphql(LOGIN, login),
    // The token endpoint.
    await token(credentials),
    // The SDL, which reads its caller too.
    await fetch(`${base}/schema.graphql`, { headers: { authorization: `Bearer ${a.tokens.buyer}` } }).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get("retry-after"),
      body: (await r.json()) as unknown,
    })),
  ]);
  expect(sdl).toEqual({ status: 503, retryAfter: "3", body: { errors: [{ message: expect.stringMatching(/busy/), extensions: { code: "SERVICE_UNAVAILABLE" } }] } });

  for (const result of [signedIn, anonymous]) {
    expect({ status: result.status, retryAfter: result.retryAfter }).toEqual({ status: 503, retryAfter: "3" });
    expect(result.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: "SERVICE_UNAVAILABLE", retryAfter: 3 })]);
    expect(result.text).not.toMatch(LEAKS);
  }
  expect(tokenRequest).toEqual({ status: 503, retryAfter: "3", body: { error: "temporarily_unavailable", error_description: expect.stringMatching(/retry in 3 s/) } });

  // Once the connection is free, the same requests are served.
  expect((await graphql(`{ viewer { id } }`, {}, a.tokens.buyer)).body).toEqual({ data: { viewer: { id: expect.any(String) } }, extensions: expect.any(Object) });
  expect((await graphql(LOGIN, login)).body.data.login).toEqual({ accessToken: expect.any(String), userErrors: [] });
  expect((await token(credentials)).status).toBe(200);
});
