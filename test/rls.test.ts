import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { Ctx, Query, Resolver, buildSchema } from "type-graphql";
import type { EntityManager, QueryRunner } from "typeorm";
import { authChecker } from "../src/graphql/access";
import { UserRole } from "../src/core/access";
import type { Principal, RequestContext } from "../src/core/context";
import { applyScope, endRequestRunner, requestRunner, RLS_ROLE } from "../src/db/request-scope";
import { Incoterm } from "../src/graphql/scalars";
import { Order, OrderStatus } from "../src/modules/orders";
import { createRequestContext, endRequest } from "../src/server/context";
import { createDataSource } from "../src/db/data-source";
import { entities } from "../src/modules/entities";
import { TenancyLoginDocument } from "./generated/graphql";
import { createDistributor, createUser, TEST_PASSWORD, twoTenants } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";
import { buildTenantData, tenantTables, type TenantTable } from "./support/tenancy-factories";

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
    await applyScope(runner.manager, principal, "rls-test");
    return await work(runner);
  } finally {
    await runner.rollbackTransaction();
    await endRequestRunner(runner);
  }
}

/** Distributors A and B with an order each, and A's buyer. */
async function buyerWithForeignOrder() {
  const a = await createDistributor(facet.dataSource);
  const b = await createDistributor(facet.dataSource);
  const buyerA = await createUser(facet.dataSource, { distributor: a });
  const principal: Principal = { kind: "user", id: buyerA.id, role: UserRole.BUYER, distributorId: a.id };
  return { a, b, principal, ownOrder: await orderFor(a.id), foreignOrder: await orderFor(b.id) };
}

describe("row-level security", () => {
  it("hides another distributor's rows from a query without a tenant filter, and refuses writes into them", async () => {
    const { b, ownOrder, foreignOrder, principal } = await buyerWithForeignOrder();

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

  it("gives a child row its parent's distributor, whatever the writer names", async () => {
    const { a, b, ownOrder, foreignOrder, principal } = await buyerWithForeignOrder();
    const change = (orderId: string, distributorId: string) =>
      `INSERT INTO order_status_changes (order_id, distributor_id, to_status, changed_by_name)
       VALUES ('${orderId}', '${distributorId}', 'CONFIRMED', 'test') RETURNING distributor_id`;

    // Naming another distributor on one's own order's row: the row is still one's own.
    expect(await inScope(principal, (runner) => runner.query(change(ownOrder, b.id)))).toEqual([{ distributor_id: a.id }]);
    // A row under another distributor's order is refused, whichever distributor it names.
    for (const named of [a.id, b.id]) {
      await expect(inScope(principal, (runner) => runner.query(change(foreignOrder, named)))).rejects.toMatchObject({ driverError: { code: "42501" } });
    }
    // Outside a request (the system), the parent decides too.
    const [row] = (await facet.dataSource.query(change(foreignOrder, a.id))) as { distributor_id: string }[];
    expect(row).toEqual({ distributor_id: b.id });
    // Moving a row to another parent moves it to that parent's distributor.
    const [moved] = (await facet.dataSource.query(
      `UPDATE order_status_changes SET order_id = $1 WHERE order_id = $2 RETURNING distributor_id`,
      [ownOrder, foreignOrder],
    )) as [{ distributor_id: string }[], number];
    expect(moved).toEqual([{ distributor_id: a.id }]);
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

  it("leaves no scope behind on the connection once the request gives it back", async () => {
    const a = await createDistributor(facet.dataSource);
    const buyer = await createUser(facet.dataSource, { distributor: a });
    // A pool of one: the next runner gets the very connection the request had.
    const single = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: process.env.FACET_TEST_EMBEDDED === "1", poolSize: 1, statementTimeoutMs: 5000 });
    await single.initialize();
    try {
      const settings = `SELECT pg_backend_pid() AS pid, current_user AS role, COALESCE(current_setting('app.scope', true), '') AS scope, COALESCE(current_setting('app.tenant_id', true), '') AS tenant`;
      const runner = requestRunner(single, undefined);
      await applyScope(runner.manager, { kind: "user", id: buyer.id, role: UserRole.BUYER, distributorId: a.id }, "rls-test");
      const [during] = (await runner.query(settings)) as { pid: number; role: string; scope: string; tenant: string }[];
      expect(during).toMatchObject({ role: "facet_rls", scope: "tenant", tenant: a.id });
      await endRequestRunner(runner);
      const [after] = (await single.query(settings)) as { pid: number; role: string; scope: string; tenant: string }[];
      expect(after.pid).toBe(during.pid);
      expect(after.role).not.toBe("facet_rls");
      expect({ scope: after.scope, tenant: after.tenant }).toEqual({ scope: "", tenant: "" });
    } finally {
      await single.destroy();
    }
  });
});

// ---- every table, inside real signed-in requests ---------------------------------------------

// Tables that are not a distributor's but hold what no distributor may read: staff writes with
// the rows before and after (any distributor's orders, prices, briefs), sign-in failures by
// email and the places people signed in from (any distributor's people). Only staff, or only
// the system, see them.
const PRIVATE: Record<string, "staff" | "system"> = { audit_log: "staff", jobs: "system", login_attempts: "system", sign_in_sources: "system" };
// Tables every distributor shares: the catalog, its stock and production, the working calendar,
// the metal fixes and exchange rates, and the migrations.
const SHARED = ["exchange_rates", "holidays", "metal_prices", "migrations", "production_batches", "products", "stock_levels", "stock_movements", "variants"];

type Work = (db: EntityManager) => Promise<unknown>;
type ForgetfulContext = RequestContext & { work: Work };

// A resolver that forgot the tenant filter: it runs whatever SQL it is given on the request's
// own transaction, as a service method would.
@Resolver()
class ForgetfulResolver {
  @Query(() => String, { description: "Runs the test's work on the request's database connection." })
  async forgetful(@Ctx() ctx: ForgetfulContext): Promise<string> {
    return JSON.stringify(await ctx.work(ctx.db));
  }
}

describe("row-level security of every table, under a real signed-in request", () => {
  let apollo: ApolloServer<ForgetfulContext>;
  let tenants: Awaited<ReturnType<typeof twoTenants>>;
  let tables: TenantTable[];
  /** B's rows, table by table, by primary key (as JSON text), read outside any request. */
  const foreign = new Map<string, Set<string>>();
  /** One of B's rows per table, whole. */
  const sample = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    tenants = await twoTenants(facet.dataSource, facet.config);
    // B's orders, shipments, briefs, feedback, prices and their events, a webhook endpoint with a
    // delivery and its attempt, and a bulk export.
    await buildTenantData(facet, tenants.b, tenants.staff);
    // A quantity break in B's price list, on a style B's list prices.
    await facet.dataSource.query(
      `INSERT INTO quantity_breaks (distributor_id, product_id, min_quantity, unit_price, currency)
       SELECT vp.distributor_id, v.product_id, 12, vp.amount, vp.currency FROM variant_prices vp JOIN variants v ON v.id = vp.variant_id
       WHERE vp.distributor_id = $1 LIMIT 1`,
      [tenants.b.distributor.id],
    );
    // A failed sign-in with B's admin's email leaves a row about B's people in login_attempts.
    await facet.gql(TenancyLoginDocument, { input: { email: tenants.b.admin.email, password: "not the password" } });
    // A successful one leaves where B's admin signed in from in sign_in_sources.
    await facet.gql(TenancyLoginDocument, { input: { email: tenants.b.admin.email, password: TEST_PASSWORD } }, { context: { ip: "192.0.2.10" } });
    tables = (await tenantTables(facet)).filter((t) => !(t.table in PRIVATE));
    for (const { table, owned, key } of tables) {
      const rows = (await facet.dataSource.query(`SELECT jsonb_build_array(${key.join(", ")})::text AS key, to_jsonb(t) AS row FROM ${table} t WHERE ${owned("t")}`, [
        tenants.b.distributor.id,
      ])) as { key: string; row: Record<string, unknown> }[];
      foreign.set(table, new Set(rows.map((r) => canonical(r.key))));
      if (rows[0]) sample.set(table, rows[0].row);
    }
    apollo = new ApolloServer<ForgetfulContext>({ schema: await buildSchema({ resolvers: [ForgetfulResolver], authChecker, validate: false }) });
    await apollo.start();
  });
  afterAll(() => apollo.stop());

  const canonical = (keyJson: string) => JSON.stringify(JSON.parse(keyJson));

  /** Runs `work` inside a request signed in with `token`, on the request's own connection. */
  async function inRequest<T>(token: string, work: (db: EntityManager) => Promise<T>): Promise<T> {
    const base = await createRequestContext({ config: facet.config, dataSource: facet.dataSource }, { authorization: `Bearer ${token}`, requestId: "rls-test", ip: "127.0.0.1" });
    const response = await apollo.executeOperation({ query: "{ forgetful }" }, { contextValue: { ...base, work } }).finally(() => endRequest(base));
    if (response.body.kind !== "single") throw new Error("unexpected incremental response");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) throw new Error(JSON.stringify(errors));
    return JSON.parse((data as { forgetful: string }).forgetful) as T;
  }

  /** Runs one statement in a savepoint that is rolled back: its outcome, never its effect. */
  async function attempt(db: EntityManager, sql: string, params: unknown[]): Promise<{ affected?: number; code?: string }> {
    let outcome: { affected?: number; code?: string } = {};
    await db
      .transaction(async (savepoint) => {
        const result = (await savepoint.query(sql, params)) as unknown;
        outcome = { affected: Array.isArray(result) && typeof result[1] === "number" ? result[1] : 0 };
        throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) outcome = { code: (error as { driverError?: { code?: string } }).driverError?.code ?? String(error) };
      });
    return outcome;
  }
  class RollBack extends Error {}

  it("forces a policy on every table a distributor owns and on the private ones; every other table is declared shared", async () => {
    const all = (await facet.dataSource.query(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    )) as { table: string; enabled: boolean; forced: boolean; policies: number }[];
    const guarded = new Set([...tables.map((t) => t.table), ...Object.keys(PRIVATE)]);
    for (const row of all.filter((r) => guarded.has(r.table))) {
      expect({ table: row.table, enabled: row.enabled, forced: row.forced, hasPolicy: row.policies > 0 }).toEqual({ table: row.table, enabled: true, forced: true, hasPolicy: true });
    }
    const undeclared = all.map((r) => r.table).filter((t) => !guarded.has(t) && !SHARED.includes(t));
    // A new table either gets row-level security (and appears above) or is declared shared here.
    expect(undeclared).toEqual([]);
    expect(SHARED.filter((t) => guarded.has(t))).toEqual([]);
    const [role] = (await facet.dataSource.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [RLS_ROLE])) as { rolsuper: boolean; rolbypassrls: boolean }[];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("has rows of B in every table it owns, so the checks below can fail", () => {
    const empty = tables.map((t) => t.table).filter((t) => !foreign.get(t)?.size);
    expect(empty).toEqual([]);
  });

  for (const who of ["buyer", "admin", "client"] as const) {
    it(`shows A's ${who} no row of B in any table, by raw SQL or a query builder without the tenant filter`, async () => {
      const seen = await inRequest(tenants.a.tokens[who], async (db) => {
        const out: Record<string, { raw: string[]; builder: string[] | null; private?: number }> = {};
        for (const { table, key } of tables) {
          const raw = ((await db.query(`SELECT jsonb_build_array(${key.join(", ")})::text AS key FROM ${table}`)) as { key: string }[]).map((r) => r.key);
          const meta = facet.dataSource.entityMetadatas.find((m) => m.tableName === table);
          const builder = meta ? (await db.createQueryBuilder(meta.target, "t").getMany()).map((e) => JSON.stringify(meta.primaryColumns.map((c) => c.getEntityValue(e as object)))) : null;
          out[table] = { raw, builder };
        }
        for (const table of Object.keys(PRIVATE)) {
          out[table] = { raw: [], builder: null, private: ((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n };
        }
        return out;
      });
      const leaks: string[] = [];
      for (const { table } of tables) {
        const theirs = foreign.get(table)!;
        const raw = seen[table].raw.map(canonical).filter((k) => theirs.has(k));
        const builder = (seen[table].builder ?? []).filter((k) => theirs.has(k));
        if (raw.length || builder.length) leaks.push(`${table}: ${raw.length} by SQL, ${builder.length} by query builder`);
      }
      for (const table of Object.keys(PRIVATE)) if (seen[table].private) leaks.push(`${table}: ${seen[table].private} rows`);
      expect(leaks).toEqual([]);
      // Not blind either: A's own distributor is there.
      expect(seen.distributors.raw.map(canonical)).toEqual([JSON.stringify([tenants.a.distributor.id])]);
    });
  }

  it(`shows staff every distributor's rows, and the audit log but not the sign-in failures`, async () => {
    const counts = await inRequest(tenants.staff.support, async (db) => {
      const out: Record<string, number> = {};
      for (const { table, key } of tables) {
        const keys = ((await db.query(`SELECT jsonb_build_array(${key.join(", ")})::text AS key FROM ${table}`)) as { key: string }[]).map((r) => canonical(r.key));
        out[table] = keys.filter((k) => foreign.get(table)!.has(k)).length;
      }
      for (const table of Object.keys(PRIVATE)) out[table] = ((await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n;
      return out;
    });
    for (const { table } of tables) expect({ table, seen: counts[table] }).toEqual({ table, seen: foreign.get(table)!.size });
    expect(counts.audit_log).toBeGreaterThan(0);
    expect(counts.login_attempts).toBe(0);
    expect(counts.sign_in_sources).toBe(0);
  });

  it("refuses A's buyer any change to B's rows: updates and deletes touch nothing, inserts in B's name fail", async () => {
    const outcomes = await inRequest(tenants.a.tokens.buyer, async (db) => {
      const out: Record<string, unknown> = {};
      for (const { table, key } of tables) {
        const keys = [...foreign.get(table)!];
        const where = `jsonb_build_array(${key.join(", ")}) = ANY($1::jsonb[])`;
        const row = { ...sample.get(table)! };
        if (key.length === 1 && key[0] === "id") row.id = randomUUID();
        out[table] = {
          update: await attempt(db, `UPDATE ${table} SET ${key[0]} = ${key[0]} WHERE ${where}`, [keys]),
          delete: await attempt(db, `DELETE FROM ${table} WHERE ${where}`, [keys]),
          insert: await attempt(db, `INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`, [JSON.stringify(row)]),
        };
      }
      out.login_attempts = { update: await attempt(db, `UPDATE login_attempts SET failures = 0`, []), delete: await attempt(db, `DELETE FROM login_attempts`, []) };
      out.audit_log = { update: await attempt(db, `UPDATE audit_log SET after = NULL`, []), delete: await attempt(db, `DELETE FROM audit_log`, []) };
      out.audit_log_insert = await attempt(
        db,
        `INSERT INTO audit_log (actor_user_id, actor_name, table_name, row_key, action) VALUES ($1, 'forged', 'orders', 'x', 'UPDATE')`,
        [tenants.a.buyer.id],
      );
      return out;
    });
    const refused = { update: { affected: 0 }, delete: { affected: 0 }, insert: { code: "42501" } };
    for (const { table } of tables) expect({ table, ...(outcomes[table] as object) }).toEqual({ table, ...refused });
    expect(outcomes.login_attempts).toEqual({ update: { affected: 0 }, delete: { affected: 0 } });
    // The audit trail is append-only for every request, staff's included (see below).
    expect(outcomes.audit_log).toEqual({ update: { code: "42501" }, delete: { code: "42501" } });
    expect(outcomes.audit_log_insert).toEqual({ code: "42501" });
  });

  it("keeps the audit trail append-only even for staff", async () => {
    const outcomes = await inRequest(tenants.staff.manager, async (db) => ({
      update: await attempt(db, `UPDATE audit_log SET after = NULL`, []),
      delete: await attempt(db, `DELETE FROM audit_log`, []),
    }));
    expect(outcomes).toEqual({ update: { code: "42501" }, delete: { code: "42501" } });
  });
});
