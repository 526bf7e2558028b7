import { escapeLiteral, type PoolClient, type QueryResult, type Submittable } from "pg";
import Result from "pg/lib/result";
import { prepareValue } from "pg/lib/utils";
import { QueryFailedError, QueryRunnerAlreadyReleasedError, type QueryRunner } from "typeorm";
import { QueryResult as TypeOrmQueryResult } from "typeorm/query-runner/QueryResult";
import { log } from "../logger";
import type { RequestObservation } from "../observability/observation";

// pg sends one statement per round trip: Parse, Bind, Describe, Execute, Sync, then waits for the
// answer. Several statements that are all ready at once (the SELECTs of a request's loaders that
// fire side by side) can instead go as one message, each with its own Parse…Execute and a single
// Sync at the end: PostgreSQL runs them in order and answers them in order, and the client pays
// one write and one wake-up instead of one per statement. This is pg's own extended protocol,
// pipelined; values are bound as parameters, as pg binds them.
//
// (pg's own pipeline mode, a Client option, writes each query with a Sync of its own as soon as
// it is asked, for every query of the client; this writes the statements ready together once, and
// only on a request's runner.)
//
// After an error PostgreSQL skips everything up to the Sync, just as a failed statement aborts a
// transaction and every later statement of it fails: so a pipeline runs only inside a
// transaction — an explicit one, or the implicit one it is on its own (see pipelined() below) —
// where it behaves like its statements sent one by one.

interface PipelinedStatement {
  text: string;
  /** As pg sends them: already through parameterOf. */
  values: readonly unknown[];
}

type Outcome = { ok: true; result: QueryResult } | { ok: false; error: Error };

/**
 * Statements a connection has prepared (named), by their text. A statement with parameters is
 * the same text request after request (a loader's, a page's), so it is parsed and planned once
 * per connection instead of once per round trip: PostgreSQL then binds and executes it, and
 * after five runs may keep a generic plan (plan_cache_mode). About a third of the server's CPU
 * for a tracking lookup went to parsing and planning.
 *
 * A name is recorded only once its statement has completed, so a Parse that failed, or that was
 * skipped after an earlier error, is never bound by name. Each Parse takes a new name, so one
 * whose statement failed later never collides with the next. A statement with no parameters
 * (whose values, if any, are written into its text) is never prepared, and a connection
 * prepares at most MAX_PREPARED names: a flood of distinct statements is parsed as before.
 */
interface Prepared {
  names: Map<string, string>;
  issued: number;
}
const MAX_PREPARED = 256;
const preparedOn = new WeakMap<object, Prepared>();

/** What a submittable is given by pg's Client: its connection's message writers (pg 8's, not its typings' older ones). */
interface ProtocolWriter {
  stream: { cork?: () => void; uncork?: () => void };
  parse(message: { text: string; name: string; types: unknown[] }): void;
  bind(message: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  describe(message: { type: "P"; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  sync(): void;
}

/** The error a statement of a pipeline gets when an earlier one failed, as PostgreSQL would report it had it been sent. */
class SkippedAfterError extends Error {
  readonly code = "25P02";
  constructor(override readonly cause: Error) {
    super("current transaction is aborted, commands ignored until end of transaction block");
  }
}

/**
 * A pg submittable (see pg's Client#query) running `statements` in one round trip; it resolves
 * to one outcome per statement, in order.
 */
class Pipeline {
  readonly done: Promise<Outcome[]>;
  private readonly outcomes: Outcome[] = [];
  private result = new Result();
  private rowError: Error | null = null;
  private settled = false;
  private resolve!: (outcomes: Outcome[]) => void;
  /** The names being prepared by this round trip, by statement index; recorded in `prepared` as each completes. */
  private readonly naming: (string | undefined)[] = [];
  private prepared: Prepared | undefined;

  /** `prepare`: whether statements may be prepared by name on the connection (not on the embedded database). */
  constructor(
    private readonly statements: readonly PipelinedStatement[],
    private readonly prepare: boolean,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(fallback: (index: number) => Error): void {
    if (this.settled) return;
    this.settled = true;
    while (this.outcomes.length < this.statements.length) this.outcomes.push({ ok: false, error: fallback(this.outcomes.length) });
    this.resolve(this.outcomes);
  }

  submit(connection: ProtocolWriter): void {
    const stream = connection.stream;
    if (this.prepare) {
      this.prepared = preparedOn.get(connection);
      if (!this.prepared) preparedOn.set(connection, (this.prepared = { names: new Map(), issued: 0 }));
    }
    const prepared = this.prepared;
    stream.cork?.();
    try {
      for (const [index, statement] of this.statements.entries()) {
        const preparable = prepared !== undefined && statement.values.length > 0;
        let name = (preparable && prepared.names.get(statement.text)) || "";
        if (!name) {
          if (preparable && prepared.issued < MAX_PREPARED) this.naming[index] = name = `facet_${++prepared.issued}`;
          connection.parse({ text: statement.text, name, types: [] });
        }
        connection.bind({ portal: "", statement: name, values: [...statement.values], binary: false });
        connection.describe({ type: "P", name: "" });
        connection.execute({ portal: "", rows: 0 });
      }
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.result.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    if (this.rowError) return;
    try {
      this.result.addRow(this.result.parseRow(message.fields));
    } catch (error) {
      this.rowError = error as Error;
    }
  }

  handleCommandComplete(message: unknown): void {
    const name = this.naming[this.outcomes.length];
    if (name) this.prepared!.names.set(this.statements[this.outcomes.length].text, name);
    this.result.addCommandComplete(message);
    this.outcomes.push(this.rowError ? { ok: false, error: this.rowError } : { ok: true, result: this.result as unknown as QueryResult });
    this.rowError = null;
    this.result = new Result();
  }

  handleEmptyQuery(): void {
    this.outcomes.push({ ok: true, result: this.result as unknown as QueryResult });
    this.result = new Result();
  }

  handlePortalSuspended(): void {}

  /** The statement under way failed (or the connection did): it gets the error, every later one is skipped. */
  handleError(error: Error): void {
    if (this.settled) return;
    const failed = this.rowError ?? error;
    this.outcomes.push({ ok: false, error: failed });
    this.finish(() => new SkippedAfterError(failed));
  }

  handleReadyForQuery(): void {
    this.finish(() => new Error("PostgreSQL answered fewer statements than were sent"));
  }
}

/** At most this many statements go in one round trip. */
const MAX_PIPELINE = 16;

/** One statement's text, without `;`: what the extended protocol (and so a pipeline) takes. */
const single = (sql: string) => !sql.includes(";");

/** Plain SELECTs: the statements that wait for the end of the turn, to go together. */
const read = (sql: string) => /^\s*SELECT\b/i.test(sql) && single(sql);

interface Waiting {
  sql: string;
  parameters: unknown[] | undefined;
  /** As TypeORM's QueryRunner#query: the QueryResult, or only its rows. */
  structured: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface RunnerData {
  observation?: RequestObservation;
  /**
   * Statements that every round trip outside an explicit transaction begins with. Such a round
   * trip (one Sync) is one implicit transaction, so transaction-local settings made there hold
   * for exactly the statements that follow them in it. An explicit transaction begun on the
   * runner gets them once, right after its START TRANSACTION.
   */
  scope?: readonly ScopeStatement[];
  /** A statement that must succeed before anything else on the runner is trusted; see Confirmation. */
  confirmation?: Confirmation;
}

/**
 * A statement the database must answer without error before the runner's work is trusted (that
 * the request's caller still holds its access token: see server/context.ts). It goes first in
 * the runner's first round trip (right after a START), ahead of the scope and the statements
 * that go with it, so that should it fail they are skipped: nothing is read or written on its
 * strength. Once it has succeeded it goes no more. Should it fail, nothing but a ROLLBACK runs on
 * the runner from then on, each statement refused with the error `refuse` makes (made only then:
 * an error's stack costs every request that would make it ahead).
 */
export interface Confirmation {
  statement: ScopeStatement;
  refuse: () => Error;
  state: "pending" | "confirmed" | "failed";
}

/** A statement of a runner's scope: its text, with `$1`… for its parameters. */
export interface ScopeStatement {
  sql: string;
  parameters: readonly string[];
}

/** The statement with its parameters written into its text as literals, for a simple-protocol text, which takes none. */
const literally = ({ sql, parameters }: ScopeStatement): string => sql.replace(/\$(\d+)/g, (_, n: string) => escapeLiteral(parameters[Number(n) - 1]));

/**
 * A request's loaders fire side by side, but its runner is one connection, which runs one
 * statement at a time: the runner queues them (in the order they were asked) rather than leaving
 * pg to queue them inside the client, which it deprecates. And it saves round trips:
 *
 * - SELECTs asked for in the same turn of the event loop (the loaders of one level of a
 *   response), or while an earlier statement was under way, go to PostgreSQL together, in one
 *   round trip;
 * - START TRANSACTION, and the `scope` after it, are not sent on their own but ahead of the
 *   transaction's first statement, in its round trip (and not at all when the transaction ends
 *   without one);
 * - outside a transaction, each round trip carries the `scope` ahead of its statements, which
 *   then need no transaction at all.
 *
 * A pipeline runs inside a transaction, explicit or implicit: there a statement after a failed
 * one fails too, as it would have sent on its own.
 */
export function pipelined(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (sql: string, parameters: unknown[] | undefined, structured: boolean) => Promise<unknown>;
  const data = () => runner.data as RunnerData;
  const queue: Waiting[] = [];
  // TypeORM was told the transaction began; PostgreSQL will be, with its first statement.
  let startPending = false;
  let running = false;
  let scheduled = false;
  // Set when a transaction's opening or a scope failed: from then on nothing but a ROLLBACK runs
  // on this runner, since what follows would run outside the transaction or the scope it expects.
  let broken: unknown;

  const prepares = preparesStatements(runner);
  const send = (statements: Waiting[]): Promise<void> => {
    const observation = data().observation;
    if (observation) observation.roundTrips++;
    // A statement with parameters goes as a pipeline of one when statements are prepared, so that
    // a transaction's writes are prepared too.
    if (statements.length > 1 || (prepares && single(statements[0].sql) && (statements[0].parameters?.length ?? 0) > 0)) {
      return runPipeline(runner, statements, prepares);
    }
    const [s] = statements;
    return query(s.sql, s.parameters, s.structured).then(s.resolve, s.reject);
  };

  const next = (): void => {
    scheduled = false;
    if (running) return;
    if (broken !== undefined) {
      const waiting = queue.splice(0);
      for (const w of waiting) if (w.sql !== "ROLLBACK") w.reject(broken);
      queue.push(...waiting.filter((w) => w.sql === "ROLLBACK"));
    }
    if (queue.length === 0) return;
    running = true;
    const { scope, confirmation } = data();
    // The scope goes ahead of statements outside a transaction, and right after a START.
    const scoped = scope !== undefined && (startPending || !runner.isTransactionActive);
    const confirming = confirmation?.state === "pending" ? [confirm(confirmation)] : [];
    const ahead = [
      ...(startPending ? [aheadOf("START TRANSACTION")] : []),
      ...confirming,
      ...(scoped ? scope.map((s) => aheadOf(s.sql, [...s.parameters])) : []),
    ];
    let batch: Waiting[];
    if (!single(queue[0].sql)) {
      if (startPending || confirming.length > 0) {
        batch = ahead; // a text of several statements goes on its own, after the opening and the confirmation
      } else {
        const [text] = queue.splice(0, 1);
        // A simple-protocol text of several statements is one implicit transaction too.
        if (scoped) text.sql = `${scope.map(literally).join("; ")}; ${text.sql}`;
        batch = [text];
      }
    } else {
      let taken = 1;
      if ((runner.isTransactionActive || scoped) && read(queue[0].sql)) {
        while (taken < queue.length && taken < MAX_PIPELINE && read(queue[taken].sql)) taken++;
      }
      const statements = queue.splice(0, taken);
      // Skipped because the confirmation failed: refused as every statement after it is.
      const guarded = confirmation && confirming.length > 0 ? statements.map((w) => refusedAfter(confirmation, w)) : statements;
      batch = [...ahead, ...guarded];
    }
    startPending = false;
    void send(batch).finally(() => {
      running = false;
      // Wait for the turn to end: the answer just delivered may set more loaders off.
      if (queue.length > 0) later();
    });
  };
  const later = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(next);
  };
  const aheadOf = (sql: string, parameters?: unknown[]): Waiting => ({
    sql,
    parameters,
    structured: false,
    resolve: () => undefined,
    // The statements it went with are skipped (see Pipeline); those after it are refused.
    reject: (error) => {
      if (broken !== undefined) return; // skipped after what broke it, a confirmation's failure say
      broken = error;
      log.warn("a transaction's opening statement failed", { error });
    },
  });

  const confirm = (confirmation: Confirmation): Waiting => ({
    sql: confirmation.statement.sql,
    parameters: [...confirmation.statement.parameters],
    structured: false,
    resolve: () => {
      if (confirmation.state === "pending") confirmation.state = "confirmed";
    },
    // The statements it went with are skipped (see Pipeline); those after it are refused.
    reject: (error) => {
      confirmation.state = "failed";
      broken ??= confirmation.refuse();
      log.debug("a runner's confirmation failed", { error });
    },
  });

  const refusedAfter = (confirmation: Confirmation, w: Waiting): Waiting => ({
    ...w,
    reject: (error) => w.reject(confirmation.state === "failed" ? broken : error),
  });

  runner.query = ((sql: string, parameters?: unknown[], structured: boolean = false) => {
    if (broken !== undefined && sql !== "ROLLBACK") return Promise.reject(broken);
    if (sql === "START TRANSACTION" && queue.length === 0 && !running) {
      startPending = true;
      return Promise.resolve([]);
    }
    if ((sql === "COMMIT" || sql === "ROLLBACK") && startPending && queue.length === 0) {
      startPending = false; // the transaction never sent a statement: nothing to end
      return Promise.resolve([]);
    }
    return new Promise((resolve, reject) => {
      queue.push({ sql, parameters, structured, resolve, reject });
      // A SELECT waits for the end of the turn, for others to join it; anything else goes at once
      // when nothing is ahead of it.
      if ((runner.isTransactionActive || data().scope) && read(sql)) later();
      else if (queue.length === 1) next();
    });
  }) as QueryRunner["query"];
  return runner;
}

/** An array element PostgreSQL reads unquoted as itself: letters, digits and `_.:@+-` only, and not NULL. */
const QUOTED = /[^0-9A-Za-z_.:@+-]/;
const bare = (e: unknown): boolean => typeof e === "string" && e.length > 0 && !QUOTED.test(e) && !(e.length === 4 && /^null$/i.test(e));

/**
 * A parameter as pg's prepareValue makes it, except an array of strings that need no quoting (a
 * loader's ids): PostgreSQL reads `{a,b}` as it reads pg's `{"a","b"}`, and one join costs a
 * fraction of quoting and appending each element (a catalog page sends arrays of hundreds).
 */
function parameterOf(value: unknown): unknown {
  return Array.isArray(value) && value.length > 0 && value.every(bare) ? `{${value.join(",")}}` : prepareValue(value);
}

/** Whether the data source prepares statements by name (see Prepared; set in data-source.ts). */
const preparesStatements = (runner: QueryRunner): boolean =>
  (runner.connection.options.extra as { preparedStatements?: boolean } | undefined)?.preparedStatements === true;

/**
 * Runs `statements` on the runner's connection in one round trip and settles each as TypeORM's
 * PostgresQueryRunner#query would have: the same result shape, the same logging (so every
 * statement is still counted), a QueryFailedError around PostgreSQL's error. `prepares`: whether
 * they may be prepared by name (see Prepared), as the runner's pipeline worked out once.
 */
async function runPipeline(runner: QueryRunner, statements: readonly Waiting[], prepares: boolean): Promise<void> {
  const logger = runner.connection.logger;
  let client: PoolClient;
  try {
    // As TypeORM's query(): a released runner must not take a connection again, and neither that
    // nor a failed connection is a failed statement.
    if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    client = (await runner.connect()) as PoolClient;
  } catch (error) {
    for (const s of statements) s.reject(error);
    return;
  }
  // A value pg cannot send fails its own statement only, as it would sent alone, and before
  // anything is written (so that the others, and an opening, still go).
  const ready: { waiting: Waiting; values: unknown[] }[] = [];
  for (const s of statements) {
    try {
      ready.push({ waiting: s, values: (s.parameters ?? []).map(parameterOf) });
    } catch (error) {
      logger.logQueryError(error as Error, s.sql, s.parameters, runner);
      s.reject(new QueryFailedError(s.sql, s.parameters, error as Error));
    }
  }
  if (ready.length === 0) return;
  statements = ready.map((r) => r.waiting);
  let outcomes: Outcome[];
  try {
    for (const s of statements) logger.logQuery(s.sql, s.parameters, runner);
    const pipeline = new Pipeline(ready.map((r) => ({ text: r.waiting.sql, values: r.values })), prepares);
    client.query(pipeline as unknown as Submittable);
    outcomes = await pipeline.done;
  } catch (error) {
    outcomes = statements.map(() => ({ ok: false, error: error as Error }));
  }
  statements.forEach((s, i) => {
    const outcome = outcomes[i];
    if (!outcome.ok) {
      logger.logQueryError(outcome.error, s.sql, s.parameters, runner);
      s.reject(new QueryFailedError(s.sql, s.parameters, outcome.error));
      return;
    }
    const { rows, rowCount, command } = outcome.result;
    const result = new TypeOrmQueryResult();
    result.records = rows;
    result.affected = rowCount ?? undefined;
    // As TypeORM: UPDATE and DELETE also give the number of rows they touched.
    result.raw = command === "UPDATE" || command === "DELETE" ? [rows, rowCount] : rows;
    s.resolve(s.structured ? result : result.raw);
  });
}
