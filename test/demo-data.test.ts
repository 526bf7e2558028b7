import { randomBytes } from "node:crypto";
import { DataSource } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/db/database";
import { entities } from "../src/modules/entities";
import { Metal } from "../src/modules/catalog";
import { fixAt, freshFix, rateAt } from "../src/modules/pricing";
import { seedDemoData } from "../src/seed/demo";
import { onRealPostgres, testConfig } from "./support/harness";

// The demo data is what a newcomer first sees, and what the fault drills run on: its stock and
// production runs must be held by its orders and nothing else, as placing those orders would have
// left them. Seeded into a database of its own, so nothing another test file does can change it.

const databaseUrl = (name: string) => {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
};

describe("the demo data", () => {
  const name = `facet_demo_${randomBytes(4).toString("hex")}`;
  let admin: DataSource;
  let demo: DataSource;
  /** The database's clock just before seeding: the seed's "last 30 days" end at or after it. */
  let seededFrom: Date;
  beforeAll(async () => {
    if (process.env.FACET_TEST_EMBEDDED) return;
    admin = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, poolSize: 1, statementTimeoutMs: 60_000 });
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${name}`);
    demo = createDataSource({ entities, url: databaseUrl(name), embedded: false, poolSize: 1, statementTimeoutMs: 60_000 });
    await demo.initialize();
    await migrate(demo);
    [{ now: seededFrom }] = (await demo.query(`SELECT now() AS now`)) as { now: Date }[];
    await seedDemoData(demo, "test");
  }, 120_000);
  afterAll(async () => {
    if (process.env.FACET_TEST_EMBEDDED) return;
    await demo.destroy();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.destroy();
  });

  onRealPostgres("reserves only the stock its open orders take from the shelf", async () => {
    const rows = (await demo.query(
      `SELECT s.variant_id, s.reserved, COALESCE(h.held, 0)::int AS held
         FROM stock_levels s
         LEFT JOIN (SELECT l.variant_id, sum(l.from_stock) AS held FROM order_lines l JOIN orders o ON o.id = l.order_id
                     WHERE o.status IN ('PENDING', 'CONFIRMED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'PACKED') GROUP BY l.variant_id) h
           ON h.variant_id = s.variant_id`,
    )) as { variant_id: string; reserved: number; held: number }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.held > 0).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.reserved !== r.held)).toEqual([]);
  });

  onRealPostgres("allocates no production run that no order holds", async () => {
    const [{ allocated, batches }] = (await demo.query(`SELECT COALESCE(sum(allocated), 0)::int AS allocated, count(*)::int AS batches FROM production_batches`)) as { allocated: number; batches: number }[];
    const [{ held }] = (await demo.query(
      `SELECT COALESCE(sum((a ->> 'quantity')::int), 0)::int AS held FROM order_lines l JOIN orders o ON o.id = l.order_id,
              jsonb_array_elements(l.batch_allocations) a
        WHERE o.status IN ('PENDING', 'CONFIRMED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'PACKED')`,
    )) as { held: number }[];
    expect(batches).toBeGreaterThan(0);
    expect(allocated).toBe(held);
  });

  onRealPostgres("closes the exporter's workshop on this year's Christmas and the next New Year's Day, whatever year it is seeded in", async () => {
    const year = new Date().getUTCFullYear();
    const rows = (await demo.query(`SELECT date::text AS date, name FROM holidays WHERE date BETWEEN $1 AND $2 ORDER BY date`, [`${year}-12-24`, `${year + 1}-01-02`])) as unknown[];
    expect(rows).toEqual([
      { date: `${year}-12-25`, name: "Christmas Day" },
      { date: `${year + 1}-01-01`, name: "New Year's Day: workshop closed" },
    ]);
  });

  onRealPostgres("has the events of its last 30 days, each naming its distributor and its object by global id", async () => {
    // The 30 days are those before the seed ran, not before this query: history seeded right at
    // the window's start (a brief of 30 days ago) is more than 30 days old a moment later.
    const rows = (await demo.query(
      `SELECT e.type, e.distributor_id, e.data, e.occurred_at > CAST($1 AS timestamptz) - interval '30 days' AS recent FROM events e`,
      [seededFrom],
    )) as { type: string; distributor_id: string | null; data: Record<string, string>; recent: boolean }[];
    const types = new Set(rows.map((r) => r.type));
    for (const type of ["order.placed", "order.status_changed", "shipment.tracking_event_recorded", "design_brief.status_changed"]) expect(types).toContain(type);
    expect(rows.filter((r) => !r.recent || r.distributor_id === null)).toEqual([]);
    // The ids are the API's: each decodes to its type and the row's id, as node(id:) reads it.
    const [order] = rows.filter((r) => r.type === "order.placed");
    const [typeName, id] = Buffer.from(order.data.orderId, "base64url").toString("utf8").split(":");
    expect(typeName).toBe("Order");
    expect((await demo.query(`SELECT 1 FROM orders WHERE id = $1 AND distributor_id = $2`, [id, order.distributor_id])).length).toBe(1);
  });

  onRealPostgres("has a month of fixes and rates ending today: the latest gold fix is fresh enough to price on", async () => {
    const ctx = { requestId: "demo-data", config: testConfig(), principal: null, db: demo.manager, dataSource: demo, loaders: new Map(), ip: undefined };
    const gold = await fixAt(ctx, Metal.GOLD);
    expect(gold).not.toBeNull();
    expect(gold!.ageBusinessDays).toBeLessThanOrEqual(2);
    expect(gold!.fix.fixedAt.getTime()).toBeLessThanOrEqual(Date.now());
    for (const metal of [Metal.GOLD, Metal.SILVER, Metal.PLATINUM, Metal.PALLADIUM]) await expect(freshFix(ctx, metal)).resolves.toBeTruthy();
    // About 22 London working days of each of the seven auctions, and of each of the six rates.
    const counts = (await demo.query(`SELECT source, count(*)::int AS n, min(fixed_at) AS first FROM metal_prices GROUP BY source ORDER BY source`)) as { source: string; n: number; first: Date }[];
    expect(counts.map((c) => c.source)).toEqual(["LBMA_GOLD_AM", "LBMA_GOLD_PM", "LBMA_SILVER", "LPPM_PALLADIUM_AM", "LPPM_PALLADIUM_PM", "LPPM_PLATINUM_AM", "LPPM_PLATINUM_PM"]);
    for (const c of counts) {
      expect(c.n).toBeGreaterThanOrEqual(20);
      expect(c.n).toBeLessThanOrEqual(23);
      expect(seededFrom.getTime() - c.first.getTime()).toBeGreaterThan(27 * 86_400_000);
    }
    for (const quote of ["EUR", "AED", "CAD", "INR", "JPY", "KWD"] as const) {
      const rate = await rateAt(ctx, "USD", quote);
      expect({ quote, found: rate !== null, inverted: rate?.inverted }).toEqual({ quote, found: true, inverted: false });
    }
    expect((await rateAt(ctx, "USD", "AED"))!.rate).toBe("3.6725");
    // Seeding again writes nothing: the demo is there.
    expect(await seedDemoData(demo, "test")).toBe(false);
  });
});
