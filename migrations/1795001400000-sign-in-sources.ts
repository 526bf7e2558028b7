import type { MigrationInterface, QueryRunner } from "typeorm";

const SCOPE = `COALESCE(current_setting('app.scope', true), '')`;

// Failed sign-ins are counted per email and source (the client's address), so that a stranger's
// guesses lock only their own source; a row with source '*' counts the email's failures from
// everywhere, which lock sources the account has never signed in from. Successful sign-ins
// remember their source in sign_in_sources, private to the system like login_attempts.
//
// The audit trigger no longer skips a write it cannot attribute: a request's connection (the
// facet_rls role) writing an audited table must carry a staff actor or a distributor's scope.
// Only the system itself (the owner role: migrations, seeding, sign-in bookkeeping) writes
// without one.
export class SignInSources1795001400000 implements MigrationInterface {
  name = "SignInSources1795001400000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE login_attempts ADD COLUMN source varchar(64) NOT NULL DEFAULT '*'`);
    await db.query(`ALTER TABLE login_attempts ALTER COLUMN source DROP DEFAULT`);
    await db.query(`ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_pkey, ADD PRIMARY KEY (email, source)`);

    await db.query(`
      CREATE TABLE sign_in_sources (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source varchar(64) NOT NULL,
        last_sign_in_at timestamptz(3) NOT NULL,
        PRIMARY KEY (user_id, source)
      )`);
    await db.query(`ALTER TABLE sign_in_sources ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY system ON sign_in_sources USING (${SCOPE} = '') WITH CHECK (${SCOPE} = '')`);

    await db.query(`
      CREATE OR REPLACE FUNCTION audit_staff_write() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor text := COALESCE(current_setting('app.audit_actor', true), '');
        before jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'password_hash' - 'secret_hash' END;
        after jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'password_hash' - 'secret_hash' END;
        row_data jsonb := COALESCE(after, before);
      BEGIN
        IF actor = '' THEN
          IF current_user = 'facet_rls' AND ${SCOPE} <> 'tenant' THEN
            RAISE EXCEPTION 'a request wrote to % without an actor to audit', TG_TABLE_NAME USING ERRCODE = '42501';
          END IF;
          RETURN NULL;
        END IF;
        INSERT INTO audit_log (actor_user_id, actor_name, request_id, table_name, row_key, action, before, after)
        VALUES (
          split_part(actor, '|', 1)::uuid, split_part(actor, '|', 2), NULLIF(current_setting('app.request_id', true), ''),
          TG_TABLE_NAME,
          COALESCE(row_data->>'id', concat_ws(':', row_data->>'distributor_id', row_data->>'variant_id')),
          TG_OP, before, after);
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_staff_write() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await db.query(`DROP TABLE sign_in_sources`);
    await db.query(`DELETE FROM login_attempts WHERE source <> '*'`);
    await db.query(`ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_pkey, ADD PRIMARY KEY (email)`);
    await db.query(`ALTER TABLE login_attempts DROP COLUMN source`);
  }
}
