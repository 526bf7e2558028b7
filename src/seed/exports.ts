import type { EntityManager } from "typeorm";
import { DEMO_ERP_CLIENT_ID } from "../modules/accounts/demo-credentials";

// The demo's bulk exports: Atelier Paris's ERP exported its orders a fortnight ago, and the file
// was deleted when its retention ended, so the export is EXPIRED (its `url` is null), as the
// expiry job leaves one. Nothing of it is on disk; `startBulkExport` writes a new one.
export async function seedBulkExports(db: EntityManager): Promise<number> {
  const rows = (await db.query(
    `WITH paris AS (SELECT id FROM distributors WHERE code = 'atelier-paris'),
     erp AS (SELECT c.id FROM api_clients c WHERE c.client_id = $1),
     made AS (
       SELECT p.id AS distributor_id, e.id AS client_id, now() - interval '14 days' AS asked,
              (SELECT count(*)::int FROM orders o WHERE o.distributor_id = p.id AND o.updated_at < now() - interval '14 days') AS objects
       FROM paris p CROSS JOIN erp e
     )
     INSERT INTO bulk_exports (distributor_id, requested_by_api_client_id, kind, status, horizon, object_count, byte_size, sha256,
                               created_at, started_at, completed_at, expires_at)
     SELECT distributor_id, client_id, 'ORDERS', 'EXPIRED', asked, objects, objects * 2300,
            encode(sha256(convert_to('facet demo orders export ' || asked::text, 'UTF8')), 'hex'),
            asked, asked + interval '2 seconds', asked + interval '9 seconds', asked + interval '9 seconds' + interval '7 days'
     FROM made
     RETURNING 1`,
    [DEMO_ERP_CLIENT_ID],
  )) as unknown[];
  return rows.length;
}
