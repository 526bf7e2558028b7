import "reflect-metadata";
import { createDataSource } from "../../src/db/data-source";
import { migrate } from "../../src/db/database";
import { startJobRunner, type JobHandler } from "../../src/db/jobs";
import { entities } from "../../src/modules/entities";

// The job runner's own cost, on BENCH_DATABASE_URL: how fast `BENCH_JOB_RUNNERS` runners (each
// with JOB_CONCURRENCY slots and its own pool, as separate processes would have) drain
// `BENCH_JOBS` jobs that do nothing, and how many statements an idle runner sends. A job that
// does nothing measures the queue: claiming, leasing and finishing. See scripts/bench/README.md.

const say = (line: string) => process.stdout.write(`${line}\n`);
const envInt = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error("Set BENCH_DATABASE_URL (npm run bench creates and migrates it)");
  const jobs = envInt("BENCH_JOBS", 20_000);
  const runners = envInt("BENCH_JOB_RUNNERS", 2);
  const concurrency = envInt("JOB_CONCURRENCY", 4);
  const kind = `bench.noop.${Date.now()}`;
  let statements = 0;
  const counting = { logQuery: () => void statements++, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
  const admin = createDataSource({ entities, url, embedded: false, poolSize: 2, statementTimeoutMs: 600_000, applicationName: "facet-bench-jobs" });
  await admin.initialize();
  await migrate(admin);
  const pools = await Promise.all(
    Array.from({ length: runners }, async () => {
      const ds = createDataSource({ entities, url, embedded: false, poolSize: 10, statementTimeoutMs: 30_000, applicationName: "facet-bench-jobs", logger: counting });
      await ds.initialize();
      return ds;
    }),
  );
  try {
    await admin.query(`INSERT INTO jobs (kind, payload) SELECT $1, jsonb_build_object('n', n) FROM generate_series(1, $2) n`, [kind, jobs]);
    let done = 0;
    const handler: JobHandler = { kind, run: async () => void done++ };
    statements = 0;
    const started = performance.now();
    const running = pools.map((ds) => startJobRunner(ds, [handler], { concurrency, pollMs: 1000 }));
    while (done < jobs) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    const drainStatements = statements;
    // Idle: what the runners send while there is nothing to do.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    statements = 0;
    const idleFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idlePerSecond = statements / ((performance.now() - idleFrom) / 1000);
    await Promise.all(running.map((r) => r.stop()));
    const [{ left }] = (await admin.query(`SELECT count(*)::int AS left FROM jobs WHERE kind = $1 AND status <> 'DONE'`, [kind])) as { left: number }[];
    say(`${jobs} no-op jobs, ${runners} runners × ${concurrency} slots: ${seconds.toFixed(1)} s, ${(jobs / seconds).toFixed(0)} jobs/s, ${(drainStatements / jobs).toFixed(2)} statements per job; ${left} not done`);
    say(`idle: ${idlePerSecond.toFixed(2)} statements per second for ${runners} runners`);
  } finally {
    await admin.query(`DELETE FROM jobs WHERE kind = $1`, [kind]);
    await Promise.all(pools.map((ds) => ds.destroy()));
    await admin.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
