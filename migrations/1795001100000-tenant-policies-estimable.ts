import type { MigrationInterface, QueryRunner } from "typeorm";

// The tenant policy `scope IN ('', 'staff') OR distributor_id::text = tenant_id` is right but
// opaque to the planner: it takes the clause to keep about 1 row in 70 and multiplies that into
// every estimate. A distributor's 500 orders became 7, so a page of its 50 latest read all 500
// through a bitmap and sorted them (3.3 ms) instead of walking (distributor_id, placed_at) for 51
// (0.1 ms). Here each setting is read once per statement, as an initplan, and the distributor
// is compared as a uuid: the planner counts the clause as keeping about half the rows, and the
// per-row check is one comparison of two uuids. What each caller sees is unchanged (a tenant id
// that is not a uuid now fails the statement instead of matching nothing).
const OWN_COLUMN = ["users", "api_clients", "variant_prices", "orders", "idempotency_keys", "design_briefs", "shipments", "shipment_feedback"];
// Named by their parent's distributor since ChildRowsNameDistributor1795001000000.
const THROUGH_PARENT = [
  "order_lines",
  "order_status_changes",
  "design_brief_quotes",
  "design_brief_comments",
  "design_brief_status_changes",
  "shipment_lines",
  "tracking_events",
  "shipment_documents",
];
const TABLES: [table: string, distributorColumn: string][] = [["distributors", "id"], ...[...OWN_COLUMN, ...THROUGH_PARENT].map((t): [string, string] => [t, "distributor_id"])];

const VISIBLE = (column: string) => `((SELECT facet_sees_every_distributor()) OR ${column} = (SELECT facet_tenant_id()))`;
// As in RowLevelSecurity1795000600000.
const VISIBLE_BEFORE = (column: string) => `(
  COALESCE(current_setting('app.scope', true), '') IN ('', 'staff')
  OR ${column}::text = current_setting('app.tenant_id', true))`;

export class TenantPoliciesEstimable1795001100000 implements MigrationInterface {
  name = "TenantPoliciesEstimable1795001100000";

  async up(db: QueryRunner): Promise<void> {
    // Outside a request (no scope) and for exporter staff: every row.
    await db.query(`
      CREATE FUNCTION facet_sees_every_distributor() RETURNS boolean LANGUAGE sql STABLE
      AS $$ SELECT COALESCE(current_setting('app.scope', true), '') IN ('', 'staff') $$`);
    // The caller's distributor, or null when none is set.
    await db.query(`
      CREATE FUNCTION facet_tenant_id() RETURNS uuid LANGUAGE sql STABLE
      AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION facet_sees_every_distributor(), facet_tenant_id() TO facet_rls`);
    for (const [table, column] of TABLES) {
      await db.query(`DROP POLICY tenant ON ${table}`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${VISIBLE(column)} WITH CHECK ${VISIBLE(column)}`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table, column] of TABLES) {
      await db.query(`DROP POLICY tenant ON ${table}`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${VISIBLE_BEFORE(column)} WITH CHECK ${VISIBLE_BEFORE(column)}`);
    }
    await db.query(`DROP FUNCTION facet_tenant_id()`);
    await db.query(`DROP FUNCTION facet_sees_every_distributor()`);
  }
}
