import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { DataSource } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import { freePort } from "../src/free-port";
import { entities } from "../src/modules/entities";
import { TEST_JWT_SECRET, testConfig } from "./support/harness";
import { line, orderInput, sellable, tenant, type Tenant } from "./support/orders-factories";

// Shutdown under load loses no answer: the built server (dist/, which `npm test` builds before
// jest starts) in production mode, in processes of its own, takes SIGTERM while keep-alive clients
// place orders. Every order saved must have been answered to its client, and every answer sent
// once shutdown began tells the client not to reuse the connection.
const ROOT = path.resolve(__dirname, "..");
const MAIN = path.join(ROOT, "dist/src/main.js");
const runs = !process.env.FACET_TEST_EMBEDDED;

interface Outcome {
  /** The order's buyer reference, one per request. */
  key: string;
  sentAt: number;
  status?: number;
  connection?: string;
  number?: string;
  error?: string;
}

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { number } userErrors { code message } } }`;

function post(agent: http.Agent, port: number, body: string, token: string): Promise<{ status: number; connection: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: "POST", path: "/graphql", agent, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function get(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath, agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

(runs ? describe : describe.skip)("SIGTERM under load, on keep-alive connections", () => {
  let ds: DataSource;
  let a: Tenant;
  let variantId: string;
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does) first`);
    ds = createDataSource({ url: process.env.TEST_DATABASE_URL!, entities, embedded: false, poolSize: 2, statementTimeoutMs: 10_000 });
    await ds.initialize();
    a = await tenant(ds, testConfig(), { currency: "EUR" });
    const item = await sellable(ds, { variant: { onHand: 100_000 }, prices: [[a.distributor, "10.00"]] });
    variantId = item.id;
  });
  afterAll(() => ds.destroy());

  it("answers every order it saved, with Connection: close once shutdown began, and exits 0", async () => {
    const port = await freePort();
    const facet: ChildProcess = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        JWT_SECRET: TEST_JWT_SECRET,
        MIGRATE_ON_START: "false",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "warn",
        SHUTDOWN_DELAY_MS: "400",
        // Two workers where a Redis is at hand, as a production deployment runs.
        WEB_CONCURRENCY: process.env.TEST_REDIS_URL ? "2" : "1",
        REDIS_URL: process.env.TEST_REDIS_URL,
        SHUTDOWN_GRACE_MS: "10000",
        PENDING_ORDER_TTL_MINUTES: "0",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    facet.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => facet.once("exit", (code) => resolve(code)));
    for (let i = 0; i < 200; i++) {
      if (await get(port, "/readyz").catch(() => 0) === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await get(port, "/readyz")).toBe(200);

    const outcomes: Outcome[] = [];
    let exitedAt: number | null = null;
    void exited.then(() => (exitedAt = Date.now()));
    // Each client keeps one connection alive and places orders one after the other, until Facet is gone.
    const client = async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (exitedAt === null) {
          const input = orderInput([line(variantId, 1)]);
          const outcome: Outcome = { key: input.buyerReference!, sentAt: Date.now() };
          outcomes.push(outcome);
          try {
            const answer = await post(agent, port, JSON.stringify({ query: PLACE, variables: { input } }), a.buyer.token);
            outcome.status = answer.status;
            outcome.connection = answer.connection;
            outcome.number = (JSON.parse(answer.text) as { data?: { placeOrder?: { order?: { number: string } } } }).data?.placeOrder?.order?.number;
          } catch (error) {
            outcome.error = (error as NodeJS.ErrnoException).code ?? String(error);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      } finally {
        agent.destroy();
      }
    };
    const clients = Array.from({ length: 6 }, client);
    while (outcomes.filter((o) => o.number).length < 30) await new Promise((resolve) => setTimeout(resolve, 10));

    const signalledAt = Date.now();
    facet.kill("SIGTERM");
    // Out of rotation at once, while it still answers.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await get(port, "/readyz")).toBe(503);
    expect(await exited).toBe(0);
    await Promise.all(clients);

    const keys = outcomes.map((o) => o.key);
    const saved = new Map(
      ((await ds.query(`SELECT buyer_reference AS key, number FROM orders WHERE distributor_id = $1 AND buyer_reference = ANY($2)`, [a.distributor.id, keys])) as { key: string; number: string }[]).map((r) => [
        r.key,
        r.number,
      ]),
    );
    const answered = outcomes.filter((o) => o.number);
    // Nothing acknowledged was lost, and nothing saved went unanswered.
    expect(answered.filter((o) => saved.get(o.key) !== o.number)).toEqual([]);
    expect(outcomes.filter((o) => !o.number && saved.has(o.key))).toEqual([]);
    // Answers to requests sent once shutdown began ask the client to open a new connection.
    const late = outcomes.filter((o) => o.sentAt > signalledAt + 50 && o.status !== undefined);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((o) => o.connection !== "close")).toEqual([]);
    // No answer but a saved order or a refusal to retry.
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503)).toEqual([]);
    expect(stderr).not.toContain("shutdown failed");
  }, 60_000);
});
