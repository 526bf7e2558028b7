import type { QueryRunner } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import type { RunnerData, ScopeStatement } from "../src/db/pipeline";
import { observedRunner } from "../src/db/request-scope";
import { newObservation, type RequestObservation } from "../src/observability/observation";
import { onRealPostgres, startFacet, type TestFacet } from "./support/harness";

// A request's runner sends the SELECTs that are ready together in one round trip, and opens its
// transaction, and the caller's scope, with its first statement (src/db/pipeline.ts). Round trips are counted here as
// PostgreSQL's ReadyForQuery messages, which it sends once per round trip, independently of
// Facet's own counter.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(async () => {
  await facet.stop();
});

interface Probe {
  runner: QueryRunner;
  observation: RequestObservation;
  /**
   * ReadyForQuery messages received since the probe was made, once the connection is idle (a
   * failed statement is reported at PostgreSQL's error, which may come before its ReadyForQuery).
   */
  roundTrips(): Promise<number>;
}

async function probe(): Promise<Probe> {
  const observation = newObservation("pipeline-test");
  const runner = observedRunner(facet.dataSource, observation);
  const client = (await runner.connect()) as { readyForQuery: boolean; connection: { on(event: string, listener: () => void): void } };
  let ready = 0;
  client.connection.on("readyForQuery", () => ready++);
  return {
    runner,
    observation,
    async roundTrips() {
      while (!client.readyForQuery) await new Promise((resolve) => setImmediate(resolve));
      return ready;
    },
  };
}

/**
 * Ends what a failed expectation left open: a connection must not go back to the pool
 * mid-transaction, nor before the ReadyForQuery of a statement that failed (the next probe on it
 * would count that as its own round trip).
 */
async function done(p: Probe): Promise<void> {
  if (p.runner.isTransactionActive) await p.runner.rollbackTransaction().catch(() => undefined);
  await p.roundTrips();
  await p.runner.release();
}

/** Runs `test` on a probe of its own, ended afterwards whatever happened. */
async function withProbe(test: (p: Probe) => Promise<void>): Promise<void> {
  const p = await probe();
  try {
    await test(p);
  } finally {
    await done(p);
  }
}

const code = (outcome: PromiseSettledResult<unknown>) => (outcome.status === "rejected" ? (outcome.reason as { driverError?: { code?: string } }).driverError?.code : "ok");

describe("statements ready together", () => {
  it("go in one round trip inside a transaction, with the START TRANSACTION, each with its own result", () =>
    withProbe(async (p) => {
      const statementsBefore = facet.statements.count;
      await p.runner.startTransaction();
      const [one, two, three] = await Promise.all([
        p.runner.query(`SELECT 1 AS n`),
        p.runner.query(`SELECT $1::int AS n, $2::text AS label`, [2, "two"]),
        p.runner.query(`SELECT n FROM generate_series(1, 3) AS n ORDER BY n`),
      ]);
      expect(one).toEqual([{ n: 1 }]);
      expect(two).toEqual([{ n: 2, label: "two" }]);
      expect(three).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(await p.roundTrips()).toBe(1);
      expect(p.observation.roundTrips).toBe(1);
      // Every statement is still counted as one: START TRANSACTION and the three.
      expect(facet.statements.count - statementsBefore).toBe(4);
      await p.runner.commitTransaction();
      expect(await p.roundTrips()).toBe(2);
    }));

  it("run in the order they were asked for: a later one sees what an earlier one set", () =>
    withProbe(async (p) => {
      await p.runner.startTransaction();
      const [, seen] = await Promise.all([p.runner.query(`SELECT set_config('app.pipeline_test', 'first', true)`), p.runner.query(`SELECT current_setting('app.pipeline_test') AS value`)]);
      expect(seen).toEqual([{ value: "first" }]);
      expect(await p.roundTrips()).toBe(1);
      await p.runner.rollbackTransaction();
    }));

  it("fail one by one as in a transaction: the failed statement gets its error, earlier ones their rows, later ones 25P02", () =>
    withProbe(async (p) => {
      await p.runner.startTransaction();
      await p.runner.query(`SELECT 0`);
      const outcomes = await Promise.allSettled([p.runner.query(`SELECT 1 AS n`), p.runner.query(`SELECT 1 / 0 AS n`), p.runner.query(`SELECT 3 AS n`)]);
      expect(outcomes[0]).toEqual({ status: "fulfilled", value: [{ n: 1 }] });
      expect(outcomes.map(code)).toEqual(["ok", "22012", "25P02"]);
      // The transaction is aborted, as after any failed statement, and rolls back cleanly.
      await expect(p.runner.query(`SELECT 4`)).rejects.toMatchObject({ driverError: { code: "25P02" } });
      // START with SELECT 0, the three, SELECT 4.
      expect(await p.roundTrips()).toBe(3);
      await p.runner.rollbackTransaction();
      expect(await p.runner.query(`SELECT 5 AS n`)).toEqual([{ n: 5 }]);
    }));

  it("leave one whose value cannot be sent to fail alone, as it would sent alone", () =>
    withProbe(async (p) => {
      await p.runner.startTransaction();
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const outcomes = await Promise.allSettled([p.runner.query(`SELECT 1 AS n`), p.runner.query(`SELECT $1::jsonb AS j`, [circular]), p.runner.query(`SELECT 3 AS n`)]);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(await p.roundTrips()).toBe(1);
      // The transaction began, with the statements that could go.
      expect(await p.runner.query(`SELECT now() = statement_timestamp() AS fresh`)).toEqual([{ fresh: false }]);
    }));

  it("send an array parameter that PostgreSQL reads as the array given, whatever its elements", () =>
    withProbe(async (p) => {
      const arrays: unknown[][] = [
        ["6f1c1f0e-2a6b-4c1e-9f3e-0a1b2c3d4e5f", "00000000-0000-4000-8000-000000000000"],
        ["a,b", "c"],
        ["NULL", "null", "Null"],
        ["", "x"],
        ["a b", " c"],
        ['x"y', "back\\slash", "{brace}"],
        ["a", null],
        ["+1.5e-3", "a@b.c", "k:v_w"],
        [],
      ];
      await p.runner.startTransaction();
      const answers = (await Promise.all(arrays.map((a) => p.runner.query(`SELECT $1::text[] AS a`, [a])))) as { a: unknown[] }[][];
      expect(await p.roundTrips()).toBe(1);
      await p.runner.commitTransaction();
      expect(answers.map(([row]) => row.a)).toEqual(arrays);
    }));

  it("go one by one outside a transaction, where each would commit on its own", () =>
    withProbe(async (p) => {
      const [a, b] = await Promise.all([p.runner.query(`SELECT 1 AS n`), p.runner.query(`SELECT 2 AS n`)]);
      expect([a, b]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
      expect(await p.roundTrips()).toBe(2);
    }));

  it("give an UPDATE sent with the opening what TypeORM gives it alone (rows and count)", () =>
    withProbe(async (p) => {
      const sql = `UPDATE distributors SET name = name WHERE id = $1 RETURNING id`;
      const alone = await p.runner.query(sql, ["00000000-0000-4000-8000-000000000000"]);
      await p.runner.startTransaction();
      const before = await p.roundTrips();
      const withOpening = await p.runner.query(sql, ["00000000-0000-4000-8000-000000000000"]);
      expect((await p.roundTrips()) - before).toBe(1);
      expect(withOpening).toEqual(alone);
      expect(withOpening).toEqual([[], 0]);
      await p.runner.rollbackTransaction();
    }));
});

describe("a transaction", () => {
  it("that sends no statement sends nothing: no START, no COMMIT", () =>
    withProbe(async (p) => {
      await p.runner.startTransaction();
      await p.runner.commitTransaction();
      await p.runner.startTransaction();
      await p.runner.rollbackTransaction();
      expect(await p.roundTrips()).toBe(0);
      expect(p.observation.roundTrips).toBe(0);
    }));

  it("runs a text of several statements on its own, after the opening", () =>
    withProbe(async (p) => {
      await p.runner.startTransaction();
      await p.runner.query(`SELECT set_config('app.pipeline_test', 'a', true); SELECT set_config('app.pipeline_test', 'b', true)`);
      expect(await p.runner.query(`SELECT current_setting('app.pipeline_test') AS value`)).toEqual([{ value: "b" }]);
      expect(await p.roundTrips()).toBe(3);
      await p.runner.rollbackTransaction();
    }));
});

describe("a transaction whose opening failed", () => {
  it("runs nothing more but its ROLLBACK, which leaves the connection clean", () =>
    withProbe(async (p) => {
      const client = (await p.runner.connect()) as { query(sql: string): Promise<{ rows: unknown[] }> };
      (p.runner.data as RunnerData).scope = [{ sql: `SELECT set_config('role', $1, true)`, parameters: ["no_such_role_here"] }];
      await p.runner.startTransaction();
      const first = await Promise.allSettled([p.runner.query(`SELECT 1 AS n`)]);
      expect(first[0].status).toBe("rejected");
      // Refused without being sent: outside the transaction's scope, it must not run at all.
      await expect(p.runner.query(`SELECT 2 AS n`)).rejects.toBeDefined();
      expect(await p.roundTrips()).toBe(1);
      await p.runner.rollbackTransaction();
      expect((await client.query(`SELECT 3 AS n`)).rows).toEqual([{ n: 3 }]);
    }));
});

describe("a runner with a scope", () => {
  const scope: ScopeStatement[] = [{ sql: `SELECT set_config('app.pipeline_test', $1, true)`, parameters: ["scoped"] }];
  const seen = (p: Probe) => p.runner.query(`SELECT current_setting('app.pipeline_test', true) AS value`);

  it("sends it ahead of every round trip outside a transaction, where it lasts for that round trip alone", () =>
    withProbe(async (p) => {
      (p.runner.data as RunnerData).scope = scope;
      const [a, b] = await Promise.all([seen(p), p.runner.query(`SELECT 2 AS n`)]);
      expect([a, b]).toEqual([[{ value: "scoped" }], [{ n: 2 }]]);
      expect(await p.roundTrips()).toBe(1);
      expect(await seen(p)).toEqual([{ value: "scoped" }]);
      expect(await p.roundTrips()).toBe(2);
      // Nothing stays on the connection after the round trip.
      (p.runner.data as RunnerData).scope = undefined;
      expect(await seen(p)).toEqual([{ value: "" }]);
    }));

  it("sends it right after START TRANSACTION, with the transaction's first statement, once", () =>
    withProbe(async (p) => {
      (p.runner.data as RunnerData).scope = scope;
      await p.runner.startTransaction();
      expect(await seen(p)).toEqual([{ value: "scoped" }]);
      expect(await p.roundTrips()).toBe(1);
      expect(await p.runner.query(`SELECT set_config('app.pipeline_test', 'changed', true) AS value`)).toEqual([{ value: "changed" }]);
      // Inside the transaction the scope is not sent again: what the transaction set holds.
      expect(await seen(p)).toEqual([{ value: "changed" }]);
      expect(await p.roundTrips()).toBe(3);
      await p.runner.commitTransaction();
      // Transaction-local: gone with the transaction.
      (p.runner.data as RunnerData).scope = undefined;
      expect(await seen(p)).toEqual([{ value: "" }]);
    }));

  it("sends nothing once released, and takes no connection again", async () => {
    const pool = (facet.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    const inUse = () => pool.totalCount - pool.idleCount;
    const p = await probe();
    (p.runner.data as RunnerData).scope = scope;
    await p.runner.release();
    const before = inUse();
    const outcomes = await Promise.allSettled([seen(p), seen(p)]);
    expect(inUse()).toBe(before);
    expect(outcomes.map((o) => o.status === "rejected" && (o.reason as Error).name)).toEqual(["QueryRunnerAlreadyReleasedError", "QueryRunnerAlreadyReleasedError"]);
    expect(await p.roundTrips()).toBe(0);
  });

  onRealPostgres("with its values as parameters: prepared once on the connection, each round trip bound with the scope of its time", () =>
    withProbe(async (p) => {
      const text = `SELECT set_config('app.pipeline_test', $1, true) /* scope ${Math.random().toString(36).slice(2)} */`;
      const preparedAs = async () =>
        ((await p.runner.query(`SELECT name FROM pg_prepared_statements WHERE statement = '${text.replace(/'/g, "''")}'`)) as { name: string }[]).map((r) => r.name);
      const answers = [];
      for (const value of ["first", "second", "it's third"]) {
        (p.runner.data as RunnerData).scope = [{ sql: text, parameters: [value] }];
        answers.push(await seen(p));
      }
      expect(answers).toEqual([[{ value: "first" }], [{ value: "second" }], [{ value: "it's third" }]]);
      (p.runner.data as RunnerData).scope = undefined;
      expect(await preparedAs()).toHaveLength(1);
    }));

  it("puts it, its values written in as literals, ahead of a text of several statements", () =>
    withProbe(async (p) => {
      (p.runner.data as RunnerData).scope = [{ sql: `SELECT set_config('app.pipeline_test', $1, true), set_config('app.pipeline_other', $2, true)`, parameters: ["it's", "$1"] }];
      // Divides by zero unless both were set as given.
      const check = `SELECT 1 / (CASE WHEN current_setting('app.pipeline_test', true) = 'it''s' AND current_setting('app.pipeline_other', true) = '$1' THEN 1 ELSE 0 END)`;
      await p.runner.query(`SELECT 1; ${check}`);
      (p.runner.data as RunnerData).scope = [{ sql: `SELECT set_config('app.pipeline_test', $1, true), set_config('app.pipeline_other', $2, true)`, parameters: ["its", "$1"] }];
      await expect(p.runner.query(`SELECT 1; ${check}`)).rejects.toMatchObject({ driverError: { code: "22012" } });
    }));

  it("puts it ahead of a text of several statements too", () =>
    withProbe(async (p) => {
      (p.runner.data as RunnerData).scope = scope;
      // Divides by zero unless the scope ran first, in the same implicit transaction.
      await p.runner.query(`SELECT 1; SELECT 1 / (CASE WHEN current_setting('app.pipeline_test', true) = 'scoped' THEN 1 ELSE 0 END)`);
      expect(await p.roundTrips()).toBe(1);
      (p.runner.data as RunnerData).scope = undefined;
      await expect(p.runner.query(`SELECT 1; SELECT 1 / (CASE WHEN current_setting('app.pipeline_test', true) = 'scoped' THEN 1 ELSE 0 END)`)).rejects.toMatchObject({
        driverError: { code: "22012" },
      });
    }));
});

// The embedded database prepares nothing (see data-source.ts), so what is prepared is seen on PostgreSQL.
describe("a statement with parameters", () => {
  // Each test's statements carry a marker of their own, so that what a connection prepared for
  // another test (or the pool's earlier users) never counts.
  const marker = () => `/* pipeline-test ${Math.random().toString(36).slice(2)} */`;
  const preparedAs = async (p: Probe, text: string) =>
    ((await p.runner.query(`SELECT name FROM pg_prepared_statements WHERE statement = '${text.replace(/'/g, "''")}'`)) as { name: string }[]).map((r) => r.name);
  /** Runs `text` with `values` beside another statement, so the two go as one pipeline. */
  const pipelined = async (p: Probe, text: string, values: unknown[]) => {
    await p.runner.startTransaction();
    try {
      const [rows] = await Promise.all([p.runner.query(text, values), p.runner.query(`SELECT 1`)]);
      await p.runner.commitTransaction();
      return rows as unknown[];
    } finally {
      if (p.runner.isTransactionActive) await p.runner.rollbackTransaction();
    }
  };

  onRealPostgres("is prepared once on a connection and bound by name afterwards, each time with its own values", () =>
    withProbe(async (p) => {
      const text = `SELECT $1::int * 2 AS n ${marker()}`;
      expect(await pipelined(p, text, [1])).toEqual([{ n: 2 }]);
      const [name] = await preparedAs(p, text);
      expect(name).toMatch(/^facet_\d+$/);
      expect(await pipelined(p, text, [21])).toEqual([{ n: 42 }]);
      expect(await pipelined(p, text, [5])).toEqual([{ n: 10 }]);
      expect(await preparedAs(p, text)).toEqual([name]);
    }));

  onRealPostgres("sent alone, as a transaction's writes are, is prepared too and answers as TypeORM would", () =>
    withProbe(async (p) => {
      const insert = `INSERT INTO pipeline_probe (n) VALUES ($1) ${marker()}`;
      const update = `UPDATE pipeline_probe SET n = n + $1 ${marker()}`;
      await p.runner.startTransaction();
      await p.runner.query(`CREATE TEMP TABLE pipeline_probe (n int) ON COMMIT DROP`);
      const before = await p.roundTrips();
      for (const n of [1, 2]) expect(await p.runner.query(insert, [n])).toEqual([]);
      // An UPDATE's raw result is its rows and the number it touched.
      expect(await p.runner.query(update, [10])).toEqual([[], 2]);
      expect(await p.runner.query(`SELECT n FROM pipeline_probe WHERE n > $1 ORDER BY n`, [0], true)).toMatchObject({ records: [{ n: 11 }, { n: 12 }] });
      expect(await p.roundTrips()).toBe(before + 4);
      expect(await preparedAs(p, insert)).toHaveLength(1);
      expect(await preparedAs(p, update)).toHaveLength(1);
      await p.runner.commitTransaction();
    }));

  onRealPostgres("whose Parse was skipped after an earlier error is parsed again on its next use", () =>
    withProbe(async (p) => {
      const text = `SELECT $1::int AS n ${marker()}`;
      await p.runner.startTransaction();
      const outcomes = await Promise.allSettled([p.runner.query(`SELECT 1 / 0`), p.runner.query(text, [7])]);
      expect(outcomes.map(code)).toEqual(["22012", "25P02"]);
      await p.runner.rollbackTransaction();
      expect(await preparedAs(p, text)).toEqual([]);
      expect(await pipelined(p, text, [8])).toEqual([{ n: 8 }]);
      expect(await preparedAs(p, text)).toHaveLength(1);
    }));

  onRealPostgres("that failed when it ran is prepared under a new name next time, never colliding with the first", () =>
    withProbe(async (p) => {
      const text = `SELECT 10 / $1::int AS n ${marker()}`;
      await expect(pipelined(p, text, [0])).rejects.toMatchObject({ driverError: { code: "22012" } });
      expect(await pipelined(p, text, [5])).toEqual([{ n: 2 }]);
      expect(await pipelined(p, text, [2])).toEqual([{ n: 5 }]);
      // The first Parse succeeded before its statement failed: both names exist, the second is used.
      expect(await preparedAs(p, text)).toHaveLength(2);
    }));

  onRealPostgres("is never prepared on a data source that has prepared statements off (DB_PREPARED_STATEMENTS=false)", async () => {
    const off = createDataSource({ url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 1, statementTimeoutMs: 5000, preparedStatements: false });
    await off.initialize();
    const runner = observedRunner(off, undefined);
    try {
      const text = `SELECT $1::int AS n ${marker()}`;
      for (const n of [1, 2]) {
        await runner.startTransaction();
        const [rows] = await Promise.all([runner.query(text, [n]), runner.query(`SELECT 1`)]);
        await runner.commitTransaction();
        expect(rows).toEqual([{ n }]);
      }
      expect(await runner.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [text])).toEqual([]);
    } finally {
      await runner.release();
      await off.destroy();
    }
  });

  it("without parameters (its values written in its text) is never prepared", () =>
    withProbe(async (p) => {
      const text = `SELECT 3 AS n ${marker()}`;
      await p.runner.startTransaction();
      await Promise.all([p.runner.query(text), p.runner.query(text)]);
      await p.runner.commitTransaction();
      expect(await preparedAs(p, text)).toEqual([]);
    }));
});
