import type { PoolClient, QueryArrayConfig, QueryConfig } from "pg";
import { QueryFailedError, QueryRunnerAlreadyReleasedError, type EntityManager } from "typeorm";
import { preparesStatements } from "./data-source";

// Facet's own statements (loaders, pages, look-ups) go through here; TypeORM's go through its
// query runner. Both run on the same connection, the request's (or its transaction's), and both
// are seen by the data source's logger, which counts them.
//
// A statement with parameters has the same text request after request (a loader's, a page's), so
// it is prepared by name, once per connection, with pg's own named statements: PostgreSQL parses
// and plans it once, then binds and executes it (and after five runs may keep a generic plan).
// Names are given to at most MAX_NAMED texts for the life of the process: statements are written
// by Facet's code, but a projection (the columns a response reads) varies with clients' queries,
// and every name costs each connection that uses it a little of PostgreSQL's memory.

const MAX_NAMED = 1000;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `facet_${names.size + 1}`));
  return name;
}

/** An array element PostgreSQL reads unquoted as itself: letters, digits and `_.:@+-` only, and not NULL. */
const QUOTED = /[^0-9A-Za-z_.:@+-]/;
const bare = (e: unknown): boolean => typeof e === "string" && e.length > 0 && !QUOTED.test(e) && !(e.length === 4 && /^null$/i.test(e));

/**
 * A parameter as sent: an array of strings that need no quoting (a loader's ids) as the array
 * literal PostgreSQL reads, `{a,b}`, which costs a fraction of quoting each element as pg does
 * for any array (a catalog page sends arrays of hundreds); anything else as given, for pg.
 */
const parameterOf = (value: unknown): unknown => (Array.isArray(value) && value.length > 0 && value.every(bare) ? `{${value.join(",")}}` : value);

async function run<R>(db: EntityManager, text: string, values: readonly unknown[], rowMode: "array" | undefined): Promise<R[]> {
  const runner = db.queryRunner;
  const dataSource = db.connection;
  if (!runner) {
    // A manager of the whole pool (scripts, seeding): a connection for this statement alone.
    const own = dataSource.createQueryRunner();
    try {
      return await run<R>(own.manager, text, values, rowMode);
    } finally {
      await own.release();
    }
  }
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as PoolClient;
  const parameters = values.map(parameterOf);
  dataSource.logger.logQuery(text, parameters, runner);
  const name = parameters.length > 0 && preparesStatements(dataSource) ? nameOf(text) : undefined;
  const config: QueryConfig | QueryArrayConfig = rowMode ? { name, text, values: parameters, rowMode } : { name, text, values: parameters };
  try {
    return (await client.query(config)).rows as R[];
  } catch (error) {
    dataSource.logger.logQueryError(error as Error, text, parameters, runner);
    throw new QueryFailedError(text, parameters, error as Error);
  }
}

/**
 * Runs one statement (parameters as `$1`…) on the manager's connection and gives its rows, as
 * `db.query()` would, but prepared by name when the data source prepares statements and the
 * statement has parameters. A failure is a TypeORM QueryFailedError, as from `db.query()`.
 */
export function sql<R = Record<string, unknown>>(db: EntityManager, text: string, values: readonly unknown[] = []): Promise<R[]> {
  return run<R>(db, text, values, undefined);
}

/** As sql(), each row an array of its values in the order the statement selects them. */
export function sqlArrays(db: EntityManager, text: string, values: readonly unknown[] = []): Promise<unknown[][]> {
  return run<unknown[]>(db, text, values, "array");
}
