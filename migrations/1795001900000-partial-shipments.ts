import type { MigrationInterface, QueryRunner } from "typeorm";

// An order ships what is ready, a shipment at a time (docs/api.md, "Shipments"; docs/domain.md,
// "Partial shipments"):
//
// - PARTIALLY_SHIPPED: some of the ordered units have been handed to a carrier, not all. At 17
//   characters it does not fit the 16 the status columns held; widening a varchar rewrites
//   nothing, and the history's columns hold the same statuses.
// - A line records how many of its made-to-order units staff have marked as made: a new
//   production run has no batch whose ready date could say so. Never more than the line makes.
//   Staff now write order lines, so their writes are audited like those of every table they
//   change (AuditLog1795000700000).
export class PartialShipments1795001900000 implements MigrationInterface {
  name = "PartialShipments1795001900000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE orders ALTER COLUMN status TYPE varchar(20)`);
    await db.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await db.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN
      ('PENDING','CONFIRMED','IN_PRODUCTION','QUALITY_CHECK','PACKED','PARTIALLY_SHIPPED','SHIPPED','DELIVERED','CANCELLED'))`);
    await db.query(`ALTER TABLE order_status_changes ALTER COLUMN from_status TYPE varchar(20), ALTER COLUMN to_status TYPE varchar(20)`);
    await db.query(`ALTER TABLE order_lines ADD COLUMN made_to_order_ready integer NOT NULL DEFAULT 0
      CONSTRAINT order_lines_made_to_order_ready CHECK (made_to_order_ready >= 0 AND made_to_order_ready <= quantity - from_stock)`);
    await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON order_lines FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER audit_staff_write ON order_lines`);
    await db.query(`ALTER TABLE order_lines DROP COLUMN made_to_order_ready`);
    await db.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await db.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN
      ('PENDING','CONFIRMED','IN_PRODUCTION','QUALITY_CHECK','PACKED','SHIPPED','DELIVERED','CANCELLED'))`);
    await db.query(`ALTER TABLE order_status_changes ALTER COLUMN from_status TYPE varchar(16), ALTER COLUMN to_status TYPE varchar(16)`);
    await db.query(`ALTER TABLE orders ALTER COLUMN status TYPE varchar(16)`);
  }
}
