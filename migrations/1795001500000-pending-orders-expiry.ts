import type { MigrationInterface, QueryRunner } from "typeorm";

// Unconfirmed orders expire (see the orders module's expiry.ts): every process looks for PENDING
// orders placed before a cutoff, oldest first, every minute. The index holds only the orders that
// can expire, so a sweep reads the expired ones and nothing of the many orders further along.
export class PendingOrdersExpiry1795001500000 implements MigrationInterface {
  name = "PendingOrdersExpiry1795001500000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX orders_pending_placed_idx ON orders (placed_at, id) WHERE status = 'PENDING' AND design_brief_id IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX orders_pending_placed_idx`);
  }
}
