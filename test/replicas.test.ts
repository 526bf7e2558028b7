import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { UserRole } from "../src/core/access";
import type { Principal } from "../src/core/context";
import { createDataSource } from "../src/db/data-source";
import { openReplicas, type ReplicaSet } from "../src/db/replicas";
import { applyScope, endRequestRunner } from "../src/db/request-scope";
import { freePort } from "../src/free-port";
import { Incoterm } from "../src/graphql/scalars";
import { entities } from "../src/modules/entities";
import { Order, OrderStatus } from "../src/modules/orders";
import { orderGlobalId, orderInput, line, sellable, tenant, type Tenant } from "./support/orders-factories";
import { startFacet, type TestFacet } from "./support/harness";

// Read replicas, against a real streaming replica of the test database's cluster, which the
// file makes itself with scripts/replica.sh (and removes afterwards). Where an answer came from
// shows in what it holds: with the replica's replay paused, a row changed on the primary is
// changed there only, so an answer with the old value was read on the replica, one with the new
// value on the primary.

const SCRIPT = path.join(__dirname, "..", "scripts", "replica.sh");
const run = promisify(execFile);

/** Why no replica can be made here, if none can: the suite is then skipped, saying so. */
const obstacle = ((): string | undefined => {
  const url = process.env.TEST_DATABASE_URL;
  if (process.env.FACET_TEST_EMBEDDED === "1" || !url) return "the tests run on the embedded database";
  const { hostname, port } = new URL(url);
  if (!["127.0.0.1", "localhost"].includes(hostname) || (port || "5432") !== "5432") return "scripts/replica.sh replicates 127.0.0.1:5432, not TEST_DATABASE_URL";
  const check = spawnSync("bash", [SCRIPT, "check"], { encoding: "utf8" });
  return check.status === 0 ? undefined : check.stderr.trim() || `scripts/replica.sh check exited ${check.status}`;
})();

let replicaPort: number;
let replicaUrl: string;

async function replicaScript(command: "start" | "stop" | "destroy"): Promise<void> {
  await run("bash", [SCRIPT, command, String(replicaPort)], { timeout: 120_000 });
}

/** One statement on the replica, as postgres, on a connection of its own. */
async function onReplica<T>(text: string, values: unknown[] = []): Promise<T> {
  const client = new Client({ connectionString: replicaUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows[0] as T;
  } finally {
    await client.end();
  }
}

/** Asks `read` every 50 ms until `done` holds, for up to 15 s; gives the last value. */
// A replica replays as fast as the machine lets it: on a loaded machine (other suites writing to
// the same cluster) it may be seconds behind, so conditions are waited for generously (a minute),
// and the tests and hooks of this file have room for that.
jest.setTimeout(180_000);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; !done(value) && attempt < 1200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** Waits until the replica has replayed everything the primary had written. */
async function caughtUp(facet: TestFacet): Promise<void> {
  const [{ lsn }] = (await facet.dataSource.query("SELECT pg_current_wal_lsn()::text AS lsn")) as { lsn: string }[];
  const { replayed } = await until(
    () => onReplica<{ replayed: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed", [lsn]),
    (r) => r.replayed,
  );
  expect(replayed).toBe(true);
}

/** Runs `work` with the replica's replay paused: what the primary writes meanwhile is not on the replica. */
async function replayPaused(work: () => Promise<void>): Promise<void> {
  await onReplica("SELECT pg_wal_replay_pause()");
  try {
    const { state } = await until(
      () => onReplica<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state"),
      (r) => r.state === "paused",
    );
    expect(state).toBe("paused");
    await work();
  } finally {
    await onReplica("SELECT pg_wal_replay_resume()");
  }
}

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(facet: TestFacet, query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

async function readiness(facet: TestFacet): Promise<{ status: number; replicas: string | undefined }> {
  const response = await fetch(await facet.url("/readyz"));
  const body = (await response.json()) as { checks: Record<string, string> };
  return { status: response.status, replicas: body.checks.replicas };
}

/** Waits until /readyz reports the replicas as `expected` (a pattern), and checks that it does. */
async function replicasReported(facet: TestFacet, expected: RegExp): Promise<void> {
  const ready = await until(
    () => readiness(facet),
    (r) => expected.test(r.replicas ?? ""),
  );
  expect(ready.replicas).toMatch(expected);
  // A replica out of use never makes Facet unready.
  expect(ready.status).toBe(200);
}

const DISTRIBUTOR_NAME = `{ viewer { distributor { name } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id distributor { name } } userErrors { code } } }`;

async function distributorName(facet: TestFacet, token: string): Promise<string> {
  const answer = await post(facet, DISTRIBUTOR_NAME, {}, token);
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.viewer.distributor.name as string;
}

async function rename(facet: TestFacet, ...tenants: Tenant[]): Promise<void> {
  for (const t of tenants) {
    t.distributor.name = `${t.distributor.name} (renamed)`;
    await facet.dataSource.query(`UPDATE distributors SET name = $2 WHERE id = $1`, [t.distributor.id, t.distributor.name]);
  }
}

/** An order of the tenant's, written straight into the primary. */
async function orderOf(facet: TestFacet, t: Tenant): Promise<string> {
  const { identifiers } = await facet.dataSource.manager.insert(Order, {
    number: `RPL-${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    distributorId: t.distributor.id,
    buyerReference: "PO-REPLICA",
    currency: "EUR",
    incoterm: Incoterm.DAP,
    estimatedShipDate: "2030-01-01",
    status: OrderStatus.PENDING,
    total: "10.0000",
    lineCount: 1,
  });
  return identifiers[0].id as string;
}

/** A Facet on the test database with the replica, its replica set open, in use. */
async function startWithReplica(overrides: NodeJS.ProcessEnv = {}): Promise<{ facet: TestFacet; replicas: ReplicaSet; stop: () => Promise<void> }> {
  const facet = await startFacet({ DATABASE_REPLICA_URLS: replicaUrl, DB_POOL_SIZE: "4", ...overrides });
  const replicas = (await openReplicas(facet.config, facet.dataSource, entities))!;
  await replicasReported(facet, /^1 of 1 in use$/);
  return {
    facet,
    replicas,
    async stop() {
      await replicas.close();
      await facet.stop();
    },
  };
}

(obstacle ? describe.skip : describe)(`read replicas${obstacle ? ` (skipped: ${obstacle})` : ""}`, () => {
  beforeAll(async () => {
    replicaPort = await freePort();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.port = String(replicaPort);
    replicaUrl = url.toString();
    await replicaScript("start");
  }, 180_000);
  afterAll(async () => {
    await replicaScript("destroy");
  }, 120_000);

  describe("with a lag bound the tests never reach", () => {
    let facet: TestFacet;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ facet, stop } = await startWithReplica({ REPLICA_MAX_LAG_MS: "600000" }));
    });
    afterAll(() => stop());

    it("answers a buyer's query from the replica", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      const before = a.distributor.name;
      await caughtUp(facet);
      await replayPaused(async () => {
        await rename(facet, a);
        expect(await distributorName(facet, a.buyer.token)).toBe(before);
        // The same query in a GET request.
        const response = await fetch(`${await facet.url("/graphql")}?query=${encodeURIComponent(DISTRIBUTOR_NAME)}`, {
          headers: { authorization: `Bearer ${a.buyer.token}`, "apollo-require-preflight": "true" },
        });
        expect(((await response.json()) as Answer["body"]).data.viewer.distributor.name).toBe(before);
      });
    });

    it("runs a mutation, and everything it reads, on the primary, whichever operation of a document the request names", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
      const before = a.distributor.name;
      await caughtUp(facet);
      await replayPaused(async () => {
        await rename(facet, a);
        const document = `query Read ${DISTRIBUTOR_NAME} ${PLACE.replace("mutation", "mutation Write")}`;
        const named = async (operationName: string, variables: Record<string, unknown>) => {
          const response = await fetch(await facet.url("/graphql"), {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${a.buyer.token}` },
            body: JSON.stringify({ query: document, operationName, variables }),
          });
          expect(response.status).toBe(200);
          return ((await response.json()) as Answer["body"]).data;
        };
        expect((await named("Read", {})).viewer.distributor.name).toBe(before);
        const placed = (await named("Write", { input: orderInput([line(item.id, 1)]) })).placeOrder;
        expect(placed.userErrors).toEqual([]);
        expect(placed.order.distributor.name).toBe(a.distributor.name);
      });
    });

    it("reads a caller's own writes: after its mutation it reads from the primary until the replica has replayed it, while others read from the replica", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      const b = await tenant(facet.dataSource, facet.config);
      const item = await sellable(facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
      const [aBefore, bBefore] = [a.distributor.name, b.distributor.name];
      await caughtUp(facet);
      let orderId = "";
      await replayPaused(async () => {
        await rename(facet, a, b);
        const placed = await post(facet, PLACE, { input: orderInput([line(item.id, 1)]) }, a.buyer.token);
        expect(placed.body.data.placeOrder.userErrors).toEqual([]);
        orderId = placed.body.data.placeOrder.order.id as string;
        // The buyer who placed it sees the order, and everything else as the primary has it.
        const own = await post(facet, `query($id: ID!) { order(id: $id) { id } viewer { distributor { name } } }`, { id: orderId }, a.buyer.token);
        expect(own.body.data).toEqual({ order: { id: orderId }, viewer: { distributor: { name: a.distributor.name } } });
        // Its colleague wrote nothing: the replica answers.
        expect(await distributorName(facet, a.admin.token)).toBe(aBefore);
        // So it does for another distributor's buyer.
        expect(await distributorName(facet, b.buyer.token)).toBe(bBefore);
      });
      // Once the replica has replayed the buyer's write, the buyer reads from it again.
      await caughtUp(facet);
      const renamed = a.distributor.name;
      await replayPaused(async () => {
        await rename(facet, a);
        expect(await distributorName(facet, a.buyer.token)).toBe(renamed);
        const own = await post(facet, `query($id: ID!) { order(id: $id) { id } }`, { id: orderId }, a.buyer.token);
        expect(own.body.data).toEqual({ order: { id: orderId } });
      });
    });

    it("keeps row-level security and the tenant filters on the replica", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      const b = await tenant(facet.dataSource, facet.config);
      const [own, foreign] = [await orderOf(facet, a), await orderOf(facet, b)];
      await caughtUp(facet);
      await replayPaused(async () => {
        // Written on the primary only: an answer without it was read on the replica.
        await orderOf(facet, a);
        const answer = await post(
          facet,
          `query($foreign: ID!) { orders(first: 100) { nodes { id } } foreign: order(id: $foreign) { id } }`,
          { foreign: orderGlobalId(foreign) },
          a.buyer.token,
        );
        expect(answer.status).toBe(200);
        expect(answer.body.data).toEqual({ orders: { nodes: [{ id: orderGlobalId(own) }] }, foreign: null });
      });

      // Underneath the services' filters, row-level security holds on the replica's connections:
      // a statement without a tenant filter, in a buyer's scope, sees the buyer's rows only.
      const replica = createDataSource({ url: replicaUrl, entities, embedded: false, poolSize: 1, statementTimeoutMs: 10_000, applicationName: "facet-test-replica" });
      await replica.initialize();
      const runner = replica.createQueryRunner();
      try {
        const principal: Principal = { kind: "user", id: a.buyer.user.id, role: UserRole.BUYER, distributorId: a.distributor.id };
        await applyScope(runner.manager, principal, "replica-rls");
        expect(await runner.query(`SELECT current_user AS role`)).toEqual([{ role: "facet_rls" }]);
        const ids = ((await runner.query(`SELECT id FROM orders WHERE id = ANY($1)`, [[own, foreign]])) as { id: string }[]).map((r) => r.id);
        expect(ids).toEqual([own]);
      } finally {
        await endRequestRunner(runner);
        await replica.destroy();
      }
    });

    it("syncs from the replica without passing a transaction still open on the primary", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      const [slow, fast] = [await orderOf(facet, a), await orderOf(facet, a)];
      const SYNC = `{ orders(first: 100, filter: { updatedSince: "2000-01-01T00:00:00Z" }) { nodes { id buyerReference } } viewer { distributor { name } } }`;
      const sync = async () => {
        const answer = await post(facet, SYNC, {}, a.erp);
        expect(answer.body.errors).toBeUndefined();
        return answer.body.data as { orders: { nodes: { id: string; buyerReference: string }[] }; viewer: { distributor: { name: string } } };
      };
      // A writer holds one order's change open; another change, begun after it, commits at once
      // and reaches the replica. A page with the later change would be followed by the earlier one
      // committing with an older updatedAt, which a sync resuming from the page's last one misses.
      const writer = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await writer.connect();
      try {
        await writer.query("BEGIN");
        await writer.query(`UPDATE orders SET buyer_reference = 'PO-SLOW', updated_at = now() WHERE id = $1`, [slow]);
        await facet.dataSource.query(`UPDATE orders SET buyer_reference = 'PO-FAST', updated_at = now() WHERE id = $1`, [fast]);
        await caughtUp(facet);
        const before = a.distributor.name;
        await replayPaused(async () => {
          await rename(facet, a);
          const page = await sync();
          // Read on the replica, which holds the committed change, and the page stops before it.
          expect(page.viewer.distributor.name).toBe(before);
          expect(page.orders.nodes.map((n) => n.id)).not.toContain(orderGlobalId(fast));
        });
        await writer.query("COMMIT");
      } finally {
        await writer.end();
      }
      // Once the writer has committed, both changes come, in one page or over syncs.
      const page = await until(sync, (p) => p.orders.nodes.length === 2);
      expect(page.orders.nodes).toEqual(
        expect.arrayContaining([
          { id: orderGlobalId(slow), buyerReference: "PO-SLOW" },
          { id: orderGlobalId(fast), buyerReference: "PO-FAST" },
        ]),
      );
    });
  });

  describe("with a lag bound of 300 ms", () => {
    let facet: TestFacet;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ facet, stop } = await startWithReplica({ REPLICA_MAX_LAG_MS: "300" }));
    });
    afterAll(() => stop());

    it("reads from the primary while the replica's replay trails the primary's by more, and uses the replica again once it catches up", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      await caughtUp(facet);
      await replayPaused(async () => {
        await rename(facet, a);
        await replicasReported(facet, /^0 of 1 in use \(.+ lagging\)$/);
        expect(await distributorName(facet, a.buyer.token)).toBe(a.distributor.name);
      });
      await replicasReported(facet, /^1 of 1 in use$/);
    });
  });

  const redisUrl = process.env.TEST_REDIS_URL;
  (redisUrl ? describe : describe.skip)("with the marks in Redis", () => {
    let one: Awaited<ReturnType<typeof startWithReplica>>;
    let two: Awaited<ReturnType<typeof startWithReplica>>;
    beforeAll(async () => {
      one = await startWithReplica({ REPLICA_MAX_LAG_MS: "600000", REDIS_URL: redisUrl });
      two = await startWithReplica({ REPLICA_MAX_LAG_MS: "600000", REDIS_URL: redisUrl });
    });
    afterAll(async () => {
      await one?.stop();
      await two?.stop();
    });

    it("reads a caller's own writes on another process", async () => {
      const a = await tenant(one.facet.dataSource, one.facet.config);
      const b = await tenant(one.facet.dataSource, one.facet.config);
      const item = await sellable(one.facet.dataSource, { variant: { onHand: 10 }, prices: [[a.distributor, "10.00"]] });
      const bBefore = b.distributor.name;
      await caughtUp(one.facet);
      await replayPaused(async () => {
        await rename(one.facet, a, b);
        const placed = await post(one.facet, PLACE, { input: orderInput([line(item.id, 1)]) }, a.buyer.token);
        expect(placed.body.data.placeOrder.userErrors).toEqual([]);
        expect(await distributorName(two.facet, a.buyer.token)).toBe(a.distributor.name);
        expect(await distributorName(two.facet, b.buyer.token)).toBe(bBefore);
      });
    });
  });

  describe("with Redis not answering", () => {
    let facet: TestFacet;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ facet, stop } = await startWithReplica({ REPLICA_MAX_LAG_MS: "600000", REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
    });
    afterAll(() => stop());

    it("reads from the primary: whether the caller wrote is unknown", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      await caughtUp(facet);
      await replayPaused(async () => {
        await rename(facet, a);
        expect(await distributorName(facet, a.buyer.token)).toBe(a.distributor.name);
      });
    });
  });

  describe("when the replica stops", () => {
    let facet: TestFacet;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ facet, stop } = await startWithReplica({ REPLICA_MAX_LAG_MS: "600000" }));
    });
    afterAll(() => stop());

    it("answers every query from the primary, stays ready, and uses the replica again once it is back", async () => {
      const a = await tenant(facet.dataSource, facet.config);
      await caughtUp(facet);
      // Connections to it are in the pool, as they are in production.
      expect(await distributorName(facet, a.buyer.token)).toBe(a.distributor.name);
      await replicaScript("stop");
      try {
        // At once, before a health check has noticed: every answer 200, from the primary.
        const answers = await Promise.all(Array.from({ length: 8 }, () => post(facet, DISTRIBUTOR_NAME, {}, a.buyer.token)));
        expect(answers.map((r) => [r.status, r.body.errors, r.body.data?.viewer.distributor.name])).toEqual(answers.map(() => [200, undefined, a.distributor.name]));
        await replicasReported(facet, /^0 of 1 in use \(.+ down\)$/);
        expect(await distributorName(facet, a.buyer.token)).toBe(a.distributor.name);
      } finally {
        await replicaScript("start");
      }
      await replicasReported(facet, /^1 of 1 in use$/);
      await caughtUp(facet);
      await replayPaused(async () => {
        const before = a.distributor.name;
        await rename(facet, a);
        expect(await distributorName(facet, a.buyer.token)).toBe(before);
      });
    }, 120_000);
  });
});
