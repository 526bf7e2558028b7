import type { MigrationInterface, QueryRunner } from "typeorm";

// Rows that belong to a distributor through their parent (an order's lines, a shipment's
// tracking events…) were visible when the parent was: their row-level security policy looked the
// parent up, once for every row read. A page of 50 orders read 200 lines and 200 events, and
// PostgreSQL spent most of those statements on the 400 look-ups. Each such row now names its
// distributor itself, copied from its parent by a trigger whenever the row is written (so no
// caller can name another), and the policy is that of every other tenant table.
const THROUGH_PARENT: [table: string, parent: string, column: string][] = [
  ["order_lines", "orders", "order_id"],
  ["order_status_changes", "orders", "order_id"],
  ["design_brief_quotes", "design_briefs", "brief_id"],
  ["design_brief_comments", "design_briefs", "brief_id"],
  ["design_brief_status_changes", "design_briefs", "brief_id"],
  ["shipment_lines", "shipments", "shipment_id"],
  ["tracking_events", "shipments", "shipment_id"],
  ["shipment_documents", "shipments", "shipment_id"],
];

// As in RowLevelSecurity1795000600000.
const VISIBLE = (distributorColumn: string) => `(
  COALESCE(current_setting('app.scope', true), '') IN ('', 'staff')
  OR ${distributorColumn}::text = current_setting('app.tenant_id', true))`;

export class ChildRowsNameDistributor1795001000000 implements MigrationInterface {
  name = "ChildRowsNameDistributor1795001000000";

  async up(db: QueryRunner): Promise<void> {
    for (const [table, parent, column] of THROUGH_PARENT) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN distributor_id uuid`);
      await db.query(`UPDATE ${table} t SET distributor_id = p.distributor_id FROM ${parent} p WHERE p.id = t.${column}`);
      await db.query(`ALTER TABLE ${table} ALTER COLUMN distributor_id SET NOT NULL`);
      // The writer's own policies apply to the look-up: a parent it cannot see gives no
      // distributor, and the row fails the policy's check like any foreign row.
      await db.query(`
        CREATE FUNCTION ${table}_distributor() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.distributor_id := (SELECT p.distributor_id FROM ${parent} p WHERE p.id = NEW.${column});
          RETURN NEW;
        END $$`);
      await db.query(`CREATE TRIGGER distributor BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_distributor()`);
      await db.query(`DROP POLICY tenant ON ${table}`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${VISIBLE("distributor_id")} WITH CHECK ${VISIBLE("distributor_id")}`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table, parent, column] of THROUGH_PARENT) {
      const visible = `(EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = ${column}))`;
      await db.query(`DROP POLICY tenant ON ${table}`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${visible} WITH CHECK ${visible}`);
      await db.query(`DROP TRIGGER distributor ON ${table}`);
      await db.query(`DROP FUNCTION ${table}_distributor()`);
      await db.query(`ALTER TABLE ${table} DROP COLUMN distributor_id`);
    }
  }
}
