import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { log } from "../logger";
import { createDataSource } from "./data-source";
import { startEmbeddedDatabase } from "./embedded";

export interface Database {
  dataSource: DataSource;
  embedded: boolean;
  url: string;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under the data directory. */
export async function openDatabase(config: Config, entities: Function[], applicationName = "facet"): Promise<Database> {
  const embeddedDb = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embeddedDb!.url;
  const dataSource = createDataSource({
    url,
    entities,
    embedded: Boolean(embeddedDb),
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    idleTimeoutMs: config.dbIdleTimeoutMs,
    preparedStatements: config.dbPreparedStatements,
    applicationName,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embeddedDb?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded: Boolean(embeddedDb),
    url,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embeddedDb?.stop();
    },
  };
}

export async function migrate(dataSource: DataSource): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: "each" });
  for (const migration of applied) log.info("migration applied", { migration: migration.name });
}
