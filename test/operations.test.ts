import http from "node:http";
import { randomBytes } from "node:crypto";
import { print } from "graphql";
import { DataSource, type DataSourceOptions, type MigrationInterface } from "typeorm";
import { migrations } from "../migrations";
import { createDataSource } from "../src/db/data-source";
import { entities } from "../src/modules/entities";
import { createServer, type FacetServer } from "../src/server/app";
import { seedDemoData } from "../src/seed/demo";
import { DeactivateUserDocument, LoginDocument } from "./generated/graphql";
import { twoTenants } from "./support/factories";
import { ok, startFacet, testConfig, type TestFacet } from "./support/harness";

// The HTTP surface around GraphQL: liveness, readiness, the playground and a graceful stop.

interface Running {
  server: FacetServer;
  dataSource: DataSource;
  applicationName: string;
  url(path: string): string;
  close(): Promise<void>;
}

/** A Facet on a data source of its own, adjusted by `adjust`, listening on an ephemeral port. */
async function runFacet(adjust: (options: DataSourceOptions) => DataSourceOptions = (o) => o, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const applicationName = `facet-ops-${randomBytes(4).toString("hex")}`;
  const base = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: process.env.FACET_TEST_EMBEDDED === "1", poolSize: 4, statementTimeoutMs: 60_000, applicationName });
  const dataSource = new DataSource(adjust(base.options));
  await dataSource.initialize();
  const server = await createServer(testConfig(env), dataSource);
  const port = await server.listen(0, "127.0.0.1");
  return {
    server,
    dataSource,
    applicationName,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async close() {
      if (server.httpServer.listening) await server.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

describe("GET /healthz and /readyz", () => {
  it("says the process is alive", async () => {
    const response = await fetch(await facet.url("/healthz"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("is ready when the database answers and every migration is applied", async () => {
    expect(await getJson(await facet.url("/readyz"))).toEqual({
      status: 200,
      body: { status: "ready", checks: { shutdown: "no", database: "reachable", migrations: "applied", rateLimits: "kept in this process" } },
    });
  });

  // One extra Facet for both cases: the embedded database takes only two connections at a time.
  describe("on a database that lacks a migration of the code", () => {
    class NotYetApplied1999999999999 implements MigrationInterface {
      name = "NotYetApplied1999999999999";
      async up(): Promise<void> {
        throw new Error("never run by this test");
      }
      async down(): Promise<void> {}
    }
    let running: Running;
    beforeAll(async () => {
      running = await runFacet((options) => ({ ...options, migrations: [...migrations, NotYetApplied1999999999999] }));
    });
    afterAll(() => running.close());

    it("is not ready while the migration is pending", async () => {
      expect(await getJson(running.url("/readyz"))).toEqual({
        status: 503,
        body: { status: "not ready", checks: { shutdown: "no", database: "reachable", migrations: "pending", rateLimits: "kept in this process" } },
      });
      expect((await getJson(running.url("/healthz"))).status).toBe(200);
    });

    it("is not ready when the database stops answering, and stays alive", async () => {
      await running.dataSource.destroy();
      expect(await getJson(running.url("/readyz"))).toEqual({ status: 503, body: { status: "not ready", checks: { shutdown: "no", database: "unreachable", rateLimits: "kept in this process" } } });
      expect(await getJson(running.url("/healthz"))).toEqual({ status: 200, body: { status: "ok" } });
    });
  });
});

// The embedded database runs every connection on one session, so no request can wait on another's lock there.
const realPostgres = process.env.FACET_TEST_EMBEDDED !== "1";

describe("stopping", () => {
  (realPostgres ? it : it.skip)("lets an in-flight request finish, refuses new connections and reports not ready meanwhile", async () => {
    // The request waits on a row lock this test holds, so it is certainly in flight when the stop begins.
    const running = await runFacet((options) => ({ ...options, extra: { ...(options.extra as object), lock_timeout: 120_000 } }), { SHUTDOWN_GRACE_MS: "120000" });
    // A second listener on the same app, which the stop does not close, shows what a probe would be told.
    const probe = http.createServer(running.server.handle);
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const probeUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    const holder = facet.dataSource.createQueryRunner();
    try {
      const { a } = await twoTenants(running.dataSource, testConfig());
      await holder.connect();
      await holder.startTransaction();
      await holder.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [a.buyer.id]);

      const inFlight = fetch(running.url("/graphql"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${a.tokens.admin}` },
        body: JSON.stringify({ query: print(DeactivateUserDocument), variables: { input: { id: a.ids.buyer } } }),
      });
      await until(async () => {
        const [row] = (await holder.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
          [running.applicationName],
        )) as { n: number }[];
        return row.n > 0;
      }, "the request waits on the lock");

      let stopped = false;
      const stopping = running.server.stop().then(() => {
        stopped = true;
      });
      await until(() => !running.server.httpServer.listening, "the server stops listening");
      await expect(fetch(running.url("/healthz"))).rejects.toThrow();
      expect(await getJson(`${probeUrl}/readyz`)).toEqual({
        status: 503,
        body: { status: "not ready", checks: { shutdown: "in progress", database: "reachable", migrations: "applied", rateLimits: "kept in this process" } },
      });
      expect(stopped).toBe(false);

      await holder.rollbackTransaction();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown }).data).toEqual({
        deactivateUser: { user: { id: a.ids.buyer, active: false, deactivatedAt: expect.any(String) }, userErrors: [] },
      });
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await new Promise((resolve) => probe.close(resolve));
      await running.close();
    }
  });
});

/** GET on a keep-alive agent: the status, and whether the answer keeps the connection open. */
function getOn(agent: http.Agent, url: string): Promise<{ status: number; connection: string | undefined; socket: object }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const socket = res.socket;
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, socket }));
      })
      .on("error", reject);
  });
}

describe("keep-alive connections", () => {
  it("are closed by the answer to their MAX_REQUESTS_PER_CONNECTION-th request, so clients spread again", async () => {
    const running = await runFacet(undefined, { MAX_REQUESTS_PER_CONNECTION: "3" });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await getOn(agent, running.url("/healthz")));
      expect(answers.map((a) => [a.status, a.connection])).toEqual([
        [200, "keep-alive"],
        [200, "keep-alive"],
        [200, "close"],
        [200, "keep-alive"],
      ]);
      expect(answers[1].socket).toBe(answers[0].socket);
      expect(answers[3].socket).not.toBe(answers[0].socket);
    } finally {
      agent.destroy();
      await running.close();
    }
  });
});

describe("stopping with SHUTDOWN_DELAY_MS", () => {
  it("reports not ready on its own port while it still serves, each answer closing its connection, then stops listening", async () => {
    const running = await runFacet(undefined, { SHUTDOWN_DELAY_MS: "1500" });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await getJson(running.url("/readyz"))).status).toBe(200);
      expect((await getOn(agent, running.url("/healthz"))).connection).toBe("keep-alive");
      const stopping = running.server.stop();
      expect(await getOn(agent, running.url("/healthz"))).toMatchObject({ status: 200, connection: "close" });
      expect(await getJson(running.url("/readyz"))).toEqual({
        status: 503,
        body: { status: "not ready", checks: { shutdown: "in progress", database: "reachable", migrations: "applied", rateLimits: "kept in this process" } },
      });
      expect(running.server.httpServer.listening).toBe(true);
      expect((await getJson(running.url("/healthz"))).status).toBe(200);
      await stopping;
      expect(running.server.httpServer.listening).toBe(false);
    } finally {
      agent.destroy();
      await running.close();
    }
  });
});

describe("GET /playground", () => {
  const CDN = /unpkg\.com|jsdelivr\.net|cdnjs|esm\.sh|skypack\.dev|jspm\.|googleapis\.com|gstatic\.com|apollographql\.com|^cdn\.|\.cdn\./i;
  /** The hosts of every absolute or protocol-relative URL in a text. */
  const hostsIn = (text: string) => [...text.matchAll(/(?:https?:)?\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi)].map((m) => m[1].toLowerCase());

  it("serves GraphiQL and its assets from Facet itself, with nothing from a CDN", async () => {
    const page = await fetch(await facet.url("/playground"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(hostsIn(html)).toEqual([]);

    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining(["/playground/assets/graphiql.css", "/playground/assets/react.js", "/playground/assets/react-dom.js", "/playground/assets/graphiql.js", "/playground/assets/playground.js"]),
    );
    for (const asset of assets) {
      expect(asset).toMatch(/^\/playground\/assets\/[\w.-]+$/);
      const response = await fetch(await facet.url(asset));
      expect([asset, response.status]).toEqual([asset, 200]);
      const body = await response.text();
      expect(body.length).toBeGreaterThan(100);
      expect([asset, hostsIn(body).filter((host) => CDN.test(host))]).toEqual([asset, []]);
      // Nothing is fetched or imported from elsewhere: no remote CSS import, no remote script.
      expect(body).not.toMatch(/@import\s+(url\()?["']?https?:|url\(["']?https?:|<script[^>]+src=["']?https?:|import\(["']https?:/i);
    }
    // The page's own script talks to Facet's /graphql and nowhere else.
    const script = await (await fetch(await facet.url("/playground/assets/playground.js"))).text();
    expect([...script.matchAll(/fetch\("([^"]+)"/g)].map((m) => m[1])).toEqual(["/graphql", "/graphql"]);
  });

  it("lets the browser load nothing from another origin", async () => {
    const csp = (await fetch(await facet.url("/playground"))).headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });
});

describe("NODE_ENV=production", () => {
  let production: TestFacet;
  beforeAll(async () => {
    production = await startFacet({ NODE_ENV: "production" });
  });
  afterAll(() => production.stop());

  it("refuses the published demo credentials even where the demo rows exist", async () => {
    // The test database holds the demo data; outside production these sign in (see auth.test.ts).
    const { login } = ok(await production.gql(LoginDocument, { input: { email: "buyer@maple-jewels.example", password: "facet-demo-2026" } }));
    expect(login).toMatchObject({ accessToken: null, userErrors: [{ field: null, code: "INVALID_CREDENTIALS", message: "Email or password is incorrect" }] });

    const response = await fetch(await production.url("/oauth/token"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("erp-atelier-paris:facet-demo-erp-secret").toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
  });

  it("refuses to seed the demo data", async () => {
    await expect(seedDemoData(production.dataSource, production.config.env)).rejects.toThrow("Refusing to seed demo data with NODE_ENV=production");
  });
});
