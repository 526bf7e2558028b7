import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { log } from "../logger";
import { createDataSource, poolSettingsOf } from "./data-source";
import { startEmbeddedDatabase } from "./embedded";
import { openReplicas, type ReplicaSet } from "./replicas";

export interface Database {
  dataSource: DataSource;
  /** The read replicas of DATABASE_REPLICA_URLS, when there are any (see replicas.ts). */
  replicas: ReplicaSet | undefined;
  embedded: boolean;
  url: string;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under the data directory, and opens
 * the read replicas, if any, without waiting for them.
 */
export async function openDatabase(config: Config, entities: Function[], applicationName = "facet"): Promise<Database> {
  const embeddedDb = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const url = config.databaseUrl ?? embeddedDb!.url;
  const dataSource = createDataSource({
    url,
    entities,
    embedded: Boolean(embeddedDb),
    ...poolSettingsOf(config),
    applicationName,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embeddedDb?.stop();
    throw error;
  }
  const replicas = await openReplicas(config, dataSource, entities, `${applicationName}-replica`);
  return {
    dataSource,
    replicas,
    embedded: Boolean(embeddedDb),
    url,
    async close() {
      await replicas?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await embeddedDb?.stop();
    },
  };
}

export async function migrate(dataSource: DataSource): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: "each" });
  for (const migration of applied) log.info("migration applied", { migration: migration.name });
}
