import type { MigrationInterface, QueryRunner } from "typeorm";

// The metal basis of a design brief's quote (docs/domain.md, "Metal basis of a quote").
//
// - `price_basis`: LOCKED (the quoted price holds until `valid_until`, at most
//   QUOTE_PRICE_LOCK_MAX_DAYS days after the quote) or SURCHARGE (the quoted price plus what the
//   metal costs above the quote's fix on the day of acceptance). Null for quotes given before
//   quotes stated a basis: "not stated". They keep being accepted at their price.
// - The fix the quote rests on (`fix_id`, with its price and time copied, so that the quote reads
//   on its own) and the rate from US dollars to the quote's currency then (`usd_rate`, `rate_id`;
//   no rate row for a quote in US dollars, whose rate is 1). A piece in brass or stainless steel
//   has no fix: all four are null.
// - What acceptance of a SURCHARGE quote used: the fix and rate of that day and the surcharge
//   per piece it added, so that the order's price can be traced back.
export class QuoteMetalBasis1795002900000 implements MigrationInterface {
  name = "QuoteMetalBasis1795002900000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE design_brief_quotes
        ADD COLUMN price_basis varchar(10) CHECK (price_basis IN ('LOCKED', 'SURCHARGE')),
        ADD COLUMN fix_id uuid REFERENCES metal_prices(id),
        ADD COLUMN fix_usd_per_troy_ounce numeric(14,4) CHECK (fix_usd_per_troy_ounce > 0),
        ADD COLUMN fixed_at timestamptz(3),
        ADD COLUMN usd_rate numeric(20,10) CHECK (usd_rate > 0),
        ADD COLUMN rate_id uuid REFERENCES exchange_rates(id),
        ADD COLUMN accepted_fix_id uuid REFERENCES metal_prices(id),
        ADD COLUMN accepted_fix_usd_per_troy_ounce numeric(14,4) CHECK (accepted_fix_usd_per_troy_ounce > 0),
        ADD COLUMN accepted_usd_rate numeric(20,10) CHECK (accepted_usd_rate > 0),
        ADD COLUMN accepted_rate_id uuid REFERENCES exchange_rates(id),
        ADD COLUMN accepted_surcharge numeric(18,4) CHECK (accepted_surcharge >= 0)`);
    // A fix is stated whole or not at all; only a quote with a basis states one; a surcharge
    // needs a fix to be measured from; only a SURCHARGE quote's acceptance records one.
    await db.query(`
      ALTER TABLE design_brief_quotes
        ADD CONSTRAINT design_brief_quotes_fix_whole CHECK (
          (fix_id IS NULL AND fix_usd_per_troy_ounce IS NULL AND fixed_at IS NULL AND usd_rate IS NULL AND rate_id IS NULL)
          OR (fix_id IS NOT NULL AND fix_usd_per_troy_ounce IS NOT NULL AND fixed_at IS NOT NULL AND usd_rate IS NOT NULL AND price_basis IS NOT NULL)),
        ADD CONSTRAINT design_brief_quotes_surcharge_fix CHECK (price_basis IS DISTINCT FROM 'SURCHARGE' OR fix_id IS NOT NULL),
        ADD CONSTRAINT design_brief_quotes_accepted_whole CHECK (
          (accepted_fix_id IS NULL AND accepted_fix_usd_per_troy_ounce IS NULL AND accepted_usd_rate IS NULL AND accepted_rate_id IS NULL AND accepted_surcharge IS NULL)
          OR (price_basis = 'SURCHARGE' AND accepted_fix_id IS NOT NULL AND accepted_fix_usd_per_troy_ounce IS NOT NULL AND accepted_usd_rate IS NOT NULL AND accepted_surcharge IS NOT NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE design_brief_quotes
        DROP COLUMN accepted_surcharge, DROP COLUMN accepted_rate_id, DROP COLUMN accepted_usd_rate,
        DROP COLUMN accepted_fix_usd_per_troy_ounce, DROP COLUMN accepted_fix_id,
        DROP COLUMN rate_id, DROP COLUMN usd_rate, DROP COLUMN fixed_at, DROP COLUMN fix_usd_per_troy_ounce,
        DROP COLUMN fix_id, DROP COLUMN price_basis`);
  }
}
