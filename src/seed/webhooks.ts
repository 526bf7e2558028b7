import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";

// The demo's webhooks: Atelier Paris's ERP once registered an endpoint, which its admin disabled
// after it failed; its one delivery shows what a failed attempt looks like. Disabled, it sends
// nothing from a development machine; enabling it (or registering one's own) shows deliveries.
export async function seedWebhooks(db: EntityManager): Promise<number> {
  const rows = (await db.query(
    `WITH paris AS (SELECT id FROM distributors WHERE code = 'atelier-paris'),
     erp AS (SELECT c.id, c.name FROM api_clients c JOIN paris p ON p.id = c.distributor_id ORDER BY c.created_at LIMIT 1),
     endpoint AS (
       INSERT INTO webhook_endpoints (distributor_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret,
                                      failing_since, created_at, updated_at, created_by_api_client_id, created_by_name)
       SELECT p.id, 'https://erp.atelier-paris.example/facet/webhooks', 'Order and shipment updates for the ERP',
              ARRAY['order.placed', 'order.status_changed', 'shipment.delivered']::varchar[], false, 'MANUAL', now() - interval '1 day', $1,
              now() - interval '2 days', now() - interval '3 days', now() - interval '1 day', e.id, e.name
       FROM paris p CROSS JOIN erp e
       RETURNING id, distributor_id
     ),
     event AS (
       SELECT ev.id, ev.type FROM events ev JOIN paris p ON p.id = ev.distributor_id
       WHERE ev.type = 'order.placed' ORDER BY ev.occurred_at DESC LIMIT 1
     ),
     delivery AS (
       INSERT INTO webhook_deliveries (distributor_id, endpoint_id, event_id, event_type, status, attempt_count, round_attempts,
                                       next_attempt_at, last_attempt_at, last_status_code, last_error, created_at, updated_at)
       SELECT w.distributor_id, w.id, e.id, e.type, 'FAILED', 1, 1, NULL, now() - interval '2 days', 503, 'answered 503', now() - interval '2 days', now() - interval '1 day'
       FROM endpoint w CROSS JOIN event e
       RETURNING id, distributor_id, last_attempt_at
     )
     INSERT INTO webhook_attempts (distributor_id, delivery_id, number, attempted_at, duration_ms, status_code, error, response_excerpt)
     SELECT distributor_id, id, 1, last_attempt_at, 212, 503, 'answered 503', 'Service Unavailable: ERP maintenance window' FROM delivery
     RETURNING 1`,
    [`whsec_${randomBytes(32).toString("base64")}`],
  )) as unknown[];
  return rows.length;
}
