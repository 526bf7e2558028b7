import type { DataSource } from "typeorm";
import type { Config } from "../../config";
import { log } from "../../logger";
import { LocalEventBus, type EventBus } from "./bus";
import { PgEventBus } from "./pg-bus";
import { RedisEventBus } from "./redis-bus";

/**
 * The event bus a Facet process publishes on and its live subscribers listen to:
 * - on the embedded database (no DATABASE_URL), the process's own: one process serves it;
 * - with REDIS_URL, Redis pub/sub, shared by every process that uses that Redis;
 * - otherwise PostgreSQL's LISTEN/NOTIFY, on a connection of its own (not the pool's), shared by
 *   every process of the database.
 */
export async function createEventBus(config: Config, dataSource: DataSource): Promise<EventBus> {
  if (!config.databaseUrl) return new LocalEventBus();
  if (config.redisUrl) {
    log.info("live events travel through Redis");
    return RedisEventBus.connect(config.redisUrl);
  }
  // The database the events are written to: the data source's own, as configured.
  const url = (dataSource.options as { url?: string }).url ?? config.databaseUrl;
  log.info("live events travel through PostgreSQL LISTEN/NOTIFY");
  return PgEventBus.start({ connectionString: url, connectionTimeoutMillis: config.dbConnectTimeoutMs });
}
