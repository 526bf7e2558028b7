import type { MigrationInterface, QueryRunner } from "typeorm";

// Bulk exports (docs/bulk-export.md): a distributor's orders, shipments or catalog written by a
// job as one JSON Lines file, downloaded through a signed URL until the file expires. A row is its
// distributor's, under the tenant policy every distributor-owned table has; the job that writes
// the file reads the rows under the export's distributor's scope, as a request of it would.
const VISIBLE = `((SELECT facet_sees_every_distributor()) OR distributor_id = (SELECT facet_tenant_id()))`;

export class BulkExports1795002400000 implements MigrationInterface {
  name = "BulkExports1795002400000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE bulk_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors(id) ON DELETE CASCADE,
        requested_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        requested_by_api_client_id uuid REFERENCES api_clients(id) ON DELETE SET NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('ORDERS', 'SHIPMENTS', 'CATALOG')),
        updated_since timestamptz(3),
        horizon timestamptz(3),
        status varchar(16) NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'EXPIRED')),
        object_count integer,
        byte_size bigint,
        sha256 char(64),
        file_key varchar(200),
        error varchar(500),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        started_at timestamptz(3),
        completed_at timestamptz(3),
        expires_at timestamptz(3),
        CHECK (requested_by_user_id IS NULL OR requested_by_api_client_id IS NULL)
      )`);
    await db.query(`CREATE INDEX bulk_exports_distributor_created_idx ON bulk_exports (distributor_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX bulk_exports_active_idx ON bulk_exports (distributor_id) WHERE status IN ('QUEUED', 'RUNNING')`);
    await db.query(`CREATE INDEX bulk_exports_expires_idx ON bulk_exports (expires_at) WHERE status = 'COMPLETED'`);
    await db.query(`ALTER TABLE bulk_exports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY tenant ON bulk_exports USING ${VISIBLE} WITH CHECK ${VISIBLE}`);

    // The global id the API gives an object (src/graphql/node.ts, toGlobalId): base64url of
    // "Type:uuid", without padding. encode() breaks base64 into lines of 76 characters, which
    // translate() drops with the '+' and '/' it maps.
    await db.query(`
      CREATE FUNCTION facet_global_id(type_name text, id uuid) RETURNS text
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT rtrim(translate(encode(convert_to(type_name || ':' || id::text, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=') $$`);
    // A time as the API writes a DateTime: ISO 8601 in UTC with milliseconds.
    await db.query(`
      CREATE FUNCTION facet_iso_time(t timestamptz) RETURNS text
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION facet_iso_time(timestamptz)`);
    await db.query(`DROP FUNCTION facet_global_id(text, uuid)`);
    await db.query(`DROP TABLE bulk_exports`);
  }
}
