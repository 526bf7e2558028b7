import type { MigrationInterface, QueryRunner } from "typeorm";

// An order line may ship in parts: some units now, the rest in a later shipment. Each shipment
// names a line at most once; createShipment locks the order, so two shipments can never claim
// the same units.
export class ShipmentPartialLines1795000804000 implements MigrationInterface {
  name = "ShipmentPartialLines1795000804000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX shipment_lines_order_line_key`);
    await db.query(`CREATE UNIQUE INDEX shipment_lines_shipment_line_key ON shipment_lines (shipment_id, order_line_id)`);
    await db.query(`CREATE INDEX shipment_lines_order_line_idx ON shipment_lines (order_line_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX shipment_lines_order_line_idx`);
    await db.query(`DROP INDEX shipment_lines_shipment_line_key`);
    await db.query(`CREATE UNIQUE INDEX shipment_lines_order_line_key ON shipment_lines (order_line_id)`);
  }
}
