import "reflect-metadata";
import { ConfigError, loadConfig } from "../src/config";
import { startJobRunner } from "../src/db/jobs";
import { openDatabase } from "../src/db/database";
import { log, setLogLevel } from "../src/logger";
import { entities } from "../src/modules/entities";
import { createEventBus, useEventBus } from "../src/modules/events";
import { jobHandlers } from "../src/modules/jobs";

// npm run worker: runs Facet's jobs (webhook deliveries, bulk exports, periodic work) and nothing
// else, against DATABASE_URL. Run as many as the deliveries need beside servers started with
// RUN_JOBS=false; no two processes ever run one job at once.
async function run(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  if (!config.databaseUrl) throw new ConfigError("npm run worker needs DATABASE_URL: the embedded database belongs to the one process that opened it, where `npm start` runs the jobs itself");
  const database = await openDatabase(config, entities, "facet-worker");
  // Jobs write events too: the servers' live subscribers hear of them through the shared bus.
  const eventBus = await createEventBus(config, database.dataSource);
  useEventBus(database.dataSource, eventBus);
  const runner = startJobRunner(database.dataSource, jobHandlers, { concurrency: config.jobs.concurrency });
  log.info("Facet's job runner is running", { concurrency: config.jobs.concurrency, kinds: jobHandlers.map((h) => h.kind) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping the job runner", { signal });
    setTimeout(() => process.exit(1), 30_000).unref();
    await runner.stop();
    await eventBus.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

run().catch((error) => {
  log.error(error instanceof ConfigError ? `configuration error: ${error.message}` : "the job runner failed to start", { error });
  process.exit(1);
});
