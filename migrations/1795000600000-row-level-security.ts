import type { MigrationInterface, QueryRunner } from "typeorm";

// Tables a distributor owns, by how a row names its distributor.
const OWN_COLUMN = ["users", "api_clients", "variant_prices", "orders", "idempotency_keys", "design_briefs", "shipments", "shipment_feedback"];
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

// Defence in depth under the services' own tenant filters. Each request's transaction runs as
// the role facet_rls with app.scope = 'tenant' and app.tenant_id = the caller's distributor
// ('staff' for exporter staff), so even a query that forgot its filter sees nothing foreign.
// Outside a request (migrations, seeding, sign-in, token checks) app.scope is unset: the
// system sees everything.
const VISIBLE = (distributorColumn: string) => `(
  COALESCE(current_setting('app.scope', true), '') IN ('', 'staff')
  OR ${distributorColumn}::text = current_setting('app.tenant_id', true))`;

export class RowLevelSecurity1795000600000 implements MigrationInterface {
  name = "RowLevelSecurity1795000600000";

  async up(db: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not the database: another database may have made it already.
    await db.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'facet_rls') THEN
        CREATE ROLE facet_rls NOLOGIN NOBYPASSRLS;
      END IF;
    END $$`);
    await db.query(`GRANT facet_rls TO CURRENT_USER`);
    await db.query(`GRANT USAGE ON SCHEMA public TO facet_rls`);
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO facet_rls`);
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO facet_rls`);
    // Tables of later migrations are granted as they are created.
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO facet_rls`);
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO facet_rls`);

    await db.query(`ALTER TABLE distributors ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY tenant ON distributors USING ${VISIBLE("id")} WITH CHECK ${VISIBLE("id")}`);
    for (const table of OWN_COLUMN) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${VISIBLE("distributor_id")} WITH CHECK ${VISIBLE("distributor_id")}`);
    }
    for (const [table, parent, column] of THROUGH_PARENT) {
      // The parent's own policy applies inside the sub-select: a child is visible when its parent is.
      const visible = `(EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = ${column}))`;
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${visible} WITH CHECK ${visible}`);
    }

    // The sync horizon must see every open transaction, which a non-superuser role cannot read
    // from pg_stat_activity; this function reads it with its owner's rights and returns one time.
    await db.query(`
      CREATE FUNCTION facet_sync_horizon() RETURNS timestamptz
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
        SELECT COALESCE(min(a.xact_start), now()) - interval '1 millisecond'
        FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
      $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION facet_sync_horizon() TO facet_rls`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION facet_sync_horizon()`);
    for (const table of ["distributors", ...OWN_COLUMN, ...THROUGH_PARENT.map(([t]) => t)]) {
      await db.query(`DROP POLICY tenant ON ${table}`);
      await db.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`);
    }
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM facet_rls`);
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM facet_rls`);
    await db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM facet_rls`);
    await db.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM facet_rls`);
    await db.query(`REVOKE USAGE ON SCHEMA public FROM facet_rls`);
  }
}
