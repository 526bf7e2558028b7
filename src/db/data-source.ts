import "reflect-metadata";
import { types } from "pg";
import { DataSource, type Logger } from "typeorm";
import { migrations } from "../../migrations";
import { entities } from "../modules/entities";
import { log } from "../logger";
import { SnakeNamingStrategy } from "./naming-strategy";

// DATE columns stay "YYYY-MM-DD" strings: pg's default turns them into local-midnight Dates,
// which shift by a day in any time zone west of UTC.
types.setTypeParser(types.builtins.DATE, (value) => value);

export interface DataSourceOptions {
  url: string;
  /** The embedded database serves one client at a time: see embedded.ts. */
  embedded: boolean;
  poolSize: number;
  statementTimeoutMs: number;
  applicationName?: string;
  /** Sees every statement; tests use it to count SQL per request. */
  logger?: Logger;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    entities,
    migrations,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Every andWhere() is parenthesised, so a user-derived OR can never escape the tenant predicate.
    isolateWhereStatements: true,
    logging: options.logger ? ["query"] : false,
    logger: options.logger,
    applicationName: options.applicationName ?? "facet",
    connectTimeoutMS: 5000,
    poolErrorHandler: (error: unknown) => log.warn("database pool error", { error }),
    extra: {
      max: options.embedded ? 1 : options.poolSize,
      statement_timeout: options.statementTimeoutMs,
      idle_in_transaction_session_timeout: 10_000,
      lock_timeout: 2000,
      keepAlive: true,
    },
  });
}
