import type { DataSource } from "typeorm";

// The benchmark's dataset: a large exporter's catalog and a few years of trade, written with
// set-based SQL (INSERT … SELECT over generate_series) so it takes a minute, not hours. It is
// written once per database and reused while its version matches.

export const DATASET_VERSION = 2;
export const SIZES = { distributors: 200, styles: 2_000, variantsPerStyle: 3, orders: 100_000, shippedShare: 0.8 };

export interface Dataset {
  distributors: number;
  products: number;
  variants: number;
  orders: number;
  orderLines: number;
  shipments: number;
  trackingEvents: number;
}

const CURRENCIES = ["EUR", "USD", "GBP", "AED", "CAD", "CHF"];
const SEEDED_TABLES = [
  "shipment_documents", "tracking_events", "shipments", "order_lines", "orders", "variant_prices", "production_batches",
  "stock_levels", "variants", "products", "users", "distributors",
];

async function count(db: DataSource, table: string): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
  return row.n;
}

async function describe(db: DataSource): Promise<Dataset> {
  return {
    distributors: await count(db, "distributors"),
    products: await count(db, "products"),
    variants: await count(db, "variants"),
    orders: await count(db, "orders"),
    orderLines: await count(db, "order_lines"),
    shipments: await count(db, "shipments"),
    trackingEvents: await count(db, "tracking_events"),
  };
}

/** Seeds the dataset unless this version of it is there already; returns what the database holds. */
export async function ensureDataset(db: DataSource, say: (line: string) => void): Promise<{ dataset: Dataset; seeded: boolean; seconds: number }> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_dataset (version integer PRIMARY KEY, seeded_at timestamptz NOT NULL DEFAULT now())`);
  const versions = ((await db.query(`SELECT version FROM bench_dataset`)) as { version: number }[]).map((r) => r.version);
  if (versions.includes(DATASET_VERSION)) return { dataset: await describe(db), seeded: false, seconds: 0 };
  if (versions.length > 0) {
    say(`  replacing dataset version ${versions.join(", ")}`);
    await db.query(`TRUNCATE ${SEEDED_TABLES.join(", ")}, bench_dataset RESTART IDENTITY CASCADE`);
  } else if ((await count(db, "orders")) > 0) {
    throw new Error("BENCH_DATABASE_URL holds orders that the benchmark did not write; give it a database of its own");
  }

  const started = Date.now();
  const step = async (label: string, sql: string) => {
    const t = Date.now();
    await runner.query(sql);
    say(`  ${label.padEnd(22)} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // Triggers (audit, availability rank, a child row's distributor) and foreign-key checks are
    // skipped while loading; the availability rank is computed once at the end, child rows name
    // their parent's distributor themselves, and every reference is built consistent.
    await runner.query(`SET LOCAL session_replication_role = replica`);
    await runner.query(`SET LOCAL statement_timeout = 0`);
    await runner.query(`SET LOCAL synchronous_commit = off`);
    const { distributors, styles, variantsPerStyle, orders, shippedShare } = SIZES;
    const currencies = `(ARRAY[${CURRENCIES.map((c) => `'${c}'`).join(",")}])`;

    await step(
      "distributors, buyers",
      `INSERT INTO distributors (id, code, name, country, currency, default_incoterm)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(d), 12, '0'))::uuid, 'bench-' || lpad(d::text, 3, '0'),
              'Bench Distributor ' || lpad(d::text, 3, '0'),
              (ARRAY['FR','AE','CA','GB','US','CH','DE','JP'])[1 + d % 8], ${currencies}[1 + d % ${CURRENCIES.length}],
              (ARRAY['DAP','CIP','FCA','DDP','CIF'])[1 + d % 5]
       FROM generate_series(1, ${distributors}) d;
       INSERT INTO users (id, distributor_id, email, name, role, password_hash)
       SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(d), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(d), 12, '0'))::uuid,
              'buyer@bench-' || lpad(d::text, 3, '0') || '.example', 'Bench Buyer ' || d, 'BUYER', 'no-password-signs-in'
       FROM generate_series(1, ${distributors}) d;`,
    );

    await step(
      "products, variants",
      `INSERT INTO products (id, style_code, name, description, category, collection, metal, fineness, stones, hs_code,
                             country_of_origin, standard_lead_time_days, minimum_order_quantity, created_at, updated_at)
       SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(p), 12, '0'))::uuid, 'BX-' || lpad(p::text, 5, '0'),
              (ARRAY['Aurora','Solitaire','Lotus','Meridian','Cascade','Halo','Nova','Riviera'])[1 + p % 8] || ' ' || lpad(p::text, 5, '0'),
              'A benchmark style', (ARRAY['RING','NECKLACE','PENDANT','EARRINGS','BRACELET','BANGLE','CHAIN','BROOCH','CUFFLINKS','CHARM'])[1 + p % 10],
              'Collection ' || (p % 12),
              m.metal, m.fineness,
              CASE WHEN p % 3 = 0 THEN jsonb_build_array(jsonb_build_object('type','DIAMOND','shape','ROUND','count',1 + p % 5,
                     'totalCarat', (0.1 + (p % 10) / 10.0)::numeric(6,3)::text, 'origin', CASE WHEN p % 2 = 0 THEN 'LAB_GROWN' ELSE 'NATURAL' END, 'treatments', '[]'::jsonb))
                   ELSE '[]'::jsonb END,
              '711319', 'IN', 10 + p % 30, 1, now() - make_interval(days => p % 700), now() - make_interval(days => p % 90)
       FROM generate_series(1, ${styles}) p
       CROSS JOIN LATERAL (SELECT (ARRAY['GOLD','GOLD','SILVER','PLATINUM','GOLD','SILVER','BRASS','PALLADIUM','GOLD','STAINLESS_STEEL'])[1 + p % 10] AS metal) mm
       CROSS JOIN LATERAL (SELECT mm.metal, CASE mm.metal WHEN 'GOLD' THEN 750 WHEN 'SILVER' THEN 925 WHEN 'PLATINUM' THEN 950 WHEN 'PALLADIUM' THEN 950 END AS fineness) m;
       INSERT INTO variants (id, product_id, sku, ring_size_mm, chain_length_mm, metal_weight_grams, discontinued)
       SELECT ('00000000-0000-4000-b000-' || lpad(to_hex((p - 1) * ${variantsPerStyle} + v), 12, '0'))::uuid,
              ('00000000-0000-4000-a000-' || lpad(to_hex(p), 12, '0'))::uuid,
              'BX-' || lpad(p::text, 5, '0') || '-' || v,
              CASE WHEN p % 10 = 0 THEN 48 + v * 3 END, CASE WHEN p % 10 IN (1, 6) THEN 400 + v * 50 END,
              (2 + (p % 17) + v)::numeric(8,3), (p * v) % 97 = 0
       FROM generate_series(1, ${styles}) p, generate_series(1, ${variantsPerStyle}) v;`,
    );

    await step(
      "stock, batches, prices",
      `INSERT INTO stock_levels (variant_id, on_hand, reserved, low_stock_threshold)
       SELECT id, n % 60, (n % 60) / 4, 5 FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM variants) v;
       INSERT INTO production_batches (variant_id, quantity, allocated, ready_date, description)
       SELECT id, 50 + n % 100, n % 40, (now() AT TIME ZONE 'UTC')::date + (5 + n % 60)::int, 'Casting run ' || n
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM variants) v WHERE n % 2 = 0;
       INSERT INTO variant_prices (distributor_id, variant_id, amount, currency)
       SELECT d.id, v.id, (40 + (v.n * 37 + d.n * 11) % 2000)::numeric(18,4) + 0.5, d.currency
       FROM (SELECT id, currency, row_number() OVER (ORDER BY id) AS n FROM distributors) d
       CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM variants) v;`,
    );

    // Orders: the i-th belongs to distributor i % 200, placed over the last two years; four in
    // five of each distributor's have left the workshop and been shipped.
    await step(
      "orders",
      `INSERT INTO orders (id, number, distributor_id, buyer_reference, currency, incoterm, estimated_ship_date, status, total,
                           line_count, placed_at, updated_at, placed_by_user_id)
       SELECT ('00000000-0000-4000-c000-' || lpad(to_hex(i), 12, '0'))::uuid, 'BEN-' || lpad(i::text, 8, '0'),
              ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % ${distributors}), 12, '0'))::uuid, 'PO-' || i,
              ${currencies}[1 + (1 + i % ${distributors}) % ${CURRENCIES.length}], (ARRAY['DAP','CIP','FCA','DDP','CIF'])[1 + i % 5],
              (placed + interval '20 days')::date,
              CASE WHEN (i / ${distributors}) % 5 = 0 THEN (ARRAY['PENDING','CONFIRMED','IN_PRODUCTION','PACKED','CANCELLED'])[1 + (i / 5) % 5]
                   WHEN (i / ${distributors}) % 5 = 1 THEN 'SHIPPED' ELSE 'DELIVERED' END,
              0, 3 + i % 3, placed, LEAST(now(), placed + make_interval(days => 20 + i % 15)),
              ('00000000-0000-4000-9000-' || lpad(to_hex(1 + i % ${distributors}), 12, '0'))::uuid
       FROM generate_series(1, ${orders}) i
       CROSS JOIN LATERAL (SELECT now() - make_interval(mins => (i * 10)::int) - interval '1 day' AS placed) t;`,
    );
    await step(
      "order lines",
      `INSERT INTO order_lines (order_id, distributor_id, line_number, variant_id, sku, description, quantity, unit_price, line_total,
                                from_stock, estimated_ship_date, composition)
       SELECT o.id, o.distributor_id, l, v.id, v.sku, 'Bench piece ' || v.sku, q, price, price * q, q / 2, o.estimated_ship_date,
              -- What the piece is made of, as placeOrder records it.
              jsonb_build_object('metal', p.metal, 'fineness', p.fineness,
                'plating', jsonb_build_object('type', p.plating, 'karat', p.plating_karat, 'thicknessMicrons', p.plating_thickness_microns::text),
                'metalWeightGrams', v.metal_weight_grams::text, 'stones', p.stones)
       FROM orders o
       CROSS JOIN LATERAL generate_series(1, o.line_count) l
       CROSS JOIN LATERAL (SELECT 1 + ((hashtext(o.number) & 2147483647) + l * 7919) % ${styles * variantsPerStyle} AS vn) pick
       JOIN variants v ON v.id = ('00000000-0000-4000-b000-' || lpad(to_hex(pick.vn), 12, '0'))::uuid
       JOIN products p ON p.id = v.product_id
       CROSS JOIN LATERAL (SELECT 1 + (pick.vn + l) % 20 AS q, (40 + pick.vn % 2000)::numeric(18,4) + 0.5 AS price) x;
       UPDATE orders o SET total = t.total FROM (SELECT order_id, sum(line_total) AS total FROM order_lines GROUP BY order_id) t WHERE t.order_id = o.id;`,
    );

    // One shipment per shipped order, with a valid IATA air waybill (serial mod 7) and a carrier
    // tracking number, about five tracking events and two documents.
    await step(
      "shipments",
      `INSERT INTO shipments (id, order_id, distributor_id, carrier, service, status, awb_number, awb_type, tracking_number,
                              tracking_url, packages, currency, shipped_at, estimated_delivery_at, promised_delivery_at,
                              delivered_at, created_at, updated_at)
       SELECT ('00000000-0000-4000-d000-' || lpad(to_hex(n), 12, '0'))::uuid, o.id, o.distributor_id,
              CASE WHEN n % 2 = 0 THEN 'FEDEX' ELSE 'DHL_EXPRESS' END,
              CASE WHEN n % 2 = 0 THEN 'INTERNATIONAL PRIORITY' ELSE 'EXPRESS WORLDWIDE' END,
              CASE WHEN o.status = 'DELIVERED' THEN 'DELIVERED' ELSE 'IN_TRANSIT' END,
              (ARRAY['176','020','057','098','125','160'])[1 + n % 6] || (1000000 + n)::text || ((1000000 + n) % 7)::text, 'MASTER',
              (5000000000 + n)::text, 'https://tracking.example/' || (5000000000 + n),
              '[{"count":1,"netWeightKg":"0.450","grossWeightKg":"1.100","lengthCm":25,"widthCm":20,"heightCm":12}]'::jsonb,
              o.currency, o.placed_at + interval '20 days', o.placed_at + interval '23 days', o.placed_at + interval '23 days',
              CASE WHEN o.status = 'DELIVERED' THEN o.placed_at + interval '23 days' END, o.placed_at + interval '19 days', o.updated_at
       FROM (SELECT o.*, row_number() OVER (ORDER BY o.id) AS n FROM orders o WHERE o.status IN ('SHIPPED','DELIVERED')) o
       WHERE n <= ${Math.round(orders * shippedShare)};`,
    );
    await step(
      "tracking events",
      `INSERT INTO tracking_events (shipment_id, distributor_id, occurred_at, status, location, description, carrier_code, carrier_event_id,
                                    estimated_delivery_at, recorded_at)
       SELECT s.id, s.distributor_id, s.shipped_at + make_interval(hours => e * 12),
              (ARRAY['INFO_RECEIVED','IN_TRANSIT','IN_TRANSIT','CUSTOMS_HOLD','IN_TRANSIT','OUT_FOR_DELIVERY'])[e],
              (ARRAY['JAI','DEL','DXB','CDG','CDG','CDG'])[e],
              (ARRAY['Shipment information received','Departed from origin facility','Arrived at transit hub','Reported to customs','Cleared by customs','Out for delivery'])[e],
              (ARRAY['BKD','DEP','ARR','CRC','CCD','OFD'])[e], s.tracking_number || '-' || e, s.estimated_delivery_at,
              s.shipped_at + make_interval(hours => e * 12)
       FROM (SELECT s.*, row_number() OVER (ORDER BY s.id) AS n FROM shipments s) s
       CROSS JOIN LATERAL generate_series(1, 4 + (s.n % 3)::int) e;
       INSERT INTO shipment_documents (shipment_id, distributor_id, kind, number, issue_date, url, sha256)
       SELECT s.id, s.distributor_id, k.kind, k.prefix || s.awb_number, s.created_at::date, 'https://files.example/' || k.prefix || s.awb_number || '.pdf',
              md5(s.id::text || k.kind) || md5(k.kind || s.id::text)
       FROM shipments s CROSS JOIN (VALUES ('COMMERCIAL_INVOICE', 'INV-'), ('AIRWAY_BILL', 'AWB-')) k(kind, prefix);`,
    );
    await step("availability ranks", `UPDATE products SET availability_rank = product_availability_rank(id, discontinued)`);
    await runner.query(`INSERT INTO bench_dataset (version) VALUES ($1)`, [DATASET_VERSION]);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
  const t = Date.now();
  await db.query(`VACUUM (ANALYZE)`);
  say(`  ${"vacuum, analyze".padEnd(22)} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { dataset: await describe(db), seeded: true, seconds: (Date.now() - started) / 1000 };
}
