import type { MigrationInterface, QueryRunner } from "typeorm";

// Every table a staff member can change; their writes are recorded row by row.
const AUDITED = [
  "distributors",
  "users",
  "api_clients",
  "products",
  "variants",
  "stock_levels",
  "production_batches",
  "variant_prices",
  "orders",
  "design_briefs",
  "design_brief_quotes",
  "design_brief_comments",
  "shipments",
  "tracking_events",
  "shipment_documents",
  "shipment_feedback",
];

export class AuditLog1795000700000 implements MigrationInterface {
  name = "AuditLog1795000700000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        actor_user_id uuid NOT NULL,
        actor_name varchar(200) NOT NULL,
        request_id varchar(100),
        table_name varchar(60) NOT NULL,
        row_key text NOT NULL,
        action varchar(6) NOT NULL CHECK (action IN ('INSERT','UPDATE','DELETE')),
        before jsonb,
        after jsonb,
        at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id)`);
    await db.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC)`);
    await db.query(`CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_key)`);

    // A staff request names its actor in app.audit_actor (see request-scope.ts); rows written
    // under it are recorded with their state before and after. Secrets never enter the log.
    await db.query(`
      CREATE FUNCTION audit_staff_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor text := COALESCE(current_setting('app.audit_actor', true), '');
        before jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'password_hash' - 'secret_hash' END;
        after jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'password_hash' - 'secret_hash' END;
        row_data jsonb := COALESCE(after, before);
      BEGIN
        IF actor = '' THEN RETURN NULL; END IF;
        INSERT INTO audit_log (actor_user_id, actor_name, request_id, table_name, row_key, action, before, after)
        VALUES (
          split_part(actor, '|', 1)::uuid, split_part(actor, '|', 2), NULLIF(current_setting('app.request_id', true), ''),
          TG_TABLE_NAME,
          COALESCE(row_data->>'id', concat_ws(':', row_data->>'distributor_id', row_data->>'variant_id')),
          TG_OP, before, after);
        RETURN NULL;
      END $$`);
    for (const table of AUDITED) {
      await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);
    }
    await db.query(`GRANT SELECT, INSERT ON audit_log TO facet_rls`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of AUDITED) await db.query(`DROP TRIGGER audit_staff_write ON ${table}`);
    await db.query(`DROP FUNCTION audit_staff_write()`);
    await db.query(`DROP TABLE audit_log`);
  }
}
