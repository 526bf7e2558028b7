import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createClient } from "redis";
import { freePort } from "../src/free-port";
import { createDistributor, createUser, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";

// Redis is a dependency with a deadline: while it is down, requests are answered (the process's
// own buckets limit them), /readyz says where the limits are kept, and Facet still shuts down.
// The test runs a Redis server of its own, which it stops and starts again.

let port: number;
let redis: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("redis-server did not start");
}

async function stopRedis(): Promise<void> {
  if (!redis || redis.exitCode !== null || redis.signalCode !== null) return;
  const exited = once(redis, "exit");
  redis.kill("SIGKILL");
  await exited;
}

async function keys(): Promise<string[]> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  try {
    return await client.keys("facet:rate:*");
  } finally {
    await client.close();
  }
}

const hasRedisServer = (() => {
  try {
    return require("node:child_process").spawnSync("redis-server", ["--version"]).status === 0;
  } catch {
    return false;
  }
})();

(hasRedisServer ? describe : describe.skip)("rate limits while Redis is down", () => {
  let facet: TestFacet;
  let token: string;
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    facet = await startFacet({ REDIS_URL: `redis://127.0.0.1:${port}` });
    token = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
  });
  afterAll(async () => {
    await facet?.stop();
    await stopRedis();
  });

  const viewer = async () => {
    const response = await fetch(await facet.url("/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { role } }" }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; extensions?: { rateLimit?: unknown } } };
  };
  const ready = async () => (await (await fetch(await facet.url("/readyz"))).json()) as { status: string; checks: Record<string, string> };

  it("answers from the process's own buckets, says so at /readyz, and goes back to Redis when it returns", async () => {
    expect(await viewer()).toMatchObject({ status: 200, body: { data: { viewer: { role: "BUYER" } } } });
    expect((await keys()).length).toBeGreaterThan(0);
    expect((await ready()).checks.rateLimits).toBe("shared in Redis");

    await stopRedis();
    for (let i = 0; i < 3; i++) {
      const answer = await viewer();
      expect(answer).toMatchObject({ status: 200, body: { data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: expect.any(Object) } } });
    }
    expect(await ready()).toMatchObject({ status: "ready", checks: { rateLimits: "kept in this process: Redis does not answer" } });

    await startRedis();
    // The client reconnects on its own, within a couple of seconds at most.
    let shared = false;
    for (let i = 0; i < 100 && !shared; i++) {
      shared = (await ready()).checks.rateLimits === "shared in Redis";
      if (!shared) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(shared).toBe(true);
    expect(await viewer()).toMatchObject({ status: 200 });
    expect((await keys()).length).toBeGreaterThan(0);
  });

  it("starts, answers and shuts down while Redis is down", async () => {
    await stopRedis();
    const other = await startFacet({ REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      const response = await fetch(await other.url("/graphql"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ viewer { role } }" }),
      });
      expect(response.status).toBe(200);
    } finally {
      await other.stop();
    }
    await facet.stop();
    facet = undefined as unknown as TestFacet;
  });
});
