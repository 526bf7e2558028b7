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
 * worker that dies once it has served, and stops them all on SIGTERM or SIGINT, killing any that
 * has not exited by the shutdown deadline. A worker that fails before it listens stops the whole
 * cluster: its siblings would fail the same way. Workers are told once all of them listen, and
 * only then say they are ready (see clusterStarted).
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
      // A worker ends itself at its own deadline; this one is for a worker that cannot.
      setTimeout(() => {
        log.error("workers did not stop in time; killing them", { workers: workers().map((w) => w.process.pid) });
        for (const worker of workers()) worker.process.kill("SIGKILL");
        process.exit(1);
      }, shutdownDeadlineMs(config) + 2000).unref();
    }
    if (workers().length === 0) process.exit(exitCode);
  };
  let started = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.once("listening", () => {
      listened.add(worker.id);
      if (started) worker.send(STARTED);
      else if (listened.size === config.workers) {
        started = true;
        for (const each of workers()) each.send(STARTED);
        log.info("every worker listens", { workers: config.workers });
      }
    });
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

/** How long a process may take to shut down: the delay, the grace, and a few seconds to close the database and Redis. */
export function shutdownDeadlineMs(config: Config): number {
  return config.shutdownDelayMs + config.shutdownGraceMs + 5000;
}

/** The primary's word to its workers that every one of them listens. */
const STARTED = "facet:cluster-started";
let startedSeen = false;
if (cluster.isWorker) process.on("message", (message) => (startedSeen ||= message === STARTED));

/**
 * Whether the cluster this process belongs to has started: always outside a cluster; in a worker,
 * once the primary has seen every worker listen. A worker that replaces another is told at once.
 */
export const clusterStarted = (): boolean => !cluster.isWorker || startedSeen;
