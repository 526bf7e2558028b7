import "reflect-metadata";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { FormattedExecutionResult } from "graphql";
import { print } from "graphql";
import type { DataSource, Logger } from "typeorm";
import { loadConfig, type Config } from "../../src/config";
import { createDataSource } from "../../src/db/data-source";
import { entities } from "../../src/modules/entities";
import type { RequestContext } from "../../src/core/context";
import { createRequestContext, endRequest } from "../../src/server/context";
import { createServer, type FacetServer } from "../../src/server/app";
import { newObservation, type RequestObservation } from "../../src/observability/observation";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    ...overrides,
  });
}

/** Counts the SQL statements the data source sends (and keeps them while `recording`). */
export class StatementCounter implements Logger {
  count = 0;
  recording = false;
  recorded: { query: string; parameters?: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.count++;
    if (this.recording) this.recorded.push({ query, parameters });
  }
  /** The statements sent while `run` runs, in order. */
  async during(run: () => Promise<unknown>): Promise<{ query: string; parameters?: unknown[] }[]> {
    this.recorded = [];
    this.recording = true;
    try {
      await run();
    } finally {
      this.recording = false;
    }
    return this.recorded;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: FormattedExecutionResult["errors"];
}

export interface TestFacet {
  config: Config;
  dataSource: DataSource;
  server: FacetServer;
  statements: StatementCounter;
  /** What the last operation run by gql() did (its SQL statements among it). */
  last: RequestObservation | undefined;
  /** Runs an operation through Apollo with the context a request with this bearer token would get. */
  gql<TData, TVars extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVars>,
    variables?: TVars,
    options?: { token?: string; context?: Partial<RequestContext> },
  ): Promise<GraphQLResult<TData>>;
  /** The server over real HTTP on an ephemeral port (started on first call). */
  url(path?: string): Promise<string>;
  stop(): Promise<void>;
}

const embeddedDatabase = process.env.FACET_TEST_EMBEDDED === "1";

/**
 * For a test that needs two sessions at once (one holding a row lock while another waits on it):
 * the embedded database serves one connection, so there it is skipped; CI runs it on PostgreSQL.
 */
export const onRealPostgres: jest.It = embeddedDatabase ? it.skip : it;

/** One Facet per test file, on the test database that global-setup migrated. */
export async function startFacet(overrides: NodeJS.ProcessEnv = {}): Promise<TestFacet> {
  const config = testConfig(overrides);
  const statements = new StatementCounter();
  const dataSource = createDataSource({
    entities,
    url: process.env.TEST_DATABASE_URL!,
    embedded: embeddedDatabase,
    poolSize: 4,
    statementTimeoutMs: 10_000,
    // The embedded database serves one connection, so concurrent requests queue for it.
    connectTimeoutMs: embeddedDatabase ? 60_000 : undefined,
    applicationName: "facet-test",
    logger: statements,
  });
  await dataSource.initialize();
  const server = await createServer(config, dataSource);
  let port: number | undefined;
  const facet: TestFacet = {
    config,
    dataSource,
    server,
    statements,
    last: undefined,
    async gql(document, variables, options = {}) {
      const observation = (facet.last = newObservation("test"));
      const facts = { authorization: options.token ? `Bearer ${options.token}` : undefined, requestId: "test", ip: "127.0.0.1", observation };
      // As /graphql runs it: the caller read (and the connection scoped) before the operation.
      const context = await createRequestContext({ config, dataSource }, facts);
      const response = await server.apollo
        .executeOperation({ query: print(document), variables }, { contextValue: { ...context, ...options.context } })
        .finally(() => endRequest(context));
      if (response.body.kind !== "single") throw new Error("unexpected incremental response");
      return response.body.singleResult as GraphQLResult<any>;
    },
    async url(path = "") {
      port ??= await server.listen(0, "127.0.0.1");
      return `http://127.0.0.1:${port}${path}`;
    },
    async stop() {
      await server.stop();
      await dataSource.destroy();
    },
  };
  return facet;
}

/** The data of a result that must have no errors. */
export function ok<TData>(result: GraphQLResult<TData>): TData {
  if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors)}`);
  if (!result.data) throw new Error("no data");
  return result.data;
}

/** The extension codes of a result's top-level errors. */
export function errorCodes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] | null }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

/**
 * Asks `read` again until `done` holds, every 250 ms for up to 15 s. Lists in update order stop at
 * the sync horizon, the oldest transaction still open on the database, and another test file's
 * transaction (a lock test's) can hold it back for seconds.
 */
export async function whenSynced<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; !done(value) && attempt < 60; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
