import type { MigrationInterface, QueryRunner } from "typeorm";

// Metal fixes and exchange rates (docs/domain.md, "Metal fixes and exchange rates").
//
// - `metal_prices`: the fixes of gold, silver, platinum and palladium in US dollars per troy
//   ounce, with their source and time. A fix is never updated: a new one is a new row, and the
//   same fix (metal, source and time) is recorded once.
// - `exchange_rates`: units of `quote` per unit of `base` as of a moment, kept the same way.
// Both are reference data every distributor reads alike, as it reads the catalog and the working
// calendar: no row-level security. Export managers' writes are audited like the catalog's.
const SOURCES = ["LBMA_GOLD_AM", "LBMA_GOLD_PM", "LBMA_SILVER", "LPPM_PLATINUM_AM", "LPPM_PLATINUM_PM", "LPPM_PALLADIUM_AM", "LPPM_PALLADIUM_PM", "MANUAL"];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(", ");

export class MetalPrices1795002600000 implements MigrationInterface {
  name = "MetalPrices1795002600000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE metal_prices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        metal varchar(20) NOT NULL CHECK (metal IN ('GOLD', 'SILVER', 'PLATINUM', 'PALLADIUM')),
        price_per_troy_ounce numeric(14,4) NOT NULL CHECK (price_per_troy_ounce > 0),
        source varchar(24) NOT NULL CHECK (source IN (${list(SOURCES)})),
        fixed_at timestamptz(3) NOT NULL,
        recorded_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT metal_prices_fix_key UNIQUE (metal, source, fixed_at)
      )`);
    // The latest fix of a metal at a moment, and its history newest first.
    await db.query(`CREATE INDEX metal_prices_metal_fixed_idx ON metal_prices (metal, fixed_at DESC, id)`);
    await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON metal_prices FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);

    await db.query(`
      CREATE TABLE exchange_rates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        base char(3) NOT NULL CHECK (base ~ '^[A-Z]{3}$'),
        quote char(3) NOT NULL CHECK (quote ~ '^[A-Z]{3}$'),
        rate numeric(20,10) NOT NULL CHECK (rate > 0),
        source varchar(60) NOT NULL CHECK (btrim(source) <> ''),
        as_of timestamptz(3) NOT NULL,
        recorded_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (base <> quote),
        CONSTRAINT exchange_rates_rate_key UNIQUE (base, quote, source, as_of)
      )`);
    await db.query(`CREATE INDEX exchange_rates_pair_as_of_idx ON exchange_rates (base, quote, as_of DESC, id)`);
    await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON exchange_rates FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE exchange_rates`);
    await db.query(`DROP TABLE metal_prices`);
  }
}
