import type { GraphQLError } from "graphql";
import { loadConfig } from "../config";
import { UserRole } from "../core/access";
import type { Principal, RequestContext } from "../core/context";
import { budgetKeyOf, expensiveRead, expensiveReadsOf, ExpensiveReads, type Release } from "./budget";
import { RETRY_AFTER_SECONDS } from "./errors";

/** What a take() came to so far: admitted (with its release), refused, or still waiting. */
function watch(taking: Promise<Release | undefined>) {
  const seen: { release?: Release; refused: boolean; settled: boolean } = { refused: false, settled: false };
  void taking.then((release) => Object.assign(seen, { release, refused: !release, settled: true }));
  return seen;
}

// Lets the promises settled so far run their callbacks (setImmediate is left real below).
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("ExpensiveReads", () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ["setImmediate"] }));
  afterEach(() => jest.useRealTimers());

  it("runs a key's reads `slots` at a time, the next in the order they came, and never holds up another key", async () => {
    const gate = new ExpensiveReads(2, 8, 1000);
    const running = [watch(gate.take("a")), watch(gate.take("a"))];
    const waiting = [watch(gate.take("a")), watch(gate.take("a")), watch(gate.take("a"))];
    const other = watch(gate.take("b"));
    await settle();
    expect(running.map((r) => Boolean(r.release))).toEqual([true, true]);
    expect(waiting.map((w) => w.settled)).toEqual([false, false, false]);
    expect(other.release).toBeDefined();
    expect(gate.state("a")).toEqual({ running: 2, waiting: 3 });
    expect(gate.state("b")).toEqual({ running: 1, waiting: 0 });

    running[1].release!();
    await settle();
    expect(waiting.map((w) => Boolean(w.release))).toEqual([true, false, false]);
    running[0].release!();
    await settle();
    expect(waiting.map((w) => Boolean(w.release))).toEqual([true, true, false]);
    expect(gate.state("a")).toEqual({ running: 2, waiting: 1 });

    // A release called twice gives back one slot.
    waiting[0].release!();
    waiting[0].release!();
    await settle();
    expect(waiting[2].release).toBeDefined();
    expect(gate.state("a")).toEqual({ running: 2, waiting: 0 });
    waiting[1].release!();
    waiting[2].release!();
    other.release!();
    expect(gate.state("a")).toEqual({ running: 0, waiting: 0 });
    expect(gate.state("b")).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses at once beyond the line's length, and when no wait is allowed", async () => {
    const gate = new ExpensiveReads(1, 2, 1000);
    const held = watch(gate.take("a"));
    const line = [watch(gate.take("a")), watch(gate.take("a"))];
    const beyond = watch(gate.take("a"));
    await settle();
    expect(beyond).toMatchObject({ settled: true, refused: true });
    expect(line.map((w) => w.settled)).toEqual([false, false]);
    expect(gate.state("a")).toEqual({ running: 1, waiting: 2 });

    const impatient = new ExpensiveReads(1, 4, 0);
    const first = watch(impatient.take("a"));
    const second = watch(impatient.take("a"));
    await settle();
    expect(first.release).toBeDefined();
    expect(second).toMatchObject({ settled: true, refused: true });
    expect(impatient.state("a")).toEqual({ running: 1, waiting: 0 });
    held.release!();
  });

  it("refuses a read that waited `waitMs`, which leaves the line: a slot given back later goes to the next", async () => {
    const gate = new ExpensiveReads(1, 4, 200);
    const held = watch(gate.take("a"));
    const early = watch(gate.take("a"));
    await settle();
    jest.advanceTimersByTime(100);
    const late = watch(gate.take("a"));
    jest.advanceTimersByTime(100);
    await settle();
    expect(early).toMatchObject({ settled: true, refused: true });
    expect(late.settled).toBe(false);
    expect(gate.state("a")).toEqual({ running: 1, waiting: 1 });

    held.release!();
    await settle();
    expect(late.release).toBeDefined();
    // Its own timer no longer refuses it.
    jest.advanceTimersByTime(1000);
    await settle();
    expect(late.refused).toBe(false);
    late.release!();
    expect(gate.state("a")).toEqual({ running: 0, waiting: 0 });
  });
});

describe("expensiveRead", () => {
  const config = loadConfig({ NODE_ENV: "test", JWT_SECRET: "x".repeat(32), EXPENSIVE_QUERIES_PER_DISTRIBUTOR: "1", EXPENSIVE_QUERY_WAIT_MS: "0" });
  const buyer: Principal = { kind: "user", id: "u1", role: UserRole.BUYER, distributorId: "d1" };
  const ctx = { config, principal: buyer } as RequestContext;

  it("gives the slot back however the read ends, and refuses with RATE_LIMITED, 429 and Retry-After when none is free", async () => {
    const gate = expensiveReadsOf(config);
    await expect(expensiveRead(ctx, () => Promise.reject(new Error("the read failed")))).rejects.toThrow("the read failed");
    expect(gate.state(budgetKeyOf(buyer))).toEqual({ running: 0, waiting: 0 });
    await expect(expensiveRead(ctx, async () => "page")).resolves.toBe("page");

    const held = await gate.take(budgetKeyOf(buyer));
    const refusal = (await expensiveRead(ctx, async () => "page").catch((error: unknown) => error)) as GraphQLError;
    expect(refusal.extensions).toEqual({
      code: "RATE_LIMITED",
      retryAfter: RETRY_AFTER_SECONDS,
      http: { status: 429, headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]) },
    });
    expect(refusal.message).toBe(`Too many searches at once: 1 of your distributor's run at a time and 0 more may wait 0 ms for their turn; retry in ${RETRY_AFTER_SECONDS} s`);
    // Another distributor's read runs meanwhile.
    await expect(expensiveRead({ ...ctx, principal: { ...buyer, distributorId: "d2" } }, async () => "theirs")).resolves.toBe("theirs");
    held!();
    expect(gate.state(budgetKeyOf(buyer))).toEqual({ running: 0, waiting: 0 });
  });

  it("shares a distributor's slots among its people and API clients; each staff member has their own", () => {
    const client: Principal = { kind: "apiClient", id: "c1", scopes: [], distributorId: "d1" };
    const manager: Principal = { kind: "user", id: "s1", role: UserRole.EXPORT_MANAGER, distributorId: null };
    expect(budgetKeyOf(client)).toBe(budgetKeyOf(buyer));
    expect(budgetKeyOf(manager)).not.toBe(budgetKeyOf({ ...manager, id: "s2" }));
  });

  it("lets 4 reads wait per slot, but never so many that one key holds more than half the pool", () => {
    const of = (slots: string, pool: string) =>
      expensiveReadsOf(loadConfig({ NODE_ENV: "test", JWT_SECRET: "x".repeat(32), EXPENSIVE_QUERIES_PER_DISTRIBUTOR: slots, DB_POOL_SIZE: pool }));
    expect(of("1", "40")).toMatchObject({ slots: 1, maxWaiting: 4, waitMs: 2000 });
    expect(of("2", "10")).toMatchObject({ slots: 2, maxWaiting: 3 });
    expect(of("5", "10")).toMatchObject({ slots: 5, maxWaiting: 0 });
    expect(expensiveReadsOf(config)).toBe(expensiveReadsOf(config));
  });
});
