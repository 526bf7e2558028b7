import "reflect-metadata";
import { types } from "pg";
import { DataSource, type Logger, type QueryRunner } from "typeorm";
import { migrations } from "../../migrations";
import type { Config } from "../config";
import { log } from "../logger";
import { statementsTotal } from "../observability/metrics";
import type { RequestObservation } from "../observability/observation";
import { SnakeNamingStrategy } from "./naming-strategy";

// DATE columns stay "YYYY-MM-DD" strings: pg's default turns them into local-midnight Dates,
// which shift by a day in any time zone west of UTC.
types.setTypeParser(types.builtins.DATE, (value) => value);

export interface DataSourceOptions {
  url: string;
  /** The entity classes (the modules' own list: src/modules/entities.ts). */
  entities: Function[];
  /** The embedded database serves one client at a time: see embedded.ts. */
  embedded: boolean;
  poolSize: number;
  statementTimeoutMs: number;
  /**
   * How long a session may sit idle inside an open transaction before PostgreSQL ends it (default
   * 10 s). An open transaction holds back the sync horizon of every `updatedSince` list and of
   * `events` (see db/sql.ts), so none of Facet's may be forgotten open for long.
   */
  idleInTransactionTimeoutMs?: number;
  /** How long to wait for a connection (a new one, or a free one from the pool) before failing. */
  connectTimeoutMs?: number;
  /**
   * How long a connection may sit idle in the pool before it is closed (default 300 s; 0 keeps it).
   * A new connection costs its request a PostgreSQL backend with cold caches and statements to
   * prepare again, so a pool that empties after a short lull makes the next burst slow.
   */
  idleTimeoutMs?: number;
  applicationName?: string;
  /**
   * Whether a connection prepares its parameterized statements by name (default true; never on the
   * embedded database). Off for a pooler that does not track them (see docs/operations.md).
   */
  preparedStatements?: boolean;
  /** Sees every statement; tests use it to count SQL per request. */
  logger?: Logger;
}

// Counts every statement, for /metrics and for the request it was sent for (a request's query
// runners carry its observation, see db/request-scope.ts), and passes it on to the caller's logger
// when there is one.
class StatementObserver implements Logger {
  constructor(private readonly next: Logger | undefined) {}
  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    statementsTotal.inc();
    const observation = (queryRunner?.data as { observation?: RequestObservation } | undefined)?.observation;
    if (observation) observation.statements++;
    this.next?.logQuery(query, parameters, queryRunner);
  }
  logQueryError(error: string | Error, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.next?.logQueryError(error, query, parameters, queryRunner);
  }
  logQuerySlow(time: number, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.next?.logQuerySlow(time, query, parameters, queryRunner);
  }
  logSchemaBuild(message: string, queryRunner?: QueryRunner): void {
    this.next?.logSchemaBuild(message, queryRunner);
  }
  logMigration(message: string, queryRunner?: QueryRunner): void {
    this.next?.logMigration(message, queryRunner);
  }
  log(level: "log" | "info" | "warn", message: unknown, queryRunner?: QueryRunner): void {
    this.next?.log(level, message, queryRunner);
  }
}

/** The pool and statement settings of the configuration, the same for the primary and its replicas. */
export function poolSettingsOf(
  config: Config,
): Pick<DataSourceOptions, "poolSize" | "statementTimeoutMs" | "idleInTransactionTimeoutMs" | "connectTimeoutMs" | "idleTimeoutMs" | "preparedStatements"> {
  return {
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    idleInTransactionTimeoutMs: config.dbIdleInTransactionTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    idleTimeoutMs: config.dbIdleTimeoutMs,
    preparedStatements: config.dbPreparedStatements,
  };
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource({
    type: "postgres",
    url: options.url,
    entities: options.entities,
    migrations,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Every andWhere() is parenthesised, so a user-derived OR can never escape the tenant predicate.
    isolateWhereStatements: true,
    logging: options.logger ? ["query"] : false,
    logger: new StatementObserver(options.logger),
    applicationName: options.applicationName ?? "facet",
    // A database that does not answer fails the request instead of holding it forever.
    connectTimeoutMS: options.connectTimeoutMs ?? 5000,
    poolErrorHandler: (error: unknown) => log.warn("database pool error", { error }),
    extra: {
      max: options.embedded ? 1 : options.poolSize,
      idleTimeoutMillis: options.idleTimeoutMs ?? 300_000,
      statement_timeout: options.statementTimeoutMs,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
      lock_timeout: 2000,
      keepAlive: true,
      // pg's pipeline mode: a statement is written as soon as it is asked, not after the one before
      // it has been answered, so the loaders of one level of a response that fire side by side
      // reach PostgreSQL together (each with its own Sync: one failing does not skip the others,
      // except inside a transaction, which it aborts, as always).
      pipeline: true,
    },
  });
  // The embedded database multiplexes its clients onto one session, where a statement prepared
  // by name is not the client's own.
  preparing.set(dataSource, !options.embedded && options.preparedStatements !== false);
  return dataSource;
}

const preparing = new WeakMap<DataSource, boolean>();

/** Whether statements sent through db/statements.ts are prepared by name on this data source's connections. */
export const preparesStatements = (dataSource: DataSource): boolean => preparing.get(dataSource) ?? false;
