import type { MigrationInterface, QueryRunner } from "typeorm";

// A request's caller is now read, with its scope, in the request's first statement (see the
// accounts module's authenticate); nothing confirms a remembered caller any more.
export class DropPrincipalConfirmation1795001300000 implements MigrationInterface {
  name = "DropPrincipalConfirmation1795001300000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION facet_confirm_api_client(uuid, integer, uuid, text[])`);
    await db.query(`DROP FUNCTION facet_confirm_user(uuid, integer, text, uuid)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION facet_confirm_user(p_id uuid, p_token_version integer, p_role text, p_distributor_id uuid) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM users u
        WHERE u.id = p_id AND u.active AND u.token_version = p_token_version AND u.role = p_role
          AND u.distributor_id IS NOT DISTINCT FROM p_distributor_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'the user no longer holds this access token as it did' USING ERRCODE = '28000';
        END IF;
      END $$`);
    await db.query(`
      CREATE FUNCTION facet_confirm_api_client(p_id uuid, p_secret_version integer, p_distributor_id uuid, p_scopes text[]) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM api_clients c
        WHERE c.id = p_id AND c.revoked_at IS NULL AND c.secret_version = p_secret_version
          AND c.distributor_id = p_distributor_id AND c.scopes = p_scopes;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'the API client no longer holds this access token as it did' USING ERRCODE = '28000';
        END IF;
      END $$`);
  }
}
