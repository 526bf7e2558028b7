import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/db/database";
import { entities } from "../src/modules/entities";
import { useBulkExports, WRITE_BULK_EXPORT } from "../src/modules/exports";
import { seedDemoData } from "../src/seed/demo";

// How much memory one bulk export of N orders takes: seeds N orders of three lines each for a
// distributor of a scratch database, exports them as the job runner would, and reports the
// process's resident memory before and at its peak while the export ran.
//
//   createdb -h 127.0.0.1 -U postgres facet_export_memory
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/facet_export_memory ORDERS=100000 node dist/scripts/export-memory.js
//
// The database must be a scratch one: the script migrates it, seeds the demo data and adds orders.

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must name a scratch database");
  const count = Number(process.env.ORDERS ?? 100_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "facet-export-memory-"));
  const config = loadConfig({ ...process.env, NODE_ENV: "development", DATA_DIR: dataDir, JWT_SECRET: "x".repeat(48) });
  const dataSource = createDataSource({ url, entities, embedded: false, poolSize: 2, statementTimeoutMs: 600_000 });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
    await seedDemoData(dataSource, "development");
    const [{ id: distributorId }] = await dataSource.query(`SELECT id FROM distributors WHERE code = 'atelier-paris'`);
    const [{ n: already }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM orders o WHERE o.distributor_id = $1 AND o.number LIKE 'MEM-%' AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`,
      [distributorId],
    );
    if (already < count) {
      const started = Date.now();
      const [variant] = await dataSource.query(`SELECT v.id, v.sku, p.name FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku LIMIT 1`);
      // Orders without their lines (a run stopped half way) go first; then batches of 10,000
      // orders, each with its three lines in the same statement.
      await dataSource.query(`DELETE FROM orders o WHERE o.number LIKE 'MEM-%' AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`);
      const [{ n: kept }] = await dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE distributor_id = $1 AND number LIKE 'MEM-%'`, [distributorId]);
      for (let from = kept; from < count; from += 10_000) {
        await dataSource.query(
          `WITH placed AS (
             INSERT INTO orders (number, distributor_id, buyer_reference, currency, incoterm, estimated_ship_date, status, total, line_count, placed_at, updated_at)
             SELECT 'MEM-' || lpad(i::text, 9, '0'), $1, 'PO-MEM-' || i, 'EUR', 'DAP', current_date + 30, 'CONFIRMED', 3 * 249.5, 3,
                    now() - make_interval(mins => i), now() - make_interval(mins => i)
             FROM generate_series($2::int + 1, $3::int) AS i
             RETURNING id, distributor_id)
           INSERT INTO order_lines (order_id, line_number, variant_id, sku, description, quantity, unit_price, line_total, from_stock, estimated_ship_date, distributor_id, composition)
           SELECT placed.id, n, $4, $5, $6, 1, 249.5, 249.5, 1, current_date + 30, placed.distributor_id,
                  '{"metal": "GOLD", "fineness": 750, "stones": [], "plating": {"type": "NONE", "karat": null, "thicknessMicrons": null}, "metalWeightGrams": "3.000"}'::jsonb
           FROM placed CROSS JOIN generate_series(1, 3) AS n`,
          [distributorId, from, Math.min(from + 10_000, count), variant.id, variant.sku, variant.name],
        );
      }
      await dataSource.query(`ANALYZE orders, order_lines, order_status_changes`);
      process.stdout.write(`seeded ${count - kept} orders in ${Date.now() - started} ms\n`);
    }
    const [{ total }] = await dataSource.query(`SELECT count(*)::int AS total FROM orders WHERE distributor_id = $1`, [distributorId]);
    const [{ id: exportId }] = await dataSource.query(`INSERT INTO bulk_exports (distributor_id, kind) VALUES ($1, 'ORDERS') RETURNING id`, [distributorId]);
    useBulkExports(dataSource, config);

    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    const started = Date.now();
    await WRITE_BULK_EXPORT.run({ id: exportId, kind: WRITE_BULK_EXPORT.kind, payload: { exportId }, attempt: 1, maxAttempts: 1 }, { dataSource });
    const ms = Date.now() - started;
    clearInterval(sampler);
    const [row] = await dataSource.query(`SELECT status, object_count, byte_size FROM bulk_exports WHERE id = $1`, [exportId]);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    process.stdout.write(
      [
        `orders of the distributor: ${total}`,
        `export: ${row.status}, ${row.object_count} lines, ${mb(Number(row.byte_size))} in ${ms} ms`,
        `rss before: ${mb(before.rss)}, peak during: ${mb(peakRss)} (+${mb(peakRss - before.rss)})`,
        `heap used before: ${mb(before.heapUsed)}, peak during: ${mb(peakHeap)}`,
      ].join("\n") + "\n",
    );
  } finally {
    await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
