import type { MigrationInterface, QueryRunner } from "typeorm";

const SCOPE = `COALESCE(current_setting('app.scope', true), '')`;

// Two tables no distributor owns hold what no distributor may read: the audit log copies any
// distributor's rows (before and after a staff write), and login_attempts names the emails of
// anyone's people who failed to sign in. Row-level security keeps them to staff and to the
// system (sign-in, migrations), as it keeps tenant tables to their tenant. The audit log is also
// append-only for the request role: no request may rewrite or erase the trail.
export class PrivateTables1795000750000 implements MigrationInterface {
  name = "PrivateTables1795000750000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM facet_rls`);
    await db.query(`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY staff_read ON audit_log FOR SELECT USING (${SCOPE} IN ('', 'staff'))`);
    await db.query(`CREATE POLICY staff_write ON audit_log FOR INSERT WITH CHECK (${SCOPE} IN ('', 'staff'))`);

    await db.query(`ALTER TABLE login_attempts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY system ON login_attempts USING (${SCOPE} = '') WITH CHECK (${SCOPE} = '')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP POLICY system ON login_attempts`);
    await db.query(`ALTER TABLE login_attempts NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`);
    await db.query(`DROP POLICY staff_write ON audit_log`);
    await db.query(`DROP POLICY staff_read ON audit_log`);
    await db.query(`ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`);
    await db.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO facet_rls`);
  }
}
