import type { MigrationInterface, QueryRunner } from "typeorm";

// Quantity breaks: per distributor's price list and style, a lower unit price from a quantity on
// (docs/api.md, "Quantity breaks"). A break applies to every variant (size or length) of the style,
// and an order counts the style's units over all its lines toward it (see planPlacement in the
// orders module). Owned like variant_prices: the distributor's own column, the tenant policy as
// TenantPoliciesEstimable1795001100000 writes it, and export managers' writes audited row by row
// (each row has an id, the audit log's row key).
const VISIBLE = `((SELECT facet_sees_every_distributor()) OR distributor_id = (SELECT facet_tenant_id()))`;

export class QuantityBreaks1795002800000 implements MigrationInterface {
  name = "QuantityBreaks1795002800000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE quantity_breaks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        product_id uuid NOT NULL REFERENCES products (id),
        min_quantity integer NOT NULL CHECK (min_quantity > 1),
        unit_price numeric(18,4) NOT NULL CHECK (unit_price > 0),
        currency char(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT quantity_breaks_list_style_quantity_key UNIQUE (distributor_id, product_id, min_quantity)
      )`);
    // A page's styles read their breaks in one list through the unique index (distributor, style).
    await db.query(`ALTER TABLE quantity_breaks ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY tenant ON quantity_breaks USING ${VISIBLE} WITH CHECK ${VISIBLE}`);
    await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON quantity_breaks FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);
    // Stamped as variant prices are (CatalogSync1795002300000), for a later sync of breaks.
    await db.query(`
      CREATE TRIGGER quantity_breaks_stamp_updated_at BEFORE UPDATE ON quantity_breaks
      FOR EACH ROW WHEN (OLD.unit_price IS DISTINCT FROM NEW.unit_price OR OLD.currency IS DISTINCT FROM NEW.currency)
      EXECUTE FUNCTION catalog_stamp_updated_at()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE quantity_breaks`);
  }
}
