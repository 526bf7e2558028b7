import "reflect-metadata";
import cluster from "node:cluster";
import { ConfigError, loadConfig } from "./config";
import { migrate, openDatabase } from "./db/database";
import { startJobRunner } from "./db/jobs";
import { entities } from "./modules/entities";
import { createEventBus } from "./modules/events";
import { jobHandlers } from "./modules/jobs";
import { log, setLogLevel } from "./logger";
import { DEMO_ERP_CLIENT_ID, DEMO_ERP_SECRET, DEMO_PASSWORD } from "./modules/accounts/demo-credentials";
import { startReservationSweeper } from "./modules/orders";
import { declarationSystemOf, SUPPORTED_DISPATCH } from "./modules/shipments";
import { DEMO_LOGINS, seedDemoData } from "./seed/demo";
import { createServer } from "./server/app";
import { runPrimary, shutdownDeadlineMs } from "./server/cluster";

async function main(): Promise<void> {
  const config = loadConfig();
  // Checked here rather than in loadConfig, which knows no module's rules.
  if (!declarationSystemOf(config.exporterCountry)) {
    throw new ConfigError(`EXPORTER_COUNTRY must be a country whose export declarations Facet knows (${SUPPORTED_DISPATCH}), got "${config.exporterCountry}"`);
  }
  setLogLevel(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const database = await openDatabase(config, entities);
  if (database.embedded) log.info("using the embedded PostgreSQL (PGlite)", { dataDir: config.dataDir, url: database.url });

  // In a cluster the primary has migrated before it forked.
  if ((config.migrateOnStart && !cluster.isWorker) || database.embedded) await migrate(database.dataSource);
  const seeded = database.embedded ? await seedDemoData(database.dataSource, config.env) : false;

  // Live subscribers hear of events committed by any process: PostgreSQL LISTEN/NOTIFY, Redis
  // pub/sub with REDIS_URL, or this process alone on the embedded database.
  const eventBus = await createEventBus(config, database.dataSource);
  const server = await createServer(config, database.dataSource, { eventBus });
  const port = await server.listen(config.port, config.host);
  // Each process sweeps expired PENDING orders; sweeps on several processes take disjoint orders.
  const stopSweeper = startReservationSweeper(database.dataSource, config);
  // Each process runs jobs too unless RUN_JOBS=false (then `npm run worker` runs them).
  const jobs = config.jobs.inProcess ? startJobRunner(database.dataSource, jobHandlers, { concurrency: config.jobs.concurrency }) : undefined;
  const base = `http://localhost:${port}`;
  log.info("Facet is listening", { graphql: `${base}/graphql`, playground: `${base}/playground`, oauthToken: `${base}/oauth/token` });

  if (database.embedded) {
    const lines = [
      "",
      `  Facet is running${seeded ? " (demo data seeded)" : ""}`,
      `  GraphQL     ${base}/graphql`,
      `  Playground  ${base}/playground`,
      `  ERP tokens  ${base}/oauth/token   client ${DEMO_ERP_CLIENT_ID} / ${DEMO_ERP_SECRET}`,
      `  Demo logins (password ${DEMO_PASSWORD}):`,
      ...DEMO_LOGINS.map((l) => `    ${l.email.padEnd(30)} ${l.role}`),
      "",
    ];
    process.stdout.write(lines.join("\n") + "\n");
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    // Whatever hangs (a dependency that does not answer), the process is gone in bounded time.
    setTimeout(() => {
      log.error("shutdown did not finish in time; exiting", { deadlineMs: shutdownDeadlineMs(config) });
      process.exit(1);
    }, shutdownDeadlineMs(config)).unref();
    try {
      await server.stop();
      await stopSweeper();
      await jobs?.stop();
      await eventBus.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      log.error("shutdown failed", { error });
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  if (error instanceof ConfigError) log.error(`configuration error: ${error.message}`);
  else log.error("Facet failed to start", { error });
  process.exit(1);
});
