import { UserRole } from "../src/core/access";
import { budgetKeyOf, expensiveReadsOf, type ExpensiveReads, type Release } from "../src/graphql/budget";
import { RETRY_AFTER_SECONDS } from "../src/graphql/errors";
import { twoTenants } from "./support/factories";
import { onRealPostgres, startFacet, type TestFacet } from "./support/harness";

// A distributor's searches run a few at a time in a process (EXPENSIVE_QUERIES_PER_DISTRIBUTOR);
// the next waits its turn up to EXPENSIVE_QUERY_WAIT_MS and the rest are refused with 429
// RATE_LIMITED and Retry-After, while other distributors' searches run as ever. The test takes a
// distributor's slots itself, through the gate the server uses, so that what waits and what is
// refused follows from counts: a slot the test holds is never given back during a wait. A request
// that waits holds its database connection, so these need a database that serves several at
// once: the embedded one serves one, and there they are skipped.

type Tenants = Awaited<ReturnType<typeof twoTenants>>;

const SLOTS = 2;
const ORDERS = `query($s: String, $after: String) { orders(first: 5, after: $after, filter: { search: $s }) { nodes { id } } }`;
const BRIEFS = `query($s: String) { designBriefs(first: 5, filter: { search: $s }) { nodes { id } } }`;

/** A Facet whose distributors each run SLOTS searches at a time, and one more may wait `waitMs` (DB_POOL_SIZE 6: see expensiveReadsOf). */
async function facetWaiting(waitMs: number) {
  const facet = await startFacet({ EXPENSIVE_QUERIES_PER_DISTRIBUTOR: String(SLOTS), EXPENSIVE_QUERY_WAIT_MS: String(waitMs), DB_POOL_SIZE: "6" });
  const tenants = await twoTenants(facet.dataSource, facet.config);
  const gate = expensiveReadsOf(facet.config);
  expect(gate).toMatchObject({ slots: SLOTS, maxWaiting: 1, waitMs });
  const keyOf = (t: Tenants["a"]) => budgetKeyOf({ kind: "user", id: t.buyer.id, role: UserRole.BUYER, distributorId: t.distributor.id });
  return { facet, ...tenants, gate, keyA: keyOf(tenants.a), keyB: keyOf(tenants.b) };
}

async function post(facet: TestFacet, query: string, token: string, variables: Record<string, unknown>, signal?: AbortSignal) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body };
}

/** Waits until `check` holds: the gate's counts, which change as requests reach it. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

/** Takes all of a key's slots, as running searches would. */
async function holdAll(gate: ExpensiveReads, key: string): Promise<Release[]> {
  const held = await Promise.all(Array.from({ length: SLOTS }, () => gate.take(key)));
  expect(held.every(Boolean)).toBe(true);
  return held as Release[];
}

function refusedAsBusy(r: Awaited<ReturnType<typeof post>>, field: string) {
  expect(r.status).toBe(429);
  expect(r.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
  expect(r.body.data).toEqual({ [field]: null });
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors![0].extensions).toEqual({ code: "RATE_LIMITED", retryAfter: RETRY_AFTER_SECONDS });
  expect(r.body.errors![0].message).toMatch(new RegExp(`^Too many searches at once: ${SLOTS} of your distributor's run at a time .* retry in ${RETRY_AFTER_SECONDS} s$`));
}

describe("a distributor's searches, over HTTP", () => {
  describe("with a long wait", () => {
    let t: Awaited<ReturnType<typeof facetWaiting>>;
    beforeAll(async () => {
      t = await facetWaiting(60_000);
    });
    afterAll(() => t.facet.stop());

    onRealPostgres("lets the next search wait for a slot, refuses one more at once, and never holds up another distributor's", async () => {
      const held = await holdAll(t.gate, t.keyA);
      const next = post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order" });
      await until(() => t.gate.state(t.keyA).waiting === 1);

      // The line is full: A's API client is refused at once, for orders and for briefs alike.
      refusedAsBusy(await post(t.facet, ORDERS, t.a.tokens.client, { s: "no such order" }), "orders");
      refusedAsBusy(await post(t.facet, BRIEFS, t.a.tokens.admin, { s: "no such brief" }), "designBriefs");
      // B's searches run while all of A's slots are taken and A's line is full.
      const theirs = await post(t.facet, ORDERS, t.b.tokens.buyer, { s: "no such order" });
      expect(theirs).toMatchObject({ status: 200, body: { data: { orders: { nodes: [] } } } });
      expect((await post(t.facet, BRIEFS, t.b.tokens.admin, { s: "no such brief" })).body).toEqual({ data: { designBriefs: { nodes: [] } }, extensions: expect.anything() });
      expect(t.gate.state(t.keyA)).toEqual({ running: SLOTS, waiting: 1 });
      expect(t.gate.state(t.keyB)).toEqual({ running: 0, waiting: 0 });
      // A list without a search is not held back.
      expect((await post(t.facet, `{ orders(first: 5) { nodes { id } } }`, t.a.tokens.buyer, {})).status).toBe(200);

      // A slot given back goes to the search waiting for it.
      held[0]();
      expect(await next).toMatchObject({ status: 200, body: { data: { orders: { nodes: [] } } } });
      held[1]();
      expect(t.gate.state(t.keyA)).toEqual({ running: 0, waiting: 0 });
    });

    onRealPostgres("gives a slot back when the search fails, and when its client has gone", async () => {
      // A cursor Facet did not write is refused inside the search's slot.
      const bad = await post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order", after: "not-a-cursor" });
      expect(bad.status).toBe(400);
      expect(bad.body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "after" });
      expect(t.gate.state(t.keyA)).toEqual({ running: 0, waiting: 0 });

      // A search whose client gives up while it waits still takes its turn, then gives it back.
      const held = await holdAll(t.gate, t.keyA);
      const abort = new AbortController();
      const gone = post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order" }, abort.signal).catch((error: Error) => error.name);
      await until(() => t.gate.state(t.keyA).waiting === 1);
      abort.abort();
      expect(await gone).toBe("AbortError");
      held.forEach((release) => release());
      await until(() => t.gate.state(t.keyA).running === 0);
      expect(t.gate.state(t.keyA)).toEqual({ running: 0, waiting: 0 });

      // All of A's slots are free again.
      const again = await Promise.all(Array.from({ length: SLOTS }, () => post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order" })));
      expect(again.map((r) => r.status)).toEqual(Array(SLOTS).fill(200));
    });
  });

  describe("with a short wait", () => {
    let t: Awaited<ReturnType<typeof facetWaiting>>;
    beforeAll(async () => {
      t = await facetWaiting(200);
    });
    afterAll(() => t.facet.stop());

    onRealPostgres("refuses a search that waited EXPENSIVE_QUERY_WAIT_MS without a slot coming free, with 429 and Retry-After", async () => {
      const held = await holdAll(t.gate, t.keyA);
      const waited = await post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order" });
      refusedAsBusy(waited, "orders");
      expect(waited.body.errors![0].message).toContain("may wait 200 ms for their turn");
      expect(t.gate.state(t.keyA)).toEqual({ running: SLOTS, waiting: 0 });
      expect((await post(t.facet, ORDERS, t.b.tokens.buyer, { s: "no such order" })).status).toBe(200);
      held.forEach((release) => release());
      expect((await post(t.facet, ORDERS, t.a.tokens.buyer, { s: "no such order" })).status).toBe(200);
    });
  });
});
