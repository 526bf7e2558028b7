import { randomUUID } from "node:crypto";
import type { RequestContext } from "../src/core/context";
import { endRequestRunner, requestRunner } from "../src/db/request-scope";
import { withTransaction } from "../src/db/transaction";
import { isTransient } from "../src/graphql/errors";
import * as accountsService from "../src/modules/accounts/accounts.service";
import { createDistributor, createUser, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, tenant, type Tenant } from "./support/orders-factories";

// Temporary failures answer as such: never a success for work that was not saved, and a 503 with
// Retry-After, which a client retries, rather than an internal error.

let facet: TestFacet;
let a: Tenant;
beforeAll(async () => {
  facet = await startFacet();
  a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
});
afterAll(() => facet.stop());
afterEach(() => jest.restoreAllMocks());

async function post(query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
}

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { number } userErrors { code } } }`;

describe("a COMMIT that fails", () => {
  it("is never answered as a success; the client is told to retry, and the retry saves the order once", async () => {
    const item = await sellable(facet.dataSource, { variant: { onHand: 5 }, prices: [[a.distributor, "10.00"]] });
    const reference = `FAIL-${randomUUID().slice(0, 8)}`;
    const trigger = `fail_at_commit_${reference.slice(5)}`;
    // A check PostgreSQL makes only at COMMIT, refusing this order's reference.
    await facet.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`);
    await facet.dataSource.query(
      `CREATE CONSTRAINT TRIGGER ${trigger} AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.buyer_reference = '${reference}') EXECUTE FUNCTION ${trigger}()`,
    );
    const input = orderInput([line(item.id, 2)], { buyerReference: reference });
    try {
      const refused = await post(PLACE, { input }, a.buyer.token);
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("3");
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors!.map((e) => e.extensions.code)).toEqual(["SERVICE_UNAVAILABLE"]);
      const [{ n }] = await facet.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE buyer_reference = $1`, [reference]);
      expect(n).toBe(0);
      const [stock] = await facet.dataSource.query(`SELECT reserved FROM stock_levels WHERE variant_id = $1`, [item.variant.id]);
      expect(stock.reserved).toBe(0);
    } finally {
      await facet.dataSource.query(`DROP TRIGGER ${trigger} ON orders`);
      await facet.dataSource.query(`DROP FUNCTION ${trigger}()`);
    }
    // The same request again, with the same idempotency key: one order.
    const saved = await post(PLACE, { input }, a.buyer.token);
    expect(saved.status).toBe(200);
    expect(saved.body.data.placeOrder.order.number).toMatch(/^EXP-/);
    const again = await post(PLACE, { input }, a.buyer.token);
    expect(again.body.data.placeOrder.order.number).toBe(saved.body.data.placeOrder.order.number);
    const [{ n }] = await facet.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE buyer_reference = $1`, [reference]);
    expect(n).toBe(1);
  });
});

describe("a statement that runs out of time", () => {
  it("answers SERVICE_UNAVAILABLE with 503 and Retry-After, not an internal error", async () => {
    const token = userToken(facet.config, await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) }));
    // A read that PostgreSQL cancels at its statement timeout, as a slow one would be.
    jest.spyOn(accountsService, "viewer").mockImplementation(async (ctx: RequestContext) => {
      await ctx.db.transaction(async (tx) => {
        await tx.query("SET LOCAL statement_timeout = 20");
        await tx.query("SELECT pg_sleep(1)");
      });
      throw new Error("unreachable");
    });
    const r = await post("{ viewer { id } }", {}, token);
    expect(r.status).toBe(503);
    expect(r.retryAfter).toBe("3");
    expect(r.body.errors!.map((e) => e.extensions.code)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(JSON.stringify(r.body)).not.toMatch(/statement|timeout|cancel/i);
  });
});

describe("a connection lost inside a transaction", () => {
  it("fails the work as a moment's trouble, though the rollback fails too", async () => {
    const runner = requestRunner(facet.dataSource, undefined);
    const ctx = { db: runner.manager } as RequestContext;
    try {
      const thrown = await withTransaction(ctx, async (tx) => {
        const [{ pid }] = (await tx.db.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
        await facet.dataSource.query(`SELECT pg_terminate_backend($1)`, [pid]);
        await tx.db.query(`SELECT 1`);
      }).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(Error);
      expect(isTransient(thrown)).toBe(true);
    } finally {
      await endRequestRunner(runner);
    }
  });
});
