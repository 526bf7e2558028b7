import type { PoolClient } from "pg";
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

/**
 * Runs one statement (parameters as `$1`…) on the manager's connection and gives its rows, as
 * `db.query()` would, but prepared by name when the data source prepares statements and the
 * statement has parameters. A failure is a TypeORM QueryFailedError, as from `db.query()`.
 */
export async function sql<R = Record<string, unknown>>(db: EntityManager, text: string, values: readonly unknown[] = []): Promise<R[]> {
  const runner = db.queryRunner;
  const dataSource = db.connection;
  if (!runner || values.length === 0 || !preparesStatements(dataSource)) return (await db.query(text, [...values])) as R[];
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as PoolClient;
  const parameters = [...values];
  dataSource.logger.logQuery(text, parameters, runner);
  try {
    return (await client.query({ name: nameOf(text), text, values: parameters })).rows as R[];
  } catch (error) {
    dataSource.logger.logQueryError(error as Error, text, parameters, runner);
    throw new QueryFailedError(text, parameters, error as Error);
  }
}
