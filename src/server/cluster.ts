import cluster, { type Worker } from "node:cluster";
import type { Config } from "../config";
import { migrate, openDatabase } from "../db/database";
import { entities } from "../modules/entities";
import { log } from "../logger";
import { serveWorkerMetrics } from "../observability/metrics";

/**
 * WEB_CONCURRENCY > 1: this process migrates the database once, then forks that many workers,
 * each a whole Facet listening on the shared port (the cluster module hands connections
 * round-robin). It answers the workers' requests for the metrics of all of them, replaces a
 * worker that dies once it has served, and stops them all on SIGTERM or SIGINT. A worker that
 * fails before it listens stops the whole cluster: its siblings would fail the same way.
 */
export async function runPrimary(config: Config): Promise<void> {
  if (config.migrateOnStart) {
    const database = await openDatabase(config, entities, "facet-migrate");
    try {
      await migrate(database.dataSource);
    } finally {
      await database.close();
    }
  }
  serveWorkerMetrics();

  const listened = new Set<number>();
  let stopping = false;
  let exitCode = 0;
  const workers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const stopAll = (code: number) => {
    exitCode = Math.max(exitCode, code);
    if (!stopping) {
      stopping = true;
      for (const worker of workers()) worker.process.kill("SIGTERM");
    }
    if (workers().length === 0) process.exit(exitCode);
  };
  const fork = () => {
    const worker = cluster.fork();
    worker.once("listening", () => listened.add(worker.id));
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (workers().length === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(worker.id)) {
      log.error("a worker exited before it listened; stopping Facet", { pid: worker.process.pid, code, signal });
      stopAll(1);
      return;
    }
    log.error("a worker exited; starting another", { pid: worker.process.pid, code, signal });
    fork();
  });
  for (let i = 0; i < config.workers; i++) fork();
  log.info("Facet is starting workers", { workers: config.workers });

  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGINT", () => stopAll(0));
}
