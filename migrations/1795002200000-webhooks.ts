import type { MigrationInterface, QueryRunner } from "typeorm";

// Webhooks (docs/webhooks.md): a distributor's endpoints, one delivery per event and endpoint,
// and each attempt of a delivery. All three belong to the distributor and carry its id, under the
// `tenant` policy: a distributor's admins and ERP clients see their own, staff see everyone's.
//
// Deliveries are written by the statement that writes the events (recordEvents), so they commit
// with the change or not at all; each is sent by a job (src/db/jobs.ts). A delivery dies with its
// event (30 days) and its endpoint.
const VISIBLE = `((SELECT facet_sees_every_distributor()) OR distributor_id = (SELECT facet_tenant_id()))`;
const TABLES = ["webhook_endpoints", "webhook_deliveries", "webhook_attempts"];

export class Webhooks1795002200000 implements MigrationInterface {
  name = "Webhooks1795002200000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors(id) ON DELETE CASCADE,
        url varchar(2000) NOT NULL,
        description varchar(500) NOT NULL DEFAULT '',
        event_types varchar(64)[] NOT NULL CHECK (cardinality(event_types) > 0),
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason varchar(16) CHECK (disabled_reason IN ('MANUAL', 'GONE', 'FAILING')),
        disabled_at timestamptz(3),
        -- The signing secrets, as given to the endpoint's owner once (whsec_…): Facet signs with them.
        secret varchar(100) NOT NULL,
        previous_secret varchar(100),
        previous_secret_expires_at timestamptz(3),
        failing_since timestamptz(3),
        last_success_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_api_client_id uuid REFERENCES api_clients(id) ON DELETE SET NULL,
        created_by_name varchar(200) NOT NULL,
        secret_rotated_at timestamptz(3),
        secret_rotated_by_name varchar(200)
      )`);
    await db.query(`CREATE INDEX webhook_endpoints_distributor_created ON webhook_endpoints (distributor_id, created_at, id)`);
    // What recordEvents reads for every event it writes.
    await db.query(`CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (distributor_id) WHERE enabled`);

    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        event_type varchar(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempt_count integer NOT NULL DEFAULT 0,
        -- Attempts since the delivery was made or last resent: the step of the retry schedule.
        round_attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) DEFAULT now(),
        last_attempt_at timestamptz(3),
        last_status_code integer,
        last_error varchar(500),
        lease_token uuid,
        leased_until timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_event_endpoint UNIQUE (event_id, endpoint_id)
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_endpoint_created ON webhook_deliveries (endpoint_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX webhook_deliveries_distributor_created ON webhook_deliveries (distributor_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at)`);

    await db.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors(id) ON DELETE CASCADE,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        number integer NOT NULL,
        attempted_at timestamptz(3) NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error varchar(500),
        response_excerpt varchar(1024),
        CONSTRAINT webhook_attempts_delivery_number UNIQUE (delivery_id, number)
      )`);

    for (const table of TABLES) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY tenant ON ${table} USING ${VISIBLE} WITH CHECK ${VISIBLE}`);
    }

    // The demo ERP client holds every scope (docs/architecture.md): on a database seeded before
    // this scope existed, it gains it too. No such client exists in production (the demo data is
    // never loaded there).
    await db.query(`
      UPDATE api_clients SET scopes = array_append(scopes, 'webhooks:write')
      WHERE client_id = 'erp-atelier-paris' AND NOT ('webhooks:write' = ANY(scopes))
        AND scopes @> ARRAY['catalog:read', 'orders:read', 'orders:write', 'briefs:read', 'briefs:write', 'shipments:read', 'feedback:write']::text[]`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE api_clients SET scopes = array_remove(scopes, 'webhooks:write') WHERE 'webhooks:write' = ANY(scopes) AND cardinality(scopes) > 1`);
    await db.query(`DROP TABLE webhook_attempts`);
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_endpoints`);
  }
}
