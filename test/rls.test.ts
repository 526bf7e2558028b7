import type { QueryRunner } from "typeorm";
import { UserRole } from "../src/graphql/access";
import type { Principal, RequestContext } from "../src/graphql/context";
import { applyScope } from "../src/db/request-scope";
import { Incoterm } from "../src/graphql/scalars";
import { Order, OrderStatus } from "../src/modules/orders";
import { createDistributor, createUser } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";

// Row-level security is the backstop under the services' tenant filters: these tests query the
// tables directly, as a service that forgot its filter would, inside a request's scope.
let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

async function orderFor(distributorId: string, currency = "EUR"): Promise<string> {
  const { identifiers } = await facet.dataSource.manager.insert(Order, {
    number: `RLS-${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    distributorId,
    buyerReference: "PO-RLS",
    currency: currency as Order["currency"],
    incoterm: Incoterm.DAP,
    estimatedShipDate: "2030-01-01",
    status: OrderStatus.PENDING,
    total: "10.0000",
    lineCount: 1,
  });
  return identifiers[0].id as string;
}

async function inScope<T>(principal: Principal, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = facet.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await applyScope({ principal, db: runner.manager } as RequestContext);
    return await work(runner);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

describe("row-level security", () => {
  it("hides another distributor's rows from a query without a tenant filter, and refuses writes into them", async () => {
    const a = await createDistributor(facet.dataSource);
    const b = await createDistributor(facet.dataSource);
    const buyerA = await createUser(facet.dataSource, { distributor: a });
    const ownOrder = await orderFor(a.id);
    const foreignOrder = await orderFor(b.id);
    const principal: Principal = { kind: "user", id: buyerA.id, role: UserRole.BUYER, distributorId: a.id };

    await inScope(principal, async (runner) => {
      const ids = ((await runner.query(`SELECT id FROM orders WHERE id = ANY($1)`, [[ownOrder, foreignOrder]])) as { id: string }[]).map((r) => r.id);
      expect(ids).toEqual([ownOrder]);
      expect(await runner.query(`SELECT id FROM distributors WHERE id = $1`, [b.id])).toEqual([]);
      expect(await runner.query(`SELECT id FROM users WHERE distributor_id = $1`, [b.id])).toEqual([]);
      expect(await runner.query(`SELECT id FROM order_status_changes WHERE order_id = $1`, [foreignOrder])).toEqual([]);
      // Only the settings of this transaction: nothing a later request on this connection inherits.
      expect(await runner.query(`SELECT current_user AS role`)).toEqual([{ role: "facet_rls" }]);
    });
    await expect(
      inScope(principal, (runner) =>
        runner.query(
          `INSERT INTO orders (number, distributor_id, buyer_reference, currency, incoterm, estimated_ship_date, status, total, line_count)
           VALUES ('RLS-FORGED', $1, 'x', 'EUR', 'DAP', '2030-01-01', 'PENDING', 1, 1)`,
          [b.id],
        ),
      ),
    ).rejects.toMatchObject({ driverError: { code: "42501" } });
    const updated = await inScope(principal, async (runner) => {
      const [, count] = (await runner.query(`UPDATE orders SET buyer_reference = 'hijacked' WHERE id = $1`, [foreignOrder])) as [unknown, number];
      return count;
    });
    expect(updated).toBe(0);
  });

  it("lets an API client see only its distributor, and staff every distributor", async () => {
    const a = await createDistributor(facet.dataSource);
    const b = await createDistributor(facet.dataSource);
    const orders = [await orderFor(a.id), await orderFor(b.id)];
    const count = (principal: Principal) =>
      inScope(principal, async (runner) => ((await runner.query(`SELECT id FROM orders WHERE id = ANY($1)`, [orders])) as unknown[]).length);
    expect(await count({ kind: "apiClient", id: a.id, scopes: [], distributorId: a.id })).toBe(1);
    const manager = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
    expect(await count({ kind: "user", id: manager.id, role: UserRole.EXPORT_MANAGER, distributorId: null })).toBe(2);
  });

  it("leaves no scope behind on the connection once the transaction ends", async () => {
    const a = await createDistributor(facet.dataSource);
    const buyer = await createUser(facet.dataSource, { distributor: a });
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await applyScope({ principal: { kind: "user", id: buyer.id, role: UserRole.BUYER, distributorId: a.id }, db: runner.manager } as RequestContext);
      await runner.commitTransaction();
      const [after] = (await runner.query(`SELECT current_user AS role, COALESCE(current_setting('app.scope', true), '') AS scope`)) as { role: string; scope: string }[];
      expect(after.role).not.toBe("facet_rls");
      expect(after.scope).toBe("");
    } finally {
      await runner.release();
    }
  });
});
