import type { DataSource, QueryRunner } from "typeorm";
import { UserRole } from "../src/core/access";
import { createDataSource } from "../src/db/data-source";
import { applyScope, endRequestRunner, requestRunner } from "../src/db/request-scope";
import { sql } from "../src/db/statements";
import { entities } from "../src/modules/entities";
import { newObservation } from "../src/observability/observation";
import { createDistributor, createUser } from "./support/factories";
import { onRealPostgres, startFacet, type TestFacet } from "./support/harness";

// Facet's statements run on the request's connection through pg's own client: side by side in
// pg's pipeline mode, prepared by name when they have parameters (src/db/statements.ts), and the
// connection goes back to the pool only once the caller's scope is reset (src/db/request-scope.ts).

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

/** Runs `test` on a request runner of its own, given back afterwards whatever happened. */
async function onRunner(test: (runner: QueryRunner) => Promise<void>, dataSource: DataSource = facet.dataSource): Promise<void> {
  const runner = requestRunner(dataSource, newObservation("statements-test"));
  try {
    await test(runner);
  } finally {
    await endRequestRunner(runner);
  }
}

const code = (outcome: PromiseSettledResult<unknown>) => (outcome.status === "rejected" ? (outcome.reason as { driverError?: { code?: string } }).driverError?.code : "ok");
// Each test's statements carry a marker of their own, so that what a connection prepared for
// another test never counts.
const marker = () => `/* statements-test ${Math.random().toString(36).slice(2)} */`;
const preparedAs = async (runner: QueryRunner, text: string) =>
  ((await runner.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [text])) as { name: string }[]).map((r) => r.name);

describe("statements asked side by side on a request's connection", () => {
  it("each answer with their own rows, in the order asked, and are counted for the request", () =>
    onRunner(async (runner) => {
      const asked = Array.from({ length: 12 }, (_, i) => i);
      const answers = await Promise.all(asked.map((n) => sql<{ n: number }>(runner.manager, `SELECT $1::int * 10 AS n`, [n])));
      expect(answers.map(([row]) => row.n)).toEqual(asked.map((n) => n * 10));
      expect((runner.data as { observation: { statements: number } }).observation.statements).toBe(12);
    }));

  it("see what an earlier one wrote, inside a transaction", () =>
    onRunner(async (runner) => {
      await runner.startTransaction();
      await runner.query(`CREATE TEMP TABLE statements_probe (n int) ON COMMIT DROP`);
      const [, , rows] = await Promise.all([
        sql(runner.manager, `INSERT INTO statements_probe VALUES ($1)`, [1]),
        sql(runner.manager, `INSERT INTO statements_probe VALUES ($1)`, [2]),
        sql<{ n: number }>(runner.manager, `SELECT n FROM statements_probe WHERE n > $1 ORDER BY n`, [0]),
      ]);
      expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
      await runner.commitTransaction();
    }));

  it("fail as in a transaction inside one: the failed statement gets its error, earlier ones their rows, later ones 25P02", () =>
    onRunner(async (runner) => {
      await runner.startTransaction();
      const outcomes = await Promise.allSettled([
        sql(runner.manager, `SELECT $1::int AS n`, [1]),
        sql(runner.manager, `SELECT 1 / $1::int`, [0]),
        sql(runner.manager, `SELECT $1::int AS n`, [3]),
      ]);
      expect(outcomes.map(code)).toEqual(["ok", "22012", "25P02"]);
      await runner.rollbackTransaction();
    }));

  it("fail alone outside a transaction, where each is its own", () =>
    onRunner(async (runner) => {
      const outcomes = await Promise.allSettled([
        sql(runner.manager, `SELECT $1::int AS n`, [1]),
        sql(runner.manager, `SELECT 1 / $1::int`, [0]),
        sql(runner.manager, `SELECT $1::int AS n`, [3]),
      ]);
      expect(outcomes.map(code)).toEqual(["ok", "22012", "ok"]);
    }));
});

describe("a statement with parameters", () => {
  onRealPostgres("is prepared once on a connection and bound by name afterwards, each time with its own values", () =>
    onRunner(async (runner) => {
      const text = `SELECT $1::int * 2 AS n ${marker()}`;
      expect(await sql(runner.manager, text, [1])).toEqual([{ n: 2 }]);
      const [name] = await preparedAs(runner, text);
      expect(name).toMatch(/^facet_\d+$/);
      expect(await Promise.all([sql(runner.manager, text, [21]), sql(runner.manager, text, [5])])).toEqual([[{ n: 42 }], [{ n: 10 }]]);
      expect(await preparedAs(runner, text)).toEqual([name]);
    }));

  onRealPostgres("whose first run failed is prepared again on its next use", () =>
    onRunner(async (runner) => {
      const text = `SELECT $1::int AS n ${marker()}`;
      await runner.startTransaction();
      const outcomes = await Promise.allSettled([sql(runner.manager, `SELECT 1 / $1::int`, [0]), sql(runner.manager, text, [7])]);
      expect(outcomes.map(code)).toEqual(["22012", "25P02"]);
      await runner.rollbackTransaction();
      expect(await preparedAs(runner, text)).toEqual([]);
      expect(await sql(runner.manager, text, [8])).toEqual([{ n: 8 }]);
      expect(await preparedAs(runner, text)).toHaveLength(1);
    }));

  onRealPostgres("is never prepared on a data source that has prepared statements off (DB_PREPARED_STATEMENTS=false)", async () => {
    const off = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 1, statementTimeoutMs: 5000, preparedStatements: false });
    await off.initialize();
    try {
      await onRunner(async (runner) => {
        const text = `SELECT $1::int AS n ${marker()}`;
        for (const n of [1, 2]) expect(await sql(runner.manager, text, [n])).toEqual([{ n }]);
        expect(await preparedAs(runner, text)).toEqual([]);
      }, off);
    } finally {
      await off.destroy();
    }
  });

  it("fails as a TypeORM QueryFailedError carrying PostgreSQL's error, as db.query() does", () =>
    onRunner(async (runner) => {
      await expect(sql(runner.manager, `SELECT 1 / $1::int`, [0])).rejects.toMatchObject({ name: "QueryFailedError", driverError: { code: "22012" } });
    }));
});

describe("a request's connection", () => {
  onRealPostgres("is closed instead of going back to the pool when its scope cannot be reset", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const buyer = await createUser(facet.dataSource, { distributor });
    // A pool of one: the next runner gets the connection the pool kept, or a new one.
    const single = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 1, statementTimeoutMs: 5000 });
    await single.initialize();
    try {
      const runner = requestRunner(single, undefined);
      await applyScope(runner.manager, { kind: "user", id: buyer.id, role: UserRole.BUYER, distributorId: distributor.id }, "statements-test");
      // A transaction TypeORM does not know of, then aborted: the reset cannot run on it.
      await runner.query("BEGIN");
      await expect(runner.query("SELECT 1 / 0")).rejects.toMatchObject({ driverError: { code: "22012" } });
      const before = ((await runner.connect()) as { processID: number }).processID;
      await endRequestRunner(runner);
      const [after] = (await single.query(`SELECT pg_backend_pid() AS pid, current_user AS role, COALESCE(current_setting('app.tenant_id', true), '') AS tenant`)) as {
        pid: number;
        role: string;
        tenant: string;
      }[];
      expect(after.pid).not.toBe(before);
      expect({ role: after.role, tenant: after.tenant }).toEqual({ role: expect.not.stringMatching(/^facet_rls$/), tenant: "" });
    } finally {
      await single.destroy();
    }
  });
});
