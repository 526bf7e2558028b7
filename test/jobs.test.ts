import { randomUUID } from "node:crypto";
import { enqueueJob, RetryAt, startJobRunner, type Job, type JobHandler } from "../src/db/jobs";
import { withRequestRunner } from "../src/db/request-scope";
import { withTransaction } from "../src/db/transaction";
import type { RequestContext } from "../src/core/context";
import { createRequestContext, endRequest } from "../src/server/context";
import { startFacet, type TestFacet } from "./support/harness";
import { tenant } from "./support/orders-factories";

// The job runner (src/db/jobs.ts) on the real database: each test uses kinds of its own, so the
// runners of other test files never take its jobs.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

const kind = () => `test.${randomUUID()}`;

function system<T>(work: (ctx: RequestContext) => Promise<T>): Promise<T> {
  return withRequestRunner(facet.dataSource, undefined, (db) =>
    work({ requestId: "jobs-test", config: facet.config, principal: null, db, dataSource: facet.dataSource, loaders: new Map(), ip: undefined }),
  );
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const statusOf = async (id: string) =>
  ((await facet.dataSource.query(`SELECT status, attempts, last_error FROM jobs WHERE id = $1`, [id])) as { status: string; attempts: number; last_error: string | null }[])[0];

test("a job enqueued in a transaction that rolls back never runs; one that commits runs once", async () => {
  const k = kind();
  const ran: string[] = [];
  const handler: JobHandler = { kind: k, run: async (job) => void ran.push(job.payload.name as string) };
  const runner = startJobRunner(facet.dataSource, [handler], { pollMs: 50 });
  try {
    await system((ctx) =>
      withTransaction(ctx, async (tx) => {
        await enqueueJob(tx, k, { name: "kept" });
      }),
    );
    await expect(
      system((ctx) =>
        withTransaction(ctx, async (tx) => {
          await enqueueJob(tx, k, { name: "rolled back" });
          throw new Error("no");
        }),
      ),
    ).rejects.toThrow("no");
    await until(() => ran.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toEqual(["kept"]);
  } finally {
    await runner.stop();
  }
});

test("two runners never run one job twice", async () => {
  const k = kind();
  const runs = new Map<string, number>();
  const handler: JobHandler = {
    kind: k,
    run: async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    },
  };
  const ids = await system(async (ctx) => {
    const out: string[] = [];
    for (let i = 0; i < 60; i++) out.push((await enqueueJob(ctx, k, { i }))!);
    return out;
  });
  const a = startJobRunner(facet.dataSource, [handler], { pollMs: 20, concurrency: 3 });
  const b = startJobRunner(facet.dataSource, [handler], { pollMs: 20, concurrency: 3 });
  try {
    await until(() => runs.size === ids.length);
    await until(async () => (await statusOf(ids[ids.length - 1])).status === "DONE");
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  expect([...runs.values()].every((n) => n === 1)).toBe(true);
  const statuses = (await facet.dataSource.query(`SELECT status, count(*)::int AS n FROM jobs WHERE kind = $1 GROUP BY status`, [k])) as { status: string; n: number }[];
  expect(statuses).toEqual([{ status: "DONE", n: 60 }]);
});

test("a job whose runner died is taken again once its lease has ended, and the late runner cannot finish it", async () => {
  const k = kind();
  let release!: () => void;
  const stuck = new Promise<void>((r) => (release = r));
  const first: JobHandler = { kind: k, leaseMs: 200, run: () => stuck };
  const seen: Job[] = [];
  const second: JobHandler = { kind: k, leaseMs: 200, run: async (job) => void seen.push(job) };
  const id = (await system((ctx) => enqueueJob(ctx, k, {})))!;
  // One job at a time: while its run hangs, this runner takes nothing else, as if it had died.
  const dying = startJobRunner(facet.dataSource, [first], { pollMs: 20, concurrency: 1 });
  await until(async () => (await statusOf(id)).status === "RUNNING");
  const taker = startJobRunner(facet.dataSource, [second], { pollMs: 20 });
  try {
    await until(() => seen.length === 1);
    expect(seen[0].attempt).toBe(2);
    await until(async () => (await statusOf(id)).status === "DONE");
    // The first run ends late: its lease is gone, so what it reports changes nothing.
    release();
    await dying.stop();
    expect(await statusOf(id)).toMatchObject({ status: "DONE", attempts: 2 });
  } finally {
    release();
    await Promise.all([dying.stop(), taker.stop()]);
  }
});

test("a failing job is retried when it asks, and fails for good after its last attempt", async () => {
  const k = kind();
  const attempts: number[] = [];
  const handler: JobHandler = {
    kind: k,
    run: async (job) => {
      attempts.push(job.attempt);
      throw new RetryAt(new Date(Date.now() + 50), `refused ${job.attempt}`);
    },
  };
  const id = (await system((ctx) => enqueueJob(ctx, k, {}, { maxAttempts: 3 })))!;
  const runner = startJobRunner(facet.dataSource, [handler], { pollMs: 20 });
  try {
    await until(async () => (await statusOf(id)).status === "FAILED");
  } finally {
    await runner.stop();
  }
  expect(attempts).toEqual([1, 2, 3]);
  expect(await statusOf(id)).toMatchObject({ status: "FAILED", attempts: 3, last_error: "refused 3" });
});

test("periodic work runs once per period however many runners there are", async () => {
  const k = kind();
  let runs = 0;
  const handler: JobHandler = { kind: k, everyMs: 3_600_000, run: async () => void runs++ };
  const runners = [1, 2, 3].map(() => startJobRunner(facet.dataSource, [handler], { pollMs: 20 }));
  try {
    await until(() => runs >= 1);
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
  }
  expect(runs).toBe(1);
});

test("a unique key enqueues one job", async () => {
  const k = kind();
  const key = randomUUID();
  const [a, b] = await system(async (ctx) => [await enqueueJob(ctx, k, {}, { uniqueKey: key }), await enqueueJob(ctx, k, {}, { uniqueKey: key })]);
  expect(a).toEqual(expect.any(String));
  expect(b).toBeNull();
});

test("a signed-in request may enqueue a job, with a unique key, but never read the queue", async () => {
  const t = await tenant(facet.dataSource, facet.config);
  const k = kind();
  const key = randomUUID();
  const ctx = await createRequestContext({ config: facet.config, dataSource: facet.dataSource }, { authorization: `Bearer ${t.buyer.token}`, requestId: "jobs-test", ip: undefined });
  try {
    const [first, second, seen] = await withTransaction(ctx, async (tx) => [
      await enqueueJob(tx, k, { n: 1 }, { uniqueKey: key }),
      await enqueueJob(tx, k, { n: 2 }, { uniqueKey: key }),
      ((await tx.db.query(`SELECT count(*)::int AS n FROM jobs`)) as { n: number }[])[0].n,
    ]);
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(seen).toBe(0);
  } finally {
    await endRequest(ctx);
  }
  expect(await facet.dataSource.query(`SELECT payload FROM jobs WHERE kind = $1`, [k])).toEqual([{ payload: { n: 1 } }]);
});

test("each kind of job is leased for its own time, whatever else its runner runs", async () => {
  const slow = kind();
  const quick = kind();
  let release!: () => void;
  const stuck = new Promise<void>((r) => (release = r));
  const seen: Job[] = [];
  const id = (await system((ctx) => enqueueJob(ctx, quick, {})))!;
  // This runner also runs a kind with a long lease; its quick job must not inherit it.
  const dying = startJobRunner(facet.dataSource, [{ kind: slow, leaseMs: 600_000, run: async () => undefined }, { kind: quick, leaseMs: 200, run: () => stuck }], { pollMs: 20, concurrency: 1 });
  await until(async () => (await statusOf(id)).status === "RUNNING");
  const taker = startJobRunner(facet.dataSource, [{ kind: quick, leaseMs: 200, run: async (job) => void seen.push(job) }], { pollMs: 20 });
  try {
    await until(() => seen.length === 1);
  } finally {
    release();
    await Promise.all([dying.stop(), taker.stop()]);
  }
  expect(seen[0].attempt).toBe(2);
});
