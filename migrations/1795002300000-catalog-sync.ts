import type { MigrationInterface, QueryRunner } from "typeorm";

// Incremental sync of the catalog (`products` and `variants` with `updatedSince`) sees what each
// caller is shown change: a style and its variants, their prices in the caller's price list, their
// stock and the production batches behind their lead times. Each of those rows carries its own
// updated_at, stamped by a trigger whenever what it shows changes, whoever writes it (the catalog's
// mutations, the orders' reservations and releases), with the writing transaction's start, as
// the sync horizon expects (see src/db/sql.ts). A product's or a variant's change time is the
// latest of them, read through the indexes below (see catalog-sync.ts in the catalog module).
//
// Nothing is written to the product row on a stock change: placements lock stock rows in variant
// order, and a product row locked on the way would make two placements deadlock.

/** Tables, the columns whose change is a change the catalog shows, and the trigger's name. */
const STAMPED: [table: string, columns: string[]][] = [
  ["stock_levels", ["on_hand", "reserved", "low_stock_threshold"]],
  ["production_batches", ["variant_id", "quantity", "allocated", "ready_date", "description", "status"]],
  ["variant_prices", ["amount", "currency"]],
];

export class CatalogSync1795002300000 implements MigrationInterface {
  name = "CatalogSync1795002300000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE production_batches ADD COLUMN updated_at timestamptz(3) NOT NULL DEFAULT now()`);
    await db.query(`
      CREATE FUNCTION catalog_stamp_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);
    for (const [table, columns] of STAMPED) {
      const changed = columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(" OR ");
      await db.query(`
        CREATE TRIGGER ${table}_stamp_updated_at BEFORE UPDATE ON ${table}
        FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION catalog_stamp_updated_at()`);
    }

    // What changed since a time: each table's rows by updated_at (products have theirs already).
    await db.query(`CREATE INDEX variants_updated_at_idx ON variants (updated_at)`);
    await db.query(`CREATE INDEX stock_levels_updated_at_idx ON stock_levels (updated_at)`);
    await db.query(`CREATE INDEX production_batches_updated_at_idx ON production_batches (updated_at)`);
    await db.query(`CREATE INDEX variant_prices_distributor_updated_at_idx ON variant_prices (distributor_id, updated_at)`);
    // Staff see every price list: every list's changes, and each variant's across lists.
    await db.query(`CREATE INDEX variant_prices_updated_at_idx ON variant_prices (updated_at)`);
    await db.query(`CREATE INDEX variant_prices_variant_updated_at_idx ON variant_prices (variant_id, updated_at)`);
    // A variant's latest batch change, whatever the batch's status.
    await db.query(`CREATE INDEX production_batches_variant_updated_at_idx ON production_batches (variant_id, updated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX production_batches_variant_updated_at_idx, variant_prices_variant_updated_at_idx, variant_prices_updated_at_idx,
        variant_prices_distributor_updated_at_idx, production_batches_updated_at_idx, stock_levels_updated_at_idx, variants_updated_at_idx`);
    for (const [table] of STAMPED) await db.query(`DROP TRIGGER ${table}_stamp_updated_at ON ${table}`);
    await db.query(`DROP FUNCTION catalog_stamp_updated_at()`);
    await db.query(`ALTER TABLE production_batches DROP COLUMN updated_at`);
  }
}
