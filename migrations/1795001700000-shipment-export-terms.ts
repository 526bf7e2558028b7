import type { MigrationInterface, QueryRunner } from "typeorm";

// What a shipment's export documents need beyond its lines (docs/domain.md, "Incoterms and
// insurance cover", "Export declaration numbers", "Air waybills"): the named place of its
// Incoterms rule, the country it is dispatched from, the charges the seller bears under the rule,
// the history of its air waybill and tracking number, and an Indian shipping bill's port code.
// Shipments made before keep no named place or charges; they all left from India, the only
// country Facet knew.
export class ShipmentExportTerms1795001700000 implements MigrationInterface {
  name = "ShipmentExportTerms1795001700000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE shipments
        ADD COLUMN named_place varchar(100),
        ADD COLUMN dispatch_country char(2) CHECK (dispatch_country ~ '^[A-Z]{2}$'),
        ADD COLUMN freight_charge numeric(18,4) CHECK (freight_charge > 0),
        ADD COLUMN insurance_charge numeric(18,4) CHECK (insurance_charge > 0),
        ADD COLUMN duties_charge numeric(18,4) CHECK (duties_charge >= 0),
        ADD COLUMN carriage_history jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(carriage_history) = 'array')`);
    await db.query(`UPDATE shipments SET dispatch_country = 'IN'`);
    await db.query(`ALTER TABLE shipment_documents ADD COLUMN port_code varchar(6) CHECK (port_code ~ '^IN[A-Z]{3}[0-9]$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE shipment_documents DROP COLUMN port_code`);
    await db.query(`
      ALTER TABLE shipments
        DROP COLUMN carriage_history, DROP COLUMN duties_charge, DROP COLUMN insurance_charge, DROP COLUMN freight_charge,
        DROP COLUMN dispatch_country, DROP COLUMN named_place`);
  }
}
